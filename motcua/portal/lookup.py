"""Public dossier lookup (tra cứu hồ sơ): dossier code + last 4 digits of the applicant's phone.

Anyone may look a dossier up without signing in, so this module is built against two abuses:

* **Personal data**: the answer carries the status, the appointment, the procedure, the agencies
  and a timeline of public milestones — never the applicant's name, ID number, address, phone or
  e-mail, nor the officials' names or free-text reasons (they may quote personal details).
* **Enumeration**: codes are guessable (agency + date + daily sequence), so the second factor is
  required and each client (IP address) may give only ``PUBLIC_LOOKUP_THROTTLE`` wrong pairs per
  fixed window, counted atomically in the cache (no database write); once they are used up, no
  answer is shown to that client, right or wrong, until the window ends. A wrong phone, an unknown
  code and a dossier without a phone all raise the same :class:`LookupFailed` after the same work
  (one indexed query, one constant-time comparison), so the answer is no oracle.

The HTML page (``lookup_views``), the rating pages and the REST API all go through :func:`lookup`.
"""
from __future__ import annotations

import functools
import hmac
import re
import time
from dataclasses import dataclass, field
from datetime import datetime
from datetime import timezone as dt_timezone

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import connection
from django.db.models import Subquery, Value
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _, gettext_lazy

from motcua.dossiers.models import Dossier, Status

CODE_MAX = 60
_DIGITS = re.compile(r"\D+")
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])[a-z]*\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_EPOCH = datetime(1970, 1, 1, tzinfo=dt_timezone.utc)
_DUMMY_DIGITS = "\x00\x00\x00\x00"  # compared when there is nothing to compare, so every path does the work
TOKEN_SALT = "motcua.portal.lookup"
TOKEN_MAX_AGE = 60 * 60  # a lookup lets the applicant rate for an hour without typing the digits again

# Public milestones only: everything else in the audit trail (consultations, send-backs, apology
# drafts, payment bookkeeping …) is internal and is not shown.
PUBLIC_EVENTS = {
    "submit_online": gettext_lazy("Nộp hồ sơ trực tuyến"),
    "receive": gettext_lazy("Tiếp nhận hồ sơ"),
    "bundle_transfer": gettext_lazy("Cơ quan trước chuyển hồ sơ liên thông đến cơ quan tiếp theo"),
    "accept_online": gettext_lazy("Tiếp nhận hồ sơ nộp trực tuyến"),
    "reject_online": gettext_lazy("Không tiếp nhận hồ sơ nộp trực tuyến"),
    "reception_incomplete": gettext_lazy("Hồ sơ chưa đầy đủ — đã hướng dẫn bổ sung"),
    "reception_refused": gettext_lazy("Không tiếp nhận hồ sơ"),
    "hand_over": gettext_lazy("Chuyển hồ sơ đến cơ quan giải quyết"),
    "forward": gettext_lazy("Hoàn thành một bước xử lý"),
    "request_supplement": gettext_lazy("Yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "receive_supplement": gettext_lazy("Nhận đủ hồ sơ bổ sung — thời hạn được tính lại từ đầu"),
    "approve": gettext_lazy("Lãnh đạo phê duyệt"),
    "issue_result": gettext_lazy("Phát hành kết quả"),
    "refuse": gettext_lazy("Từ chối giải quyết"),
    "extend": gettext_lazy("Cơ quan xin lỗi và hẹn lại ngày trả kết quả"),
    "return": gettext_lazy("Trả kết quả"),
    "stop": gettext_lazy("Dừng giải quyết theo đề nghị của người nộp"),
    "close_unsupplemented": gettext_lazy("Kết thúc do không bổ sung hồ sơ đúng hạn"),
    "satisfaction_rated": gettext_lazy("Người nộp đánh giá mức độ hài lòng"),
}

STATUS_HINTS = {
    Status.SUBMITTED_ONLINE: gettext_lazy("Hồ sơ đang chờ bộ phận một cửa kiểm tra và tiếp nhận."),
    Status.RECEIVED: gettext_lazy("Hồ sơ đã được tiếp nhận và sẽ được chuyển đến cơ quan giải quyết."),
    Status.IN_PROGRESS: gettext_lazy("Hồ sơ đang được cơ quan có thẩm quyền giải quyết."),
    Status.AWAITING_SUPPLEMENT: gettext_lazy(
        "Hồ sơ cần bổ sung. Nội dung cần bổ sung đã được gửi cho ông/bà qua phiếu yêu cầu bổ sung "
        "(tin nhắn, thư điện tử hoặc bản giấy)."),
    Status.APPROVED: gettext_lazy("Hồ sơ đã được phê duyệt, đang chờ phát hành kết quả."),
    Status.RESULT_READY: gettext_lazy("Đã có kết quả. Mời ông/bà đến nhận tại nơi đã nộp hồ sơ "
                                      "(hoặc chờ nhận qua bưu chính nếu đã đăng ký)."),
    Status.REFUSED: gettext_lazy("Hồ sơ bị từ chối giải quyết; văn bản nêu rõ lý do đã được gửi cho ông/bà."),
    Status.RETURNED: gettext_lazy("Đã trả kết quả cho người nộp."),
    Status.STOPPED: gettext_lazy("Hồ sơ đã dừng giải quyết theo đề nghị của người nộp."),
    Status.CLOSED: gettext_lazy("Hồ sơ đã kết thúc do không được bổ sung trong thời hạn."),
    Status.REJECTED_AT_RECEPTION: gettext_lazy("Hồ sơ không được tiếp nhận."),
}


class LookupRefused(Exception):
    """A lookup refused; ``message`` is Vietnamese and safe to show to anybody."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class InvalidInput(LookupRefused):
    """The form itself is wrong (empty code, not four digits): no attempt is counted."""

    def __init__(self, message, field_errors):
        super().__init__(message)
        self.field_errors = field_errors


class LookupFailed(LookupRefused):
    """The one answer for an unknown code, a wrong phone and a dossier without a phone."""

    def __init__(self):
        super().__init__(_("Không tìm thấy hồ sơ khớp với mã hồ sơ và 4 số cuối điện thoại đã nhập. Vui lòng "
                           "kiểm tra lại mã hồ sơ in trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả, và số "
                           "điện thoại đã khai khi nộp hồ sơ."))


class Throttled(LookupRefused):
    def __init__(self, retry_after: int):
        minutes = max(1, -(-retry_after // 60))
        super().__init__(_("Ông/bà đã nhập sai quá nhiều lần. Để bảo vệ thông tin hồ sơ, chức năng tra cứu "
                           "tạm khóa với thiết bị này. Vui lòng thử lại sau %(minutes)s phút.")
                         % {"minutes": minutes})
        self.retry_after = retry_after


def local_text(moment: datetime | None) -> str:
    """"09:00 23/11/2026" in Vietnam time (preformatted: the template's date filter costs more)."""
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y") if moment else ""


@dataclass
class Milestone:
    at: datetime
    label: str
    agency: str = ""

    @property
    def at_text(self) -> str:
        return local_text(self.at)

    @property
    def at_iso(self) -> str:
        return self.at.isoformat()


@dataclass
class PublicDossier:
    """What the public may know about one dossier (nothing personal)."""

    id: int
    code: str
    status: str
    status_label: str
    status_hint: str
    procedure: str
    competent_agency: str
    receiving_agency: str
    channel: str
    received_at: datetime | None
    appointment_at: datetime | None
    returned_at: datetime | None
    supplement_deadline_at: datetime | None
    rated: bool
    milestones: list[Milestone] = field(default_factory=list)
    # A bundle application (nhóm thủ tục liên thông): one public view per procedure under the one code.
    parts: list["PublicDossier"] = field(default_factory=list)

    @property
    def received_text(self) -> str:
        return local_text(self.received_at)

    @property
    def appointment_text(self) -> str:
        return local_text(self.appointment_at)

    @property
    def returned_text(self) -> str:
        return local_text(self.returned_at)

    @property
    def supplement_deadline_text(self) -> str:
        return local_text(self.supplement_deadline_at)

    @property
    def is_open(self) -> bool:
        return self.status in (Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_SUPPLEMENT, Status.APPROVED,
                               Status.SUBMITTED_ONLINE)

    @property
    def can_rate(self) -> bool:
        # A bundle application is rated procedure by procedure (each part is one dossier).
        return self.status == Status.RETURNED and not self.rated and not self.parts


# ------------------------------------------------------------------------------------- input


def normalise_code(raw) -> str:
    """Codes are printed upper-case (``000.00.14.H42-261123-0007``); people type them any way."""
    return re.sub(r"\s+", "", str(raw or "")).upper()[:CODE_MAX + 1]


def check_input(code: str, digits: str) -> tuple[str, str]:
    """(code, 4 digits) or :class:`InvalidInput` with a message per field; nothing is counted."""
    code = normalise_code(code)
    digits = re.sub(r"\s+", "", str(digits or ""))
    errors = {}
    if not code:
        errors["ma"] = _("Vui lòng nhập mã hồ sơ (in trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả).")
    elif len(code) > CODE_MAX:
        errors["ma"] = _("Mã hồ sơ không quá %(n)s ký tự.") % {"n": CODE_MAX}
    if not (len(digits) == 4 and digits.isascii() and digits.isdigit()):
        errors["so"] = _("Vui lòng nhập đúng 4 chữ số cuối của số điện thoại đã khai khi nộp hồ sơ.")
    if errors:
        raise InvalidInput(_("Thông tin tra cứu chưa hợp lệ."), errors)
    return code, digits


def last_four(phone: str) -> str:
    digits = _DIGITS.sub("", phone or "")
    return digits[-4:] if len(digits) >= 4 else ""


# ------------------------------------------------------------------------------------- throttle


def client_ident(request) -> str:
    """The client's address: the socket's, or the one the trusted proxies saw (``NUM_PROXIES``).

    Same rule as DRF's throttles, so the page and the API count one client alike.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = getattr(settings, "NUM_PROXIES", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies and forwarded:
        addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
        if addresses:
            return addresses[-min(proxies, len(addresses))]
    return remote


def parse_rate(rate: str) -> tuple[int, int]:
    """``"10/15m"`` → (10, 900); also ``"30/hour"``, ``"5/minute"``."""
    match = _RATE.match(rate or "")
    if not match:
        raise ValueError(f"PUBLIC_LOOKUP_THROTTLE: cannot read {rate!r} (expected e.g. '10/15m')")
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * _UNIT_SECONDS[unit]


def _window(client: str, now: float) -> tuple[str, int, int]:
    limit, period = parse_rate(settings.PUBLIC_LOOKUP_THROTTLE)
    window = int(now // period)
    retry_after = int((window + 1) * period - now) + 1
    return f"lookup-throttle:{window}:{client}", limit, retry_after


# With Redis behind the cache (several gunicorn workers), counting is one round trip of a small
# script instead of Django's cache API, whose incr costs two (EXISTS, then INCRBY): the counter is
# on every wrong pair's path. Keys and values stay the cache's own (make_key, plain integers), so
# cache.get in blocked_for reads them.
_INCR_SCRIPT = """local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n"""
_scripts: dict[str, object] = {}


def _redis_increment():
    """The increment script on the cache's Redis, or None when the cache is not Redis."""
    config = settings.CACHES["default"]
    if config["BACKEND"] != "django.core.cache.backends.redis.RedisCache":
        return None
    location = config["LOCATION"]
    if location not in _scripts:
        import redis
        client = redis.Redis.from_url(location if isinstance(location, str) else location[0])
        _scripts[location] = client.register_script(_INCR_SCRIPT)
    return _scripts[location]


def _count_attempt(key: str, timeout: int) -> int:
    # Atomic in both stores (Redis INCR, locmem under its lock), so a burst of parallel requests
    # cannot all slip under the limit; the first attempt of a window starts its expiry.
    increment = _redis_increment()
    if increment:
        return int(increment(keys=[cache.make_key(key)], args=[timeout]))
    try:
        return cache.incr(key)
    except ValueError:
        if cache.add(key, 1, timeout=timeout):
            return 1
        return cache.incr(key)


def count_wrong_pair(client: str, now: float | None = None) -> None:
    """Count one wrong pair for ``client``; :class:`Throttled` once past the limit.

    Only wrong pairs use up the allowance. A parallel burst gets exactly ``limit`` answers: each
    increment is atomic and the ones past the limit are refused.
    """
    now = time.time() if now is None else now
    key, limit, retry_after = _window(client, now)
    if _count_attempt(key, retry_after + 1) > limit:
        raise Throttled(retry_after)


def blocked_for(client: str, now: float | None = None) -> int | None:
    """Seconds until ``client`` may try again (its allowance is used up), or None."""
    now = time.time() if now is None else now
    key, limit, retry_after = _window(client, now)
    return retry_after if (cache.get(key) or 0) >= limit else None


def within_allowance(client: str, find, *, wrong=LookupFailed):
    """``find()`` under ``client``'s allowance of wrong pairs; ``wrong`` is what ``find`` raises for one.

    A client that used its allowance up gets :class:`Throttled` before ``find`` runs (even a right pair
    is not shown, and it costs the database nothing); a wrong pair is counted and re-raised, or turned
    into :class:`Throttled` when a parallel burst went past the limit. A right pair costs one read of
    the counter, a wrong one a read and an increment.
    """
    wait = blocked_for(client)
    if wait is not None:
        raise Throttled(wait)
    try:
        return find()
    except wrong:
        count_wrong_pair(client)
        raise


# ------------------------------------------------------------------------------------- lookup

# The lookup is the portal's hottest path (every QR scan), so it costs one indexed query and no ORM
# work per request: the SQL is compiled from the queryset once per process, and the public names
# (agencies, procedures) come from a small per-process map refreshed every NAMES_TTL seconds instead
# of three more joins, which made PostgreSQL's planner search join orders on every request.
_COLUMNS = ("id", "code", "status", "applicant_phone", "channel", "received_at", "appointment_at", "returned_at",
            "supplement_deadline_at", "procedure_version_id", "competent_agency_id", "receiving_agency_id",
            "rating__id", "events__at", "events__action", "events__agency_id",
            # A bundle application's part: its place in the bundle (no join: the application's own
            # facts are read only once the digits matched, see _public_application).
            "part_order", "events__id")
_DATETIMES = (5, 6, 7, 8, 13)
_PART_ORDER, _EVENT_ID, _VIA = range(16, 19)
NAMES_TTL = 300
_compiled: dict[str, list] = {}
_names = {"loaded": 0.0, "agency": {}, "procedure": {}}


def _lookup_sql() -> list[tuple[str, list]]:
    """One round trip for either kind of code, each branch on a unique index:

    the dossier whose code it is, UNION ALL the parts of the bundle application whose code it is;
    each row carries its dossier's rating and one event, and ``via`` says which branch found it.
    """
    key = f"{connection.alias}:{connection.vendor}"
    if key not in _compiled:
        from motcua.dossiers.models import BundleApplication
        # The parts are found through a scalar subquery on the application's unique code: the planner
        # then always walks the application_id index, whatever the (often tiny) table's statistics say.
        application = Subquery(BundleApplication.objects.filter(code="").values("id")[:1])
        branches = []
        for via, condition in ((0, {"code": ""}), (1, {"application_id": application})):
            queryset = (Dossier.objects.filter(**condition).annotate(via=Value(via))
                        .values_list(*_COLUMNS, "via").order_by())
            sql, params = queryset.query.sql_with_params()
            assert sorted(map(str, params)) == sorted(["", str(via)]) or list(params) == [""], params
            branches.append((sql, list(params)))
        _compiled[key] = branches
    return _compiled[key]


def _aware(value):
    """Timestamps as the ORM would give them (aware, UTC) from the raw cursor of either database."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=dt_timezone.utc)
    return value


def _cursor():
    """Django's cursor; on PostgreSQL one that runs the lookup as a prepared statement.

    Planning the query cost PostgreSQL seven times what running it did (0.37 ms against 0.05 ms), on
    every lookup. Django turns psycopg's prepared statements off for the sake of transaction-mode
    connection poolers; ``PUBLIC_LOOKUP_PREPARED=0`` does the same here (PgBouncer before 1.21).
    The cursor is still Django's wrapper, so query logging and counting see the lookup.
    """
    if connection.vendor != "postgresql" or not settings.PUBLIC_LOOKUP_PREPARED:
        return connection.cursor()
    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:
        # Django's "never prepare"; only server-side binding cursors (this one) ever prepare.
        connection.connection.prepare_threshold = 5
    raw = _prepared_cursor_class()(connection.connection)
    return connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)


@functools.cache
def _prepared_cursor_class():
    """Django's server-side binding cursor, preparing every statement it runs (PostgreSQL only)."""
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparedCursor(ServerBindingCursor):
        def execute(self, query, params=None, **options):
            return super().execute(query, params, prepare=True)

    return PreparedCursor


def _fetch(code: str) -> list[list]:
    """One query (two indexed branches): the dossier or the application's parts, with ratings and events.

    Rows come back in reading order: the direct match first, parts in the bundle's order, each
    dossier's events by time.
    """
    (sql_direct, params_direct), (sql_parts, params_parts) = _lookup_sql()
    params = [code if p == "" else p for p in params_direct + params_parts]
    with _cursor() as cursor:
        cursor.execute(f"{sql_direct} UNION ALL {sql_parts}", params)
        rows = [list(row) for row in cursor.fetchall()]
    for row in rows:
        for i in _DATETIMES:
            row[i] = _aware(row[i])
    rows.sort(key=lambda r: (r[_VIA], r[_PART_ORDER] or 0, r[0], r[13] is None, r[13] or _EPOCH, r[_EVENT_ID] or 0))
    return rows


def clear_names() -> None:
    _names.update(loaded=0.0, agency={}, procedure={})


def _public_names(rows) -> tuple[dict, dict]:
    """{id: name} of the agencies and procedures the rows name (a query only when the map lacks one)."""
    from motcua.catalog.models import ProcedureVersion
    from motcua.orgs.models import Agency
    if time.monotonic() - _names["loaded"] > NAMES_TTL:
        clear_names()
        _names["loaded"] = time.monotonic()
    agencies, procedures = _names["agency"], _names["procedure"]
    wanted = {row[i] for row in rows for i in (10, 11, 15) if row[i] is not None}
    if not wanted <= agencies.keys():
        agencies.update(Agency.objects.values_list("id", "name"))
    if rows[0][9] not in procedures:
        procedures.update(ProcedureVersion.objects.filter(pk=rows[0][9]).values_list("id", "name"))
    return agencies, procedures


def find(code: str, digits: str) -> PublicDossier:
    """The public view of the dossier (or bundle application), or :class:`LookupFailed`.

    No throttle here: see :func:`lookup`. One query whatever the code is.
    """
    rows = _fetch(code)
    direct = [row for row in rows if row[_VIA] == 0]
    rows = direct or rows
    expected = last_four(rows[0][3]) if rows else ""
    # compare_digest on equal-length strings in every case, then the other conditions: the same work
    # whether the code is unknown, the phone is missing or the digits are wrong.
    same = hmac.compare_digest((expected or _DUMMY_DIGITS).encode(), digits.encode())
    if not (same and rows and expected):
        raise LookupFailed()
    if direct:
        return _public(rows)
    by_part: dict[int, list] = {}
    for row in rows:
        by_part.setdefault(row[0], []).append(row)
    return _public_application(code, [_public(part_rows) for part_rows in by_part.values()])


def _public_application(code: str, parts: list[PublicDossier]) -> PublicDossier:
    """The citizen's one view: still processing until every procedure has left processing."""
    from motcua.dossiers.models import BundleApplication
    bundle_name, lead_name, appointment_at, returned_at = (
        BundleApplication.objects.filter(code=code)
        .values_list("bundle__name", "lead_agency__name", "appointment_at", "returned_at").get())
    open_parts = [p for p in parts if p.is_open]
    labels = dict(Status.choices)
    if open_parts:
        status = Status.IN_PROGRESS
        label = _("Đang giải quyết (%(done)s/%(total)s thủ tục đã có kết quả)") % {
            "done": len(parts) - len(open_parts), "total": len(parts)}
    elif all(p.status == Status.RETURNED for p in parts):
        status, label = Status.RETURNED, str(labels[Status.RETURNED])
    elif any(p.status in (Status.RESULT_READY, Status.REFUSED) for p in parts):
        status, label = Status.RESULT_READY, str(labels[Status.RESULT_READY])
    else:
        status, label = parts[0].status, parts[0].status_label
    milestones, seen = [], set()
    for part in parts:
        for m in part.milestones:
            key = (m.at_text, m.label, m.agency)  # the parts' shared reception shows once
            if key not in seen:
                seen.add(key)
                milestones.append(m)
    milestones.sort(key=lambda m: m.at)
    return PublicDossier(
        id=parts[0].id, code=code, status=status, status_label=label, status_hint=str(STATUS_HINTS.get(status, "")),
        procedure=bundle_name, competent_agency=lead_name, receiving_agency=parts[0].receiving_agency,
        channel=parts[0].channel, received_at=parts[0].received_at, appointment_at=appointment_at,
        returned_at=returned_at, supplement_deadline_at=None, rated=False, milestones=milestones,
        parts=parts)


def _public(rows) -> PublicDossier:
    first = rows[0]
    agencies, procedures = _public_names(rows)
    status = first[2]
    labels = dict(Status.choices)
    dossier = PublicDossier(
        id=first[0], code=first[1], status=status, status_label=str(labels.get(status, status)),
        status_hint=str(STATUS_HINTS.get(status, "")), procedure=procedures.get(first[9], ""),
        competent_agency=agencies.get(first[10], ""), receiving_agency=agencies.get(first[11], ""),
        channel=first[4], received_at=first[5], appointment_at=first[6], returned_at=first[7],
        supplement_deadline_at=first[8], rated=first[12] is not None)
    for row in rows:
        at, action, agency_id = row[13], row[14], row[15]
        if at is not None and action in PUBLIC_EVENTS:
            dossier.milestones.append(Milestone(at=at, label=str(PUBLIC_EVENTS[action]),
                                                agency=agencies.get(agency_id, "") if agency_id else ""))
    return dossier


def lookup(code: str, digits: str, *, client: str) -> PublicDossier:
    """Check the input, then find the dossier within ``client``'s allowance (:func:`within_allowance`).

    Raises :class:`InvalidInput` (nothing counted), :class:`Throttled` (nothing looked up) or
    :class:`LookupFailed` (counted).
    """
    code, digits = check_input(code, digits)
    return within_allowance(client, lambda: find(code, digits))


# ------------------------------------------------------------------------------------- rating token


def rating_token(dossier_id: int) -> str:
    """Signed proof that this browser just passed the code + phone check for ``dossier_id``."""
    return signing.dumps(dossier_id, salt=TOKEN_SALT, compress=False)


def dossier_from_token(token: str) -> int | None:
    try:
        value = signing.loads(token or "", salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
