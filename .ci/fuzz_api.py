"""Fuzz the API from its own OpenAPI schema with schemathesis and all its checks: no request may get a 500,
and every answer must be one the schema describes (status codes, bodies, headers, input rules).

Builds a throwaway PostgreSQL database with the demo data, starts gunicorn on a free loopback port, and runs
schemathesis twice within a fixed time budget: as the demo administrator (every officer's endpoint) and as a
members' portal user (the portal endpoints). Exits non-zero when any response is a server error.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework .venv/bin/python .ci/fuzz_api.py

FUZZ_SECONDS (default 240) is the whole budget, split between the two passes.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.management import call_command
from django.db import connection, connections

# A throwaway database named after the one DATABASE_URL names, so two checkouts fuzzing at once do not meet.
DATABASE = f"{connection.settings_dict['NAME']}_fuzz"
BUDGET = int(os.environ.get("FUZZ_SECONDS", "240"))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_database():
    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to a PostgreSQL server: the API is fuzzed against PostgreSQL.")
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{DATABASE}"')
    connections.close_all()
    connection.settings_dict["NAME"] = DATABASE
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from django.contrib.auth import get_user_model

    from accounts.services import issue_api_token

    users = get_user_model().objects
    tokens = {
        "administrator": issue_api_token(users.get(username="admin"), days=1)[1],
        "portal": issue_api_token(users.get(username="caseworker"), days=1)[1],
    }
    schema = ROOT / "var" / "fuzz-openapi.yaml"
    schema.parent.mkdir(exist_ok=True)
    call_command("spectacular", "--file", str(schema), verbosity=0)
    write_config(users.get(username="caseworker"), tokens)
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{DATABASE}"
    return url, tokens, schema


CONFIG = ROOT / "var" / "schemathesis.toml"  # the folder of the per-pass files


def write_config(portal_user, tokens):
    """Schemathesis's configuration, one file per pass: its token under the schema's security scheme (so the
    auth checks can tell a request sent without it), and real references for the paths that name a case, so
    the fuzzer reaches past 'not found' into the
    transitions and their validation (one open case of each kind; the fuzzer moves it through its states)."""
    from complaints.models import Complaint, ServiceRequest
    from enquiries.models import Enquiry
    from enquiries.selectors import office_enquiries

    def first(queryset):
        return queryset.filter(closed_at__isnull=True).order_by("id").values_list("reference", flat=True).first()

    references = {
        r"^/api/v1/complaints/\\{reference\\}": first(Complaint.objects.all()),
        r"^/api/v1/service-requests/\\{reference\\}": first(ServiceRequest.objects.all()),
        r"^/api/v1/enquiries/\\{reference\\}": first(Enquiry.objects.all()),
        r"^/api/v1/portal/enquiries/\\{reference\\}": first(office_enquiries(portal_user)),
    }
    blocks = [
        f'[[operations]]\ninclude-path-regex = "{pattern}"\nparameters = {{ "path.reference" = "{reference}" }}\n'
        for pattern, reference in references.items()
        if reference
    ]
    for name, token in tokens.items():
        auth = f'[auth.openapi.knoxApiToken]\napi_key = "Token {token}"\n'
        (CONFIG.parent / f"schemathesis-{name}.toml").write_text("\n".join([auth, *blocks]))


def fuzz(schema, base, token, seconds, *filters, config="administrator"):
    command = [
        str(ROOT / ".venv" / "bin" / "schemathesis"),
        "--config-file",
        str(CONFIG.parent / f"schemathesis-{config}.toml"),
        "run",
        str(schema),
        "--url",
        base,
        "--checks",
        os.environ.get("FUZZ_CHECKS", "all"),
        # Left out: positive_data_acceptance, because a schema-valid request the domain refuses (a date before
        # the acknowledgement, an id that names nothing) is a 400 or 409 by design; negative_data_rejection,
        # because DRF reads a number sent for a text field as its text and an empty date filter as none.
        "--exclude-checks",
        os.environ.get("FUZZ_EXCLUDE_CHECKS", "positive_data_acceptance,negative_data_rejection"),
        "--phases",
        "examples,coverage,fuzzing",
        "--max-time",
        str(seconds),
        "--request-timeout",
        "30",
        "--workers",
        "2",
        "--seed",
        os.environ.get("FUZZ_SEED", "20250417"),
        "--suppress-health-check",
        "all",
        "--no-color",
        *filters,
    ]
    print("$", " ".join(command).replace(token, "<token>"), flush=True)
    return subprocess.run(command, cwd=ROOT, timeout=seconds + 300).returncode  # noqa: S603 - our own tool


def main():
    database_url, tokens, schema = prepare_database()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_URL": "dummymail://",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)  # tasks run in the web process: one thing less to start
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn on loopback
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310 - loopback
                break
            except OSError:
                time.sleep(0.2)
        officers = fuzz(
            schema, base, tokens["administrator"], BUDGET * 3 // 4, "--exclude-path-regex", "^/api/v1/portal/"
        )
        portal = fuzz(
            schema, base, tokens["portal"], BUDGET // 4, "--include-path-regex", "^/api/v1/portal/", config="portal"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        connections.close_all()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    print(
        f"API fuzzing: officers' endpoints {'passed' if officers == 0 else 'FAILED'}, "
        f"portal endpoints {'passed' if portal == 0 else 'FAILED'}"
    )
    sys.exit(1 if officers or portal else 0)


if __name__ == "__main__":
    main()
