"""Risk bands: the set in force per school (API, selectors) and replacing a school's own set."""

import pytest

from accounts.models import AuditEvent
from safety.models import RiskBand
from safety.selectors.risk import band_for_score, bands_for
from safety.services.risk_data import load_default_bands
from safety.tests.factories_risk import RiskBandFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/safety/risk-bands/"
OWN = [
    {"code": "ok", "name": "Acceptable", "min_score": 1, "max_score": 6, "required_action": "Routine."},
    {
        "code": "watch",
        "name": "Watch",
        "min_score": 7,
        "max_score": 14,
        "colour": "#ffaa00",
        "required_action": "Head approval.",
    },
    {
        "code": "stop",
        "name": "Stop",
        "min_score": 15,
        "max_score": 25,
        "required_action": "Do not proceed.",
        "activity_allowed": False,
    },
]


@pytest.fixture(autouse=True)
def default_bands(db):
    load_default_bands()


def codes(response):
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


def test_selectors_give_defaults_until_the_school_has_its_own(school, other_school):
    assert [b.code for b in bands_for(school)] == ["low", "medium", "high", "very-high"]
    assert band_for_score(bands_for(school), 12).code == "high"
    RiskBandFactory(school=other_school, code="all", min_score=1, max_score=25)
    assert [b.code for b in bands_for(other_school)] == ["all"]
    assert [b.code for b in bands_for(school)] == ["low", "medium", "high", "very-high"]
    assert [b.tone for b in bands_for(school)] == [1, 2, 3, 4]
    assert band_for_score([], 3) is None


def test_list_shows_the_bands_in_force_and_replace_validates_and_audits(client_for, teacher, school_admin, school):
    assert codes(client_for(teacher).get(URL)) == ["low", "medium", "high", "very-high"]
    response = client_for(school_admin).put(f"{URL}replace/", {"bands": OWN}, format="json")
    assert response.status_code == 200, response.content
    assert [(row["code"], row["is_default"]) for row in response.json()] == [
        ("ok", False),
        ("watch", False),
        ("stop", False),
    ]
    assert codes(client_for(teacher).get(URL)) == ["ok", "watch", "stop"]
    stop = RiskBand.objects.get(school=school, code="stop")
    assert (stop.activity_allowed, RiskBand.objects.get(school=school, code="ok").colour) == (False, "#888888")
    event = AuditEvent.objects.get(action="safety.risk_bands_replaced")
    assert event.changes["after"] == ["ok 1-6", "watch 7-14", "stop 15-25"] and event.school_id == school.pk
    # an empty set restores the defaults
    assert client_for(school_admin).put(f"{URL}replace/", {"bands": []}, format="json").status_code == 200
    assert codes(client_for(teacher).get(URL)) == ["low", "medium", "high", "very-high"]


@pytest.mark.parametrize(
    "bands, fragment",
    [
        ([{**OWN[0], "max_score": 5}, OWN[1], OWN[2]], "scores not in any band: 6"),
        ([{**OWN[0], "max_score": 8}, OWN[1], OWN[2]], "scores in more than one band: 7–8"),
        ([OWN[0], OWN[1]], "scores not in any band: 15–25"),
        ([{**OWN[0], "code": "watch"}, OWN[1], OWN[2]], "duplicate keys: watch"),
        ([{**OWN[0], "max_score": 26}, OWN[1], OWN[2]], "less than or equal to 25"),
        ([{**OWN[0], "colour": "red"}, OWN[1], OWN[2]], "colour"),
        ([{**OWN[0], "min_score": 6, "max_score": 1}, OWN[1], OWN[2]], "above"),
        ([{**OWN[0], "extra": 1}, OWN[1], OWN[2]], "extra"),
    ],
)
def test_bad_band_sets_are_400_and_change_nothing(client_for, school_admin, school, bands, fragment):
    RiskBandFactory(school=school, code="mine", min_score=1, max_score=25)
    response = client_for(school_admin).put(f"{URL}replace/", {"bands": bands}, format="json")
    assert response.status_code == 400, response.content
    assert fragment in str(response.json()["error"])
    assert list(RiskBand.objects.filter(school=school).values_list("code", flat=True)) == ["mine"]


def test_replace_needs_the_permission_and_lists_are_scoped(client_for, teacher, department_head, other_school):
    assert client_for(department_head).put(f"{URL}replace/", {"bands": OWN}, format="json").status_code == 403
    foreign = RiskBandFactory(school=other_school, code="theirs", min_score=1, max_score=25)
    assert "theirs" not in codes(client_for(teacher).get(URL))
    assert client_for(teacher).get(f"{URL}{foreign.pk}/").status_code == 404
    default = RiskBand.objects.get(school__isnull=True, code="low")
    assert client_for(teacher).get(f"{URL}{default.pk}/").json()["is_default"] is True
    assert client_for(teacher).get(URL, {"school": "x"}).status_code == 400
    # empty is "not given"; an id no school has (the schema says integer) matches nothing
    assert codes(client_for(teacher).get(URL, {"school": ""})) == ["low", "medium", "high", "very-high"]
    assert codes(client_for(teacher).get(URL, {"school": -1})) == []
