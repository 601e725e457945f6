"""Open311 GeoReport v2 endpoints, so existing Open311 clients and apps can send and follow feedback.

Follows http://wiki.open311.org/GeoReport_v2 (and its Service Discovery page):

* ``GET discovery.{xml,json}`` — service discovery;
* ``GET v2/services.{xml,json}`` — one *service* per active feedback ``Category``;
* ``GET v2/services/<service_code>.{xml,json}`` — its definition: the attributes a request gives
  (procedure code, dossier code, agency of the official, title, consent to publish the name);
* ``POST v2/requests.{xml,json}`` — create a request (``api_key`` required: ``ApiKey`` rows made
  in the admin); every problem is reported, in the spec's error format, and nothing is stored;
* ``GET v2/requests.{xml,json}`` — filters ``service_request_id`` (comma list, overrides the
  rest), ``service_code``, ``start_date``/``end_date`` (W3C datetimes, at most 90 days, default
  the last 90 days), ``status`` (open, closed); at most 1000 requests, newest first;
* ``GET v2/requests/<service_request_id>.{xml,json}`` and ``GET v2/tokens/<token>.{xml,json}``.

XML is schemaless with no namespace, preceded by the UTF-8 declaration; JSON maps it with the
Spark convention (containers become arrays, empty elements ``null``). Error descriptions are
Vietnamese. A single jurisdiction is served: ``jurisdiction_id`` may be left out, and any other
value than ours is a 404. The ``service_request_id`` is the feedback's tracking code. Content
and the sender's location are returned only once the answer is published, and the location only
when the sender agreed to publish their identity.
"""
from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from urllib.parse import urlparse
from xml.etree import ElementTree as ET

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from motcua.feedback import services
from motcua.feedback.models import CLOSED_STATUSES, Category, Channel, Feedback, Status, Subject
from motcua.orgs.models import Agency

CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
SPEC = "http://wiki.open311.org/GeoReport_v2"
MAX_SPAN = timedelta(days=90)
MAX_RESULTS = 1000
# Spark convention: a container's children all have one name.
ITEM_TAGS = {"services": "service", "service_requests": "request", "attributes": "attribute", "values": "value",
             "errors": "error", "endpoints": "endpoint", "formats": "format"}
_ATTRIBUTE = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")


class Open311Error(Exception):
    def __init__(self, status: int, *descriptions: str):
        super().__init__(descriptions[0] if descriptions else "")
        self.status = status
        self.descriptions = descriptions


# ---------------------------------------------------------------- rendering


def _xml_value(parent, tag, value):
    element = ET.SubElement(parent, tag) if parent is not None else ET.Element(tag)
    if isinstance(value, list):
        for item in value:
            _xml_value(element, ITEM_TAGS.get(tag, "item"), item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _xml_value(element, key, item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)
    return element


def render(fmt: str, root: str, data, status: int = 200) -> HttpResponse:
    """``data`` (a list for a container root, a dict otherwise) as XML or JSON."""
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False, default=str)
    else:
        element = _xml_value(None, root, data)
        body = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(
            element, encoding="unicode", short_empty_elements=False)
    return HttpResponse(body.encode("utf-8"), status=status, content_type=CONTENT_TYPES[fmt])


def error_response(fmt: str, status: int, descriptions) -> HttpResponse:
    errors = [{"code": status, "description": text} for text in descriptions]
    return render(fmt if fmt in CONTENT_TYPES else "xml", "errors", errors, status=status)


def endpoint(view):
    """Checks the format and the jurisdiction; turns ``Open311Error`` into the spec's error format."""
    def wrapper(request, *args, fmt, **kwargs):
        fmt = fmt.lower()
        if fmt not in CONTENT_TYPES:
            return error_response("xml", 404, [_("Định dạng “%(fmt)s” không được hỗ trợ; dùng .xml hoặc .json.")
                                               % {"fmt": fmt}])
        try:
            check_jurisdiction(request)
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as exc:
            return error_response(fmt, exc.status, exc.descriptions)
    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def jurisdiction_id() -> str:
    configured = getattr(settings, "OPEN311_JURISDICTION_ID", "")
    if configured:
        return configured
    host = urlparse(settings.PUBLIC_BASE_URL).hostname or "localhost"
    return host[4:] if host.startswith("www.") else host


def check_jurisdiction(request):
    given = (request.POST.get("jurisdiction_id") if request.method == "POST" else None) \
        or request.GET.get("jurisdiction_id", "")
    if given and given.strip() != jurisdiction_id():
        raise Open311Error(404, _("Không tìm thấy jurisdiction_id “%(given)s”; hệ thống này phục vụ “%(ours)s”.")
                           % {"given": given, "ours": jurisdiction_id()})


def w3(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


# ---------------------------------------------------------------- services and definitions


def service_notice(category: Category) -> str:
    return category.service_notice or _("Phản ánh, kiến nghị được chuyển đến cơ quan có thẩm quyền và được trả "
                                        "lời trong %(days)s ngày làm việc.") % {
        "days": services.catalog.format_amount(category.response_days)}


def service_data(category: Category) -> dict:
    return {"service_code": category.code, "service_name": category.name, "description": category.description,
            "metadata": True, "type": "realtime", "keywords": category.keywords,
            "group": category.get_subject_display()}


def attributes_for(category: Category) -> list[dict]:
    """The questions a request of this category answers (Open311 service definition attributes)."""
    rows = []

    def add(code, datatype, required, description, datatype_description=None, values=None):
        row = {"variable": True, "code": code, "datatype": datatype, "required": required,
               "datatype_description": datatype_description, "order": len(rows) + 1, "description": description}
        if values is not None:
            row["values"] = [{"key": key, "name": name} for key, name in values]
        rows.append(row)

    if category.subject == Subject.REGULATION:
        add("PROCEDURE_CODE", "string", False, _("Thủ tục hành chính được phản ánh (mã thủ tục hoặc tên thủ tục)."),
            _("Mã thủ tục trong Cơ sở dữ liệu quốc gia, ví dụ 2.000505."))
    elif category.subject == Subject.DOSSIER:
        add("DOSSIER_CODE", "string", True, _("Mã hồ sơ được phản ánh (in trên Giấy tiếp nhận hồ sơ và hẹn trả "
                                              "kết quả)."), _("Ví dụ 000.00.14.H42-261123-0007."))
    elif category.subject == Subject.CONDUCT:
        agencies = Agency.objects.filter(is_active=True).order_by("code").values_list("code", "name")
        add("AGENCY", "singlevaluelist", True, _("Cơ quan nơi cán bộ, công chức bị phản ánh công tác."),
            values=list(agencies))
        add("OFFICIAL_NAME", "string", False, _("Họ tên hoặc chức vụ của cán bộ, công chức (nếu biết)."))
    add("TITLE", "string", False, _("Tiêu đề ngắn của phản ánh, kiến nghị."), _("Tối đa 200 ký tự."))
    add("PUBLISH_IDENTITY", "singlevaluelist", False,
        _("Người gửi có đồng ý công khai họ tên cùng câu trả lời không (mặc định: không)."),
        values=[("false", _("Không công khai danh tính")), ("true", _("Đồng ý công khai họ tên"))])
    return rows


def _category(code: str) -> Category:
    category = Category.objects.filter(code=code, is_active=True).first()
    if category is None:
        raise Open311Error(404, _("Không tìm thấy service_code “%(code)s”.") % {"code": code})
    return category


@endpoint
def discovery(request, fmt):
    """Service discovery: where the GeoReport v2 endpoint is and which formats it speaks."""
    latest = Category.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
    changeset = timezone.localtime(latest).strftime("%Y-%m-%d %H:%M") if latest else "2025-07-01 00:00"
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    data = {
        "changeset": changeset,
        "contact": getattr(settings, "OPEN311_CONTACT", "") or _(
            "Trung tâm Phục vụ hành chính công tỉnh — liên hệ quản trị hệ thống Một Cửa."),
        "key_service": _("Đề nghị cấp khóa API (api_key) bằng văn bản gửi Trung tâm Phục vụ hành chính công tỉnh; "
                         "khóa do quản trị hệ thống cấp."),
        "endpoints": [{"specification": SPEC, "url": base + reverse("open311:root"), "changeset": changeset,
                       "type": "production", "formats": ["text/xml", "application/json"]}],
    }
    return render(fmt, "discovery", data)


@endpoint
def service_list(request, fmt):
    data = [service_data(c) for c in Category.objects.filter(is_active=True).order_by("order", "code")]
    return render(fmt, "services", data)


@endpoint
def service_definition(request, service_code, fmt):
    category = _category(service_code)
    return render(fmt, "service_definition", {"service_code": category.code,
                                              "attributes": attributes_for(category)})


# ---------------------------------------------------------------- requests


def status_notes(feedback: Feedback) -> str | None:
    public = feedback.status == Status.ANSWERED and feedback.is_published
    if feedback.status == Status.UNVERIFIED:
        return _("Chờ người gửi xác thực thông tin liên hệ.")
    if feedback.status == Status.RECEIVED:
        return _("Đã tiếp nhận, đang phân loại.")
    if feedback.status == Status.ASSIGNED:
        return _("Đang được %(agency)s xử lý; hạn trả lời %(due)s.") % {
            "agency": feedback.responsible_agency.name,
            "due": timezone.localtime(feedback.due_at).strftime("%d/%m/%Y")}
    if feedback.status == Status.ANSWERED:
        return services.redact(feedback.answer) if public else _("Đã trả lời người gửi.")
    if feedback.status == Status.REJECTED:
        return _("Không xử lý: %(reason)s") % {"reason": feedback.reject_reason}
    return _("Trùng nội dung, được xử lý cùng phản ánh %(code)s.") % {"code": feedback.merged_into.code}


def request_data(feedback: Feedback) -> dict:
    public = feedback.status == Status.ANSWERED and feedback.is_published
    identity = public and feedback.publish_identity
    description = None
    if public:
        description = feedback.description if identity else services.redact(feedback.description)
    return {
        "service_request_id": feedback.code,
        "status": "closed" if feedback.status in CLOSED_STATUSES else "open",
        "status_notes": status_notes(feedback),
        "service_name": feedback.category.name,
        "service_code": feedback.category.code,
        "description": description,
        "agency_responsible": feedback.responsible_agency.name if feedback.responsible_agency_id else None,
        "service_notice": service_notice(feedback.category),
        "requested_datetime": w3(feedback.submitted_at),
        "updated_datetime": w3(feedback.closed_at or feedback.updated_at),
        "expected_datetime": w3(feedback.due_at),
        "address": (feedback.address or None) if identity else None,
        "address_id": (feedback.address_id or None) if identity else None,
        "zipcode": None,
        "lat": float(feedback.lat) if identity and feedback.lat is not None else None,
        "long": float(feedback.long) if identity and feedback.long is not None else None,
        "media_url": (feedback.media_url or None) if public else None,
    }


def _moment(value: str, param: str, end_of_day=False) -> datetime:
    value = value.strip()
    moment = parse_datetime(value.replace(" ", "+")) if "T" in value else None
    if moment is None and "T" not in value:
        day = parse_date(value)
        if day is not None:
            moment = timezone.make_aware(datetime.combine(day, datetime.max.time() if end_of_day
                                                          else datetime.min.time()))
    if moment is None or timezone.is_naive(moment):
        raise Open311Error(400, _("%(param)s “%(value)s” không đúng định dạng W3C có múi giờ, ví dụ "
                                  "2026-01-01T00:00:00+07:00 hoặc 2026-01-01T00:00:00Z.") % {
            "param": param, "value": value})
    return moment


def _list(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _query_requests(request):
    qs = Feedback.objects.exclude(status=Status.UNVERIFIED).select_related(
        "category", "responsible_agency", "merged_into")
    ids = _list(request.GET.get("service_request_id", ""))
    if ids:  # "This overrides all other arguments."
        return qs.filter(code__in=[i.upper() for i in ids[:MAX_RESULTS]]).order_by("-submitted_at", "-id")
    errors = []
    start = end = None
    try:
        if request.GET.get("start_date", "").strip():
            start = _moment(request.GET["start_date"], "start_date")
    except Open311Error as exc:
        errors += exc.descriptions
    try:
        if request.GET.get("end_date", "").strip():
            end = _moment(request.GET["end_date"], "end_date", end_of_day=True)
    except Open311Error as exc:
        errors += exc.descriptions
    statuses = _list(request.GET.get("status", "").lower())
    wrong = [s for s in statuses if s not in ("open", "closed")]
    if wrong:
        errors.append(_("status “%(value)s” không hợp lệ; chỉ nhận open hoặc closed.") % {"value": ",".join(wrong)})
    if not errors and start and end:
        if start > end:
            errors.append(_("start_date phải trước end_date."))
        elif end - start > MAX_SPAN:
            errors.append(_("Khoảng thời gian từ start_date đến end_date không được quá 90 ngày."))
    if errors:
        raise Open311Error(400, *errors)
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        start = end - MAX_SPAN
    if end is None:
        end = start + MAX_SPAN
    qs = qs.filter(submitted_at__gte=start, submitted_at__lte=end)
    codes = _list(request.GET.get("service_code", ""))
    if codes:
        qs = qs.filter(category__code__in=codes)
    if statuses and set(statuses) != {"open", "closed"}:
        qs = qs.filter(status__in=CLOSED_STATUSES) if statuses[0] == "closed" else qs.exclude(
            status__in=CLOSED_STATUSES)
    return qs.order_by("-submitted_at", "-id")


@csrf_exempt
@endpoint
def requests_view(request, fmt):
    if request.method == "POST":
        return create_request(request, fmt)
    if request.method not in ("GET", "HEAD"):
        raise Open311Error(400, _("Chỉ hỗ trợ GET và POST."))
    rows = [request_data(f) for f in _query_requests(request)[:MAX_RESULTS]]
    return render(fmt, "service_requests", rows)


@endpoint
def request_detail(request, service_request_id, fmt):
    feedback = Feedback.objects.select_related("category", "responsible_agency", "merged_into").filter(
        code=service_request_id.upper()).first()
    if feedback is None:
        raise Open311Error(404, _("Không tìm thấy service_request_id “%(id)s”.") % {"id": service_request_id})
    return render(fmt, "service_requests", [request_data(feedback)])


@endpoint
def token_detail(request, token, fmt):
    feedback = Feedback.objects.filter(token=token).first()
    if feedback is None:
        raise Open311Error(404, _("Không tìm thấy token “%(token)s”.") % {"token": token})
    return render(fmt, "service_requests", [{"service_request_id": feedback.code, "token": feedback.token}])


# ---------------------------------------------------------------- POST a request

PARAM_NAMES = {
    "category": "service_code", "description": "description", "sender_name": "first_name/last_name",
    "sender_phone": "phone", "sender_email": "email", "verify_by": "phone/email", "title": "attribute[TITLE]",
    "procedure": "attribute[PROCEDURE_CODE]", "dossier_code": "attribute[DOSSIER_CODE]",
    "concerned_agency": "attribute[AGENCY]", "attachments": "media_url",
}


def _attributes(post) -> dict[str, list[str]]:
    found = {}
    for key in post.keys():
        match = _ATTRIBUTE.match(key)
        if match:
            found.setdefault(match.group(1), []).extend(v.strip() for v in post.getlist(key))
    return found


def _coordinate(value: str, param: str, limit: int, errors: list) -> Decimal | None:
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        errors.append(_("%(param)s “%(value)s” không phải là số.") % {"param": param, "value": value})
        return None
    if not number.is_finite() or abs(number) > limit:
        errors.append(_("%(param)s phải trong khoảng -%(limit)d đến %(limit)d.") % {"param": param, "limit": limit})
        return None
    return number.quantize(Decimal("0.000001"))


def create_request(request, fmt):
    """POST Service Request: validate everything first, then store in one transaction."""
    post = request.POST
    raw_key = post.get("api_key", "").strip()
    if not raw_key:
        raise Open311Error(403, _("Thiếu api_key — không thể tạo phản ánh. Đề nghị cấp khóa tại Trung tâm Phục vụ "
                                  "hành chính công tỉnh."))
    api_key = services.check_api_key(raw_key)
    if api_key is None:
        raise Open311Error(403, _("api_key không hợp lệ hoặc đã bị thu hồi — không thể tạo phản ánh."))
    code = post.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, _("Thiếu service_code (loại phản ánh); xem danh sách tại services.%(fmt)s.")
                           % {"fmt": fmt})
    category = _category(code)

    errors = []
    lat_raw, long_raw = post.get("lat", "").strip(), post.get("long", "").strip()
    address, address_id = post.get("address_string", "").strip(), post.get("address_id", "").strip()
    lat = long = None
    if lat_raw or long_raw:
        if not (lat_raw and long_raw):
            errors.append(_("Phải gửi cả lat và long."))
        else:
            lat = _coordinate(lat_raw, "lat", 90, errors)
            long = _coordinate(long_raw, "long", 180, errors)
    if not (lat_raw and long_raw) and not address and not address_id:
        errors.append(_("Thiếu vị trí: phải gửi lat và long, hoặc address_string, hoặc address_id."))
    if len(address) > 300:
        errors.append(_("address_string tối đa 300 ký tự."))
    media_url = post.get("media_url", "").strip()
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            errors.append(_("media_url phải là một địa chỉ http(s) hợp lệ."))
    given = _attributes(post)
    definitions = {a["code"]: a for a in attributes_for(category)}
    values = {}
    for attr_code, attribute in definitions.items():
        answers = [v for v in given.get(attr_code, []) if v]
        if not answers:
            if attribute["required"]:
                errors.append(_("Thiếu attribute[%(code)s]: %(description)s") % {
                    "code": attr_code, "description": attribute["description"]})
            continue
        if attribute["datatype"] == "singlevaluelist":
            keys = {str(v["key"]) for v in attribute["values"]}
            if len(answers) > 1 or answers[0] not in keys:
                errors.append(_("attribute[%(code)s] “%(value)s” không nằm trong danh sách giá trị của dịch vụ.")
                              % {"code": attr_code, "value": ",".join(answers)})
                continue
        values[attr_code] = answers[0]
    agency = Agency.objects.filter(code=values["AGENCY"]).first() if "AGENCY" in values else None
    submission = services.Submission(
        category=category, description=post.get("description", ""), title=values.get("TITLE", ""),
        sender_name=" ".join(p for p in (post.get("last_name", "").strip(), post.get("first_name", "").strip()) if p),
        sender_phone=post.get("phone", ""), sender_email=post.get("email", ""), address=address,
        publish_identity=values.get("PUBLISH_IDENTITY") == "true", procedure=values.get("PROCEDURE_CODE", ""),
        dossier_code=values.get("DOSSIER_CODE", ""), concerned_agency=agency,
        official_name=values.get("OFFICIAL_NAME", ""), channel=Channel.API, api_key=api_key, lat=lat, long=long,
        address_id=address_id, media_url=media_url, account_id=post.get("account_id", "").strip(),
        device_id=post.get("device_id", "").strip(), attributes=values)
    field_errors, _links = services.validate_submission(submission)
    for name, message in field_errors.items():
        param = PARAM_NAMES.get(name, name)
        if not (name == "concerned_agency" and any("AGENCY" in e for e in errors)):
            errors.append(f"{param}: {message}")
    if errors:
        raise Open311Error(400, *errors)
    try:
        feedback = services.submit(submission)
    except services.FeedbackError as exc:  # e.g. no service centre configured
        raise Open311Error(400, exc.message) from None
    notice = service_notice(category)
    if feedback.status == Status.UNVERIFIED:
        notice += " " + _("Phản ánh được tiếp nhận sau khi người gửi xác thực số điện thoại hoặc thư điện tử theo "
                          "tin nhắn đã gửi.")
    return render(fmt, "service_requests", [{"service_request_id": feedback.code, "service_notice": notice,
                                             "account_id": feedback.account_id or None}], status=201)
