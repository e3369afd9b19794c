"""Service commitments per municipal year (from the annual council meeting in May), their progress, and the
carry-over of those not done (seed 002 figure 2)."""

import pytest
from django.core.exceptions import PermissionDenied

from casework.roles import Role
from casework.services import DomainError
from learning import services
from learning.models import CommitmentStatus, MunicipalYear, ServiceCommitment, third_wednesday_of_may
from tests.factories import UserFactory
from tests.learning.conftest import D

pytestmark = pytest.mark.django_db

# Seed 002 figure 2: responsive repairs service commitments for 2022/23, and how each ended.
SEED_COMMITMENTS = [
    (
        "Follow on works process to be reviewed with a view to improving communication with residents.",
        "complete",
        "The follow on works processes have been reviewed along with new processes for works orders.",
    ),
    (
        "Mears Customer Service – MAPD training to be undertaken with all Mears staff.",
        "complete",
        "All MAPD training was completed as required.",
    ),
    (
        "Mears MCM Training – refresher training on MCM via E-Learning with a test.",
        "progress",
        "Mears MCM training is still in development stages. This commitment will therefore be carried over.",
    ),
    (
        "Recruitment to vacant posts within Technical Services.",
        "progress",
        "There continues to be ongoing recruitment within this area.",
    ),
]


def test_the_municipal_year_starts_at_the_annual_council_meeting():
    assert third_wednesday_of_may(2025) == D("2025-05-21")
    assert services.municipal_year_for(D("2025-05-20")).label == "2024/25"
    assert services.municipal_year_for(D("2025-05-21")).label == "2025/26"
    assert services.municipal_year_for(D("2026-04-30")).label == "2025/26"
    # An administrator records the real date of the 2026 annual meeting.
    MunicipalYear.objects.create(year=2026, starts_on=D("2026-05-13"))
    assert services.municipal_year_for(D("2026-05-12")).label == "2025/26"
    assert services.municipal_year_for(D("2026-05-13")).label == "2026/27"
    assert MunicipalYear.objects.get(year=2025).ends_on == D("2026-05-12")


def test_unfinished_commitments_are_carried_over_once(repairs, manager):
    year_2022 = MunicipalYear.objects.create(year=2022, starts_on=D("2022-05-25"))
    year_2023 = MunicipalYear.objects.create(year=2023, starts_on=D("2023-05-24"))
    for text, outcome, progress in SEED_COMMITMENTS:
        item = services.add_commitment(municipal_year=year_2022, service_area=repairs, commitment=text, actor=manager)
        if outcome == "complete":
            services.complete_commitment(item, actor=manager, progress_summary=progress)
        else:
            services.update_progress(item, actor=manager, progress_summary=progress)

    assert services.carry_over_commitments(year_2023) == 2
    assert services.carry_over_commitments(year_2023) == 0

    carried = ServiceCommitment.objects.filter(municipal_year=year_2023).order_by("id")
    assert [c.commitment for c in carried] == [SEED_COMMITMENTS[2][0], SEED_COMMITMENTS[3][0]]
    assert all(c.status == CommitmentStatus.IN_PROGRESS and c.progress_summary == "" for c in carried)
    old = carried[0].carried_over_from
    assert old.municipal_year == year_2022 and old.status == CommitmentStatus.CARRIED_OVER
    assert old.progress_summary.startswith("Mears MCM training is still in development")
    assert sorted(ServiceCommitment.objects.filter(municipal_year=year_2022).values_list("status", flat=True)) == [
        "carried_over",
        "carried_over",
        "completed",
        "completed",
    ]


def test_the_monthly_cycle_carries_over_once_the_new_year_has_started(repairs, manager):
    last = MunicipalYear.objects.create(year=2024, starts_on=D("2024-05-22"))
    MunicipalYear.objects.create(year=2025, starts_on=D("2025-05-21"))
    services.add_commitment(municipal_year=last, service_area=repairs, commitment="Review voids", actor=manager)
    assert services.run_monthly_cycle(D("2025-05-01")).commitments_carried == 0  # still 2024/25
    result = services.run_monthly_cycle(D("2025-06-02"))
    assert result.commitments_carried == 1
    assert "1 service commitments carried over" in str(result)
    assert services.run_monthly_cycle(D("2025-07-01")).commitments_carried == 0


def test_commitment_rules(repairs, manager):
    year = MunicipalYear.objects.create(year=2025, starts_on=D("2025-05-21"))
    item = services.add_commitment(municipal_year=year, service_area=repairs, commitment="Train staff", actor=manager)
    with pytest.raises(DomainError, match="Summarise the progress"):
        services.complete_commitment(item, actor=manager)
    with pytest.raises(DomainError, match="Say why"):
        services.withdraw_commitment(item, actor=manager, reason="")
    item = services.withdraw_commitment(item, actor=manager, reason="The contract ended.")
    assert item.status == CommitmentStatus.WITHDRAWN and "Withdrawn: The contract ended." in item.progress_summary
    with pytest.raises(DomainError, match="closed for this year"):
        services.update_progress(item, actor=manager, progress_summary="More")
    investigator = UserFactory(username="inv", role=Role.INVESTIGATING_OFFICER)
    with pytest.raises(PermissionDenied):
        services.add_commitment(municipal_year=year, service_area=repairs, commitment="x", actor=investigator)
