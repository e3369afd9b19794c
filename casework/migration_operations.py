"""Migration operations for what only PostgreSQL has (trigram and full-text GIN indexes, a generated words column).

The indexes are not in the models' Meta: SQLite (`make run`, part of the test suite) could not build them, and
the searches that use them fall back to plain comparisons there (casework.search). So they are added and
removed by the migration alone, on PostgreSQL alone, and the migration state does not carry them."""

from django.db import router
from django.db.migrations.operations.base import Operation


class AddIndexOnPostgreSQL(Operation):
    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name, index):
        self.model_name = model_name
        self.index = index

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if _applies(schema_editor, app_label):
            schema_editor.add_index(to_state.apps.get_model(app_label, self.model_name), self.index)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if _applies(schema_editor, app_label):
            schema_editor.remove_index(from_state.apps.get_model(app_label, self.model_name), self.index)

    def describe(self):
        return f"Create index {self.index.name} on {self.model_name} (PostgreSQL only)"

    def deconstruct(self):
        return self.__class__.__name__, [self.model_name, self.index], {}

    @property
    def migration_name_fragment(self):
        return self.index.name.lower()


class RunSQLOnPostgreSQL(Operation):
    """SQL for what only PostgreSQL has beyond an index (a generated `tsvector` column the models do not declare);
    nothing on other databases, and nothing in the migration state."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, sql, reverse_sql, description):
        self.sql = sql
        self.reverse_sql = reverse_sql
        self.description = description

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if _applies(schema_editor, app_label):
            schema_editor.execute(self.sql)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if _applies(schema_editor, app_label):
            schema_editor.execute(self.reverse_sql)

    def describe(self):
        return f"{self.description} (PostgreSQL only)"

    def deconstruct(self):
        return self.__class__.__name__, [self.sql, self.reverse_sql, self.description], {}


def _applies(schema_editor, app_label):
    return schema_editor.connection.vendor == "postgresql" and router.allow_migrate(
        schema_editor.connection.alias, app_label
    )
