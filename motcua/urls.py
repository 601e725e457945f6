from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from motcua import views

admin.site.site_header = "Quản trị Một Cửa"
admin.site.site_title = "Một Cửa"
admin.site.index_title = "Quản trị hệ thống"

urlpatterns = [
    path("", include("motcua.portal.urls")),
    path("desk/", include("motcua.dossiers.urls")),
    path("in/", include("motcua.forms_print.urls")),
    path("bao-cao/", include("motcua.reports.urls")),
    path("phan-anh/", include("motcua.feedback.urls")),
    path("open311/", include("motcua.feedback.open311_urls")),
    path("api/v1/", include("motcua.api.urls")),
    path("admin/", admin.site.urls),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", views.healthz, name="healthz"),
]

if settings.OIDC_ENABLED:  # the province's identity provider (mozilla-django-oidc), see settings
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
