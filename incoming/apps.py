from django.apps import AppConfig

# What the retention schedule blanks on the emails of a case it anonymises (casework.retention).
REMOVED_WITH_THE_CASE = {
    "subject": "Removed under the retention schedule.",
    "body": "",
    "from_name": "",
    "from_address": "",
    "to_addresses": "",
}


class IncomingConfig(AppConfig):
    name = "incoming"
    verbose_name = "Incoming email"

    def ready(self):
        from casework import registry
        from incoming import personal_data

        registry.demo(load_demo, order=60)
        registry.job("fetch-mail", fetch_mail)
        registry.schedule(
            "Email intake", "incoming.tasks.fetch_mail", "*/2", "*", "*", "*",
            "Every two minutes: takes in new email from the complaints mailbox (MAILBOX_URL) to the Incoming queue.",
        )  # fmt: skip
        registry.personal_data(
            related_text=[("incoming.incomingemail", "case_id", REMOVED_WITH_THE_CASE)],
            related_files=[
                ("incoming.incomingemail", "case_id", ["raw"]),
                ("incoming.incomingattachment", "email__case_id", ["file"]),
            ],
        )
        registry.subject_access(personal_data.sheets, order=60)


def load_demo(stdout):
    from incoming.demo import load_demo

    load_demo(stdout)


def fetch_mail(day, force):
    from incoming.services import fetch_mail

    return fetch_mail()
