"""The weekly report: written as DOCX, PDF and XLSX, by hand and mailed to the leaders."""

from __future__ import annotations

import io
from email.header import decode_header, make_header

import docx
import openpyxl
import pytest

from citysoc.cli import main
from citysoc.core.models import Person
from citysoc.notify import outbox
from citysoc.reports import mailing
from tests import factories


@pytest.fixture
def leaders(city):
    factories.make_user("chairman", unit=city, role=Person.Role.VIEWER)
    factories.make_user("soc_head", unit=city, role=Person.Role.CITY_ADMIN)


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_citysoc_report_weekly_writes_the_three_formats(small_city, tmp_path, capsys):
    out = {fmt: tmp_path / f"weekly.{fmt}" for fmt in ("docx", "pdf", "xlsx")}
    code = main(
        [
            "report",
            "weekly",
            "--docx",
            str(out["docx"]),
            "--pdf",
            str(out["pdf"]),
            "--xlsx",
            str(out["xlsx"]),
        ]
    )
    assert code == 0, capsys.readouterr().err
    text = _docx_text(out["docx"].read_bytes())
    assert "Báo cáo tuần" in text and "Phường Bắc Sơn" in text and "56,3" in text
    assert out["pdf"].read_bytes().startswith(b"%PDF")
    sheet = openpyxl.load_workbook(out["xlsx"]).worksheets[0]
    names = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert "Phường Bắc Sơn" in names
    assert "Phường Bắc Sơn" in capsys.readouterr().out


@pytest.mark.parametrize("kind", ["half-year", "year"])
def test_the_six_monthly_and_yearly_reports_come_from_the_same_figures(
    client_as, small_city, city_admin, kind
):
    response = client_as(city_admin).get(f"/reports/download/?kind={kind}&fmt=docx")
    assert response.status_code == 200
    assert "Phường Bắc Sơn" in _docx_text(response.content)
    stem = {"half-year": "bao-cao-6-thang-", "year": "bao-cao-nam-"}[kind]
    assert f'filename="{stem}' in response["Content-Disposition"]  # named in Vietnamese


def test_the_weekly_report_is_mailed_to_the_citys_leaders(small_city, leaders, smtp):
    mailing.mail_report("weekly")
    mailing.mail_report("weekly")  # a rerun the same day sends nothing new
    outbox.send_due()
    weekly = [m for m in smtp if "Báo cáo tuần" in _subject(m)]
    assert sorted(m["To"] for m in weekly) == ["chairman@example.gov.vn", "soc_head@example.gov.vn"]
    body = weekly[0].get_payload(decode=True).decode()
    assert "Phường Bắc Sơn" in body and "/reports/download/?kind=weekly&fmt=docx" in body


def test_the_scheduled_job_mails_the_weekly_report_on_mondays_only(small_city, leaders):
    import datetime as dt

    from citysoc.notify.models import Message

    monday = small_city - dt.timedelta(days=small_city.weekday())
    assert mailing.mail_weekly_if_due(monday + dt.timedelta(days=2)) is None
    assert mailing.mail_weekly_if_due(monday) is not None
    assert mailing.mail_weekly_if_due(monday) == mailing.mail_weekly_if_due(monday)
    assert Message.objects.filter(topic=mailing.TOPIC).count() == 1


def _subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def _figures(*scores: float):
    import datetime as dt

    from citysoc.core.models import Unit
    from citysoc.reports.periodic import Figures
    from citysoc.reports.scoring import UnitScore

    rows = [
        UnitScore(unit=Unit(name=f"Phường {n}"), score=s, rank=n)
        for n, s in enumerate(scores, start=1)
    ]
    return Figures(
        "weekly", "Báo cáo tuần", dt.date(2026, 12, 1), dt.date(2026, 12, 7), None, [], rows
    )


@pytest.mark.parametrize(
    ("scores", "said", "not_said"),
    [
        ((81.5, 60.0, 42.25), "Cao nhất: Phường 1 (81,5); thấp nhất: Phường 3 (42,2).", ""),
        ((70.0,), "Chỉ một đơn vị đủ số liệu để xếp hạng: Phường 1 (70,0).", "thấp nhất"),
        ((55.0, 55.0), "2 đơn vị được xếp hạng cùng đạt 55,0 điểm.", "thấp nhất"),
    ],
)
def test_the_summary_names_highest_and_lowest_only_when_they_differ(scores, said, not_said):
    from citysoc.reports import documents

    text = documents.summary(_figures(*scores))
    assert said in text
    assert not not_said or not_said not in text
