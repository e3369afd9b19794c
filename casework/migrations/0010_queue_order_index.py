import datetime

import django.db.models.functions.comparison
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0009_saved_views"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                models.Case(models.When(is_urgent=True, then=models.Value(0)), default=models.Value(1)),
                django.db.models.functions.comparison.Coalesce("next_due_on", models.Value(datetime.date(9999, 12, 31))),
                models.F("received_on"),
                models.F("reference"),
                name="case_queue_order_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["received_on", "reference"], name="case_received_reference_idx"),
        ),
    ]
