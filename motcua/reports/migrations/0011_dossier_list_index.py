"""The dossier list behind a figure of one agency, newest reception first: read along this index, a
page needs the agency's latest few hundred dossiers, not a heap block for each of its dossiers of the
year (109,000 rows and 98,000 blocks for a department of the 10,000,000-dossier benchmark city)."""
from django.db import migrations


def create(apps, schema_editor):
    schema_editor.execute("CREATE INDEX IF NOT EXISTS reports_dossier_agency_received ON dossiers_dossier "
                          "(competent_agency_id, received_at DESC, id DESC)")


def drop(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS reports_dossier_agency_received")


class Migration(migrations.Migration):
    dependencies = [("reports", "0010_rollup_by_agency")]
    operations = [migrations.RunPython(create, drop)]
