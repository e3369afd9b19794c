from django.apps import AppConfig


class CorrespondenceConfig(AppConfig):
    name = "correspondence"
    verbose_name = "Correspondence"

    def ready(self):
        from casework import registry
        from correspondence import personal_data, services

        registry.reference_data(services.seed_letter_templates)
        registry.job("correspondence-emails", services.run_email_delivery)
        personal_data.register()
