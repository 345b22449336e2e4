"""The one visibility path: querysets, the page mixin and FK fields in write payloads."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.views.generic import DetailView
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from accounts.api.fields import ScopedPrimaryKeyRelatedField
from accounts.mixins import ScopedPageMixin
from accounts.models import Membership, Role, School
from accounts.visibility import school_of

pytestmark = pytest.mark.django_db


def test_visible_to_scopes_by_current_membership(teacher, school, other_school, other_teacher, django_user_model):
    assert list(School.objects.visible_to(teacher)) == [school]
    assert set(Membership.objects.visible_to(teacher).values_list("school__slug", flat=True)) == {"northside"}
    assert School.objects.visible_to(None).count() == 0
    superuser = django_user_model.objects.create_superuser("root@example.org", "a-long-unusual-passphrase-42")
    assert School.objects.visible_to(superuser).count() == 2
    teacher.is_active = False
    assert School.objects.visible_to(teacher).count() == 0


def test_school_of_follows_the_lookup(teacher, school):
    assert school_of(school) == school
    assert school_of(teacher.memberships.get()) == school


class MembershipPage(ScopedPageMixin, DetailView):
    model = Membership
    permission_required = "accounts.view_membership"


def _page(user, pk):
    request = APIRequestFactory().get("/")
    request.user = user
    view = MembershipPage()
    view.setup(request, pk=pk)
    return view


def test_page_mixin_404_for_other_school_and_403_for_wrong_role(teacher, student, other_teacher):
    own = teacher.memberships.get()
    assert _page(teacher, own.pk).get_object() == own
    with pytest.raises(Http404):
        _page(teacher, other_teacher.memberships.get().pk).get_object()
    request = APIRequestFactory().get("/")
    request.user = student
    with pytest.raises(PermissionDenied):
        MembershipPage.as_view()(request, pk=own.pk)


class GrantSerializer(serializers.Serializer):
    school = ScopedPrimaryKeyRelatedField(queryset=School.objects.all())


def test_fk_field_rejects_other_schools_like_missing_ids(teacher, school, other_school):
    request = APIRequestFactory().post("/")
    request.user = teacher
    ok = GrantSerializer(data={"school": school.pk}, context={"request": request})
    assert ok.is_valid(), ok.errors
    foreign = GrantSerializer(data={"school": other_school.pk}, context={"request": request})
    missing = GrantSerializer(data={"school": 999999}, context={"request": request})
    assert not foreign.is_valid() and not missing.is_valid()
    assert str(foreign.errors["school"][0]) == f'Invalid pk "{other_school.pk}" - object does not exist.'
    assert str(missing.errors["school"][0]) == 'Invalid pk "999999" - object does not exist.'


def test_roles_inherit_down_the_staff_hierarchy():
    from accounts.roles import ROLE_PERMISSIONS

    assert ROLE_PERMISSIONS[Role.ASSISTANT] <= ROLE_PERMISSIONS[Role.TEACHER]
    assert ROLE_PERMISSIONS[Role.TEACHER] <= ROLE_PERMISSIONS[Role.DEPARTMENT_HEAD]
    assert ROLE_PERMISSIONS[Role.DEPARTMENT_HEAD] <= ROLE_PERMISSIONS[Role.SCHOOL_ADMIN]
    assert "accounts.change_school" in ROLE_PERMISSIONS[Role.SCHOOL_ADMIN]
    assert "accounts.change_school" not in ROLE_PERMISSIONS[Role.DEPARTMENT_HEAD]
    assert "accounts.view_membership" not in ROLE_PERMISSIONS[Role.STUDENT]


def test_two_queries_for_many_permission_checks(teacher, school, django_assert_num_queries):
    from accounts.selectors import has_school_perm

    with django_assert_num_queries(2):  # memberships + custom-role assignments, then memoised
        for _ in range(20):
            assert has_school_perm(teacher, "accounts.view_school", school.pk)
            assert not has_school_perm(teacher, "accounts.change_school", school.pk)
