from django.apps import AppConfig


class EnquiriesConfig(AppConfig):
    name = "enquiries"
    verbose_name = "Members' enquiries"

    def ready(self):
        from casework import registry
        from casework.models import CaseKind
        from enquiries import personal_data, rows, selectors
        from enquiries.workflow import WORKFLOW

        registry.workflow(CaseKind.ENQUIRY, WORKFLOW)
        registry.queue(
            registry.Queue(
                key="enquiries",
                title="Members' enquiries",
                url_name="enquiries:queue",
                kind=CaseKind.ENQUIRY,
                noun="enquiry",
                plural="enquiries",
                filterset=selectors.work_queue,
                cases=selectors.queue_queryset,
                export_columns=selectors.QUEUE_EXPORT_COLUMNS,
                row_cells=rows.QUEUE_CELLS,
            )
        )
        registry.demo(load_demo, order=30)
        registry.demo_logins(portal_logins)
        registry.generator(generate)
        personal_data.register()


def load_demo(stdout):
    from enquiries.demo import load_demo

    load_demo(stdout)


def portal_logins():
    from enquiries.demo import demo_portal_users

    return demo_portal_users()


def generate(**options):
    from enquiries.scale import generate_enquiries

    count = options.get("enquiries")
    if count is None or count < 0:
        count = (options.get("complaints") or 0) // 10
    if not count:
        return None
    result = generate_enquiries(count, years=options.get("years", 10), seed=options.get("seed", 7) + 1)
    return (
        f"{result.enquiries:,} members' enquiries ({result.open_enquiries:,} open) from {result.members} members in "
        f"{result.offices} offices ({result.big_office}: {result.big_office_enquiries:,}), {result.clocks:,} clocks, "
        f"{result.events:,} timeline events."
    )
