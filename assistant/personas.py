"""How the assistant speaks: which persona applies and how a reply is composed in its style.

``effective_persona`` picks the conversation's persona, else the person's choice in the school,
else the school default, else the built-in ``BUILTIN_DEFAULT``. ``PersonaStyle`` is the persona
resolved for one person (language: the persona's, else the person's preferred language).
``compose`` turns the facts (sentences from the tools) into the reply text:

* tone — opener and closer from ``assistant/data/personas.json`` per language (encouraging
  praises, neutral adds nothing, formal is polite and drops contractions, coach gives
  "→" bullet points and a call to action);
* verbosity — brief keeps the first two sentences (the tools lead with the finding, then what
  to do about it) and no closer; normal keeps all; detailed adds a
  "Why: …" line with the recognition reasons;
* reading level — simple swaps jargon for plain words (data glossary) and splits long sentences;
* emoji — a tone emoji and an intent emoji, only when the persona allows them.

Persona writes (create/update/delete, school default, personal choice) live in
``assistant.services.personas`` and are re-exported here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils import translation

BUILTIN_DEFAULT = "Straight talk"
DATA_FILE = Path(__file__).resolve().parent / "data" / "personas.json"
SIMPLE_MAX_WORDS = 14
_SPLIT_POINTS = re.compile(r"(?:;\s+|,\s+(?:and|but|which|so|y|pero|que)\s+|\s+—\s+|:\s+)")


@lru_cache(maxsize=1)
def style_data() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def effective_persona(user, school, conversation=None):
    """The persona that applies (see the module docstring); at most three small queries."""
    from assistant.models import Persona, PersonaChoice

    if conversation is not None and conversation.persona_id:
        persona = conversation.persona
        if persona.school_id in (None, conversation.school_id):
            return persona
    choice = PersonaChoice.objects.filter(user=user, school=school).select_related("persona").first()
    if choice is not None and choice.persona.school_id in (None, school.pk):
        return choice.persona
    default = Persona.objects.filter(school=school, is_school_default=True).first()
    if default is not None:
        return default
    return Persona.objects.filter(school=None, name=BUILTIN_DEFAULT).first() or Persona(name=BUILTIN_DEFAULT)


@dataclass
class PersonaStyle:
    name: str = BUILTIN_DEFAULT
    tone: str = "neutral"
    verbosity: str = "normal"
    language: str = "en"
    reading_level: str = "standard"
    emoji: bool = False
    first_name: str = ""

    @classmethod
    def from_persona(cls, persona, user) -> PersonaStyle:
        from accounts.services.preferences import language_for

        language = (persona.language if persona is not None else "") or language_for(user) or "en"
        return cls(
            name=persona.name if persona is not None else BUILTIN_DEFAULT,
            tone=getattr(persona, "tone", "neutral") or "neutral",
            verbosity=getattr(persona, "verbosity", "normal") or "normal",
            language=language,
            reading_level=getattr(persona, "reading_level", "standard") or "standard",
            emoji=bool(getattr(persona, "emoji", False)),
            first_name=(getattr(user, "first_name", "") or "").strip(),
        )

    def prompt(self) -> str:
        """Instructions for an LLM to speak like this persona."""
        tones = {
            "encouraging": "warm and encouraging: acknowledge effort, end on a positive note",
            "neutral": "neutral and factual: no praise, no filler",
            "formal": "formal and polite: full sentences, no contractions, no slang",
            "coach": "like a sports coach: short, direct bullet points and a call to action",
        }
        lengths = {
            "brief": "one or two sentences",
            "normal": "a short paragraph with the key facts",
            "detailed": "all relevant facts, then a line starting 'Why:' with your reasons",
        }
        levels = {
            "simple": "short sentences and plain words (say 'healthy range', not 'Healthy Fitness Zone')",
            "standard": "ordinary professional language",
            "advanced": "precise technical vocabulary is fine",
        }
        language = dict(_languages()).get(self.language, self.language)
        return (
            f"You are the teaching assistant persona '{self.name}'. Answer in {language}. "
            f"Tone: {tones.get(self.tone, tones['neutral'])}. "
            f"Length: {lengths.get(self.verbosity, lengths['normal'])}. "
            f"Reading level: {levels.get(self.reading_level, levels['standard'])}. "
            f"{'You may use a few emoji.' if self.emoji else 'Do not use emoji.'} "
            "Only state facts given by the tools; cite the records you used."
        )


def _languages():
    from django.conf import settings

    return [(code, str(name)) for code, name in settings.LANGUAGES]


def _swap(sentence: str, replacements: dict) -> str:
    """Whole-word, case-insensitive replacements keeping a leading capital."""
    for old, new in replacements.items():

        def keep_case(match, new=new):
            at_start = match.start() == 0 and match.group(0)[:1].isupper()
            return new[:1].upper() + new[1:] if at_start else new

        sentence = re.sub(rf"\b{re.escape(old)}\b", keep_case, sentence, flags=re.IGNORECASE)
    return sentence


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s.strip()]


def simplify(sentence: str, language: str) -> list[str]:
    """Plain words from the glossary, and a long sentence split at its natural breaks."""
    sentence = _swap(sentence, style_data()["glossary"].get(language, {}))
    if len(sentence.split()) <= SIMPLE_MAX_WORDS:
        return [sentence]
    parts = [p.strip() for p in _SPLIT_POINTS.split(sentence) if p and p.strip()]
    out = []
    for part in parts:
        part = part[0].upper() + part[1:]
        out.append(part if part[-1] in ".!?" else part + ".")
    return out


def _formal(sentence: str, language: str) -> str:
    return _swap(sentence, style_data()["formal_swaps"].get(language, {}))


# a brief reply keeps the finding and the first thing to do about it (e.g. heat guidance: the
# category, then the action); one sentence dropped the action
BRIEF_SENTENCES = 2


def compose(style: PersonaStyle, sentences, *, intent: str, ok: bool = True, reasons=()) -> str:
    """The reply text for ``sentences`` in ``style`` (see the module docstring)."""
    data = style_data()
    language = style.language if style.language in data["tones"] else "en"
    tone = data["tones"][language].get(style.tone, data["tones"][language]["neutral"])
    body: list[str] = []
    for sentence in sentences:
        for piece in _sentences(str(sentence)) or [str(sentence)]:
            body.extend(simplify(piece, language) if style.reading_level == "simple" else [piece])
    if style.tone == "formal":
        body = [_formal(s, language) for s in body]
    if style.verbosity == "brief":
        body = body[:BRIEF_SENTENCES]

    opener = tone["opener" if ok else "opener_fail"]
    opener = opener.replace("{name}", style.first_name) if style.first_name else re.sub(r",?\s*\{name\}", "", opener)
    if style.emoji and opener:
        opener = f"{data['emoji']['tone'].get(style.tone, '')} {opener}".strip()
    if style.emoji:
        mark = data["emoji"]["intent"].get(intent, "") if ok else data["emoji"]["fail"]
        if mark and body:
            body[0] = f"{mark} {body[0]}"

    lines = [opener] if opener else []
    if style.tone == "coach" and len(body) > 1:
        lines.extend(data["coach_bullet"] + s for s in body)
    else:
        lines.append(" ".join(body))
    if style.verbosity == "detailed" and reasons:
        with translation.override(language):
            lines.append(data["why"][language] + "; ".join(str(r) for r in reasons) + ".")
    if style.verbosity != "brief" and tone["closer"]:
        lines.append(tone["closer"])
    return "\n".join(line for line in lines if line)


def __getattr__(name):
    """``choose_persona`` and ``set_school_default`` live in the services module (writes)."""
    if name in ("choose_persona", "set_school_default", "create_persona", "update_persona", "delete_persona"):
        from assistant.services import personas as services

        return getattr(services, name)
    raise AttributeError(name)
