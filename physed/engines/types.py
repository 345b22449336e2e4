"""Plain data the engines exchange (no ORM): activities, a student's signals, environment
alerts, proposals with their factor contributions, and the learned weights."""

from dataclasses import dataclass, field

from physed.engines import data
from physed.engines.reasons import Reason

EASIER, HARDER = "easier", "harder"


@dataclass(frozen=True)
class ActivityInfo:
    """What the engines need to know about an activity."""

    id: int | None
    name: str
    category: str = ""
    intensity: str = "moderate"
    contact_level: str = "none"
    risk_level: int = 1
    space: str = "gym"
    duration_minutes: int = 15
    difficulty: int = 2
    skills: tuple = ()
    fitness_components: tuple = ()
    modifications: tuple = ()
    progressions: tuple = ()
    equipment: frozenset = frozenset()
    grade_bands: tuple = ()
    min_group_size: int = 2
    max_group_size: int = 30
    slug: str = ""

    def modification(self, kind: str) -> dict | None:
        return next((m for m in self.modifications if isinstance(m, dict) and m.get("kind") == kind), None)

    def has_modification(self, kind: str, direction: str = EASIER) -> bool:
        entry = self.modification(kind)
        return bool(entry and entry.get(direction))


@dataclass
class MetricSeries:
    """One score metric's recent values for a student, oldest first (one per session)."""

    code: str
    name: str
    low: float
    high: float
    higher_is_better: bool
    values: list[float]


@dataclass
class StudentSignals:
    student_id: int
    name: str = ""
    age: float | None = None
    attendance: str | None = None
    minutes_late: int | None = None
    rpe: list[float] = field(default_factory=list)
    hr_avg: list[float] = field(default_factory=list)
    hr_max: list[float] = field(default_factory=list)
    scores: list[MetricSeries] = field(default_factory=list)
    restrictions: list[str] = field(default_factory=list)
    skill_level: int | None = None
    category_skill: dict = field(default_factory=dict)
    preferred_kinds: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class EnvironmentAlert:
    """An environment alert for the session's place and time (heat, air quality…); registered by
    the safety module through ``physed.selectors.adaptation_providers``."""

    kind: str
    level: int  # 1 advisory, 2 warning, 3 danger
    message: str = ""
    outdoor_only: bool = True


@dataclass
class Contribution:
    factor: str
    value: float
    weight: float
    reason: Reason

    @property
    def points(self) -> float:
        return self.value * self.weight

    def as_dict(self) -> dict:
        return {
            "factor": self.factor,
            "value": round(self.value, 4),
            "weight": round(self.weight, 4),
            "points": round(self.points, 4),
            "reason": self.reason.as_dict(),
        }


@dataclass
class Proposal:
    student_id: int | None
    kind: str
    direction: str
    text: str
    score: float
    required: bool
    contributions: list[Contribution]
    kind_weight: float = 1.0

    def shown(self, threshold: float) -> bool:
        return self.required or self.score >= threshold


@dataclass
class Trigger:
    factor: str
    direction: str
    kinds: list[str]
    value: float
    reason: Reason
    required: bool = False
    text_key: str = ""


class Weights:
    """Learned weights with the data file's defaults: ``factor(name)`` and ``kind(kind, direction)``."""

    def __init__(self, learned: dict[str, float] | None = None, config: dict | None = None):
        self.learned = learned or {}
        self.config = config or data.adaptation_config()

    def factor(self, name: str) -> float:
        spec = self.config["factors"].get(name, {})
        if spec.get("required"):
            return spec.get("weight", 1.0)
        return self.learned.get(f"factor:{name}", spec.get("weight", 1.0))

    def kind(self, kind: str, direction: str) -> float:
        return self.learned.get(f"kind:{kind}:{direction}", 1.0)
