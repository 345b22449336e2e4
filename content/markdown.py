"""Markdown bodies: checked on the way in, rendered through a sanitizer on the way out.

``unsafe_markup`` finds what we refuse to store (a 400 names it): script, style, iframe, object,
embed and form tags, inline event handlers (``onclick=``) and ``javascript:``/``vbscript:``/
``data:text/html`` links. ``render`` turns Markdown into HTML with markdown-it-py (CommonMark, raw
HTML off, so any tag that got through is shown as text) and then nh3 (ammonia) keeps only the
formatting tags and http(s)/mailto links — no script survives either step on its own.
"""

import re

import nh3
from markdown_it import MarkdownIt

_UNSAFE = [
    (re.compile(r"<\s*/?\s*(script|style|iframe|object|embed|form|frame|frameset|meta|link|base)\b", re.I), "tag"),
    (re.compile(r"\bon[a-z]+\s*=", re.I), "handler"),
    (re.compile(r"(javascript|vbscript)\s*:", re.I), "url"),
    (re.compile(r"data\s*:\s*text/html", re.I), "url"),
]

ALLOWED_TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
    "del",
    "s",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
_parser.enable("strikethrough")


def unsafe_markup(text: str) -> list[str]:
    """The unsafe fragments in ``text`` (as written), first occurrence of each kind; [] if none."""
    found = []
    for pattern, _kind in _UNSAFE:
        match = pattern.search(text or "")
        if match:
            found.append(match.group(0).strip())
    return found


def render(text: str) -> str:
    """Sanitized HTML for a Markdown body (safe to mark_safe in a template)."""
    html = _parser.render(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def plain_text(text: str) -> str:
    """The body's words without markup (search fallback, previews)."""
    return nh3.clean(_parser.render(text or ""), tags=set()).strip()
