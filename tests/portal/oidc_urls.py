"""The project's URLs as they are when OIDC_RP_CLIENT_ID is set at start-up."""
from django.urls import include, path

from motcua.urls import urlpatterns as project

urlpatterns = [*project, path("oidc/", include("mozilla_django_oidc.urls"))]
