import sys

from django.core.management.base import BaseCommand, CommandError

from kollegium.organisations.seeding import SEED_PASSWORD, seed


class Command(BaseCommand):
    help = "Makes realistic, deterministic bulk data: owners, schools, networks, teams, people."

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=10)
        parser.add_argument("--teachers-per-school", type=int, default=30)
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed; same seed, same data."
        )

    def handle(self, *args, schools, teachers_per_school, **options):
        if schools < 1 or teachers_per_school < 3:
            raise CommandError("Use at least 1 school and 3 teachers per school.")
        show_bar = sys.stdout.isatty()

        def progress(stage: str, done: int, total: int) -> None:
            if show_bar:
                width = 30
                filled = int(width * done / max(total, 1))
                sys.stdout.write(
                    f"\r{stage:<8} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
                )
                sys.stdout.flush()

        result = seed(
            schools=schools,
            teachers_per_school=teachers_per_school,
            seed_value=options["seed"],
            progress=progress,
        )
        if show_bar:
            sys.stdout.write("\n")
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {result.owners} owners, {result.schools} schools and "
                f"{result.people} people in {result.seconds:.1f} s. "
                f"Password for all: {SEED_PASSWORD}"
            )
        )
