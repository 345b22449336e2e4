from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularSwaggerSplitView

from config import health
from config.api.errors import api_not_found
from config.api.schema_view import MemoizedSpectacularAPIView

handler400 = "config.api.errors.handler400"
handler403 = "config.api.errors.handler403"
handler404 = "config.api.errors.handler404"
handler500 = "config.api.errors.handler500"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api.router")),
    path("api/schema/", MemoizedSpectacularAPIView.as_view(), name="schema"),
    # the split view serves Swagger UI's init script as a separate file: no inline script (CSP)
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    # anything else under /api/ is a JSON 404 in the standard shape, in every run mode
    re_path(r"^api/", api_not_found),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("physed.urls")),
    path("", include("safety.urls")),
    path("", include("progress.urls")),
    path("", include("assessments.urls")),
    path("", include("content.urls")),
    path("", include("memory.urls")),
    path("", include("assistant.urls")),
    path("", include("accounts.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
