"""HTML → PDF with WeasyPrint, and the QR code every form carries.

Kept apart from the data gathering (services.py) so the portal, the desk and the tests can
render any form from a plain context dictionary.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import segno
from django.conf import settings
from django.template.loader import render_to_string

PRINT_CSS = Path(__file__).resolve().parent / "static" / "forms_print" / "print.css"


@lru_cache(maxsize=1)
def _stylesheet():
    from weasyprint import CSS
    return CSS(filename=str(PRINT_CSS))


def render_html(template_name: str, context: dict) -> str:
    return render_to_string(template_name, context)


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render ``template_name`` with ``context`` and return the PDF bytes (A4, serif 13pt)."""
    from weasyprint import HTML
    html = render_html(template_name, context)
    return HTML(string=html, base_url=str(PRINT_CSS.parent)).write_pdf(stylesheets=[_stylesheet()])


def lookup_url(code: str) -> str:
    """The public lookup page for one dossier (the portal serves /tra-cuu/)."""
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/tra-cuu/?ma={quote(code, safe='')}"


def qr_data_uri(data: str) -> str:
    """An SVG QR code as a data URI, ready for ``<img src>`` in the printed page."""
    return segno.make(data, error="m").svg_data_uri(scale=4, border=2)
