"""Builds the export archive of one person, streamed: rows are written into the zip entry by
entry as the querysets are iterated (``.iterator()``), and the zip goes to a temporary file that
is then copied to private storage in chunks. Nothing holds the whole archive in memory.

The format is documented in ``docs/data-export.md``.
"""

import csv
import io
import json
import tempfile
import zipfile
from collections.abc import Callable

from django.core.files import File
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.privacy import registry

SCHEMA_VERSION = "1.0"


def _entity_name(entry) -> str:
    return entry.label.lower()


def _write_entity(zf: zipfile.ZipFile, entry, queryset) -> tuple[list[str], int]:
    """JSON (an array of objects) and CSV (same rows, nested values as JSON text) for one model.
    A zip takes one entry at a time, so the rows are iterated once per format."""
    name = _entity_name(entry)
    json_path, csv_path = f"data/{name}.json", f"data/{name}.csv"
    count = 0
    with zf.open(json_path, "w", force_zip64=True) as json_raw:
        json_raw.write(b"[")
        for row in entry.export_rows(queryset):
            json_raw.write((b",\n" if count else b"\n") + json.dumps(row, ensure_ascii=False).encode())
            count += 1
        json_raw.write(b"\n]\n")
    with zf.open(csv_path, "w", force_zip64=True) as csv_raw:
        csv_text = io.TextIOWrapper(csv_raw, encoding="utf-8", newline="")
        writer = None
        for row in entry.export_rows(queryset):
            if writer is None:
                writer = csv.DictWriter(csv_text, fieldnames=list(row))
                writer.writeheader()
            writer.writerow(
                {key: json.dumps(value) if isinstance(value, dict | list) else value for key, value in row.items()}
            )
        if writer is None:
            csv.writer(csv_text).writerow(entry.field_names())
        csv_text.flush()
        csv_text.detach()
    return [json_path, csv_path], count


def _index_html(subject_label: str, generated_at: str, files: list[dict]) -> str:
    """A static page to browse the archive (no scripts, no styles needed)."""
    rows = "\n".join(
        f'<tr><td><a href="{escape(f["path"])}">{escape(f["path"])}</a></td>'
        f"<td>{escape(f.get('model', ''))}</td><td>{f.get('rows', '')}</td></tr>"
        for f in files
    )
    title = escape(_("Personal data export"))
    person, generated, file_, data, rows_label = (
        escape(_("Person")),
        escape(_("Generated")),
        escape(_("File")),
        escape(_("Data")),
        escape(_("Rows")),
    )
    return (
        f'<!doctype html>\n<html lang="{escape(get_language() or "en")}"><head><meta charset="utf-8">'
        f"<title>{title} — {escape(subject_label)}</title></head><body>"
        f"<h1>{title}</h1><p>{person}: {escape(subject_label)}<br>"
        f"{generated}: {escape(generated_at)}</p>"
        f"<table><thead><tr><th>{file_}</th><th>{data}</th><th>{rows_label}</th></tr>"
        f"</thead><tbody>\n{rows}\n</tbody></table></body></html>\n"
    )


def build_archive(subject, *, progress: Callable[[int], None] | None = None):
    """Writes the archive to a temporary file; returns (open temp file positioned at 0, manifest)."""
    generated_at = timezone.now().isoformat()
    entries = registry.entries()
    tmp = tempfile.TemporaryFile(suffix=".zip")  # noqa: SIM115 - returned to the caller, who closes it
    files: list[dict] = []
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for number, entry in enumerate(entries, start=1):
            paths, count = _write_entity(zf, entry, entry.queryset_for(subject))
            for path in paths:
                files.append(
                    {
                        "path": path,
                        "format": path.rsplit(".", 1)[1],
                        "model": entry.label,
                        "category": entry.category,
                        "rows": count,
                    }
                )
            if entry.files is not None:
                for name, fileobj in entry.files(subject):
                    path = f"files/{_entity_name(entry)}/{name}"
                    with fileobj.open("rb") as source, zf.open(path, "w", force_zip64=True) as target:
                        for chunk in iter(lambda source=source: source.read(64 * 1024), b""):
                            target.write(chunk)
                    files.append({"path": path, "format": "file", "model": entry.label, "category": entry.category})
            if progress is not None:
                progress(int(90 * number / max(len(entries), 1)))
        files.append({"path": "index.html", "format": "html"})
        manifest = {
            "schema_version": SCHEMA_VERSION,
            "subject": {"id": subject.pk, "email": subject.email, "name": subject.get_full_name()},
            "generated_at": generated_at,
            "files": files,
        }
        zf.writestr("index.html", _index_html(subject.email, generated_at, files))
        zf.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
    tmp.seek(0)
    return File(tmp, name="export.zip"), manifest
