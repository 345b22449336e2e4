"""Who sees which content item: the one rule, used by every page, API list and selector.

``visible_to(user)`` keeps, within the user's schools (rules in ``content.models.sharing``):
* in schools where the user holds ``content.manage_contentitem``: every item;
* in schools where the user holds ``content.view_contentitem`` (staff): items they own or
  co-author, items granted to them (guardian), items shared with the school, items shared with a
  class they teach;
* anywhere: *published* items shared with a class the user is enrolled in as a student, and
  published items granted to them directly.
``editable_by(user)`` is the same for edit rights (owner, co-author, ``change`` grant, a share with
edit rights, manage permission); the object-level checks in ``content.selectors.access`` ask these
querysets about one item, so pages, API and selectors decide alike.
"""

from django.db.models import Exists, OuterRef, Q

from accounts.visibility import ScopedQuerySet

VIEW_PERM = "content.view_contentitem"
MANAGE_PERM = "content.manage_contentitem"
PUBLISHED = "published"


def _granted(user, codenames):
    from content.models.sharing import ContentItemUserObjectPermission

    return Exists(
        ContentItemUserObjectPermission.objects.filter(
            content_object=OuterRef("pk"), user=user, permission__codename__in=codenames
        )
    )


def _shared_with_school(can_edit=False):
    from content.models.sharing import ContentShare, ShareAudience

    rows = ContentShare.objects.filter(item=OuterRef("pk"), audience=ShareAudience.SCHOOL)
    return Exists(rows.filter(can_edit=True) if can_edit else rows)


def _shared_with_taught_class(user, can_edit=False):
    from content.models.sharing import ContentShare, ShareAudience

    rows = ContentShare.objects.filter(item=OuterRef("pk"), audience=ShareAudience.PE_CLASS, pe_class__teachers=user)
    return Exists(rows.filter(can_edit=True) if can_edit else rows)


def _shared_with_enrolled_class(user):
    from content.models.sharing import ContentShare, ShareAudience
    from physed.models import Enrollment, EnrollmentStatus

    classes = Enrollment.objects.filter(student__user=user, status=EnrollmentStatus.ACTIVE).values("pe_class_id")
    return Exists(
        ContentShare.objects.filter(item=OuterRef("pk"), audience=ShareAudience.PE_CLASS, pe_class_id__in=classes)
    )


def _co_author(user):
    from content.models.items import ContentItem

    through = ContentItem.co_authors.through
    return Exists(through.objects.filter(contentitem_id=OuterRef("pk"), user_id=user.pk))


class ContentItemQuerySet(ScopedQuerySet):
    school_lookup = "school"

    def _school_sets(self, user):
        from accounts.selectors import has_school_perm, school_ids_for

        schools = school_ids_for(user)
        staff = [sid for sid in schools if has_school_perm(user, VIEW_PERM, sid)]
        manage = [sid for sid in schools if has_school_perm(user, MANAGE_PERM, sid)]
        return schools, staff, manage

    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        schools, staff, manage = self._school_sets(user)
        if not schools:
            return self.none()
        staff_rule = Q(school__in=staff) & (
            Q(owner=user)
            | _co_author(user)
            | _granted(user, ["view_contentitem", "change_contentitem"])
            | _shared_with_school()
            | _shared_with_taught_class(user)
        )
        learner_rule = Q(school__in=schools, status=PUBLISHED) & (
            _shared_with_enrolled_class(user) | _granted(user, ["view_contentitem", "change_contentitem"])
        )
        return self.filter(Q(school__in=manage) | staff_rule | learner_rule)

    def editable_by(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        _schools, staff, manage = self._school_sets(user)
        staff_rule = Q(school__in=staff) & (
            Q(owner=user)
            | _co_author(user)
            | _granted(user, ["change_contentitem"])
            | _shared_with_school(can_edit=True)
            | _shared_with_taught_class(user, can_edit=True)
        )
        return self.filter(Q(school__in=manage) | staff_rule)

    def in_user_schools(self, user):
        """School scope only (``ScopedQuerySet.visible_to``): detail pages and API object routes
        find the row here — another school's item is 404 — and then ask ``content.selectors.access``
        (same school without rights is 403)."""
        return super().visible_to(user)

    def shared_with(self, user):
        """Items that reach the user through someone else: not their own."""
        return self.visible_to(user).exclude(owner=user)

    def published(self):
        return self.filter(status=PUBLISHED)
