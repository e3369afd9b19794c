"""A PostgreSQL database holding a generated data set, created once and kept for later runs.

Benchmarks call `use_scale_database(complaints)`: it points Django at database `bench_scale_<complaints>`
on the server in DATABASE_URL, and creates, migrates and fills it (generate_cases) the first time."""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Measured as production serves pages: with DEBUG on, every query is also recorded and templates keep what a
# debug page needs, about a tenth of a queue page's time.
os.environ.setdefault("DEBUG", "false")

import django

django.setup()

from django.core.management import call_command
from django.db import connection, connections


def use_scale_database(complaints, name=None):
    """`name` gives a benchmark a database of its own (default `bench_scale_<complaints>`)."""
    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to a PostgreSQL server: this benchmark measures PostgreSQL.")
    name = name or f"bench_scale_{complaints}"
    with connection._nodb_cursor() as cursor:  # the server's maintenance database: DATABASE_URL's may not exist
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
        if not exists:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connections.close_all()
    connection.settings_dict["NAME"] = name
    from django.contrib.auth import get_user_model

    if not exists or not get_user_model().objects.filter(username="bench.officer").exists():
        print(f"(creating {name}: migrate and generate {complaints:,} complaints; kept for later runs)")
        began = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("generate_cases", complaints=complaints)
        print(f"(generated in {time.perf_counter() - began:.0f} s)")
    return name
