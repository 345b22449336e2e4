"""Building blocks shared by server-rendered pages: the confirmation step every destructive
action goes through, and page-number pagination."""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

PAGE_SIZE = 25


class ConfirmForm(forms.Form):
    """Destructive actions post an explicit confirmation."""

    confirm = forms.BooleanField(label=_("Yes, I am sure"), required=True)


def render_confirm(request, *, title, question, action_label, cancel_url, details=(), form=None, status=200):
    """The confirmation page (includes/confirm.html): what will happen, facts about the target,
    a required checkbox, the action button and a way back."""
    return render(
        request,
        "includes/confirm.html",
        {
            "title": title,
            "question": question,
            "details": details,
            "action_label": action_label,
            "cancel_url": cancel_url,
            "form": form or ConfirmForm(),
        },
        status=status,
    )


def paginate(request, rows, per_page: int = PAGE_SIZE):
    return Paginator(rows, per_page).get_page(request.GET.get("page"))
