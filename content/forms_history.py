"""Forms of the history pages: the restore confirmation carries the version it was shown at."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.pages import ConfirmForm


class RestoreForm(ConfirmForm):
    """``version`` is the item's version when the page was shown; a different current version
    at submit time is a conflict (409) rather than a restore over someone's newer edit."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2_147_483_647)
    change_note = forms.CharField(label=_("Change note"), max_length=300, required=False)
