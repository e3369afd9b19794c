"""The optional survey of a closed complaint, asking the TP09 question: sent once to the resident of a landlord
complaint about an LCRA or LCHO home, answered once on its public page, and counted apart from TP09, which is a
tenant perception measure and counts the perception survey's answers only."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail

from casework.models import StockType
from casework.reference_data import load_reference_data
from casework.roles import Role
from complaints import services
from reporting import closure_survey, selectors
from reporting.models import ClosureSurvey, SurveyAnswer
from tests.factories import PropertyFactory, ResidentFactory, UserFactory, log_complaint

D = datetime.date.fromisoformat
pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(settings, django_capture_on_commit_callbacks):
    settings.CLOSURE_SURVEY = True
    load_reference_data()

    def close(stock_type=StockType.LCRA, email="ada@example.org", service_area=None):
        handler = UserFactory(role=Role.COMPLAINTS_OFFICER)
        home = PropertyFactory(stock_type=stock_type)
        resident = ResidentFactory(email=email, home=home)
        kwargs = {"service_area": service_area} if service_area else {}
        complaint = log_complaint(
            received_on=D("2025-03-03"), assigned_to=handler, resident=resident, home=home, **kwargs
        )
        if complaint.procedure_version.stages.get(number=1).acknowledge_within:
            services.acknowledge(complaint, on=D("2025-03-04"), actor=handler)
        services.respond(
            complaint, actor=handler, on=D("2025-03-14"), summary="Fixed", points=[services.Point("Leak", "upheld")]
        )
        with django_capture_on_commit_callbacks(execute=True):
            services.close(complaint, actor=handler)
        return complaint

    return close


def _link(message):
    return re.search(r"https?://\S+(/survey/[^/\s]+/)", message.body).group(1)


def test_a_closed_landlord_complaint_sends_one_survey_and_its_answer_is_counted_apart_from_tp09(closed, client):
    complaint = closed()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ada@example.org"]
    assert complaint.reference in mail.outbox[0].subject
    survey = ClosureSurvey.objects.get(complaint=complaint)
    assert survey.sent_at is not None and survey.send_to == ""  # the address is forgotten once sent
    assert complaint.timeline.filter(kind="closure_survey_sent").exists()
    assert not closure_survey.deliver(survey.pk)  # a retry sends nothing
    path = _link(mail.outbox[0])

    page = client.get(path)
    assert page.status_code == 200
    assert "How satisfied or dissatisfied are you with our approach to complaints handling?" in page.content.decode()
    empty = client.post(path, {})
    assert empty.status_code == 200 and "Select how satisfied or dissatisfied you are" in empty.content.decode()
    assert client.post(path, {"answer": "fairly_satisfied"}).status_code == 200
    answer = SurveyAnswer.objects.get()
    assert (answer.stock_type, answer.answer, answer.reference) == (
        StockType.LCRA,
        "fairly_satisfied",
        complaint.reference,
    )
    # Answered today: counted in the reporting year (1 April to 31 March) today falls in.
    year = answer.answered_on.year if answer.answered_on.month >= 4 else answer.answered_on.year - 1
    lcra = {m["stock_type"]: m for m in selectors.tenant_satisfaction(year)["measures"]}[StockType.LCRA]
    assert (lcra["closure_survey_answers"], lcra["closure_survey_satisfied"]) == (1, 1)
    assert lcra["closure_survey_percent"] == Decimal("100.0")
    assert (lcra["survey_answers"], lcra["tp09"]) == (0, None)  # not a perception survey answer

    again = client.post(path, {"answer": "very_dissatisfied"})
    assert "already been answered" in again.content.decode()
    assert SurveyAnswer.objects.count() == 1
    assert client.get("/survey/not-a-token/").status_code == 404


def test_dont_know_is_thanked_for_and_left_out_of_tp09(closed, client):
    closed()
    path = _link(mail.outbox[0])
    assert client.post(path, {"answer": "dont_know"}).status_code == 200
    assert not SurveyAnswer.objects.exists() and ClosureSurvey.objects.get().answered_at is not None


def test_only_residents_tp09_counts_are_asked_and_only_when_the_council_asks(closed, settings):
    closed(stock_type=StockType.LEASEHOLD)
    closed(email="")
    from casework.models import ServiceArea

    closed(service_area=ServiceArea.objects.get(name="Allocations"))  # the corporate scheme
    assert not ClosureSurvey.objects.exists() and mail.outbox == []
    settings.CLOSURE_SURVEY = False
    closed()
    assert not ClosureSurvey.objects.exists() and mail.outbox == []


def test_a_link_older_than_the_survey_is_open_for_takes_no_answer(closed, client):
    closed()
    survey = ClosureSurvey.objects.get()
    ClosureSurvey.objects.filter(pk=survey.pk).update(created_at=survey.created_at - datetime.timedelta(days=91))
    page = client.post(_link(mail.outbox[0]), {"answer": "very_satisfied"})
    assert "This survey has closed." in page.content.decode() and not SurveyAnswer.objects.exists()


def test_tp09_counts_the_perception_survey_alone_and_shows_the_closure_survey_beside_it(closed, client, manager):
    closed()
    assert client.post(_link(mail.outbox[0]), {"answer": "very_dissatisfied"}).status_code == 200
    closure = SurveyAnswer.objects.get()
    # Two perception survey answers on the same day, one satisfied: TP09 is 50%, whatever the closure survey says.
    for answer in ("fairly_satisfied", "neither"):
        SurveyAnswer.objects.create(
            answered_on=closure.answered_on, stock_type=StockType.LCRA, answer=answer, survey="Tenant perception survey"
        )
    year = closure.answered_on.year if closure.answered_on.month >= 4 else closure.answered_on.year - 1
    lcra = {m["stock_type"]: m for m in selectors.tenant_satisfaction(year)["measures"]}[StockType.LCRA]
    assert (lcra["satisfied"], lcra["survey_answers"], lcra["tp09"]) == (1, 2, Decimal("50.0"))
    assert (lcra["closure_survey_satisfied"], lcra["closure_survey_answers"]) == (0, 1)
    assert lcra["closure_survey_percent"] == Decimal("0.0")

    client.force_login(manager)
    label = f"{year}/{str(year + 1)[2:]}"
    page = client.get("/reports/tenant-satisfaction/", {"year": label}).content.decode()
    assert "Closure survey (not a TSM)" in page and "(1 of 2)" in page and "(0 of 1)" in page
    api = client.get("/api/v1/reports/tenant-satisfaction/", {"year": label}).json()
    row = next(m for m in api["measures"] if m["stock_type"] == StockType.LCRA)
    assert (row["tp09"], row["closure_survey_answers"]) == ("50.0", 1)
