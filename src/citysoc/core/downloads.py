"""A file handed to the browser as a download (exports, reports, sensor lists)."""

from __future__ import annotations

from django.http import HttpResponse


def attachment(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
