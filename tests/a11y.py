"""Accessibility check with axe-core (from the npm registry, ``npm ci`` at the repo root) run in the
same headless Chromium as the e2e tests (docs/accessibility.md).

The pages send a strict Content-Security-Policy (``script-src 'self'``), so ``add_script_tag`` (an
inline ``<script>``) is refused. axe is evaluated through the DevTools protocol instead
(``page.evaluate`` of the file's text), which the page's CSP does not govern.

Use::

    from tests.a11y import assert_accessible
    assert_accessible(page, "/dashboard/")  # or check_page(page) -> list of problems
"""

import os
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings

AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# what fails the check: axe's two highest impacts ("moderate" and "minor" are reported by axe too)
FAILING_IMPACTS = ("serious", "critical")
# WCAG 2.0/2.1 A and AA rules (axe's tags), plus axe's best practices
RUN_ONLY_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
# Rules turned off, each with its reason (none so far: add one only with a written reason).
DISABLED_RULES: dict[str, str] = {}


@cache
def axe_source() -> str:
    """axe.min.js; skip on a developer machine without it, fail in CI (like the browser)."""
    if not AXE_JS.exists():
        message = f"{AXE_JS} is missing (run `npm ci` at the repo root)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return AXE_JS.read_text(encoding="utf-8")


def run_axe(page) -> list[dict]:
    """axe's violations on the page as loaded now (impact, id, help, targets of the nodes)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    options = {
        "runOnly": {"type": "tag", "values": RUN_ONLY_TAGS},
        "rules": {rule: {"enabled": False} for rule in DISABLED_RULES},
        "resultTypes": ["violations"],
    }
    return page.evaluate(
        """async (options) => {
            const results = await window.axe.run(document, options);
            return results.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                targets: v.nodes.map((n) => n.target.join(" ")),
            }));
        }""",
        options,
    )


def check_page(page, url: str | None = None) -> list[str]:
    """Open ``url`` (or use the current page) and return one line per serious/critical violation."""
    if url is not None:
        page.goto(url)
    page.wait_for_load_state("load")
    where = page.url.split("://", 1)[-1].split("/", 1)[-1]
    return [
        f"/{where}: {v['id']} ({v['impact']}) {v['help']} -> {', '.join(v['targets'][:8])}"
        for v in run_axe(page)
        if v["impact"] in FAILING_IMPACTS
    ]


def assert_accessible(page, url: str | None = None) -> None:
    problems = check_page(page, url)
    assert problems == [], "\n".join(problems)
