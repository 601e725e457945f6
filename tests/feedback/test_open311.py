"""Open311 GeoReport v2: every call, in XML and JSON, shaped like the specification's examples,
and malformed requests answered in the spec's error format with nothing stored."""
import json

import pytest
import time_machine
import xmltodict

from motcua.feedback import services
from motcua.feedback.models import Feedback, Notification
from tests.feedback.conftest import JUSTICE, at, category, submission, verified

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"
# Field order of the specification's example responses.
SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
REQUEST_FIELDS = ["service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"]
ATTRIBUTE_FIELDS = ["variable", "code", "datatype", "required", "datatype_description", "order", "description"]


@pytest.fixture
def api_key(province):
    return services.issue_api_key("Ứng dụng Công dân số Ninh Bình", raw="khoa-thu-nghiem-0123456789")[1]


def get_json(client, path, expect=200, **params):
    response = client.get(path, params)
    assert response.status_code == expect, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def get_xml(client, path, expect=200, **params):
    response = client.get(path, params)
    assert response.status_code == expect, response.content
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n')
    return xmltodict.parse(response.content)


def post(client, fmt="json", **data):
    return client.post(f"{BASE}/requests.{fmt}", data)


def errors_of(response, fmt="json"):
    if fmt == "json":
        body = json.loads(response.content)
        assert all(set(e) == {"code", "description"} and e["code"] == response.status_code for e in body)
        return [e["description"] for e in body]
    errors = xmltodict.parse(response.content, force_list=("error",))["errors"]["error"]
    assert all(int(e["code"]) == response.status_code for e in errors)
    return [e["description"] for e in errors]


VALID = {"service_code": "QDHC", "address_string": "Số 5 phố Lê Lợi, phường Hoa Lư, tỉnh Ninh Bình",
         "first_name": "Văn An", "last_name": "Nguyễn", "phone": "0912345678", "email": "an.nguyen@example.vn",
         "description": "Đề nghị bỏ yêu cầu nộp bản sao sổ hộ khẩu khi cấp Phiếu lý lịch tư pháp.",
         "device_id": "tt222111", "account_id": "123456", "attribute[PROCEDURE_CODE]": "2.001417",
         "attribute[TITLE]": "Bỏ yêu cầu sổ hộ khẩu", "attribute[PUBLISH_IDENTITY]": "true"}


# ---------------------------------------------------------------- discovery, services, definitions


def test_discovery(client, province):
    data = get_json(client, "/open311/discovery.json")
    assert list(data) == ["changeset", "contact", "key_service", "endpoints"]
    endpoint = data["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/") and endpoint["formats"] == ["text/xml", "application/json"]
    xml = get_xml(client, "/open311/discovery.xml")["discovery"]
    assert xml["endpoints"]["endpoint"]["formats"]["format"] == ["text/xml", "application/json"]


def test_service_list_json_and_xml(client, province):
    services_json = get_json(client, f"{BASE}/services.json")
    assert [s["service_code"] for s in services_json][:3] == ["QDHC", "CKTT", "HSTH"]
    assert all(list(s) == SERVICE_FIELDS for s in services_json)
    first = services_json[0]
    assert first["metadata"] is True and first["type"] == "realtime"
    assert first["service_name"] == "Quy định, thủ tục hành chính không phù hợp"
    assert first["group"] == "Quy định, thủ tục hành chính"
    xml = get_xml(client, f"{BASE}/services.xml", jurisdiction_id="127.0.0.1")["services"]["service"]
    assert [s["service_code"] for s in xml] == [s["service_code"] for s in services_json]
    assert xml[0]["metadata"] == "true" and list(xml[0]) == SERVICE_FIELDS


def test_service_definition(client, province):
    data = get_json(client, f"{BASE}/services/CBCC.json")
    assert list(data) == ["service_code", "attributes"] and data["service_code"] == "CBCC"
    agency = data["attributes"][0]
    assert agency["code"] == "AGENCY" and agency["datatype"] == "singlevaluelist" and agency["required"] is True
    assert list(agency)[:7] == ATTRIBUTE_FIELDS and agency["order"] == 1
    assert {"key": JUSTICE, "name": "Sở Tư pháp"} in agency["values"]
    assert [a["order"] for a in data["attributes"]] == [1, 2, 3, 4]
    xml = get_xml(client, f"{BASE}/services/HSTH.xml")["service_definition"]
    attribute = xml["attributes"]["attribute"][0]
    assert attribute["code"] == "DOSSIER_CODE" and attribute["required"] == "true"
    assert attribute["variable"] == "true" and attribute["datatype"] == "string"


def test_unknown_service_and_format_and_jurisdiction(client, province):
    response = client.get(f"{BASE}/services/KHONGCO.json")
    assert response.status_code == 404
    assert errors_of(response) == ["Không tìm thấy service_code “KHONGCO”."]
    response = client.get(f"{BASE}/services.yaml")
    assert response.status_code == 404 and "không được hỗ trợ" in errors_of(response, "xml")[0]
    response = client.get(f"{BASE}/services.xml", {"jurisdiction_id": "sfgov.org"})
    assert response.status_code == 404 and "sfgov.org" in errors_of(response, "xml")[0]


# ---------------------------------------------------------------- POST a request


def test_post_request_like_the_spec_example(client, api_key, procedure):
    with time_machine.travel(at(2026, 11, 23, 9, 0), tick=False):
        response = post(client, api_key=api_key, jurisdiction_id="127.0.0.1", lat="20.253611", long="105.974722",
                        media_url="http://example.vn/anh/so-ho-khau.jpg", **VALID)
    assert response.status_code == 201, response.content
    body = json.loads(response.content)
    assert list(body[0]) == ["service_request_id", "service_notice", "account_id"]
    assert body[0]["service_request_id"] == "PAKN-261123-0001" and body[0]["account_id"] == "123456"
    assert "xác thực" in body[0]["service_notice"]
    feedback = Feedback.objects.get()
    assert (feedback.channel, feedback.sender_name, feedback.procedure.code) == ("api", "Nguyễn Văn An", "2.001417")
    assert feedback.title == "Bỏ yêu cầu sổ hộ khẩu" and feedback.publish_identity
    assert str(feedback.lat) == "20.253611" and feedback.media_url.endswith("so-ho-khau.jpg")
    assert Notification.objects.filter(feedback=feedback, kind="verification", channel="sms").exists()


def test_post_xml_response(client, api_key, province):
    data = dict(VALID)
    data.pop("attribute[PROCEDURE_CODE]")
    response = post(client, "xml", api_key=api_key, **data)
    assert response.status_code == 201
    request = xmltodict.parse(response.content)["service_requests"]["request"]
    assert request["service_request_id"].startswith("PAKN-") and request["account_id"] == "123456"


def test_api_key_required(client, api_key, province):
    response = post(client, **VALID)
    assert response.status_code == 403 and "Thiếu api_key" in errors_of(response)[0]
    response = post(client, "xml", api_key="sai", **VALID)
    assert response.status_code == 403 and "không hợp lệ" in errors_of(response, "xml")[0]
    from motcua.feedback.models import ApiKey
    ApiKey.objects.update(is_active=False)
    assert post(client, api_key=api_key, **VALID).status_code == 403
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("change, expected", [
    ({"service_code": ""}, "Thiếu service_code"),
    ({"address_string": ""}, "Thiếu vị trí"),
    ({"address_string": "", "lat": "20.25"}, "Phải gửi cả lat và long"),
    ({"lat": "abc", "long": "105.9"}, "lat “abc” không phải là số"),
    ({"lat": "95", "long": "105.9"}, "lat phải trong khoảng -90 đến 90"),
    ({"description": ""}, "description: Vui lòng trình bày nội dung"),
    ({"description": "x" * 4001}, "tối đa 4000 ký tự"),
    ({"first_name": "", "last_name": ""}, "first_name/last_name: Vui lòng nhập họ tên"),
    ({"phone": "", "email": ""}, "phone: Vui lòng nhập số điện thoại hoặc thư điện tử"),
    ({"phone": "12ab"}, "phone: Số điện thoại phải gồm 10 chữ số"),
    ({"email": "khong-phai-email"}, "email: Địa chỉ thư điện tử không hợp lệ"),
    ({"media_url": "javascript:alert(1)"}, "media_url phải là một địa chỉ http(s)"),
    ({"attribute[PUBLISH_IDENTITY]": "co"}, "attribute[PUBLISH_IDENTITY] “co” không nằm trong danh sách"),
    ({"attribute[PROCEDURE_CODE]": "9.999999 không có"}, "attribute[PROCEDURE_CODE]: Không tìm thấy thủ tục"),
])
def test_malformed_posts_store_nothing(client, api_key, province, change, expected):
    data = {**VALID, "api_key": api_key, **change}
    for fmt in ("json", "xml"):
        response = post(client, fmt, **data)
        assert response.status_code == 400, response.content
        assert any(expected in text for text in errors_of(response, fmt)), errors_of(response, fmt)
    assert not Feedback.objects.exists() and not Notification.objects.exists()


def test_several_errors_are_listed_together(client, api_key, province):
    response = post(client, api_key=api_key, service_code="HSTH", description="ngắn")
    assert response.status_code == 400
    errors = errors_of(response)
    assert len(errors) >= 4
    assert any("Thiếu vị trí" in e for e in errors) and any("DOSSIER_CODE" in e for e in errors)


def test_unknown_service_code_on_post_is_404(client, api_key, province):
    response = post(client, **{**VALID, "api_key": api_key, "service_code": "001"})
    assert response.status_code == 404 and not Feedback.objects.exists()


def test_post_about_a_dossier_and_an_official(client, api_key, received_dossier, agencies):
    data = {**VALID, "api_key": api_key, "service_code": "HSTH", "attribute[DOSSIER_CODE]": received_dossier.code}
    assert post(client, **data).status_code == 201
    assert Feedback.objects.get().dossier == received_dossier
    data = {**VALID, "api_key": api_key, "service_code": "CBCC", "attribute[AGENCY]": JUSTICE,
            "attribute[OFFICIAL_NAME]": "Cán bộ quầy số 2"}
    assert post(client, **data).status_code == 201
    assert Feedback.objects.get(category__code="CBCC").concerned_agency.code == JUSTICE
    bad = {**data, "attribute[AGENCY]": "000.99.99.H42"}
    assert post(client, **bad).status_code == 400


def test_multivalue_attribute_syntax_is_parsed(client, api_key, province):
    data = {**VALID, "api_key": api_key}
    data.pop("attribute[PUBLISH_IDENTITY]")
    data["attribute[PUBLISH_IDENTITY][]"] = ["true", "false"]  # two values for a single-value list
    response = post(client, **data)
    assert response.status_code == 400 and "PUBLISH_IDENTITY" in errors_of(response)[0]


# ---------------------------------------------------------------- GET requests


@pytest.fixture
def three(province, users, agencies):
    """An answered and published one (identity public), an open one, a rejected one; an unverified one."""
    with time_machine.travel(at(2026, 11, 23, 9, 0), tick=False):
        published = verified(submission(publish_identity=True, address="Phường Hoa Lư",
                                        description="Liên hệ 0912345678. Đề nghị bỏ yêu cầu sổ hộ khẩu."))
        pending = verified(submission(description="Niêm yết thủ tục tại quầy số 3 đã cũ, chưa cập nhật.",
                                      category=category("CKTT")))
        rejected = verified(submission(sender_phone="0987000111"))
        services.submit(submission(sender_phone="0987000222"))  # unverified: not listed
    with time_machine.travel(at(2026, 11, 23, 10, 0), tick=False):
        published = services.route(users["tiepnhan.tinh"], published.pk, published.row_version, agencies[JUSTICE])
        pending = services.route(users["tiepnhan.tinh"], pending.pk, pending.row_version, agencies[JUSTICE])
        services.reject(users["tiepnhan.tinh"], rejected.pk, rejected.row_version, "Không thuộc phạm vi xử lý.")
    with time_machine.travel(at(2026, 11, 30, 9, 0), tick=False):
        services.answer(users["thuly.tuphap"], published.pk, published.row_version,
                        "Từ 01/12/2026 không yêu cầu sổ hộ khẩu; gọi 0229 3871 140 nếu cần hỗ trợ.")
    return Feedback.objects.order_by("id")


def test_get_requests_json_with_filters(client, three):
    window = {"start_date": "2026-11-01T00:00:00+07:00", "end_date": "2026-11-30T23:59:59+07:00"}
    rows = get_json(client, f"{BASE}/requests.json", **window)
    assert len(rows) == 3 and all(list(r) == REQUEST_FIELDS for r in rows)
    answered = next(r for r in rows if r["service_request_id"] == three[0].code)
    assert answered["status"] == "closed" and answered["agency_responsible"] == "Sở Tư pháp"
    assert answered["description"] == three[0].description  # sender agreed to publish
    assert answered["status_notes"] == "Từ 01/12/2026 không yêu cầu sổ hộ khẩu; gọi [đã ẩn] nếu cần hỗ trợ."
    assert answered["requested_datetime"] == "2026-11-23T09:00:00+07:00"
    assert answered["updated_datetime"] == "2026-11-30T09:00:00+07:00"
    assert answered["address"] == "Phường Hoa Lư" and answered["zipcode"] is None
    pending = next(r for r in rows if r["service_request_id"] == three[1].code)
    assert pending["status"] == "open" and pending["description"] is None  # not published
    assert pending["expected_datetime"] == "2026-12-03T10:00:00+07:00"
    assert "hạn trả lời 03/12/2026" in pending["status_notes"]
    closed = get_json(client, f"{BASE}/requests.json", status="closed", **window)
    assert {r["service_request_id"] for r in closed} == {three[0].code, three[2].code}
    assert get_json(client, f"{BASE}/requests.json", status="open,closed", **window) == rows
    only = get_json(client, f"{BASE}/requests.json", service_code="CKTT", **window)
    assert [r["service_request_id"] for r in only] == [three[1].code]
    by_id = get_json(client, f"{BASE}/requests.json", service_request_id=f"{three[2].code},{three[0].code},X",
                     status="open")  # ids override the other arguments
    assert {r["service_request_id"] for r in by_id} == {three[0].code, three[2].code}


def test_get_requests_defaults_to_the_last_90_days(client, three):
    with time_machine.travel(at(2026, 12, 10, 9, 0), tick=False):
        assert len(get_json(client, f"{BASE}/requests.json")) == 3
    with time_machine.travel(at(2027, 3, 1, 9, 0), tick=False):
        assert get_json(client, f"{BASE}/requests.json") == []
        assert get_xml(client, f"{BASE}/requests.xml") == {"service_requests": None}


def test_get_requests_xml(client, three):
    xml = get_xml(client, f"{BASE}/requests.xml", start_date="2026-11-01T00:00:00Z",
                  end_date="2026-11-30T00:00:00Z")
    rows = xml["service_requests"]["request"]
    assert len(rows) == 3 and list(rows[0]) == REQUEST_FIELDS


@pytest.mark.parametrize("params, expected", [
    ({"start_date": "23/11/2026"}, "start_date “23/11/2026” không đúng định dạng W3C"),
    ({"start_date": "2026-11-01T00:00:00"}, "không đúng định dạng W3C có múi giờ"),
    ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, "không được quá 90 ngày"),
    ({"start_date": "2026-06-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"}, "start_date phải trước end_date"),
    ({"status": "pending"}, "status “pending” không hợp lệ"),
])
def test_bad_request_queries(client, three, params, expected):
    for fmt in ("json", "xml"):
        response = client.get(f"{BASE}/requests.{fmt}", params)
        assert response.status_code == 400
        assert expected in errors_of(response, fmt)[0]


def test_get_one_request_and_token(client, three):
    rows = get_json(client, f"{BASE}/requests/{three[1].code}.json")
    assert len(rows) == 1 and rows[0]["service_request_id"] == three[1].code
    xml = get_xml(client, f"{BASE}/requests/{three[1].code}.xml")
    assert xml["service_requests"]["request"]["status"] == "open"
    unverified = three.last()
    assert get_json(client, f"{BASE}/requests/{unverified.code}.json")[0]["status_notes"] == \
        "Chờ người gửi xác thực thông tin liên hệ."
    response = client.get(f"{BASE}/requests/PAKN-000000-0000.json")
    assert response.status_code == 404 and "Không tìm thấy service_request_id" in errors_of(response)[0]
    token = get_json(client, f"{BASE}/tokens/{three[0].token}.json")
    assert token == [{"service_request_id": three[0].code, "token": three[0].token}]
    assert client.get(f"{BASE}/tokens/khong-co.xml").status_code == 404


def test_personal_data_stays_private(client, three):
    rows = get_json(client, f"{BASE}/requests.json", start_date="2026-11-01T00:00:00Z",
                    end_date="2026-11-30T00:00:00Z")
    assert "Trần Thị Bích Ngọc" not in json.dumps(rows, ensure_ascii=False)  # names are never in Open311 output
    others = json.dumps([r for r in rows if r["service_request_id"] != three[0].code], ensure_ascii=False)
    assert "0912345678" not in others and "Phường Hoa Lư" not in others


def test_published_content_is_redacted_without_consent(client, three):
    Feedback.objects.filter(pk=three[0].pk).update(publish_identity=False)
    row = get_json(client, f"{BASE}/requests/{three[0].code}.json")[0]
    assert row["description"] == "Liên hệ [đã ẩn]. Đề nghị bỏ yêu cầu sổ hộ khẩu."
    assert row["address"] is None
