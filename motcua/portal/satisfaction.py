"""Satisfaction ratings (đánh giá mức độ hài lòng, Decree 118/2025 Đ33) and their publication (Đ34).

Rules:
* only a dossier whose result has been returned (status ``returned``) can be rated;
* one rating per dossier, never edited: a second attempt is refused with a clear message and
  changes nothing (the service checks under the dossier's row lock, the one-to-one column is the
  database's last word when two tablets race);
* online, the applicant proves who they are (the lookup's code + phone check, or their account);
  at the counter, a receiving official of the dossier's receiving agency opens the tablet page;
* every rating writes a ``DossierEvent`` (the dossier's append-only audit trail).

Aggregates are computed in SQL per agency and per criterion, with no personal data.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.models import Channel, Dossier, DossierEvent, Status
from motcua.orgs import services as orgs
from motcua.orgs.models import Agency, Role
from motcua.portal.models import (
    Criterion, RatingChannel, SatisfactionLevel, SatisfactionRating, SatisfactionScore,
)

COMMENT_MAX = 2000
# Đ33 criteria every rating answers; FEEDBACK only concerns applicants who sent a petition, ONLINE
# only dossiers submitted online.
CORE_CRITERIA = [Criterion.TIME, Criterion.AGENCIES, Criterion.CONTACTS, Criterion.INFORMATION,
                 Criterion.CONDUCT, Criterion.LAWFUL, Criterion.EXTRA_COST]
TARGET_RATE = 80  # % satisfied: the national target the seeds quote (district plans aim at 95 %)


class RatingError(Exception):
    """A rating refused; ``message`` is Vietnamese, ``field_errors`` maps form fields to messages."""

    def __init__(self, message, field_errors=None):
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


class AlreadyRated(RatingError):
    pass


class NotAllowed(RatingError):
    pass


@dataclass(frozen=True)
class Question:
    criterion: str
    label: str
    required: bool


def questions_for(dossier: Dossier) -> list[Question]:
    """The criteria this dossier's applicant is asked about, in the order of the official survey."""
    asked = [Question(c.value, str(c.label), True) for c in CORE_CRITERIA]
    asked.append(Question(Criterion.FEEDBACK.value, str(Criterion.FEEDBACK.label), False))
    if dossier.channel == Channel.ONLINE:
        asked.append(Question(Criterion.ONLINE.value, str(Criterion.ONLINE.label), True))
    return asked


def refusal(dossier: Dossier) -> str | None:
    """Why this dossier cannot be rated now (Vietnamese), or None."""
    if dossier.status != Status.RETURNED:
        return _("Hồ sơ %(code)s chưa trả kết quả nên chưa thể đánh giá mức độ hài lòng. Ông/bà có thể "
                 "đánh giá sau khi nhận kết quả.") % {"code": dossier.code}
    existing = SatisfactionRating.objects.filter(dossier_id=dossier.pk).only("rated_at").first()
    if existing is not None:
        return already_rated_message(dossier, existing)
    return None


def already_rated_message(dossier: Dossier, rating: SatisfactionRating | None = None) -> str:
    if rating is None:
        return _("Hồ sơ %(code)s đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần; đánh giá đã ghi nhận "
                 "được giữ nguyên.") % {"code": dossier.code}
    return _("Hồ sơ %(code)s đã được đánh giá lúc %(when)s. Mỗi hồ sơ chỉ được đánh giá một lần; đánh giá đã ghi "
             "nhận được giữ nguyên.") % {
        "code": dossier.code, "when": timezone.localtime(rating.rated_at).strftime("%H:%M ngày %d/%m/%Y")}


def may_record_at_counter(user, dossier: Dossier) -> bool:
    """The counter tablet is opened by a receiving official of the agency that received the dossier."""
    return bool(user and user.is_authenticated and orgs.can_act(user, dossier.receiving_agency, Role.RECEIVER))


def may_rate_online(user, dossier: Dossier, token_dossier_id: int | None) -> bool:
    """The applicant's own account, or a browser that has just passed the public lookup for it."""
    if token_dossier_id is not None and token_dossier_id == dossier.pk:
        return True
    return bool(user and user.is_authenticated and dossier.applicant_user_id == user.pk)


def _level(value, name, errors, *, required):
    if value in (None, ""):
        if required:
            errors[name] = _("Vui lòng chọn một mức đánh giá.")
        return None
    try:
        level = int(value)
    except (TypeError, ValueError):
        level = None
    if level not in SatisfactionLevel.values:
        errors[name] = _("Mức đánh giá không hợp lệ.")
        return None
    return level


def _validate(dossier: Dossier, overall, scores: dict, comment: str):
    errors = {}
    level = _level(overall, "overall", errors, required=True)
    asked = questions_for(dossier)
    known = {q.criterion for q in asked}
    for name in scores:
        if name not in known:
            errors[name] = _("Tiêu chí “%(name)s” không thuộc phiếu đánh giá của hồ sơ này.") % {"name": name}
    given = {}
    for question in asked:
        value = _level(scores.get(question.criterion), question.criterion, errors, required=question.required)
        if value is not None:
            given[question.criterion] = value
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        errors["comment"] = _("Ý kiến không quá %(n)s ký tự.") % {"n": COMMENT_MAX}
    if errors:
        raise RatingError(_("Phiếu đánh giá chưa đầy đủ: vui lòng chọn mức đánh giá cho mọi tiêu chí bắt buộc."),
                          field_errors=errors)
    return level, given, comment


def rate(dossier_id: int, *, overall, scores: dict, comment: str = "", channel: str = RatingChannel.ONLINE,
         recorded_by=None, actor=None) -> SatisfactionRating:
    """Record the applicant's one rating of a returned dossier (one transaction).

    ``channel`` counter needs ``recorded_by``: the official who opened the tablet page. ``actor``
    is the signed-in citizen rating online, if any (for the audit trail).
    """
    if channel not in RatingChannel.values:
        raise RatingError(_("Nơi đánh giá không hợp lệ."))
    with transaction.atomic():
        # The row lock queues two raters of one dossier; the second then sees the first rating.
        dossier = (Dossier.objects.select_for_update().select_related("competent_agency", "receiving_agency")
                   .get(pk=dossier_id))
        if channel == RatingChannel.COUNTER and not may_record_at_counter(recorded_by, dossier):
            raise NotAllowed(_("Chỉ công chức tiếp nhận của %(agency)s được mở trang đánh giá tại quầy cho hồ sơ "
                               "này.") % {"agency": dossier.receiving_agency.name})
        problem = refusal(dossier)
        if problem and dossier.status == Status.RETURNED:
            raise AlreadyRated(problem)
        if problem:
            raise RatingError(problem)
        level, given, comment = _validate(dossier, overall, scores, comment)
        now = timezone.now()
        try:
            with transaction.atomic():
                rating = SatisfactionRating.objects.create(
                    dossier=dossier, competent_agency=dossier.competent_agency,
                    receiving_agency=dossier.receiving_agency, channel=channel, overall=level,
                    satisfied=level >= SatisfactionLevel.SATISFIED, comment=comment, rated_at=now,
                    recorded_by=recorded_by if channel == RatingChannel.COUNTER else None)
        except IntegrityError:
            raise AlreadyRated(already_rated_message(dossier)) from None
        SatisfactionScore.objects.bulk_create(
            [SatisfactionScore(rating=rating, criterion=c, level=v) for c, v in given.items()])
        who = recorded_by if channel == RatingChannel.COUNTER else actor
        DossierEvent.objects.create(
            dossier=dossier, at=now, actor=who if who is not None and who.is_authenticated else None,
            action="satisfaction_rated", from_status=dossier.status, to_status=dossier.status,
            agency=dossier.receiving_agency if channel == RatingChannel.COUNTER else None,
            data={"channel": channel, "overall": level, "satisfied": rating.satisfied})
    return rating


# ------------------------------------------------------------------------------------- publication


@dataclass
class Tally:
    total: int = 0
    very: int = 0
    satisfied_only: int = 0
    dissatisfied: int = 0

    @property
    def satisfied(self) -> int:
        return self.very + self.satisfied_only

    @property
    def rate(self) -> float | None:
        """Satisfaction rate in % (satisfied or very satisfied / all), None without ratings."""
        return round(100 * self.satisfied / self.total, 1) if self.total else None

    @property
    def meets_target(self) -> bool:
        return self.rate is not None and self.rate >= TARGET_RATE


@dataclass
class AgencyRates:
    agency_id: int
    agency_code: str
    agency_name: str
    tally: Tally


@dataclass
class CriterionRates:
    criterion: str
    label: str
    tally: Tally


@dataclass
class Publication:
    start: datetime.date | None
    end: datetime.date | None
    by: str
    agencies: list[AgencyRates]
    total: Tally      # the whole province
    selected: Tally   # ``agency``'s, or the province's when no agency is chosen
    criteria: list[CriterionRates] = field(default_factory=list)
    agency: Agency | None = None
    target: int = TARGET_RATE


BY_FIELDS = {"competent": "competent_agency", "receiving": "receiving_agency"}


def _period(qs, start, end, prefix=""):
    tz = timezone.get_current_timezone()
    if start:
        qs = qs.filter(**{f"{prefix}rated_at__gte": datetime.datetime.combine(start, datetime.time.min, tz)})
    if end:
        qs = qs.filter(**{f"{prefix}rated_at__lt": datetime.datetime.combine(end + datetime.timedelta(days=1),
                                                                               datetime.time.min, tz)})
    return qs


def _counts(column):
    return {"total": Count("id"),
            "very": Count("id", filter=Q(**{column: SatisfactionLevel.VERY_SATISFIED})),
            "satisfied_only": Count("id", filter=Q(**{column: SatisfactionLevel.SATISFIED})),
            "dissatisfied": Count("id", filter=Q(**{column: SatisfactionLevel.DISSATISFIED}))}


def publication(start: datetime.date | None = None, end: datetime.date | None = None, *, by: str = "competent",
                agency: Agency | None = None, criteria: bool = True) -> Publication:
    """Satisfaction per agency (by competent or receiving agency) over [start, end], and per criterion
    for ``agency`` (or the whole province) unless ``criteria`` is False (the reports only need the
    per-agency rates). Two grouped queries, no personal data."""
    if by not in BY_FIELDS:
        raise RatingError(_("Cách nhóm không hợp lệ."))
    if start and end and start > end:
        raise RatingError(_("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."),
                          field_errors={"tu": _("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.")})
    column = BY_FIELDS[by]
    ratings = _period(SatisfactionRating.objects.all(), start, end)
    rows = (ratings.order_by().values(f"{column}_id", f"{column}__code", f"{column}__name")
            .annotate(**_counts("overall")))
    agencies = []
    total = Tally()
    for row in rows:
        tally = Tally(row["total"], row["very"], row["satisfied_only"], row["dissatisfied"])
        agencies.append(AgencyRates(row[f"{column}_id"], row[f"{column}__code"], row[f"{column}__name"], tally))
        for name in ("total", "very", "satisfied_only", "dissatisfied"):
            setattr(total, name, getattr(total, name) + getattr(tally, name))
    agencies.sort(key=lambda a: (-(a.tally.rate or 0), -a.tally.total, a.agency_name))

    scores = _period(SatisfactionScore.objects.all(), start, end, prefix="rating__")
    if agency is not None:
        scores = scores.filter(**{f"rating__{column}": agency})
    by_criterion = {row["criterion"]: row for row in
                    scores.order_by().values("criterion").annotate(**_counts("level"))} if criteria else {}
    wanted, criteria = criteria, []
    for criterion in Criterion if wanted else []:
        row = by_criterion.get(criterion.value)
        tally = Tally(row["total"], row["very"], row["satisfied_only"], row["dissatisfied"]) if row else Tally()
        criteria.append(CriterionRates(criterion.value, str(criterion.label), tally))
    if agency is not None:
        selected = next((a.tally for a in agencies if a.agency_id == agency.pk), Tally())
    else:
        selected = total
    return Publication(start=start, end=end, by=by, agencies=agencies, total=total, selected=selected,
                       criteria=criteria, agency=agency)
