"""The translatable labels of the shipped fitness-test and badge data files are listed for
makemessages in the generated ``assessments/data_strings.py`` and ``progress/data_strings.py``; they
must be regenerated (``scripts/assessments_progress_data_strings.py``) whenever a data file changes,
or new names would silently stay English in Spanish pages."""

import json
import runpy
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def test_data_strings_modules_are_current():
    script = runpy.run_path(str(ROOT / "scripts" / "assessments_progress_data_strings.py"), run_name="check")
    for target, content in script["rendered"]().items():
        assert target.read_text(encoding="utf-8") == content, (
            f"run scripts/assessments_progress_data_strings.py ({target.name})"
        )


def test_every_shipped_test_and_badge_name_is_listed():
    listed = (ROOT / "assessments" / "data_strings.py").read_text(encoding="utf-8")
    listed += (ROOT / "progress" / "data_strings.py").read_text(encoding="utf-8")
    tests = json.loads((ROOT / "assessments" / "data" / "fitness_tests.json").read_text(encoding="utf-8"))["tests"]
    badges = json.loads((ROOT / "progress" / "data" / "achievements.json").read_text(encoding="utf-8"))["badges"]
    for text in [test["name"] for test in tests] + [badge["name"] for badge in badges]:
        assert json.dumps(text, ensure_ascii=False) in listed
