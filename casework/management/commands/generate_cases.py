import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = (
        "Fill the database with a large generated data set for benchmarks: --complaints N writes N complaints "
        "over ten years with their stages and clocks (COPY on PostgreSQL). Not for a live database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--complaints", type=int, default=0)
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--officer-open", type=int, default=200, help="Open complaints for bench.officer.")
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, **options):
        from complaints.scale import generate_complaints

        if options["complaints"] < 0:
            raise CommandError("--complaints must be zero or more.")
        if options["complaints"]:
            began = time.perf_counter()
            result = generate_complaints(
                options["complaints"],
                years=options["years"],
                officer_open=options["officer_open"],
                seed=options["seed"],
            )
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            self.stdout.write(
                f"{result.complaints:,} complaints ({result.open_complaints:,} open), {result.stages:,} stages, "
                f"{result.clocks:,} clocks in {time.perf_counter() - began:.1f} s; "
                f"{result.officer} has the benchmark's open cases."
            )
