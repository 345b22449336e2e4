"""The one enforcement path for pages and the API: a codename held through the user's roles in
the object's school, or a django-guardian grant on the object itself. Decisions are counted for
permission analytics (``accounts.services.rbac.record_decision``)."""

from accounts.selectors import has_school_perm, school_ids_for
from accounts.visibility import school_of


def allowed_on_object(user, perm: str, obj, *, record: bool = True) -> bool:
    school_id = school_of(obj).pk
    allowed = has_school_perm(user, perm, school_id) or _object_grant(user, perm, obj)
    if record:
        _record(user, perm, [school_id], allowed)
    return allowed


def _object_grant(user, perm: str, obj) -> bool:
    """A django-guardian grant of ``perm`` on ``obj`` itself. Only a permission of the object's
    own app can be granted on it (guardian refuses the rest), so another app's codename is no."""
    if perm.partition(".")[0] != obj._meta.app_label:
        return False
    return user.has_perm(perm, obj)


def allowed_somewhere(user, perm: str, *, record: bool = True) -> bool:
    """For lists and creates: the user holds ``perm`` in at least one of their schools (the
    rows shown or the school written to are narrowed per school afterwards)."""
    if user.is_superuser:
        return True
    schools = school_ids_for(user)
    permitted = [school_id for school_id in schools if has_school_perm(user, perm, school_id)]
    if record:
        if permitted:
            _record(user, perm, permitted, True)
        else:
            _record(user, perm, schools, False)
    return bool(permitted)


def _record(user, perm, school_ids, allowed) -> None:
    from accounts.services.rbac import record_decision

    for school_id in school_ids:
        record_decision(user, perm, school_id, allowed)
