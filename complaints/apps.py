from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "complaints"

    def ready(self):
        from casework import registry
        from casework.models import CaseKind
        from complaints import selectors
        from complaints.workflow import WORKFLOW, barred_from_case

        registry.workflow(CaseKind.COMPLAINT, WORKFLOW)
        # A resident's lost trust in an officer holds for every kind of case about them, not only complaints.
        registry.actor_guard(barred_from_case)
        registry.decisions(selectors.extensions_to_decide)
