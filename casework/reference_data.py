"""Reference data a housing complaints service starts with, from the council papers in the seeds.

Loaded by `manage.py load_reference_data` (idempotent); administrators edit it in the admin afterwards."""

from django.db import transaction
from django.utils.text import slugify

from casework.models import IssueNature, Ombudsman, ServiceArea

# (service area, ombudsman that hears its complaints, issue natures reported under it)
SERVICE_AREAS = [
    ("Responsive Repairs", Ombudsman.HOUSING, ["Responsive Repairs (Mears)"]),
    ("Gas Servicing and Repairs", Ombudsman.HOUSING, ["Gas Servicing and Repairs (Aaron Services)"]),
    ("Repairs and Maintenance", Ombudsman.HOUSING, ["Repairs and Maintenance (Non-Mears)"]),
    ("Transforming Homes", Ombudsman.HOUSING, ["Transforming Homes"]),
    ("Tenancy Management", Ombudsman.HOUSING, ["Tenancy Management"]),
    ("Temporary Accommodation", Ombudsman.LGSCO, ["Temporary Accommodation"]),
    ("Rents", Ombudsman.HOUSING, ["Rents"]),
    ("Caretaking", Ombudsman.HOUSING, ["Caretaking"]),
    ("Homelessness and Homeless Prevention", Ombudsman.LGSCO, ["Homelessness and Homeless Prevention"]),
    ("Private Sector Housing", Ombudsman.LGSCO, ["Private Sector Housing"]),
    ("CCTV and Concierge", Ombudsman.HOUSING, ["CCTV/Concierge"]),
    ("Adaptations", Ombudsman.HOUSING, ["Adaptations"]),
    ("Garages", Ombudsman.HOUSING, ["Garages"]),
    ("Mutual Exchange", Ombudsman.HOUSING, ["Mutual Exchange"]),
    ("Right to Buy", Ombudsman.HOUSING, ["Right to Buy"]),
    ("Voids", Ombudsman.HOUSING, ["Voids"]),
    ("Sheltered Housing", Ombudsman.HOUSING, ["Sheltered Housing"]),
    ("Safeguarding", Ombudsman.HOUSING, ["Safeguarding"]),
    ("Leaseholders", Ombudsman.HOUSING, ["Leaseholders"]),
    ("Anti-Social Behaviour", Ombudsman.HOUSING, ["Anti-Social Behaviour"]),
    ("Allocations", Ombudsman.LGSCO, ["Allocations"]),
    ("Children's Social Care", Ombudsman.LGSCO, ["Children's Social Care"]),
    ("Adult Social Care", Ombudsman.LGSCO, ["Adult Social Care"]),
]


@transaction.atomic
def load_reference_data():
    """Create the reference data that is missing: service areas and issue natures, and what each app registers
    (casework.registry.reference_data): the shipped complaint procedures, the published bank holidays if the
    calendar has none, the ombudsman's finding categories if there are none. Never overwrites an
    administrator's edits."""
    from casework import registry

    created = 0
    for name, ombudsman, natures in SERVICE_AREAS:
        area, was_created = ServiceArea.objects.get_or_create(
            name=name, defaults={"code": slugify(name), "ombudsman": ombudsman}
        )
        created += was_created
        for nature in natures:
            _, was_created = IssueNature.objects.get_or_create(name=nature, defaults={"service_area": area})
            created += was_created
    created += sum(load() for load in registry.reference_data_loaders())
    return created
