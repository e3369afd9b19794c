"""Demo forms sent online for `make run`: a complaint, one made for a resident by their support worker, and a
first-time request, so the queue shows what residents sent and the "Received by: Web form" filter finds it."""

import datetime
import uuid

from django.utils import timezone

from casework.models import ServiceArea
from complaints.models import ComplaintType
from online import services

NAMESPACE = uuid.UUID("6f1c1d0e-6a55-4b9a-9d6c-2f8e6d0b7a10")


def _answers(**fields):
    return services.OnlineAnswers(**fields)


def load_demo(stdout):
    today = timezone.localdate()
    repairs = ServiceArea.objects.get(name="Responsive Repairs")
    tenancy = ServiceArea.objects.get(name="Tenancy Management")
    forms = [
        _answers(
            complaint=True,
            first_name="Marcus",
            last_name="Okafor",
            service_area=repairs,
            description="Damp and black mould in the back bedroom, reported in September and October.\n"
            "A surveyor came once and nothing has happened since.",
            contact_method="email",
            email="marcus.okafor@example.org",
            address_line_1="14 Canal Walk",
            postcode="E2 8DD",
            complaint_type=ComplaintType.DELAY,
            issue_occurred_on=today - datetime.timedelta(days=80),
            outcome_wanted="Treat the mould, fix the cause, and tell me when.",
        ),
        _answers(
            complaint=True,
            first_name="Edith",
            last_name="Marsh",
            service_area=tenancy,
            description="Letters about Mrs Marsh's tenancy are sent in small print she cannot read.",
            contact_method="phone",
            phone="07700 900123",
            address_line_1="3 Elm Court",
            postcode="E2 9AB",
            complaint_type=ComplaintType.COMMUNICATION,
            issue_occurred_on=today - datetime.timedelta(days=30),
            outcome_wanted="Send letters in large print and explain the last one.",
            representative=services.Representative(name="Priya Shah", relationship="Support worker"),
        ),
        _answers(
            complaint=False,
            first_name="Tom",
            last_name="Reilly",
            service_area=repairs,
            description="The kitchen extractor fan has stopped working.",
            contact_method="letter",
            address_line_1="22 Station Road",
            postcode="E3 4QT",
        ),
    ]
    made = 0
    for number, answers in enumerate(forms):
        _, created = services.submit(
            answers=answers, submission_key=uuid.uuid5(NAMESPACE, str(number)), sender_address="demo"
        )
        made += created
    stdout.write(f"Demo online forms loaded ({made} new: two complaints and a first-time request).")
