"""The safety home page: the areas the user may open, and what needs attention."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from accounts.permissions import allowed_somewhere
from accounts.services_session import current_school
from safety.selectors.home import hub_figures

# (url name, codename) — the area links on the hub, each shown with its view permission
AREAS = [
    ("safety-environment", "safety.view_environmentreading"),
    ("safety-incidents", "safety.view_incident"),
    ("safety-assessment-list", "safety.view_riskassessment"),
    ("safety-protocol-list", "safety.view_safetyprotocol"),
    ("safety-procedure-list", "safety.view_emergencyprocedure"),
    ("safety-equipment-list", "safety.view_equipmentitem"),
    ("safety-medical-list", "safety.view_medicalprofile"),
    ("safety-environment-rule-sets", "safety.view_environmentruleset"),
    ("safety-risk-model", "safety.view_riskmodel"),
]


def area_links(user):
    from django.urls import reverse
    from django.utils.translation import gettext as _

    labels = {
        "safety-environment": (_("Weather and air"), _("Current conditions, the rule set's decision and readings")),
        "safety-incidents": (_("Incidents"), _("Report injuries and near misses, follow up, analytics")),
        "safety-assessment-list": (_("Risk assessments"), _("Hazards, controls and approvals")),
        "safety-protocol-list": (_("Safety protocols"), _("Checks, supervision ratios, reviews")),
        "safety-procedure-list": (_("Emergency procedures"), _("Steps, contacts, AEDs and drills")),
        "safety-equipment-list": (_("Equipment"), _("Inventory, inspections and maintenance")),
        "safety-medical-list": (_("Medical profiles"), _("Conditions, medications, restrictions (confidential)")),
        "safety-environment-rule-sets": (
            _("Environment rule sets"),
            _("Heat, air-quality and cold rules with their sources"),
        ),
        "safety-risk-model": (_("Risk model"), _("How session risk scores are calibrated")),
    }
    links = []
    for name, perm in AREAS:
        if allowed_somewhere(user, perm):
            label, description = labels[name]
            links.append({"url": reverse(name), "label": label, "description": description})
    return links


@login_required
def home(request):
    links = area_links(request.user)
    if not links:
        raise PermissionDenied
    school = current_school(request)
    figures = hub_figures(request.user, school) if school else []
    return render(request, "safety/home.html", {"links": links, "figures": figures, "school": school})
