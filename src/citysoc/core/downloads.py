"""A file handed to the browser as a download (exports, reports, sensor lists)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse


def attachment(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def stored_file(upload) -> FileResponse:
    """An uploaded file (`.file`, `.filename`) as a download; 404 if it left the disk."""
    try:
        handle = upload.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=upload.filename)
