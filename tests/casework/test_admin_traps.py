"""The admin refuses what would break the product later, with a message on the form (never a 500)."""

import datetime

import pytest

from casework.reference_data import load_reference_data
from complaints.models import ComplaintScheme, Procedure, ProcedureVersion
from sla.models import ClosureDay

pytestmark = pytest.mark.django_db


def _stages(*rows):
    data = {
        "stages-TOTAL_FORMS": str(len(rows)),
        "stages-INITIAL_FORMS": "0",
        "stages-MIN_NUM_FORMS": "0",
        "stages-MAX_NUM_FORMS": "1000",
    }
    for index, (number, name) in enumerate(rows):
        data.update(
            {
                f"stages-{index}-number": str(number),
                f"stages-{index}-name": name,
                f"stages-{index}-acknowledge_within": "5",
                f"stages-{index}-respond_within": "10",
                f"stages-{index}-respond_from": "acknowledgement",
            }
        )
    return data


def test_a_procedure_version_needs_its_stages_before_it_is_saved(admin_client):
    procedure = Procedure.objects.create(code="corporate", name="Corporate procedure")
    load_reference_data()  # the shipped schemes, should a transactional test have emptied the tables
    scheme = ComplaintScheme.objects.get(code="corporate").pk
    page = admin_client.post(
        "/admin/complaints/procedureversion/add/",
        {"procedure": procedure.pk, "scheme": scheme, "applies_from": "2031-04-01", "notes": "", **_stages()},
    )
    assert page.status_code == 200
    assert "a version needs at least stage 1" in page.content.decode()
    assert not ProcedureVersion.objects.filter(applies_from="2031-04-01").exists()
    gap = admin_client.post(
        "/admin/complaints/procedureversion/add/",
        {
            "procedure": procedure.pk,
            "scheme": scheme,
            "applies_from": "2031-04-01",
            "notes": "",
            **_stages((1, "Stage 1"), (3, "Stage 3")),
        },
    )
    assert gap.status_code == 200 and "Number the stages 1, 2, 3 in order" in gap.content.decode()
    saved = admin_client.post(
        "/admin/complaints/procedureversion/add/",
        {
            "procedure": procedure.pk,
            "scheme": scheme,
            "applies_from": "2031-04-01",
            "notes": "",
            **_stages((1, "Stage 1")),
        },
    )
    assert saved.status_code == 302
    assert ProcedureVersion.objects.get(applies_from="2031-04-01").stages.count() == 1


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2030-06-01", "is a weekend day"),  # a Saturday
        ("2030-12-25", "is already a bank holiday"),  # Christmas Day
    ],
)
def test_a_closure_day_on_a_weekend_or_a_holiday_is_a_form_error(admin_client, day, message):
    from casework.reference_data import load_reference_data

    load_reference_data()
    page = admin_client.post("/admin/sla/closureday/add/", {"date": day, "reason": "Office move"})
    assert page.status_code == 200
    assert message in page.content.decode()
    assert not ClosureDay.objects.filter(date=datetime.date.fromisoformat(day)).exists()
    saved = admin_client.post("/admin/sla/closureday/add/", {"date": "2030-12-27", "reason": "Between Christmas"})
    assert saved.status_code == 302
