"""Full-text indexes on what a complaint says and what the council answered (casework.search.words).
PostgreSQL only; SQLite migrates without them."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

from casework.migration_operations import AddIndexOnPostgreSQL


class Migration(migrations.Migration):
    dependencies = [("complaints", "0009_response_drafts"), ("casework", "0011_search_indexes")]

    operations = [
        AddIndexOnPostgreSQL(
            "complaint",
            GinIndex(SearchVector("description", "outcome_wanted", config="english"), name="complaint_words_idx"),
        ),
        AddIndexOnPostgreSQL(
            "complaintstage",
            GinIndex(SearchVector("response_summary", config="english"), name="complaint_stage_words_idx"),
        ),
    ]
