"""Content factories (registered for the walkers). ``ContentItemFactory`` writes version 1 and the
search vector like the item service does, so history and search tests start from a real state."""

import factory

from accounts.models import Role
from accounts.tests.factories import SchoolFactory, make_member
from content.models import (
    Category,
    ContentAttachment,
    ContentComment,
    ContentItem,
    ContentShare,
    ContentTag,
    ContentVersion,
    ContentView,
    LessonSchedule,
    ShareAudience,
)
from content.services.items import refresh_search_vectors
from content.services.snapshots import snapshot
from physed.tests.factories import ClassSessionFactory, PEClassFactory
from tests.registry import register_scoped_factory

__all__ = [
    "CategoryFactory",
    "ContentCommentFactory",
    "ContentItemFactory",
    "ContentShareFactory",
    "ContentTagFactory",
    "ContentViewFactory",
    "LessonScheduleFactory",
    "teacher_in",
]


def teacher_in(school, role=Role.TEACHER):
    return make_member(school, role)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Category {n}")
    path = ""

    @factory.post_generation
    def fix_path(obj, create, extracted, **kwargs):
        parent_path = obj.parent.path if obj.parent_id else "/"
        obj.path = f"{parent_path}{obj.pk}/"
        obj.depth = obj.parent.depth + 1 if obj.parent_id else 0
        if create:
            obj.save(update_fields=["path", "depth"])


class ContentTagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContentTag

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"tag {n}")
    slug = factory.Sequence(lambda n: f"tag-{n}")


class ContentItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContentItem
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    owner = factory.LazyAttribute(lambda item: teacher_in(item.school))
    title = factory.Sequence(lambda n: f"Lesson plan {n}")
    summary = "Striking and fielding for grades 3–5."
    body = "## Warm-up\n\nTag games for five minutes.\n\n## Main activity\n\nBatting stations."
    grade_min = 3
    grade_max = 5
    duration_minutes = 45

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            from content.services.tags import resolve_tags

            obj.tags.set(resolve_tags(obj.school, extracted))

    @factory.post_generation
    def first_version(obj, create, extracted, **kwargs):
        if create:
            ContentVersion.objects.create(item=obj, number=obj.version, author=obj.owner, snapshot=snapshot(obj))
            refresh_search_vectors([obj.pk])


class ContentShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContentShare

    item = factory.SubFactory(ContentItemFactory)
    audience = ShareAudience.SCHOOL
    pe_class = None


class ContentCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContentComment

    item = factory.SubFactory(ContentItemFactory)
    author = factory.SelfAttribute("item.owner")
    body = "Worked well with my 4th graders."


class ContentViewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContentView

    item = factory.SubFactory(ContentItemFactory)
    user = factory.SelfAttribute("item.owner")
    last_viewed_at = factory.Faker("date_time_this_year", tzinfo=__import__("datetime").timezone.utc)


class LessonScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LessonSchedule

    item = factory.SubFactory(ContentItemFactory)
    session = factory.LazyAttribute(lambda s: ClassSessionFactory(pe_class=PEClassFactory(school=s.item.school)))
    version_number = 1


register_scoped_factory(ContentItem, lambda school: ContentItemFactory(school=school))
register_scoped_factory(Category, lambda school: CategoryFactory(school=school))
register_scoped_factory(ContentTag, lambda school: ContentTagFactory(school=school))
register_scoped_factory(ContentShare, lambda school: ContentShareFactory(item__school=school))
register_scoped_factory(ContentComment, lambda school: ContentCommentFactory(item__school=school))
register_scoped_factory(ContentView, lambda school: ContentViewFactory(item__school=school))
register_scoped_factory(ContentVersion, lambda school: ContentItemFactory(school=school).versions.get())
register_scoped_factory(LessonSchedule, lambda school: LessonScheduleFactory(item__school=school))
register_scoped_factory(ContentAttachment, lambda school: _attachment(school))


def _attachment(school):
    from django.core.files.base import ContentFile

    item = ContentItemFactory(school=school)
    attachment = ContentAttachment(
        item=item, original_name="plan.pdf", content_type="application/pdf", size=12, uploaded_by=item.owner
    )
    attachment.file.save("plan.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return attachment
