"""Template helpers of the online-submission pages (display only)."""
from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.filter
def split_words(value):
    return value.split()


@register.filter
def field(form, name):
    """``form|field:"name"``: the bound field, for loops over field names."""
    return form[name]


@register.simple_tag
def oidc_login_url():
    """The province identity provider's sign-in URL, or "" when OIDC is not configured."""
    if not getattr(settings, "OIDC_ENABLED", False):
        return ""
    try:
        return reverse("oidc_authentication_init")
    except NoReverseMatch:
        return ""


@register.simple_tag
def oidc_provider_name():
    return getattr(settings, "OIDC_PROVIDER_NAME", "")
