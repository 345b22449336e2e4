"""A crawler over the demo school, signed in as each demo role: every page a user can reach by
following the links the pages themselves show must render (no 5xx), and no page may show a link
its viewer cannot use (a 403 or 404 behind a rendered link is a bug: the page offered it)."""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

HREF = re.compile(r'href="([^"#]+)')
# not pages of ours, or actions that end the visit
SKIP_PREFIXES = ("/admin/", "/api/", "/static/", "/media/", "/i18n/", "/jsi18n/", "/accounts/logout/")
# files served as attachments (exports, videos) are links too, but not pages to parse
NON_HTML = ("application/json", "text/csv", "application/zip", "video/", "image/", "application/octet-stream")
MAX_PAGES = 400
# filter, sort and page links multiply one page into hundreds of URLs: visit a few of each
QUERY_VARIANTS_PER_PATH = 2


def crawl(client, start: str = "/dashboard/") -> tuple[set[str], list[str]]:
    seen: set[str] = set()
    variants: dict[str, int] = {}
    problems: list[str] = []
    queue = deque([(start, "(start)")])
    while queue and len(seen) < MAX_PAGES:
        url, found_on = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302):
            target = response["Location"]
            if urlsplit(target).path.startswith("/accounts/login"):
                problems.append(f"{url} (linked from {found_on}) redirects to sign-in")
            continue
        if response.status_code != 200:
            problems.append(f"{url} (linked from {found_on}) answered {response.status_code}")
            continue
        content_type = response.get("Content-Type", "")
        if any(kind in content_type for kind in NON_HTML) or "text/html" not in content_type:
            continue
        for href in HREF.findall(response.content.decode()):
            href = href.replace("&amp;", "&")
            absolute = urljoin(url, href)
            parts = urlsplit(absolute)
            if parts.scheme not in ("", "http") or (parts.netloc and parts.netloc != "testserver"):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path.startswith(SKIP_PREFIXES) or path in seen:
                continue
            if parts.query:
                if variants.get(parts.path, 0) >= QUERY_VARIANTS_PER_PATH:
                    continue
                variants[parts.path] = variants.get(parts.path, 0) + 1
            queue.append((path, url))
    return seen, problems


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--quiet-logins")


def test_every_linked_page_renders_for_each_demo_role(demo, client):
    """One seeded demo school, crawled as each role in turn (seeding is the slow part)."""
    problems, reached = [], {}
    for local in ("schooladmin", "head", "teacher", "assistant", "student", "guardian"):
        client.force_login(get_user_model().objects.get(email=f"{local}@northside.demo"))
        seen, found = crawl(client)
        problems += [f"{local}: {problem}" for problem in found]
        reached[local] = len(seen)
        client.logout()
    assert problems == []
    assert all(count > 5 for count in reached.values()), reached
