from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "complaints"

    def ready(self):
        from casework import registry
        from casework.models import CaseKind
        from complaints import letters, personal_data, rows, selectors
        from complaints.workflow import WORKFLOW, barred_from_case

        registry.workflow(CaseKind.COMPLAINT, WORKFLOW)
        # A resident's lost trust in an officer holds for every kind of case about them, not only complaints.
        registry.actor_guard(barred_from_case)
        registry.decisions(selectors.extensions_to_decide)
        registry.reference_data(install_procedures)
        registry.demo(load_demo, order=20)
        registry.generator(generate)
        personal_data.register()
        letters.register()
        registry.queue(
            registry.Queue(
                key="complaints",
                title="Complaints",
                url_name="complaints:queue",
                kind=CaseKind.COMPLAINT,
                noun="complaint",
                plural="complaints",
                filterset=selectors.work_queue,
                cases=selectors.queue_queryset,
                export_columns=selectors.QUEUE_EXPORT_COLUMNS,
                row_cells=rows.QUEUE_CELLS,
            )
        )
        registry.resident_safeguards(selectors.resident_safeguards)


def install_procedures():
    from casework.models import ServiceArea
    from complaints.models import ComplaintScheme, Procedure, ProcedureStage, ProcedureVersion, ServiceAreaScheme
    from complaints.presets import SERVICE_AREA_SCHEMES, install

    created = install(ComplaintScheme, Procedure, ProcedureVersion, ProcedureStage)
    for name, code in SERVICE_AREA_SCHEMES.items():
        area = ServiceArea.objects.filter(name=name).first()
        if area is not None:
            _, made = ServiceAreaScheme.objects.get_or_create(
                service_area=area, defaults={"scheme": ComplaintScheme.objects.get(code=code)}
            )
            created += made
    return created


def load_demo(stdout):
    from complaints.demo import load_demo

    load_demo(stdout)


def generate(**options):
    from complaints.scale import generate_complaints

    if not options.get("complaints"):
        return None
    result = generate_complaints(
        options["complaints"], years=options["years"], officer_open=options["officer_open"], seed=options["seed"]
    )
    return (
        f"{result.complaints:,} complaints ({result.open_complaints:,} open), {result.stages:,} stages, "
        f"{result.clocks:,} clocks, {result.events:,} timeline events, {result.notes:,} notes; {result.officer} has "
        "the benchmark's open cases."
    )
