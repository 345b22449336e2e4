"""Forms for sharing, comments and copying (pages only; the rules live in the services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from content.services.comments import MAX_COMMENT_CHARS
from content.services.sharing import share_candidates
from physed.models import PEClass

AUDIENCE_CHOICES = [
    ("user", _("A person")),
    ("class", _("A class")),
    ("school", _("The whole school")),
]
ACCESS_CHOICES = [("view", _("May view")), ("edit", _("May edit"))]


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{name} ({obj.email})" if name else obj.email


class ShareForm(forms.Form):
    audience = forms.ChoiceField(label=_("Share with"), choices=AUDIENCE_CHOICES, initial="user")
    user = PersonChoiceField(label=_("Person"), queryset=None, required=False)
    pe_class = forms.ModelChoiceField(label=_("Class"), queryset=None, required=False)
    access = forms.ChoiceField(label=_("Rights"), choices=ACCESS_CHOICES, initial="view", widget=forms.RadioSelect)

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = share_candidates(item)
        self.fields["pe_class"].queryset = PEClass.objects.filter(school=item.school_id, is_active=True)

    def clean(self):
        data = super().clean()
        audience = data.get("audience")
        if audience == "user" and not data.get("user"):
            self.add_error("user", _("Choose the person to share with."))
        if audience == "class" and not data.get("pe_class"):
            self.add_error("pe_class", _("Choose the class to share with."))
        return data


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mention someone who can see this item with @ and their email, e.g. @ana.lopez."),
    )


class ForkForm(forms.Form):
    title = forms.CharField(label=_("Title of the copy"), max_length=200, required=False)
