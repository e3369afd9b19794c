# The scheme becomes required once 0006 has given every existing version one.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("complaints", "0006_schemes_for_existing_versions")]

    operations = [
        migrations.AlterField(
            model_name="procedureversion",
            name="scheme",
            field=models.ForeignKey(
                help_text="The scheme whose complaints it applies to from its date.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="versions",
                to="complaints.complaintscheme",
            ),
        ),
        migrations.AddConstraint(
            model_name="procedureversion",
            constraint=models.UniqueConstraint(
                fields=("scheme", "applies_from"), name="one_version_per_scheme_and_day"
            ),
        ),
    ]
