"""Demo schools and logins (DESIGN.md §10, Zulip-style named demo users used by tests and demos).

Idempotent: running it again updates the same rows. Later apps add a ``demo.py`` with
``seed(context)``; ``seed_demo`` calls them in INSTALLED_APPS order after this one.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, School, User
from accounts.services.rbac import add_membership

DEMO_SCHOOLS = [
    {
        "slug": "northside",
        "name": "Northside Middle School",
        "timezone": "America/Chicago",
        "country": "US",
        "region": "Illinois",
        "default_language": "en",
    },
    {
        "slug": "southside",
        "name": "Southside High School",
        "timezone": "America/Los_Angeles",
        "country": "US",
        "region": "California",
        "default_language": "es",
    },
]

# (local part, role, first name, last name)
DEMO_PEOPLE = [
    ("schooladmin", Role.SCHOOL_ADMIN, "Sam", "Admin"),
    ("head", Role.DEPARTMENT_HEAD, "Dana", "Head"),
    ("teacher", Role.TEACHER, "Taylor", "Teacher"),
    ("teacher2", Role.TEACHER, "Jordan", "Coach"),
    ("assistant", Role.ASSISTANT, "Alex", "Assistant"),
    ("student", Role.STUDENT, "Sky", "Student"),
    ("guardian", Role.GUARDIAN, "Pat", "Guardian"),
]
SUPERUSER_EMAIL = "admin@demo.school"


def demo_logins() -> list[tuple[str, str]]:
    """(email, what it is) for every demo login, for the README and ``make run``'s banner."""
    rows = [(SUPERUSER_EMAIL, "platform superuser (Django admin)")]
    for school in DEMO_SCHOOLS:
        for local, role, _first, _last in DEMO_PEOPLE:
            rows.append((f"{local}@{school['slug']}.demo", f"{Role(role).label} at {school['name']}"))
    return rows


def _user(email: str, first: str, last: str, **flags) -> User:
    defaults = {"first_name": first, "last_name": last, "email_verified_at": timezone.now(), **flags}
    user, created = User.objects.get_or_create(email=email, defaults=defaults)
    if created or not user.check_password(settings.DEMO_PASSWORD) or not user.email_verified:
        user.set_password(settings.DEMO_PASSWORD)
        user.email_verified_at = user.email_verified_at or timezone.now()
        user.save()
    return user


@transaction.atomic
def seed(context: dict) -> None:
    _user(SUPERUSER_EMAIL, "Platform", "Admin", is_staff=True, is_superuser=True)
    schools = {}
    for spec in DEMO_SCHOOLS:
        school, _ = School.objects.update_or_create(slug=spec["slug"], defaults=spec)
        schools[spec["slug"]] = school
        for local, role, first, last in DEMO_PEOPLE:
            user = _user(f"{local}@{spec['slug']}.demo", first, last)
            if not user.memberships.filter(school=school, role=role).exists():
                add_membership(actor=None, school=school, user=user, role=role)
    context["schools"] = schools

    # user-system areas: profiles, preferences and notifications, activity history, privacy
    from accounts import demo_activity, demo_preferences, demo_privacy, demo_profiles

    for area in (demo_profiles, demo_preferences, demo_activity, demo_privacy):
        area.seed(context)
