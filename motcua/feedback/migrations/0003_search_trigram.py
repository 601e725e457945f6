"""PostgreSQL only: a trigram index for the public search of answered feedback.

``Feedback.search_text`` holds the folded (accent-free, lower-case) code, category, title,
content and answer, so a substring search can use a GIN trigram index, as the catalogue
does. SQLite has no such extension and scans the rows, which is fast enough at its scale.
"""
from django.db import migrations

INDEX = "feedback_search_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON feedback_feedback USING gin (search_text gin_trgm_ops)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [("feedback", "0002_default_categories")]

    operations = [migrations.RunPython(forwards, backwards)]
