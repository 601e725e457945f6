"""Sổ theo dõi hồ sơ (Mẫu số 07): one row per dossier received in the period, as PDF and Excel."""
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from motcua.dossiers import services
from motcua.forms_print import services as forms
from tests.forms_print.conftest import at, pdf_text, reception_for

CENTRE = "000.00.01.H42"
JUSTICE = "000.00.14.H42"
WARD_CENTRE = "000.01.31.H42"


def receive(users, procedure, agencies, moment, name, username="tiepnhan.tinh", receiving=CENTRE):
    applicant = services.Applicant(name=name, id_number="037090009999", phone="0987654321",
                                   address="Thôn Đông, xã Gia Viễn")
    with time_machine.travel(moment, tick=False):
        return services.receive(users[username], reception_for(
            procedure, agencies, applicant=applicant, receiving_agency=agencies[receiving]))


@pytest.fixture
def book(received_dossier, users, procedure, agencies):
    """Dossiers before, inside and after 23–25/11/2026, one received at a ward centre."""
    return {
        "before": receive(users, procedure, agencies, at(2026, 11, 20, 16, 0), "Trần Thị Bích"),
        "monday": received_dossier,
        "wednesday": receive(users, procedure, agencies, at(2026, 11, 25, 23, 59), "Lê Văn Cường"),
        "ward": receive(users, procedure, agencies, at(2026, 11, 25, 10, 0), "Phạm Thị Dung",
                        username="tiepnhan.hoalu", receiving=WARD_CENTRE),
        "after": receive(users, procedure, agencies, at(2026, 11, 26, 0, 0), "Hoàng Văn Em"),
    }


def url(**params):
    return reverse("forms_print:tracking_book") + "?" + "&".join(f"{k}={v}" for k, v in params.items())


def test_pdf_lists_the_period_of_the_receiving_centre_only(client_for, users, book):
    response = client_for(users["tiepnhan.tinh"]).get(url(agency=CENTRE, **{"from": "23/11/2026", "to": "25/11/2026"}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="so-theo-doi-{CENTRE}-20261123-20261125.pdf"'
    text = pdf_text(response.content)
    for part in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Mẫu số 07",
                 "SỔ THEO DÕI HỒ SƠ", "Từ ngày 23/11/2026 đến ngày 25/11/2026",
                 "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH NINH BÌNH", "Ngày hẹn trả kết quả"):
        assert part in text, part
    for key in ("monday", "wednesday"):
        assert book[key].code in text and book[key].applicant_name in text
    for key in ("before", "after", "ward"):
        assert book[key].code not in text and book[key].applicant_name not in text
    assert "08/12/2026" in text  # the Monday dossier's appointment
    assert "Tổng số: 2 hồ sơ." in text


def test_xlsx_of_the_competent_agency_includes_other_centres(client_for, users, book):
    response = client_for(users["thuly.tuphap"]).get(
        url(agency=JUSTICE, **{"from": "23/11/2026", "to": "25/11/2026", "format": "xlsx"}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f'attachment; filename="so-theo-doi-{JUSTICE}-20261123-20261125.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header_index = next(i for i, row in enumerate(rows) if row[0] == "STT")
    assert list(rows[header_index]) == [str(c) for c in forms.TRACKING_BOOK_COLUMNS]
    data = rows[header_index + 1:]
    assert [r[1] for r in data] == [book["monday"].code, book["ward"].code, book["wednesday"].code]
    assert [r[0] for r in data] == [1, 2, 3]
    monday = data[0]
    assert monday[2] == "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam"
    assert monday[4] == "Nguyễn Văn An" and "0912345678" in monday[5]
    assert monday[6] == "Sở Tư pháp" and monday[7] == "23/11/2026" and monday[8] == "08/12/2026"
    assert any(row[0] == "SỔ THEO DÕI HỒ SƠ" for row in rows[:header_index])


def test_rejected_records_are_not_in_the_book(client_for, users, procedure, agencies, received_dossier):
    with time_machine.travel(at(2026, 11, 23, 11, 0), tick=False):
        services.refuse_at_reception(users["tiepnhan.tinh"], reception_for(procedure, agencies),
                                     "Không thuộc thẩm quyền")
    query = forms.parse_tracking_book_params({"agency": CENTRE, "from": "23/11/2026", "to": "23/11/2026"})
    rows = forms.tracking_book_context(query)["rows"]
    assert [r[1] for r in rows] == [received_dossier.code]


def test_reader_must_read_the_agency(client_for, users, book):
    response = client_for(users["tiepnhan.tinh"]).get(url(agency=JUSTICE, **{"from": "23/11/2026",
                                                                             "to": "25/11/2026"}))
    assert response.status_code == 403
    assert "Bạn không có quyền xem sổ theo dõi hồ sơ của Sở Tư pháp" in response.content.decode()


@pytest.mark.parametrize("params, message", [
    ({"from": "23/11/2026", "to": "25/11/2026"}, "Vui lòng chọn cơ quan"),
    ({"agency": "000.99.99.H42", "from": "23/11/2026", "to": "25/11/2026"}, "Không tìm thấy cơ quan có mã “000.99.99.H42”"),
    ({"agency": CENTRE, "from": "2026-11-23", "to": "25/11/2026"}, "Ngày bắt đầu “2026-11-23” không đúng định dạng dd/mm/yyyy"),
    ({"agency": CENTRE, "from": "23/11/2026", "to": "31/02/2026"}, "Ngày kết thúc “31/02/2026” không đúng định dạng"),
    ({"agency": CENTRE, "from": "23/11/2026"}, "Vui lòng nhập ngày kết thúc theo dạng dd/mm/yyyy"),
    ({"agency": CENTRE, "from": "26/11/2026", "to": "25/11/2026"},
     "Ngày bắt đầu (26/11/2026) phải trước hoặc trùng ngày kết thúc (25/11/2026)"),
    ({"agency": CENTRE, "from": "23/11/2026", "to": "25/11/2026", "format": "doc"}, "chọn pdf hoặc xlsx"),
])
def test_bad_parameters_give_400_in_vietnamese(client_for, users, province, params, message):
    response = client_for(users["tiepnhan.tinh"]).get(url(**params))
    assert response.status_code == 400
    assert message in response.content.decode()


def test_too_many_rows_for_a_pdf_suggests_excel(client_for, users, received_dossier, monkeypatch):
    monkeypatch.setattr(forms, "TRACKING_BOOK_PDF_MAX_ROWS", 0)
    response = client_for(users["tiepnhan.tinh"]).get(url(agency=CENTRE, **{"from": "23/11/2026",
                                                                           "to": "23/11/2026"}))
    assert response.status_code == 400
    assert "tải tệp Excel" in response.content.decode()


def test_book_query_count_does_not_grow_with_dossiers(client_for, users, procedure, agencies, received_dossier,
                                                      django_assert_max_num_queries):
    for hour in range(8, 16):
        receive(users, procedure, agencies, at(2026, 11, 25, hour, 30), f"Người nộp {hour}")
    client = client_for(users["tiepnhan.tinh"])
    with django_assert_max_num_queries(10):
        response = client.get(url(agency=CENTRE, **{"from": "23/11/2026", "to": "25/11/2026", "format": "xlsx"}))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sum(1 for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int)) == 9
