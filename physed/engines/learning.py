"""Weight learning shared by both engines (documented in docs/physed-adaptation.md).

Adaptation factors and proposal kinds: ``w ← clip(w · (1 + η · s · (a − p)), w_min, w_max)``
where ``a`` is 1 for an accepted proposal and 0 for a rejected one, ``p`` the proposal's score
read as its predicted acceptance (clipped to [p_min, p_max]) and ``s`` the factor's share of the
score (1 for the kind multiplier). A factor that keeps driving rejected proposals loses weight
until its proposals fall below the display threshold; accepted ones gain it back.

Recommendation preferences (per activity and per category): ``q ← clip(q · ½^(Δt/h) + η · y, −b, b)``
with ``y = +1`` for a pick and ``−1`` for a dismissal, ``Δt`` days since the last update and ``h``
the half-life: old feedback fades, recent feedback counts most.
"""

from collections.abc import Callable

from physed.engines.data import adaptation_config
from physed.engines.stats import clip


def update_weight(weight: float, *, accepted: bool, predicted: float, share: float, config: dict) -> float:
    p = clip(predicted, config["min_p"], config["max_p"])
    target = 1.0 if accepted else 0.0
    updated = weight * (1 + config["rate"] * share * (target - p))
    return clip(updated, config["min_weight"], config["max_weight"])


def decayed(value: float, days: float, half_life_days: float) -> float:
    if days <= 0 or half_life_days <= 0:
        return value
    return value * 0.5 ** (days / half_life_days)


def update_preference(value: float, *, days_since: float, picked: bool, share: float, config: dict) -> float:
    signal = 1.0 if picked else -1.0
    current = decayed(value, days_since, config["half_life_days"])
    return clip(current + config["rate"] * share * signal, -config["bound"], config["bound"])


def learn(
    proposal_score: float,
    factors: list[dict],
    kind_key: str,
    accepted: bool,
    current: Callable[[str], float],
    config: dict | None = None,
) -> dict[str, float]:
    """New weights after one decision: ``{key: weight}`` for each learnable factor of the proposal
    (by its share of the score) and for its kind multiplier. ``current(key)`` gives today's weight."""
    config = config or adaptation_config()
    learning = config["learning"]
    learnable = [f for f in factors if not config["factors"].get(f["factor"], {}).get("required")]
    total = sum(max(f["points"], 0.0) for f in learnable)
    if not learnable or total <= 0:
        return {}
    updates = {}
    for item in learnable:
        key = f"factor:{item['factor']}"
        share = max(item["points"], 0.0) / total
        updates[key] = update_weight(
            current(key), accepted=accepted, predicted=proposal_score, share=share, config=learning
        )
    updates[kind_key] = update_weight(
        current(kind_key), accepted=accepted, predicted=proposal_score, share=1.0, config=learning
    )
    return updates
