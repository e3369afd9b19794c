from django.apps import AppConfig


class OmbudsmanConfig(AppConfig):
    name = "ombudsman"
    verbose_name = "Ombudsman cases"

    def ready(self):
        from casework import registry
        from casework.models import CaseKind
        from ombudsman import personal_data, rows, selectors
        from ombudsman.workflow import CASE_WORKFLOW

        registry.workflow(CaseKind.OMBUDSMAN, CASE_WORKFLOW)
        registry.queue(
            registry.Queue(
                key="ombudsman",
                title="Ombudsman cases",
                url_name="ombudsman:list",
                kind=CaseKind.OMBUDSMAN,
                noun="ombudsman case",
                plural="ombudsman cases",
                filterset=selectors.case_list,
                cases=selectors.list_queryset,
                export_columns=selectors.QUEUE_EXPORT_COLUMNS,
                row_cells=rows.LIST_CELLS,
            )
        )
        registry.reference_data(install_categories)
        registry.demo(load_demo, order=40)
        personal_data.register()


def install_categories():
    from ombudsman.categories import install
    from ombudsman.models import FindingCategory

    return install(FindingCategory)


def load_demo(stdout):
    from ombudsman.demo import load_demo

    load_demo(stdout)
