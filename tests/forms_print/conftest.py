"""Fixtures shared with the dossier tests, plus helpers to read a PDF back as text."""
import io
import re

import pytest
from pypdf import PdfReader

from tests.dossiers.conftest import (  # noqa: F401  (fixtures re-exported for pytest)
    MONDAY_9AM, agencies, at, procedure, province, received_dossier, reception_for, users,
)


def pdf_text(content: bytes) -> str:
    """All text of a PDF with whitespace collapsed (pypdf may split lines anywhere)."""
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", text)


def pdf_pages(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client
    return login
