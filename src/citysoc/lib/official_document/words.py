"""The fixed wording of an official document, the same in its DOCX and its PDF: the national
motto, the place and date line, and the "Nơi nhận" of a report sent upward."""

from __future__ import annotations

import datetime as dt

from citysoc.lib import bodies

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"


def vietnamese_date(place: str, date: dt.date | None, year: int | None = None) -> str:
    """'Tam Điệp, ngày 05 tháng 01 năm 2025' — a zero before days under 10 and months 1-2."""
    if date is None:
        return f"{place}, ngày     tháng     năm {year or ''}".rstrip()
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    return f"{place}, ngày {date.day:02d} tháng {month} năm {date.year}"


def report_copies(on: dt.date, *extra: str) -> str:
    """ "Nơi nhận" of a report sent upward on `on`: the provincial body for network
    information security in force that day (b/c), then `extra` lines, then the archive."""
    upward = bodies.in_force("provincial_security", on).short
    return "\n".join([f"{upward} (b/c);", *extra, "Lưu: VT."])
