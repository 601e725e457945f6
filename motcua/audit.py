"""Append-only audit trails: a recorded event can be neither edited nor deleted through the application.

Dossier and feedback events both derive from :class:`AppendOnlyModel`; each names what it records
in the Vietnamese refusals (``edit_refused`` / ``delete_refused``).
"""
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
