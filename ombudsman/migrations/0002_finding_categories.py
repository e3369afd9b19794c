"""The finding categories the Housing Ombudsman uses in its landlord reports (seed 002's 'Ombudsman Findings
by Category'), and the ones a council's LGSCO cases need. An administrator edits the list in the admin."""

from django.db import migrations

CATEGORIES = [
    "Property condition",
    "Complaints handling",
    "Charges",
    "Moving to a property",
    "Moving from a property",
    "Staff",
    "Anti-social behaviour",
    "Estate management",
    "Health and safety",
    "Occupancy rights",
    "Information and data management",
    "Allocations and homelessness",
    "Other",
]


def load(apps, schema_editor):
    FindingCategory = apps.get_model("ombudsman", "FindingCategory")
    for position, name in enumerate(CATEGORIES, start=1):
        FindingCategory.objects.get_or_create(name=name, defaults={"position": position * 10})


class Migration(migrations.Migration):
    dependencies = [("ombudsman", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
