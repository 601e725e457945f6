"""Append-only audit trails: a recorded event can be neither edited nor deleted through the application.

Dossier and feedback events both derive from :class:`TrailEvent` (an :class:`AppendOnlyModel`);
each names what it records in the Vietnamese refusals (``edit_refused`` / ``delete_refused``). Changes to reference data
(catalogue, organisation, accounts) are recorded by django-auditlog, whose request context
:class:`AuditContextMiddleware` sets.
"""
from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied(self.model.edit_refused)

    def delete(self):
        raise PermissionDenied(self.model.delete_refused)


class AppendOnlyModel(models.Model):
    edit_refused = _("Nhật ký không được sửa.")
    delete_refused = _("Nhật ký không được xóa.")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied(self.edit_refused)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(self.delete_refused)


class TrailEvent(AppendOnlyModel):
    """One entry of an append-only trail: who did what, when, for which agency, and why.

    Each concrete trail adds its subject (the dossier, the feedback) and its state columns.
    """

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    action = models.CharField(max_length=40)
    agency = models.ForeignKey("orgs.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]


class AuditContextMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware (who changed an audited model, from which address), except on
    the public lookup, which changes no audited model.

    The lookup is the portal's hottest path and the context costs it a signal receiver connected
    and disconnected per request (a twentieth of its time).
    """

    WITHOUT_CONTEXT = frozenset({"/tra-cuu/", "/api/v1/dossiers/lookup", "/healthz"})

    def __call__(self, request):
        if request.path_info in self.WITHOUT_CONTEXT:
            return self.get_response(request)
        return super().__call__(request)
