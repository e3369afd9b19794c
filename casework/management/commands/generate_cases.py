import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from casework import registry


class Command(BaseCommand):
    help = (
        "Fill the database with a large generated data set for benchmarks: --complaints N writes N complaints "
        "over ten years with their stages, clocks, timelines and notes, the homes and residents they are "
        "about, and members' enquiries (COPY on PostgreSQL). Not for a live database. Each app "
        "registers what it generates (casework.registry.generator)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--complaints", type=int, default=0)
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument(
            "--enquiries", type=int, default=-1, help="Members' enquiries to write (default: a tenth of --complaints)."
        )
        parser.add_argument("--officer-open", type=int, default=200, help="Open complaints for bench.officer.")
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, **options):
        if options["complaints"] < 0:
            raise CommandError("--complaints must be zero or more.")
        if options["enquiries"] < -1:
            raise CommandError("--enquiries must be zero or more.")
        began = time.perf_counter()
        summaries = [summary for generate in registry.generators() if (summary := generate(**options))]
        if summaries and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        for summary in summaries:
            self.stdout.write(summary)
        if summaries:
            self.stdout.write(f"In {time.perf_counter() - began:.1f} s.")
