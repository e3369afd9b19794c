from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from enquiries.services import import_members


class Command(BaseCommand):
    help = (
        "Import the register of members from a CSV file with columns name, type (councillor, MP, mayor, "
        "cabinet), ward, party, constituency, email, office, register_id. Every row is checked first; nothing "
        "is written unless the whole file is valid. Members are matched on register_id, else name and type."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check the file and write nothing.")

    def handle(self, *args, **options):
        try:
            text = options["file"].read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {options['file']}: {error}") from error
        result = import_members(text, dry_run=options["dry_run"])
        if result.errors:
            raise CommandError("The file was not imported:\n" + "\n".join(result.errors))
        if options["dry_run"]:
            self.stdout.write("The file is valid; nothing was written (dry run).")
        else:
            self.stdout.write(f"Members imported: {result.created} new, {result.updated} updated.")
