"""Demo of online submission: two verified citizen accounts with online dossiers in several states.

Like the dossier demo, every dossier goes through the real services with the clock moved
(time-machine) to the working day each action happened, so codes, deadlines and timelines are
what the system would have produced. Accounts (password ``MotCua@2025``):

- ``minhanh.nguyen@example.vn`` (Nguyễn Thị Minh Anh): one submission waiting for the receiver,
  one returned with its electronic result, one draft not submitted yet;
- ``0987000222`` (Trần Văn Hùng, sign-in by phone): one returned for completion, one awaiting a
  supplement, one being processed.
"""
from __future__ import annotations

import datetime
from contextlib import nullcontext
from functools import lru_cache

import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.utils import timezone

from motcua.catalog import services as catalog
from motcua.dossiers import online, services
from motcua.dossiers.demo import _actor
from motcua.dossiers.models import Dossier, Status
from motcua.orgs.demo import DEMO_PASSWORD
from motcua.orgs.models import Agency, Role
from motcua.portal.models import CitizenProfile, DraftFile, OnlineDraft
from motcua.workcal import arithmetic as wc
from motcua.workcal import services as workcal

LLTP = "2.000505"          # Cấp Phiếu lý lịch tư pháp — Sở Tư pháp, provincial centre
MARITAL = "1.004873"       # Cấp Giấy xác nhận tình trạng hôn nhân — UBND phường Hoa Lư
TRANSCRIPT = "2.000635"    # Cấp bản sao Trích lục hộ tịch
CENTRE, WARD_CENTRE, WARD_COMMITTEE, JUSTICE = "000.00.01.H42", "000.01.31.H42", "000.01.30.H42", "000.00.14.H42"

PEOPLE = [
    dict(username="minhanh.nguyen@example.vn", email="minhanh.nguyen@example.vn", phone="0912000111",
         full_name="Nguyễn Thị Minh Anh", id_number="037186004521",
         address="Số 18 đường Lương Văn Tụy, phường Hoa Lư, tỉnh Ninh Bình"),
    dict(username="0987000222", email="", phone="0987000222", full_name="Trần Văn Hùng", id_number="037092007788",
         address="Thôn Xuân Thành, phường Tây Hoa Lư, tỉnh Ninh Bình"),
]


@lru_cache(maxsize=None)
def _pdf(title: str) -> bytes:
    """A one-page PDF standing for a scanned paper (Vietnamese text, rendered by WeasyPrint)."""
    from weasyprint import HTML
    html = (f"<html><body style='font-family: serif; font-size: 14pt'><p style='text-align:center'><b>CỘNG HÒA XÃ "
            f"HỘI CHỦ NGHĨA VIỆT NAM</b><br>Độc lập - Tự do - Hạnh phúc</p><h2 style='text-align:center'>{title}</h2>"
            f"<p>(Bản chụp dùng cho dữ liệu mẫu)</p></body></html>")
    return HTML(string=html).write_pdf()


def _file(title: str, name: str):
    content = ContentFile(_pdf(title), name=name)
    content.size = len(content.file.getvalue())
    return content


def _mornings(count: int) -> list[datetime.datetime]:
    """09:00 on each of the last ``count`` working days, oldest first."""
    cal = workcal.get_calendar()
    day, found = timezone.localdate(), []
    while len(found) < count:
        day -= datetime.timedelta(days=1)
        if wc.is_working_day(cal, day):
            found.append(timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0))))
    return list(reversed(found))


def _account(person) -> CitizenProfile:
    User = get_user_model()
    user = User.objects.filter(username=person["username"]).first()
    if user is None:
        user = User(username=person["username"], email=person["email"], phone=person["phone"],
                    full_name=person["full_name"])
        user.password = make_password(DEMO_PASSWORD)
        user.save()
    profile, _ = CitizenProfile.objects.get_or_create(user=user, defaults={
        "id_number": person["id_number"], "address": person["address"], "email_verified_at":
        timezone.now() if person["email"] else None, "phone_verified_at": timezone.now()})
    return profile


def _submit(profile, code, moment, competent_code, centre_code, titles):
    """Submit online through the portal's service path, at ``moment``."""
    version = catalog.current_version(code)
    user = profile.user
    competent, centre = Agency.objects.get(code=competent_code), Agency.objects.get(code=centre_code)
    required = list(version.documents.all())
    documents = [online.electronic_document(doc, _file(titles.get(doc.order, doc.name), f"giay-to-{doc.order}.pdf"))
                 for doc in required if doc.mandatory]
    reception = services.Reception(
        procedure_version=version, receiving_agency=centre, competent_agency=competent,
        applicant=services.Applicant(name=user.full_name, id_number=profile.id_number, phone=user.phone,
                                     email=user.email, address=profile.address),
        documents=documents)
    with time_machine.travel(moment, tick=False):
        dossier = online.submit_online(user, reception)
        draft = OnlineDraft.objects.create(
            user=user, procedure_version=version, competent_agency=competent, receiving_agency=centre,
            applicant_name=user.full_name, applicant_id_number=profile.id_number, applicant_phone=user.phone,
            applicant_email=user.email, applicant_address=profile.address, dossier=dossier)
        for doc in dossier.documents.all():
            DraftFile.objects.create(draft=draft, required_id=doc.required_id, file=doc.file.name,
                                     original_name=doc.file.name.rsplit("/", 1)[-1], content_type=doc.content_type,
                                     size=doc.size)
    return dossier


def _accept(dossier, moment):
    receiver = _actor(dossier.receiving_agency, Role.RECEIVER)
    with time_machine.travel(moment, tick=False):
        return online.accept_online(receiver, dossier.pk, dossier.row_version)


def advance(dossier, moment, until_status, result_title=""):
    """Walk the dossier's steps as the demo staff would, an hour apart, until ``until_status``.

    ``moment`` None acts now (the browser tests use it on a live server running on real time).
    """
    while dossier.status != until_status:
        dossier = Dossier.objects.get(pk=dossier.pk)
        if dossier.status == until_status:
            break
        step = services.active_steps(dossier).first()
        if step is None:
            break
        user = _actor(step.agency, step.role)
        with time_machine.travel(moment, tick=False) if moment else nullcontext():
            if dossier.status == Status.RECEIVED:
                dossier = services.hand_over(_actor(dossier.receiving_agency, Role.RECEIVER), dossier.pk,
                                             dossier.row_version)
            elif dossier.status == Status.APPROVED:
                issuer = user if step.role == Role.CLERK else (_actor(dossier.competent_agency, Role.CLERK)
                                                               or _actor(dossier.competent_agency, Role.APPROVER))
                dossier = services.issue_result(
                    issuer, dossier.pk, dossier.row_version,
                    number=f"{dossier.pk:03d}/{dossier.procedure_version.result_type_code or 'KQ'}",
                    signed_on=timezone.localdate(), signer=issuer.full_name,
                    upload=_file(result_title or dossier.procedure_version.result_name, "ket-qua.pdf"))
            elif dossier.status == Status.RESULT_READY:
                dossier = services.return_result(_actor(dossier.receiving_agency, Role.RECEIVER), dossier.pk,
                                                 dossier.row_version, method="online",
                                                 note="Công dân nhận bản điện tử trên Cổng dịch vụ công")
            elif step.role == Role.APPROVER:
                dossier = services.approve(user, dossier.pk, dossier.row_version, "Đồng ý")
            else:
                dossier = services.forward(user, dossier.pk, dossier.row_version, "Hồ sơ hợp lệ")
        moment = moment + datetime.timedelta(hours=1) if moment else None
    return dossier


def load(stdout=None):
    if CitizenProfile.objects.exists() or catalog.current_version(LLTP) is None \
            or not Agency.objects.filter(code=WARD_CENTRE).exists():
        return
    days = _mornings(6)
    anh, hung = (_account(p) for p in PEOPLE)
    lltp_titles = {1: "TỜ KHAI YÊU CẦU CẤP PHIẾU LÝ LỊCH TƯ PHÁP", 2: "CĂN CƯỚC (bản chụp)"}
    marital_titles = {1: "TỜ KHAI CẤP GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN"}

    # Minh Anh: marital status certificate, received five days ago, result issued and returned online.
    done = _submit(anh, MARITAL, days[0], WARD_COMMITTEE, WARD_CENTRE, marital_titles)
    done = _accept(done, days[0] + datetime.timedelta(hours=1))
    advance(done, days[1], Status.RETURNED, "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN")
    # Minh Anh: judicial record certificate submitted this morning-ish, waiting for the receiver.
    _submit(anh, LLTP, days[-1] + datetime.timedelta(hours=1), JUSTICE, CENTRE, lltp_titles)
    # Minh Anh: a draft she has not finished.
    transcript = catalog.current_version(TRANSCRIPT)
    if transcript is not None:
        user = anh.user
        OnlineDraft.objects.create(
            user=user, procedure_version=transcript, competent_agency=Agency.objects.get(code=WARD_COMMITTEE),
            receiving_agency=Agency.objects.get(code=WARD_CENTRE), applicant_name=user.full_name,
            applicant_id_number=anh.id_number, applicant_phone=user.phone, applicant_email=user.email,
            applicant_address=anh.address, note="Xin cấp 02 bản sao trích lục khai sinh")

    # Hùng: returned for completion (a blurred ID scan).
    returned = _submit(hung, LLTP, days[3], JUSTICE, CENTRE, lltp_titles)
    with time_machine.travel(days[3] + datetime.timedelta(hours=2), tick=False):
        online.return_online(_actor(returned.receiving_agency, Role.RECEIVER), returned.pk, returned.row_version,
                             "Ảnh chụp Căn cước bị mờ, không đọc được số định danh. Vui lòng chụp lại rõ nét cả hai "
                             "mặt và nộp lại.")
    # Hùng: received, then the department asked once for a supplement.
    waiting = _submit(hung, LLTP, days[1], JUSTICE, CENTRE, lltp_titles)
    waiting = _accept(waiting, days[1] + datetime.timedelta(hours=1))
    waiting = advance(waiting, days[1] + datetime.timedelta(hours=2), Status.IN_PROGRESS)
    step = services.active_steps(waiting).first()
    with time_machine.travel(days[2], tick=False):
        services.request_supplement(_actor(step.agency, step.role), waiting.pk, waiting.row_version,
                                    "Văn bản ủy quyền có chứng thực (yêu cầu cấp Phiếu cho người khác)")
    # Hùng: marital status certificate being processed at the ward.
    processing = _submit(hung, MARITAL, days[4], WARD_COMMITTEE, WARD_CENTRE, marital_titles)
    processing = _accept(processing, days[4] + datetime.timedelta(hours=1))
    advance(processing, days[4] + datetime.timedelta(hours=2), Status.IN_PROGRESS)
    if stdout:
        stdout.write(f"Cổng dịch vụ công: {CitizenProfile.objects.count()} tài khoản công dân, "
                     f"{Dossier.objects.filter(channel='online').count()} hồ sơ nộp trực tuyến.")
