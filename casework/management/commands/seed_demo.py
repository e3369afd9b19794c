from django.core.management.base import BaseCommand

from casework import registry
from casework.demo import DEMO_PASSWORD, create_demo_users, demo_users
from casework.reference_data import load_reference_data


class Command(BaseCommand):
    help = "Load reference data, demo users and demo cases for trying the product (never in production)."

    def handle(self, *args, **options):
        load_reference_data()
        create_demo_users()
        # Each app registers its demo content (casework.registry.demo), in the order it depends on the others.
        for load_demo in registry.demo_loaders():
            load_demo(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at http://127.0.0.1:8000/ as:"))
        logins = [(username, role.label) for username, role in demo_users()]
        notes = []
        for provider in registry.demo_login_providers():
            provided = provider()
            if isinstance(provided, str):
                notes.append(provided)
            else:
                logins += provided
        for username, label in logins:
            self.stdout.write(f"  {username:<14} {label:<24} password: {DEMO_PASSWORD}")
        for note in notes:
            self.stdout.write(note)
