"""Stopped and closed dossiers by legal due moment: the overdue count at a past moment joins them to
their stop/close events without reading the whole dossier table."""
from django.db import migrations


def create(apps, schema_editor):
    include = " INCLUDE (received_at, competent_agency_id, procedure_version_id)" \
        if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS reports_dossier_ended ON dossiers_dossier (legal_due_at)"
                          f"{include} WHERE status IN ('stopped', 'closed')")


def drop(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS reports_dossier_ended")


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_alter_rollup_grain_alter_target_indicator")]
    operations = [migrations.RunPython(create, drop)]
