"""The finding categories the product ships with (see ombudsman.categories); an administrator edits them."""

from django.db import migrations

from ombudsman.categories import install


def load(apps, schema_editor):
    install(apps.get_model("ombudsman", "FindingCategory"))


class Migration(migrations.Migration):
    dependencies = [("ombudsman", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
