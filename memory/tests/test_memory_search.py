"""Memory search: the documented formula checked by hand, order, owner-only, both database paths.

Runs on SQLite and on PostgreSQL (DATABASE_URL=postgres://…): the text part differs by design
(word overlap vs ts_rank_cd), everything else is the same."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import Role
from memory.models import MemoryKind
from memory.selectors.search import combine, search_memories, weights
from memory.tests.factories import MemoryFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now().replace(microsecond=0)
ON_PG = connection.vendor == "postgresql"


def make(owner, school, content, *, days=0, used_days=None, **kwargs):
    return MemoryFactory(
        owner=owner,
        school=school,
        content=content,
        created_at=NOW - timedelta(days=days),
        last_accessed_at=None if used_days is None else NOW - timedelta(days=used_days),
        **kwargs,
    )


def test_weights_renormalise_without_text():
    assert weights(True) == (0.6, 0.25, 0.15)
    assert weights(False) == pytest.approx((0.0, 0.625, 0.375))
    assert combine(1.0, 1.0, 1.0, True, True) == pytest.approx(1.1)
    assert combine(0.0, 0.5, 0.8, False, False) == pytest.approx(0.6125)


def test_empty_query_scores_by_recency_and_importance(teacher, school):
    old_important = make(teacher, school, "Likes whistles", days=30, importance=0.8)
    fresh_minor = make(teacher, school, "Gym floor polished", days=0, importance=0.2)
    old_pinned = make(teacher, school, "Allergy plan in the office", days=60, importance=0.5, pinned=True)
    used_today = make(teacher, school, "Uses cones", days=90, used_days=0, importance=0.0)
    results = search_memories(teacher, "", now=NOW)
    assert [r.memory for r in results] == [fresh_minor, used_today, old_important, old_pinned]
    scores = {r.memory.pk: r for r in results}
    # 0.625·recency + 0.375·importance (+0.1 pinned)
    assert scores[fresh_minor.pk].score == pytest.approx(0.625 * 1.0 + 0.375 * 0.2)  # 0.7
    assert scores[used_today.pk].score == pytest.approx(0.625)
    assert scores[old_important.pk].recency == pytest.approx(0.5)
    assert scores[old_important.pk].score == pytest.approx(0.625 * 0.5 + 0.375 * 0.8)  # 0.6125
    assert scores[old_pinned.pk].score == pytest.approx(0.625 * 0.25 + 0.375 * 0.5 + 0.1)  # 0.44375
    assert scores[old_pinned.pk].text_rank == 0.0
    assert scores[old_pinned.pk].reasons == ["added 60 days ago", "importance 0.5", "pinned"]
    assert scores[used_today.pk].reasons == ["used today", "importance 0.0"]
    assert scores[old_important.pk].reasons == ["added 30 days ago", "importance 0.8"]


def test_query_filters_to_matches_and_ranks_more_matching_words_first(teacher, school):
    both = make(teacher, school, "Grade 5 Blue ran the PACER test on Friday", importance=0.5)
    one = make(teacher, school, "The PACER soundtrack is on the shared drive", importance=0.5)
    none = make(teacher, school, "Volleyball nets are in storage", importance=0.9)
    results = search_memories(teacher, "PACER results for Grade 5 Blue", now=NOW)
    assert [r.memory for r in results] == [both, one]
    assert none not in [r.memory for r in results]
    for result in results:
        assert 0 < result.text_rank <= 1
        assert result.recency == pytest.approx(1.0)
        assert result.score == pytest.approx(0.6 * result.text_rank + 0.25 * 1.0 + 0.15 * 0.5)


@pytest.mark.skipif(ON_PG, reason="the word-overlap text part is the SQLite path")
def test_sqlite_text_part_is_the_fraction_of_query_words(teacher, school):
    memory = make(teacher, school, "Grade 5 Blue did the PACER on Friday", days=30, importance=0.4)
    # query words: pacer, result, grade, 5 ("for", "the" are function words) → 3 of 4 match
    (result,) = search_memories(teacher, "the PACER results for Grade 5", now=NOW)
    assert result.memory == memory
    assert result.text_rank == pytest.approx(0.75)
    assert result.score == pytest.approx(0.6 * 0.75 + 0.25 * 0.5 + 0.15 * 0.4)  # 0.635
    assert result.reasons == ["matches 3 of 4 words", "added 30 days ago", "importance 0.4"]


@pytest.mark.skipif(ON_PG, reason="accent folding and stemming of the SQLite path")
def test_sqlite_matching_ignores_case_accents_and_plurals(teacher, school):
    memory = make(teacher, school, "Zoë prefers RUNNING drills")
    (result,) = search_memories(teacher, "zoe run drill", now=NOW)
    assert result.memory == memory
    assert result.text_rank == 1.0


@pytest.mark.skipif(not ON_PG, reason="PostgreSQL ranking")
def test_postgres_text_part_is_normalised_cover_density(teacher, school):
    memory = make(teacher, school, "Grade 5 Blue did the PACER on Friday", days=30, importance=0.4)
    (result,) = search_memories(teacher, "PACER", now=NOW)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ts_rank_cd(search_vector, plainto_tsquery('english', 'pacer')) FROM memory_memory WHERE id = %s",
            [memory.pk],
        )
        rank = cursor.fetchone()[0]
    assert result.text_rank == pytest.approx(rank / (rank + 1))
    assert result.score == pytest.approx(0.6 * rank / (rank + 1) + 0.25 * 0.5 + 0.15 * 0.4)
    assert result.reasons == ["matches 1 of 1 word", "added 30 days ago", "importance 0.4"]


def test_a_stemmed_word_matches(teacher, school):
    memory = make(teacher, school, "The class loves running games")
    assert [r.memory for r in search_memories(teacher, "runs", now=NOW)] == [memory]


def test_function_words_only_is_an_empty_query(teacher, school):
    memory = make(teacher, school, "Cones are in the shed")
    (result,) = search_memories(teacher, "what is the", now=NOW)
    assert result.memory == memory
    assert result.text_rank == 0.0


def test_other_peoples_memories_never_appear(teacher, school_admin, school, other_school, member):
    mine = make(teacher, school, "PACER on Friday")
    make(school_admin, school, "PACER on Friday")
    other = member(other_school, Role.TEACHER)
    make(other, other_school, "PACER on Friday")
    assert [r.memory for r in search_memories(teacher, "pacer", now=NOW)] == [mine]
    assert [r.memory for r in search_memories(teacher, "", now=NOW)] == [mine]
    assert search_memories(teacher, "pacer", school=other_school, now=NOW) == []


def test_expired_kinds_school_and_limit(teacher, school):
    fact = make(teacher, school, "PACER fact", importance=0.9)
    episode = make(teacher, school, "PACER episode", kind=MemoryKind.EPISODE, importance=0.1)
    make(teacher, school, "PACER expired", expires_at=NOW - timedelta(minutes=1))
    later = make(teacher, school, "PACER expiring later", expires_at=NOW + timedelta(days=1), importance=0.0)
    assert [r.memory for r in search_memories(teacher, "pacer", now=NOW)] == [fact, episode, later]
    assert [r.memory for r in search_memories(teacher, "pacer", kinds=["episode"], now=NOW)] == [episode]
    assert [r.memory for r in search_memories(teacher, "pacer", limit=1, now=NOW)] == [fact]
    assert search_memories(teacher, "pacer", limit=0, now=NOW) == []
    assert [r.memory for r in search_memories(teacher, "pacer", school=school, now=NOW)] == [fact, episode, later]


def test_last_use_counts_for_recency(teacher, school):
    memory = make(teacher, school, "Whistle in the drawer", days=120, used_days=15, importance=0.0)
    (result,) = search_memories(teacher, now=NOW)
    assert result.memory == memory
    assert result.recency == pytest.approx(0.5**0.5)
    assert result.reasons[0] == "used 15 days ago"


def test_a_person_without_a_school_finds_nothing(school, member):
    from accounts.models import Membership
    from accounts.selectors import forget_school_access

    user = member(school, Role.TEACHER)
    make(user, school, "PACER on Friday")
    Membership.objects.filter(user=user).delete()
    from django.core.cache import cache

    cache.clear()
    forget_school_access(user)
    assert search_memories(user, "pacer", now=NOW) == []
    assert search_memories(user, "", now=NOW) == []
