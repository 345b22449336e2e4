"""The translatable labels of the safety data files are listed for makemessages in the generated
``safety/data_strings.py``; it must be regenerated (``scripts/safety_data_strings.py``) whenever a
data file changes, or new labels would silently stay English in Spanish pages."""

import runpy
from pathlib import Path

from django.conf import settings


def test_data_strings_module_is_current():
    script = runpy.run_path(str(Path(settings.BASE_DIR) / "scripts" / "safety_data_strings.py"), run_name="check")
    current = (Path(settings.BASE_DIR) / "safety" / "data_strings.py").read_text(encoding="utf-8")
    assert script["render"]() == current
