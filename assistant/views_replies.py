"""What can be done with a reply: confirm or reject a proposed action (an attachment's "Import"
is the confirmation of its record-results proposal), thumbs up/down with an optional correction,
and the owner-only, never-cached download of an attachment. Writes through
``assistant.services.actions`` and ``assistant.services.learning``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from assistant.forms import FeedbackForm
from assistant.models import ActionStatus, MessageRole
from assistant.views_common import find_action, find_attachment, find_message, prepare


def feedback_intents() -> list[tuple[str, str]]:
    """The intents a correction may name: the registered tools plus the conversational ones."""
    from assistant.intents.labels import intent_label
    from assistant.tools.base import REGISTRY

    names = [*sorted(REGISTRY), "remember", "set_preference", "help"]
    return sorted(((name, intent_label(name)) for name in names), key=lambda pair: pair[1])


def _back(action_or_message):
    message = getattr(action_or_message, "message", action_or_message)
    return redirect(f"{reverse('assistant-conversation', args=[message.conversation_id])}#message-{message.pk}")


@login_required
@require_POST
def action_confirm(request, pk):
    from assistant.services.actions import confirm_action

    action = find_action(request.user, pk)
    try:
        action = confirm_action(actor=request.user, action=action)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return _back(action)
    if action.status == ActionStatus.DONE:
        messages.success(request, _("Done: %(result)s") % {"result": action.result_label or action.summary})
    else:
        messages.error(
            request, _("Could not do it: %(error)s") % {"error": action.error or action.get_status_display()}
        )
    return _back(action)


@login_required
@require_POST
def action_reject(request, pk):
    from assistant.services.actions import reject_action

    action = find_action(request.user, pk)
    try:
        reject_action(actor=request.user, action=action)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Proposal rejected; nothing was changed."))
    return _back(action)


@login_required
@require_POST
def feedback(request, pk):
    """Thumbs up/down on a reply; with htmx the reply's feedback block is swapped in place."""
    from assistant.services.learning import record_feedback

    message = find_message(request.user, pk)
    form = FeedbackForm(request.POST, intents=feedback_intents())
    status = 400
    if message.role != MessageRole.ASSISTANT:
        form.add_error(None, _("Only the assistant's replies can be rated."))
    elif form.is_valid():
        try:
            record_feedback(actor=request.user, message=message, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            status = exc.status or 400
        else:
            status = 200
            if not request.htmx:
                messages.success(request, _("Thank you: your feedback was saved."))
                return _back(message)
    if request.htmx:
        message.refresh_from_db()
        (message,) = prepare([message])
        return render(
            request,
            "assistant/conversations/_feedback.html",
            {"message": message, "feedback_form": form if status != 200 else None, "intents": feedback_intents()},
            status=status,
        )
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return _back(message)


@login_required
def attachment_download(request, pk):
    attachment = find_attachment(request.user, pk)
    record_event(
        "assistant.attachment_downloaded",
        actor=request.user,
        school=attachment.conversation.school,
        target=attachment,
    )
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=attachment.original_name,
    )
    add_never_cache_headers(response)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
