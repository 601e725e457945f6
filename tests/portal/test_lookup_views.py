"""/tra-cuu/: the public lookup page over HTTP (QR prefill, generic refusal, throttle, no personal data)."""
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.forms_print.render import lookup_url
from tests.portal.lookup_fixtures import *  # noqa: F401,F403
from tests.portal.lookup_fixtures import PHONE_DIGITS

URL = "/tra-cuu/"
PRIVATE = ("Nguyễn Văn An", "037090001234", "0912345678", "an.nguyen@example.vn", "Số 5 phố Lê Lợi",
           "Đỗ Quang Vinh", "Lê Thị Hồng Nhung", "Nguyễn Thị Thu Hà", "Đủ điều kiện cấp phiếu", "1234/STP-LLTP")


def body(response):
    return response.content.decode()


def test_qr_link_prefills_the_code_and_asks_for_the_digits(client, received_dossier, settings):
    printed = lookup_url(received_dossier.code)
    assert printed.startswith(settings.PUBLIC_BASE_URL)
    response = client.get(printed[len(settings.PUBLIC_BASE_URL):])
    assert response.status_code == 200
    html = body(response)
    assert f'value="{received_dossier.code}"' in html
    assert re.search(r'id="lookup-so"[^>]*autofocus', html)
    assert '<label class="form-label fw-semibold" for="lookup-so">4 số cuối điện thoại người nộp</label>' in html
    assert 'lang="vi"' in html


def test_qr_link_prefill_needs_no_database(client, received_dossier):
    with CaptureQueriesContext(connection) as queries:
        client.get(URL, {"ma": received_dossier.code})
    assert len(queries) == 0


def test_right_pair_shows_status_due_date_and_timeline_without_personal_data(client, returned_dossier):
    response = client.post(URL, {"ma": returned_dossier.code, "so": PHONE_DIGITS})
    assert response.status_code == 200
    html = body(response)
    assert "Đã trả kết quả" in html
    assert returned_dossier.appointment_at.astimezone().strftime("%d/%m/%Y") in html
    assert "Hẹn trả kết quả" in html and "Phát hành kết quả" in html and "Trả kết quả" in html
    for private in PRIVATE:
        assert private not in html, private
    assert "Đánh giá mức độ hài lòng" in html
    assert response.headers.get("Cache-Control") is None or "public" not in response.headers["Cache-Control"]


def test_the_page_sends_the_form_with_htmx_and_gets_only_the_panel(client, received_dossier):
    page = body(client.get(URL, {"ma": received_dossier.code}))
    assert 'hx-post="/tra-cuu/"' in page and 'hx-target="#lookup-panel"' in page and 'id="lookup-panel"' in page
    assert '"400|404|429", "swap": true' in page  # refusals replace the panel too
    found = client.post(URL, {"ma": received_dossier.code, "so": PHONE_DIGITS}, HTTP_HX_REQUEST="true")
    assert found.status_code == 200 and "<html" not in body(found) and 'id="dossier-status"' in body(found)
    assert "Nguyễn Văn An" not in body(found)
    wrong = client.post(URL, {"ma": received_dossier.code, "so": "0000"}, HTTP_HX_REQUEST="true")
    assert wrong.status_code == 404 and "<html" not in body(wrong) and 'id="lookup-error"' in body(wrong)
    assert f'value="{received_dossier.code}"' in body(wrong)  # the form again, code kept


def test_right_pair_is_one_query_and_no_session(client, received_dossier):
    client.post(URL, {"ma": received_dossier.code, "so": PHONE_DIGITS})  # loads the public names once
    with CaptureQueriesContext(connection) as queries:
        response = client.post(URL, {"ma": received_dossier.code, "so": PHONE_DIGITS})
    assert response.status_code == 200
    assert len(queries) == 1
    assert "sessionid" not in response.cookies


@pytest.mark.parametrize("case", ["wrong_digits", "unknown_code", "no_phone"])
def test_every_wrong_pair_gets_the_same_page(client, received_dossier, case):
    code, digits = received_dossier.code, "1111"
    if case == "unknown_code":
        code, digits = received_dossier.code[:-4] + "9999", PHONE_DIGITS
    elif case == "no_phone":
        Dossier.objects.filter(pk=received_dossier.pk).update(applicant_phone="")
    response = client.post(URL, {"ma": code, "so": digits})
    assert response.status_code == 404
    html = body(response)
    message = re.search(r'id="lookup-error">([^<]*)<', html).group(1)
    assert message.startswith("Không tìm thấy hồ sơ khớp với mã hồ sơ và 4 số cuối điện thoại")
    assert "Đã tiếp nhận" not in html and "Quá trình giải quyết" not in html
    # The page is the same whatever went wrong (only the echoed code differs).
    assert len(html.replace(code, "")) == len(
        body(client.post(URL, {"ma": "000.00.00.H00-000000-0000", "so": "0000"})).replace(
            "000.00.00.H00-000000-0000", ""))


def test_malformed_digits_are_explained_on_the_field(client, received_dossier):
    response = client.post(URL, {"ma": received_dossier.code, "so": "56"})
    assert response.status_code == 400
    assert "Vui lòng nhập đúng 4 chữ số cuối" in body(response)
    assert 'aria-describedby="lookup-so-help lookup-so-error"' in body(response)


def test_throttle_blocks_a_client_after_wrong_pairs_with_a_vietnamese_message(client, received_dossier, settings):
    settings.PUBLIC_LOOKUP_THROTTLE = "3/15m"
    for digits in ("0001", "0002", "0003"):
        assert client.post(URL, {"ma": received_dossier.code, "so": digits}).status_code == 404
    blocked = client.post(URL, {"ma": received_dossier.code, "so": PHONE_DIGITS})
    assert blocked.status_code == 429
    assert 0 < int(blocked["Retry-After"]) <= 901
    assert "Ông/bà đã nhập sai quá nhiều lần" in body(blocked) and "Đã tiếp nhận" not in body(blocked)
    # Another address is still served; a forged X-Forwarded-For does not escape the throttle.
    assert client.post(URL, {"ma": received_dossier.code, "so": PHONE_DIGITS},
                       REMOTE_ADDR="198.51.100.20").status_code == 200
    assert client.post(URL, {"ma": received_dossier.code, "so": PHONE_DIGITS},
                       HTTP_X_FORWARDED_FOR="198.51.100.21").status_code == 429


def test_throttled_client_causes_no_query(client, received_dossier, settings):
    settings.PUBLIC_LOOKUP_THROTTLE = "1/15m"
    client.post(URL, {"ma": received_dossier.code, "so": "0000"})
    with CaptureQueriesContext(connection) as queries:
        assert client.post(URL, {"ma": received_dossier.code, "so": PHONE_DIGITS}).status_code == 429
    assert len(queries) == 0


def test_staff_scanning_the_qr_of_a_returned_dossier_get_the_counter_tablet(client, returned_dossier, users):
    client.force_login(users["tiepnhan.tinh"])
    html = body(client.get(URL, {"ma": returned_dossier.code}))
    assert reverse("portal:rate_counter", args=[returned_dossier.code]) in html
    client.force_login(users["thuly.tuphap"])  # not a receiver of the receiving centre
    assert "tai-quay" not in body(client.get(URL, {"ma": returned_dossier.code}))


def test_lookup_page_is_linked_from_the_portal(client, db):
    html = body(client.get("/"))
    assert f'href="{URL}"' in html
