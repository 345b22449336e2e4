"""Factories: movement (registered with tests.registry for the walkers).

The default analysis is a real one: a short synthetic squat analysed once per process."""

import functools

import factory

from physed.models import MovementAnalysis
from physed.movement import analyze, parse_sequence, synthetic
from physed.services.movement import compress_keypoints
from physed.tests.factories_roster import StudentFactory
from tests.registry import register_scoped_factory

__all__ = ["MovementAnalysisFactory", "squat_payload"]


def squat_payload(**options) -> dict:
    return synthetic.generate("squat", reps=options.pop("reps", 3), **options).payload


@functools.cache
def _default():
    payload = squat_payload()
    sequence = parse_sequence(payload, movement="squat")
    return payload, sequence, analyze(sequence, "squat")


class MovementAnalysisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MovementAnalysis

    student = factory.SubFactory(StudentFactory)
    movement = "squat"
    layout = "blazepose33"
    dimensions = 2
    fps = 30.0
    frame_count = factory.LazyFunction(lambda: _default()[1].frame_count)
    duration_seconds = factory.LazyFunction(lambda: round(_default()[1].duration, 3))
    rules_version = factory.LazyFunction(lambda: _default()[2]["rules_version"])
    score = factory.LazyFunction(lambda: _default()[2]["score"])
    rep_count = factory.LazyFunction(lambda: _default()[2]["rep_count"])
    results = factory.LazyFunction(lambda: _default()[2])
    keypoints_gz = factory.LazyFunction(lambda: compress_keypoints(_default()[0]))


register_scoped_factory(MovementAnalysis, lambda school: MovementAnalysisFactory(student__school=school))
