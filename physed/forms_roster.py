"""Forms for the roster pages. They only parse input; the roster services decide and write."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.selectors import members_of
from physed.models import GRADE_CHOICES, ClassMeeting, Guardianship, PEClass, RosterImportKind, Student, Term
from physed.services.roster_import import current_school_year
from physed.services.roster_import_csv import fields as csv_fields

User = get_user_model()


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{name} <{obj.email}>" if name else obj.email


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class StudentForm(forms.ModelForm):
    user = UserChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=_("Sign-in account"),
        help_text=_("The student's own account (a student member of the school), so they can see their PE page."),
    )

    class Meta:
        model = Student
        fields = ["first_name", "last_name", "preferred_name", "date_of_birth", "sex", "grade", "external_id", "status"]
        widgets = {"date_of_birth": DateInput()}

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = members_of(school, [Role.STUDENT])
        if self.instance.pk:
            self.fields["user"].initial = self.instance.user_id
        else:
            del self.fields["status"]

    def validate_unique(self):
        """The service checks the external id per school and answers with a field error."""


class PEClassForm(forms.ModelForm):
    teachers = UserMultipleChoiceField(
        queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple, label=_("Teachers")
    )

    class Meta:
        model = PEClass
        fields = [
            "name",
            "external_id",
            "school_year",
            "term",
            "grade_from",
            "grade_to",
            "location",
            "space",
            "capacity",
            "is_active",
        ]

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teachers"].queryset = members_of(school)
        if self.instance.pk:
            self.fields["teachers"].initial = list(self.instance.teachers.values_list("pk", flat=True))
        else:
            self.fields["school_year"].initial = current_school_year()
            self.fields["term"].initial = Term.FULL_YEAR

    def validate_unique(self):
        """The service checks the external id per school."""


class MeetingForm(forms.ModelForm):
    class Meta:
        model = ClassMeeting
        fields = ["weekday", "start_time", "end_time", "period"]
        widgets = {"start_time": TimeInput(), "end_time": TimeInput()}

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and start >= end:
            self.add_error("end_time", _("A meeting must end after it starts."))
        return data


MeetingFormSet = forms.formset_factory(MeetingForm, extra=1, can_delete=True, max_num=14, validate_max=True)


class GuardianForm(forms.ModelForm):
    guardian = UserChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=_("Guardian's sign-in account"),
        help_text=_("Linking an account lets the guardian see this student's PE page."),
    )

    class Meta:
        model = Guardianship
        fields = ["name", "relationship", "email", "phone", "is_primary_contact"]

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guardian"].queryset = members_of(school, [Role.GUARDIAN])


class WithdrawForm(forms.Form):
    end_date = forms.DateField(label=_("Last day in the class"), widget=DateInput())
    confirm = forms.BooleanField(label=_("Yes, withdraw the student"), required=True)


class StudentSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    grade = forms.TypedChoiceField(
        label=_("Grade"), choices=[("", _("All grades")), *GRADE_CHOICES], coerce=int, required=False, empty_value=None
    )
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All statuses")), *Student._meta.get_field("status").choices]


class ClassFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    year = forms.TypedChoiceField(label=_("School year"), required=False, coerce=int, empty_value=None)
    term = forms.ChoiceField(label=_("Term"), required=False, choices=[("", _("All terms")), *Term.choices])
    grade = forms.TypedChoiceField(
        label=_("Grade"), choices=[("", _("All grades")), *GRADE_CHOICES], coerce=int, required=False, empty_value=None
    )
    inactive = forms.BooleanField(label=_("Show inactive classes"), required=False)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [(y, f"{y}–{(y + 1) % 100:02d}") for y in years]


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Format"), choices=RosterImportKind.choices, widget=forms.RadioSelect)
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("CSV: one file. OneRoster: a zip with users.csv, classes.csv and enrollments.csv."),
    )
    users = forms.FileField(label=_("users.csv"), required=False)
    classes = forms.FileField(label=_("classes.csv"), required=False)
    enrollments = forms.FileField(label=_("enrollments.csv"), required=False)
    demographics = forms.FileField(label=_("demographics.csv"), required=False)
    school_year = forms.IntegerField(
        label=_("School year of new classes"),
        min_value=2000,
        max_value=2100,
        required=False,
        help_text=_("The year the school year starts in (OneRoster)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_year"].initial = current_school_year()

    def clean(self):
        data = super().clean()
        if data.get("kind") == RosterImportKind.CSV and not data.get("file"):
            self.add_error("file", _("Choose a CSV file."))
        if data.get("kind") == RosterImportKind.ONEROSTER and not data.get("file"):
            missing = [name for name in ("users", "classes", "enrollments") if not data.get(name)]
            if missing:
                self.add_error("file", _("Choose a zip, or users.csv, classes.csv and enrollments.csv."))
        return data


FIELD_LABELS = {
    "external_id": _("External student id"),
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "preferred_name": _("Preferred name"),
    "date_of_birth": _("Date of birth"),
    "sex": _("Sex"),
    "grade": _("Grade"),
    "class_external_id": _("Class external id"),
    "class_name": _("Class name"),
    "guardian_name": _("Guardian name"),
    "guardian_email": _("Guardian email"),
    "guardian_phone": _("Guardian phone"),
}


class MappingForm(forms.Form):
    """One select per field of ours, offering the file's columns."""

    def __init__(self, *args, header, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in the file —"))] + [(column, column) for column in header]
        for name, spec in csv_fields().items():
            self.fields[name] = forms.ChoiceField(
                label=FIELD_LABELS.get(name, name), choices=choices, required=spec["required"]
            )
