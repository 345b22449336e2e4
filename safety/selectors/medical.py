"""Medical reads (safety §1): who may see or edit a student's profile, the profiles a user may
list, the physed restriction provider and "what my class needs" for teachers.

Full profiles are read by staff holding ``safety.view_medicalprofile`` in the student's school or
by the student's guardians (a ``physed.Guardianship`` with ``guardian=user``). ``class_needs``
leaves out confidential notes and the action plan: it is what a PE teacher must know in the gym.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q

from accounts.selectors import has_school_perm, schools_where
from physed.models import Enrollment, EnrollmentStatus, Guardianship, RestrictionKind, Student
from safety.models import (
    ActivityRestriction,
    ConditionSeverity,
    EmergencyContact,
    MedicalCondition,
    MedicalProfile,
    Medication,
    MedicationLocation,
    MedicationSchedule,
)

VIEW_PROFILE = "safety.view_medicalprofile"
CHANGE_PROFILE = "safety.change_medicalprofile"
VIEW_CLASS_NEEDS = "safety.view_class_needs"

# The contract's alert levels (issue 6 cross-area contract): "danger" for a severe or
# life-threatening condition or a medication kept for emergencies; "warning" when PE must change
# something (a restriction in force, a moderate condition, a medication before PE); else "info".
DANGER_SEVERITIES = frozenset({ConditionSeverity.SEVERE, ConditionSeverity.LIFE_THREATENING})
WARNING_SEVERITIES = frozenset({ConditionSeverity.MODERATE})
AT_HAND_SCHEDULES = (MedicationSchedule.BEFORE_PE, MedicationSchedule.AS_NEEDED, MedicationSchedule.EMERGENCY)
ALERT_RANK = {"danger": 0, "warning": 1, "info": 2}


@dataclass
class ConditionNeed:
    kind: str
    label: str
    severity: str
    instructions: str = ""

    @property
    def severity_label(self) -> str:
        return str(ConditionSeverity(self.severity).label) if self.severity in ConditionSeverity.values else ""


@dataclass
class MedicationNeed:
    name: str
    schedule: str
    location: str
    dose: str = ""

    @property
    def schedule_label(self) -> str:
        return str(MedicationSchedule(self.schedule).label)

    @property
    def location_label(self) -> str:
        return str(MedicationLocation(self.location).label)


@dataclass
class ContactNeed:
    name: str
    relationship: str
    phone: str


@dataclass
class RestrictionNeed:
    kind: str
    until: datetime.date | None = None

    @property
    def label(self) -> str:
        return str(RestrictionKind(self.kind).label) if self.kind in RestrictionKind.values else self.kind


@dataclass
class StudentNeeds:
    """What a PE teacher must know about one student (no notes, no action plan).

    ``instructions`` holds the profile's PE instructions followed by each condition's own
    (deduplicated), so a compact view can show that list alone; ``restrictions`` are the kinds in
    force on the day, ``restriction_rows`` the same with their end dates."""

    student: Student
    conditions: list[ConditionNeed]
    instructions: list[str]
    medications: list[MedicationNeed]
    restrictions: list[str]
    contacts: list[ContactNeed]
    alert_level: str
    restriction_rows: list[RestrictionNeed] = field(default_factory=list)


# ---- access ------------------------------------------------------------------------------------


def is_guardian_of(user, student) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Guardianship.objects.filter(student_id=student.pk, guardian_id=user.pk).exists()


def has_children(user) -> bool:
    return bool(user and user.is_authenticated and Guardianship.objects.filter(guardian_id=user.pk).exists())


def can_view_profile(user, student) -> bool:
    """Staff with ``view_medicalprofile`` in the student's school, or the student's guardian."""
    if user is None or not user.is_authenticated:
        return False
    return has_school_perm(user, VIEW_PROFILE, student.school_id) or is_guardian_of(user, student)


def can_edit_profile(user, student) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return has_school_perm(user, CHANGE_PROFILE, student.school_id) or is_guardian_of(user, student)


def edits_as_guardian(user, student) -> bool:
    """True when the user edits only through a guardian link (no staff permission): such edits
    may not touch confidential staff notes and notify the school's safety leads."""
    return not has_school_perm(user, CHANGE_PROFILE, student.school_id) and is_guardian_of(user, student)


def sees_staff_notes(user, student) -> bool:
    return has_school_perm(user, VIEW_PROFILE, student.school_id)


def children_filter(user) -> Q:
    return Q(Exists(Guardianship.objects.filter(student=OuterRef("student"), guardian_id=user.pk)))


def profiles_for(user, queryset=None):
    """Profiles ``user`` may list: every profile of schools where they hold
    ``view_medicalprofile``, plus their own children's (guardians)."""
    queryset = (queryset if queryset is not None else MedicalProfile.objects.all()).visible_to(user)
    if user.is_superuser:
        return queryset
    return queryset.filter(Q(student__school_id__in=schools_where(user, VIEW_PROFILE)) | children_filter(user))


def with_children(queryset):
    """Prefetches everything a full profile shows (a constant number of queries)."""
    return queryset.select_related("student__school", "updated_by").prefetch_related(
        Prefetch("conditions", queryset=MedicalCondition.objects.order_by("kind", "pk")),
        Prefetch("medications", queryset=Medication.objects.order_by("name", "pk")),
        Prefetch("restrictions", queryset=ActivityRestriction.objects.order_by("start_date", "pk")),
        Prefetch("contacts", queryset=EmergencyContact.objects.order_by("priority", "pk")),
    )


# ---- providers for other areas ------------------------------------------------------------------


def _ids(students) -> list[int]:
    return [student if isinstance(student, int) else student.pk for student in students]


def active_restrictions(on_date: datetime.date):
    return ActivityRestriction.objects.filter(start_date__lte=on_date).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on_date)
    )


def restriction_provider(students, on_date) -> dict[int, list[str]]:
    """student id → restriction kinds (physed ``RestrictionKind``) in force on ``on_date``; the
    physed adaptation engine reads it through its restriction-provider hook."""
    ids = _ids(students)
    if not ids:
        return {}
    result: dict[int, list[str]] = {}
    rows = (
        active_restrictions(on_date)
        .filter(profile__student_id__in=ids)
        .order_by("profile__student_id", "kind")
        .values_list("profile__student_id", "kind")
    )
    for student_id, kind in rows:
        kinds = result.setdefault(student_id, [])
        if kind not in kinds:
            kinds.append(kind)
    return result


def _condition_label(condition: MedicalCondition) -> str:
    label = condition.name or str(condition.get_kind_display())
    if condition.trigger and condition.trigger.lower() not in label.lower():
        label = f"{label}: {condition.trigger}"
    return label


def _alert_level(conditions, medications, restrictions) -> str:
    if any(c.severity in DANGER_SEVERITIES for c in conditions) or any(
        m.schedule == MedicationSchedule.EMERGENCY for m in medications
    ):
        return "danger"
    if (
        restrictions
        or any(c.severity in WARNING_SEVERITIES for c in conditions)
        or any(m.schedule == MedicationSchedule.BEFORE_PE for m in medications)
    ):
        return "warning"
    return "info"


def _needs_of(profile: MedicalProfile, on_date: datetime.date) -> StudentNeeds | None:
    conditions = list(profile.conditions.all())
    medications = [m for m in profile.medications.all() if m.schedule in AT_HAND_SCHEDULES]
    restrictions = [r for r in profile.restrictions.all() if r.active_on(on_date)]
    instructions = []
    for text in [profile.pe_instructions, *(c.pe_instructions for c in conditions)]:
        text = (text or "").strip()
        if text and text not in instructions:
            instructions.append(text)
    if not (conditions or medications or restrictions or instructions):
        return None
    kinds = list(dict.fromkeys(r.kind for r in restrictions))
    return StudentNeeds(
        student=profile.student,
        conditions=[
            ConditionNeed(kind=c.kind, label=_condition_label(c), severity=c.severity, instructions=c.pe_instructions)
            for c in conditions
        ],
        instructions=instructions,
        medications=[
            MedicationNeed(name=m.name, schedule=m.schedule, location=m.location, dose=m.dose) for m in medications
        ],
        restrictions=kinds,
        contacts=[ContactNeed(name=c.name, relationship=c.relationship, phone=c.phone) for c in profile.contacts.all()],
        alert_level=_alert_level(conditions, medications, restrictions),
        restriction_rows=[RestrictionNeed(kind=r.kind, until=r.end_date) for r in restrictions],
    )


def class_needs(students, on_date) -> list[StudentNeeds]:
    """What the given students need in PE on ``on_date`` — only students with something to show,
    most urgent first. No permission check here: callers check ``safety.view_class_needs``."""
    ids = _ids(students)
    if not ids:
        return []
    profiles = with_children(MedicalProfile.objects.filter(student_id__in=ids))
    needs = [item for profile in profiles if (item := _needs_of(profile, on_date)) is not None]
    needs.sort(key=lambda n: (ALERT_RANK[n.alert_level], n.student.last_name, n.student.first_name, n.student.pk))
    return needs


def class_students(pe_class, on_date: datetime.date | None = None) -> list[Student]:
    """Students actively enrolled in the class (on ``on_date`` when given)."""
    enrollments = Enrollment.objects.filter(pe_class=pe_class, status=EnrollmentStatus.ACTIVE)
    if on_date is not None:
        enrollments = enrollments.filter(start_date__lte=on_date).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on_date)
        )
    return list(
        Student.objects.filter(pk__in=enrollments.values("student_id"))
        .select_related("school")
        .order_by("last_name", "first_name", "pk")
    )


def needs_count(pe_class, on_date: datetime.date) -> int:
    return len(class_needs(class_students(pe_class, on_date), on_date))
