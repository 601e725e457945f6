"""Online submission from the citizen's side: drafts, uploads, submit and resubmit, answering a supplement.

The legal part (what makes a submission complete, the dossier record, reception) is
``motcua.dossiers.online``; this module keeps the citizen's working copy (``OnlineDraft``) and
turns it into the dossier service's input. Each function is one transaction; a refusal raises
``SubmissionError`` (a ``DossierError``) with a Vietnamese message and changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.catalog.models import ProcedureVersion
from motcua.dossiers import online
from motcua.dossiers.models import ApplicantKind, Dossier, ReturnMethod, Status
from motcua.dossiers.services import Applicant, DossierError, ReceivedDocument, Reception, StaleDossier
from motcua.dossiers.uploads import validate_upload
from motcua.orgs.models import AdminUnit, Agency
from motcua.portal.accounts import profile_of, submission_refusal
from motcua.portal.models import DraftFile, OnlineDraft


class SubmissionError(DossierError):
    pass


class StaleDraft(SubmissionError, StaleDossier):
    pass


EDITABLE_DOSSIER_STATUSES = (Status.RETURNED_ONLINE,)


@dataclass
class DraftData:
    competent_agency_id: int | None = None
    receiving_agency_id: int | None = None
    applicant_kind: str = ApplicantKind.INDIVIDUAL
    applicant_name: str = ""
    applicant_id_number: str = ""
    organisation_name: str = ""
    applicant_phone: str = ""
    applicant_email: str = ""
    applicant_address: str = ""
    return_method: str = ReturnMethod.COUNTER
    postal_address: str = ""
    note: str = ""
    # required document id → UploadedFile chosen in this request
    uploads: dict = field(default_factory=dict)


# ---------------------------------------------------------------- choices offered on the form


def competent_agencies(version: ProcedureVersion):
    return version.agencies.filter(is_active=True).order_by("name")


def service_centres():
    """Đ20: any service centre of the province receives any procedure; province first, then communes."""
    centres = Agency.objects.filter(kind=Agency.Kind.SERVICE_CENTRE, is_active=True).select_related("unit")
    return sorted(centres, key=lambda c: (c.unit.level != AdminUnit.Level.PROVINCE, c.name))


def default_centre(competent: Agency | None) -> Agency | None:
    """Where the result naturally comes back: the commune's centre for a commune committee, else the province's."""
    centres = service_centres()
    if competent is not None:
        own = [c for c in centres if c.parent_id == competent.pk]
        if own:
            return own[0]
    return centres[0] if centres else None


def return_methods(version: ProcedureVersion):
    """Ways to receive the result this procedure allows (the postal feature adds its fee and details)."""
    methods = [(ReturnMethod.COUNTER, ReturnMethod.COUNTER.label)]
    if version.postal_return:
        methods.append((ReturnMethod.POST, ReturnMethod.POST.label))
    if version.online_level and version.online_level.result_online:
        methods.append((ReturnMethod.ONLINE, _("Nhận bản điện tử trên Cổng dịch vụ công")))
    return methods


# ---------------------------------------------------------------- drafts


def drafts_of(user):
    """The user's drafts not submitted yet."""
    return (OnlineDraft.objects.filter(user=user, dossier__isnull=True)
            .select_related("procedure_version__procedure").order_by("-updated_at"))


@transaction.atomic
def start_draft(user, version: ProcedureVersion) -> OnlineDraft:
    """Resume the user's unsubmitted draft of this procedure, or start one prefilled from the account."""
    if not online.offers_online_submission(version) or version.procedure.current_version_id != version.pk:
        raise SubmissionError(_("Thủ tục này không nhận hồ sơ trực tuyến."))
    profile = profile_of(user)
    if profile is None:
        raise SubmissionError(submission_refusal(user))
    existing = OnlineDraft.objects.filter(user=user, procedure_version=version, dossier__isnull=True).first()
    if existing is not None:
        return existing
    agencies = list(competent_agencies(version)[:2])
    competent = agencies[0] if len(agencies) == 1 else None
    centre = default_centre(competent)
    return OnlineDraft.objects.create(
        user=user, procedure_version=version, competent_agency=competent, receiving_agency=centre,
        applicant_kind=profile.kind, applicant_name=user.full_name, applicant_id_number=profile.id_number,
        organisation_name=profile.organisation_name, applicant_phone=user.phone, applicant_email=user.email,
        applicant_address=profile.address)


def _lock_draft(user, draft_id: int, expected_version: int | None) -> OnlineDraft:
    draft = (OnlineDraft.objects.select_for_update().select_related("procedure_version")
             .filter(pk=draft_id).first())
    if draft is None or draft.user_id != user.pk:
        raise SubmissionError(_("Không tìm thấy hồ sơ nháp này trong tài khoản của bạn."))
    if expected_version is not None and draft.row_version != expected_version:
        raise StaleDraft(_("Hồ sơ nháp vừa được lưu ở một cửa sổ khác. Vui lòng tải lại trang để xem bản mới "
                           "nhất rồi sửa tiếp."))
    return draft


def is_editable(draft: OnlineDraft) -> bool:
    return draft.dossier_id is None or draft.dossier.status in EDITABLE_DOSSIER_STATUSES


def _check_uploads(draft: OnlineDraft, uploads: dict) -> dict[str, str]:
    """"doc_<id>" → the Vietnamese problem of each bad file (the content decides, not the name)."""
    required = {d.pk: d for d in draft.procedure_version.documents.all()}
    problems = {}
    for required_id, upload in uploads.items():
        if required_id not in required:
            problems[f"doc_{required_id}"] = _("Giấy tờ không thuộc thành phần hồ sơ của thủ tục này.")
            continue
        problem = validate_upload(upload)
        if problem:
            problems[f"doc_{required_id}"] = _("“%(file)s”: %(problem)s") % {"file": upload.name, "problem": problem}
    return problems


@transaction.atomic
def save_draft(user, draft_id: int, expected_version: int | None, data: DraftData) -> OnlineDraft:
    """Save what the citizen typed and the files chosen. A bad file refuses the whole save."""
    draft = _lock_draft(user, draft_id, expected_version)
    if not is_editable(draft):
        raise SubmissionError(_("Hồ sơ đã nộp, đang chờ cán bộ xử lý nên không sửa được."))
    problems = _check_uploads(draft, data.uploads)
    if problems:
        raise SubmissionError(
            _("Có %(n)s tệp không hợp lệ; chưa lưu thay đổi nào. Vui lòng chọn lại tệp đúng định dạng (PDF, JPEG, "
              "PNG; tối đa 10 MB).") % {"n": len(problems)}, field_errors=problems)
    version = draft.procedure_version
    allowed_competent = set(competent_agencies(version).values_list("pk", flat=True))
    if data.competent_agency_id is not None and data.competent_agency_id not in allowed_competent:
        raise SubmissionError(_("Cơ quan giải quyết không hợp lệ."),
                              field_errors={"competent_agency": _("Vui lòng chọn trong danh sách.")})
    if data.receiving_agency_id is not None and data.receiving_agency_id not in {c.pk for c in service_centres()}:
        raise SubmissionError(_("Nơi tiếp nhận không hợp lệ."),
                              field_errors={"receiving_agency": _("Vui lòng chọn trong danh sách.")})
    if data.return_method not in dict(return_methods(version)):
        raise SubmissionError(_("Hình thức nhận kết quả không hợp lệ."),
                              field_errors={"return_method": _("Vui lòng chọn trong danh sách.")})
    if draft.dossier_id is None:  # the agencies of a submitted dossier do not change on resubmission
        draft.competent_agency_id, draft.receiving_agency_id = data.competent_agency_id, data.receiving_agency_id
    for name in ("applicant_kind", "applicant_name", "applicant_id_number", "organisation_name", "applicant_phone",
                 "applicant_email", "applicant_address", "return_method", "postal_address", "note"):
        setattr(draft, name, (getattr(data, name) or "").strip())
    draft.row_version += 1
    draft.save()
    for required_id, upload in data.uploads.items():
        DraftFile.objects.filter(draft=draft, required_id=required_id).delete()  # the stored file stays
        DraftFile.objects.create(draft=draft, required_id=required_id, file=upload, original_name=upload.name[:255],
                                 content_type=upload.content_type, size=upload.size)
    return draft


def _reception(draft: OnlineDraft) -> Reception:
    if draft.competent_agency_id is None:
        raise SubmissionError(_("Vui lòng chọn cơ quan giải quyết."),
                              field_errors={"competent_agency": _("Bắt buộc.")})
    if draft.receiving_agency_id is None:
        raise SubmissionError(_("Vui lòng chọn nơi tiếp nhận hồ sơ."), field_errors={"receiving_agency": _("Bắt buộc.")})
    files = {f.required_id: f for f in draft.files.select_related("required")}
    documents = [online.electronic_document(f.required, f.file) for f in files.values()]
    missing = [d.name for d in draft.procedure_version.documents.all() if d.mandatory and d.pk not in files]
    if missing:
        raise SubmissionError(_("Chưa đính kèm đủ giấy tờ bắt buộc: %(items)s.") % {"items": "; ".join(missing)},
                              field_errors={f"doc_{d.pk}": _("Bắt buộc: vui lòng đính kèm tệp.")
                                            for d in draft.procedure_version.documents.all()
                                            if d.mandatory and d.pk not in files})
    return Reception(
        procedure_version=draft.procedure_version, receiving_agency=draft.receiving_agency,
        competent_agency=draft.competent_agency,
        applicant=Applicant(name=draft.applicant_name, id_number=draft.applicant_id_number, kind=draft.applicant_kind,
                            organisation_name=draft.organisation_name, phone=draft.applicant_phone,
                            email=draft.applicant_email, address=draft.applicant_address),
        documents=documents, return_method=draft.return_method, postal_address=draft.postal_address,
        note=draft.note)


def _close(documents):
    for doc in documents:
        try:
            doc.upload.close()
        except (AttributeError, ValueError):
            pass


@transaction.atomic
def submit(user, draft_id: int, expected_version: int | None) -> Dossier:
    """Submit the draft (or resubmit a returned dossier); only a verified account may."""
    refusal = submission_refusal(user)
    if refusal:
        raise SubmissionError(refusal)
    draft = _lock_draft(user, draft_id, expected_version)
    if not is_editable(draft):
        raise SubmissionError(_("Hồ sơ này đã được nộp."))
    reception = _reception(draft)
    try:
        if draft.dossier_id is None:
            dossier = online.submit_online(user, reception)
            draft.dossier = dossier
        else:
            dossier = online.resubmit_online(user, draft.dossier_id, None, reception)
    finally:
        _close(reception.documents)
    draft.row_version += 1
    draft.save()
    return dossier


@transaction.atomic
def delete_draft(user, draft_id: int, expected_version: int | None) -> None:
    draft = _lock_draft(user, draft_id, expected_version)
    if draft.dossier_id is not None:
        raise SubmissionError(_("Hồ sơ đã nộp không xóa được."))
    draft.delete()


# ---------------------------------------------------------------- after submission


def supplement(user, dossier_id: int, expected_version: int | None, uploads: list, note: str = "") -> Dossier:
    """Answer the supplement request with files; each is checked like any upload."""
    problems = []
    for upload in uploads:
        problem = validate_upload(upload)
        if problem:
            problems.append(_("“%(file)s”: %(problem)s") % {"file": upload.name, "problem": problem})
    if problems:
        raise SubmissionError(_("Tệp bổ sung không hợp lệ; chưa gửi gì. %(problems)s")
                              % {"problems": " ".join(problems)}, field_errors={"files": " ".join(problems)})
    documents = [ReceivedDocument(name=_("Bổ sung: %(file)s") % {"file": upload.name[:200]}, copies=1, upload=upload)
                 for upload in uploads]
    return online.supplement_online(user, dossier_id, expected_version, documents, note)
