"""PostgreSQL only: unaccent + pg_trgm and a trigram index for catalogue search.

``ProcedureVersion.search_text`` already holds the folded "code name", so a substring
search (``LIKE '%dang ky%'``) can use a GIN trigram index. SQLite has neither extension
and scans a few thousand short rows fast enough, so the migration does nothing there.
"""
from django.db import migrations

INDEX = "catalog_version_search_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON catalog_procedureversion "
        "USING gin (search_text gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extensions may be used by other apps: leave them installed.
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [("catalog", "0003_current_version_constraint")]

    operations = [migrations.RunPython(forwards, backwards)]
