"""Load the GOV.UK bank-holidays table shipped in sla/data/ so a new database knows every published date."""

import datetime
import json
from pathlib import Path

from django.db import migrations

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "bank-holidays.json"


def load(apps, schema_editor):
    BankHoliday = apps.get_model("sla", "BankHoliday")
    CalendarVersion = apps.get_model("sla", "CalendarVersion")
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    rows = [
        BankHoliday(
            division=division,
            date=datetime.date.fromisoformat(event["date"]),
            title=event["title"],
            notes=event.get("notes", ""),
            source="published",
        )
        for division, block in data.items()
        for event in block["events"]
    ]
    BankHoliday.objects.bulk_create(rows, ignore_conflicts=True)
    CalendarVersion.objects.get_or_create(pk=1, defaults={"version": 1})


def unload(apps, schema_editor):
    apps.get_model("sla", "BankHoliday").objects.filter(source="published").delete()


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
