"""The staff desk through HTTP: queue, counter reception, dossier page and every action.

A refused action must show its Vietnamese message and leave the dossier exactly as it was,
so these tests compare the dossier's status and row_version before and after.
"""
import time_machine
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.dossiers import services
from motcua.dossiers.models import (
    ApologyLetter, Consultation, Dossier, DossierDocument, DossierEvent, StaffAlert, Status, StepStatus,
)
from motcua.orgs.models import Role, User
from tests.dossiers.conftest import MONDAY_9AM, at, reception_for

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
CENTRE, JUSTICE, CONSTRUCTION = "000.00.01.H42", "000.00.14.H42", "000.00.12.H42"


def login(client, users, username):
    client.force_login(users[username])
    return client


def text(response):
    return response.content.decode()


def action_url(dossier, name):
    return reverse("dossiers:action", args=[dossier.pk, name])


def reload(dossier):
    """refresh_from_db() for a dossier (django-fsm protects the status field from plain assignment)."""
    fresh = Dossier.objects.get(pk=dossier.pk)
    dossier.__dict__.update({k: v for k, v in fresh.__dict__.items() if k != "_state"})
    return dossier


def snapshot(dossier):
    reload(dossier)
    return (dossier.status, dossier.row_version, dossier.events.count(),
            list(dossier.steps.order_by("order").values_list("status", flat=True)))


def post_action(client, dossier, name, **data):
    reload(dossier)
    data.setdefault("row_version", dossier.row_version)
    return client.post(action_url(dossier, name), data)


def reception_post(version, agencies, **overrides):
    data = {
        "receiving_agency": agencies[CENTRE].pk, "competent_agency": agencies[JUSTICE].pk,
        "applicant_kind": "individual", "applicant_name": "Trần Thị Bình", "applicant_id_number": "037190004321",
        "applicant_phone": "0987654321", "applicant_email": "binh.tran@example.vn",
        "applicant_address": "Số 12 đường Trần Hưng Đạo, phường Hoa Lư", "organisation_name": "",
        "fee_amount": "200000", "channel": "counter", "return_method": "counter", "postal_address": "",
        "note": "", "reason": "", "action": "receive",
    }
    for doc in version.documents.all():
        if doc.mandatory:
            data[f"doc_{doc.pk}_received"] = "on"
        data[f"doc_{doc.pk}_originals"] = str(doc.originals)
        data[f"doc_{doc.pk}_copies"] = str(doc.copies)
    data.update(overrides)
    return data


def receive_url(version):
    return reverse("dossiers:receive") + f"?procedure={version.pk}"


@pytest.fixture
def travel():
    """travel(at(...)): freeze the clock for the rest of the test (like the conftest does)."""
    travellers = []

    def _go(moment):
        if travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(moment, tick=False)
        traveller.start()
        travellers.append(traveller)

    yield _go
    for traveller in travellers:
        traveller.stop()


# ---------------------------------------------------------------- access


def test_anonymous_is_sent_to_login_and_non_staff_gets_vietnamese_403(client, province, received_dossier):
    response = client.get(reverse("dossiers:queue"))
    assert response.status_code == 302 and reverse("login") in response["Location"]

    citizen = User.objects.create_user("congdan", password="x", full_name="Người dân")
    client.force_login(citizen)
    for url in [reverse("dossiers:queue"), reverse("dossiers:receive"),
                reverse("dossiers:detail", args=[received_dossier.pk])]:
        response = client.get(url)
        assert response.status_code == 403
        assert "Không có quyền truy cập" in text(response)
    response = client.post(action_url(received_dossier, "hand_over"), {"row_version": 1})
    assert response.status_code == 403
    reload(received_dossier)
    assert received_dossier.status == Status.RECEIVED


def test_staff_of_an_unrelated_agency_cannot_open_the_dossier_or_its_scans(client, users, agencies, procedure):
    upload = SimpleUploadedFile("to-khai.pdf", PDF, content_type="application/pdf")
    docs = [services.ReceivedDocument(name=d.name, required_id=d.id, originals=d.originals, copies=d.copies,
                                      upload=upload if d.order == 1 else None)
            for d in procedure.documents.filter(mandatory=True)]
    with time_machine.travel(MONDAY_9AM, tick=False):
        dossier = services.receive(users["tiepnhan.tinh"], reception_for(procedure, agencies, documents=docs))
    scan = dossier.documents.exclude(file="").get()

    login(client, users, "thuly.xaydung")
    assert client.get(reverse("dossiers:detail", args=[dossier.pk])).status_code == 403
    response = client.get(reverse("dossiers:document", args=[dossier.pk, scan.pk]))
    assert response.status_code == 403 and "Bạn không có quyền xem hồ sơ này" in text(response)

    login(client, users, "thuly.tuphap")
    page = client.get(reverse("dossiers:detail", args=[dossier.pk]))
    assert reverse("dossiers:document", args=[dossier.pk, scan.pk]) in text(page)
    response = client.get(reverse("dossiers:document", args=[dossier.pk, scan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


# ---------------------------------------------------------------- 1. queue


def test_queue_shows_dossier_to_justice_handler_only_after_hand_over(client, users, received_dossier, travel):
    travel(at(2026, 11, 23, 10, 0))
    code = received_dossier.code
    login(client, users, "thuly.tuphap")
    assert code not in text(client.get(reverse("dossiers:queue") + "?scope=unit"))

    login(client, users, "tiepnhan.tinh")
    page = text(client.get(reverse("dossiers:queue")))
    assert code in page and "Tiếp nhận, chuyển hồ sơ" in page

    response = post_action(client, received_dossier, "hand_over", note="Chuyển bản giấy")
    assert response.status_code == 302

    login(client, users, "thuly.tuphap")
    for scope in ("mine", "unit"):
        page = text(client.get(reverse("dossiers:queue") + f"?scope={scope}"))
        assert code in page
        assert "Thẩm định, tra cứu thông tin lý lịch" in page
        assert "Nguyễn Văn An" in page
        assert "mc-due-ok" in page
    assert code not in text(client.get(reverse("dossiers:queue") + "?scope=overdue"))

    login(client, users, "thuly.xaydung")
    for scope in ("mine", "unit", "due_soon", "overdue"):
        assert code not in text(client.get(reverse("dossiers:queue") + f"?scope={scope}"))


def test_queue_colours_overdue_rows_and_counts_working_time(client, users, received_dossier, travel):
    travel(at(2026, 11, 23, 10, 0))
    services.hand_over(users["tiepnhan.tinh"], received_dossier.pk, None)
    # The handling step is due at 09:00 04/12 (8 working days after the clock start): far away on Monday...
    login(client, users, "thuly.tuphap")
    page = text(client.get(reverse("dossiers:queue")))
    assert "mc-due-ok" in page and "còn 7,9 ngày làm việc" in page
    # ...and long past on Friday 11/12/2026.
    travel(at(2026, 12, 11, 9, 0))
    login(client, users, "thuly.tuphap")  # the session of 23/11 has expired by now
    page = text(client.get(reverse("dossiers:queue") + "?scope=overdue"))
    assert received_dossier.code in page and "mc-due-overdue" in page and "quá hạn" in page


def test_queue_query_count_is_bounded(client, users, agencies, procedure, django_assert_max_num_queries, travel):
    travel(at(2026, 11, 23, 9, 0))
    codes = []
    for number in range(30):
        applicant = services.Applicant(name=f"Người nộp {number}", id_number=f"0370900{number:05d}")
        dossier = services.receive(users["tiepnhan.tinh"], reception_for(procedure, agencies, applicant=applicant))
        services.hand_over(users["tiepnhan.tinh"], dossier.pk, None)
        codes.append(dossier.code)
    StaffAlert.objects.create(dossier=dossier, agency=agencies[JUSTICE], role=Role.HANDLER, kind="test",
                              message="Hồ sơ sắp quá hạn, đề nghị xử lý ngay.")
    login(client, users, "thuly.tuphap")
    client.get(reverse("dossiers:queue"))  # warm the calendar cache
    with django_assert_max_num_queries(15):
        response = client.get(reverse("dossiers:queue") + "?scope=unit")
    page = text(response)
    assert all(code in page for code in codes)
    assert "Hồ sơ sắp quá hạn, đề nghị xử lý ngay." in page


def test_queue_search_ignores_diacritics_and_respects_read_permission(client, users, received_dossier):
    login(client, users, "tiepnhan.tinh")
    page = text(client.get(reverse("dossiers:queue") + "?q=nguyen van AN"))
    assert received_dossier.code in page
    page = text(client.get(reverse("dossiers:queue") + "?q=" + received_dossier.code[-11:]))
    assert received_dossier.code in page
    login(client, users, "thuly.xaydung")
    page = text(client.get(reverse("dossiers:queue") + "?q=nguyen van an"))
    assert received_dossier.code not in page and "Không tìm thấy hồ sơ nào" in page


# ---------------------------------------------------------------- 2. reception


def test_reception_step_one_finds_procedure_without_diacritics_with_and_without_htmx(client, users, procedure):
    login(client, users, "tiepnhan.tinh")
    page = text(client.get(reverse("dossiers:receive") + "?q=ly lich tu phap"))
    assert procedure.name in page and f"?procedure={procedure.pk}" in page and "<html" in page
    partial = client.get(reverse("dossiers:receive") + "?q=ly lich", HTTP_HX_REQUEST="true")
    assert procedure.name in text(partial) and "<html" not in text(partial)
    assert "Không tìm thấy thủ tục" in text(client.get(reverse("dossiers:receive") + "?q=khong co gi"))


def test_ids_in_links_are_never_grouped_by_the_vietnamese_number_format():
    """Regression: with thousands grouping on, dossier 1164's link read "?procedure=1.164" (the picker again)."""
    from types import SimpleNamespace

    from django.template import Context, Template
    from django.template.loader import render_to_string

    assert Template("{{ n }}").render(Context({"n": 1164})) == "1164"
    version = SimpleNamespace(pk=12345, name="Cấp Phiếu lý lịch tư pháp", procedure=SimpleNamespace(code="2.001417"),
                              field=None)
    page = render_to_string("dossiers/_procedure_results.html", {"searched": True, "results": [version], "bundles": []})
    assert 'href="?procedure=12345"' in page


def test_only_receivers_may_open_the_reception_screen(client, users, procedure):
    login(client, users, "thuly.tuphap")
    response = client.get(receive_url(procedure))
    assert response.status_code == 403 and "Chỉ công chức tiếp nhận" in text(response)


def test_reception_form_prefills_from_the_procedure(client, users, procedure):
    login(client, users, "tiepnhan.tinh")
    page = text(client.get(receive_url(procedure)))
    assert 'value="200000"' in page  # fee
    assert "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp" in page and "Giấy ủy quyền" in page
    assert "Tiếp nhận hồ sơ" in page and "Hồ sơ chưa đầy đủ — in phiếu hướng dẫn" in page
    assert "Từ chối tiếp nhận" in page
    # One receiving agency and one competent agency: both preselected.
    assert 'selected>Trung tâm Phục vụ hành chính công tỉnh Ninh Bình' in page
    assert 'selected>Sở Tư pháp' in page


def test_reception_through_http_creates_dossier_with_code_and_scan(client, users, agencies, procedure, travel):
    travel(MONDAY_9AM)
    login(client, users, "tiepnhan.tinh")
    form_doc = procedure.documents.get(order=1)
    data = reception_post(procedure, agencies)
    data[f"doc_{form_doc.pk}_file"] = SimpleUploadedFile("to-khai.pdf", PDF, content_type="application/pdf")
    response = client.post(receive_url(procedure), data)
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("dossiers:detail", args=[dossier.pk])
    assert dossier.code == "000.00.14.H42-261123-0001"
    assert dossier.status == Status.RECEIVED and dossier.applicant_name == "Trần Thị Bình"
    assert dossier.receiving_agency.code == CENTRE and dossier.competent_agency.code == JUSTICE
    assert dossier.fee_amount == 200000
    assert dossier.documents.count() == 2
    assert dossier.documents.get(required=form_doc).content_type == "application/pdf"
    page = text(client.get(response["Location"]))
    assert "Đã tiếp nhận hồ sơ 000.00.14.H42-261123-0001. Hẹn trả kết quả: 09:00 08/12/2026." in page


@pytest.mark.parametrize("change, message, field_value", [
    ({"applicant_id_number": "03719000432"}, "Số định danh cá nhân (căn cước) phải gồm đúng 12 chữ số.",
     "03719000432"),
    ({"applicant_phone": "12345"}, "Số điện thoại phải gồm 10 chữ số và bắt đầu bằng 0.", "12345"),
    ({"return_method": "post"}, "Vui lòng nhập địa chỉ nhận kết quả qua bưu chính.", "Trần Thị Bình"),
])
def test_bad_applicant_input_shows_message_keeps_input_and_creates_nothing(
        client, users, agencies, procedure, travel, change, message, field_value):
    travel(MONDAY_9AM)
    login(client, users, "tiepnhan.tinh")
    response = client.post(receive_url(procedure), reception_post(procedure, agencies, **change))
    page = text(response)
    assert response.status_code == 400
    assert message in page
    assert f'value="{field_value}"' in page  # what the user typed is still there
    assert 'value="Số 12 đường Trần Hưng Đạo, phường Hoa Lư"' in page
    assert Dossier.objects.count() == 0 and DossierEvent.objects.count() == 0


def test_missing_mandatory_document_is_refused_and_creates_nothing(client, users, agencies, procedure, travel):
    travel(MONDAY_9AM)
    login(client, users, "tiepnhan.tinh")
    copy_doc = procedure.documents.get(order=2)
    data = reception_post(procedure, agencies)
    del data[f"doc_{copy_doc.pk}_received"]
    response = client.post(receive_url(procedure), data)
    page = text(response)
    assert response.status_code == 400
    assert "Hồ sơ chưa đầy đủ, chưa thể tiếp nhận. Còn thiếu: Bản chụp Căn cước." in page
    assert 'id="documents-error"' in page
    assert Dossier.objects.count() == 0


def test_upload_whose_content_is_not_a_pdf_is_refused(client, users, agencies, procedure, travel, settings):
    travel(MONDAY_9AM)
    login(client, users, "tiepnhan.tinh")
    form_doc = procedure.documents.get(order=1)
    data = reception_post(procedure, agencies)
    data[f"doc_{form_doc.pk}_file"] = SimpleUploadedFile("to-khai.pdf", b"just some text, not a PDF",
                                                          content_type="application/pdf")
    response = client.post(receive_url(procedure), data)
    assert response.status_code == 400
    assert "Chỉ chấp nhận tệp PDF, JPEG hoặc PNG" in text(response)
    assert Dossier.objects.count() == 0 and DossierDocument.objects.count() == 0
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_incomplete_dossier_is_recorded_without_code(client, users, agencies, procedure, travel):
    travel(MONDAY_9AM)
    login(client, users, "tiepnhan.tinh")
    copy_doc = procedure.documents.get(order=2)
    data = reception_post(procedure, agencies, action="incomplete")
    del data[f"doc_{copy_doc.pk}_received"]
    response = client.post(receive_url(procedure), data)
    record = Dossier.objects.get()
    assert response.status_code == 302
    assert record.code is None and record.status == Status.REJECTED_AT_RECEPTION
    assert record.supplement_items == "Bản chụp Căn cước"
    assert record.events.get().action == "reception_incomplete"
    page = text(client.get(response["Location"]))
    assert "Hồ sơ chưa đầy đủ nên chưa tiếp nhận" in page and "Không tiếp nhận" in page
    assert "Bản chụp Căn cước" in page


def test_refusal_at_reception_needs_a_reason(client, users, agencies, procedure, travel):
    travel(MONDAY_9AM)
    login(client, users, "tiepnhan.tinh")
    response = client.post(receive_url(procedure), reception_post(procedure, agencies, action="refuse"))
    assert response.status_code == 400 and "Vui lòng ghi rõ lý do không tiếp nhận." in text(response)
    assert Dossier.objects.count() == 0
    response = client.post(receive_url(procedure), reception_post(
        procedure, agencies, action="refuse", reason="Người nộp không thuộc đối tượng được cấp."))
    record = Dossier.objects.get()
    assert response.status_code == 302 and record.code is None
    assert record.outcome_reason == "Người nộp không thuộc đối tượng được cấp."


def test_any_centre_may_receive_any_procedure_of_the_province(client, users, agencies, procedure, travel):
    travel(MONDAY_9AM)
    login(client, users, "tiepnhan.hoalu")
    response = client.post(receive_url(procedure), reception_post(
        procedure, agencies, receiving_agency=agencies["000.01.31.H42"].pk))
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert dossier.receiving_agency.code == "000.01.31.H42" and dossier.code.startswith(JUSTICE)
    # A receiver cannot pretend to receive at another centre.
    response = client.post(receive_url(procedure), reception_post(procedure, agencies))
    assert response.status_code == 400 and Dossier.objects.count() == 1


# ---------------------------------------------------------------- 3. dossier page


def test_detail_page_shows_due_explanation_and_timeline(client, users, received_dossier, travel):
    travel(at(2026, 11, 23, 10, 0))
    services.hand_over(users["tiepnhan.tinh"], received_dossier.pk, None, note="Chuyển bản giấy lúc 10 giờ")
    login(client, users, "thuly.tuphap")
    page = text(client.get(reverse("dossiers:detail", args=[received_dossier.pk])))
    for line in services.explain_due(received_dossier):
        assert line in page
    assert "24/11/2026" in page  # the holiday that moved the due moment
    assert "Hạn giải quyết theo quy định" in page and "Hẹn trả kết quả" in page and "09:00 08/12/2026" in page
    assert "Tiếp nhận hồ sơ" in page and "Chuyển hồ sơ đến cơ quan giải quyết" in page
    assert "Đã tiếp nhận → Đang giải quyết" in page
    assert "Chuyển bản giấy lúc 10 giờ" in page and "Nguyễn Thị Thu Hà" in page
    assert "Đang giải quyết" in page and "Sở Tư pháp" in page and "200.000 đồng" in page
    # The handler sees only the actions of the handling step.
    assert f'action="{action_url(received_dossier, "forward")}"' in page
    assert f'action="{action_url(received_dossier, "approve")}"' not in page
    assert f'action="{action_url(received_dossier, "hand_over")}"' not in page


def test_action_panel_of_the_receiver_before_hand_over(client, users, received_dossier):
    login(client, users, "tiepnhan.tinh")
    page = text(client.get(reverse("dossiers:detail", args=[received_dossier.pk])))
    for name in ("hand_over", "stop"):
        assert f'action="{action_url(received_dossier, name)}"' in page
    assert f'action="{action_url(received_dossier, "forward")}"' not in page
    assert f'name="row_version" value="{received_dossier.row_version}"' in page


# ---------------------------------------------------------------- actions through HTTP


def refused(client, dossier, name, message, **data):
    """POST an action that must be refused with ``message`` and change nothing."""
    before = snapshot(dossier)
    response = post_action(client, dossier, name, **data)
    assert response.status_code in (400, 403), response.status_code
    assert message in text(response)
    assert snapshot(dossier) == before


def done(client, dossier, name, **data):
    response = post_action(client, dossier, name, **data)
    assert response.status_code == 302, text(response)
    reload(dossier)
    return response


def test_whole_path_by_the_right_users_and_refused_for_the_wrong_ones(client, users, received_dossier, travel):
    dossier = received_dossier
    travel(at(2026, 11, 23, 10, 0))
    login(client, users, "thuly.tuphap")
    refused(client, dossier, "hand_over", "Bạn không có quyền chuyển hồ sơ này tại Trung tâm Phục vụ hành chính công")
    login(client, users, "tiepnhan.tinh")
    response = done(client, dossier, "hand_over")
    assert dossier.status == Status.IN_PROGRESS
    assert "Đã chuyển hồ sơ" in text(client.get(response["Location"]))

    travel(at(2026, 11, 26, 9, 0))
    refused(client, dossier, "forward", "Bạn không có quyền xử lý hồ sơ này tại Sở Tư pháp")  # receiver
    login(client, users, "thuly.tuphap")
    refused(client, dossier, "approve", "Bạn không có quyền phê duyệt hồ sơ này tại Sở Tư pháp")
    done(client, dossier, "forward", note="Đã tra cứu, không có án tích")
    assert dossier.steps.get(order=2).status == StepStatus.DONE

    login(client, users, "lanhdao.tuphap")
    done(client, dossier, "approve", note="Đồng ý cấp phiếu")
    assert dossier.status == Status.APPROVED

    travel(at(2026, 11, 27, 9, 0))
    login(client, users, "thuly.tuphap")
    issue = {"number": "125/LLTP", "signed_on": "27/11/2026", "signer": "Đỗ Quang Vinh"}
    refused(client, dossier, "issue_result", "Bạn không có quyền phát hành kết quả hồ sơ này tại Sở Tư pháp",
            **issue)
    login(client, users, "vanthu.tuphap")
    refused(client, dossier, "issue_result", "Ngày ký phải theo dạng dd/mm/yyyy.", **{**issue, "signed_on": "2026-11-27"})
    upload = SimpleUploadedFile("ket-qua.pdf", PDF, content_type="application/pdf")
    response = client.post(action_url(dossier, "issue_result"), {**issue, "row_version": dossier.row_version,
                                                                 "upload": upload})
    assert response.status_code == 302
    reload(dossier)
    assert dossier.status == Status.RESULT_READY and dossier.result_number == "125/LLTP"
    assert str(dossier.result_date) == "2026-11-27"
    result = client.get(reverse("dossiers:result_file", args=[dossier.pk]))
    assert result.status_code == 200 and b"".join(result.streaming_content) == PDF

    travel(at(2026, 11, 30, 9, 0))
    refused(client, dossier, "return_result", "Bạn không có quyền trả kết quả hồ sơ này", method="counter")
    login(client, users, "tiepnhan.tinh")
    refused(client, dossier, "return_result", "Vui lòng nhập mã vận đơn bưu chính.", method="post", tracking="")
    done(client, dossier, "return_result", method="counter", tracking="", note="Người nộp nhận trực tiếp")
    assert dossier.status == Status.RETURNED
    page = text(client.get(reverse("dossiers:detail", args=[dossier.pk])))
    assert "Đã trả kết quả" in page and "Trả kết quả" in page and "Có kết quả, chờ trả → Đã trả kết quả" in page
    assert "Bạn không có thao tác nào" in page


def test_stale_row_version_gives_the_stale_message_and_changes_nothing(client, users, received_dossier, travel):
    travel(at(2026, 11, 23, 10, 0))
    login(client, users, "tiepnhan.tinh")
    stale = received_dossier.row_version
    services.hand_over(users["tiepnhan.tinh"], received_dossier.pk, None)  # another counter, a moment ago
    travel(at(2026, 11, 23, 10, 5))
    before = snapshot(received_dossier)
    response = client.post(action_url(received_dossier, "stop"), {"row_version": stale,
                                                                  "reason": "Người nộp xin rút hồ sơ"})
    assert response.status_code == 302
    page = text(client.get(response["Location"]))
    assert "vừa được người khác cập nhật" in page
    assert snapshot(received_dossier) == before


def test_send_back_returns_the_dossier_to_an_earlier_step(client, users, received_dossier, travel):
    travel(at(2026, 11, 23, 10, 0))
    services.hand_over(users["tiepnhan.tinh"], received_dossier.pk, None)
    services.forward(users["thuly.tuphap"], received_dossier.pk, None)
    login(client, users, "lanhdao.tuphap")
    page = text(client.get(reverse("dossiers:detail", args=[received_dossier.pk])))
    assert 'value="2">2. Thẩm định, tra cứu thông tin lý lịch' in page
    refused(client, received_dossier, "send_back", "Vui lòng ghi rõ lý do trả lại", to_order=2, reason="")
    done(client, received_dossier, "send_back", to_order=2, reason="Thiếu kết quả tra cứu tại Công an tỉnh")
    assert received_dossier.steps.get(order=2).status == StepStatus.ACTIVE
    assert received_dossier.steps.get(order=3).status == StepStatus.PENDING


def test_refuse_after_review_needs_a_reason(client, users, received_dossier, travel):
    travel(at(2026, 11, 23, 10, 0))
    services.hand_over(users["tiepnhan.tinh"], received_dossier.pk, None)
    login(client, users, "thuly.tuphap")
    refused(client, received_dossier, "refuse", "Vui lòng ghi rõ lý do từ chối giải quyết.", reason="  ")
    done(client, received_dossier, "refuse", reason="Người yêu cầu không thuộc đối tượng được cấp phiếu số 2.")
    assert received_dossier.status == Status.REFUSED


def test_supplement_once_through_http_restarts_the_clock(client, users, received_dossier, travel):
    travel(at(2026, 11, 23, 10, 0))
    services.hand_over(users["tiepnhan.tinh"], received_dossier.pk, None)
    old_due = received_dossier.legal_due_at
    travel(at(2026, 11, 25, 9, 0))
    login(client, users, "thuly.tuphap")
    refused(client, received_dossier, "request_supplement", "Vui lòng liệt kê cụ thể", items="")
    done(client, received_dossier, "request_supplement", items="Bản chụp Căn cước còn hiệu lực")
    assert received_dossier.status == Status.AWAITING_SUPPLEMENT
    page = text(client.get(reverse("dossiers:detail", args=[received_dossier.pk])))
    assert f'action="{action_url(received_dossier, "request_supplement")}"' not in page  # only once

    travel(at(2026, 11, 30, 9, 0))
    refused(client, received_dossier, "receive_supplement", "Bạn không có quyền nhận bổ sung",
            names="Bản chụp Căn cước")
    login(client, users, "tiepnhan.tinh")
    refused(client, received_dossier, "receive_supplement", "Vui lòng ghi nhận ít nhất một giấy tờ bổ sung.",
            names="")
    bad = SimpleUploadedFile("can-cuoc.png", b"not an image", content_type="image/png")
    refused(client, received_dossier, "receive_supplement", "Chỉ chấp nhận tệp PDF, JPEG hoặc PNG",
            names="Bản chụp Căn cước", files=bad)
    scan = SimpleUploadedFile("can-cuoc.pdf", PDF, content_type="application/pdf")
    done(client, received_dossier, "receive_supplement", names="Bản chụp Căn cước", files=scan)
    assert received_dossier.status == Status.IN_PROGRESS
    assert received_dossier.legal_due_at > old_due
    supplement = received_dossier.documents.get(is_supplement=True)
    assert supplement.name == "Bản chụp Căn cước" and supplement.content_type == "application/pdf"
    page = text(client.get(reverse("dossiers:detail", args=[received_dossier.pk])))
    assert "Nhận hồ sơ bổ sung — tính lại thời hạn" in page
    assert "thời hạn giải quyết được tính lại từ đầu" in page


def test_consultation_and_reply_through_http(client, users, agencies, received_dossier, travel):
    travel(at(2026, 11, 23, 10, 0))
    services.hand_over(users["tiepnhan.tinh"], received_dossier.pk, None)
    police = agencies["000.00.21.H42"]
    login(client, users, "thuly.tuphap")
    refused(client, received_dossier, "consult", "Vui lòng nhập nội dung xin ý kiến.", to_agency=police.pk,
            question="", reply_days=3)
    done(client, received_dossier, "consult", to_agency=police.pk, reply_days=3,
         question="Đề nghị xác minh thông tin án tích của ông Nguyễn Văn An")
    consultation = Consultation.objects.get()

    login(client, users, "thuly.xaydung")  # not the consulted agency
    response = client.post(action_url(received_dossier, "reply_consultation"),
                           {"row_version": received_dossier.row_version, "consultation": consultation.pk,
                            "reply": "Không có án tích"})
    assert response.status_code == 403
    consultation.refresh_from_db()
    assert consultation.replied_at is None

    login(client, users, "thuly.congan")
    page = text(client.get(reverse("dossiers:detail", args=[received_dossier.pk])))
    assert "Đề nghị xác minh thông tin án tích" in page and f'value="{consultation.pk}"' in page
    done(client, received_dossier, "reply_consultation", consultation=consultation.pk,
         reply="Ông Nguyễn Văn An không có án tích.")
    consultation.refresh_from_db()
    assert consultation.reply == "Ông Nguyễn Văn An không có án tích."


def test_stop_at_the_applicants_request(client, users, received_dossier, travel):
    travel(at(2026, 11, 23, 10, 0))
    login(client, users, "thuly.tuphap")
    refused(client, received_dossier, "stop", "Bạn không có quyền dừng giải quyết", reason="Xin rút")
    login(client, users, "tiepnhan.tinh")
    refused(client, received_dossier, "stop", "Vui lòng ghi nội dung đề nghị dừng giải quyết", reason="")
    done(client, received_dossier, "stop", reason="Người nộp có đơn xin rút hồ sơ ngày 23/11/2026")
    assert received_dossier.status == Status.STOPPED and received_dossier.fee_refunded


def test_apology_and_extension_through_http_only_once(client, users, received_dossier, travel):
    travel(at(2026, 11, 23, 10, 0))
    services.hand_over(users["tiepnhan.tinh"], received_dossier.pk, None)
    travel(at(2026, 12, 4, 9, 0))
    login(client, users, "thuly.tuphap")
    refused(client, received_dossier, "draft_apology", "Ngày hẹn mới phải theo dạng dd/mm/yyyy HH:MM.",
            reason="Chờ kết quả xác minh", proposed_due_at="15-12-2026")
    refused(client, received_dossier, "draft_apology", "Ngày hẹn mới phải sau ngày hẹn hiện tại.",
            reason="Chờ kết quả xác minh", proposed_due_at="01/12/2026 09:00")
    done(client, received_dossier, "draft_apology", reason="Chờ kết quả xác minh của Công an tỉnh",
         proposed_due_at="15/12/2026 16:30")
    letter = ApologyLetter.objects.get()
    assert letter.state == ApologyLetter.State.DRAFT and letter.proposed_due_at == at(2026, 12, 15, 16, 30)

    refused(client, received_dossier, "approve_apology", "Bạn không có quyền duyệt văn bản xin lỗi")
    login(client, users, "lanhdao.tuphap")
    done(client, received_dossier, "approve_apology")
    login(client, users, "tiepnhan.tinh")
    done(client, received_dossier, "apply_extension")
    assert received_dossier.extension_count == 1
    assert received_dossier.appointment_at == at(2026, 12, 15, 16, 30)
    assert received_dossier.legal_due_at == at(2026, 12, 8, 9, 0)  # kept for on-time statistics
    refused(client, received_dossier, "apply_extension", "không được gia hạn lần thứ hai")
    page = text(client.get(reverse("dossiers:detail", args=[received_dossier.pk])))
    assert "Đã hẹn lại với người nộp" in page and "Hẹn lại ngày trả kết quả" in page


def test_unknown_action_is_404_and_get_is_not_allowed(client, users, received_dossier):
    login(client, users, "tiepnhan.tinh")
    assert client.post(action_url(received_dossier, "delete_everything"), {"row_version": 1}).status_code == 404
    assert client.get(action_url(received_dossier, "hand_over")).status_code == 405


# ---------------------------------------------------------------- admin


def test_admin_lists_dossiers_read_only_and_events_cannot_be_added_changed_or_deleted(
        client, users, received_dossier):
    client.force_login(users["admin"])
    page = client.get(reverse("admin:dossiers_dossier_changelist") + "?q=037090001234")
    assert page.status_code == 200 and received_dossier.code in text(page)
    assert client.get(reverse("admin:dossiers_dossier_add")).status_code == 403
    event = received_dossier.events.get()
    assert client.get(reverse("admin:dossiers_dossierevent_add")).status_code == 403
    assert client.get(reverse("admin:dossiers_dossierevent_delete", args=[event.pk])).status_code == 403
    response = client.post(reverse("admin:dossiers_dossierevent_change", args=[event.pk]), {"reason": "sửa"})
    assert response.status_code == 403
    assert DossierEvent.objects.get(pk=event.pk).reason == event.reason
