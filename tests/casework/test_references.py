import datetime
import threading

import pytest
from django.db import connection, connections

from casework.models import Case, CaseKind
from casework.services import allocate_references
from tests.factories import ServiceAreaFactory


@pytest.mark.django_db
def test_references_count_up_per_prefix_and_year():
    assert allocate_references("CMP", 2025) == ["CMP-2025-000001"]
    assert allocate_references("CMP", 2025, count=3) == [
        "CMP-2025-000002",
        "CMP-2025-000003",
        "CMP-2025-000004",
    ]
    assert allocate_references("CMP", 2026) == ["CMP-2026-000001"]
    assert allocate_references("ME", 2025) == ["ME-2025-000001"]


@pytest.mark.django_db
def test_reference_count_must_be_positive():
    with pytest.raises(ValueError, match="at least 1"):
        allocate_references("CMP", 2025, count=0)


@pytest.mark.django_db(transaction=True)
def test_references_stay_unique_when_many_cases_are_created_at_once(postgresql_only):
    """Eight connections open cases at the same time; every reference is different and none is skipped."""
    area = ServiceAreaFactory()
    threads_count, per_thread = 8, 25
    barrier = threading.Barrier(threads_count)
    errors = []

    def open_cases():
        try:
            barrier.wait()
            for _ in range(per_thread):
                reference = allocate_references("CMP", 2025)[0]
                Case.objects.create(
                    reference=reference,
                    kind=CaseKind.COMPLAINT,
                    status="received",
                    summary="Concurrent",
                    service_area=area,
                    received_on=datetime.date(2025, 1, 6),
                )
        except Exception as error:  # reported below; a thread's exception would otherwise vanish
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=open_cases) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    references = list(Case.objects.values_list("reference", flat=True))
    assert len(references) == len(set(references)) == threads_count * per_thread
    numbers = sorted(int(reference.rsplit("-", 1)[1]) for reference in references)
    assert numbers == list(range(1, threads_count * per_thread + 1))
    assert connection.vendor == "postgresql"
