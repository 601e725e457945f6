"""Who may see and act where.

An official acts only within the agencies they hold a role in (and those agencies'
internal units); inspectors read across the whole province. Every view and service
asks these functions instead of checking roles itself.
"""
from django.db.models import QuerySet

from motcua.orgs.models import Agency, Role, StaffRole


def _with_internal_units(agency_ids: set[int]) -> set[int]:
    """Add the internal units (phòng, văn phòng) below the given agencies, any depth."""
    result, frontier = set(agency_ids), set(agency_ids)
    while frontier:
        children = set(
            Agency.objects.filter(parent_id__in=frontier, kind=Agency.Kind.INTERNAL_UNIT)
            .values_list("id", flat=True)
        ) - result
        result |= children
        frontier = children
    return result


def agency_ids_for(user, roles=None) -> set[int]:
    """Agencies where ``user`` holds one of ``roles`` (any role when None)."""
    if not user.is_authenticated:
        return set()
    rows = StaffRole.objects.filter(user=user)
    if roles is not None:
        rows = rows.filter(role__in=list(roles))
    return _with_internal_units(set(rows.values_list("agency_id", flat=True)))


def roles_of(user, agency: Agency) -> set[str]:
    """The roles ``user`` holds in ``agency`` (or in the agency it is an internal unit of)."""
    if not user.is_authenticated:
        return set()
    ids = {agency.id}
    parent = agency.parent
    while parent is not None and agency.kind == Agency.Kind.INTERNAL_UNIT:
        ids.add(parent.id)
        agency, parent = parent, parent.parent
    return set(StaffRole.objects.filter(user=user, agency_id__in=ids).values_list("role", flat=True))


def can_act(user, agency: Agency, role: str) -> bool:
    """True when ``user`` may perform work of ``role`` for ``agency``."""
    return role in roles_of(user, agency)


def is_inspector(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or StaffRole.objects.filter(user=user, role=Role.INSPECTOR).exists())


def can_read(user, agency: Agency) -> bool:
    """Officials read their own agencies' records; inspectors and superusers read everything."""
    return is_inspector(user) or bool(roles_of(user, agency))


def readable_agencies(user) -> QuerySet:
    if is_inspector(user):
        return Agency.objects.all()
    return Agency.objects.filter(id__in=agency_ids_for(user))


def is_staff_member(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.staff_roles.exists())
