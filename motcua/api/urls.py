from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView  # noqa: F401

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("calendar/", include("motcua.api.calendar")),
    path("", include("motcua.api.lookup")),
    path("", include("motcua.api.procedures")),
]
