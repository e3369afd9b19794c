"""Shared factories for tests. Each builds valid objects through the ORM; behaviour is exercised through
services, HTTP and the API in the tests themselves."""

import datetime

import factory
from django.contrib.auth import get_user_model

from casework.models import IssueNature, OfficerProfile, Property, Resident, ServiceArea, StockType, Team
from casework.roles import assign_role

TEST_PASSWORD = "correct-horse-battery-staple"


class ServiceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceArea
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Service area {n}")
    code = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class IssueNatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IssueNature
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Issue nature {n}")
    service_area = factory.SubFactory(ServiceAreaFactory)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    """A user; pass `role=Role.X` to put them in that role's group."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda o: f"{o.username}@council.example")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        self.save()
        if extracted:
            assign_role(self, extracted)

    @factory.post_generation
    def service_areas(self, create, extracted, **kwargs):
        profile, _ = OfficerProfile.objects.get_or_create(user=self)
        if extracted:
            profile.service_areas.set(extracted)


class PropertyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Property

    uprn = factory.Sequence(lambda n: f"{100000000 + n}")
    address_line_1 = factory.Faker("street_address", locale="en_GB")
    town = "Example Town"
    postcode = factory.Faker("postcode", locale="en_GB")
    stock_type = StockType.LCRA


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident

    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda o: f"{o.first_name}.{o.last_name}@example.org".lower())
    phone = "020 7946 0000"
    home = factory.SubFactory(PropertyFactory)


def monday(year=2025, month=1, day=6):
    return datetime.date(year, month, day)


class CaseFactory(factory.django.DjangoModelFactory):
    """A bare case row, for kernel and clock tests that do not need a complaint's lifecycle."""

    class Meta:
        model = "casework.Case"

    reference = factory.Sequence(lambda n: f"TST-2025-{n:06d}")
    kind = "complaint"
    status = "open"
    summary = "Test case"
    service_area = factory.SubFactory(ServiceAreaFactory)
    received_on = datetime.date(2025, 1, 6)


def log_complaint(actor=None, **overrides):
    """Log a complaint through the service, with sensible defaults for anything not given."""
    from complaints import services
    from complaints.models import Channel, ComplaintType

    area = overrides.pop("service_area", None) or ServiceAreaFactory(name="Responsive Repairs")
    fields = {
        "received_on": datetime.date(2025, 4, 17),
        "channel": Channel.EMAIL,
        "service_area": area,
        "issue_nature": overrides.pop("issue_nature", None)
        or IssueNatureFactory(name="Responsive Repairs (Mears)", service_area=area),
        "complaint_type": ComplaintType.DELAY,
        "summary": "Leak under the kitchen sink not fixed",
        "description": "Reported a leak three times; nobody came.",
        "outcome_wanted": "Fix the leak and apologise.",
        "resident": overrides.pop("resident", None) or ResidentFactory(),
    }
    fields.update(overrides)
    return services.log_complaint(actor=actor or UserFactory(username="logger"), **fields)


def make_office(name="Office of Sarah Ahmed MP", member_name="Sarah Ahmed MP", member_type="mp"):
    from enquiries.models import Member, MemberOffice

    office, _ = MemberOffice.objects.get_or_create(name=name)
    member, _ = Member.objects.get_or_create(
        name=member_name,
        member_type=member_type,
        defaults={
            "office": office,
            "constituency": "Northfield" if member_type == "mp" else "",
            "ward": "Canal" if member_type == "councillor" else "",
        },
    )
    return office, member


def portal_user(username, office):
    from enquiries.services import add_portal_user

    user = UserFactory(username=username)
    add_portal_user(user, office)
    return user


def submit_enquiry(member, user=None, **overrides):
    from enquiries import services

    fields = {
        "member": member,
        "submitted_by": user,
        "enquiry_type": "service_request",
        "service_area": overrides.pop("service_area", None) or ServiceAreaFactory(name="Responsive Repairs"),
        "description": "Broken window boarded up for a month.",
        "constituent": services.Constituent("Ada", "Lovelace", "ada@example.org", "", "12 Engine Row", "E1 6AN"),
        "consent_to_share": True,
        "received_on": datetime.date(2025, 4, 17),
    }
    fields.update(overrides)
    return services.submit_enquiry(**fields)[0]


def open_ombudsman_case(actor=None, **overrides):
    """Open an ombudsman case through the service, about a logged complaint unless one is given."""
    from ombudsman import services

    fields = {
        "ombudsman": "housing",
        "received_on": datetime.date(2025, 6, 2),
        "ombudsman_reference": "",
    }
    fields.update(overrides)
    if "original_complaint" not in fields:
        fields["original_complaint"] = log_complaint(received_on=datetime.date(2025, 4, 17))
    return services.open_case(actor=actor or UserFactory(username="logger"), **fields)


def finding_category(name):
    from ombudsman.models import FindingCategory

    return FindingCategory.objects.get(name=name)


def api_token(user, days=None):
    """The key of a new API token for `user` (what an administrator would hand an integration)."""
    from accounts.services import issue_api_token

    return issue_api_token(user, days=days)[1]
