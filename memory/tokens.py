"""A deterministic token count for context budgets.

Real tokenisers differ per model; the assistant needs a count that is the same everywhere (tests,
the built-in provider, an OpenAI-compatible model) and never *under*-estimates badly. One token is
one run of word characters or one punctuation character (``\\w+|[^\\w\\s]``): "Grade 5 Blue's
PACER" is 6 tokens. Whitespace is free, so joining parts with spaces or newlines does not change
the count — which is what lets the context builder respect its budget exactly.
"""

import re

TOKEN_RE = re.compile(r"\w+|[^\w\s]")


def count_tokens(text: str) -> int:
    """Number of tokens in ``text`` (see the module docstring)."""
    if not text:
        return 0
    return sum(1 for _ in TOKEN_RE.finditer(text))


def truncate_to_tokens(text: str, limit: int) -> str:
    """The longest prefix of ``text`` with at most ``limit`` tokens (cut after a whole token,
    trailing whitespace dropped)."""
    if limit <= 0 or not text:
        return ""
    end = None
    for index, match in enumerate(TOKEN_RE.finditer(text)):
        if index == limit:
            break
        end = match.end()
    else:
        return text.rstrip()
    return text[:end].rstrip() if end is not None else ""
