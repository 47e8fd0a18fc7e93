"""Decree 331/2026 level criteria (Art. 11-16, verbatim) in the level helper, its procedure
(forms Mẫu 01-08, working-day limits) and its date of force."""

from __future__ import annotations

import datetime

import pytest

from citysoc.compliance import levels, libraries
from citysoc.compliance.models import Library

ND331 = libraries.SHIPPED_DIR / "nd331-tcvn14423.yaml"


@pytest.fixture(scope="module")
def doc():
    return libraries.read_document(ND331)


def propose(doc, **answers) -> levels.Proposal:
    return levels.propose(answers, [doc])["nd331-2026"]


@pytest.mark.parametrize(
    ("answers", "level", "article"),
    [
        ({"infra_scope": "international"}, 5, "Điều 15 khoản 3"),
        ({"infra_scope": "nationwide"}, 4, "Điều 14 khoản 2"),
        ({"info_classes": ["state_secret"]}, 3, "Điều 13 khoản 1"),
        ({"harm_level": "harm"}, 3, "Điều 13 khoản 1"),
        ({"harm_level": "serious"}, 4, "Điều 14 khoản 1"),
        ({"harm_level": "especially_serious"}, 5, "Điều 15 khoản 1"),
        ({"ics_grade": "III"}, 3, "Điều 13 khoản 4"),
        ({"ics_grade": "I"}, 4, "Điều 14 khoản 3"),
        ({"ics_grade": "special"}, 5, "Điều 15 khoản 4"),
        ({"national_data": True}, 5, "Điều 15 khoản 2"),
        ({"decided_level": "2"}, 2, "Điều 12 khoản 4"),
        ({"decided_level": "3"}, 3, "Điều 13 khoản 5"),
        ({"decided_level": "4"}, 4, "Điều 14 khoản 4"),
        ({"decided_level": "5"}, 5, "Điều 15 khoản 5"),
        ({"national_critical": True}, 5, "Điều 16"),
        ({"handles_tthc": True}, 3, "Điều 13 khoản 2 điểm b"),
    ],
)
def test_each_criterion_gives_its_level_with_its_article(doc, answers, level, article):
    proposal = propose(doc, **answers)
    assert proposal.level == level
    assert any(reason.startswith(f"NĐ 331/2026 {article}:") for reason in proposal.reasons)


def test_international_interconnection_is_level_5_not_4(doc):
    proposal = propose(doc, system_type="infrastructure", infra_scope="international")
    assert proposal.level == 5
    assert proposal.reasons == [
        "NĐ 331/2026 Điều 15 khoản 3: Hệ thống cơ sở hạ tầng thông tin quốc gia phục vụ kết "
        "nối liên thông hoạt động của Việt Nam với quốc tế"
    ]


def test_every_criterion_is_official_and_cites_an_article_of_11_to_16(doc):
    articles = {c["article"].split(" khoản")[0] for c in doc["level_criteria"]}
    assert articles == {f"NĐ 331/2026 Điều {n}" for n in range(11, 17)}
    assert all(c["official"] for c in doc["level_criteria"])


def test_the_helper_asks_the_new_questions(doc):
    asked = {q.id for q in levels.questions([doc])}
    assert {"harm_level", "ics_grade", "national_data", "decided_level"} <= asked


def test_the_library_is_in_force_from_the_decree_date(doc):
    assert doc["valid_from"] == "2026-08-19"


def test_the_procedure_lists_the_forms_and_working_day_limits(db):
    libraries.load_file(ND331)
    library = Library.objects.get(urn="urn:citysoc:library:nd331-tcvn14423")
    assert [f["code"] for f in library.procedure["forms"]] == [f"Mẫu 0{n}" for n in range(1, 9)]
    level_3 = levels.procedure_for(library, 3)
    assert {(x["working_days"], x["article"]) for x in level_3["limits"]} == {
        (5, "Điều 23 khoản 2"),
        (15, "Điều 23 khoản 3 điểm a"),
        (7, "Điều 24 khoản 2"),
    }
    assert [x["working_days"] for x in levels.procedure_for(library, 5)["limits"]] == [5, 25, 7]
    assert "Mẫu 07" in [f["code"] for f in levels.procedure_for(library, 5)["forms"]]
    assert library.valid_from == datetime.date(2026, 8, 19)
