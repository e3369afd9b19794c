import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casework.services import DomainError
from sla import services
from sla.services import SHIPPED_TABLE


class Command(BaseCommand):
    help = (
        "Import bank holidays in the GOV.UK JSON format from a file (default: the table shipped with the "
        "product) or, with --url, from the GOV.UK address. Open deadlines that move are recomputed."
    )

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--file", type=Path, help="A bank-holidays.json file.")
        source.add_argument(
            "--url",
            nargs="?",
            const="",
            help="Fetch from this https address (default: settings.BANK_HOLIDAYS_URL, the GOV.UK table).",
        )

    def handle(self, *args, **options):
        try:
            if options["url"] is not None:
                data = services.fetch_bank_holidays(options["url"] or None)
            else:
                path = options["file"] or SHIPPED_TABLE
                try:
                    data = json.loads(path.read_text(encoding="utf-8"))
                except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
                    raise CommandError(f"Cannot read {path}: {error}") from error
            result = services.import_bank_holidays(data)
        except DomainError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(f"Cannot fetch the bank holidays: {error}") from error
        self.stdout.write(f"Bank holidays imported: {result}.")
