"""Word handling shared by memory search (SQLite path, reasons) and clean-up (near-duplicates).

Words are runs of word characters, lower-cased, with accents removed ("Élan" → "elan"), small
English function words dropped (they say nothing about a memory: PostgreSQL's ``english``
configuration drops them too) and a light suffix stem ("runs", "running" → "run"), so the
SQLite path matches roughly what PostgreSQL's stemmer matches.
"""

import re
import unicodedata

WORD_RE = re.compile(r"\w+")
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "me",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "you",
        "your",
    ]
)
SUFFIXES = ("ing", "es", "ed", "s")


def fold(text: str) -> str:
    """Lower-case without accents."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def stem(word: str) -> str:
    """ "runs", "running", "runned" → "run" (a doubled final consonant left by -ing/-ed is undone)."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if suffix in ("ing", "ed") and len(base) >= 4 and base[-1] == base[-2] and base[-1] not in "aeioulsz":
                base = base[:-1]
            return base
    return word


def words(text: str) -> list[str]:
    """Stemmed content words of ``text`` in order, duplicates kept."""
    return [stem(word) for word in WORD_RE.findall(fold(text)) if word not in STOPWORDS]


def word_set(text: str) -> frozenset[str]:
    return frozenset(words(text))


def query_words(query: str, limit: int = 16) -> list[str]:
    """The distinct content words of a query, first ``limit`` of them, in order."""
    seen: list[str] = []
    for word in words(query):
        if word not in seen:
            seen.append(word)
    return seen[:limit]


def raw_query_terms(query: str, limit: int = 16) -> list[str]:
    """The query's distinct words as typed (lower-case, accents kept, stopwords dropped) for
    PostgreSQL, whose own configuration stems them."""
    seen: list[str] = []
    for word in WORD_RE.findall((query or "").lower()):
        if fold(word) not in STOPWORDS and word not in seen:
            seen.append(word)
    return seen[:limit]


def jaccard(a: frozenset, b: frozenset) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)
