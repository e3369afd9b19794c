"""The demo history is generated in the import format and loaded through the importer: it must stay valid
and keep the seeds' shape (September-October rise, about 7% escalated, most answered on time)."""

import datetime

import pytest

from casework.reference_data import load_reference_data
from complaints import demo as complaint_demo
from complaints.models import Complaint, ComplaintStage
from enquiries import demo as enquiry_demo
from enquiries.models import Enquiry
from imports.core import import_rows
from tests.factories import make_office

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 25)


def test_the_complaint_history_imports_with_the_seeds_shape():
    load_reference_data()
    result = import_rows("complaints", complaint_demo.history_rows(TODAY), today=TODAY)
    assert result.ok, result.problems[:5]
    complaints = Complaint.objects.all()
    assert 1500 <= complaints.count() <= 1800
    escalated = ComplaintStage.objects.filter(number=2).count() / complaints.count()
    assert 0.05 <= escalated <= 0.09
    autumn = complaints.filter(received_on__month__in=[9, 10]).count() / complaints.count()
    assert autumn > 0.25  # two months of twelve hold over a quarter of the year's complaints
    answered = ComplaintStage.objects.filter(number=1, within_code_timescale__isnull=False)
    assert 0.8 <= answered.filter(within_code_timescale=True).count() / answered.count() <= 0.95
    assert ComplaintStage.objects.filter(extended=True).exists()
    # Each complaint under the version of its scheme in force on the day it was received: the corporate scheme's
    # legacy procedure until the LGSCO's Code of April 2026.
    assert {c.procedure_version.procedure.code for c in complaints} == {
        "legacy-corporate-three-stage",
        "hos-code-2022",
        "hos-code-2024",
        "lgsco-code-2026",
    }


def test_the_enquiry_history_imports():
    load_reference_data()
    make_office()
    make_office("Cllr Priya Nair", "Cllr Priya Nair", "councillor")
    result = import_rows("enquiries", enquiry_demo.history_rows(TODAY), today=TODAY)
    assert result.ok, result.problems[:5]
    assert 4500 <= Enquiry.objects.count() <= 5500
    assert Enquiry.objects.filter(responded_in_time=False).exists()
