import datetime
import django.db.models.functions.comparison
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0013_case_links"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                models.Case(models.When(is_urgent=True, then=models.Value(0)), default=models.Value(1)),
                django.db.models.functions.comparison.Coalesce(
                    "next_due_on", models.Value(datetime.date(9999, 12, 31))
                ),
                models.F("received_on"),
                models.F("reference"),
                condition=models.Q(("closed_at__isnull", True)),
                name="case_open_queue_order_idx",
            ),
        ),
    ]
