"""The recommendation engine on generated data (pure Python: no database)."""

import random

import pytest

from physed.engines.data import recommendation_config
from physed.engines.learning import decayed, update_preference
from physed.engines.reasons import render_reason
from physed.engines.recommendation import (
    ActivityInfo,
    Context,
    EnvironmentAlert,
    Excluded,
    Gap,
    adjacent_bands,
    performance_gaps,
    rank,
    score_activity,
)

# (name, category, components, space, intensity, contact, equipment)
SPECS = [
    ("PACER relay", "fitness", ("aerobic",), "gym", "vigorous", "none", ()),
    ("Fartlek trail run", "fitness", ("aerobic", "speed"), "field", "vigorous", "none", ()),
    ("Jump rope intervals", "fitness", ("aerobic", "coordination"), "gym", "vigorous", "none", ("jump-ropes",)),
    ("Ultimate frisbee", "invasion", ("aerobic", "agility"), "field", "vigorous", "limited", ("discs",)),
    ("Aerobic dance", "dance", ("aerobic", "coordination"), "gym", "moderate", "none", ()),
    ("Push-up ladder", "fitness", ("muscular_strength", "muscular_endurance"), "gym", "moderate", "none", ()),
    ("Plank challenge", "fitness", ("muscular_endurance",), "gym", "moderate", "none", ("mats",)),
    ("Resistance band circuit", "fitness", ("muscular_strength",), "gym", "moderate", "none", ("bands",)),
    ("Yoga flow", "fitness", ("flexibility", "balance"), "gym", "light", "none", ("mats",)),
    ("Stretch and reach", "fitness", ("flexibility",), "gym", "light", "none", ()),
    ("Balance beam walk", "gymnastics", ("balance",), "gym", "light", "none", ("beams",)),
    ("Tumbling basics", "gymnastics", ("power", "coordination"), "gym", "moderate", "none", ("mats",)),
    ("Badminton rally", "net_wall", ("coordination", "reaction_time"), "gym", "moderate", "none", ("rackets",)),
    ("Volleyball bump", "net_wall", ("coordination",), "gym", "moderate", "none", ("volleyballs",)),
    ("Kickball", "striking_fielding", ("speed", "coordination"), "field", "moderate", "limited", ("balls",)),
    ("Bowling targets", "target", ("coordination",), "gym", "light", "none", ("pins",)),
    ("Flag football", "invasion", ("agility", "speed"), "field", "vigorous", "contact", ("flags",)),
    ("Team building puzzle", "cooperative", ("coordination",), "gym", "light", "none", ()),
    ("Orienteering", "outdoor", ("aerobic",), "field", "moderate", "none", ("maps",)),
    ("Sprint starts", "fitness", ("speed", "power"), "field", "vigorous", "none", ()),
]


def library():
    return [
        ActivityInfo(
            id=index,
            slug=name.lower().replace(" ", "-"),
            name=name,
            category=category,
            fitness_components=components,
            space=space,
            intensity=intensity,
            contact_level=contact,
            equipment=frozenset(equipment),
            grade_bands=("6_8",),
            duration_minutes=15,
            min_group_size=2,
            max_group_size=30,
            modifications=({"kind": "rules", "easier": "Tag with a flag, no body contact."},)
            if contact != "none"
            else (),
        )
        for index, (name, category, components, space, intensity, contact, equipment) in enumerate(SPECS, start=1)
    ]


def ctx(**kw):
    defaults = {"class_size": 24, "grade_bands": frozenset({"6_8"}), "space": "gym"}
    return Context(**{**defaults, **kw})


def aerobic_gap():
    return {"aerobic": Gap("aerobic", 0.8, 0.9, 20), "flexibility": Gap("flexibility", 0.0, 0.45, 20)}


def test_a_class_weak_in_aerobic_capacity_gets_aerobic_activities_in_its_top_five():
    ranked, _ = rank(library(), ctx(gaps=aerobic_gap()), limit=5)
    top = [r.activity for r in ranked]
    assert len(top) == 5
    aerobic = [a.name for a in top if "aerobic" in a.fitness_components]
    assert len(aerobic) >= 3
    assert "aerobic" in top[0].fitness_components
    reason = render_reason(ranked[0].components[0].reasons[0])
    assert reason == "Aerobic capacity: 90% of the students with results are below the school median for their grade"


def test_without_a_gap_the_aerobic_activities_do_not_dominate():
    ranked, _ = rank(library(), ctx(), limit=5)
    assert sum("aerobic" in r.activity.fitness_components for r in ranked) < 3


def test_score_is_the_sum_of_weighted_components():
    weights = recommendation_config()["weights"]
    result = score_activity(library()[0], ctx(gaps=aerobic_gap()))
    assert result.score == pytest.approx(sum(weights[c.name] * c.value for c in result.components))
    names = [c.name for c in result.components]
    assert names == ["need", "variety", "feasibility", "grade_fit", "environment", "risk", "preference"]


def test_dismissed_activities_drop_in_rank():
    cfg = recommendation_config()["preference"]
    activities = library()
    context = ctx(gaps=aerobic_gap())
    ranked, _ = rank(activities, context)
    first = ranked[0].activity
    preferences = {}
    positions = [0]
    for _ in range(3):
        key = f"activity:{first.id}"
        preferences[key] = update_preference(preferences.get(key, 0.0), days_since=0, picked=False, share=1, config=cfg)
        ranked, _ = rank(activities, ctx(gaps=aerobic_gap(), preferences=preferences))
        positions.append(next(i for i, r in enumerate(ranked) if r.activity.id == first.id))
    assert positions == sorted(positions) and positions[-1] > positions[0]
    assert positions[-1] >= 5  # out of the top five after three dismissals
    assert "Dismissed before at your school" in render_reason(
        next(r for r in ranked if r.activity.id == first.id).reasons[-1]
    )


def test_picks_raise_the_activity_and_its_category():
    activities = library()
    picked = next(a for a in activities if a.name == "Bowling targets")
    before, _ = rank(activities, ctx())
    prefs = {f"activity:{picked.id}": 0.7, f"category:{picked.category}": 0.7}
    after, _ = rank(activities, ctx(preferences=prefs))
    pos = lambda items: next(i for i, r in enumerate(items) if r.activity.id == picked.id)  # noqa: E731
    assert pos(after) < pos(before)


def test_preferences_decay_and_stay_bounded():
    cfg = recommendation_config()["preference"]
    assert decayed(1.0, cfg["half_life_days"], cfg["half_life_days"]) == pytest.approx(0.5)
    value = 0.0
    for _ in range(50):
        value = update_preference(value, days_since=0, picked=True, share=1, config=cfg)
    assert value == cfg["bound"]
    assert update_preference(value, days_since=600, picked=False, share=1, config=cfg) < 0


def test_recently_done_activities_and_categories_are_penalised():
    activities = library()
    done = next(a for a in activities if a.name == "PACER relay")
    fresh, _ = rank(activities, ctx(gaps=aerobic_gap()))
    recent, _ = rank(
        activities, ctx(gaps=aerobic_gap(), recent_activities={done.id: 1}, recent_categories={"fitness": 1})
    )
    pos = lambda items, a: next(i for i, r in enumerate(items) if r.activity.id == a.id)  # noqa: E731
    assert pos(recent, done) > pos(fresh, done)
    variety = next(c for c in next(r for r in recent if r.activity.id == done.id).components if c.name == "variety")
    assert variety.value == -1.0
    assert [render_reason(r) for r in variety.reasons] == [
        "Done in the last session",
        "Fitness was done 1 session(s) ago",
    ]
    older = score_activity(done, ctx(recent_activities={done.id: 4}))
    assert next(c for c in older.components if c.name == "variety").value == pytest.approx(-(1 - 3 / 5))


def test_missing_equipment_excludes_the_activity_with_a_reason():
    activities = library()
    ranked, excluded = rank(activities, ctx(gaps=aerobic_gap(), equipment=frozenset({"mats"})))
    names = {r.activity.name for r in ranked}
    assert "Jump rope intervals" not in names and "Yoga flow" in names and "PACER relay" in names
    jump = next(e for e in excluded if e.activity.name == "Jump rope intervals")
    assert render_reason(jump.reasons[0]) == "Needs equipment that is not available: jump-ropes"
    # no equipment list given = no check
    _ranked, none_excluded = rank(activities, ctx())
    assert none_excluded == []


def test_feasibility_space_group_size_and_duration():
    field_game = next(a for a in library() if a.name == "Kickball")
    result = score_activity(field_game, ctx(space="gym", class_size=1, duration=10))
    feasibility = next(c for c in result.components if c.name == "feasibility")
    assert feasibility.value == -1.0
    assert len(feasibility.reasons) == 3
    pool = ActivityInfo(id=99, name="Water polo", category="aquatics", space="pool")
    assert isinstance(score_activity(pool, ctx(space="gym")), Excluded)


def test_grade_fit_and_adjacent_bands():
    assert adjacent_bands({"6_8"}) == frozenset({"3_5", "9_12"})
    activity = ActivityInfo(id=1, name="A", grade_bands=("9_12",))
    assert next(c for c in score_activity(activity, ctx()).components if c.name == "grade_fit").value == 0.0
    far = ActivityInfo(id=1, name="B", grade_bands=("prek_2",))
    assert next(c for c in score_activity(far, ctx()).components if c.name == "grade_fit").value == -1.0


def test_environment_alert_penalises_outdoor_and_vigorous_activities():
    danger = EnvironmentAlert(kind="heat", level=3)
    ranked, excluded = rank(library(), ctx(gaps=aerobic_gap(), alerts=[danger]))
    assert all(r.activity.space != "field" for r in ranked)
    assert {e.activity.space for e in excluded} == {"field"}
    assert render_reason(excluded[0].reasons[0]) == "heat alert at level 3: no outdoor activities"
    warning = EnvironmentAlert(kind="heat", level=2)
    trail = next(a for a in library() if a.name == "Fartlek trail run")
    environment = next(c for c in score_activity(trail, ctx(alerts=[warning])).components if c.name == "environment")
    assert environment.value == pytest.approx(-2 / 3 - 0.5 * 2 / 3)
    calm = score_activity(trail, ctx())
    assert score_activity(trail, ctx(alerts=[warning])).score < calm.score


def test_class_restrictions_raise_the_risk_of_conflicting_activities():
    football = next(a for a in library() if a.name == "Flag football")
    calm = score_activity(football, ctx())
    risky = score_activity(football, ctx(restriction_counts={"no_contact": 6}))
    risk = next(c for c in risky.components if c.name == "risk")
    assert risky.score < calm.score
    assert risk.value == pytest.approx(-0.25)
    assert render_reason(risk.reasons[0]) == "6 student(s) have a “No contact” restriction it conflicts with"


def test_a_no_contact_student_never_gets_a_contact_activity_without_a_modification():
    activities = [*library(), ActivityInfo(id=50, name="Sumo", category="cooperative", contact_level="contact")]
    ranked, excluded = rank(activities, ctx(student_restrictions=["no_contact"], skill_level=3))
    for item in ranked:
        if item.activity.contact_level != "none":
            assert item.modifications_needed, item.activity.name
            assert item.modifications_needed[0]["text"] == "Tag with a flag, no body contact."
    assert "Sumo" in {e.activity.name for e in excluded}


def test_skill_fit_only_for_a_student():
    hard = ActivityInfo(id=1, name="Advanced", difficulty=5)
    assert "skill_fit" not in {c.name for c in score_activity(hard, ctx()).components}
    fit = next(c for c in score_activity(hard, ctx(skill_level=1)).components if c.name == "skill_fit")
    assert fit.value == -1.0


def _class_results(rng, *, weak: bool):
    """Latest PACER laps (higher better) and mile time (lower better) for 20 students."""
    latest = {}
    for i in range(20):
        laps = rng.gauss(25 if weak else 45, 5)
        mile = rng.gauss(690 if weak else 560, 30)
        latest[i] = {"pacer_laps": laps, "mile_time": mile, "push_ups": rng.gauss(20, 5)}
    return latest


def test_performance_gaps_respect_lower_is_better_metrics():
    rng = random.Random(3)
    school = {**_class_results(rng, weak=False)}
    weak = {100 + k: v for k, v in _class_results(rng, weak=True).items()}
    everyone = {**school, **weak}
    grades = dict.fromkeys(everyone, 7)
    from physed.engines.stats import median

    medians = {
        (7, code): median([v[code] for v in everyone.values()]) for code in ("pacer_laps", "mile_time", "push_ups")
    }
    metrics = {
        "pacer_laps": ("aerobic", True),
        "mile_time": ("aerobic", False),
        "push_ups": ("muscular_endurance", True),
    }
    gaps = performance_gaps(weak, grades, medians, metrics, min_students=3, baseline=0.5)
    assert gaps["aerobic"].share_below >= 0.9 and gaps["aerobic"].value >= 0.8
    assert gaps["muscular_endurance"].value < 0.5
    strong = performance_gaps(school, grades, medians, metrics, min_students=3, baseline=0.5)
    assert strong["aerobic"].value == 0.0
    assert performance_gaps({1: {"pacer_laps": 1}}, {1: 7}, medians, metrics, min_students=3, baseline=0.5) == {}
