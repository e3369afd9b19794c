"""How many SQL statements logging a complaint and each main action on it take, through the services (the same
path the pages and the API take). Counts, not times: they are steady on any machine.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework .venv/bin/python bench/transition_queries.py
"""

import datetime
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection
from django.test.utils import (
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
    teardown_test_environment,
)


def main():
    from django.contrib.auth import get_user_model

    from casework.models import IssueNature, ServiceArea
    from casework.reference_data import load_reference_data
    from casework.roles import Role, assign_role
    from complaints import services

    D = datetime.date.fromisoformat
    load_reference_data()
    users = get_user_model().objects
    amara = users.create_user("amara", "amara@example.org", first_name="Amara")
    tom = users.create_user("tom", "tom@example.org", first_name="Tom")
    for user in (amara, tom):
        assign_role(user, Role.COMPLAINTS_OFFICER)
    area = ServiceArea.objects.get(name="Rents")
    nature = IssueNature.objects.get(name="Rents")
    from casework.models import Resident

    counts = {}

    def count(name, call):
        services.log_complaint(  # warm per-process caches (calendar, content types) on a first complaint
            actor=amara, received_on=D("2025-04-10"), channel="email", service_area=area, issue_nature=nature,
            complaint_type="financial", description="x", outcome_wanted="y", resident=resident, assigned_to=amara,
        ) if not counts else None  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            result = call()
        counts[name] = len(queries)
        return result

    resident = Resident.objects.create(first_name="Ada", last_name="Lovelace")
    complaint = count(
        "log",
        lambda: services.log_complaint(
            actor=amara, received_on=D("2025-04-17"), channel="email", service_area=area, issue_nature=nature,
            complaint_type="financial", description="Charged twice", outcome_wanted="Refund", resident=resident,
            assigned_to=amara,
        ),
    )  # fmt: skip
    complaint = count("acknowledge", lambda: services.acknowledge(complaint, on=D("2025-04-22"), actor=amara))
    complaint = count(
        "respond",
        lambda: services.respond(
            complaint, actor=amara, on=D("2025-05-06"), summary="Refunded", points=[services.Point("Charge", "upheld")]
        ),
    )
    count("escalate", lambda: services.escalate(complaint, actor=amara, requested_on=D("2025-05-08"), handler=tom))
    for name, number in counts.items():
        print(f"{name:<12} {number:>4} SQL statements")


if __name__ == "__main__":
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        main()
    finally:
        teardown_databases(old, verbosity=0)
        teardown_test_environment()
