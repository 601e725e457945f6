from django.apps import AppConfig


class Config(AppConfig):
    name = "motcua.catalog"
    label = "catalog"
    verbose_name = "Thủ tục hành chính"

    def ready(self):
        from auditlog.registry import auditlog

        from motcua.catalog import models

        # Status and decision changes are written by services.publish as explicit events
        # (who, when, from, to, which decision); automatic entries cover every other edit.
        auditlog.register(models.Procedure, exclude_fields=["current_version"])
        auditlog.register(models.ProcedureVersion, exclude_fields=["status", "decision", "search_text"],
                          m2m_fields={"agencies"})
        for model in (models.Field, models.OnlineLevel, models.PublicationDecision, models.RequiredDocument,
                      models.ProcessStep, models.ProcedureBundle):
            auditlog.register(model)
