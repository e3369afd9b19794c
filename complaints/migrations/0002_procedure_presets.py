"""The procedures councils use, as data an administrator can schedule (see complaints.models.ProcedureVersion).

The legacy three-stage corporate procedure applies to complaints received before 1 April 2024, when the
Housing Ombudsman's Complaint Handling Code became statutory; the Code's two stages apply from then. The
'stage 1 complaint review' procedure ships unscheduled for councils that still use it."""

from django.db import migrations

from complaints.presets import install



def load(apps, schema_editor):
    install(
        apps.get_model("complaints", "Procedure"),
        apps.get_model("complaints", "ProcedureVersion"),
        apps.get_model("complaints", "ProcedureStage"),
    )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
