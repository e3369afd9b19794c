"""The finding categories a new installation starts with: those the Housing Ombudsman uses in its landlord
reports (seed 002's 'Ombudsman Findings by Category') and the ones a council's LGSCO cases need.
Administrators edit the list in the admin afterwards."""

CATEGORIES = [
    "Property condition",
    "Complaints handling",
    "Charges",
    "Moving to a property",
    "Moving from a property",
    "Staff",
    "Anti-social behaviour",
    "Estate management",
    "Health and safety",
    "Occupancy rights",
    "Information and data management",
    "Allocations and homelessness",
    "Other",
]


def install(FindingCategory):
    """Create the shipped categories in an empty list; a list an administrator has kept is left alone.
    Returns how many were created."""
    if FindingCategory.objects.exists():
        return 0
    FindingCategory.objects.bulk_create(
        [FindingCategory(name=name, position=position * 10) for position, name in enumerate(CATEGORIES, start=1)]
    )
    return len(CATEGORIES)
