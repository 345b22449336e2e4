"""Persona settings: choose my persona for the school, see the built-in and school personas with
a sample sentence in each one's voice (``assistant.personas.compose`` — the same code that shapes
real replies), and, with ``assistant.add_persona``, add / edit / delete school personas and set the
school default. Built-in personas are never edited here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.pages import ConfirmForm, render_confirm
from accounts.selectors import has_school_perm
from accounts.services.errors import ServiceError
from assistant.forms import PersonaChoiceForm, PersonaForm
from assistant.models import Persona, PersonaChoice
from assistant.views_common import personas_for, school_for_page


def sample_sentences() -> list[str]:
    return [
        _("18 of 24 students in Grade 5 Blue are in the Healthy Fitness Zone on the PACER."),
        _("Six students need improvement; their average is 21 laps."),
    ]


def sample_for(persona, user) -> str:
    """One sample reply in ``persona``'s voice, made by the reply composer itself."""
    from assistant.personas import PersonaStyle, compose

    style = PersonaStyle.from_persona(persona, user)
    with translation.override(style.language or translation.get_language()):
        return compose(style, sample_sentences(), intent="fitness_results")


def _can_manage(user, school) -> bool:
    return has_school_perm(user, "assistant.add_persona", school.pk)


def _school_persona(request, pk):
    school = school_for_page(request)
    if not _can_manage(request.user, school):
        raise PermissionDenied
    persona = Persona.objects.visible_to(request.user).filter(pk=pk, school=school).first()
    if persona is None:
        raise Http404
    return school, persona


@login_required
def persona_settings(request):
    from assistant.personas import effective_persona

    school = school_for_page(request)
    personas = list(personas_for(request.user, school))
    form = PersonaChoiceForm(request.POST or None, personas=personas_for(request.user, school))
    if request.method == "POST" and form.is_valid():
        from assistant.services.personas import choose_persona

        try:
            choose_persona(actor=request.user, school=school, persona=form.cleaned_data["persona"])
        except ServiceError as exc:
            form.add_error("persona", exc.message)
        else:
            messages.success(request, _("Your persona is saved."))
            return redirect("assistant-personas")
    current = effective_persona(request.user, school)
    chosen = PersonaChoice.objects.filter(user=request.user, school=school).values_list("persona_id", flat=True)
    for persona in personas:
        persona.sample = sample_for(persona, request.user)
    if not form.is_bound:
        form = PersonaChoiceForm(initial={"persona": current.pk}, personas=personas_for(request.user, school))
    return render(
        request,
        "assistant/personas/settings.html",
        {
            "school": school,
            "personas": personas,
            "current": current,
            "chosen_id": next(iter(chosen), None),
            "form": form,
            "can_manage": _can_manage(request.user, school),
        },
        status=400 if form.is_bound else 200,
    )


def _persona_form_page(request, school, persona=None):
    from assistant.services import personas as services

    initial = PersonaForm.initial_for(persona) if persona else {}
    form = PersonaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if persona is None:
                services.create_persona(actor=request.user, school=school, **form.cleaned_data)
            else:
                services.update_persona(actor=request.user, persona=persona, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Persona saved."))
            return redirect("assistant-personas")
    return render(
        request,
        "assistant/personas/form.html",
        {"form": form, "persona": persona, "school": school},
        status=400 if form.is_bound else 200,
    )


@login_required
def persona_create(request):
    school = school_for_page(request)
    if not _can_manage(request.user, school):
        raise PermissionDenied
    return _persona_form_page(request, school)


@login_required
def persona_edit(request, pk):
    school, persona = _school_persona(request, pk)
    return _persona_form_page(request, school, persona)


@login_required
def persona_delete(request, pk):
    from assistant.services.personas import delete_persona

    _school, persona = _school_persona(request, pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            delete_persona(actor=request.user, persona=persona)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Persona deleted."))
        return redirect("assistant-personas")
    return render_confirm(
        request,
        title=_("Delete %(name)s") % {"name": persona.name},
        question=_("Delete this persona? People who chose it go back to the school default."),
        details=[
            (_("Tone"), persona.get_tone_display()),
            (_("School default"), _("yes") if persona.is_school_default else _("no")),
        ],
        action_label=_("Delete"),
        cancel_url=reverse("assistant-personas"),
        form=form,
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def persona_default(request, pk):
    """Makes a school persona the school default (a built-in one: pk of a built-in is refused with 404)."""
    from assistant.services.personas import set_school_default

    school = school_for_page(request)
    if not _can_manage(request.user, school):
        raise PermissionDenied
    persona = Persona.objects.visible_to(request.user).filter(pk=pk).first()
    if persona is None or persona.school_id not in (None, school.pk):
        raise Http404
    try:
        set_school_default(actor=request.user, school=school, persona=persona)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s is now the school default.") % {"name": persona.name})
    return redirect("assistant-personas")
