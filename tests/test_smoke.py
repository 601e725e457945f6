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


def test_navigation_bar_is_cached_for_visitors_only(client, django_user_model, db):
    """The anonymous bar is rendered once per process; a signed-in user never gets it."""
    from django.core.cache import caches

    caches["fragments"].clear()
    for _ in range(2):
        page = client.get("/").content.decode()
        assert "Đăng nhập" in page and "Đăng xuất" not in page
    user = django_user_model.objects.create_user("nguoidung", password="x")
    client.force_login(user)
    page = client.get("/").content.decode()
    assert "Đăng xuất" in page and ">Đăng nhập<" not in page
