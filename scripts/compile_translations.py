"""Builds .mo files from the committed .po sources with polib, so a fresh machine needs no
gettext tools (Django's compilemessages needs msgfmt). Rebuilds only what is out of date."""

from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent

for po_path in sorted(ROOT.glob("locale/*/LC_MESSAGES/*.po")):
    mo_path = po_path.with_suffix(".mo")
    if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        continue
    polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
    print(f"compiled {mo_path.relative_to(ROOT)}")
