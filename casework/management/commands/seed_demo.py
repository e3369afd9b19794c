import importlib
import importlib.util

from django.apps import apps
from django.core.management.base import BaseCommand

from casework.demo import DEMO_PASSWORD, create_demo_users, demo_users
from casework.reference_data import load_reference_data

# Each app that has demo content exposes `<app>.demo.load_demo(stdout)`; they run in this order.
DEMO_APPS = ["sla", "complaints", "enquiries", "ombudsman", "learning", "reporting", "accounts"]


class Command(BaseCommand):
    help = "Load reference data, demo users and demo cases for trying the product (never in production)."

    def handle(self, *args, **options):
        load_reference_data()
        create_demo_users()
        for app_label in DEMO_APPS:
            if not apps.is_installed(app_label):
                continue
            if importlib.util.find_spec(f"{app_label}.demo") is None:
                continue
            importlib.import_module(f"{app_label}.demo").load_demo(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at http://127.0.0.1:8000/ as:"))
        logins = [(username, role.label) for username, role in demo_users()]
        if importlib.util.find_spec("enquiries.demo") is not None:
            logins += importlib.import_module("enquiries.demo").demo_portal_users()
        for username, label in logins:
            self.stdout.write(f"  {username:<14} {label:<24} password: {DEMO_PASSWORD}")
        if importlib.util.find_spec("accounts.demo") is not None:
            self.stdout.write(importlib.import_module("accounts.demo").second_factor_note())
