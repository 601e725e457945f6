"""Satisfaction pages: rating a returned dossier online or on the counter tablet, and the public
per-agency figures (Đ33–34). Rules live in ``portal.satisfaction``; who may rate online is proven
by the public lookup (code + last 4 phone digits, throttled) or by the applicant's account."""
import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier
from motcua.orgs.models import Agency
from motcua.portal import lookup, satisfaction
from motcua.portal.models import RatingChannel, SatisfactionLevel

RATE_TEMPLATE = "portal/satisfaction/rate.html"
LEVELS = [SatisfactionLevel.VERY_SATISFIED, SatisfactionLevel.SATISFIED, SatisfactionLevel.DISSATISFIED]


def _fields(dossier, data=None, errors=None):
    """The questions with their options, each marked checked from ``data`` (a re-shown form)."""
    data, errors = data or {}, errors or {}
    fields = []
    for question in satisfaction.questions_for(dossier):
        fields.append(_field(question.criterion, question.label, question.required, data, errors))
    fields.append(_field("overall", _("Đánh giá chung về việc giải quyết hồ sơ"), True, data, errors))
    return fields


def _field(name, label, required, data, errors):
    current = str(data.get(name, ""))
    options = [(str(level.value), str(level.label), current == str(level.value)) for level in LEVELS]
    if not required:
        options.append(("", _("Không có ý kiến / không áp dụng"), current == ""))
    return {"name": name, "label": label, "required": required, "options": options,
            "error": errors.get(name, "")}


def _submitted(request, dossier):
    names = [q.criterion for q in satisfaction.questions_for(dossier)]
    return {name: request.POST.get(name, "") for name in names}


def _dossier_for_rating(request, code):
    """The dossier this browser may rate online (lookup token or own account), else None."""
    token_id = lookup.dossier_from_token(request.POST.get("t") or request.GET.get("t"))
    related = Dossier.objects.select_related("competent_agency", "receiving_agency", "procedure_version")
    if token_id is not None:
        return related.filter(pk=token_id, code=code).first(), token_id
    if request.user.is_authenticated:
        return related.filter(code=code, applicant_user=request.user).first(), None
    return None, None


def rate(request, code):
    """``portal:rate``: the applicant rates a returned dossier online."""
    code = lookup.normalise_code(code)[:lookup.CODE_MAX]
    if request.method == "POST" and request.POST.get("step") == "verify":
        return _verify(request, code)
    dossier, token_id = _dossier_for_rating(request, code)
    if dossier is None or not satisfaction.may_rate_online(request.user, dossier, token_id):
        return render(request, "portal/satisfaction/verify.html", {"code": code})
    token = request.POST.get("t") or request.GET.get("t") or ""
    return _rating_page(request, dossier, channel=RatingChannel.ONLINE, token=token,
                        action=reverse("portal:rate", args=[dossier.code]))


def _verify(request, code):
    """The lookup's check, then back to the rating page with a short-lived signed token."""
    try:
        found = lookup.lookup(code, request.POST.get("so", ""), client=lookup.client_ident(request))
    except lookup.LookupRefused as exc:
        status = 429 if isinstance(exc, lookup.Throttled) else 400 if isinstance(exc, lookup.InvalidInput) else 404
        response = render(request, "portal/satisfaction/verify.html",
                          {"code": code, "error": exc.message,
                           "field_errors": getattr(exc, "field_errors", {})}, status=status)
        if isinstance(exc, lookup.Throttled):
            response["Retry-After"] = str(exc.retry_after)
        return response
    return redirect(reverse("portal:rate", args=[found.code]) + "?" + urlencode({"t": lookup.rating_token(found.id)}))


def _rating_page(request, dossier, *, channel, action, token="", template=RATE_TEMPLATE):
    context = {"dossier": dossier, "token": token, "action": action, "channel": channel,
               "levels": LEVELS}
    problem = satisfaction.refusal(dossier)
    if problem and request.method != "POST":
        context["refusal"] = problem
        return render(request, template, context)
    if request.method != "POST":
        context["fields"] = _fields(dossier)
        return render(request, template, context)
    scores = _submitted(request, dossier)
    try:
        satisfaction.rate(dossier.pk, overall=request.POST.get("overall", ""), scores=scores,
                          comment=request.POST.get("comment", ""), channel=channel,
                          recorded_by=request.user if channel == RatingChannel.COUNTER else None,
                          actor=request.user)
    except satisfaction.AlreadyRated as exc:
        context["refusal"] = exc.message
        return render(request, template, context, status=409)
    except satisfaction.NotAllowed as exc:
        context["refusal"] = exc.message
        return render(request, template, context, status=403)
    except satisfaction.RatingError as exc:
        data = dict(scores, overall=request.POST.get("overall", ""))
        context.update(error=exc.message, fields=_fields(dossier, data, exc.field_errors),
                       comment=request.POST.get("comment", ""))
        return render(request, template, context, status=400)
    context["done"] = True
    return render(request, template, context)


@login_required
def rate_counter(request, code):
    """``portal:rate_counter``: the tablet page an official opens at the desk for the citizen."""
    code = lookup.normalise_code(code)[:lookup.CODE_MAX]
    dossier = (Dossier.objects.select_related("competent_agency", "receiving_agency", "procedure_version")
               .filter(code=code).first())
    if dossier is None or not satisfaction.may_record_at_counter(request.user, dossier):
        return render(request, "dossiers/403.html", {
            "message": _("Trang đánh giá tại quầy chỉ dành cho công chức tiếp nhận của nơi đã tiếp nhận hồ sơ."),
        }, status=403)
    return _rating_page(request, dossier, channel=RatingChannel.COUNTER,
                        action=reverse("portal:rate_counter", args=[dossier.code]),
                        template="portal/satisfaction/rate_counter.html")


def _parse_date(raw):
    raw = (raw or "").strip()
    if not raw:
        return None, None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(raw, fmt).date(), None
        except ValueError:
            continue
    return None, _("Ngày “%(value)s” không đúng định dạng dd/mm/yyyy.") % {"value": raw}


def published(request):
    """``portal:satisfaction``: satisfaction rate per agency and per criterion over a period."""
    today = timezone.localdate()
    params = request.GET
    errors = {}
    start, errors["tu"] = _parse_date(params.get("tu")) if "tu" in params else (today.replace(month=1, day=1), None)
    end, errors["den"] = _parse_date(params.get("den")) if "den" in params else (today, None)
    by = params.get("theo") if params.get("theo") in satisfaction.BY_FIELDS else "competent"
    agency = None
    if params.get("co_quan"):
        agency = Agency.objects.filter(code=params["co_quan"]).first()
        if agency is None:
            errors["co_quan"] = _("Không tìm thấy cơ quan có mã “%(code)s”.") % {"code": params["co_quan"]}
    errors = {k: v for k, v in errors.items() if v}
    result, status = None, 200
    if not errors:
        try:
            result = satisfaction.publication(start, end, by=by, agency=agency)
        except satisfaction.RatingError as exc:
            errors = exc.field_errors or {"tu": exc.message}
    if errors:
        status = 400
    agencies = Agency.objects.filter(is_active=True).order_by("name").only("code", "name")
    return render(request, "portal/satisfaction/published.html", {
        "result": result, "errors": errors, "by": by, "agency": agency, "agencies": agencies,
        "tu": params.get("tu", start.strftime("%d/%m/%Y") if start else ""),
        "den": params.get("den", end.strftime("%d/%m/%Y") if end else ""),
        "target": satisfaction.TARGET_RATE,
    }, status=status)
