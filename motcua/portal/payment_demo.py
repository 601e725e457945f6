"""Demo data for online payment and the postal channel.

Two citizens with portal accounts have online dossiers for full-online procedures with fees:
some paid through the sandbox gateway (the real path: order, sandbox page decision, signed
notification, receipt), one cancelled then left unpaid so the demo can pay it, some with the
postal service chosen. Counter dossiers received and returned by post are in ``dossiers.demo``.
"""
import json
from datetime import timedelta

import time_machine
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.dossiers import postal
from motcua.dossiers.models import Dossier
from motcua.portal import payments

CENTRE = "000.00.01.H42"
WARD_CENTRE = "000.01.31.H42"
WARD_COMMITTEE = "000.01.30.H42"
CITIZENS = [
    dict(username="tranthihoa", email="tranthihoa@example.vn", phone="0915234678", full_name="Trần Thị Hoa",
         id_number="037186004529", address="Số 27 đường Lê Thái Tổ, phường Hoa Lư, tỉnh Ninh Bình"),
    dict(username="phamvanminh", email="phamvanminh@example.vn", phone="0983456120", full_name="Phạm Văn Minh",
         id_number="036092007834", address="Thôn Yên Phú, xã Gia Viễn, tỉnh Ninh Bình"),
]
# (procedure code, citizen index, hours ago submitted, what happens)
PLAN = [
    ("2.000505", 0, 30, "paid_accepted"),    # Phiếu lý lịch tư pháp, 200.000 đ: paid, then accepted at the desk
    ("2.000505", 1, 6, "paid_postal"),       # … paid, documents and result by post, waiting for the receiver
    ("1.004873", 0, 20, "paid"),             # Giấy xác nhận tình trạng hôn nhân, 15.000 đ
    ("2.000720", 1, 3, "cancelled"),         # Đăng ký thành lập hộ kinh doanh, 100.000 đ: cancelled, unpaid
    ("1.004194", 0, 2, "unpaid_postal"),     # Đăng ký thường trú, 20.000 đ: postal chosen, not paid yet
]


def _in_process(url, params):
    """The sandbox's notification delivered in-process through the same handler as the notify URL."""
    outcome = payments.handle_notification("sandbox", params, source="demo")
    return 200, json.dumps(outcome.as_json())


def _agency_codes(version):
    competent = version.agencies.order_by("code").first()
    if competent is None:
        return None, None
    return competent.code, WARD_CENTRE if competent.code == WARD_COMMITTEE else CENTRE


def _pay(dossier, user, moment, approve=True):
    with time_machine.travel(moment, tick=False):
        started = payments.start_payment(dossier, user)
        txn = payments.sandbox_open(_query(started.redirect_url))
    with time_machine.travel(moment + timedelta(minutes=2), tick=False):
        txn = payments.sandbox_decide(txn.reference, approve)
        payments.deliver_sandbox_notification(txn.pk, post=_in_process)


def _query(url):
    from urllib.parse import parse_qsl, urlsplit
    return dict(parse_qsl(urlsplit(url).query))


def _postal(dossier, user, moment, address):
    with time_machine.travel(moment, tick=False):
        return postal.choose_postal(user, dossier.pk, Dossier.objects.get(pk=dossier.pk).row_version,
                                    send_documents=dossier.procedure_version.postal_reception,
                                    return_by_post=True, address=address, zone="in_province")


def load(stdout=None):
    from motcua.portal import submission_demo as online_demo  # citizen accounts and online submission

    versions = {p.code: p.current_version for p in Procedure.objects.filter(
        code__in={code for code, *_ in PLAN}).select_related("current_version__online_level")}
    if not versions:
        if stdout:
            stdout.write("Chưa có thủ tục mẫu, bỏ qua hồ sơ thanh toán trực tuyến mẫu.")
        return
    profiles = [online_demo._account(person) for person in CITIZENS]
    now = timezone.now()
    made = paid = 0
    for code, who, hours_ago, fate in PLAN:
        version = versions.get(code)
        if version is None or not version.fee_amount:
            continue
        competent, centre = _agency_codes(version)
        if competent is None:
            continue
        moment = now - timedelta(hours=hours_ago)
        user = profiles[who].user
        dossier = online_demo._submit(profiles[who], code, moment, competent, centre, {})
        made += 1
        if fate.endswith("postal"):
            dossier = _postal(dossier, user, moment + timedelta(minutes=5), CITIZENS[who]["address"])
        if fate.startswith("paid"):
            _pay(dossier, user, moment + timedelta(minutes=10))
            paid += 1
        elif fate == "cancelled":
            _pay(dossier, user, moment + timedelta(minutes=10), approve=False)
        if fate.endswith("accepted"):
            online_demo._accept(Dossier.objects.get(pk=dossier.pk), moment + timedelta(hours=2))
    if stdout:
        stdout.write(f"Cổng dịch vụ công: {made} hồ sơ trực tuyến ({paid} đã thanh toán qua cổng thử nghiệm); "
                     f"tài khoản công dân: {', '.join(p.user.username for p in profiles)}.")
