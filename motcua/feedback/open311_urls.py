"""Open311 GeoReport v2 (mounted at /open311/): discovery plus the v2 endpoint."""
from django.urls import path, re_path
from django.views.generic import RedirectView

from motcua.feedback import open311

app_name = "open311"
FMT = r"\.(?P<fmt>[A-Za-z0-9]+)$"
urlpatterns = [
    re_path(r"^discovery" + FMT, open311.discovery, name="discovery"),
    # The endpoint's root has nothing of its own in the spec: it points at the discovery file.
    path("v2/", RedirectView.as_view(pattern_name="open311:discovery", permanent=False),
         {"fmt": "xml"}, name="root"),
    re_path(r"^v2/services" + FMT, open311.service_list, name="services"),
    re_path(r"^v2/services/(?P<service_code>[^/]+?)" + FMT, open311.service_definition, name="service"),
    re_path(r"^v2/requests" + FMT, open311.requests_view, name="requests"),
    re_path(r"^v2/requests/(?P<service_request_id>[^/]+?)" + FMT, open311.request_detail, name="request"),
    re_path(r"^v2/tokens/(?P<token>[^/]+?)" + FMT, open311.token_detail, name="token"),
]
