from motcua.text import fold


def test_fold_ignores_diacritics_and_maps_d_stroke():
    assert fold("Đăng ký  khai sinh") == "dang ky khai sinh"
    assert fold("ĐỒNG THÁP") == "dong thap"
    assert fold(None) == ""


def test_health_endpoint_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_home_page_is_vietnamese(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "Cổng dịch vụ công" in response.content.decode()
