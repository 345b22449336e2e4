"""Which school a memory write without a memory targets: one of the person's own. (Linked
student, class and content item ids are checked by ``memory.services.memories``: an unknown or
foreign id is a 400 on its field.)"""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from accounts.models import School
from accounts.selectors import school_ids_for


def resolve_memory_school(request, school_id=None):
    """The given school if the person belongs to it; else their only school; else the school they
    are working in (the page's school switcher); else a 400 asking which."""
    schools = list(School.objects.filter(pk__in=school_ids_for(request.user)).order_by("name", "pk"))
    if school_id is not None:
        found = next((s for s in schools if s.pk == school_id), None)
        if found is None:
            raise ValidationError({"school": [_("You are not a member of that school.")]})
        return found
    if len(schools) == 1:
        return schools[0]
    if schools and hasattr(request, "session"):
        from accounts.services_session import SESSION_KEY

        wanted = request.session.get(SESSION_KEY)
        found = next((s for s in schools if s.pk == wanted), None)
        if found is not None:
            return found
    if not schools:
        raise ValidationError({"school": [_("You are not a member of any school.")]})
    raise ValidationError({"school": [_("You belong to several schools: say which one.")]})
