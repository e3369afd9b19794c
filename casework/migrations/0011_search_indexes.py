"""Indexes for what officers search by words. Django's icontains and istartswith compare UPPER(column) on
PostgreSQL, so the indexes are on UPPER(column): a trigram index for the summary (a word anywhere in it) and a
pattern index for residents' names and email (the start of one), and a full-text index on notes. PostgreSQL
only; SQLite migrates without them (casework.migration_operations)."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import TrigramExtension
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models
from django.db.models.functions import Upper

from casework.migration_operations import AddIndexOnPostgreSQL


def trigram(field, name):
    return GinIndex(OpClass(Upper(field), name="gin_trgm_ops"), name=name)


def prefix(field, name):
    return models.Index(OpClass(Upper(field), name="text_pattern_ops"), name=name)


class Migration(migrations.Migration):
    dependencies = [("casework", "0010_queue_order_index")]

    operations = [
        # Skipped on other databases by Django itself.
        TrigramExtension(),
        AddIndexOnPostgreSQL("case", trigram("summary", "case_summary_trgm_idx")),
        AddIndexOnPostgreSQL("case", models.Index(Upper("external_reference"), name="case_external_ref_upper_idx")),
        AddIndexOnPostgreSQL("resident", prefix("first_name", "resident_first_name_upper_idx")),
        AddIndexOnPostgreSQL("resident", prefix("last_name", "resident_last_name_upper_idx")),
        AddIndexOnPostgreSQL("resident", prefix("email", "resident_email_upper_idx")),
        AddIndexOnPostgreSQL("note", GinIndex(SearchVector("body", config="english"), name="note_words_idx")),
    ]
