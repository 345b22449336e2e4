"""The incident vocabulary and workflow shipped as data (``safety/data/incidents.json``):
contributing-factor codes grouped as unsafe acts / unsafe conditions / other, the allowed status
transitions, the default session length for participation hours and the analytics limits."""

import json
from functools import cache
from pathlib import Path

from django.utils.translation import gettext

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "incidents.json"


@cache
def incident_config() -> dict:
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


def factor_codes() -> set[str]:
    return {factor["code"] for group in incident_config()["contributing_factors"] for factor in group["factors"]}


def factor_labels() -> dict[str, str]:
    """Code → label in the active language."""
    return {
        factor["code"]: gettext(factor["label"])
        for group in incident_config()["contributing_factors"]
        for factor in group["factors"]
    }


def factor_groups() -> list[dict]:
    """``[{"group", "label", "factors": [{"code", "label"}]}]`` in the active language."""
    return [
        {
            "group": group["group"],
            "label": gettext(group["label"]),
            "factors": [{"code": f["code"], "label": gettext(f["label"])} for f in group["factors"]],
        }
        for group in incident_config()["contributing_factors"]
    ]


def factor_group_of() -> dict[str, str]:
    return {
        factor["code"]: group["group"]
        for group in incident_config()["contributing_factors"]
        for factor in group["factors"]
    }


def allowed_transitions(status: str) -> list[str]:
    return list(incident_config()["transitions"].get(status, []))


def default_session_minutes() -> int:
    return int(incident_config()["default_session_minutes"])
