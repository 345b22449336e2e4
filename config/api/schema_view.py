"""The OpenAPI document, generated once per process and language instead of on every request.

Generating the schema walks every one of the API's views (seconds of CPU); it depends only on the
code, the API version and the language (SERVE_PUBLIC: not on who asks), so a worker keeps the
document it built. A deploy starts new processes, which is when the code changes.
"""

from django.conf import settings
from django.utils import translation
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response

_documents = {}


class MemoizedSpectacularAPIView(SpectacularAPIView):
    """SpectacularAPIView whose generated document is kept per (urlconf, version, language)."""

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (settings.ROOT_URLCONF, version, translation.get_language())
        if key not in _documents:
            _documents[key] = super()._get_schema_response(request).data
        filename = self._get_filename(request, version)
        return Response(data=_documents[key], headers={"Content-Disposition": f'inline; filename="{filename}"'})
