"""``manage.py seed_demo``: the demo schools, logins and (as later issues add them) their data.

``--scale N`` (1..20) adds N-1 copies of the demo volume for benchmarks: students, classes and
enrollments, their sessions, attendance and results, fitness results, incidents, content items
and memories, written in bulk by each app's ``demo_scale`` module (see docs/scale-data.md); the
scale-1 demo (logins, hand-made rows, stories) is the same at every scale. ``-v 2`` prints how
long each app took.
"""

import importlib
import time

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import demo_logins


class Command(BaseCommand):
    help = "Create or update the demo schools and logins (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Allow running under production settings.")
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo logins.")
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="N× the demo volume of students, classes and their data (benchmarks); default 1.",
        )

    def handle(self, *args, force=False, quiet_logins=False, scale=1, **options):
        if settings.SETTINGS_MODULE.endswith(".production") and not force:
            raise CommandError("Refusing to load demo data under production settings (use --force).")
        if scale < 1 or scale > 20:
            raise CommandError("--scale must be between 1 and 20 (the demo name pool).")
        context: dict = {"scale": scale}
        for config in apps.get_app_configs():
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            started = time.monotonic()
            module.seed(context)
            took = f" ({time.monotonic() - started:.1f} s)" if options.get("verbosity", 1) >= 2 else ""
            self.stdout.write(f"seeded {config.label}{took}")
        if not quiet_logins:
            self.stdout.write(self.style.SUCCESS(f"Demo logins (password: {settings.DEMO_PASSWORD}):"))
            for email, what in demo_logins():
                self.stdout.write(f"  {email:<32} {what}")
