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
