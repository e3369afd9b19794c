from django.apps import AppConfig


class EnquiriesConfig(AppConfig):
    name = "enquiries"
    verbose_name = "Members' enquiries"

    def ready(self):
        from casework import registry
        from casework.models import CaseKind
        from enquiries import personal_data
        from enquiries.workflow import WORKFLOW

        registry.workflow(CaseKind.ENQUIRY, WORKFLOW)
        registry.demo(load_demo, order=30)
        registry.demo_logins(portal_logins)
        personal_data.register()


def load_demo(stdout):
    from enquiries.demo import load_demo

    load_demo(stdout)


def portal_logins():
    from enquiries.demo import demo_portal_users

    return demo_portal_users()
