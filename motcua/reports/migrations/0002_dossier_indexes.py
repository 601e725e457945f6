"""Indexes the reports read on the dossier tables (owned here, so the dossiers app stays unaware).

* one partial index per moment a report counts (received, finished, returned, supplement requested),
  so the recent, not-yet-rolled-up tail is found without scanning the table;
* the "possibly overdue" index: dossiers received and either open or finished after their legal due
  moment (plus stopped/closed ones), by legal due moment — on PostgreSQL it carries the columns the
  overdue count needs, so that count is an index-only scan;
* stop and close events by moment (the dossier row has no column for them).
"""
from django.db import migrations

PARTIAL = [
    ("reports_dossier_received", "dossiers_dossier", "received_at", "received_at IS NOT NULL"),
    ("reports_dossier_finished", "dossiers_dossier", "finished_at", "finished_at IS NOT NULL"),
    ("reports_dossier_returned", "dossiers_dossier", "returned_at", "returned_at IS NOT NULL"),
    ("reports_dossier_supplement", "dossiers_dossier", "supplement_requested_at",
     "supplement_requested_at IS NOT NULL"),
    ("reports_event_end", "dossiers_dossierevent", "at", "action IN ('stop', 'close_unsupplemented')"),
    ("reports_apology_approved", "dossiers_apologyletter", "approved_at", "approved_at IS NOT NULL"),
]
PENDING_WHERE = "received_at IS NOT NULL AND (finished_at IS NULL OR finished_at > legal_due_at)"
PENDING_INCLUDE = "received_at, finished_at, status, competent_agency_id, procedure_version_id"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for name, table, column, where in PARTIAL:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column}) WHERE {where}")
    include = f" INCLUDE ({PENDING_INCLUDE})" if vendor == "postgresql" else ""
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS reports_dossier_pending ON dossiers_dossier "
                          f"(legal_due_at){include} WHERE {PENDING_WHERE}")


def drop(apps, schema_editor):
    for name, *_ in PARTIAL + [("reports_dossier_pending",)]:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("dossiers", "0004_postal_and_online_payment"),
    ]
    operations = [migrations.RunPython(create, drop)]
