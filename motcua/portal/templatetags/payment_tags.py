"""Payment state of a dossier for pages that show it (the rules are in ``portal.payments``)."""
from django import template

from motcua.portal import payments

register = template.Library()


@register.simple_tag
def payment_state(dossier, user):
    """{"can_pay", "refusal", "fee"} for ``user`` looking at ``dossier``."""
    refusal = payments.payment_refusal(dossier, user)
    return {"can_pay": refusal is None, "refusal": refusal, "fee": payments.fee_of(dossier)}
