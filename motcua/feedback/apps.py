from django.apps import AppConfig


class Config(AppConfig):
    name = "motcua.feedback"
    label = "feedback"
    verbose_name = "Phản ánh, kiến nghị"

    def ready(self):
        from auditlog.registry import auditlog

        from motcua.feedback import models

        # Feedback itself changes only through services, which write FeedbackEvent rows; the
        # data an admin edits (categories and their deadlines, API keys) is audited here.
        auditlog.register(models.Category)
        auditlog.register(models.ApiKey, exclude_fields=["key_hash", "last_used_at"])
