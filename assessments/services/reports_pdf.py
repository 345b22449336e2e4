"""PDF of a progress report: WeasyPrint renders the printable page's template (``pdf=True``) with
the print stylesheet read from the static files on disk. Nothing is fetched from the network:
the URL fetcher refuses every URL that is not a file under the static directories."""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

PRINT_CSS = "css/assessments-reports-print.css"
BASE_CSS = "css/assessments-reports.css"


class RemoteFetchRefused(ValueError):
    pass


def _static_roots() -> list[Path]:
    roots = [Path(entry[1] if isinstance(entry, tuple) else entry).resolve() for entry in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


def _weasyprint():
    """WeasyPrint, imported without its side effect: at import it sets Pillow's process-wide
    ``ImageFile.LOAD_TRUNCATED_IMAGES = True``, which would let truncated pictures through every
    other image check in the process (profile pictures). The flag is put back as it was."""
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    try:
        import weasyprint
        import weasyprint.urls
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before
    return weasyprint


def _fetcher():
    """A WeasyPrint URL fetcher for ``file:`` URLs inside the static directories only; http(s) and
    every other URL are refused (WeasyPrint then leaves the resource out)."""
    from urllib.parse import unquote, urlparse

    URLFetcher = _weasyprint().urls.URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.lower().startswith("file:"):
                raise RemoteFetchRefused(f"refused to fetch {url[:80]}")
            path = Path(unquote(urlparse(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in _static_roots()):
                raise RemoteFetchRefused(f"refused to fetch {url[:80]}")
            return super().fetch(url, headers)

    return LocalOnlyFetcher(allowed_protocols=("file",))


def render_pdf(context: dict) -> bytes:
    """The PDF bytes of the print template rendered with ``context`` (see views_reports)."""
    weasyprint = _weasyprint()
    CSS, HTML = weasyprint.CSS, weasyprint.HTML

    html = render_to_string("assessments/reports/print.html", {**context, "pdf": True})
    fetcher = _fetcher()
    stylesheets = [CSS(filename=path, url_fetcher=fetcher) for path in _css_paths()]
    found = finders.find(PRINT_CSS)
    base_url = Path(found).parent.as_uri() + "/" if found else None
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(stylesheets=stylesheets)


def _css_paths() -> list[str]:
    return [path for path in (finders.find(BASE_CSS), finders.find(PRINT_CSS)) if path]
