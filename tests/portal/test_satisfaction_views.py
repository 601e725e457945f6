"""Rating pages (online after the lookup check, counter tablet) and the public figures over HTTP."""
import re

import pytest
from django.urls import reverse

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.portal import lookup
from motcua.portal.models import SatisfactionRating
from tests.portal.lookup_fixtures import *  # noqa: F401,F403
from tests.portal.lookup_fixtures import PHONE_DIGITS

CORE = ["time", "agencies", "contacts", "information", "conduct", "lawful", "extra_cost"]


def answers(level="2", **extra):
    data = {name: level for name in CORE}
    data.update(overall=level, feedback="", comment="")
    data.update(extra)
    return data


def body(response):
    return response.content.decode()


def rate_url(dossier, token=True):
    url = reverse("portal:rate", args=[dossier.code])
    return url + "?t=" + lookup.rating_token(dossier.pk) if token else url


def test_lookup_result_links_to_the_rating_page_which_records_one_rating(client, returned_dossier):
    html = body(client.post("/tra-cuu/", {"ma": returned_dossier.code, "so": PHONE_DIGITS}))
    link = re.search(r'href="(/danh-gia/[^"]+)"', html).group(1).replace("&amp;", "&")
    page = client.get(link)
    assert page.status_code == 200
    html = body(page)
    assert "Thời gian trả kết quả so với thời hạn đã hẹn" in html and "Rất hài lòng" in html
    assert "Chất lượng dịch vụ công trực tuyến" not in html  # counter dossier
    assert "Nguyễn Văn An" not in html and "0912345678" not in html
    token = re.search(r'name="t" value="([^"]+)"', html).group(1)
    done = client.post(link.split("?")[0], dict(answers("3"), t=token, comment="Nhanh, đúng hẹn"))
    assert done.status_code == 200 and "Cảm ơn ông/bà đã đánh giá" in body(done)
    rating = SatisfactionRating.objects.get()
    assert (rating.overall, rating.channel, rating.comment) == (3, "online", "Nhanh, đúng hẹn")
    # The lookup now says it is rated and offers no second rating.
    html = body(client.post("/tra-cuu/", {"ma": returned_dossier.code, "so": PHONE_DIGITS}))
    assert "Hồ sơ đã được đánh giá mức độ hài lòng" in html and "/danh-gia/" not in html
    assert "Người nộp đánh giá mức độ hài lòng" in html


def test_second_rating_is_refused_with_a_message_and_nothing_changes(client, returned_dossier):
    url = rate_url(returned_dossier)
    assert client.post(url, answers("3")).status_code == 200
    again = client.post(url, answers("1", comment="Đổi ý"))
    assert again.status_code == 409
    assert "đã được đánh giá lúc" in body(again) and "chỉ được đánh giá một lần" in body(again)
    rating = SatisfactionRating.objects.get()
    assert rating.overall == 3 and rating.comment == ""
    assert DossierEvent.objects.filter(action="satisfaction_rated").count() == 1
    # Opening the page again says so straight away.
    assert "chỉ được đánh giá một lần" in body(client.get(url))


def test_missing_answers_are_shown_per_question_and_kept(client, returned_dossier):
    data = answers("2")
    del data["conduct"]
    response = client.post(rate_url(returned_dossier), data)
    assert response.status_code == 400
    html = body(response)
    assert "Phiếu đánh giá chưa đầy đủ" in html
    assert re.search(r'id="err-conduct">Vui lòng chọn một mức đánh giá', html)
    assert re.search(r'id="time-2" value="2"[^>]*checked', html)  # earlier answers kept
    assert not SatisfactionRating.objects.exists()


def test_rating_without_proof_asks_for_the_digits_first(client, returned_dossier):
    url = rate_url(returned_dossier, token=False)
    page = client.get(url)
    assert page.status_code == 200 and 'name="step" value="verify"' in body(page)
    assert client.post(url, answers("3")).status_code == 200  # re-shows the check, records nothing
    assert not SatisfactionRating.objects.exists()
    wrong = client.post(url, {"step": "verify", "so": "0000"})
    assert wrong.status_code == 404 and "Không tìm thấy hồ sơ khớp" in body(wrong)
    right = client.post(url, {"step": "verify", "so": PHONE_DIGITS})
    assert right.status_code == 302 and "?t=" in right["Location"]
    assert "Thái độ, cách ứng xử của cán bộ, công chức" in body(client.get(right["Location"]))


def test_a_token_for_another_dossier_or_forged_gives_no_right(client, returned_dossier, procedure, agencies, users):
    from motcua.dossiers import services
    from tests.dossiers.conftest import reception_for
    another = services.receive(users["tiepnhan.tinh"], reception_for(procedure, agencies))
    other = reverse("portal:rate", args=[returned_dossier.code]) + "?t=" + lookup.rating_token(another.pk)
    assert 'name="step" value="verify"' in body(client.get(other))
    forged = reverse("portal:rate", args=[returned_dossier.code]) + "?t=" + str(returned_dossier.pk)
    assert 'name="step" value="verify"' in body(client.get(forged))
    client.post(forged, answers("1"))
    assert not SatisfactionRating.objects.exists()


def test_applicant_signed_in_rates_from_their_account(client, returned_dossier, users):
    citizen = users["tiepnhan.tinh"].__class__.objects.create(username="congdan.an", full_name="Nguyễn Văn An")
    Dossier.objects.filter(pk=returned_dossier.pk).update(applicant_user=citizen)
    client.force_login(citizen)
    url = rate_url(returned_dossier, token=False)
    assert "Gửi đánh giá" in body(client.get(url))
    assert client.post(url, answers("2")).status_code == 200
    event = DossierEvent.objects.get(action="satisfaction_rated")
    assert event.actor == citizen


def test_dossier_not_yet_returned_cannot_be_rated(client, received_dossier):
    url = rate_url(received_dossier)
    assert "chưa trả kết quả" in body(client.get(url))
    response = client.post(url, answers("3"))
    assert response.status_code == 400 and "chưa trả kết quả" in body(response)
    assert not SatisfactionRating.objects.exists()


def test_counter_tablet_for_the_receiving_official(client, returned_dossier, users):
    url = reverse("portal:rate_counter", args=[returned_dossier.code])
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(users["thuly.tuphap"])
    assert client.get(url).status_code == 403
    client.force_login(users["tiepnhan.tinh2"])
    page = client.get(url)
    assert page.status_code == 200 and "mc-rating-big" in body(page) and "mc-tablet" in body(page)
    assert client.post(url, answers("3")).status_code == 200
    rating = SatisfactionRating.objects.get()
    assert rating.channel == "counter" and rating.recorded_by == users["tiepnhan.tinh2"]
    again = client.post(url, answers("1"))
    assert again.status_code == 409 and "chỉ được đánh giá một lần" in body(again)


def test_desk_links_the_counter_tablet_for_a_returned_dossier(client, returned_dossier, users):
    client.force_login(users["tiepnhan.tinh"])
    html = body(client.get(reverse("dossiers:detail", args=[returned_dossier.pk])))
    assert reverse("portal:rate_counter", args=[returned_dossier.code]) in html


def test_published_figures_per_agency_without_personal_data(client, returned_dossier):
    client.post(rate_url(returned_dossier), answers("1", comment="Ông Nguyễn Văn An phải chờ lâu"))
    page = client.get("/muc-do-hai-long/", {"tu": "01/11/2026", "den": "31/12/2026"})
    assert page.status_code == 200
    html = body(page)
    assert "Sở Tư pháp" in html and "0,0%" in html and "Chưa đạt" in html
    assert "Nguyễn Văn An" not in html and "chờ lâu" not in html
    assert "Toàn tỉnh: 1 phiếu đánh giá" in html
    empty = body(client.get("/muc-do-hai-long/", {"tu": "01/01/2025", "den": "31/12/2025"}))
    assert "Chưa có phiếu đánh giá nào trong khoảng thời gian này" in empty


@pytest.mark.parametrize("params, message", [({"tu": "31/02/2026"}, "không đúng định dạng dd/mm/yyyy"),
                                             ({"tu": "31/12/2026", "den": "01/12/2026"}, "Ngày bắt đầu phải trước"),
                                             ({"co_quan": "000.99.99.H00"}, "Không tìm thấy cơ quan")])
def test_bad_filters_are_explained(client, db, params, message):
    response = client.get("/muc-do-hai-long/", params)
    assert response.status_code == 400 and message in body(response)
