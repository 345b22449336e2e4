"""Spanish translation: the committed catalogue is complete and current, and pages render in Spanish.

The .mo files are git-ignored build output, so this module builds them itself (with the project's
``scripts/compile_translations.py``) before any test needs them.
"""

import ast
import re
import runpy
from pathlib import Path

import polib
import pytest
from asgiref.local import Local
from django.conf import settings
from django.utils import translation
from django.utils.translation import trans_real

from accounts.models import Role

ROOT = Path(settings.BASE_DIR)
PO_PATH = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
TEMPLATES_DIR = ROOT / "templates"

# the app packages whose Python sources makemessages scans (tests and migrations excluded below)
SOURCE_DIRS = ["accounts", "physed", "safety", "progress", "assessments", "content", "memory", "assistant", "config"]
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "gettext_noop"}

TRANSLATE_TAG = re.compile(r"""{%\s*(?:translate|trans)\s+(?P<q>["'])(?P<msgid>.*?)(?P=q)""", re.DOTALL)
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")


def _reset_translation_caches():
    """Forget every catalogue Django loaded before the .mo existed (or before it was rebuilt)."""
    trans_real._translations = {}
    trans_real._default = None
    trans_real._active = Local()
    trans_real.translation_catalog_exists.cache_clear()
    trans_real.get_languages.cache_clear()
    trans_real._get_supported_language_variant.cache_clear()


@pytest.fixture(scope="session", autouse=True)
def _compiled_translations():
    runpy.run_path(str(ROOT / "scripts" / "compile_translations.py"), run_name="__main__")
    _reset_translation_caches()
    yield
    _reset_translation_caches()


@pytest.fixture(autouse=True)
def _no_language_leaks():
    """A Spanish request leaves Spanish active in this thread; later tests expect the default."""
    yield
    translation.deactivate()


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(PO_PATH))


def _page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


# --- the catalogue ---------------------------------------------------------------------------


def test_mo_is_built_from_the_committed_po(catalogue):
    assert MO_PATH.exists()
    compiled = {entry.msgid: entry.msgstr for entry in polib.mofile(str(MO_PATH)) if entry.msgid}
    assert compiled == {entry.msgid: entry.msgstr for entry in catalogue}


def test_po_header_is_spanish_utf8_with_two_plural_forms(catalogue):
    assert catalogue.metadata["Language"] == "es"
    assert catalogue.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert catalogue.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert not catalogue.metadata_is_fuzzy


def test_every_msgid_has_a_translation_and_none_is_fuzzy(catalogue):
    assert len(catalogue) > 50
    untranslated = [entry.msgid for entry in catalogue if not entry.msgstr.strip() and not entry.msgid_plural]
    untranslated += [entry.msgid for entry in catalogue if entry.msgid_plural and not all(entry.msgstr_plural.values())]
    assert untranslated == []
    assert [entry.msgid for entry in catalogue if "fuzzy" in entry.flags] == []
    assert [entry.msgid for entry in catalogue if entry.obsolete] == []
    assert catalogue.percent_translated() == 100


def test_translations_keep_every_placeholder(catalogue):
    changed = [
        entry.msgid
        for entry in catalogue
        if sorted(PLACEHOLDER.findall(entry.msgid)) != sorted(PLACEHOLDER.findall(entry.msgstr))
        and not entry.msgid_plural
    ]
    assert changed == []


def _template_msgids() -> dict[str, str]:
    found = {}
    for path in sorted(TEMPLATES_DIR.rglob("*")):
        if path.suffix not in {".html", ".txt"}:
            continue
        for match in TRANSLATE_TAG.finditer(path.read_text(encoding="utf-8")):
            # makemessages and the tag itself (at run time) double a literal's % signs: "95%" → "95%%"
            found[match["msgid"].replace("%", "%%")] = str(path.relative_to(ROOT))
    return found


def test_every_translate_literal_in_templates_is_in_the_po(catalogue):
    found = _template_msgids()
    assert "Sign in" in found  # the regex really sees the templates
    assert len(found) > 40
    msgids = {entry.msgid for entry in catalogue}
    missing = {msgid: where for msgid, where in found.items() if msgid not in msgids}
    assert missing == {}, "run makemessages -l es and translate the new strings"


def _python_msgids() -> dict[str, str]:
    found = {}
    for package in SOURCE_DIRS:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = set(path.relative_to(ROOT).parts)
            if "tests" in parts or "migrations" in parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in GETTEXT_NAMES
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                ):
                    found[node.args[0].value] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return found


def test_every_gettext_literal_in_python_is_in_the_po(catalogue):
    found = _python_msgids()
    assert "Teacher dashboard" in found
    assert "Dashboard" in found
    msgids = {entry.msgid for entry in catalogue}
    missing = {msgid: where for msgid, where in found.items() if msgid not in msgids}
    assert missing == {}, "run makemessages -l es and translate the new strings"


def test_django_loads_the_spanish_catalogue():
    with translation.override("es"):
        assert translation.gettext("Sign in") == "Iniciar sesión"
        assert translation.gettext("Teacher dashboard") == "Panel del docente"
        assert str(Role.GUARDIAN.label) == "Tutor legal"
    with translation.override("en"):
        assert translation.gettext("Sign in") == "Sign in"


# --- pages -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_login_page_in_spanish_from_accept_language(client):
    html = _page(client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="es"))
    assert '<html lang="es">' in html
    assert "<h1>Iniciar sesión</h1>" in html
    assert "Saltar al contenido principal" in html
    assert "Correo electrónico" in html
    assert "Contraseña" in html
    assert "¿Has olvidado tu contraseña?" in html
    assert "Sign in" not in html


@pytest.mark.django_db
def test_login_page_stays_english_by_default(client):
    html = _page(client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en"))
    assert '<html lang="en">' in html
    assert "<h1>Sign in</h1>" in html
    assert "Iniciar sesión" not in html


@pytest.mark.django_db
def test_set_language_switches_the_login_page_to_spanish(client):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    html = _page(client.get("/accounts/login/"))
    assert '<html lang="es">' in html
    assert "<h1>Iniciar sesión</h1>" in html


@pytest.mark.django_db
def test_teacher_dashboard_in_spanish(client, teacher):
    client.force_login(teacher)
    html = _page(client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="es"))
    assert '<html lang="es">' in html
    assert "<h1>Panel del docente</h1>" in html
    assert "<title>Panel del docente · Plataforma de Educación Física</title>" in html
    assert "Clases de hoy" in html
    assert "Alertas de seguridad" in html
    assert "Cerrar sesión" in html
    assert ">Panel</a>" in html  # navigation
    assert "Teacher dashboard" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "title"),
    [
        (Role.SCHOOL_ADMIN, "Panel del administrador escolar"),
        (Role.DEPARTMENT_HEAD, "Panel del jefe de departamento"),
        (Role.ASSISTANT, "Panel del asistente"),
        (Role.STUDENT, "Panel del estudiante"),
        (Role.GUARDIAN, "Panel del tutor legal"),
    ],
)
def test_every_role_dashboard_title_in_spanish(client, school, member, role, title):
    client.force_login(member(school, role))
    html = _page(client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="es"))
    assert f"<h1>{title}</h1>" in html
