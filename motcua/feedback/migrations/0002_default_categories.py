"""The categories every installation starts with: ``motcua.feedback.defaults``."""
from django.db import migrations


def forwards(apps, schema_editor):
    from motcua.feedback.defaults import ensure_categories
    ensure_categories(apps.get_model("feedback", "Category"))


class Migration(migrations.Migration):

    dependencies = [("feedback", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
