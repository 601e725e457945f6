"""A real Open311 client library (``georeport`` from PyPI) driving our server over HTTP.

``georeport`` reads services, service definitions and requests in JSON and XML; it has no call
for creating a request, so the POST goes through ``requests`` exactly as the spec's example does.
"""
import pytest
import requests
from georeport import GeoReport

from motcua.feedback import services
from motcua.feedback.models import Feedback
from motcua.feedback.open311 import jurisdiction_id
from tests.feedback.conftest import JUSTICE, sms_code


@pytest.fixture
def endpoint(live_server, province):
    return f"{live_server.url}/open311/v2"


def test_georeport_client_reads_everything_we_serve(endpoint, users, agencies):
    _key, raw = services.issue_api_key("Ứng dụng phản ánh hiện trường")
    for fmt in ("json", "xml"):
        client = GeoReport(endpoint, jurisdiction=jurisdiction_id(), api_key=raw, output_format=fmt)
        service_list = client.get_service_list()
        assert [s["service_code"] for s in service_list][:2] == ["QDHC", "CKTT"]
        definition = client.get_service_definition("HSTH")
        attributes = definition["attributes"] if fmt == "json" else definition["attributes"]["attribute"]
        first = attributes[0] if isinstance(attributes, list) else attributes
        assert first["code"] == "DOSSIER_CODE"

    response = requests.post(f"{endpoint}/requests.json", data={
        "api_key": raw, "jurisdiction_id": jurisdiction_id(), "service_code": "CBCC",
        "lat": "20.2539", "long": "105.9750",
        "first_name": "Thị Hoa", "last_name": "Lê", "phone": "0987654321",
        "description": "Cán bộ tại quầy tiếp nhận yêu cầu nộp thêm bản sao không có trong quy định.",
        "attribute[AGENCY]": JUSTICE}, timeout=10)
    assert response.status_code == 201, response.text
    request_id = response.json()[0]["service_request_id"]
    services.verify_code(request_id, sms_code(request_id))
    feedback = Feedback.objects.get(code=request_id)
    services.route(users["tiepnhan.tinh"], feedback.pk, feedback.row_version, agencies[JUSTICE])

    for fmt in ("json", "xml"):
        client = GeoReport(endpoint, jurisdiction=jurisdiction_id(), output_format=fmt)
        one = client.get_service_request(request_id)
        assert one["service_request_id"] == request_id and one["status"] == "open"
        assert one["agency_responsible"] == "Sở Tư pháp"
        listed = client.get_service_requests(service_request_id=request_id)
        listed = listed if isinstance(listed, list) else [listed]
        assert [r["service_request_id"] for r in listed] == [request_id]
        assert client.get_service_requests(service_code="CBCC", status="open")

    bad = requests.post(f"{endpoint}/requests.xml", data={"api_key": "sai", "service_code": "CBCC"}, timeout=10)
    assert bad.status_code == 403 and "<errors><error><code>403</code>" in bad.text
    with pytest.raises(requests.HTTPError):
        GeoReport(endpoint, output_format="json").get_service_request("PAKN-000000-0000")
