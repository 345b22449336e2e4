"""Forms of the assistant pages: the message box (text + optional file), conversation title and
list filters, feedback on a reply, the persona picker and the school persona form."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from assistant.models import Persona, ReadingLevel, Tone, Verbosity


class ConversationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search my conversations"), max_length=200, required=False)
    archived = forms.BooleanField(label=_("Show archived conversations"), required=False)


class StartForm(forms.Form):
    """ "New conversation", optionally with a first question (the example buttons)."""

    question = forms.CharField(label=_("Question"), max_length=500, required=False)


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Your message"),
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("Ask about your classes, students or activities…")}),
    )
    file = forms.FileField(
        label=_("Attach an image, CSV or Excel file"),
        required=False,
        help_text=_("PNG or JPEG images; CSV or XLSX tables (e.g. fitness results to import)."),
    )

    def clean(self):
        data = super().clean()
        if not data.get("text") and not data.get("file"):
            raise forms.ValidationError(_("Write a message or attach a file."), code="empty")
        limit = settings.ASSISTANT_MAX_MESSAGE_CHARS
        if len(data.get("text") or "") > limit:
            self.add_error("text", _("A message can have at most %(limit)d characters.") % {"limit": limit})
        return data


class RenameForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Was this helpful?"), choices=[("1", _("Helpful")), ("-1", _("Not helpful"))], coerce=int
    )
    correction = forms.CharField(
        label=_("Correction (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was wrong, or what you meant. A fact you state here may be remembered."),
    )
    expected_intent = forms.ChoiceField(label=_("What you asked about (optional)"), required=False, choices=())

    def __init__(self, *args, intents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expected_intent"].choices = [("", "—"), *intents]


class PersonaChoiceForm(forms.Form):
    persona = forms.ModelChoiceField(label=_("Persona"), queryset=Persona.objects.none(), empty_label=None)

    def __init__(self, *args, personas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persona"].queryset = personas


class ConversationPersonaForm(forms.Form):
    persona = forms.ModelChoiceField(
        label=_("Persona for this conversation"),
        queryset=Persona.objects.none(),
        required=False,
        empty_label=_("My usual persona"),
    )

    def __init__(self, *args, personas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persona"].queryset = personas


class PersonaForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    tone = forms.ChoiceField(label=_("Tone"), choices=Tone.choices)
    verbosity = forms.ChoiceField(label=_("Length of replies"), choices=Verbosity.choices)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("The language of the person asking")), *settings.LANGUAGES],
        required=False,
    )
    reading_level = forms.ChoiceField(label=_("Reading level"), choices=ReadingLevel.choices)
    emoji = forms.BooleanField(label=_("Use emoji"), required=False)

    FIELDS = ("name", "tone", "verbosity", "language", "reading_level", "emoji")

    @classmethod
    def initial_for(cls, persona: Persona) -> dict:
        return {name: getattr(persona, name) for name in cls.FIELDS}
