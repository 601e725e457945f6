import re
from decimal import Decimal

import pytest

from motcua.catalog import services
from motcua.orgs.models import AdminUnit
from tests.catalog.factories import (
    AgencyFactory, DecisionFactory, VersionFactory, commune_committee, information_only, province_centre,
    published,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    commune = commune_committee(1, "Phường Hoa Lư")
    birth = published(procedure__code="1.001193", name="Đăng ký khai sinh", levels=["commune"],
                      agencies=[commune], time_value=Decimal("1"))
    permit = published(procedure__code="1.009972", name="Cấp giấy phép xây dựng", field__code="XAYDUNG",
                       field__name="Hoạt động xây dựng", fee_amount=150000, time_value=Decimal("20"),
                       online_level=information_only(), postal_return=False)
    return birth, permit


def text(response):
    return response.content.decode()


def test_home_has_a_labelled_search_box_that_leads_to_the_catalogue(client, catalogue):
    page = text(client.get("/"))
    assert '<label class="form-label" for="home-q">' in page
    assert 'action="/thu-tuc/"' in page
    assert "Đang công khai 2 thủ tục hành chính" in page
    assert "Hoạt động xây dựng" in page and "?field=XAYDUNG" in page


def test_catalogue_search_ignores_diacritics(client, catalogue):
    for q in ("dang ky khai sinh", "ĐĂNG KÝ", "khai sinh dang"):
        page = text(client.get("/thu-tuc/", {"q": q}))
        assert "Tìm thấy 1 thủ tục" in page, q
        assert 'href="/thu-tuc/1.001193/"' in page
        assert "Cấp giấy phép xây dựng" not in page


def test_catalogue_filters_and_count(client, catalogue):
    page = text(client.get("/thu-tuc/"))
    assert "Tìm thấy 2 thủ tục" in page
    page = text(client.get("/thu-tuc/", {"field": "XAYDUNG"}))
    assert "Tìm thấy 1 thủ tục" in page and "Cấp giấy phép xây dựng" in page
    page = text(client.get("/thu-tuc/", {"level": "commune"}))
    assert "Đăng ký khai sinh" in page and "Cấp giấy phép xây dựng" not in page
    page = text(client.get("/thu-tuc/", {"agency": "000.01.30.H42"}))
    assert "Đăng ký khai sinh" in page and "Cấp giấy phép xây dựng" not in page
    page = text(client.get("/thu-tuc/", {"online_level": "2"}))
    assert "Cấp giấy phép xây dựng" in page and "Đăng ký khai sinh" not in page


def test_catalogue_says_when_nothing_is_found(client, catalogue):
    page = text(client.get("/thu-tuc/", {"q": "khai tu"}))
    assert "Tìm thấy 0 thủ tục" in page
    assert "Không tìm thấy thủ tục nào phù hợp" in page


def test_catalogue_refuses_unknown_filter_in_vietnamese(client, catalogue):
    response = client.get("/thu-tuc/", {"field": "KHONGCO"})
    assert response.status_code == 400
    assert "Không có lĩnh vực có mã “KHONGCO”." in text(response)


def test_catalogue_paginates_and_keeps_the_query(client, catalogue):
    for n in range(25):
        published(name=f"Thủ tục hộ tịch số {n:02d}")
    page = text(client.get("/thu-tuc/", {"q": "ho tich"}))
    assert "Tìm thấy 25 thủ tục" in page
    assert "Trang 1/2" in page
    assert 'href="?q=ho+tich&amp;page=2"' in page
    page2 = text(client.get("/thu-tuc/", {"q": "ho tich", "page": 2}))
    assert "Thủ tục hộ tịch số 24" in page2 and "Thủ tục hộ tịch số 00" not in page2
    assert client.get("/thu-tuc/", {"page": "abc"}).status_code == 200


def test_catalogue_answers_htmx_with_only_the_results(client, catalogue):
    response = client.get("/thu-tuc/", {"q": "khai sinh"}, HTTP_HX_REQUEST="true")
    page = text(response)
    assert page.lstrip().startswith('<section id="results"')
    assert "<html" not in page


def test_every_catalogue_input_has_a_label(client, catalogue):
    page = text(client.get("/thu-tuc/"))
    ids = re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', page)
    assert ids
    for element_id in ids:
        assert f'for="{element_id}"' in page, element_id


def test_headings_are_in_order(client, catalogue):
    for url in ("/", "/thu-tuc/", "/thu-tuc/1.001193/", "/thu-tuc/1.001193/nop-truc-tuyen/"):
        levels = [int(h) for h in re.findall(r"<h([1-6])", text(client.get(url)))]
        assert levels[0] == 1, url
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), (url, levels)


def test_procedure_page_has_what_a_citizen_needs(client, catalogue):
    province_centre()
    page = text(client.get("/thu-tuc/1.009972/"))
    assert "<h1 class=\"h3\">Cấp giấy phép xây dựng</h1>" in page
    assert "20 ngày làm việc" in page
    assert "150.000 đồng" in page
    assert "Tờ khai đăng ký khai sinh" in page  # factory documents
    assert "Giấy khai sinh" in page  # result
    assert "Luật Hộ tịch năm 2014" in page
    assert "Thẩm định, giải quyết" in page  # internal steps
    assert "0,5 ngày làm việc" in page and "19 ngày làm việc" in page
    assert "Trung tâm Phục vụ hành chính công tỉnh Ninh Bình" in page
    assert "Có thể gửi hồ sơ qua dịch vụ bưu chính công ích." in page
    assert "Kết quả được trả tại nơi nộp hồ sơ" in page
    # Level 2 (information only): no online submission button.
    assert "Nộp hồ sơ trực tuyến</a>" not in page
    assert "chưa nhận hồ sơ trực tuyến" in page


def test_online_submission_link_only_when_the_level_allows_it(client, catalogue):
    page = text(client.get("/thu-tuc/1.001193/"))
    assert 'href="/thu-tuc/1.001193/nop-truc-tuyen/">Nộp hồ sơ trực tuyến</a>' in page
    info = text(client.get("/thu-tuc/1.001193/nop-truc-tuyen/"))
    assert "cần có tài khoản" in info
    assert "Tờ khai đăng ký khai sinh" in info
    denied = text(client.get("/thu-tuc/1.009972/nop-truc-tuyen/"))
    assert "hiện không nhận hồ sơ trực tuyến" in denied


def test_unknown_or_unpublished_procedure_is_404(client, catalogue):
    assert client.get("/thu-tuc/9.999999/").status_code == 404
    draft = VersionFactory(procedure__code="1.000001")
    assert client.get(f"/thu-tuc/{draft.procedure.code}/").status_code == 404


def test_abolished_procedure_is_not_listed_but_its_page_says_so(client, catalogue):
    birth, _permit = catalogue
    services.abolish(birth.procedure, DecisionFactory(number="500/QĐ-UBND"))
    assert "Đăng ký khai sinh" not in text(client.get("/thu-tuc/"))
    page = text(client.get("/thu-tuc/1.001193/"))
    assert "đã bị bãi bỏ theo Quyết định số 500/QĐ-UBND" in page
    assert "Nộp hồ sơ trực tuyến</a>" not in page


def test_mobile_viewport_and_responsive_tables(client, catalogue):
    page = text(client.get("/thu-tuc/1.001193/"))
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page
    assert "table-responsive" in page


def test_agency_filter_lists_only_agencies_with_published_procedures(client, catalogue):
    AgencyFactory(code="000.00.99.H42", name="Sở không có thủ tục")
    page = text(client.get("/thu-tuc/"))
    assert "Ủy ban nhân dân Phường Hoa Lư" in page
    assert "Sở không có thủ tục" not in page
    assert str(AdminUnit.Level.DISTRICT.label) not in page


def test_amounts_use_vietnamese_notation_whatever_the_browser_language(client, catalogue):
    page = text(client.get("/thu-tuc/1.009972/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))
    assert "150.000 đồng" in page
    assert "0,5 ngày làm việc" in page
