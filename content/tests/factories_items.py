"""Helpers for the items area's tests: upcoming sessions of a taught class, upload bytes."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from physed.tests.factories import ClassSessionFactory, PEClassFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def upcoming_session(school, teacher=None, days=7):
    pe_class = PEClassFactory(school=school)
    if teacher is not None:
        pe_class.teachers.add(teacher)
    return ClassSessionFactory(pe_class=pe_class, date=timezone.localdate() + datetime.timedelta(days=days))


def pdf_upload(name="plan.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")
