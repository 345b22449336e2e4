"""Forms for the category and tag pages. The services check the rules; their errors are shown on
the form (``add_service_error``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from content.selectors.taxonomy import category_choices
from content.services.categories import CHILDREN_MOVE_UP, CHILDREN_REFUSE


def add_service_error(form, exc) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    parent = forms.TypedChoiceField(label=_("Inside"), required=False, coerce=int, empty_value=None)
    position = forms.IntegerField(
        label=_("Position among its siblings"),
        min_value=0,
        max_value=32000,
        required=False,
        help_text=_("Lower numbers come first; leave empty to place it last."),
    )

    def __init__(self, *args, school, category=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("(top level)")), *category_choices(school, exclude=category)]


class CategoryDeleteForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, I am sure"), required=True)
    children = forms.ChoiceField(
        label=_("Subcategories"),
        choices=[
            (CHILDREN_MOVE_UP, _("Move them up one level")),
            (CHILDREN_REFUSE, _("Do not delete if it has subcategories")),
        ],
        initial=CHILDREN_MOVE_UP,
        widget=forms.RadioSelect,
    )


class TagRenameForm(forms.Form):
    name = forms.CharField(label=_("New name"), max_length=100)


class TagMergeForm(forms.Form):
    into = forms.TypedChoiceField(label=_("Merge into"), coerce=int)

    def __init__(self, *args, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].choices = [(tag.pk, tag.name) for tag in tags]


class BulkTagForm(forms.Form):
    items = forms.TypedMultipleChoiceField(label=_("Items"), coerce=int, widget=forms.CheckboxSelectMultiple)
    add = forms.CharField(
        label=_("Add tags"), max_length=500, required=False, help_text=_("Separate tags with commas.")
    )
    remove = forms.CharField(
        label=_("Remove tags"), max_length=500, required=False, help_text=_("Separate tags with commas.")
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(item.pk, item.title) for item in items]

    @staticmethod
    def split(value: str) -> list[str]:
        return [part for part in (value or "").split(",") if part.strip()]
