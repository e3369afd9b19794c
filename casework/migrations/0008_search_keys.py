"""Search keys: phone numbers by their digits and postcodes compact, filled for the rows already there."""

from django.db import migrations, models

from casework.search import normalise_phone, postcode_key

BATCH = 2_000


def _fill(model, source, derived, normalise):
    rows = []
    for row in model.objects.exclude(**{source: ""}).only("pk", source).iterator(chunk_size=BATCH):
        setattr(row, derived, normalise(getattr(row, source)))
        rows.append(row)
        if len(rows) >= BATCH:
            model.objects.bulk_update(rows, [derived])
            rows = []
    if rows:
        model.objects.bulk_update(rows, [derived])


def fill_search_keys(apps, schema_editor):
    _fill(apps.get_model("casework", "Property"), "postcode", "postcode_key", postcode_key)
    _fill(apps.get_model("casework", "Resident"), "phone", "phone_digits", normalise_phone)
    _fill(apps.get_model("casework", "Representative"), "phone", "phone_digits", normalise_phone)


class Migration(migrations.Migration):

    dependencies = [
        ('casework', '0007_stock_type_never_guessed'),
    ]

    operations = [
        migrations.AddField(
            model_name='property',
            name='postcode_key',
            field=models.CharField(blank=True, db_default='', db_index=True, default='', editable=False, max_length=10),
        ),
        migrations.AddField(
            model_name='representative',
            name='phone_digits',
            field=models.CharField(blank=True, db_default='', db_index=True, default='', editable=False, max_length=40),
        ),
        migrations.AddField(
            model_name='resident',
            name='phone_digits',
            field=models.CharField(blank=True, db_default='', db_index=True, default='', editable=False, max_length=40),
        ),
        migrations.RunPython(fill_search_keys, migrations.RunPython.noop, elidable=True),
    ]
