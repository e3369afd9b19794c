"""Full-text index on what the resident asked the ombudsman to look at (casework.search.words), and the
ombudsman's own reference compared upper-cased. PostgreSQL only; SQLite migrates without them."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models
from django.db.models.functions import Upper

from casework.migration_operations import AddIndexOnPostgreSQL


class Migration(migrations.Migration):
    dependencies = [("ombudsman", "0005_non_compliance_findings_and_publications"), ("casework", "0011_search_indexes")]

    operations = [
        AddIndexOnPostgreSQL(
            "ombudsmancase", GinIndex(SearchVector("description", config="english"), name="ombudsman_case_words_idx")
        ),
        AddIndexOnPostgreSQL(
            "ombudsmancase", models.Index(Upper("ombudsman_reference"), name="ombudsman_ref_upper_idx")
        ),
    ]
