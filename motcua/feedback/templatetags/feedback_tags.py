"""Display helpers for feedback pages (formatting only)."""
from django import template

register = template.Library()


@register.filter
def get_label(labels, key):
    """``labels[key]`` or the key itself."""
    return labels.get(key, key)
