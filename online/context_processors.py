from django.conf import settings


def council(request):
    """The council's name and how to reach it, for every page that speaks to residents or members' offices."""
    return {
        "council": {
            "name": settings.COUNCIL_NAME,
            "phone": settings.COUNCIL_PHONE,
            "emergency_phone": settings.COUNCIL_EMERGENCY_PHONE,
            "email": settings.COUNCIL_COMPLAINTS_EMAIL,
            "address": settings.COUNCIL_ADDRESS,
            "website": settings.COUNCIL_WEBSITE,
        }
    }
