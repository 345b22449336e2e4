"""Per-entry cache values that a global version number invalidates all at once, read in ONE cache
round trip.

The usual pattern — read the version key, then read ``<prefix>:<version>:<id>`` — costs two round
trips on every request. Here the entry is stored under a fixed key together with the version it was
computed at, and both keys are fetched with one ``get_many``: an entry written under an older version
is a miss. Bumping the version invalidates every entry; deleting one key invalidates one.
"""

from django.core.cache import cache


def current_version_and_entry(version_key: str, key: str) -> tuple[int, object | None]:
    """(the current version, the cached value if it was stored under that version, else None)."""
    found = cache.get_many([version_key, key])
    version = found.get(version_key)
    if version is None:
        cache.add(version_key, 1, timeout=None)
        version = cache.get(version_key, 1)
    stored = found.get(key)
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == version:
        return version, stored[1]
    return version, None


def store_entry(key: str, version: int, value, timeout: int | None) -> None:
    cache.set(key, (version, value), timeout=timeout)


def bump_version(version_key: str) -> None:
    """Invalidates every entry stored under ``version_key``'s current version."""
    try:
        cache.incr(version_key)
    except ValueError:  # no version yet (or evicted): any value other than the default 1 will do
        cache.set(version_key, 2, timeout=None)
