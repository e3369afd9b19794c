"""What a complaint says, as words stored beside it (a generated `tsvector` column, `search_words`, with its GIN
index), in place of the full-text index on the same expression: a broad search tests cases one by one, and
reading stored words costs a fraction of working them out from the description for each case
(casework.search.words, decision 0012). PostgreSQL computes the column on every write, COPY included, so no
service or import refreshes it. PostgreSQL only; SQLite migrates without it. Adding the column rewrites the
complaints table."""

from django.db import migrations

from casework.migration_operations import RunSQLOnPostgreSQL

WORDS = "to_tsvector('english'::regconfig, COALESCE(description, '') || ' ' || COALESCE(outcome_wanted, ''))"


class Migration(migrations.Migration):
    dependencies = [("complaints", "0012_report_indexes_refusals")]

    operations = [
        RunSQLOnPostgreSQL(
            f"ALTER TABLE complaints_complaint ADD COLUMN search_words tsvector GENERATED ALWAYS AS ({WORDS}) STORED; "
            "CREATE INDEX complaint_search_words_idx ON complaints_complaint USING gin (search_words); "
            "DROP INDEX IF EXISTS complaint_words_idx",
            f"CREATE INDEX IF NOT EXISTS complaint_words_idx ON complaints_complaint USING gin ({WORDS}); "
            "ALTER TABLE complaints_complaint DROP COLUMN search_words",
            "Store each complaint's words as a generated column with a GIN index",
        ),
    ]
