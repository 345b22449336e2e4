"""Roster services: object grants made and revoked, class teachers, enrollments and capacity,
year-end promotion — asserting the resulting rows, grants and audit entries."""

import datetime

import pytest

from accounts.models import AuditEvent, Role
from accounts.permissions import allowed_on_object
from accounts.selectors import forget_school_access
from accounts.services.errors import ServiceError
from accounts.tests.factories import make_member
from physed.models import Enrollment, EnrollmentStatus, Guardianship, Sex, Student, StudentStatus
from physed.services import roster as service
from physed.services import roster_classes as classes
from physed.services.roster_promotion import promote_grades
from physed.tests.factories_roster import EnrollmentFactory, GuardianshipFactory, PEClassFactory, StudentFactory

pytestmark = pytest.mark.django_db


def sees(user, student) -> bool:
    forget_school_access(user)
    return allowed_on_object(user, "physed.view_student", student, record=False)


# --- students -----------------------------------------------------------------------------------


def test_create_student_validates_and_audits_without_names(school, school_admin):
    student = service.create_student(
        actor=school_admin, school=school, first_name="Ana", last_name="López", grade=7, external_id=" S-1 "
    )
    assert (student.external_id, student.status, student.sex) == ("S-1", StudentStatus.ACTIVE, Sex.NOT_SPECIFIED)
    event = AuditEvent.objects.get(action="physed.student_created")
    assert event.changes == {"grade": 7, "status": "active"}
    assert "Ana" not in str(event.changes) and event.school == school
    with pytest.raises(ServiceError) as exc:
        service.create_student(
            actor=school_admin, school=school, first_name="B", last_name="C", grade=7, external_id="S-1"
        )
    assert exc.value.field == "external_id"
    with pytest.raises(ServiceError) as exc:
        service.create_student(actor=school_admin, school=school, first_name="B", last_name="C", grade=13)
    assert exc.value.field == "grade"
    with pytest.raises(ServiceError) as exc:
        service.create_student(
            actor=school_admin,
            school=school,
            first_name="B",
            last_name="C",
            grade=3,
            date_of_birth=datetime.date.today() + datetime.timedelta(days=3),
        )
    assert exc.value.field == "date_of_birth"
    with pytest.raises(ServiceError):
        service.create_student(actor=school_admin, school=school, first_name=" ", last_name="C", grade=3)
    with pytest.raises(ServiceError):
        service.create_student(actor=school_admin, school=school, first_name="A", last_name="C", grade=3, bogus=1)


def test_same_external_id_is_fine_in_another_school(school, other_school):
    StudentFactory(school=school, external_id="X1")
    student = service.create_student(
        actor=None, school=other_school, first_name="A", last_name="B", grade=9, external_id="X1"
    )
    assert student.school == other_school


def test_deactivating_a_student_ends_current_enrollments(school, school_admin):
    enrollment = EnrollmentFactory(pe_class__school=school, start_date=datetime.date(2026, 1, 5))
    student = enrollment.student
    service.update_student(actor=school_admin, student=student, status=StudentStatus.TRANSFERRED, grade=8)
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.WITHDRAWN
    assert enrollment.end_date >= enrollment.start_date
    event = AuditEvent.objects.get(action="physed.student_updated")
    assert event.changes["fields"] == ["grade", "status"]
    assert event.changes["status"] == {"before": "active", "after": "transferred"}
    # no change → no audit row
    service.update_student(actor=school_admin, student=student, grade=8)
    assert AuditEvent.objects.filter(action="physed.student_updated").count() == 1


def test_delete_student_drops_its_grants(school, student):
    record = StudentFactory(school=school)
    service.link_student_user(actor=None, student=record, user=student)
    pk = record.pk
    service.delete_student(actor=None, student=record)
    from guardian.models import UserObjectPermission

    assert not UserObjectPermission.objects.filter(object_pk=str(pk)).exists()
    assert not Student.objects.filter(pk=pk).exists()


# --- the student's account and guardians: grants --------------------------------------------------


def test_linking_a_student_account_grants_only_that_record(school, student):
    mine, other = StudentFactory(school=school), StudentFactory(school=school)
    assert not sees(student, mine)
    service.link_student_user(actor=None, student=mine, user=student)
    assert sees(student, mine) and not sees(student, other)
    with pytest.raises(ServiceError) as exc:
        service.link_student_user(actor=None, student=other, user=student)
    assert exc.value.field == "user"
    service.unlink_student_user(actor=None, student=mine)
    assert not sees(student, mine)
    actions = list(AuditEvent.objects.filter(action__startswith="physed.student_user").values_list("action", flat=True))
    assert sorted(actions) == ["physed.student_user_linked", "physed.student_user_unlinked"]


def test_student_account_must_be_a_student_member_of_the_school(school, other_school, teacher):
    record = StudentFactory(school=school)
    with pytest.raises(ServiceError):
        service.link_student_user(actor=None, student=record, user=teacher)
    outsider = make_member(other_school, Role.STUDENT)
    with pytest.raises(ServiceError):
        service.link_student_user(actor=None, student=record, user=outsider)


def test_replacing_the_linked_account_moves_the_grant(school, student):
    record = StudentFactory(school=school)
    second = make_member(school, Role.STUDENT)
    service.link_student_user(actor=None, student=record, user=student)
    service.link_student_user(actor=None, student=record, user=second)
    assert sees(second, record) and not sees(student, record)


def test_guardian_grant_follows_the_guardianship(school, guardian):
    child, sibling, stranger = (StudentFactory(school=school) for _ in range(3))
    link = service.add_guardian(actor=None, student=child, guardian=guardian, name="Pat Guardian", email="PAT@x.org")
    assert link.email == "pat@x.org"
    service.add_guardian(actor=None, student=sibling, guardian=guardian, name="Pat Guardian")
    assert sees(guardian, child) and sees(guardian, sibling) and not sees(guardian, stranger)
    with pytest.raises(ServiceError):
        service.add_guardian(actor=None, student=child, guardian=guardian, name="Again")
    service.remove_guardianship(actor=None, guardianship=link)
    assert not sees(guardian, child) and sees(guardian, sibling)
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions.count("physed.guardian_added") == 2 and actions[-1] == "physed.guardian_removed"


def test_changing_the_guardian_account_moves_the_grant(school, guardian):
    child = StudentFactory(school=school)
    second = make_member(school, Role.GUARDIAN)
    link = service.add_guardian(actor=None, student=child, guardian=guardian, name="Pat")
    service.update_guardianship(actor=None, guardianship=link, guardian=second, phone="555")
    assert sees(second, child) and not sees(guardian, child)
    assert Guardianship.objects.get(pk=link.pk).phone == "555"
    service.update_guardianship(actor=None, guardianship=link, guardian=None)
    assert not sees(second, child)
    event = AuditEvent.objects.filter(action="physed.guardian_updated").order_by("pk").first()
    assert event.changes["fields"] == ["guardian", "phone"]


def test_a_guardian_who_is_also_the_student_keeps_access_when_one_link_goes(school, student):
    record = StudentFactory(school=school)
    service.link_student_user(actor=None, student=record, user=student)
    link = service.add_guardian(actor=None, student=record, guardian=student, name="Self")
    service.remove_guardianship(actor=None, guardianship=link)
    assert sees(student, record)


def test_guardian_account_must_be_a_member_of_the_school(school, other_teacher):
    with pytest.raises(ServiceError) as exc:
        service.add_guardian(actor=None, student=StudentFactory(school=school), guardian=other_teacher, name="X")
    assert exc.value.field == "guardian"
    with pytest.raises(ServiceError):
        service.add_guardian(actor=None, student=StudentFactory(school=school), name="X", relationship="alien")


# --- classes and teachers -----------------------------------------------------------------------------


def test_class_teachers_get_and_lose_the_class_grant(school, teacher, other_teacher):
    second = make_member(school, Role.TEACHER)
    pe_class = classes.create_class(
        actor=None,
        school=school,
        name="PE 7A",
        school_year=2026,
        grade_from=7,
        grade_to=7,
        teachers=[teacher],
        meetings=[{"weekday": 0, "start_time": datetime.time(9), "end_time": datetime.time(9, 50)}],
    )
    forget_school_access(teacher)
    assert teacher.has_perm("physed.change_peclass", pe_class)
    assert allowed_on_object(teacher, "physed.change_peclass", pe_class, record=False)
    assert not allowed_on_object(second, "physed.change_peclass", pe_class, record=False)
    assert pe_class.meetings.count() == 1
    classes.update_class(actor=None, pe_class=pe_class, teachers=[second])
    forget_school_access(teacher)
    teacher = type(teacher).objects.get(pk=teacher.pk)  # guardian caches per user object
    assert not teacher.has_perm("physed.change_peclass", pe_class)
    assert type(second).objects.get(pk=second.pk).has_perm("physed.change_peclass", pe_class)
    event = AuditEvent.objects.get(action="physed.class_updated")
    assert event.changes["teachers"] == {"added": [second.pk], "removed": [teacher.pk]}
    with pytest.raises(ServiceError) as exc:
        classes.update_class(actor=None, pe_class=pe_class, teachers=[other_teacher])
    assert exc.value.field == "teachers"


def test_class_validation(school):
    base = {"actor": None, "school": school, "name": "X", "school_year": 2026}
    with pytest.raises(ServiceError) as exc:
        classes.create_class(**base, grade_from=8, grade_to=7)
    assert exc.value.field == "grade_to"
    meeting = {"weekday": 1, "start_time": datetime.time(10), "end_time": datetime.time(9)}
    with pytest.raises(ServiceError):
        classes.create_class(**base, grade_from=7, grade_to=7, meetings=[meeting])
    same = {"weekday": 1, "start_time": datetime.time(9), "end_time": datetime.time(10)}
    with pytest.raises(ServiceError):
        classes.create_class(**base, grade_from=7, grade_to=7, meetings=[same, same])
    classes.create_class(**base, grade_from=7, grade_to=7, external_id="C1")
    with pytest.raises(ServiceError) as exc:
        classes.create_class(**base, grade_from=7, grade_to=7, external_id="C1")
    assert exc.value.field == "external_id"


def test_meetings_are_replaced_only_when_they_change(school):
    pe_class = PEClassFactory(school=school)
    slot = {"weekday": 2, "start_time": datetime.time(13), "end_time": datetime.time(13, 45), "period": "5"}
    classes.update_class(actor=None, pe_class=pe_class, meetings=[slot])
    first = pe_class.meetings.get().pk
    classes.update_class(actor=None, pe_class=pe_class, meetings=[slot])
    assert pe_class.meetings.get().pk == first
    assert AuditEvent.objects.filter(action="physed.class_updated").count() == 1


# --- enrollments ------------------------------------------------------------------------------------


def test_enroll_capacity_and_grade_warning(school, teacher):
    pe_class = PEClassFactory(school=school, capacity=2, grade_from=7, grade_to=7)
    first = classes.enroll(actor=teacher, pe_class=pe_class, student=StudentFactory(school=school, grade=7))
    assert first.created and first.warnings == []
    eighth = StudentFactory(school=school, grade=8, first_name="Eve", preferred_name="", last_name="Ng")
    second = classes.enroll(actor=teacher, pe_class=pe_class, student=eighth)
    assert second.warnings == ["Eve Ng is in grade 8; the class is for grades 7–7."]
    with pytest.raises(ServiceError) as exc:
        classes.enroll(actor=teacher, pe_class=pe_class, student=StudentFactory(school=school))
    assert exc.value.code == "class_full" and "all 2 places are taken" in exc.value.message
    with pytest.raises(ServiceError) as exc:
        classes.enroll(actor=teacher, pe_class=pe_class, student=eighth)
    assert exc.value.code == "already_enrolled"
    with pytest.raises(ServiceError) as exc:
        classes.update_class(actor=None, pe_class=pe_class, capacity=1)
    assert exc.value.field == "capacity"


def test_enroll_refuses_other_school_and_inactive_students(school, other_school):
    pe_class = PEClassFactory(school=school)
    with pytest.raises(ServiceError):
        classes.enroll(actor=None, pe_class=pe_class, student=StudentFactory(school=other_school))
    with pytest.raises(ServiceError):
        classes.enroll(actor=None, pe_class=pe_class, student=StudentFactory(school=school, status="inactive"))


def test_withdraw_then_enroll_again_reuses_the_row(school):
    pe_class = PEClassFactory(school=school, capacity=1)
    enrollment = EnrollmentFactory(pe_class=pe_class, start_date=datetime.date(2026, 1, 10))
    with pytest.raises(ServiceError):
        classes.withdraw(actor=None, enrollment=enrollment, end_date=datetime.date(2026, 1, 1))
    classes.withdraw(actor=None, enrollment=enrollment, end_date=datetime.date(2026, 2, 1))
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.end_date) == (EnrollmentStatus.WITHDRAWN, datetime.date(2026, 2, 1))
    with pytest.raises(ServiceError):
        classes.withdraw(actor=None, enrollment=enrollment)
    again = classes.enroll(
        actor=None, pe_class=pe_class, student=enrollment.student, start_date=datetime.date(2026, 3, 1)
    )
    assert not again.created and again.enrollment.pk == enrollment.pk
    assert (again.enrollment.status, again.enrollment.end_date) == (EnrollmentStatus.ACTIVE, None)
    classes.delete_enrollment(actor=None, enrollment=again.enrollment)
    assert not Enrollment.objects.exists()
    assert AuditEvent.objects.filter(action="physed.enrollment_deleted").count() == 1


def test_delete_class_drops_teacher_grants(school, teacher):
    pe_class = classes.create_class(
        actor=None, school=school, name="X", school_year=2026, grade_from=6, grade_to=8, teachers=[teacher]
    )
    pk = pe_class.pk
    classes.delete_class(actor=None, pe_class=pe_class)
    from guardian.models import UserObjectPermission

    assert not UserObjectPermission.objects.filter(object_pk=str(pk), user=teacher).exists()


# --- promotion ----------------------------------------------------------------------------------------


def test_promotion_dry_run_then_apply(school, other_school, school_admin):
    for grade, n in ((6, 3), (11, 2), (12, 4)):
        for _ in range(n):
            StudentFactory(school=school, grade=grade)
    StudentFactory(school=school, grade=9, status=StudentStatus.INACTIVE)
    StudentFactory(school=other_school, grade=12)
    senior_enrollment = EnrollmentFactory(
        pe_class__school=school, student=Student.objects.filter(grade=12, school=school).first()
    )
    dry = promote_grades(actor=school_admin, school=school, dry_run=True)
    assert dry.as_dict()["by_grade"] == [
        {"grade": 6, "students": 3},
        {"grade": 11, "students": 2},
        {"grade": 12, "students": 4},
    ]
    assert (dry.promoted, dry.graduated, dry.enrollments_ended, dry.applied) == (5, 4, 1, False)
    assert Student.objects.filter(school=school, grade=6).count() == 3  # nothing written
    assert not AuditEvent.objects.filter(action="physed.grades_promoted").exists()

    done = promote_grades(actor=school_admin, school=school, dry_run=False)
    assert (done.promoted, done.graduated, done.applied) == (5, 4, True)
    grades = sorted(Student.objects.filter(school=school, status=StudentStatus.ACTIVE).values_list("grade", flat=True))
    assert grades == [7, 7, 7, 12, 12]
    assert Student.objects.filter(school=school, status=StudentStatus.GRADUATED).count() == 4
    assert Student.objects.get(school=school, status=StudentStatus.INACTIVE).grade == 9
    assert Student.objects.get(school=other_school).status == StudentStatus.ACTIVE
    senior_enrollment.refresh_from_db()
    assert senior_enrollment.status == EnrollmentStatus.COMPLETED and senior_enrollment.end_date is not None
    event = AuditEvent.objects.get(action="physed.grades_promoted")
    assert event.changes["promoted"] == 5 and event.changes["graduated"] == 4
    assert event.changes["by_grade"] == {"6": 3, "11": 2, "12": 4}
    assert promote_grades(actor=school_admin, school=school).last_promoted_at == event.occurred_at


def test_guardianship_factory_has_no_account_by_default(school):
    assert GuardianshipFactory(student__school=school).guardian is None
