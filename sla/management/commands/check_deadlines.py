from django.core.management.base import BaseCommand, CommandError

from sla.services import check_deadlines


class Command(BaseCommand):
    help = (
        "Check every open clock's stored due date against the one derived from its events and the calendar. "
        "--repair first finishes any calendar change whose recompute did not complete, then corrects every "
        "clock still wrong (each corrected case gets a timeline entry). Exits 1 when clocks were wrong and "
        "not repaired."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="Correct the clocks found wrong.")
        parser.add_argument("--show", type=int, default=20, help="How many wrong clocks to list (default 20).")

    def handle(self, *args, **options):
        check = check_deadlines(repair=options["repair"])
        for clock_id, case_id, label, stored, derived in check.wrong[: options["show"]]:
            self.stdout.write(f"clock {clock_id} (case {case_id}) {label}: stored {stored}, derived {derived}")
        if len(check.wrong) > options["show"]:
            self.stdout.write(f"... and {len(check.wrong) - options['show']} more")
        self.stdout.write(str(check))
        if check.wrong and not options["repair"]:
            raise CommandError(f"{len(check.wrong)} open clocks have a wrong due date; run with --repair.")
