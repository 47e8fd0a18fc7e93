"""Assessments: the checklist of a level, answers, score, gaps, diff and completion."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from citysoc.compliance import assessing
from citysoc.compliance.models import Assessment, AssessmentItem, Library, Requirement
from citysoc.inventory.models import SecurityRegime
from tests import factories

_seq = itertools.count(1)

# (ref, parent ref, assessable, levels, extra fields): two top-level groups, a sub-group,
# requirements for every level, for levels 3-5, and some for level 4 only.
NODES = [
    ("1", None, False, [1, 2, 3, 4, 5], {"title": "Quản lý"}),
    ("1.1", "1", True, [1, 2, 3, 4, 5], {"title": "Chính sách ATTT"}),
    (
        "1.2",
        "1",
        True,
        [3, 4, 5],
        {
            "title": "Lưu nhật ký",
            "official": False,
            "source": "bài tổng hợp",
            "typical_evidence": "Cấu hình syslog",
            "thresholds": {"log_retention_months": {"3": 3, "4": 6}},
        },
    ),
    ("1.3", "1", False, [4, 5], {"title": "Kiểm tra định kỳ"}),
    ("1.3.1", "1.3", True, [4, 5], {"title": "Kiểm thử xâm nhập hằng năm"}),
    ("2", None, False, [1, 2, 3, 4, 5], {"title": "Kỹ thuật"}),
    ("2.1", "2", True, [2, 3], {"title": "Tường lửa"}),
    ("2.2", "2", True, [3, 4, 5], {"title": "Phòng chống mã độc"}),
    ("2.3", "2", True, [4], {"title": "Giám sát tập trung (chỉ cấp độ 4)"}),
]
LEVEL_3 = ["1.1", "1.2", "2.1", "2.2"]


def make_library(*, ref_id: str = "TT12", version: int = 1, nodes=NODES, urn_base="") -> Library:
    """A small library of the regime in force today, with the NODES tree."""
    regime = SecurityRegime.in_force(timezone.localdate())
    base = urn_base or f"urn:test:{ref_id.lower()}"
    library = Library.objects.create(
        urn=f"{base}:v{version}:{next(_seq)}",
        ref_id=ref_id,
        name=f"Bộ tiêu chí {ref_id}",
        version=version,
        regime=regime,
        valid_from=regime.valid_from,
    )
    made: dict[str, Requirement] = {}
    for order, (ref, parent, assessable, levels, extra) in enumerate(nodes, start=1):
        made[ref] = Requirement.objects.create(
            library=library,
            urn=f"{library.urn}:{ref}",
            ref_id=ref,
            parent=made.get(parent),
            order=order,
            depth=ref.count(".") + 1,
            assessable=assessable,
            levels=levels,
            **extra,
        )
    return library


def refs(assessment: Assessment) -> list[str]:
    return list(
        assessment.items.order_by("requirement__order").values_list(
            "requirement__ref_id", flat=True
        )
    )


def item(assessment: Assessment, ref: str) -> AssessmentItem:
    return assessment.items.select_related("assessment").get(requirement__ref_id=ref)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def library(db):
    return make_library()


@pytest.fixture
def system_a(unit_a):
    return factories.make_system(unit_a, name="Cổng thông tin phường", level=3)


def test_a_level_3_checklist_has_the_level_3_items_and_no_level_4_only_item(
    library, system_a, officer_a
):
    assessment = assessing.start(system_a, library, by=officer_a)
    assert refs(assessment) == LEVEL_3
    assert (assessment.unit, assessment.level) == (system_a.unit, 3)
    assert assessment.started_by == officer_a


def test_a_level_4_checklist_has_the_level_4_items(library, unit_a, officer_a):
    system = factories.make_system(unit_a, level=4)
    assessment = assessing.start(system, library, by=officer_a)
    assert refs(assessment) == ["1.1", "1.2", "1.3.1", "2.2", "2.3"]


def test_a_system_without_a_level_cannot_be_assessed(library, unit_a, officer_a):
    system = factories.make_system(unit_a, name="Chưa xác định cấp độ", level=None)
    with pytest.raises(ValueError, match="no security level"):
        assessing.start(system, library, by=officer_a)
    assert not Assessment.objects.exists()


def test_the_libraries_offered_are_those_in_force_for_the_regime(library, system_a):
    old = SecurityRegime.objects.get(code="nd85-2016")
    expired = make_library(ref_id="TT03")
    expired.regime = old
    expired.valid_from = datetime.date(2017, 1, 1)
    expired.valid_to = datetime.date(2022, 6, 30)
    expired.save()
    assert assessing.libraries_for(system_a) == [library]
    assert assessing.libraries_for(system_a, on=datetime.date(2020, 1, 1)) == [expired]


def test_answering_items_moves_the_score(library, system_a, officer_a):
    assessment = assessing.start(system_a, library, by=officer_a)
    assert assessing.progress(assessment).overall.score == 0
    assessing.answer(item(assessment, "1.1"), by=officer_a, status="met")
    assert assessing.progress(assessment).overall.score == 25.0
    assessing.answer(item(assessment, "1.2"), by=officer_a, status="partly", gap_owner="Tổ CNTT")
    assessing.answer(item(assessment, "2.1"), by=officer_a, status="not_met")
    assessing.answer(
        item(assessment, "2.2"), by=officer_a, status="not_applicable", reason="Không có máy trạm"
    )
    progress = assessing.progress(assessment)
    # (1 + 0.5 + 0) / 3 applicable items: the not applicable one is left out.
    assert progress.overall.score == 50.0
    assert progress.overall.percent_answered == 100
    by_group = {g.group.ref_id: g.tally for g in progress.groups}
    assert (by_group["1"].met, by_group["1"].partly, by_group["1"].score) == (1, 1, 75.0)
    assert (by_group["2"].not_met, by_group["2"].not_applicable, by_group["2"].score) == (1, 1, 0)
    answered = item(assessment, "1.1")
    assert answered.assessor == officer_a
    assert answered.assessed_on == timezone.localdate()


def test_not_applicable_needs_a_reason(library, system_a, officer_a):
    assessment = assessing.start(system_a, library, by=officer_a)
    with pytest.raises(ValidationError) as caught:
        assessing.answer(item(assessment, "1.1"), by=officer_a, status="not_applicable")
    assert "reason" in caught.value.message_dict
    assert item(assessment, "1.1").status == "not_assessed"


def test_the_gap_report_lists_exactly_the_not_met_and_partly_met_items(
    library, system_a, officer_a
):
    assessment = assessing.start(system_a, library, by=officer_a)
    due = datetime.date(2027, 3, 31)
    assessing.answer(item(assessment, "1.1"), by=officer_a, status="met", gap_owner="ignored")
    assessing.answer(
        item(assessment, "1.2"), by=officer_a, status="not_met", gap_owner="Tổ CNTT", gap_due=due
    )
    assessing.answer(item(assessment, "2.2"), by=officer_a, status="partly", gap_owner="Anh Minh")
    gaps = assessing.gaps(assessment)
    assert [(g.requirement.ref_id, g.gap_owner, g.gap_due) for g in gaps] == [
        ("1.2", "Tổ CNTT", due),
        ("2.2", "Anh Minh", None),
    ]
    # An owner given for a met item is not kept: only gaps have owners.
    assert item(assessment, "1.1").gap_owner == ""


def test_gaps_across_assessments_keep_each_systems_own(library, system_a, unit_b, officer_a):
    first = assessing.start(system_a, library, by=officer_a)
    other = assessing.start(factories.make_system(unit_b, level=3), library, by=None)
    assessing.answer(item(first, "2.1"), by=officer_a, status="not_met")
    assessing.answer(item(other, "1.1"), by=None, status="partly")
    mine = Assessment.objects.filter(unit=system_a.unit)
    assert [g.requirement.ref_id for g in assessing.gaps(mine)] == ["2.1"]


def test_evidence_files_are_attached_to_the_item(library, system_a, officer_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assessment = assessing.start(system_a, library, by=officer_a)
    target = item(assessment, "1.2")
    upload = SimpleUploadedFile("syslog.conf.txt", b"*.* @@10.0.0.5")
    evidence = assessing.attach(target, by=officer_a, file=upload, note="cấu hình")
    assert (evidence.filename, evidence.uploaded_by, evidence.unit_id) == (
        "syslog.conf.txt",
        officer_a,
        system_a.unit_id,
    )
    settings.UPLOAD_MAX_BYTES = 4
    with pytest.raises(ValidationError) as caught:
        assessing.attach(target, by=officer_a, file=SimpleUploadedFile("big.bin", b"12345"))
    assert "big.bin" in caught.value.message_dict["file"][0]
    assert target.evidence.count() == 1


def test_the_diff_compares_two_assessments_of_the_same_library(library, system_a, officer_a):
    before = assessing.start(system_a, library, by=officer_a)
    assessing.answer(item(before, "1.1"), by=officer_a, status="not_met")
    assessing.answer(item(before, "1.2"), by=officer_a, status="met")
    after = assessing.start(system_a, library, by=officer_a)
    assessing.answer(item(after, "1.1"), by=officer_a, status="met")
    assessing.answer(item(after, "1.2"), by=officer_a, status="met")
    rows = [(r.ref_id, r.before, r.after, r.changed) for r in assessing.diff(before, after)]
    assert rows == [
        ("1.1", "not_met", "met", True),
        ("1.2", "met", "met", False),
        ("2.1", "not_assessed", "not_assessed", False),
        ("2.2", "not_assessed", "not_assessed", False),
    ]


def test_the_diff_lines_up_a_newer_library_version(system_a, officer_a, unit_a):
    v1 = make_library(version=1)
    # Version 2 drops 2.1 and adds 2.4; every requirement URN is new (URNs are unique),
    # so the unchanged requirements are matched by their reference.
    v2_nodes = [n for n in NODES if n[0] != "2.1"] + [("2.4", "2", True, [3], {"title": "Sao lưu"})]
    v2 = make_library(version=2, nodes=v2_nodes)
    before = assessing.start(system_a, v1, by=officer_a)
    assessing.answer(item(before, "1.1"), by=officer_a, status="not_met")
    after = assessing.start(system_a, v2, by=officer_a)
    assessing.answer(item(after, "1.1"), by=officer_a, status="met")
    rows = {r.ref_id: (r.before, r.after, r.changed) for r in assessing.diff(before, after)}
    assert rows == {
        "1.1": ("not_met", "met", True),
        "1.2": ("not_assessed", "not_assessed", False),
        "2.2": ("not_assessed", "not_assessed", False),
        "2.4": (None, "not_assessed", True),
        "2.1": ("not_assessed", None, True),
    }
    other = assessing.start(factories.make_system(unit_a, level=3), v1, by=officer_a)
    with pytest.raises(ValueError, match="same system"):
        assessing.diff(before, other)


def test_complete_needs_every_item_answered_and_freezes_the_answers(library, system_a, officer_a):
    assessment = assessing.start(system_a, library, by=officer_a)
    with pytest.raises(ValueError, match="Items not assessed yet: 4"):
        assessing.complete(assessment)
    for ref in LEVEL_3:
        assessing.answer(item(assessment, ref), by=officer_a, status="met")
    assessing.complete(assessment)
    assert (assessment.status, assessment.completed_on) == ("completed", timezone.localdate())
    with pytest.raises(ValidationError, match="completed"):
        assessing.answer(item(assessment, "1.1"), by=officer_a, status="not_met")


def test_the_checklist_groups_items_and_shows_thresholds_for_the_level(
    library, system_a, officer_a
):
    assessment = assessing.start(system_a, library, by=officer_a)
    sections = assessing.checklist(assessment)
    assert [(s.group.ref_id, [i.requirement.ref_id for i in s.items]) for s in sections] == [
        ("1", ["1.1", "1.2"]),
        ("2", ["2.1", "2.2"]),
    ]
    logging_item = sections[0].items[1]
    assert logging_item.thresholds == {"log_retention_months": 3}
