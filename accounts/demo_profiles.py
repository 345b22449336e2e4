"""Demo data for the profiles area; called by accounts.demo.seed.

Every demo user gets a profile; demo staff get a title and a staff id, and are verified as staff
by their school's demo admin (idempotent: ``update_or_create``)."""

from django.utils import timezone

from accounts.models import STAFF_ROLES, FieldVisibility, Membership, Profile, StaffRecord

TITLES = {
    "school_admin": "Principal",
    "department_head": "Head of Physical Education",
    "teacher": "PE teacher",
    "assistant": "Teaching assistant",
}


def seed(context: dict) -> None:
    now = timezone.now()
    for school in context.get("schools", {}).values():
        rows = Membership.objects.active().filter(school=school).select_related("user").order_by("user__email")
        admin = next((row.user for row in rows if row.role == "school_admin"), None)
        for index, row in enumerate(rows, start=1):
            user, is_staff = row.user, row.role in STAFF_ROLES
            Profile.objects.update_or_create(
                user=user,
                defaults={
                    "preferred_name": user.first_name,
                    "pronouns": "they/them" if index % 3 == 0 else "",
                    "title": TITLES.get(row.role, ""),
                    "phone": f"+1 555 01{index:02d}" if is_staff else "",
                    "bio": f"{TITLES[row.role]} at {school.name}." if is_staff else "",
                    "directory_opt_out": not is_staff,
                    "email_visibility": FieldVisibility.STAFF,
                    "phone_visibility": FieldVisibility.STAFF if is_staff else FieldVisibility.ONLY_ME,
                },
            )
            if is_staff:
                record, _created = StaffRecord.objects.get_or_create(user=user, school=school)
                record.staff_id = f"{school.slug[:3].upper()}-{index:04d}"
                record.verified_at = record.verified_at or now  # keep the first verification time
                record.verified_by = record.verified_by or admin
                record.save()
