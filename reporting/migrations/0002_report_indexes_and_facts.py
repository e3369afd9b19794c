"""Indexes the dashboard needs on tables other apps own, and the stage facts for complaints already stored.

The indexes are written as SQL here (not in those apps' models) so that reporting's needs stay with
reporting; they change no model state."""

from django.db import migrations


def fill_facts(apps, schema_editor):
    # Filled by 0003_figures_by_scheme_kind with SQL frozen as of that migration: calling today's
    # `reporting.facts.refresh_all` here would name columns this migration's tables do not have yet.
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_reporting_tables"),
    ]

    operations = [
        migrations.RunSQL(
            # "Closed in the last 7 days" on the SLA dashboard.
            "CREATE INDEX IF NOT EXISTS report_case_closed_idx ON casework_case (kind, closed_at) "
            "WHERE closed_at IS NOT NULL",
            "DROP INDEX IF EXISTS report_case_closed_idx",
        ),
        migrations.RunPython(fill_facts, migrations.RunPython.noop),
    ]
