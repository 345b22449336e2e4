"""Personas (school-scoped; built-ins have no school and are read-only) and each person's choice.

The list shows the built-in personas and those of the schools where the user may see personas;
writes need ``assistant.add/change/delete_persona`` in the persona's school (another school's
persona is 404, a built-in one is 403 to change).
"""

from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.base import NoStoreMixin, ScopedModelViewSet, call_service, resolve_school
from accounts.models import School
from accounts.selectors import schools_where
from assistant.api import personas_serializers as s
from assistant.api.common import TAGS, USE_PERM, UsesAssistant
from assistant.models import Persona, PersonaChoice

PERSONA_TAGS = ["assistant-personas"]


class MakeDefaultSerializer(s.StrictSerializer):
    school = s.ScopedPrimaryKeyRelatedField(
        queryset=School.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("For a built-in persona: the school it becomes the default of."),
    )


@extend_schema_view(
    list=extend_schema(tags=PERSONA_TAGS, summary="Built-in personas and your schools' personas"),
    retrieve=extend_schema(tags=PERSONA_TAGS, summary="One persona"),
    create=extend_schema(tags=PERSONA_TAGS, summary="Add a school persona (assistant.add_persona)"),
    update=extend_schema(
        tags=PERSONA_TAGS, summary="Edit a school persona (assistant.change_persona)", request=s.PersonaUpdateSerializer
    ),
    partial_update=extend_schema(
        tags=PERSONA_TAGS, summary="Edit a school persona (assistant.change_persona)", request=s.PersonaUpdateSerializer
    ),
    destroy=extend_schema(tags=PERSONA_TAGS, summary="Delete a school persona (assistant.delete_persona)"),
)
class PersonaViewSet(ScopedModelViewSet):
    queryset = Persona.objects.all()
    serializer_class = s.PersonaSerializer
    filter_backends: list = []
    required_permissions = {"make_default": "assistant.change_persona"}
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return s.PersonaUpdateSerializer
        return s.PersonaSerializer

    def get_queryset(self):
        return super().get_queryset().order_by("school_id", "name", "pk")

    def restrict_to_permitted_schools(self, queryset):
        """Built-ins (no school) are listed for anyone who may see personas somewhere."""
        user = self.request.user
        if user.is_superuser:
            return queryset
        return queryset.filter(Q(school__isnull=True) | Q(school__in=schools_where(user, "assistant.view_persona")))

    def get_object(self):
        persona = super().get_object()
        if persona.school_id is None and self.action in ("update", "partial_update", "destroy"):
            raise PermissionDenied(_("Built-in personas cannot be changed."))
        return persona

    def check_object_permissions(self, request, obj):
        if obj.school_id is None:  # built-in: readable by all; writes refused in get_object
            return
        super().check_object_permissions(request, obj)

    def create(self, request, *args, **kwargs):
        from assistant.services.personas import create_persona

        serializer = s.PersonaSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        school = resolve_school(request.user, "assistant.add_persona", data.pop("school", None))
        persona = call_service(create_persona, actor=request.user, school=school, **data)
        return Response(s.PersonaSerializer(persona).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        from assistant.services.personas import update_persona

        persona = self.get_object()
        partial = kwargs.pop("partial", False)
        serializer = s.PersonaUpdateSerializer(persona, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        persona = call_service(update_persona, actor=request.user, persona=persona, **serializer.validated_data)
        return Response(s.PersonaSerializer(persona).data)

    def perform_destroy(self, instance):
        from assistant.services.personas import delete_persona

        call_service(delete_persona, actor=self.request.user, persona=instance)

    @extend_schema(
        tags=PERSONA_TAGS,
        summary="Make a persona the school's default (assistant.change_persona)",
        request=MakeDefaultSerializer,
        responses=s.PersonaSerializer,
    )
    @action(detail=True, methods=["post"], url_path="make-default")
    def make_default(self, request, pk=None):
        from assistant.services.personas import set_school_default

        persona = self.get_object()
        serializer = MakeDefaultSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        if persona.school_id is not None:
            school = persona.school
        else:
            school = resolve_school(request.user, "assistant.change_persona", serializer.validated_data.get("school"))
        chosen = call_service(set_school_default, actor=request.user, school=school, persona=persona)
        # a built-in one becomes a school copy (or, for the built-in default, just clears the default)
        if chosen is None:
            persona.refresh_from_db()
        return Response(s.PersonaSerializer(chosen or persona).data)


def my_persona_rows(user) -> list[dict]:
    """Per school where ``user`` uses the assistant: their choice and the persona that applies."""
    from assistant.personas import effective_persona

    schools = School.objects.filter(pk__in=schools_where(user, USE_PERM)).order_by("name", "pk")
    choices = {c.school_id: c.persona for c in PersonaChoice.objects.filter(user=user).select_related("persona")}

    def brief(persona):
        return {"id": persona.pk, "name": persona.name, "builtin": persona.school_id is None}

    rows = []
    for school in schools:
        chosen = choices.get(school.pk)
        rows.append(
            {
                "school": school.pk,
                "school_name": school.name,
                "chosen": brief(chosen) if chosen is not None else None,
                "effective": brief(effective_persona(user, school)),
            }
        )
    return rows


class MyPersonaView(NoStoreMixin, APIView):
    """The persona you chose in each school where you use the assistant (PUT to choose). A plain
    ``APIView`` (like ``MeAvatarView``): there is no object to look up, and a ``GenericAPIView``
    without a queryset made ``OPTIONS`` fail (DRF's metadata calls ``get_object()`` for PUT)."""

    permission_classes = [UsesAssistant]

    @extend_schema(tags=TAGS, summary="Your persona per school", responses=s.MyPersonaSerializer(many=True))
    def get(self, request):
        return Response(s.MyPersonaSerializer(my_persona_rows(request.user), many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Choose your persona in a school (null: back to the school default)",
        request=s.MyPersonaWriteSerializer,
        responses=s.MyPersonaSerializer(many=True),
    )
    def put(self, request):
        from assistant.services.personas import choose_persona

        serializer = s.MyPersonaWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        school = resolve_school(request.user, USE_PERM, serializer.validated_data.get("school"))
        call_service(choose_persona, actor=request.user, school=school, persona=serializer.validated_data["persona"])
        return Response(s.MyPersonaSerializer(my_persona_rows(request.user), many=True).data)
