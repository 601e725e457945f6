"""Postal channel rules (dịch vụ bưu chính công ích, Decision 45/2016/QĐ-TTg; Decree 118/2025 Đ14).

Shared by the counter (an official records a dossier that arrived by post, or the applicant's
choice to get the result by post) and the portal (the citizen chooses before the dossier is
accepted). The result's dispatch by post is ``services.return_result(method=POST)``.
"""
from __future__ import annotations

import re

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.dossiers.models import Channel, PostalZone, ReturnMethod, Status
from motcua.dossiers.services import DossierError, NotAllowed, _event, _lock, _require_role, _save
from motcua.orgs.models import Role

# UPU S10 item identifier (e.g. EE123456789VN): service letters, 8 digits, check digit, country.
S10 = re.compile(r"^([A-Z]{2})(\d{8})(\d)([A-Z]{2})$")
S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
# Domestic operators also issue plain alphanumeric waybill numbers.
OTHER_WAYBILL = re.compile(r"^[A-Z0-9]{8,20}$")


def s10_check_digit(serial: str) -> int:
    """The S10 check digit of an 8-digit serial number."""
    check = 11 - sum(int(d) * w for d, w in zip(serial, S10_WEIGHTS)) % 11
    return {10: 0, 11: 5}.get(check, check)


def normalise_tracking(text: str) -> str:
    """The waybill number in upper case without spaces; raises DossierError when it cannot be one.

    An S10 number (two letters, nine digits, two letters) must carry the right check digit, so a
    mistyped digit is caught at the counter instead of by the applicant looking for the parcel.
    """
    code = re.sub(r"[\s.-]", "", text or "").upper()
    if not code:
        raise DossierError(_("Vui lòng nhập mã vận đơn bưu chính."), field_errors={"tracking": _("Bắt buộc.")})
    match = S10.match(code)
    if match:
        if s10_check_digit(match.group(2)) != int(match.group(3)):
            raise DossierError(_("Mã vận đơn %(code)s sai chữ số kiểm tra; vui lòng kiểm tra lại trên phiếu gửi.")
                               % {"code": code}, field_errors={"tracking": _("Sai chữ số kiểm tra.")})
        return code
    if OTHER_WAYBILL.match(code) and any(ch.isdigit() for ch in code):
        return code
    raise DossierError(_("Mã vận đơn “%(code)s” không hợp lệ: gồm 8–20 chữ cái và chữ số, ví dụ EE123456785VN.")
                       % {"code": text.strip()}, field_errors={"tracking": _("Không hợp lệ.")})


def make_s10(service: str, serial: int, country: str = "VN") -> str:
    """A well-formed S10 number (demo data and tests): ``make_s10("EE", 12345678)`` → EE123456785VN."""
    digits = f"{serial:08d}"
    return f"{service}{digits}{s10_check_digit(digits)}{country}"


def fee_per_consignment(zone: str) -> int:
    fees = settings.POSTAL_FEES
    if zone not in fees:
        raise DossierError(_("Vui lòng chọn nơi nhận bưu gửi (trong tỉnh hoặc ngoài tỉnh)."),
                           field_errors={"postal_zone": _("Bắt buộc.")})
    return int(fees[zone])


def postage(*, send_documents: bool, return_by_post: bool, zone: str) -> int:
    """Postage the applicant pays the postal operator: one consignment each way that goes by post."""
    consignments = int(bool(send_documents)) + int(bool(return_by_post))
    if not consignments:
        return 0
    return consignments * fee_per_consignment(zone)


def fee_table() -> list[tuple[str, int]]:
    """(zone label, postage) rows for the pages that explain the postal service."""
    labels = dict(PostalZone.choices)
    return [(labels.get(zone, zone), amount) for zone, amount in settings.POSTAL_FEES.items()]


def validate_choice(version, *, send_documents: bool, return_by_post: bool, address: str, zone: str) -> None:
    """Refuse a postal choice the procedure does not allow or that lacks an address or zone."""
    if send_documents and not version.postal_reception:
        raise DossierError(_("Thủ tục này không tiếp nhận hồ sơ qua bưu chính công ích."),
                           field_errors={"send_documents": _("Thủ tục không cho phép.")})
    if return_by_post and not version.postal_return:
        raise DossierError(_("Thủ tục này không trả kết quả qua bưu chính công ích."),
                           field_errors={"return_by_post": _("Thủ tục không cho phép.")})
    if return_by_post and not address.strip():
        raise DossierError(_("Vui lòng nhập địa chỉ nhận kết quả qua bưu chính."),
                           field_errors={"postal_address": _("Bắt buộc khi nhận kết quả qua bưu chính.")})
    if len(address.strip()) > 300:
        raise DossierError(_("Địa chỉ nhận bưu gửi quá dài (tối đa 300 ký tự)."),
                           field_errors={"postal_address": _("Tối đa 300 ký tự.")})
    if (send_documents or return_by_post) and zone not in PostalZone.values:
        raise DossierError(_("Vui lòng chọn nơi nhận bưu gửi (trong tỉnh hoặc ngoài tỉnh)."),
                           field_errors={"postal_zone": _("Bắt buộc.")})


@transaction.atomic
def choose_postal(user, dossier_id: int, expected_version: int | None, *, send_documents: bool,
                  return_by_post: bool, address: str = "", zone: str = ""):
    """The applicant of an online dossier chooses the postal service before it is accepted.

    ``send_documents``: the paper originals will be sent in by post; ``return_by_post``: the result
    comes back by post to ``address``. Postage is recorded for the receipt and the desk.
    """
    dossier = _lock(dossier_id, expected_version)
    if dossier.applicant_user_id is None or dossier.applicant_user_id != getattr(user, "pk", None):
        raise NotAllowed(_("Chỉ người nộp hồ sơ mới được chọn dịch vụ bưu chính cho hồ sơ này."))
    if dossier.status != Status.SUBMITTED_ONLINE:
        raise DossierError(_("Chỉ thay đổi dịch vụ bưu chính trước khi hồ sơ được tiếp nhận (hiện: “%(status)s”). "
                             "Vui lòng liên hệ bộ phận một cửa.") % {"status": dossier.get_status_display()})
    validate_choice(dossier.procedure_version, send_documents=send_documents, return_by_post=return_by_post,
                    address=address, zone=zone)
    before = (dossier.documents_by_post, dossier.return_method, dossier.postal_address, dossier.postal_zone)
    dossier.documents_by_post = bool(send_documents)
    if return_by_post:
        dossier.return_method, dossier.postal_address = ReturnMethod.POST, address.strip()
    elif dossier.return_method == ReturnMethod.POST:
        level = dossier.procedure_version.online_level
        dossier.return_method = ReturnMethod.ONLINE if level and level.result_online else ReturnMethod.COUNTER
        dossier.postal_address = ""
    dossier.postal_zone = zone if (send_documents or return_by_post) else ""
    dossier.postal_fee = postage(send_documents=send_documents, return_by_post=return_by_post, zone=zone)
    if before == (dossier.documents_by_post, dossier.return_method, dossier.postal_address, dossier.postal_zone):
        return dossier
    _save(dossier)
    _event(dossier, user, "postal_options", from_status=dossier.status,
           documents_by_post=dossier.documents_by_post, return_method=dossier.return_method,
           postal_address=dossier.postal_address, postal_zone=dossier.postal_zone, postal_fee=dossier.postal_fee)
    return dossier


@transaction.atomic
def record_incoming_documents(user, dossier_id: int, expected_version: int | None, tracking: str, note: str = ""):
    """The one-stop unit records the paper documents of a dossier that arrived by post, with the waybill."""
    code = normalise_tracking(tracking)
    dossier = _lock(dossier_id, expected_version)
    _require_role(user, dossier.receiving_agency, [Role.RECEIVER], _("ghi nhận bưu gửi của"))
    if not (dossier.documents_by_post or dossier.channel == Channel.POST):
        raise DossierError(_("Người nộp không chọn gửi hồ sơ giấy qua bưu chính cho hồ sơ này."))
    if dossier.incoming_tracking:
        raise DossierError(_("Đã ghi nhận bưu gửi hồ sơ (mã vận đơn %(code)s).") % {"code": dossier.incoming_tracking})
    if dossier.status in (Status.RETURNED, Status.STOPPED, Status.CLOSED, Status.REJECTED_AT_RECEPTION):
        raise DossierError(_("Hồ sơ đã kết thúc (“%(status)s”); không ghi nhận bưu gửi.")
                           % {"status": dossier.get_status_display()})
    dossier.incoming_tracking = code
    _save(dossier)
    _event(dossier, user, "postal_documents_arrived", from_status=dossier.status, agency=dossier.receiving_agency,
           reason=note.strip(), tracking=code)
    return dossier
