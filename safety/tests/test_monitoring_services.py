"""Alerts raised from the panel (restriction conflicts, out-of-service equipment, supervision
ratio, serious medical needs), the training rows and the refit on the school's own history, the
risk pages, the template tags, admin, privacy and demo."""

import datetime
import math
import random

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, School
from accounts.privacy import registry
from accounts.tests.factories import make_member
from physed.models import AttendanceRecord, AttendanceStatus, ClassSession, SessionBlock, SessionStatus
from physed.tests.factories_library import ActivityFactory, EquipmentTypeFactory
from physed.tests.factories_roster import PEClassFactory, StudentFactory
from safety import demo_monitoring
from safety.engines import risk_score
from safety.models import (
    ActivityRestriction,
    EquipmentItem,
    Incident,
    IncidentStudent,
    MedicalCondition,
    MedicalProfile,
    RiskModel,
    SafetyAlert,
    SafetyProtocol,
)
from safety.selectors import monitoring as monitoring_selectors
from safety.selectors import risk_scoring
from safety.services import monitoring as monitoring_services
from safety.services.risk_scoring import refit_risk_model
from safety.tests.factories_monitoring import SafetyAlertFactory, hot_afternoon

pytestmark = pytest.mark.django_db


def _panel(session):
    session = risk_scoring.session_queryset().get(pk=session.pk)
    return monitoring_services.refresh_panel(session, None)


def test_restriction_conflict_equipment_supervision_and_need_alerts(school, teacher):
    data = hot_afternoon(school, teacher, reading=False)
    session, maya, leo = data["session"], data["maya"], data["leo"]
    # Leo may not do vigorous activity (the adaptation engine's rule for "no_vigorous")
    profile = MedicalProfile.objects.create(student=leo)
    ActivityRestriction.objects.create(profile=profile, kind="no_vigorous", start_date=session.date)
    # Maya's asthma becomes severe → a danger-level need
    MedicalCondition.objects.filter(profile__student=maya).update(severity="life_threatening")
    # the frisbees are out of service
    discs = EquipmentTypeFactory(name="Flying discs")
    data["activity"].equipment.add(discs)
    EquipmentItem.objects.create(
        school=school,
        equipment_type=discs,
        name="Disc set",
        location="Shed",
        status="out_of_service",
        status_reason="Cracked discs",
    )
    # a protocol allowing 1 student per adult for invasion games → 2 students, 1 teacher exceeds it
    SafetyProtocol.objects.create(
        school=school,
        title="Field games",
        activity_category="invasion",
        supervision_ratio=1,
        pre_activity_checks=["Walk the field for holes", "Water bottles out"],
    )
    panel = _panel(session)
    keys = {a.key: a for a in SafetyAlert.objects.filter(session=session)}
    assert set(keys) == {
        f"need:{maya.pk}",
        f"restriction:{leo.pk}:no_vigorous:{data['activity'].pk}",
        f"equipment:{EquipmentItem.objects.get().pk}",
        "supervision",
    }
    assert keys[f"need:{maya.pk}"].level == "danger" and keys[f"need:{maya.pk}"].student == maya
    assert "Leo Park" in keys[f"restriction:{leo.pk}:no_vigorous:{data['activity'].pk}"].message
    assert "Ultimate frisbee" in keys[f"restriction:{leo.pk}:no_vigorous:{data['activity'].pk}"].message
    assert "Cracked discs" in keys[f"equipment:{EquipmentItem.objects.get().pk}"].message
    assert keys["supervision"].message == "2 students for 1 adult(s): the protocol allows 1 per adult."
    assert panel.checklist == ["Walk the field for holes", "Water bottles out"]
    assert panel.ratio_exceeded
    # evaluating again raises nothing new
    assert monitoring_services.raise_alerts(session=session, specs=monitoring_selectors.alert_specs(panel)) == []
    # the risk score sees the same facts
    by_key = {f.key: f for f in panel.risk.factors}
    assert by_key["restricted"].value == "1 / 2"
    assert by_key["equipment"].value == "1"
    assert by_key["supervision"].value == "2 / 1"
    assert "Disc set" in by_key["equipment"].reason


def test_indoor_space_raises_no_environment_alert(school, teacher):
    data = hot_afternoon(school, teacher)
    data["pe_class"].space = "gym"
    data["pe_class"].save()
    _panel(data["session"])
    assert not SafetyAlert.objects.filter(session=data["session"], kind="environment").exists()


def test_evaluate_live_sessions_task_covers_todays_running_sessions(school, teacher):
    data = hot_afternoon(school, teacher)
    assert monitoring_services.evaluate_live_sessions() == 1
    assert monitoring_services.evaluate_live_sessions() == 0
    assert SafetyAlert.objects.get().session == data["session"]


# ---- training data and the refit -----------------------------------------------------------


def test_training_rows_reconstruct_each_factor(school, teacher):
    data = hot_afternoon(school, teacher, reading=True)
    session = data["session"]
    session.date = timezone.localdate() - datetime.timedelta(days=2)
    session.status = SessionStatus.COMPLETED
    session.save()
    reading = data["reading"]
    reading.recorded_at = timezone.make_aware(datetime.datetime.combine(session.date, datetime.time(13, 50)))
    reading.save()
    leo = data["leo"]
    profile = MedicalProfile.objects.create(student=leo)
    ActivityRestriction.objects.create(profile=profile, kind="no_contact", start_date=session.date)
    old = Incident.objects.create(
        school=school,
        reference="T-1",
        kind="injury",
        location="Gym",
        description="Fell",
        occurred_at=timezone.make_aware(datetime.datetime.combine(session.date, datetime.time(9)))
        - datetime.timedelta(days=10),
    )
    IncidentStudent.objects.create(incident=old, student=data["maya"], injured=True)
    for ref, kind in (("T-2", "injury"), ("T-3", "near_miss")):
        Incident.objects.create(
            school=school,
            reference=ref,
            kind=kind,
            location="Field",
            description="x",
            session=session,
            occurred_at=timezone.now(),
        )
    [row] = risk_scoring.training_rows(school, start=session.date, end=session.date)
    assert row.session_id == session.pk
    assert row.incidents == 1  # the near miss is left out
    inputs = row.inputs
    assert inputs.participants == 2 and inputs.minutes == 40
    assert inputs.participation_hours == pytest.approx(80 / 60)
    assert inputs.activity_level == 3
    assert inputs.environment == "modify"  # the 33 °C / 55 % reading ten minutes before the start
    assert inputs.restricted == 1 and inputs.recent_injuries == 1
    assert inputs.adults == 1 and inputs.flagged_items == 0


def _poisson(rng, mean):
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def test_refit_on_the_schools_own_history_recovers_the_activity_effect(school, teacher):
    """200 past sessions of 25 students, 50 minutes, low (1) or high (4) risk activities, with
    incidents drawn at 8 per 1,000 hours x 1.5 per risk level: the stored fit recovers 1.5."""
    rng = random.Random(11)
    pe_class = PEClassFactory(school=school, space="gym")
    pe_class.teachers.add(teacher)
    students = [StudentFactory(school=school) for _ in range(25)]
    calm = ActivityFactory(school=school, risk_level=1, name="Juggling")
    rough = ActivityFactory(school=school, risk_level=4, name="Tackle games")
    start = timezone.localdate() - datetime.timedelta(days=400)
    records, incidents = [], []
    true_rate, true_rr = 8 / 1000, 1.5
    for index in range(200):
        high = rng.random() < 0.5
        session = ClassSession.objects.create(
            pe_class=pe_class, date=start + datetime.timedelta(days=index * 2), status=SessionStatus.COMPLETED
        )
        SessionBlock.objects.create(session=session, order=1, activity=rough if high else calm, planned_minutes=50)
        records += [AttendanceRecord(session=session, student=s, status=AttendanceStatus.PRESENT) for s in students]
        mean = true_rate * (true_rr**3 if high else 1) * 25 * 50 / 60
        for n in range(_poisson(rng, mean)):
            incidents.append(
                Incident(
                    school=school,
                    reference=f"F-{index}-{n}",
                    kind="injury",
                    location="Gym",
                    description="x",
                    session=session,
                    occurred_at=timezone.now(),
                )
            )
    AttendanceRecord.objects.bulk_create(records)
    Incident.objects.bulk_create(incidents)
    model = refit_risk_model(school)
    assert model.method == "poisson"
    assert model.sessions == 200 and model.incidents == len(incidents) >= 20
    assert model.exposure_hours == pytest.approx(200 * 25 * 50 / 60)
    b, se = model.coefficients["activity"], model.standard_errors["activity"]
    assert abs(b - math.log(true_rr)) < 3 * se
    assert abs(model.coefficients["intercept"] - math.log(true_rate)) < 3 * model.standard_errors["intercept"]
    assert model.details["converged"] is True
    assert model.deviance < model.details["null_deviance"]
    # the equipment effect has no historical data: it stays at its prior
    means, sds = risk_score.prior_coefficients()
    assert model.coefficients["equipment"] == pytest.approx(means["equipment"], abs=1e-6)
    assert model.standard_errors["equipment"] == pytest.approx(sds["equipment"], rel=1e-3)
    # the score now uses the fitted model
    upcoming = ClassSession.objects.create(pe_class=pe_class, date=timezone.localdate() + datetime.timedelta(days=1))
    SessionBlock.objects.create(session=upcoming, order=1, activity=rough, planned_minutes=50)
    risk = risk_scoring.score_session(risk_scoring.session_queryset().get(pk=upcoming.pk))
    assert risk.method == "poisson" and risk.model_id == model.pk
    assert round(risk.baseline + sum(f.contribution for f in risk.factors), 1) == risk.score


def test_refit_with_little_history_uses_the_priors(school):
    model = refit_risk_model(school)
    means, _sds = risk_score.prior_coefficients()
    assert model.method == "prior" and model.coefficients == means and model.deviance is None


# ---- pages, tags, admin, privacy, demo --------------------------------------------------------


def test_session_risk_page_lists_the_factors_and_the_chart(client, teacher, school):
    data = hot_afternoon(school, teacher)
    client.force_login(teacher)
    html = client.get(reverse("safety-session-risk", args=[data["session"].pk])).content.decode()
    assert "Why this score" in html
    assert '<svg class="mon-chart"' in html
    assert "Activity base risk" in html and "Higher-risk activities planned: Ultimate frisbee." in html
    assert "style=" not in html


def test_risk_model_page_and_refit_button(client, teacher, department_head, school):
    client.force_login(teacher)
    page = client.get(reverse("safety-risk-model")).content.decode()
    assert "Documented priors (never fitted)" in page and "Refit now" not in page
    assert client.post(reverse("safety-risk-model-refit")).status_code == 403
    client.force_login(department_head)
    assert "Refit now" in client.get(reverse("safety-risk-model")).content.decode()
    response = client.post(reverse("safety-risk-model-refit"))
    assert response.status_code == 302
    assert RiskModel.objects.filter(school=school, method="prior").count() == 1
    page = client.get(reverse("safety-risk-model")).content.decode()
    assert "Students injured in the last 30 days" in page and "2.00" in page


def test_alert_list_page_filters(client, teacher, school):
    session = ClassSession.objects.create(pe_class=PEClassFactory(school=school), date=timezone.localdate())
    SafetyAlertFactory(session=session, level="danger", message="Disc set cannot be used")
    SafetyAlertFactory(session=session, level="warning", message="Too many students")
    client.force_login(teacher)
    html = client.get(reverse("safety-alerts"), {"level": "danger"}).content.decode()
    assert "Disc set cannot be used" in html and "Too many students" not in html
    assert "No alerts match." in client.get(reverse("safety-alerts"), {"q": "zzz"}).content.decode()


def test_template_tags_render_for_staff_and_nothing_for_guardians(school, teacher, guardian):
    data = hot_afternoon(school, teacher)
    SafetyAlertFactory(session=data["session"])
    template = Template("{% load safety_monitoring %}{% live_panel_link session %}|{% session_risk_badge session %}")
    request = RequestFactory().get("/")
    request.user = teacher
    html = template.render(Context({"request": request, "session": data["session"]}))
    assert reverse("safety-live-panel", args=[data["session"].pk]) in html
    assert ">1</span>" in html  # one open alert
    assert "Risk score" in html and reverse("safety-session-risk", args=[data["session"].pk]) in html
    request.user = guardian
    assert template.render(Context({"request": request, "session": data["session"]})).strip() == "|"


def test_admin_pages_load(admin_client, school):
    alert = SafetyAlertFactory(
        session=ClassSession.objects.create(pe_class=PEClassFactory(school=school), date=timezone.localdate())
    )
    model = refit_risk_model(school)
    for name, args in (
        ("admin:safety_safetyalert_changelist", []),
        ("admin:safety_safetyalert_add", []),
        ("admin:safety_safetyalert_change", [alert.pk]),
        ("admin:safety_riskmodel_changelist", []),
        ("admin:safety_riskmodel_add", []),
        ("admin:safety_riskmodel_change", [model.pk]),
    ):
        assert admin_client.get(reverse(name, args=args)).status_code == 200


def test_alerts_are_the_students_and_the_acknowledgers_personal_data(school, teacher):
    entry = registry.entry_for("safety.SafetyAlert")
    assert entry is not None
    user = make_member(school, Role.STUDENT)
    student = StudentFactory(school=school, user=user)
    session = ClassSession.objects.create(pe_class=PEClassFactory(school=school), date=timezone.localdate())
    about = SafetyAlertFactory(session=session, student=student, message=f"{student.display_name} is here")
    acked = SafetyAlertFactory(session=session, acknowledged_by=teacher, acknowledged_at=timezone.now())
    SafetyAlertFactory(session=session)
    assert [row["id"] for row in entry.export_rows(entry.queryset_for(user))] == [about.pk]
    assert [row["id"] for row in entry.export_rows(entry.queryset_for(teacher))] == [acked.pk]
    assert entry.erase(entry.queryset_for(user), user) == (registry.DELETE, 1)
    assert not SafetyAlert.objects.filter(pk=about.pk).exists()
    entry.erase(entry.queryset_for(teacher), teacher)
    acked.refresh_from_db()
    assert acked.acknowledged_by is None and acked.acknowledged_at is not None


def test_demo_fits_models_and_raises_alerts_once(school, teacher):
    data = hot_afternoon(school, teacher)
    context = {"schools": {school.slug: School.objects.get(pk=school.pk)}}
    demo_monitoring.seed(context)
    assert RiskModel.objects.filter(school=school).count() == 1
    assert SafetyAlert.objects.filter(session=data["session"]).count() == 1
    demo_monitoring.seed(context)
    assert RiskModel.objects.filter(school=school).count() == 1
    assert SafetyAlert.objects.count() == 1
