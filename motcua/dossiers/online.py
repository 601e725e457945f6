"""Online submission (Decree 118/2025 Đ15, Đ17): what happens between "the citizen pressed Nộp" and
"the dossier is received".

An online submission is a ``Dossier`` in ``submitted_online`` without a code: the legal clock has not
started. A receiver of the chosen service centre then either

- ``accept_online``: the complete, valid reception — the same code (Đ28), clock, steps and
  notifications as a counter reception (``services.receive``);
- ``return_online``: sends it back with what to complete; the applicant edits and ``resubmit_online``;
- ``reject_online``: refuses it for good (not within the province's competence, not eligible…).

Once received, the applicant can answer the one supplement request online (``supplement_online``),
which applies the counter's rule (``services.apply_supplement``: the clock restarts from zero).

Like every action in ``services``: one transaction, the dossier row locked, a stale
``expected_version`` refused, one ``DossierEvent`` per change, a Vietnamese ``DossierError``
when refused (and then nothing has changed).
"""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers import notify
from motcua.dossiers.models import Channel, Dossier, DossierDocument, Status
from motcua.dossiers.services import (
    Applicant, DossierError, NotAllowed, ReceivedDocument, Reception, _create_steps, _event, _lock,
    _require_role, _require_status, _save, _search_text, _start_legal_clock, _store_documents,
    check_reception_content, code_prefix, apply_supplement, next_dossier_code,
)
from motcua.orgs.models import Agency, Role


def offers_online_submission(version) -> bool:
    level = version.online_level
    return bool(level and level.submit_online and version.status == version.Status.PUBLISHED)


def electronic_document(required, upload) -> ReceivedDocument:
    """An uploaded scan standing for one required document (the electronic copy counts as supplied)."""
    copies = required.copies if required.copies or required.originals else 1
    return ReceivedDocument(name=required.name, required_id=required.id, originals=required.originals,
                            copies=copies, upload=upload)


def _check_online(user, reception: Reception) -> None:
    if not user or not user.is_authenticated:
        raise NotAllowed(_("Vui lòng đăng nhập để nộp hồ sơ trực tuyến."))
    version = reception.procedure_version
    if not offers_online_submission(version):
        raise DossierError(_("Thủ tục này không nhận hồ sơ trực tuyến."))
    centre = reception.receiving_agency
    if not (centre.is_active and centre.kind == Agency.Kind.SERVICE_CENTRE):
        raise DossierError(_("Vui lòng chọn một Trung tâm phục vụ hành chính công làm nơi tiếp nhận."),
                           field_errors={"receiving_agency": _("Nơi tiếp nhận không hợp lệ.")})
    for doc in reception.documents:
        if doc.upload is None:
            raise DossierError(_("Giấy tờ “%(name)s” chưa có tệp đính kèm.") % {"name": doc.name},
                               field_errors={"documents": doc.name})
    check_reception_content(reception, complete_required=True)


def _require_owner(user, dossier: Dossier) -> None:
    if not user.is_authenticated or dossier.applicant_user_id != user.pk:
        raise NotAllowed(_("Hồ sơ này không thuộc tài khoản của bạn."))


@transaction.atomic
def submit_online(user, reception: Reception) -> Dossier:
    """The citizen submits a complete dossier online: it waits for a receiver (no code, no clock yet)."""
    _check_online(user, reception)
    applicant = reception.applicant
    now = timezone.now()
    dossier = Dossier(
        status=Status.SUBMITTED_ONLINE, channel=Channel.ONLINE, procedure_version=reception.procedure_version,
        receiving_agency=reception.receiving_agency, competent_agency=reception.competent_agency,
        applicant_kind=applicant.kind, applicant_name=applicant.name.strip(),
        applicant_id_number=applicant.id_number.strip(), organisation_name=applicant.organisation_name.strip(),
        applicant_phone=applicant.phone.strip().replace(" ", ""), applicant_email=applicant.email.strip(),
        applicant_address=applicant.address.strip(), applicant_user=user, submitted_at=now,
        return_method=reception.return_method, postal_address=reception.postal_address.strip(),
        reception_note=reception.note.strip())
    dossier.search_text = _search_text(dossier)
    dossier.save()
    _store_documents(dossier, reception.documents)
    _event(dossier, user, "submit_online", agency=reception.receiving_agency,
           documents=[d.name for d in reception.documents])
    notify.applicant(dossier, "submitted_online")
    return dossier


@transaction.atomic
def resubmit_online(user, dossier_id: int, expected_version: int | None, reception: Reception) -> Dossier:
    """The applicant completes a returned submission and sends it again (same record, same history).

    The documents sent last time are replaced by ``reception.documents`` (the event keeps both lists);
    the files themselves are never deleted.
    """
    dossier = _lock(dossier_id, expected_version)
    _require_owner(user, dossier)
    _require_status(dossier, [Status.RETURNED_ONLINE],
                    _("Chỉ nộp lại hồ sơ đã được trả lại để hoàn thiện (hiện: “%(status)s”)."))
    if reception.procedure_version.pk != dossier.procedure_version_id:
        raise DossierError(_("Không thể đổi thủ tục của hồ sơ đã nộp."))
    reception.receiving_agency, reception.competent_agency = dossier.receiving_agency, dossier.competent_agency
    _check_online(user, reception)
    before = dossier.status
    previous = [d.file.name for d in dossier.documents.all()]
    DossierDocument.objects.filter(dossier=dossier).delete()
    _store_documents(dossier, reception.documents)
    applicant = reception.applicant
    dossier.applicant_kind, dossier.applicant_name = applicant.kind, applicant.name.strip()
    dossier.applicant_id_number = applicant.id_number.strip()
    dossier.organisation_name = applicant.organisation_name.strip()
    dossier.applicant_phone = applicant.phone.strip().replace(" ", "")
    dossier.applicant_email, dossier.applicant_address = applicant.email.strip(), applicant.address.strip()
    dossier.return_method, dossier.postal_address = reception.return_method, reception.postal_address.strip()
    dossier.resubmit_online()
    dossier.submitted_at = timezone.now()
    dossier.search_text = _search_text(dossier)
    _save(dossier)
    _event(dossier, user, "resubmit_online", from_status=before, agency=dossier.receiving_agency,
           replaced_files=previous, documents=[d.name for d in reception.documents])
    notify.applicant(dossier, "submitted_online")
    return dossier


def _documents_on_file(dossier: Dossier) -> list[ReceivedDocument]:
    return [ReceivedDocument(name=d.name, required_id=d.required_id, originals=d.originals, copies=d.copies)
            for d in dossier.documents.all()]


@transaction.atomic
def accept_online(user, dossier_id: int, expected_version: int | None, note: str = "") -> Dossier:
    """The complete, valid reception of an online submission: code (Đ28), legal clock, steps, notices."""
    dossier = _lock(dossier_id, expected_version)
    _require_status(dossier, [Status.SUBMITTED_ONLINE],
                    _("Chỉ tiếp nhận hồ sơ đang chờ tiếp nhận (hiện: “%(status)s”)."))
    _require_role(user, dossier.receiving_agency, [Role.RECEIVER], _("tiếp nhận"))
    # The same content rules as at the counter, on what the citizen actually sent.
    check_reception_content(Reception(
        procedure_version=dossier.procedure_version, receiving_agency=dossier.receiving_agency,
        competent_agency=dossier.competent_agency,
        applicant=Applicant(name=dossier.applicant_name, id_number=dossier.applicant_id_number,
                            kind=dossier.applicant_kind, organisation_name=dossier.organisation_name,
                            phone=dossier.applicant_phone, email=dossier.applicant_email,
                            address=dossier.applicant_address),
        documents=_documents_on_file(dossier), channel=Channel.ONLINE, return_method=dossier.return_method,
        postal_address=dossier.postal_address), complete_required=True)
    now = timezone.now()
    before = dossier.status
    dossier.accept_online()
    dossier.received_at, dossier.received_by = now, user
    if note.strip():
        dossier.reception_note = note.strip()
    _start_legal_clock(dossier, now)
    _save(dossier)
    _create_steps(dossier)
    _event(dossier, user, "accept_online", from_status=before, agency=dossier.receiving_agency,
           reason=note.strip(), legal_due_at=dossier.legal_due_at, channel=dossier.channel)
    # As in services.receive: the daily sequence last, so its row lock lasts only until the commit.
    dossier.code = next_dossier_code(
        code_prefix(dossier.competent_agency, dossier.receiving_agency, dossier.bundle_id is not None),
        timezone.localdate(now))
    dossier.search_text = _search_text(dossier)
    Dossier.objects.filter(pk=dossier.pk).update(code=dossier.code, search_text=dossier.search_text)
    notify.applicant(dossier, "received")
    return dossier


@transaction.atomic
def return_online(user, dossier_id: int, expected_version: int | None, reasons: str) -> Dossier:
    """Send the submission back, not received, with what the applicant must complete (Đ17.1b)."""
    if not reasons.strip():
        raise DossierError(_("Vui lòng ghi rõ nội dung người nộp cần sửa, bổ sung."),
                           field_errors={"reasons": _("Bắt buộc.")})
    dossier = _lock(dossier_id, expected_version)
    _require_status(dossier, [Status.SUBMITTED_ONLINE],
                    _("Chỉ trả lại hồ sơ đang chờ tiếp nhận (hiện: “%(status)s”)."))
    _require_role(user, dossier.receiving_agency, [Role.RECEIVER], _("trả lại"))
    before = dossier.status
    dossier.return_online()
    dossier.outcome_reason = reasons.strip()
    _save(dossier)
    _event(dossier, user, "return_online", from_status=before, agency=dossier.receiving_agency,
           reason=reasons.strip())
    notify.applicant(dossier, "returned_online")
    return dossier


@transaction.atomic
def reject_online(user, dossier_id: int, expected_version: int | None, reason: str) -> Dossier:
    """Refuse the submission for good (Đ17.4): e.g. the province has no competence for the request."""
    if not reason.strip():
        raise DossierError(_("Vui lòng ghi rõ lý do không tiếp nhận."), field_errors={"reason": _("Bắt buộc.")})
    dossier = _lock(dossier_id, expected_version)
    _require_status(dossier, [Status.SUBMITTED_ONLINE],
                    _("Chỉ từ chối hồ sơ đang chờ tiếp nhận (hiện: “%(status)s”)."))
    _require_role(user, dossier.receiving_agency, [Role.RECEIVER], _("từ chối tiếp nhận"))
    before = dossier.status
    dossier.reject_online()
    dossier.outcome_reason = reason.strip()
    _save(dossier)
    _event(dossier, user, "reject_online", from_status=before, agency=dossier.receiving_agency,
           reason=reason.strip())
    notify.applicant(dossier, "rejected_online")
    return dossier


@transaction.atomic
def supplement_online(user, dossier_id: int, expected_version: int | None,
                      documents: list[ReceivedDocument], note: str = "") -> Dossier:
    """The applicant answers the supplement request online: the counter's rule, clock restarts (Đ19.5)."""
    dossier = _lock(dossier_id, expected_version)
    _require_owner(user, dossier)
    _require_status(dossier, [Status.AWAITING_SUPPLEMENT],
                    _("Hồ sơ không ở trạng thái chờ bổ sung (hiện: “%(status)s”)."))
    if not documents or any(doc.upload is None for doc in documents):
        raise DossierError(_("Vui lòng đính kèm tệp giấy tờ bổ sung."), field_errors={"files": _("Bắt buộc.")})
    return apply_supplement(user, dossier, documents, note.strip(), channel=Channel.ONLINE)


def owned_by(user):
    """Dossiers the signed-in applicant submitted online (newest first)."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    return (Dossier.objects.filter(applicant_user=user)
            .select_related("procedure_version__procedure", "receiving_agency", "competent_agency")
            .order_by("-submitted_at", "-id"))


def online_queue(user):
    """Submissions waiting for a receiver of one of the user's service centres, oldest first."""
    from motcua.orgs import services as orgs
    centres = orgs.agency_ids_for(user, roles=[Role.RECEIVER])
    return (Dossier.objects.filter(status=Status.SUBMITTED_ONLINE, receiving_agency_id__in=centres)
            .select_related("procedure_version__procedure", "receiving_agency", "competent_agency")
            .order_by("submitted_at", "id"))
