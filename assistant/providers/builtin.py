"""The built-in provider: works offline, explains itself, never invents facts.

A reply: (1) attachments are described (``describe_attachments``: what arrived, a table preview,
an import proposal for fitness results); (2) the intent is recognised (``assistant.intents``);
(3) for a tool intent the tool runs through ``run_tool`` (schema-checked, permission-checked,
audited) and its sentences, citations, cards and proposals become the reply — a required
argument still missing makes the reply a question instead (for a class: up to five of the
person's classes, from ``list_classes``); "remember …"/preferences fill ``draft.remember``;
greetings, thanks and help are answered from the persona's language. (4) The sentences are
composed in the persona's style (``assistant.personas.compose``) inside the persona's language.

Learned preferences shape the reply: ``report_style`` short/detailed overrides the persona's
verbosity; ``units`` metric/imperial converts a temperature before asking for heat guidance, so
the answer is in the preferred unit. Memories in the context bundle that mention the class or
student asked about are quoted ("You told me: …"). Tool output is data: it is quoted, never obeyed.
"""

from __future__ import annotations

import dataclasses

from django.utils import translation
from django.utils.translation import gettext as _

from assistant.intents import TOOL_INTENTS, recognize
from assistant.personas import compose, style_data
from assistant.providers.base import ReplyDraft, ReplyRequest
from assistant.resolve import normalise
from assistant.tools.base import run_tool

MAX_CLASSES_IN_QUESTION = 5
MAX_MEMORIES_QUOTED = 2


def _to_celsius(value: float) -> float:
    return round((value - 32) * 5 / 9, 1)


def _to_fahrenheit(value: float) -> float:
    return round(value * 9 / 5 + 32, 1)


class BuiltinProvider:
    name = "builtin"

    def reply(self, request: ReplyRequest) -> ReplyDraft:
        style = request.persona
        with translation.override(style.language):
            return self._reply(request, style)

    # -- steps -------------------------------------------------------------------------------

    def _reply(self, request: ReplyRequest, style) -> ReplyDraft:
        ctx, prefs = request.ctx, dict(request.preferences or {})
        report_style = (prefs.get("report_style") or "").lower()
        if report_style in ("short", "brief"):
            style = dataclasses.replace(style, verbosity="brief")
        elif report_style == "detailed":
            style = dataclasses.replace(style, verbosity="detailed")

        sentences: list[str] = []
        draft = ReplyDraft(text="", provider=self.name)
        if request.attachments:
            from assistant.services.attachments import describe_attachments

            described = describe_attachments(ctx, request.attachments)
            self._take(draft, described, {"attachment_ids": [a.pk for a in request.attachments]})
            sentences += described.sentences or ([described.message] if described.message else [])

        recognition = recognize(ctx, request.text or "", preferences=prefs, attachments=request.attachments)
        draft.intent, draft.confidence = recognition.intent, recognition.confidence
        draft.reasons = list(recognition.reasons)
        if report_style:
            draft.reasons.append(_("you prefer %(style)s reports") % {"style": report_style})
        ok = True
        intent = recognition.intent

        if intent in TOOL_INTENTS:
            if intent == "propose_results" and request.attachments and draft.proposals:
                pass  # the attachment description already proposes the import
            elif recognition.missing:
                sentences += self._clarify(ctx, recognition.missing, draft)
            else:
                arguments = self._arguments(recognition, prefs, draft, request)
                result = run_tool(ctx, intent, arguments)
                self._take(draft, result, arguments)
                if result.ok:
                    sentences += result.sentences
                    sentences += self._memories(request, arguments, draft)
                else:
                    ok = False
                    sentences.append(result.message or _("I could not answer that."))
        elif intent in ("remember", "set_preference"):
            sentences += self._remember(request.text or "", draft)
        elif intent == "greeting":
            sentences.append(_("Hello! Ask me about your classes, students, fitness results or safety."))
        elif intent == "thanks":
            sentences.append(_("You're welcome."))
        elif not request.attachments or intent == "help":
            sentences += self._capabilities(style.language, intent)

        draft.text = compose(style, sentences, intent=intent, ok=ok, reasons=draft.reasons)
        return draft

    def _take(self, draft: ReplyDraft, result, arguments: dict) -> None:
        draft.results.append(result)
        draft.tool_calls.append(result.as_log(arguments))
        draft.citations += result.citations
        draft.cards += result.cards
        draft.proposals += result.proposals

    def _arguments(self, recognition, prefs: dict, draft: ReplyDraft, request) -> dict:
        arguments = dict(recognition.arguments)
        units = (prefs.get("units") or "").lower()
        if recognition.intent == "heat_guidance" and "temperature" in arguments:
            value, unit = arguments["temperature"], arguments.get("unit")
            if units == "metric" and unit == "F":
                arguments["temperature"], arguments["unit"] = _to_celsius(value), "C"
            elif units == "imperial" and unit == "C":
                arguments["temperature"], arguments["unit"] = _to_fahrenheit(value), "F"
            if arguments.get("unit") != unit:
                draft.reasons.append(
                    _("you prefer %(units)s units: %(value)g °%(from)s = %(converted)g °%(to)s")
                    % {
                        "units": units,
                        "value": value,
                        "from": unit,
                        "converted": arguments["temperature"],
                        "to": arguments["unit"],
                    }
                )
        return arguments

    def _clarify(self, ctx, missing: list[str], draft: ReplyDraft) -> list[str]:
        """A question for the first missing argument."""
        name = missing[0]
        if name == "class_name":
            classes = run_tool(ctx, "list_classes", {})
            draft.results.append(classes)
            draft.tool_calls.append(classes.as_log({}))
            names = [row["name"] for row in (classes.data or {}).get("classes", [])][:MAX_CLASSES_IN_QUESTION]
            if not names:
                names = [c.label for c in classes.citations][:MAX_CLASSES_IN_QUESTION]
            draft.citations += classes.citations[:MAX_CLASSES_IN_QUESTION]
            if names:
                return [_("Which class do you mean? For example: %(names)s.") % {"names": ", ".join(names)}]
            return [_("Which class do you mean? I could not find any class of yours in this school.")]
        questions = {
            "student_name": _("Which student do you mean? Tell me their name."),
            "temperature": _("What is the temperature? For example: 95°F or 35 °C."),
            "metric": _("Which measure should the goal track (for example, the PACER)?"),
            "target": _("What target number should the goal have?"),
            "topic": _("What topic should the lesson plan cover?"),
            "query": _("What should I look for?"),
        }
        return [questions.get(name, _("I need a bit more detail: %(name)s.") % {"name": name})]

    def _memories(self, request, arguments: dict, draft: ReplyDraft) -> list[str]:
        """Fact memories in the context bundle that mention the class or student asked about."""
        names = [normalise(arguments[k]) for k in ("class_name", "student_name") if arguments.get(k)]
        bundle = request.context
        if not names or bundle is None:
            return []
        quoted = []
        for scored in getattr(bundle, "memories", []) or []:
            memory = scored.memory
            if memory.kind not in ("fact", "episode") or memory.key:
                continue
            text = normalise(memory.content)
            if any(name and name in text for name in names):
                quoted.append(_("You told me: %(content)s") % {"content": memory.content.rstrip(".") + "."})
                draft.reasons.append(_("a memory mentions it (#%(id)s)") % {"id": memory.pk})
            if len(quoted) >= MAX_MEMORIES_QUOTED:
                break
        return quoted

    def _remember(self, text: str, draft: ReplyDraft) -> list[str]:
        from assistant.services.learning import extract_memory_requests

        requests = extract_memory_requests(text)
        draft.remember = requests
        if not requests:
            return [_('Tell me what to remember, for example: "remember that Grade 5 Blue has swimming on Fridays".')]
        out = []
        for item in requests:
            key, content = item.get("key"), item["content"]
            if key == "default_class":
                out.append(_("Got it: your default class is now %(value)s.") % {"value": content})
            elif key == "units":
                out.append(_("Got it: I will use %(value)s units.") % {"value": content})
            elif key == "report_style":
                out.append(_("Got it: I will keep my reports %(value)s.") % {"value": content})
            elif key:
                out.append(_("Got it: %(key)s is %(value)s.") % {"key": key, "value": content})
            else:
                out.append(_("I will remember that: %(content)s") % {"content": content.rstrip(".") + "."})
        return out

    def _capabilities(self, language: str, intent: str) -> list[str]:
        data = style_data()["capabilities"]
        items = data.get(language) or data["en"]
        lead = (
            _("I did not understand that, but I can:")
            if intent == "unknown"
            else _("I answer from your own classes and records, and I can:")
        )
        return [lead + " " + "; ".join(items) + "."]
