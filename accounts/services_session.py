"""Which school a signed-in page user is working in (kept in the session; defaults to the first)."""

from accounts.selectors import schools_for

SESSION_KEY = "current_school_id"


def current_school(request):
    """The school the page user works in; memoised on the request. Also sets
    ``request.user_schools`` for the school switcher."""
    if hasattr(request, "_current_school"):
        return request._current_school
    schools = list(schools_for(request.user))
    request.user_schools = schools
    wanted = request.session.get(SESSION_KEY)
    school = next((s for s in schools if s.pk == wanted), schools[0] if schools else None)
    request._current_school = school
    return school


def switch_school(request, school_id: int) -> bool:
    """Switch only to a school the user belongs to; returns False otherwise."""
    if any(s.pk == school_id for s in schools_for(request.user)):
        request.session[SESSION_KEY] = school_id
        if hasattr(request, "_current_school"):
            del request._current_school
        return True
    return False
