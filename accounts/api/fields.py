"""Foreign-key fields for write payloads that only accept ids the requesting user may see.

An id of another school's object fails exactly like a non-existent id ("does not exist"), so a
payload can neither reach across schools nor probe which ids exist elsewhere.
"""

from rest_framework import serializers


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        return queryset.visible_to(request.user if request else None)
