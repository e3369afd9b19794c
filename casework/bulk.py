"""Writing many rows fast, for data generation and imports: COPY on PostgreSQL, executemany elsewhere.

Rows bypass model save() and signals (so no field history is recorded); callers are responsible for
writing valid, complete rows and any timeline entries they want."""

from django.db import connection


def column_names(model):
    return [field.column for field in model._meta.concrete_fields]


def copy_rows(model, columns, rows):
    """Insert `rows` (tuples in the order of `columns`) into the model's table. Returns the row count."""
    table = connection.ops.quote_name(model._meta.db_table)
    column_list = ", ".join(connection.ops.quote_name(column) for column in columns)
    count = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})"  # noqa: S608 - names from the model
    batch = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) >= 5_000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def next_ids(model, count):
    """Reserve `count` consecutive primary keys for rows written with explicit ids; returns the first."""
    table = model._meta.db_table
    pk = model._meta.pk.column
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk])
            sequence = cursor.fetchone()[0]
            if sequence:
                # Advance the sequence past the block in one statement so concurrent inserts never collide.
                highest = f"SELECT COALESCE(MAX({quote(pk)}), 0) FROM {quote(table)}"  # noqa: S608
                cursor.execute(
                    f"SELECT setval(%s, GREATEST(nextval(%s), ({highest}) + 1) + %s - 1)", [sequence, sequence, count]
                )
                last = cursor.fetchone()[0]
                return last - count + 1
        cursor.execute(f"SELECT COALESCE(MAX({quote(pk)}), 0) FROM {quote(table)}")  # noqa: S608
        return cursor.fetchone()[0] + 1


def copy_records(model, records):
    """Insert `records` (dicts of column name to value) into the model's own table with `copy_rows`, filling
    every column a record leaves out with the field's default (or NULL, or '' for text; an automatic
    primary key left out of the first record is numbered by the database), so callers name
    only the columns they mean and keep working when a field with a default is added to the model.
    JSON fields are serialised here. Returns the row count."""
    import json
    import operator

    from django.db import models
    from django.utils import timezone

    records = list(records)
    if not records:
        return 0
    fields = model._meta.local_concrete_fields  # a child model's own table: its parent link and own fields
    pk = model._meta.pk
    if isinstance(pk, models.AutoField | models.BigAutoField) and pk.column not in records[0]:
        fields = [field for field in fields if field is not pk]  # the database numbers them
    columns = [field.column for field in fields]
    defaults = {}
    now = timezone.now()
    for field in fields:
        if field.has_default():
            defaults[field.column] = field.get_default()
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            defaults[field.column] = now
        elif field.null:
            defaults[field.column] = None
        elif field.blank and isinstance(field, models.CharField | models.TextField):
            defaults[field.column] = ""
    json_columns = {field.column for field in fields if isinstance(field, models.JSONField)}
    pick = operator.itemgetter(*columns)
    template = {column: value for column, value in defaults.items() if column in columns}

    def dump(value):
        return None if value is None else ("{}" if value == {} else json.dumps(value))

    def rows():
        # Merging into the defaults and picking the columns both run in C: this is the hot loop of an import.
        for record in records:
            row = pick({**template, **record})
            if len(columns) == 1:
                row = (row,)
            if json_columns:
                row = tuple(
                    dump(value) if column in json_columns else value for column, value in zip(columns, row, strict=True)
                )
            yield row

    return copy_rows(model, columns, rows())
