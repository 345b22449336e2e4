# ruff: noqa: F811
"""Intent recognition: intent + arguments for English and Spanish phrasings (misspellings too),
the acceptance questions, default class from memory, clarifying, unknown."""

import pytest

from assistant.intents import MIN_SCORE, recognize
from assistant.intents.arguments import find_temperature
from assistant.tests.test_builtin_world import world  # noqa: F401

PHRASINGS = [
    # (text, intent, expected arguments (subset))
    ("How did Grade 5 Blue do on the PACER?", "fitness_results", {"class_name": "Grade 5 Blue"}),
    ("how did grade 5 blu do on the pacr", "fitness_results", {"class_name": "Grade 5 Blue"}),
    ("¿Cómo le fue a Grade 5 Blue en el PACER?", "fitness_results", {"class_name": "Grade 5 Blue"}),
    ("resultados de condición física de grade 6 red", "fitness_results", {"class_name": "Grade 6 Red"}),
    ("What should I do with my class if it's 95°F?", "heat_guidance", {"temperature": 95.0, "unit": "F"}),
    ("It is 35 degrees celsius, can we go out?", "heat_guidance", {"temperature": 35.0, "unit": "C"}),
    ("hace 35 ºC, ¿qué hago?", "heat_guidance", {"temperature": 35.0, "unit": "C"}),
    ("95 F and 60% humidity", "heat_guidance", {"temperature": 95.0, "unit": "F", "humidity": 60.0}),
    ("How is Maya Lopez doing?", "student_progress", {"student_name": "Maya Lopez"}),
    ("progreso de Sam Okafor", "student_progress", {"student_name": "Sam Okafor"}),
    ("how is maya lopes progresing", "student_progress", {"student_name": "Maya Lopez"}),
    ("attendance for grade 6 red last 7 days", "attendance", {"class_name": "Grade 6 Red", "days": 7}),
    ("asistencia de Grade 5 Blue esta semana", "attendance", {"class_name": "Grade 5 Blue", "days": 7}),
    ("atendance of Sam Okafor", "attendance", {"student_name": "Sam Okafor"}),
    ("next session of grade 6 red", "upcoming_sessions", {"class_name": "Grade 6 Red"}),
    ("próximas sesiones de grade 5 blue", "upcoming_sessions", {"class_name": "Grade 5 Blue"}),
    ("recommend activities for grade 5 blue for endurance", "recommend_activities", {"focus": "endurance"}),
    ("recomienda actividades de fuerza para grade 6 red", "recommend_activities", {"focus": "strength"}),
    ("adapt the relay race for Sam Okafor", "adaptations", {"student_name": "Sam Okafor"}),
    ("is it safe to go outside today?", "safety_status", {}),
    ("¿cómo está la calidad del aire?", "safety_status", {}),
    ("find a lesson plan about volleyball", "search_content", {"query": "volleyball"}),
    ("busca recursos de baloncesto", "search_content", {"query": "baloncesto"}),
    ("what are my classes", "list_classes", {}),
    ("mis clases", "list_classes", {}),
    ("give me an overview of grade 6 red", "class_overview", {"class_name": "Grade 6 Red"}),
    (
        "set a goal for Maya Lopez: PACER to 45 by 2026-12-01",
        "propose_goal",
        {"target": 45.0, "due_date": "2026-12-01"},
    ),
    ("draft a lesson plan about throwing and catching, 45 minutes", "propose_lesson_plan", {"duration_minutes": 45}),
    ("remember that Grade 5 Blue has swimming on Fridays", "remember", {}),
    ("recuerda que el gimnasio cierra los lunes", "remember", {}),
    ("my default class is Grade 6 Red", "set_preference", {}),
    ("use metric units", "set_preference", {}),
    ("hello", "greeting", {}),
    ("buenos días", "greeting", {}),
    ("thank you!", "thanks", {}),
    ("what can you do?", "help", {}),
    ("qwerty zxcv", "unknown", {}),
]


@pytest.mark.parametrize(("text", "intent", "arguments"), PHRASINGS)
def test_phrasings(world, text, intent, arguments):
    recognition = recognize(world["ctx"], text)
    assert recognition.intent == intent, (recognition.scores, recognition.reasons)
    for key, value in arguments.items():
        assert recognition.arguments.get(key) == value
    if intent != "unknown":
        assert recognition.confidence > 0.5
        assert recognition.reasons


def test_acceptance_pacer_question_explains_itself(world):
    recognition = recognize(world["ctx"], "How did Grade 5 Blue do on the PACER?")
    assert recognition.intent == "fitness_results"
    assert recognition.confidence > 0.9
    assert "mentions class Grade 5 Blue" in recognition.reasons
    assert "word 'pacer' → fitness results" in recognition.reasons
    # the 15 m and 20 m PACER tie: the shared name goes to the tool, which picks the one the class took
    assert recognition.arguments["test_name"] == "PACER"
    assert recognition.alternatives[0][1] < 0.05


def test_topic_and_query_extraction(world):
    plan = recognize(world["ctx"], "draft a lesson plan about throwing and catching, 45 minutes")
    assert plan.arguments["topic"] == "throwing and catching"
    search = recognize(world["ctx"], "find a lesson plan about volleyball")
    assert search.arguments == {"query": "volleyball"}


def test_missing_class_uses_default_class_preference(world):
    text = "how did they do on the PACER?"
    without = recognize(world["ctx"], text)
    assert without.intent == "fitness_results"
    assert without.missing == ["class_name"]
    remembered = recognize(world["ctx"], text, preferences={"default_class": "Grade 6 Red"})
    assert remembered.missing == []
    assert remembered.arguments["class_name"] == "Grade 6 Red"
    assert "your default class (remembered): Grade 6 Red" in remembered.reasons


def test_lesson_plan_topic_leaves_the_class_out(world):
    plan = recognize(world["ctx"], "Draft a lesson plan about volleyball serving for Grade 5 Blue, 40 minutes")
    assert plan.intent == "propose_lesson_plan"
    assert plan.arguments["topic"] == "volleyball serving"
    assert plan.arguments["class_name"] == "Grade 5 Blue" and plan.arguments["duration_minutes"] == 40


def test_heat_question_about_my_class_uses_the_default_class(world):
    preferences = {"default_class": "Grade 6 Red"}
    mine = recognize(world["ctx"], "What should I do with my class if it's 95°F?", preferences=preferences)
    assert mine.intent == "heat_guidance"
    assert mine.arguments == {"temperature": 95.0, "unit": "F", "class_name": "Grade 6 Red"}
    general = recognize(world["ctx"], "What should we do if it's 95°F?", preferences=preferences)
    assert "class_name" not in general.arguments  # no class named or meant: guidance only


def test_another_schools_class_is_not_evidence(world, other_school):
    from physed.models import PEClass

    PEClass.objects.create(
        school=other_school, name="Falcons Seven", school_year=2026, grade_from=7, grade_to=7, capacity=30
    )
    recognition = recognize(world["ctx"], "how did Falcons Seven do on the pacer")
    assert "class_name" not in recognition.arguments
    assert not any("Falcons" in reason for reason in recognition.reasons)


def test_unknown_below_threshold(world):
    recognition = recognize(world["ctx"], "purple monkey dishwasher")
    assert recognition.intent == "unknown"
    assert max(recognition.scores.values(), default=0) < MIN_SCORE
    assert recognition.arguments == {}


@pytest.mark.parametrize(
    ("text", "prefs", "expected"),
    [
        ("95°F", {}, (95.0, "F", "said")),
        ("95 F", {}, (95.0, "F", "said")),
        ("35 degrees", {}, (35.0, "C", "guess")),
        ("35 ºC", {}, (35.0, "C", "said")),
        ("90 degrees", {}, (90.0, "F", "guess")),
        ("30 degrees", {"units": "imperial"}, (30.0, "F", "preference")),
        ("32,5 grados", {"units": "metric"}, (32.5, "C", "preference")),
        ("Grade 5 C is outside", {}, None),
        ("no number here", {}, None),
    ],
)
def test_find_temperature(text, prefs, expected):
    assert find_temperature(text, prefs) == expected
