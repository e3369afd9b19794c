"""Every kind of member gets a full response within 10 working days and an acknowledgement by the next
working day, until an administrator changes it."""

from django.db import migrations


def load(apps, schema_editor):
    EnquiryTarget = apps.get_model("enquiries", "EnquiryTarget")
    for member_type in ("councillor", "mp", "mayor", "cabinet"):
        EnquiryTarget.objects.get_or_create(
            member_type=member_type, defaults={"respond_within": 10, "acknowledge_within": 1}
        )


class Migration(migrations.Migration):
    dependencies = [("enquiries", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
