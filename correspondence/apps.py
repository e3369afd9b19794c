from django.apps import AppConfig


class CorrespondenceConfig(AppConfig):
    name = "correspondence"
    verbose_name = "Correspondence"

    def ready(self):
        from casework import registry
        from correspondence import personal_data, selectors, services

        registry.reference_data(services.seed_letter_templates)
        registry.sent_emails(selectors.cases_of_sent_emails)
        registry.job("correspondence-emails", services.run_email_delivery)
        registry.schedule(
            "Case emails", "correspondence.tasks.send_pending_emails", "*/10", "*", "*", "*",
            "Sends any email about a case (a letter's) not sent yet, for example after the mail server was down.",
        )  # fmt: skip
        personal_data.register()
