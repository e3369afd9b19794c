"""Demo learning for `make run`: the monthly cycle run over the demo complaints, earlier plans in each status
(the responsive repairs plan is seed 002's figure 1), and last municipal year's responsive repairs
commitments (seed 002 figure 2) with the unfinished ones carried over. Safe to run again."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from casework.models import ServiceArea
from learning import services
from learning.models import LearningActionPlan, LearningLead, ServiceCommitment

FIGURE_1 = (
    "Delays due to a repair not being raised in the first instance and the supervisor not progressing works "
    "following review.",
    "All staff have been reminded of the correct processes relating to repairs being undertaken in the first "
    "instance and the progression of works following supervisor attendances.",
    "A new process has been put into place to capture and manage supervisor visits to ensure works are progressed "
    "without any delays. This is monitored weekly by the Contracts Manager. Visits are logged and filed in a "
    "dedicated folder and reviewed regularly.",
)

# (commitment, progress summary, done)
FIGURE_2 = [
    (
        "Follow on works process to be reviewed with a view to improving communication with residents and the "
        "Council with regard to new or existing works orders.",
        "The follow on works processes have been reviewed along with the implementation of new processes relating "
        "to the overall management of works orders across all contract types.",
        True,
    ),
    (
        "Customer service training (Making A Positive Difference) to be undertaken with all contractor staff.",
        "All training was completed as required.",
        True,
    ),
    (
        "Refresher training on the repairs system via e-learning with a test, to be undertaken with all "
        "contractor staff.",
        "The training is still in development stages. Management continue to support all staff with system "
        "changes and refreshers. This commitment will therefore be carried over to the next year.",
        False,
    ),
    (
        "Review of responsive repairs appointment management: checklists to ensure key tasks such as status and "
        "diary review are completed, to reduce missed appointments.",
        "A review of day-to-day business processes has been undertaken, including a review of key tasks; this "
        "continues to be reviewed weekly.",
        True,
    ),
    (
        "A Customer Liaison Officer to be appointed; post inspections and site visits to monitor works and keep "
        "residents informed.",
        "A Customer Liaison Officer was appointed; visits and post inspections have been undertaken by the "
        "operational management team.",
        True,
    ),
    (
        "Recruitment to vacant posts within Technical Services, so works are progressed and monitored swiftly "
        "after a property inspection.",
        "There continues to be ongoing recruitment within this area.",
        False,
    ),
]


def _months_ago(day, months):
    month = day.replace(day=1)
    for _ in range(months):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return month


def load_demo(stdout):
    if ServiceCommitment.objects.exists():
        stdout.write("Demo learning already loaded.")
        return
    User = get_user_model()
    officer, investigator = User.objects.get(username="officer"), User.objects.get(username="investigator")
    manager, head = User.objects.get(username="manager"), User.objects.get(username="head")
    repairs = ServiceArea.objects.get(name="Responsive Repairs")
    gas = ServiceArea.objects.get(name="Gas Servicing and Repairs")
    today = timezone.localdate()
    LearningLead.objects.get_or_create(service_area=repairs, defaults={"officer": investigator})
    # Services no demo team covers: the complaints manager leads their learning.
    for area in ServiceArea.objects.filter(teams__isnull=True, learning_lead__isnull=True):
        LearningLead.objects.create(service_area=area, officer=manager)

    cycle = services.run_monthly_cycle(today, force=True)

    # Three months ago: seed 002's figure 1, implemented and verified.
    verified = services.open_plan(
        service_area=repairs, month=_months_ago(today, 3), actor=officer, lead_officer=investigator
    )
    services.update_plan(
        verified,
        actor=investigator,
        what_went_wrong=FIGURE_1[0],
        action_to_address_cause=FIGURE_1[1],
        evidence_of_implementation=FIGURE_1[2],
    )
    services.implement(verified, actor=investigator)
    services.verify(verified, actor=head)

    # Two months ago: gas servicing, written in part and past its timescale (backdated for the demo).
    overdue = services.open_plan(service_area=gas, month=_months_ago(today, 2), actor=officer, lead_officer=manager)
    services.start(overdue, actor=manager)
    services.update_plan(
        overdue,
        actor=manager,
        what_went_wrong="Engineers attended without the parts needed, so heating repairs took two or three visits.",
        action_to_address_cause="Van stock reviewed with the contractor; common boiler parts added.",
    )
    LearningActionPlan.objects.filter(pk=overdue.pk).update(
        opened_on=_months_ago(today, 1), due_on=today - datetime.timedelta(days=10)
    )

    this_year = services.municipal_year_for(today)
    last_year = services.municipal_year_for(this_year.starts_on - datetime.timedelta(days=1))
    for text, progress, done in FIGURE_2:
        item = services.add_commitment(
            municipal_year=last_year, service_area=repairs, commitment=text, actor=manager, lead_officer=investigator
        )
        if done:
            services.complete_commitment(item, actor=manager, progress_summary=progress)
        else:
            services.update_progress(item, actor=manager, progress_summary=progress)
    carried = services.carry_over_commitments(this_year)
    new = services.add_commitment(
        municipal_year=this_year,
        service_area=repairs,
        commitment="Supervisor visits logged and reviewed weekly, following the learning action plan.",
        actor=manager,
        lead_officer=investigator,
    )
    new.plans.add(verified)
    stdout.write(
        f"Demo learning loaded ({len(cycle.plans_opened) + 2} plans, {len(FIGURE_2) + 1} commitments, "
        f"{carried} carried over into {this_year.label})."
    )
