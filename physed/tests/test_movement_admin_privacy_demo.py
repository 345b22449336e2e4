"""Movement in the admin, the personal-data registry and the demo data."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from accounts.models import Role, School, User
from accounts.privacy import registry
from accounts.tests.factories import make_member
from physed import demo_movement
from physed.models import MovementAnalysis
from physed.tests.factories_movement import MovementAnalysisFactory
from physed.tests.factories_roster import StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


def test_admin_lists_filters_and_reanalyses(client, school):
    analysis = MovementAnalysisFactory(student=StudentFactory(school=school, last_name="Lovelace"), score=5)
    superuser = User.objects.create_superuser("ops@example.org", "a-long-unusual-passphrase-42")
    client.force_login(superuser)
    changelist = reverse("admin:physed_movementanalysis_changelist")
    assert "Lovelace" in client.get(changelist, {"q": "lovelace"}).content.decode()
    assert client.get(changelist, {"movement__exact": "squat"}).status_code == 200
    assert client.get(reverse("admin:physed_movementanalysis_change", args=[analysis.pk])).status_code == 200
    response = client.post(changelist, {"action": "reanalyse_selected", "_selected_action": [analysis.pk]})
    assert response.status_code == 302
    analysis.refresh_from_db()
    assert analysis.score == 100


def test_registered_as_the_students_personal_data(private_media, school):
    entry = registry.entry_for("physed.MovementAnalysis")
    assert entry is not None and entry.user_path == "student__user"
    user = make_member(school, Role.STUDENT)
    student = StudentFactory(school=school, user=user)
    analysis = MovementAnalysisFactory(student=student)
    analysis.video.save("v.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"), save=True)
    MovementAnalysisFactory(student=StudentFactory(school=school))  # someone else's
    rows = list(entry.export_rows(entry.queryset_for(user)))
    assert [row["id"] for row in rows] == [analysis.pk]
    assert rows[0]["results"]["rep_count"] == 3 and rows[0]["keypoints"]["layout"] == "blazepose33"
    files = list(entry.files(user))
    assert files[0][0] == f"movement-{analysis.pk}.mp4"
    name = analysis.video.name
    action, count = entry.erase(entry.queryset_for(user), user)
    assert (action, count) == (registry.DELETE, 1)
    assert not default_storage.exists(name)
    assert MovementAnalysis.objects.count() == 1


def test_demo_seeds_real_analyses_once(school):
    school.slug = "demo-north"
    school.save()
    make_member(school, Role.TEACHER, email="teacher@demo-north.demo")
    linked = StudentFactory(school=school, user=make_member(school, Role.STUDENT))
    for _ in range(5):
        StudentFactory(school=school)
    context = {"schools": {"demo-north": School.objects.get(pk=school.pk)}}
    demo_movement.seed(context)
    count = MovementAnalysis.objects.count()
    assert count == 13  # 4 + 3 + 2 + 2 + 2 from data/movement/demo.json
    first = MovementAnalysis.objects.filter(student=linked).order_by("created_at")
    assert [a.movement for a in first] == ["squat", "squat", "push_up", "squat"]
    assert [a.score for a in first if a.movement == "squat"] == [
        87,
        95,
        100,
    ]  # 100 − 30·2/6 − 20·1/6; 100 − 30·1/6; clean
    assert all(a.rep_count == 6 for a in MovementAnalysis.objects.all())
    demo_movement.seed(context)
    assert MovementAnalysis.objects.count() == count
