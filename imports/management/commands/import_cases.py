import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from imports.core import ENCODINGS, import_file
from imports.kinds import KIND_MODULES
from imports.mapping import MappingError, parse_mapping


class Command(BaseCommand):
    help = (
        "Import cases from a CSV file exported by another system (see docs/import.md). Every row is checked "
        "first and each problem reported with its row and column; nothing is written unless the whole file "
        "is valid. Importing the same file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(KIND_MODULES), help="What the file holds.")
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check the file and write nothing.")
        parser.add_argument("--mapping", type=Path, help="A JSON or CSV mapping file for another system's columns.")
        parser.add_argument(
            "--create-reference-data",
            action="store_true",
            help="Create the service areas and issue natures the file names that do not exist yet.",
        )
        parser.add_argument(
            "--encoding", choices=list(ENCODINGS), default="utf-8", help="The file's encoding (default UTF-8)."
        )

    def handle(self, *args, **options):
        mapping = None
        if options["mapping"]:
            try:
                mapping = parse_mapping(options["mapping"].read_bytes(), options["mapping"].name)
            except (OSError, MappingError) as error:
                raise CommandError(f"Cannot use the mapping file {options['mapping']}: {error}") from error
        try:
            data = options["file"].read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error}") from error
        began = time.perf_counter()
        result = import_file(
            options["kind"],
            data,
            mapping=mapping,
            dry_run=options["dry_run"],
            create_reference_data=options["create_reference_data"],
            encoding=options["encoding"],
            source=f"{mapping.system} export {options['file'].name}"
            if mapping and mapping.system
            else options["file"].name,
        )
        for warning in result.warnings:
            self.stdout.write(f"Note: {warning}")
        if result.reference_data_created:
            verb = "Would create" if options["dry_run"] or result.problems else "Created"
            self.stdout.write(f"{verb}: {', '.join(result.reference_data_created)}.")
        if result.problems:
            raise CommandError(
                "The file was not imported:\n" + "\n".join(str(p) for p in result.problems) + "\n" + result.summary()
            )
        elapsed = time.perf_counter() - began
        rate = f" ({result.rows / elapsed:,.0f} rows a second)" if elapsed and result.rows else ""
        self.stdout.write(f"{result.summary()} {elapsed:.1f} s{rate}.")
