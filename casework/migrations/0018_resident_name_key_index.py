"""Find a resident lists residents by name ignoring case, in the "C" collation (`casework.selectors.name_order`):
this index is that order, and a surname typed is one range of it, so the first fifty of a common surname are read
from it directly (walked in the database's name order instead, PostgreSQL tested 162,000 residents for the first
Smith among 1,000,000 complaints). PostgreSQL only; SQLite orders the same way without it."""

from django.db import migrations, models
from django.db.models import F
from django.db.models.functions import Collate, Upper

from casework.migration_operations import AddIndexOnPostgreSQL


class Migration(migrations.Migration):
    dependencies = [("casework", "0017_case_kind_index_covered")]

    operations = [
        AddIndexOnPostgreSQL(
            "resident",
            models.Index(
                Collate(Upper("last_name"), "C"), Collate(Upper("first_name"), "C"), F("id"), name="resident_name_key_idx"
            ),
        ),
    ]
