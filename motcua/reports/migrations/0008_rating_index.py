"""Ratings by moment with the agency and level they need: the per-agency satisfaction rates of a year
are then an index-only scan (the portal's indexes lead with the agency)."""
from django.db import migrations


def create(apps, schema_editor):
    include = " INCLUDE (competent_agency_id, overall)" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS reports_rating_time ON portal_satisfactionrating "
                          f"(rated_at){include}")


def drop(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS reports_rating_time")


class Migration(migrations.Migration):
    dependencies = [("reports", "0007_rollup_overdue"), ("portal", "0001_satisfaction_rating")]
    operations = [migrations.RunPython(create, drop)]
