"""The search form: one parser of the search parameters for the library page and the API (the API
turns its errors into a 400 naming the parameter)."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from config.api.filters import WHOLE_NUMBER
from content.models import Category, ContentKind, ContentLanguage, ContentStatus
from content.selectors.search import MAX_QUERY_LENGTH, SearchParams
from content.services.tags import MAX_TAG_LENGTH, normalize
from physed.models import PEStandard
from physed.models.library import GradeBand
from physed.models.roster import GRADE_CHOICES

MAX_TAG_FILTERS = 10
MAX_OWNER_DIGITS = 10
# a stand-in for a well-formed id that names no row the user may see
NO_MATCH = object()


def _blank(choices):
    return [("", _("Any")), *list(choices)]


class FilterChoiceField(forms.ModelChoiceField):
    """A row chosen by id, where a whole number that names no row the user may see is kept as
    ``NO_MATCH`` (the search then finds nothing) instead of being an error: the convention of every
    API list filter (``config/api/filters.py``), and another school's ids look like ids that never
    existed. Anything but a whole number is still "not a valid choice"."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not WHOLE_NUMBER.fullmatch(str(value).strip()):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        try:
            return super().to_python(str(value).strip())
        except ValidationError:
            return NO_MATCH


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=MAX_QUERY_LENGTH, required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=_blank(ContentKind.choices), required=False)
    grade = forms.TypedChoiceField(
        label=_("Grade"), choices=_blank(GRADE_CHOICES), coerce=int, empty_value=None, required=False
    )
    grade_band = forms.ChoiceField(label=_("Grade band"), choices=_blank(GradeBand.choices), required=False)
    category = FilterChoiceField(label=_("Category"), queryset=Category.objects.none(), required=False)
    tag = forms.CharField(label=_("Tag"), max_length=MAX_TAG_LENGTH, required=False)
    standard = FilterChoiceField(label=_("Standard"), queryset=PEStandard.objects.all(), required=False)
    owner = forms.CharField(label=_("Owner"), max_length=12, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Draft or published")), *list(ContentStatus.choices)],
        required=False,
    )
    shared = forms.BooleanField(label=_("Shared with me"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=_blank(ContentLanguage.choices), required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # categories of the user's schools only: another school's id finds nothing
        self.fields["category"].queryset = Category.objects.visible_to(user)
        # every ?tag= as given (a QueryDict), or the one a plain dict carries
        if hasattr(self.data, "getlist"):
            self.given_tags = [str(name) for name in self.data.getlist("tag")]
        else:
            self.given_tags = [str(self.data["tag"])] if self.data.get("tag") else []
        self.tag_names = [normalize(name) for name in self.given_tags if normalize(name)]

    def clean_owner(self):
        owner = (self.cleaned_data.get("owner") or "").strip().lower()
        # a user id no row has (0, or beyond the column's range) finds nothing, like any id filter
        if owner and owner != "me" and not re.fullmatch(rf"[0-9]{{1,{MAX_OWNER_DIGITS}}}", owner):
            raise ValidationError(_('Give a user id or "me".'), code="invalid")
        return owner

    def clean_shared(self):
        # the checkbox widget reads any text but "false" as ticked: only true/false (the API's
        # boolean) and "on" (what the page's checkbox sends) are taken
        raw = self.data.get("shared", "") if hasattr(self.data, "get") else ""
        if str(raw).strip().lower() not in ("", "true", "false", "on"):
            raise ValidationError(_("Use true or false."), code="invalid")
        return self.cleaned_data.get("shared", False)

    def clean_tag(self):
        # counted and measured as given, blank ones included, as the API documents them (a blank
        # tag is then ignored): tags the search would drop must not slip past the limits
        given = self.given_tags
        if len(given) > MAX_TAG_FILTERS:
            raise ValidationError(_("At most %(n)d tags.") % {"n": MAX_TAG_FILTERS}, code="too_many")
        # lower-casing can lengthen a name: such a name simply matches no tag
        if any(len(name) > MAX_TAG_LENGTH for name in given):
            raise ValidationError(_("A tag is at most %(n)d characters.") % {"n": MAX_TAG_LENGTH}, code="too_long")
        return self.tag_names

    def params(self) -> SearchParams:
        """The validated parameters (call after ``is_valid()``)."""
        data = self.cleaned_data
        category, standard = data.get("category"), data.get("standard")
        unknown = NO_MATCH in (category, standard)
        return SearchParams(
            q=(data.get("q") or "").strip(),
            kind=data.get("kind") or "",
            grade=data.get("grade"),
            grade_band=data.get("grade_band") or "",
            category=None if category is NO_MATCH else category,
            tags=list(data.get("tag") or []),
            standard=standard.pk if standard and standard is not NO_MATCH else None,
            owner=data.get("owner") or "",
            status=data.get("status") or "",
            shared=bool(data.get("shared")),
            language=data.get("language") or "",
            match_nothing=unknown,
        )
