"""Content admin: the category tree, the tag vocabulary and the tagged rows.

Categories are written through ``content.services.categories`` (path and depth of a moved node's
subtree are rewritten, cycles, depth and sibling names refused — the form shows the refusal) and
deleted through it with the children moved up. Tags are renamed and deleted through the tag
services (audited, no new item versions). Tagged rows are read-only here: tagging an item is an
item edit and goes through the item service, which writes a version.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from accounts.services.errors import ServiceError
from content.models import Category, ContentTag, TaggedContentItem
from content.services import categories as category_services
from content.services import tags as tag_services


class CategoryAdminForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["school", "parent", "name", "description", "position"]

    def clean(self):
        data = super().clean()
        school, parent = data.get("school"), data.get("parent")
        if school is None or not data.get("name"):
            return data
        existing = self.instance if self.instance.pk else None
        if existing is not None and school.pk != existing.school_id:
            raise ValidationError({"school": "A category cannot change school."})
        try:
            data["name"] = category_services.check_placement(
                school=school, parent=parent, name=data["name"], category=existing
            )
        except ServiceError as exc:
            raise ValidationError({exc.field if exc.field in self.fields else None: exc.message}) from exc
        return data


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    form = CategoryAdminForm
    list_display = ["indented_name", "school", "path", "depth", "position"]
    list_filter = ["school", "depth"]
    search_fields = ["name", "path"]
    list_select_related = ["school"]
    ordering = ["school", "path"]
    raw_id_fields = ["parent"]
    readonly_fields = ["path", "depth", "created_by", "created_at"]

    @admin.display(description="name", ordering="path")
    def indented_name(self, obj):
        return "— " * obj.depth + obj.name

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            created = category_services.create_category(
                actor=request.user,
                school=data["school"],
                parent=data.get("parent"),
                name=data["name"],
                description=data.get("description", ""),
                position=data.get("position"),
            )
            obj.pk, obj.path, obj.depth = created.pk, created.path, created.depth
            return
        category_services.update_category(
            actor=request.user,
            category=Category.objects.get(pk=obj.pk),
            name=data["name"],
            description=data.get("description", ""),
            parent=data.get("parent"),
            position=data.get("position"),
        )

    def delete_model(self, request, obj):
        category_services.delete_category(actor=request.user, category=obj, children=category_services.CHILDREN_MOVE_UP)

    def delete_queryset(self, request, queryset):
        for obj in queryset.order_by("-depth"):
            if Category.objects.filter(pk=obj.pk).exists():
                self.delete_model(request, Category.objects.get(pk=obj.pk))


@admin.register(ContentTag)
class ContentTagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "school"]
    list_filter = ["school"]
    search_fields = ["name"]
    list_select_related = ["school"]
    readonly_fields = ["slug"]
    fields = ["school", "name", "slug"]

    def has_add_permission(self, request):
        return False  # tags are created by tagging items

    def get_readonly_fields(self, request, obj=None):
        return ["school", "slug"] if obj else ["slug"]

    def save_model(self, request, obj, form, change):
        if change:
            fresh = ContentTag.objects.get(pk=obj.pk)
            try:
                tag_services.rename_tag(actor=request.user, tag=fresh, name=form.cleaned_data["name"])
            except ServiceError as exc:
                self.message_user(request, exc.message, level="error")

    def delete_model(self, request, obj):
        tag_services.delete_tag(actor=request.user, tag=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(TaggedContentItem)
class TaggedContentItemAdmin(admin.ModelAdmin):
    list_display = ["content_object", "tag"]
    list_filter = ["tag__school"]
    search_fields = ["tag__name", "content_object__title"]
    list_select_related = ["content_object", "tag"]
    readonly_fields = ["content_object", "tag"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
