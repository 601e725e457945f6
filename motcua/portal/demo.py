"""Demo data of the portal: satisfaction ratings on the demo dossiers whose result was returned.

A realistic mix (most applicants satisfied, a few not, some criteria weaker than others, some rated
at the counter tablet, a few comments) so the public page /muc-do-hai-long/ has figures. Each
rating goes through ``portal.satisfaction.rate`` with the clock at a moment after the return, so
the audit trail is what the system would have written. Two returned dossiers stay unrated, to be
rated by hand (or in the browser) with their code and the applicant's phone.
"""
import random
from datetime import timedelta

import time_machine
from django.utils import timezone

from motcua.dossiers.models import Dossier, Status
from motcua.orgs.models import Role, StaffRole
from motcua.portal import satisfaction
from motcua.portal.models import SatisfactionRating

COMMENTS = [
    "Cán bộ hướng dẫn tận tình, trả kết quả đúng hẹn.",
    "Thủ tục nhanh gọn, không phải đi lại nhiều lần.",
    "Đề nghị bố trí thêm ghế chờ tại khu vực tiếp nhận.",
    "Phải chờ lâu ở quầy vào buổi sáng.",
    "Thông tin thủ tục trên cổng dịch vụ công dễ hiểu.",
]
LEAVE_UNRATED = 2


def _levels(rng, mood):
    """Overall level and per-criterion levels for one applicant whose mood is 3, 2 or 1."""
    scores = {}
    for criterion in satisfaction.CORE_CRITERIA:
        roll = rng.random()
        level = mood
        if roll < 0.15:
            level = max(1, mood - 1)
        elif roll < 0.30:
            level = min(3, mood + 1)
        if criterion == "time" and mood < 3 and rng.random() < 0.3:
            level = 1  # waiting is what people complain about most
        scores[criterion] = level
    return mood, scores


def load(stdout=None, seed=2025):
    if SatisfactionRating.objects.exists():
        return
    rng = random.Random(seed)
    returned = list(Dossier.objects.filter(status=Status.RETURNED).exclude(returned_at=None)
                    .select_related("receiving_agency").order_by("returned_at", "id"))
    to_rate = returned[:-LEAVE_UNRATED] if len(returned) > LEAVE_UNRATED else []
    now = timezone.now()
    made = 0
    for dossier in to_rate:
        mood = rng.choices([3, 2, 1], weights=[45, 42, 13])[0]
        overall, scores = _levels(rng, mood)
        if dossier.channel == "online":
            scores["online"] = mood
        if rng.random() < 0.2:
            scores["feedback"] = mood
        at_counter = rng.random() < 0.6
        recorded_by = None
        if at_counter:
            row = (StaffRole.objects.filter(agency=dossier.receiving_agency, role=Role.RECEIVER)
                   .select_related("user").order_by("id").first())
            recorded_by = row.user if row else None
        moment = min(now, dossier.returned_at + timedelta(minutes=rng.randint(3, 20) if recorded_by
                                                           else rng.randint(60, 60 * 48)))
        comment = rng.choice(COMMENTS) if rng.random() < 0.3 else ""
        with time_machine.travel(moment, tick=False):
            satisfaction.rate(dossier.pk, overall=overall, scores=scores, comment=comment,
                              channel="counter" if recorded_by else "online", recorded_by=recorded_by)
        made += 1
    if stdout:
        stdout.write(f"Đánh giá hài lòng mẫu: {made} phiếu ({len(returned) - made} hồ sơ đã trả chưa đánh giá).")
