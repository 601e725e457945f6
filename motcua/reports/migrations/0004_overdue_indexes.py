"""The overdue count reads two small partial indexes instead of one large one.

* open dossiers (not finished, in an open state) by legal due moment: "overdue now" is a short range;
* dossiers finished after their legal due moment, by finishing moment and by due moment: "overdue at a
  past moment T" takes those finished after T and due before it, whichever range is shorter.
On PostgreSQL they carry the columns the count needs (index-only scans).
"""
from django.db import migrations

OPEN = "('received', 'in_progress', 'awaiting_supplement', 'approved')"
INDEXES = [
    ("reports_dossier_open", "legal_due_at", "received_at, competent_agency_id, procedure_version_id",
     f"finished_at IS NULL AND status IN {OPEN}"),
    ("reports_dossier_late_finished", "finished_at", "legal_due_at, received_at, competent_agency_id, "
     "procedure_version_id", "finished_at > legal_due_at"),
    ("reports_dossier_late_due", "legal_due_at", "finished_at, received_at, competent_agency_id, "
     "procedure_version_id", "finished_at > legal_due_at"),
]


def create(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    schema_editor.execute("DROP INDEX IF EXISTS reports_dossier_pending")
    for name, column, include, where in INDEXES:
        extra = f" INCLUDE ({include})" if postgres else ""
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON dossiers_dossier ({column}){extra} WHERE {where}")


def drop(apps, schema_editor):
    for name, *_ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_alter_rollup_grain_rollup_rollup_agency_grain_day")]
    operations = [migrations.RunPython(create, drop)]
