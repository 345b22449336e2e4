"""Conversation pages: my conversations (search, archived filter, pagination, examples that start a
conversation), the chat view, sending a message (htmx appends the new pair of messages into the
``aria-live`` log; without JavaScript it is a normal POST + redirect), rename, archive, delete and
the persona of one conversation. Thin: writes through ``assistant.services.conversations``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.pages import ConfirmForm, paginate, render_confirm
from accounts.services.errors import ServiceError
from assistant.forms import ConversationFilterForm, ConversationPersonaForm, MessageForm, RenameForm, StartForm
from assistant.models import Conversation
from assistant.views_common import find_conversation, messages_of, personas_for, prepare, school_for_page
from assistant.views_replies import feedback_intents
from physed.models import PEClass


def example_questions(user, school) -> list[str]:
    """Questions a new person can click; the first names one of their own classes."""
    pe_class = PEClass.objects.visible_to(user).filter(school=school, is_active=True).order_by("name").first()
    name = pe_class.name if pe_class else _("my class")
    return [
        _("How did %(class)s do on the PACER?") % {"class": name},
        _("What should I do with my class if it's 95°F?"),
        _("What sessions are coming up this week?"),
        _("Suggest activities for %(class)s") % {"class": name},
    ]


@login_required
def home(request):
    school = school_for_page(request)
    form = ConversationFilterForm(request.GET or None)
    rows = Conversation.objects.visible_to(request.user).filter(school=school)
    query, archived = "", False
    if form.is_valid():
        query, archived = form.cleaned_data["q"], form.cleaned_data["archived"]
    rows = rows.filter(archived_at__isnull=not archived)
    if query:
        rows = rows.filter(Q(title__icontains=query) | Q(messages__text__icontains=query)).distinct()
    page = paginate(request, rows.order_by("-updated_at", "-pk"))
    return render(
        request,
        "assistant/conversations/home.html",
        {
            "page": page,
            "form": form,
            "query": query,
            "archived": archived,
            "examples": example_questions(request.user, school),
            "school": school,
        },
    )


@login_required
@require_POST
def conversation_new(request):
    from assistant.services.conversations import post_message, start_conversation

    school = school_for_page(request)
    form = StartForm(request.POST)
    question = form.cleaned_data["question"] if form.is_valid() else ""
    conversation = start_conversation(actor=request.user, school=school, title=question[:120])
    if question:
        try:
            post_message(actor=request.user, conversation=conversation, text=question)
        except ServiceError as exc:
            messages.error(request, exc.message)
    return redirect("assistant-conversation", pk=conversation.pk)


def _chat_context(request, conversation, form=None):
    return {
        "conversation": conversation,
        "chat": messages_of(conversation),
        "form": form or MessageForm(),
        "persona_form": ConversationPersonaForm(
            initial={"persona": conversation.persona_id},
            personas=personas_for(request.user, conversation.school),
        ),
        "intents": feedback_intents(),
    }


@login_required
def conversation_detail(request, pk):
    conversation = find_conversation(request.user, pk)
    return render(request, "assistant/conversations/detail.html", _chat_context(request, conversation))


@login_required
@require_POST
def conversation_send(request, pk):
    from assistant.services.attachments import post_message_with_upload

    conversation = find_conversation(request.user, pk)
    form = MessageForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            pair = post_message_with_upload(
                actor=request.user,
                conversation=conversation,
                text=form.cleaned_data.get("text") or "",
                upload=form.cleaned_data.get("file"),
            )
        except ServiceError as exc:
            form.add_error("file" if exc.field in ("file", "upload", "attachment") else "text", exc.message)
            status = exc.status or 400
        else:
            if request.htmx:
                return render(
                    request,
                    "assistant/conversations/_pair.html",
                    {"conversation": conversation, "chat": prepare(pair), "intents": feedback_intents()},
                )
            return redirect(f"{reverse('assistant-conversation', args=[conversation.pk])}#message-{pair[1].pk}")
    if request.htmx:
        response = render(request, "assistant/conversations/_errors.html", {"form": form}, status=status)
        response["HX-Retarget"] = "#chat-errors"
        response["HX-Reswap"] = "innerHTML"
        return response
    return render(
        request, "assistant/conversations/detail.html", _chat_context(request, conversation, form), status=status
    )


@login_required
def conversation_rename(request, pk):
    from assistant.services.conversations import rename_conversation

    conversation = find_conversation(request.user, pk)
    form = RenameForm(request.POST or None, initial={"title": conversation.title})
    if request.method == "POST" and form.is_valid():
        try:
            rename_conversation(actor=request.user, conversation=conversation, title=form.cleaned_data["title"])
        except ServiceError as exc:
            form.add_error("title", exc.message)
        else:
            messages.success(request, _("Conversation renamed."))
            return redirect("assistant-conversation", pk=conversation.pk)
    return render(
        request,
        "assistant/conversations/rename.html",
        {"form": form, "conversation": conversation},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def conversation_archive(request, pk):
    from assistant.services.conversations import archive_conversation

    conversation = find_conversation(request.user, pk)
    archive_conversation(actor=request.user, conversation=conversation, archived=conversation.archived_at is None)
    if conversation.archived_at:
        messages.success(request, _("Conversation archived."))
        return redirect("assistant-home")
    messages.success(request, _("Conversation brought back from the archive."))
    return redirect("assistant-conversation", pk=conversation.pk)


@login_required
def conversation_delete(request, pk):
    from assistant.services.conversations import delete_conversation

    conversation = find_conversation(request.user, pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        delete_conversation(actor=request.user, conversation=conversation)
        messages.success(request, _("Conversation deleted."))
        return redirect("assistant-home")
    return render_confirm(
        request,
        title=_("Delete %(title)s") % {"title": conversation},
        question=_(
            "Delete this conversation with its messages, attachments and proposed actions? "
            "What the assistant remembers about you stays (see “What the assistant remembers about me”)."
        ),
        details=[(_("Messages"), conversation.messages.count()), (_("Started"), conversation.created_at)],
        action_label=_("Delete"),
        cancel_url=reverse("assistant-conversation", args=[conversation.pk]),
        form=form,
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def conversation_persona(request, pk):
    """The persona of this one conversation (empty: the person's usual one); only a persona offered
    in the conversation's school is accepted (the form's queryset, and the service checks again)."""
    conversation = find_conversation(request.user, pk)
    form = ConversationPersonaForm(request.POST, personas=personas_for(request.user, conversation.school))
    if not form.is_valid():
        messages.error(request, _("Choose one of the personas offered."))
        return redirect("assistant-conversation", pk=conversation.pk)
    from assistant.services.conversations import set_conversation_persona

    try:
        set_conversation_persona(actor=request.user, conversation=conversation, persona=form.cleaned_data["persona"])
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("assistant-conversation", pk=conversation.pk)
    messages.success(request, _("Persona of this conversation saved."))
    return redirect("assistant-conversation", pk=conversation.pk)
