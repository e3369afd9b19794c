"""Full-text index on what an enquiry asks and what the council answered (casework.search.words), and a
trigram index for the member's name. PostgreSQL only; SQLite migrates without them."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models.functions import Upper

from casework.migration_operations import AddIndexOnPostgreSQL


class Migration(migrations.Migration):
    dependencies = [("enquiries", "0003_workflow_kernel"), ("casework", "0011_search_indexes")]

    operations = [
        AddIndexOnPostgreSQL(
            "enquiry", GinIndex(SearchVector("description", "response", config="english"), name="enquiry_words_idx")
        ),
        AddIndexOnPostgreSQL(
            "member", GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="member_name_trgm_idx")
        ),
    ]
