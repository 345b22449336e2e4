"""What every authenticated API request costs on top of its own work (bench: authorization
overhead): the JWT is verified once, and the cache is asked a fixed, small number of times."""

from unittest import mock

import pytest
from django.core.cache import cache
from rest_framework_simplejwt.tokens import AccessToken

from config import versioned_cache

pytestmark = pytest.mark.django_db

CACHE_CALLS = ("get", "get_many", "set", "set_many", "add", "incr", "decr", "delete", "delete_many", "get_or_set")


def test_versioned_entry_is_one_read_and_a_version_bump_invalidates_it():
    version, value = versioned_cache.current_version_and_entry("v:test", "entry:1")
    assert (version, value) == (1, None)
    versioned_cache.store_entry("entry:1", version, {"a": 1}, timeout=60)
    assert versioned_cache.current_version_and_entry("v:test", "entry:1") == (1, {"a": 1})
    versioned_cache.bump_version("v:test")
    assert versioned_cache.current_version_and_entry("v:test", "entry:1") == (2, None)
    versioned_cache.store_entry("entry:1", 2, {"a": 2}, timeout=60)
    cache.delete("v:test")  # a lost version key starts again at 1: older entries stay misses
    assert versioned_cache.current_version_and_entry("v:test", "entry:1") == (1, None)


def test_the_bearer_token_is_verified_once_per_request(client_for, teacher):
    client = client_for(teacher)
    with mock.patch.object(AccessToken, "verify", autospec=True, side_effect=AccessToken.verify) as verify:
        response = client.get("/api/v1/memberships/")
    assert response.status_code == 200
    assert verify.call_count == 1


def test_a_warm_api_request_asks_the_cache_five_times(client_for, teacher, settings):
    settings.PERMISSION_STATS_BUFFER_SECONDS = 3600  # decision counts wait in the process
    client = client_for(teacher)
    assert client.get("/api/v1/memberships/").status_code == 200  # fills the caches
    calls, depth = [], [0]
    originals = {name: getattr(cache, name) for name in CACHE_CALLS}

    def counting(name):
        def call(*args, **kwargs):
            if not depth[0]:  # a backend's get_many may call its own get: count the outer call only
                calls.append((name, str(args[0])[:40] if args else ""))
            depth[0] += 1
            try:
                return originals[name](*args, **kwargs)
            finally:
                depth[0] -= 1

        return call

    with mock.patch.multiple(cache, **{name: counting(name) for name in CACHE_CALLS}):
        assert client.get("/api/v1/memberships/").status_code == 200
    # preferences (1), effective permissions (1), the rate-limit counter (1), the activity
    # buffer's sequence number and event (2)
    assert [name for name, _key in calls] == ["get_many", "get_many", "incr", "incr", "set"], calls
