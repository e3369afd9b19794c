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
    # Each complaint under its scheme's version in force on the day it was received.
    placed = {
        (c.received_on, c.procedure_version.scheme.code, c.procedure_version.procedure.code)
        for c in complaints.select_related("procedure_version__scheme", "procedure_version__procedure")
    }
    assert {(scheme, code) for _, scheme, code in placed} >= {
        ("housing-landlord", "hos-code-2022"),
        ("housing-landlord", "hos-code-2024"),
        ("corporate", "legacy-corporate-three-stage"),
        ("corporate", "lgsco-code-2026"),
    }
    assert [(day, scheme, code) for day, scheme, code in placed if code != _in_force(scheme, day)] == []


def _in_force(scheme, day):
    dates = {
        "housing-landlord": [
            (datetime.date(2024, 4, 1), "hos-code-2024"),
            (datetime.date(2022, 4, 1), "hos-code-2022"),
            (datetime.date(2020, 9, 1), "hos-code-2020"),
        ],
        "corporate": [(datetime.date(2026, 4, 1), "lgsco-code-2026")],
        "childrens-social-care": [(datetime.date(2006, 9, 1), "childrens-social-care-2006")],
        "adults-social-care": [(datetime.date(2009, 4, 1), "adults-social-care-2009")],
    }[scheme]
    return next((code for start, code in dates if day >= start), "legacy-corporate-three-stage")


def test_the_enquiry_history_imports():
    load_reference_data()
    make_office()
    make_office("Cllr Priya Nair", "Cllr Priya Nair", "councillor")
    result = import_rows("enquiries", enquiry_demo.history_rows(TODAY), today=TODAY)
    assert result.ok, result.problems[:5]
    assert 4500 <= Enquiry.objects.count() <= 5500
    assert Enquiry.objects.filter(responded_in_time=False).exists()
