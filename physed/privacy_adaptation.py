"""Personal-data declarations: adaptation.

* ``AdaptationProfile`` is sensitive data about the student (IEP/504 flags, restrictions, notes):
  exported with the student's linked account and deleted on erasure. Staff who last edited a
  profile (``updated_by``) only lose that link when their own account is erased.
* ``AdaptationProposal`` holds reasons computed from the student's results: exported with the
  student's account and deleted on erasure; the deciding teacher's link is cleared when the
  teacher's account is erased (the decision itself stays, it trains the school's weights).
* ``RecommendationFeedback`` is a teacher's pick/dismissal of an activity for a class: exported
  with that teacher's account; on erasure the row stays (it trains the school's preferences) and
  loses its actor.
"""

from accounts.privacy import registry


def _erase_about_student(link_field: str):
    def erase(queryset, user):
        model = queryset.model
        model._base_manager.filter(**{f"{link_field}_id": user.pk}).update(**{link_field: None})
        count, _detail = queryset.delete()
        return registry.DELETE, count

    return erase


def register() -> None:
    from physed.models import AdaptationProfile, AdaptationProposal, RecommendationFeedback

    registry.register(
        AdaptationProfile,
        category="pe_adaptation",
        user_path="student__user",
        erase=_erase_about_student("updated_by"),
    )
    registry.register(
        AdaptationProposal,
        category="pe_adaptation",
        user_path="student__user",
        erase=_erase_about_student("decided_by"),
    )
    registry.register(
        RecommendationFeedback,
        category="pe_adaptation",
        user_path="actor",
        erase={"actor": None},
    )
