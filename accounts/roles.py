"""The permission catalogue and which codenames each built-in role holds — data, not scattered
``if role == ...`` checks.

Staff roles inherit downwards: school admin ⊇ department head ⊇ teacher ⊇ assistant. Student
and guardian stand outside the hierarchy. A school may define custom roles from the catalogue
(``accounts.models.CustomRole``). Later issues add their apps' codenames to ``CATALOGUE`` and
``_GRANTS``.
"""

from django.utils.translation import gettext_lazy as _

from accounts.models import Role

STAFF_HIERARCHY = [Role.ASSISTANT, Role.TEACHER, Role.DEPARTMENT_HEAD, Role.SCHOOL_ADMIN]

# codename → (area, description). Only catalogue codenames can go into custom roles.
CATALOGUE: dict[str, tuple[str, str]] = {
    "accounts.view_school": (_("School"), _("See the school and its settings")),
    "accounts.change_school": (_("School"), _("Change the school's settings")),
    "accounts.view_membership": (_("People"), _("See who holds which role in the school")),
    "accounts.add_membership": (_("People"), _("Add people to the school with a role")),
    "accounts.change_membership": (_("People"), _("Change a person's role or its end date")),
    "accounts.delete_membership": (_("People"), _("Remove a person's role")),
    "accounts.view_customrole": (_("Roles"), _("See the school's custom roles")),
    "accounts.add_customrole": (_("Roles"), _("Create custom roles")),
    "accounts.change_customrole": (_("Roles"), _("Edit custom roles")),
    "accounts.delete_customrole": (_("Roles"), _("Delete custom roles")),
    "accounts.view_roleassignment": (_("Roles"), _("See who holds which custom role")),
    "accounts.add_roleassignment": (_("Roles"), _("Give a custom role to a member")),
    "accounts.change_roleassignment": (_("Roles"), _("Change a custom role assignment's end date")),
    "accounts.delete_roleassignment": (_("Roles"), _("Take a custom role away")),
    "accounts.view_permissiondecisionstat": (_("Roles"), _("See permission analytics")),
    "accounts.view_auditevent": (_("Security"), _("Read the school's audit log")),
    "accounts.view_usersession": (_("Security"), _("See members' sign-in sessions and flagged sessions")),
    "accounts.change_usersession": (_("Security"), _("Revoke members' sessions")),
    "accounts.unlock_user": (_("Security"), _("Unlock members locked out after failed sign-ins")),
    "accounts.view_user": (_("People"), _("See members' profiles in the directory and user list")),
    "accounts.change_user": (_("People"), _("Edit members' profiles and deactivate accounts")),
    "accounts.verify_staff": (_("People"), _("Mark staff members as verified")),
    "accounts.view_analytics": (_("Analytics"), _("See the school's usage analytics and satisfaction results")),
    "accounts.export_member_data": (_("Privacy"), _("Export a member's or student's personal data on request")),
    "accounts.approve_erasure": (_("Privacy"), _("Approve or refuse erasure requests")),
    "accounts.import_people": (_("Privacy"), _("Import staff and student rosters from CSV")),
    "accounts.manage_retention": (_("Privacy"), _("Set how long each kind of data is kept")),
    # physical education core (issue 5)
    "physed.view_student": (_("Students"), _("See the school's students and their PE records")),
    "physed.add_student": (_("Students"), _("Add students")),
    "physed.change_student": (_("Students"), _("Edit students")),
    "physed.delete_student": (_("Students"), _("Delete students")),
    "physed.import_roster": (_("Students"), _("Import rosters (CSV and OneRoster)")),
    "physed.promote_grades": (_("Students"), _("Promote students to the next grade at year end")),
    "physed.view_guardianship": (_("Students"), _("See students' guardians and their contact details")),
    "physed.add_guardianship": (_("Students"), _("Add guardians to students")),
    "physed.change_guardianship": (_("Students"), _("Edit guardians")),
    "physed.delete_guardianship": (_("Students"), _("Remove guardians")),
    "physed.view_peclass": (_("Classes"), _("See PE classes, their rosters and schedules")),
    "physed.add_peclass": (_("Classes"), _("Create PE classes")),
    "physed.change_peclass": (_("Classes"), _("Edit any PE class (teachers edit their own through a class grant)")),
    "physed.delete_peclass": (_("Classes"), _("Delete PE classes")),
    "physed.view_enrollment": (_("Classes"), _("See enrollments")),
    "physed.add_enrollment": (_("Classes"), _("Enroll students in classes")),
    "physed.change_enrollment": (_("Classes"), _("Withdraw or complete enrollments")),
    "physed.delete_enrollment": (_("Classes"), _("Delete enrollments")),
    "physed.view_classsession": (_("Sessions"), _("See class sessions and their plans")),
    "physed.add_classsession": (_("Sessions"), _("Plan class sessions")),
    "physed.change_classsession": (_("Sessions"), _("Edit session plans")),
    "physed.delete_classsession": (_("Sessions"), _("Delete class sessions")),
    "physed.run_session": (_("Sessions"), _("Run sessions: attendance, results, adaptations")),
    "physed.view_attendancerecord": (_("Sessions"), _("See attendance and attendance analytics")),
    "physed.view_performanceresult": (_("Sessions"), _("See performance results and charts")),
    "physed.view_activity": (_("Library"), _("Browse the activity library")),
    "physed.add_activity": (_("Library"), _("Add the school's own activities")),
    "physed.change_activity": (_("Library"), _("Edit the school's own activities")),
    "physed.delete_activity": (_("Library"), _("Delete the school's own activities")),
    "physed.view_exercise": (_("Library"), _("Browse the exercise library")),
    "physed.add_exercise": (_("Library"), _("Add the school's own exercises")),
    "physed.change_exercise": (_("Library"), _("Edit the school's own exercises")),
    "physed.delete_exercise": (_("Library"), _("Delete the school's own exercises")),
    "physed.view_metrictype": (_("Library"), _("See the performance metric registry")),
    "physed.add_metrictype": (_("Library"), _("Add the school's own performance metrics")),
    "physed.change_metrictype": (_("Library"), _("Edit the school's own performance metrics")),
    "physed.delete_metrictype": (_("Library"), _("Delete the school's own performance metrics")),
    "physed.view_movementanalysis": (_("Movement"), _("See movement analyses")),
    "physed.add_movementanalysis": (_("Movement"), _("Analyse movement from pose keypoints")),
    "physed.delete_movementanalysis": (_("Movement"), _("Delete movement analyses")),
    "physed.view_adaptationprofile": (_("Adaptation"), _("See students' adaptation profiles (IEP/504 flags)")),
    "physed.change_adaptationprofile": (_("Adaptation"), _("Edit students' adaptation profiles")),
    "physed.view_adaptationproposal": (_("Adaptation"), _("See adaptation proposals and recommendations")),
    "physed.change_adaptationproposal": (_("Adaptation"), _("Accept or reject adaptations and recommendations")),
    # safety and risk (issue 6)
    "safety.view_medicalprofile": (
        _("Safety"),
        _("Read students' full medical profiles (confidential; every read is logged)"),
    ),
    "safety.change_medicalprofile": (_("Safety"), _("Edit students' medical profiles")),
    "safety.view_class_needs": (_("Safety"), _("See what the students of one's classes need (no confidential notes)")),
    "safety.view_safetyprotocol": (_("Safety"), _("See safety protocols")),
    "safety.add_safetyprotocol": (_("Safety"), _("Write safety protocols")),
    "safety.change_safetyprotocol": (_("Safety"), _("Edit safety protocols")),
    "safety.delete_safetyprotocol": (_("Safety"), _("Delete safety protocols")),
    "safety.sign_off_safetyprotocol": (_("Safety"), _("Sign off a safety protocol's review")),
    "safety.view_emergencyprocedure": (_("Safety"), _("See emergency procedures and drills")),
    "safety.add_emergencyprocedure": (_("Safety"), _("Write emergency procedures")),
    "safety.change_emergencyprocedure": (_("Safety"), _("Edit emergency procedures")),
    "safety.delete_emergencyprocedure": (_("Safety"), _("Delete emergency procedures")),
    "safety.add_drill": (_("Safety"), _("Log emergency drills")),
    "safety.view_riskassessment": (_("Safety"), _("See risk assessments")),
    "safety.add_riskassessment": (_("Safety"), _("Write risk assessments")),
    "safety.change_riskassessment": (_("Safety"), _("Edit and submit risk assessments")),
    "safety.delete_riskassessment": (_("Safety"), _("Delete draft risk assessments")),
    "safety.approve_riskassessment": (_("Safety"), _("Approve or return risk assessments")),
    "safety.change_riskband": (_("Safety"), _("Set the school's risk bands and their required actions")),
    "safety.view_incident": (_("Safety"), _("See incident reports and incident analytics")),
    "safety.add_incident": (_("Safety"), _("Report incidents and near misses")),
    "safety.change_incident": (_("Safety"), _("Amend incident reports")),
    "safety.manage_incident": (_("Safety"), _("Review incidents, assign follow-up actions and close them")),
    "safety.view_equipmentitem": (_("Safety"), _("See the equipment inventory, inspections and maintenance")),
    "safety.add_equipmentitem": (_("Safety"), _("Add equipment to the inventory")),
    "safety.change_equipmentitem": (_("Safety"), _("Edit equipment and take it out of service")),
    "safety.delete_equipmentitem": (_("Safety"), _("Delete equipment records")),
    "safety.add_inspection": (_("Safety"), _("Record equipment inspections")),
    "safety.add_maintenancerecord": (_("Safety"), _("Log equipment maintenance")),
    "safety.view_environmentreading": (_("Safety"), _("See environment readings and the environment status")),
    "safety.add_environmentreading": (_("Safety"), _("Enter environment readings")),
    "safety.view_environmentruleset": (_("Safety"), _("See environment rule sets")),
    "safety.add_environmentruleset": (_("Safety"), _("Create the school's own environment rule sets")),
    "safety.change_environmentruleset": (_("Safety"), _("Edit the school's environment rule sets")),
    "safety.delete_environmentruleset": (_("Safety"), _("Delete the school's environment rule sets")),
    "safety.change_safetysettings": (_("Safety"), _("Choose the school's rule set and safety defaults")),
    "safety.view_safetyalert": (_("Safety"), _("See live safety panels, alerts and session risk scores")),
    "safety.change_safetyalert": (_("Safety"), _("Acknowledge safety alerts")),
    "safety.view_riskmodel": (_("Safety"), _("See the school's fitted risk model")),
    "safety.add_riskmodel": (_("Safety"), _("Refit the school's risk model")),
}

# the shipped activity and exercise library and the metric registry are readable by every role
LIBRARY_READ = {"physed.view_activity", "physed.view_exercise", "physed.view_metrictype"}

# permissions each role adds on top of the roles below it
_GRANTS: dict[str, set[str]] = {
    Role.ASSISTANT: {
        "accounts.view_school",
        "accounts.view_membership",
        "accounts.view_user",
        *LIBRARY_READ,
        "physed.view_student",
        "physed.view_peclass",
        "physed.view_enrollment",
        "physed.view_classsession",
        "physed.view_attendancerecord",
        "physed.view_performanceresult",
        "physed.run_session",
        "physed.view_movementanalysis",
        "physed.view_adaptationprofile",
        "physed.view_adaptationproposal",
        "safety.view_class_needs",
        "safety.view_safetyprotocol",
        "safety.view_emergencyprocedure",
        "safety.view_riskassessment",
        "safety.view_incident",
        "safety.add_incident",
        "safety.view_equipmentitem",
        "safety.add_inspection",
        "safety.view_environmentreading",
        "safety.add_environmentreading",
        "safety.view_environmentruleset",
        "safety.view_safetyalert",
        "safety.change_safetyalert",
        "safety.view_riskmodel",
    },
    Role.TEACHER: {
        "physed.view_guardianship",
        "physed.add_enrollment",
        "physed.change_enrollment",
        "physed.add_classsession",
        "physed.change_classsession",
        "physed.delete_classsession",
        "physed.add_activity",
        "physed.change_activity",
        "physed.add_exercise",
        "physed.change_exercise",
        "physed.add_movementanalysis",
        "physed.change_adaptationprofile",
        "physed.change_adaptationproposal",
        "safety.add_riskassessment",
        "safety.change_riskassessment",
        "safety.change_incident",
        "safety.add_drill",
        "safety.add_maintenancerecord",
        "safety.add_equipmentitem",
    },
    Role.DEPARTMENT_HEAD: {
        "accounts.view_customrole",
        "accounts.view_roleassignment",
        "physed.add_student",
        "physed.change_student",
        "physed.add_guardianship",
        "physed.change_guardianship",
        "physed.add_peclass",
        "physed.change_peclass",
        "physed.delete_peclass",
        "physed.delete_enrollment",
        "physed.delete_activity",
        "physed.delete_exercise",
        "physed.add_metrictype",
        "physed.change_metrictype",
        "physed.delete_movementanalysis",
        "safety.view_medicalprofile",
        "safety.change_medicalprofile",
        "safety.add_safetyprotocol",
        "safety.change_safetyprotocol",
        "safety.sign_off_safetyprotocol",
        "safety.add_emergencyprocedure",
        "safety.change_emergencyprocedure",
        "safety.approve_riskassessment",
        "safety.manage_incident",
        "safety.change_equipmentitem",
        "safety.add_environmentruleset",
        "safety.change_environmentruleset",
        "safety.change_safetysettings",
        "safety.add_riskmodel",
    },
    Role.SCHOOL_ADMIN: {
        "accounts.change_school",
        "accounts.add_membership",
        "accounts.change_membership",
        "accounts.delete_membership",
        "accounts.add_customrole",
        "accounts.change_customrole",
        "accounts.delete_customrole",
        "accounts.add_roleassignment",
        "accounts.change_roleassignment",
        "accounts.delete_roleassignment",
        "accounts.view_permissiondecisionstat",
        "accounts.view_auditevent",
        "accounts.view_usersession",
        "accounts.change_usersession",
        "accounts.unlock_user",
        "accounts.change_user",
        "accounts.verify_staff",
        "accounts.view_analytics",
        "accounts.export_member_data",
        "accounts.approve_erasure",
        "accounts.import_people",
        "accounts.manage_retention",
        "physed.delete_student",
        "physed.delete_guardianship",
        "physed.import_roster",
        "physed.promote_grades",
        "physed.delete_metrictype",
        "safety.delete_safetyprotocol",
        "safety.delete_emergencyprocedure",
        "safety.delete_riskassessment",
        "safety.change_riskband",
        "safety.delete_equipmentitem",
        "safety.delete_environmentruleset",
    },
    Role.STUDENT: {"accounts.view_school", *LIBRARY_READ},
    Role.GUARDIAN: {"accounts.view_school", *LIBRARY_READ},
}


def _build() -> dict[str, frozenset[str]]:
    result: dict[str, frozenset[str]] = {}
    inherited: set[str] = set()
    for role in STAFF_HIERARCHY:
        inherited |= _GRANTS[role]
        result[role] = frozenset(inherited)
    for role in (Role.STUDENT, Role.GUARDIAN):
        result[role] = frozenset(_GRANTS[role])
    unknown = set().union(*result.values()) - set(CATALOGUE)
    if unknown:
        raise ValueError(f"Role grants name codenames missing from the catalogue: {sorted(unknown)}")
    return result


ROLE_PERMISSIONS = _build()


def permissions_for_roles(roles) -> frozenset[str]:
    perms: set[str] = set()
    for role in roles:
        perms |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(perms)


def staff_rank(role: str) -> int:
    """0 for non-staff roles; higher is more senior."""
    return STAFF_HIERARCHY.index(role) + 1 if role in STAFF_HIERARCHY else 0


def roles_holding(codename: str) -> list[str]:
    return [role for role, perms in ROLE_PERMISSIONS.items() if codename in perms]
