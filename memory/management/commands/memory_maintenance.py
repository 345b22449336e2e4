"""``manage.py memory_maintenance [--dry-run] [--user EMAIL] [--school SLUG]``: runs the memory
clean-up (merge, consolidate, decay, expire, cap) and prints each step's report."""

from django.core.management.base import BaseCommand, CommandError

from memory.services.maintenance import run_maintenance


class Command(BaseCommand):
    help = (
        "Merge near-duplicate memories, consolidate old episodes, decay, expire and cap (with --dry-run: report only)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
        parser.add_argument("--user", metavar="EMAIL", help="only this person's memories")
        parser.add_argument("--school", metavar="SLUG", help="only memories in this school")

    def handle(self, *args, dry_run=False, user=None, school=None, **options):
        from accounts.models import School, User

        owner = None
        if user:
            owner = User.objects.filter(email__iexact=user).first()
            if owner is None:
                raise CommandError(f"No user with the email {user}.")
        place = None
        if school:
            place = School.objects.filter(slug=school).first()
            if place is None:
                raise CommandError(f"No school with the slug {school}.")
        reports = run_maintenance(owner=owner, school=place, dry_run=dry_run)
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
        for report in reports.values():
            for line in report.lines():
                self.stdout.write(line)
        total = sum(report.count for report in reports.values())
        self.stdout.write(f"{'Would change' if dry_run else 'Changed'} {total} memories in all.")
