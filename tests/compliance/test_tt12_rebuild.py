"""The Decree 85 library rebuilt from Circular 12/2022 Phụ lục I-V, and the move of answers
made with the earlier version to its rows."""

from __future__ import annotations

import importlib
from collections import Counter

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile

from citysoc.compliance import assessing, libraries
from citysoc.compliance.models import (
    Assessment,
    AssessmentItem,
    ItemEvidence,
    Library,
    Requirement,
)
from tests import factories
from tests.compliance.test_libraries import dump, raw

ND85 = libraries.SHIPPED_DIR / "nd85-tt12-tcvn11930.yaml"
URN = "urn:citysoc:library:nd85-tt12-tcvn11930"
P = "urn:citysoc:req:nd85-tt12-tcvn11930:"

# The source table (TT 12 Phụ lục I-V; regulatory sources §2a): assessable rows per level.
MANAGEMENT = [15, 18, 22, 22, 22]  # x.1.1-x.1.5 sub-clauses + risk plan + decommission plan
CONFIGURATION = [13, 17, 21, 21, 21]  # x.2.1-x.2.4 sub-clauses
ZONES = [3, 5, 7, 8, 8]  # minimum network zones, listed in one row per level
DESIGN_MEASURES = [3, 6, 16, 17, 19]  # II.1.b i, ii, …


def doc() -> dict:
    return libraries.read_document(ND85)


def rows_at(level: int) -> list[dict]:
    return [r for r in doc()["requirements"] if r["assessable"] and r["levels"] == [level]]


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_each_level_has_exactly_the_rows_of_its_annex(level):
    rows = rows_at(level)
    annex = ["I", "II", "III", "IV", "V"][level - 1]
    design = [r for r in rows if r["ref_id"].startswith(f"PL {annex}.II.1.")]
    zones = [r for r in design if r["ref_id"].endswith(".a")]
    clause = str(4 + level)
    management = [r for r in rows if r["kind"] == "management"]
    configuration = [r for r in rows if r["ref_id"].startswith(f"{clause}.2.")]
    assert len(management) == MANAGEMENT[level - 1]
    assert len(configuration) == CONFIGURATION[level - 1]
    assert len(design) - 1 == DESIGN_MEASURES[level - 1]
    assert len(zones) == 1 and zones[0]["title"].count("Vùng") == ZONES[level - 1]
    assert len(rows) == [32, 42, 60, 61, 63][level - 1]
    # Each row uses its own level's clause number and cites its own annex.
    assert all(
        r["ref_id"].startswith((clause, f"PL {annex}.")) and f"Phụ lục {annex}," in r["source"]
        for r in rows
    )
    assert all(r["official"] and not r["guidance_confirmed"] for r in rows)


def test_clause_numbers_shift_between_levels_as_in_the_annexes():
    titles = {(r["levels"][0], r["ref_id"]): r["title"] for r in doc()["requirements"]}
    assert titles[(2, "6.1.5.4")] == "Quản lý sự cố an toàn thông tin"
    assert titles[(3, "7.1.5.4")] == "Quản lý an toàn thiết bị đầu cuối"
    assert titles[(1, "5.2.1.4")] == "Phòng chống xâm nhập"
    assert titles[(2, "6.2.1.5")] == "Phòng chống xâm nhập"
    assert titles[(2, "6.2.4.1")] == "Bảo mật dữ liệu"  # D9: confidentiality from level 2
    assert titles[(3, "7.2.4.1")] == "Nguyên vẹn dữ liệu"  # integrity from level 3
    assert "30 km" in titles[(5, "PL V.II.1.b.xviii")]


def test_operations_floors_follow_the_circular():
    """D4: malware, monitoring and vulnerability management from level 3, incident from 2."""
    for level in (1, 2):
        titles = {r["title"] for r in rows_at(level)}
        assert "Quản lý phòng chống phần mềm độc hại" not in titles
        assert "Quản lý điểm yếu an toàn thông tin" not in titles
        assert "Quản lý giám sát an toàn hệ thống thông tin" not in titles
    assert "Quản lý sự cố an toàn thông tin" in {r["title"] for r in rows_at(2)}
    assert "Quản lý phòng chống phần mềm độc hại" in {r["title"] for r in rows_at(3)}


def test_a_level_1_checklist_has_the_level_1_rows_of_d5_to_d7(db, unit_a, officer_a):
    libraries.load_file(ND85)
    library = Library.objects.get(urn=URN)
    system = factories.make_system(unit_a, name="Trang tin nội bộ", level=1)
    assessment = assessing.start(system, library, by=officer_a)
    got = {i.requirement.ref_id: i.requirement.title for i in assessment.items.all()}
    # D5: risk and decommission plans (Phụ lục I 1.6, 1.7)
    assert "Quản lý rủi ro" in got["PL I.I.1.6"] and "Kết thúc vận hành" in got["PL I.I.1.7"]
    # D6: network log, intrusion prevention, device protection; DMZ; VPN; firewall with IPS
    assert (got["5.2.1.3"], got["5.2.1.4"], got["5.2.1.5"]) == (
        "Nhật ký hệ thống",
        "Phòng chống xâm nhập",
        "Bảo vệ thiết bị hệ thống",
    )
    assert "Vùng DMZ" in got["PL I.II.1.a"]
    assert "mạng riêng ảo" in got["PL I.II.1.b.i"]
    assert "Tường lửa có tích hợp chức năng phòng, chống xâm nhập" in got["PL I.II.1.b.ii"]
    # D7: server access control, log, intrusion prevention
    assert (got["5.2.2.2"], got["5.2.2.3"], got["5.2.2.4"]) == (
        "Kiểm soát truy cập",
        "Nhật ký hệ thống",
        "Phòng chống xâm nhập",
    )
    assert len(got) == 32


# --- answers made with version 2 move to the rebuilt rows ------------------------------------


def _old_row(library: Library, ref: str, order: int) -> Requirement:
    """A version-2 row as the loader leaves it after the rebuild: kept, at no level."""
    return Requirement.objects.create(
        library=library,
        urn=P + ref,
        ref_id=ref,
        order=order,
        levels=[],
        title=f"Mục cũ {ref}",
        official=False,
        source="version 2",
    )


def _evidence(item: AssessmentItem, name: str, by) -> ItemEvidence:
    return ItemEvidence.objects.create(
        item=item, file=SimpleUploadedFile(name, b"%PDF-1.4 test"), filename=name, uploaded_by=by
    )


def test_the_migration_moves_answers_and_evidence_to_the_new_rows(db, unit_a, officer_a):
    libraries.load_file(ND85)
    library = Library.objects.get(urn=URN)
    system = factories.make_system(unit_a, name="Một cửa điện tử phường", level=2)
    assessment = Assessment.objects.create(
        unit=unit_a, system=system, library=library, level=2, library_version=2
    )
    inbound = AssessmentItem.objects.create(
        assessment=assessment,
        requirement=_old_row(library, "5.2.1.8", 900),
        status="met",
        note="Chỉ mở cổng 443",
        evidence_link="https://intranet.example/fw-rules",
    )
    remote = AssessmentItem.objects.create(
        assessment=assessment,
        requirement=_old_row(library, "6.2.1.9", 901),
        status="not_met",
        note="Quản trị từ xa chưa qua VPN",
        gap_owner="Tổ CNTT",
    )
    endpoint = AssessmentItem.objects.create(
        assessment=assessment,
        requirement=_old_row(library, "6.1.5.4", 902),  # endpoint mgmt: no level-2 row
        status="partly",
    )
    AssessmentItem.objects.create(
        assessment=assessment, requirement=_old_row(library, "5.1.5.5", 903)
    )  # malware mgmt, never answered, no level-2 row
    files = [
        _evidence(inbound, "fw.pdf", officer_a),
        _evidence(remote, "vpn.pdf", officer_a),
        _evidence(endpoint, "usb.pdf", officer_a),
    ]

    migration = importlib.import_module(
        "citysoc.compliance.migrations.0004_move_answers_to_rebuilt_rows"
    )
    migration.move_answers(django_apps, None)

    new = AssessmentItem.objects.get(assessment=assessment, requirement__urn=P + "l2:6.2.1.2")
    assert new.status == "not_met"  # the weaker of the two answers
    assert "Chỉ mở cổng 443" in new.note and "[6.2.1.9] Quản trị từ xa chưa qua VPN" in new.note
    assert new.evidence_link == "https://intranet.example/fw-rules"
    assert new.gap_owner == "Tổ CNTT"
    assert sorted(new.evidence.values_list("filename", flat=True)) == ["fw.pdf", "vpn.pdf"]
    kept = AssessmentItem.objects.get(pk=endpoint.pk)
    assert (kept.status, kept.requirement.ref_id) == ("partly", "6.1.5.4")
    assert list(kept.evidence.values_list("filename", flat=True)) == ["usb.pdf"]
    assert ItemEvidence.objects.count() == len(files)  # no evidence lost
    assessment.refresh_from_db()
    assert "6.1.5.4: no row at level 2" in assessment.library_changes
    assert "5.2.1.8 → 6.2.1.2" in assessment.library_changes
    # In progress: the checklist now has every level-2 row, plus the kept old item.
    assert assessment.items.count() == 42 + 1

    migration.move_answers(django_apps, None)  # a second run changes nothing
    assert assessment.items.count() == 43 and ItemEvidence.objects.count() == 3


def test_loading_the_rebuilt_library_moves_answers_made_with_version_2(
    db, tmp_path, unit_a, officer_a
):
    v2 = raw(ND85)
    v2["version"] = 2
    v2["requirements"] = [
        {"urn": P + "x.2", "ref_id": "x.2", "assessable": False, "title": "Kỹ thuật",
         "levels": [1, 2, 3, 4, 5]},
        {"urn": P + "5.2.1.8", "ref_id": "5.2.1.8", "parent": P + "x.2",
         "title": "Chỉ mở dịch vụ cần thiết", "levels": [1, 2, 3, 4, 5], "official": False,
         "source": "v2"},
        {"urn": P + "5.2.4.3", "ref_id": "5.2.4.3", "parent": P + "x.2",
         "title": "Sao lưu định kỳ", "levels": [1, 2, 3, 4, 5], "official": False,
         "source": "v2"},
    ]  # fmt: skip
    old_file = tmp_path / "nd85-v2.yaml"
    old_file.write_text(dump(v2), encoding="utf-8")
    libraries.load_file(old_file)
    library = Library.objects.get(urn=URN)
    system = factories.make_system(unit_a, name="Trang tin phường", level=1)
    assessment = assessing.start(system, library, by=officer_a)
    backup = assessment.items.get(requirement__ref_id="5.2.4.3")
    assessing.answer(backup, by=officer_a, status="met", note="Sao lưu hằng tuần")
    assessing.attach(
        backup, by=officer_a, file=SimpleUploadedFile("backup-log.pdf", b"%PDF-1.4 log")
    )

    result = libraries.load_file(ND85)

    assert result.status == "updated"
    assert any("moved to the new rows" in note for note in result.notes), result.notes
    moved = AssessmentItem.objects.get(pk=backup.pk)
    assert moved.requirement.urn == P + "l1:5.2.4.1"
    assert (moved.status, moved.note) == ("met", "Sao lưu hằng tuần")
    assert list(moved.evidence.values_list("filename", flat=True)) == ["backup-log.pdf"]
    # The old rows no longer hold anything, so they are gone; the checklist is the annex.
    assert not Requirement.objects.filter(urn__in=[P + "5.2.1.8", P + "5.2.4.3", P + "x.2"]), (
        result.notes
    )
    assert assessment.items.count() == 32
    assert Counter(assessment.items.values_list("status", flat=True))["met"] == 1
