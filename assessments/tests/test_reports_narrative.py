"""The report snapshot (numbers, bounded queries) and the bilingual narrative (exact text)."""

import datetime

import pytest

from assessments.engines.narrative import generate, generate_all
from assessments.selectors.report_data import report_data
from assessments.tests.factories_reports import PERIOD_END, PERIOD_START, build_report_world

pytestmark = pytest.mark.django_db

EN = "\n\n".join(
    [
        ("Maya attended 18 of 20 classes (90%) from 1 October 2026 to 18 December 2026 (absent: 2, late: 1)."),
        (
            "In PACER (20 m), Maya reached 31 laps (estimated VO2max 42.1 ml/kg/min), up 6 laps from "
            "September (improved), which is in the Healthy Fitness Zone for her age. In Curl-up, Maya "
            "reached 12 repetitions, down 2 repetitions from September (declined), which is in the Needs "
            "Improvement zone."
        ),
        ("In Overhand throw, Maya's latest score was 83.3 out of 100 (Step: Proficient; Follow-through: Developing)."),
        ("Strengths: Healthy Fitness Zone in PACER (20 m); best skill: Overhand throw (83.3 out of 100)."),
        ("Goals in progress: “Run 35 PACER laps” (target 35 laps, latest 31 laps; 2 of 3 milestones reached)."),
        ("Achievements: Attendance streak."),
        (
            "Next steps: reach at least 18 repetitions in Curl-up for the Healthy Fitness Zone (now 12 "
            "repetitions); keep working towards “Run 35 PACER laps” (target 35 laps, latest 31 laps)."
        ),
    ]
)

ES = "\n\n".join(
    [
        (
            "Maya asistió a 18 de 20 clases (90 %) del 1 de octubre de 2026 al 18 de diciembre de 2026 "
            "(ausencias: 2, retrasos: 1)."
        ),
        (
            "En PACER (20 m), Maya alcanzó 31 vueltas (VO2máx estimado 42,1 ml/kg/min), 6 vueltas más que en "
            "septiembre (mejoró), lo que está en la Zona de Condición Física Saludable para su edad. En "
            "abdominales (curl-up), Maya alcanzó 12 repeticiones, 2 repeticiones menos que en septiembre "
            "(empeoró), lo que está en la zona Necesita mejorar."
        ),
        (
            "En Overhand throw, la puntuación más reciente de Maya fue 83,3 de 100 (Step: Proficient; "
            "Follow-through: Developing)."
        ),
        (
            "Fortalezas: Zona de Condición Física Saludable en PACER (20 m); mejor habilidad: Overhand throw "
            "(83,3 de 100)."
        ),
        (
            "Metas en curso: «Run 35 PACER laps» (objetivo 35 vueltas, último valor 31 vueltas; 2 de 3 "
            "hitos alcanzados)."
        ),
        ("Logros: Attendance streak."),
        (
            "Próximos pasos: llegar al menos a 18 repeticiones en abdominales (curl-up) para estar en la "
            "Zona de Condición Física Saludable (ahora 12 repeticiones); seguir trabajando en «Run 35 PACER "
            "laps» (objetivo 35 vueltas, último valor 31 vueltas)."
        ),
    ]
)


@pytest.fixture
def world(school, teacher):
    return build_report_world(school, teacher=teacher)


def _data(world):
    return report_data(world.student, pe_class=world.pe_class, period_start=PERIOD_START, period_end=PERIOD_END)


def test_snapshot_numbers(world):
    data = _data(world)
    assert data["attendance"] == {
        "total": 20,
        "counts": {
            "present": 17,
            "absent": 2,
            "late": 1,
            "excused": 0,
            "not_dressed": 0,
            "sitting_out": 0,
            "medical": 0,
        },
        "present": 17,
        "absent": 2,
        "late": 1,
        "attended": 18,
        "participated": 18,
        "attendance_rate": 0.9,
        "participation_rate": 0.9,
    }
    pacer, curl = data["fitness"]["tests"]
    assert (pacer["code"], pacer["latest"]["value"], pacer["latest"]["zone"], pacer["latest"]["vo2max"]) == (
        "pacer_20m",
        31,
        "HFZ",
        42.1,
    )
    assert pacer["previous"]["value"] == 25 and pacer["change_vs_previous"] == 6
    assert pacer["trend"] == pacer["trend_vs_previous"] == "improved"
    assert pacer["change_in_period"] is None  # one result in the period
    assert pacer["hfz_threshold"] is None
    assert (curl["change"], curl["trend"], curl["latest"]["zone"]) == (-2, "declined", "NI")
    assert curl["hfz_threshold"] == {"value": 18, "bound": "at_least", "unit": "count", "measure": "curl_up"}
    assert data["skills"] == [
        {
            "rubric_id": data["skills"][0]["rubric_id"],
            "title": "Overhand throw",
            "date": "2026-11-12",
            "score": 83.3,
            "assessments": 2,  # the self-assessment is not counted
            "criteria": [
                {"criterion": "Step", "level": "Proficient"},
                {"criterion": "Follow-through", "level": "Developing"},
            ],
        }
    ]
    (goal,) = data["goals"]
    assert (goal["baseline"], goal["target"], goal["latest"], goal["met"]) == (25, 35, 31, False)
    assert (goal["milestones_reached"], goal["milestones_total"]) == (2, 3)
    assert [award["name"] for award in data["achievements"]] == ["Attendance streak"]
    assert [comment["body"] for comment in data["comments"]] == ["Great effort in the PACER."]  # staff-only left out


def test_in_period_trend_when_no_previous_result(world):
    data = report_data(
        world.student, pe_class=world.pe_class, period_start=datetime.date(2026, 9, 1), period_end=PERIOD_END
    )
    pacer = data["fitness"]["tests"][0]
    assert pacer["previous"] is None
    assert (pacer["change_in_period"], pacer["trend_in_period"], pacer["change"]) == (6, "improved", 6)
    assert "up 6 laps from 15 September" not in generate(data, "en")
    assert "up 6 laps from September (improved)" in generate(data, "en")


def test_lower_is_better_direction(world):
    from assessments.selectors.report_data import trend_of

    assert trend_of(10.5, 9.75, higher_is_better=False) == "improved"
    assert trend_of(9.75, 10.5, higher_is_better=False) == "declined"
    assert trend_of(9, 9, higher_is_better=False) == "steady"


def test_snapshot_query_count_is_bounded(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        _data(world)


def test_query_count_does_not_grow_with_data(school, teacher, django_assert_max_num_queries):
    small = build_report_world(school, teacher=teacher)
    from assessments.tests.factories_reports import add_more_results

    add_more_results(small, count=15)
    with django_assert_max_num_queries(14):
        _data(small)


def test_narrative_in_english_and_spanish(world):
    texts = generate_all(_data(world))
    assert texts["en"] == EN
    assert texts["es"] == ES


def test_no_data_says_so_plainly(school):
    world = build_report_world(school, with_data=False)
    world.goal.delete()
    data = _data(world)
    assert generate(data, "en") == (
        "There is no recorded data for Maya from 1 October 2026 to 18 December 2026: no attendance, fitness "
        "results, skill assessments, goals or achievements."
    )
    assert generate(data, "es") == (
        "No hay datos registrados de Maya del 1 de octubre de 2026 al 18 de diciembre de 2026: ni asistencia, "
        "ni resultados de condición física, ni evaluaciones de habilidades, ni objetivos, ni logros."
    )


def test_sections_without_data_are_stated(school):
    world = build_report_world(school, with_data=False)  # only the goal, no numbers
    text = generate(_data(world), "en")
    assert text == (
        "No attendance was recorded for Maya from 1 October 2026 to 18 December 2026.\n\n"
        "No fitness test results were recorded for Maya in this period.\n\n"
        "No skill assessments were recorded for Maya in this period.\n\n"
        "Goals in progress: “Run 35 PACER laps” (target 35 laps, latest none yet).\n\n"
        "No achievements were awarded to Maya in this period.\n\n"
        "Next steps: keep working towards “Run 35 PACER laps” (target 35 laps, latest none yet)."
    )


def test_body_composition_only_when_recorded_and_never_in_the_narrative(world):
    from assessments.models import FitnessResult, FitnessTest, SchoolFitnessSettings, TestEvent

    bmi, _ = FitnessTest.objects.get_or_create(
        school=None,
        code="bmi",
        defaults={
            "name": "Body mass index",
            "unit": "kg/m²",
            "component": "body_composition",
            "plausible_min": 5,
            "plausible_max": 80,
            "is_body_composition": True,
            "higher_is_better": False,
        },
    )
    event = TestEvent.objects.get(name="Mid-term")
    FitnessResult.objects.create(event=event, student=world.student, test=bmi, value=18.2, zone="HFZ", age_at_test=12)
    assert [test["code"] for test in _data(world)["fitness"]["tests"]] == ["pacer_20m", "curl_up"]
    SchoolFitnessSettings.objects.create(school=world.student.school, record_body_composition=True)
    data = _data(world)
    assert [test["code"] for test in data["fitness"]["tests"]] == ["pacer_20m", "curl_up", "bmi"]
    assert data["fitness"]["tests"][2]["body_composition"] is True
    assert generate(data, "en") == EN  # unchanged: body composition stays out of the text
