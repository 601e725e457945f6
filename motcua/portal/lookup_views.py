"""Public dossier lookup page ``/tra-cuu/`` (the QR code on every printed form opens it).

GET shows the form (``?ma=<code>`` from the QR prefills the code and puts the cursor on the four
digits); POST looks the dossier up through ``portal.lookup``. A browser with JavaScript sends the
form with htmx and gets only the panel (answer or refusal) back; without it, the whole page. The
digits travel in the POST body, not in the address, so they stay out of browser history and server
logs. The anonymous path touches neither the session nor the database except for the one lookup
query.
"""
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from motcua.dossiers.models import Dossier
from motcua.portal import lookup as service
from motcua.portal import satisfaction

TEMPLATE = "portal/lookup/lookup.html"
PANEL = "portal/lookup/_panel.html"  # what the page's htmx form swaps in: the answer without the page around it


def _counter_link(request, code):
    """Officials who scan a dossier's QR at the desk get the counter tablet page for it."""
    user = request.user
    if not code or not user.is_authenticated:
        return ""
    dossier = Dossier.objects.filter(code=code).select_related("receiving_agency").first()
    if dossier is None or not satisfaction.may_record_at_counter(user, dossier):
        return ""
    return reverse("portal:rate_counter", args=[dossier.code])


def _rate_url(dossier) -> str:
    return reverse("portal:rate", args=[dossier.code]) + "?" + urlencode({"t": service.rating_token(dossier.id)})


def lookup(request):
    if request.method != "POST":
        code = service.normalise_code(request.GET.get("ma", ""))[:service.CODE_MAX]
        return render(request, TEMPLATE, {"code": code, "counter_url": _counter_link(request, code)})
    code, digits = request.POST.get("ma", ""), request.POST.get("so", "")
    context = {"code": service.normalise_code(code)[:service.CODE_MAX]}
    template = PANEL if request.htmx else TEMPLATE
    try:
        dossier = service.lookup(code, digits, client=service.client_ident(request))
    except service.InvalidInput as exc:
        context.update(error=exc.message, field_errors=exc.field_errors)
        return render(request, template, context, status=400)
    except service.Throttled as exc:
        context.update(error=exc.message, throttled=True)
        response = render(request, template, context, status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    except service.LookupFailed as exc:
        context.update(error=exc.message)
        return render(request, template, context, status=404)
    context["dossier"] = dossier
    if dossier.can_rate:
        context["rate_url"] = _rate_url(dossier)
    for part in dossier.parts:
        part.rate_url = _rate_url(part) if part.can_rate else ""
    return render(request, template, context)
