"""Forms for the profile pages. They only parse; ``accounts.services.profiles`` writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Profile


class ProfileForm(forms.ModelForm):
    """The owner's own profile: names (on the user) plus personal details and privacy settings."""

    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)

    class Meta:
        model = Profile
        fields = [
            "preferred_name",
            "pronouns",
            "title",
            "phone",
            "bio",
            "email_visibility",
            "phone_visibility",
            "picture_visibility",
            "bio_visibility",
            "directory_opt_out",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}

    field_order = ["first_name", "last_name", *Meta.fields]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and not self.is_bound:
            self.initial.update(first_name=user.first_name, last_name=user.last_name)
        self.fields["phone"].widget.input_type = "tel"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"

    def personal_fields(self):
        return [
            self[name] for name in ("first_name", "last_name", "preferred_name", "pronouns", "title", "phone", "bio")
        ]

    def privacy_fields(self):
        names = ("email_visibility", "phone_visibility", "picture_visibility", "bio_visibility", "directory_opt_out")
        return [self[name] for name in names]


class AvatarForm(forms.Form):
    file = forms.FileField(
        label=_("Picture"),
        help_text=_("JPEG, PNG or WebP, at most 5 MB and 4096×4096 pixels. We remove location and camera data."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class StaffRecordForm(forms.Form):
    staff_id = forms.CharField(label=_("Staff id"), max_length=64, required=False)


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name or title"), max_length=100, required=False)
