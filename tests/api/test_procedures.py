from decimal import Decimal

import pytest

from tests.catalog.factories import commune_committee, information_only, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    commune = commune_committee(1, "Phường Hoa Lư")
    published(procedure__code="1.001193", name="Đăng ký khai sinh", levels=["commune"], agencies=[commune],
              time_value=Decimal("1"))
    published(procedure__code="1.009972", name="Cấp giấy phép xây dựng", field__code="XAYDUNG",
              field__name="Hoạt động xây dựng", fee_amount=150000, time_value=Decimal("20"),
              online_level=information_only())


def test_list_searches_without_diacritics(client, catalogue):
    data = client.get("/api/v1/procedures", {"q": "dang ky khai sinh"}).json()
    assert data["count"] == 1
    item = data["results"][0]
    assert item["code"] == "1.001193"
    assert item["name"] == "Đăng ký khai sinh"
    assert item["levels"] == ["commune"]
    assert item["agencies"] == [{"code": "000.01.30.H42", "name": "Ủy ban nhân dân Phường Hoa Lư"}]
    assert item["time_unit_display"] == "ngày làm việc"
    assert item["url"] == "http://testserver/thu-tuc/1.001193/"


def test_list_filters_and_paginates(client, catalogue):
    assert client.get("/api/v1/procedures").json()["count"] == 2
    data = client.get("/api/v1/procedures", {"field": "XAYDUNG"}).json()
    assert [r["code"] for r in data["results"]] == ["1.009972"]
    assert [r["code"] for r in client.get("/api/v1/procedures", {"level": "commune"}).json()["results"]] \
        == ["1.001193"]
    assert [r["code"] for r in client.get("/api/v1/procedures", {"online_level": "2"}).json()["results"]] \
        == ["1.009972"]
    assert [r["code"] for r in client.get("/api/v1/procedures",
                                          {"agency": "000.01.30.H42"}).json()["results"]] == ["1.001193"]
    page = client.get("/api/v1/procedures", {"limit": 1, "offset": 1}).json()
    assert page["count"] == 2 and len(page["results"]) == 1 and page["previous"]


@pytest.mark.parametrize("params, key, message", [
    ({"field": "KHONGCO"}, "field", "Không có lĩnh vực có mã “KHONGCO”."),
    ({"agency": "000.99.99.H42"}, "agency", "Không có cơ quan có mã “000.99.99.H42”."),
    ({"level": "bo"}, "level", "Cấp thực hiện “bo” không hợp lệ (chỉ nhận: province, district, commune)."),
    ({"online_level": "9"}, "online_level", "Không có mức độ dịch vụ công trực tuyến có mã “9”."),
])
def test_unknown_filter_values_are_400_in_vietnamese(client, catalogue, params, key, message):
    response = client.get("/api/v1/procedures", params)
    assert response.status_code == 400
    assert response.json() == {key: [message]}


def test_detail_has_documents_and_steps(client, catalogue):
    data = client.get("/api/v1/procedures/1.009972").json()
    assert data["name"] == "Cấp giấy phép xây dựng"
    assert data["fee_amount"] == 150000
    assert [d["name"] for d in data["documents"]] == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
    assert [(s["order"], s["budget"]) for s in data["steps"]] == [(1, "0.50"), (2, "19.00"), (3, "0.50")]
    assert data["decision"]["number"].endswith("/QĐ-UBND")


def test_detail_of_unknown_code_is_404_in_vietnamese(client, catalogue):
    response = client.get("/api/v1/procedures/9.999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy thủ tục hành chính có mã “9.999999”."}


def test_schema_documents_the_endpoints(client, db):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/procedures/{code}" in schema
    assert "online_level" in schema
