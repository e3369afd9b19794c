"""The demo data `make run` loads has an ombudsman case at every stage, and loading it twice adds nothing."""

import io

import pytest
from django.core.management import call_command

from ombudsman.models import OmbudsmanCase, OmbudsmanStage

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_case_at_every_stage_and_loads_once():
    call_command("seed_demo", stdout=io.StringIO())
    stages = set(OmbudsmanCase.objects.values_list("status", flat=True))
    assert stages == set(OmbudsmanStage.values)
    assert OmbudsmanCase.objects.filter(original_complaint__isnull=False).exists()
    assert OmbudsmanCase.objects.filter(information_requests__contributions__received_on__isnull=True).exists()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Demo ombudsman cases already loaded." in out.getvalue()
    assert OmbudsmanCase.objects.count() == 6
