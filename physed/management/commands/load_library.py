"""``manage.py load_library``: brings the shipped activity and exercise library, equipment, muscle
groups and SHAPE America standards up to date with ``physed/data`` (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from physed.services.library_data import LibraryDataError, load_library


class Command(BaseCommand):
    help = "Load or update the shipped activity/exercise library and standards from physed/data."

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", help="Read the files from this directory instead of physed/data.")

    def handle(self, *args, data_dir=None, **options):
        try:
            counts = load_library(data_dir=data_dir)
        except LibraryDataError as exc:
            raise CommandError(str(exc)) from exc
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Library loaded: {summary}."))
