from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Bring the reports' stored figures (stage facts and daily sums) up to date with the complaint tables: "
        "run after writing complaints in bulk (imports, generate_cases). The nightly job does the same."
    )

    def handle(self, *args, **options):
        from reporting import facts

        rewritten = facts.refresh_all()
        self.stdout.write(f"{rewritten} stage figures rewritten; every day summed again.")
