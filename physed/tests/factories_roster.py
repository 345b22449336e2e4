"""Factories: roster (registered with tests.registry for the walkers)."""

import datetime

import factory

from accounts.tests.factories import SchoolFactory
from physed.models import ClassMeeting, Enrollment, Guardianship, PEClass, RosterImport, RosterImportKind, Sex, Student
from tests.registry import register_scoped_factory

__all__ = [
    "ClassMeetingFactory",
    "EnrollmentFactory",
    "GuardianshipFactory",
    "PEClassFactory",
    "RosterImportFactory",
    "StudentFactory",
]


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    school = factory.SubFactory(SchoolFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = factory.Sequence(lambda n: datetime.date(2013, 1, 1) + datetime.timedelta(days=n % 700))
    sex = factory.Iterator([Sex.FEMALE, Sex.MALE])
    grade = 7
    external_id = factory.Sequence(lambda n: f"S{n:05d}")


class GuardianshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardianship

    student = factory.SubFactory(StudentFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"guardian{n}@example.org")
    phone = "+1 555 0100"


class PEClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PEClass
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"PE 7-{n}")
    school_year = 2026
    grade_from = 7
    grade_to = 7
    location = "Main gym"
    capacity = 30


class ClassMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClassMeeting

    pe_class = factory.SubFactory(PEClassFactory)
    weekday = 0
    start_time = datetime.time(9, 0)
    end_time = datetime.time(9, 50)
    period = "1"


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    pe_class = factory.SubFactory(PEClassFactory)
    student = factory.SubFactory(StudentFactory, school=factory.SelfAttribute("..pe_class.school"))
    start_date = datetime.date(2026, 8, 20)


class RosterImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RosterImport

    school = factory.SubFactory(SchoolFactory)
    kind = RosterImportKind.CSV
    file_names = factory.LazyFunction(lambda: ["file"])
    payload = factory.LazyFunction(lambda: {"file": "external_id,first_name,last_name,grade\nS1,Ana,Lopez,7\n"})


register_scoped_factory(Student, lambda school: StudentFactory(school=school))
register_scoped_factory(Guardianship, lambda school: GuardianshipFactory(student__school=school))
register_scoped_factory(PEClass, lambda school: PEClassFactory(school=school))
register_scoped_factory(ClassMeeting, lambda school: ClassMeetingFactory(pe_class__school=school))
register_scoped_factory(Enrollment, lambda school: EnrollmentFactory(pe_class__school=school))
