"""POST /api/v1/dossiers/lookup: the public lookup through the REST API, documented in the schema."""
import datetime

import pytest

from tests.portal.lookup_fixtures import *  # noqa: F401,F403
from tests.portal.lookup_fixtures import PHONE_DIGITS

URL = "/api/v1/dossiers/lookup"


def test_right_pair_returns_public_fields_only(client, returned_dossier):
    response = client.post(URL, {"code": returned_dossier.code, "phone_last4": PHONE_DIGITS},
                           content_type="application/json")
    assert response.status_code == 200
    data = response.json()
    assert data["code"] == returned_dossier.code and data["status"] == "returned" and data["can_rate"] is True
    assert datetime.datetime.fromisoformat(data["appointment_at"]) == returned_dossier.appointment_at
    assert [m["label"] for m in data["milestones"]][-1] == "Trả kết quả"
    text = response.content.decode()
    for private in ("Nguyễn Văn An", "037090001234", "0912345678", "an.nguyen", "Lê Lợi", "Đỗ Quang Vinh"):
        assert private not in text


@pytest.mark.parametrize("payload", [{"phone_last4": "0000"}, {"code_suffix": "9999"}])
def test_wrong_pair_and_unknown_code_get_the_same_404(client, received_dossier, payload):
    code = received_dossier.code
    if "code_suffix" in payload:
        code = code[:-4] + payload["code_suffix"]
    response = client.post(URL, {"code": code, "phone_last4": payload.get("phone_last4", PHONE_DIGITS)},
                           content_type="application/json")
    assert response.status_code == 404
    assert set(response.json()) == {"error"}
    assert response.json()["error"].startswith("Không tìm thấy hồ sơ khớp")


def test_malformed_body_is_a_400_per_field(client, db):
    response = client.post(URL, {"code": "", "phone_last4": "12"}, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"code", "phone_last4"}
    assert client.post(URL, "[1, 2]", content_type="application/json").status_code == 400


def test_wrong_pairs_are_throttled_with_retry_after_and_shared_with_the_page(client, received_dossier, settings):
    settings.PUBLIC_LOOKUP_THROTTLE = "3/15m"
    client.post("/tra-cuu/", {"ma": received_dossier.code, "so": "0001"})  # one wrong pair on the page
    for digits in ("0002", "0003"):
        assert client.post(URL, {"code": received_dossier.code, "phone_last4": digits},
                           content_type="application/json").status_code == 404
    blocked = client.post(URL, {"code": received_dossier.code, "phone_last4": PHONE_DIGITS},
                          content_type="application/json")
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert "nhập sai quá nhiều lần" in blocked.json()["detail"]
    assert client.post("/tra-cuu/", {"ma": received_dossier.code, "so": PHONE_DIGITS}).status_code == 429


def test_lookup_is_documented_in_the_openapi_schema(client, db):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/dossiers/lookup"]["post"]
    assert operation["operationId"] == "dossier_lookup"
    assert {"200", "400", "404", "429"} <= set(operation["responses"])
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    assert set(schema["components"]["schemas"][body]["properties"]) == {"code", "phone_last4"}
