"""Personal-data declarations: medical (health data about the student — the most sensitive
category we hold).

* ``MedicalProfile`` and its lists (conditions, medications, restrictions, emergency contacts) are
  exported with the student's linked account (the action plan file is copied into the export)
  and deleted on the student's erasure, the action plan file with them. A guardian's own export
  does not include their child's profile (it is the child's data, reachable through the school).
* Staff who last edited a profile (``updated_by``) only lose that link when their own account is
  erased; the profile stays (it is the student's record, not theirs).

Order matters: the rows are found through ``student__user``, so this entry must run before
physed's ``Student`` entry unlinks the account (see the report to the lead / docs).
"""

from accounts.privacy import registry

CATEGORY = "safety_medical"


def _profiles_of(user):
    from safety.models import MedicalProfile

    return MedicalProfile.objects.filter(student__user_id=user.pk)


def _erase_profiles(queryset, user):
    from safety.models import MedicalProfile

    MedicalProfile._base_manager.filter(updated_by_id=user.pk).update(updated_by=None)
    storage = MedicalProfile._meta.get_field("action_plan").storage
    names = [name for name in queryset.values_list("action_plan", flat=True) if name]
    count, _detail = queryset.delete()
    for name in names:
        storage.delete(name)
    return registry.DELETE, count


def _export_profiles(queryset):
    yield from registry.default_exporter(queryset, exclude_fields=("updated_by_id",))


def _files(user):
    for profile in _profiles_of(user).exclude(action_plan="").only("pk", "action_plan"):
        name = profile.action_plan.name
        storage = profile.action_plan.storage
        if storage.exists(name):
            yield f"medical-action-plan-{profile.pk}.{name.rsplit('.', 1)[-1]}", storage.open(name, "rb")


def register() -> None:
    from safety.models import ActivityRestriction, EmergencyContact, MedicalCondition, MedicalProfile, Medication

    registry.register(
        MedicalProfile,
        category=CATEGORY,
        user_path="student__user",
        exporter=_export_profiles,
        erase=_erase_profiles,
        files=_files,
        school_path="student__school",
    )
    for model in (MedicalCondition, Medication, ActivityRestriction, EmergencyContact):
        registry.register(
            model, category=CATEGORY, user_path="profile__student__user", school_path="profile__student__school"
        )
