"""Framework libraries: the shipped files, loading (idempotent, versioned) and its errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from citysoc import cli
from citysoc.compliance import libraries
from citysoc.compliance.apps import load_libraries_after_migrate
from citysoc.compliance.models import Assessment, AssessmentItem, Duty, Library, Requirement
from citysoc.lib import yamldata
from tests import factories

SHIPPED = sorted(libraries.SHIPPED_DIR.glob("*.yaml"))
ND85 = libraries.SHIPPED_DIR / "nd85-tt12-tcvn11930.yaml"
ND331 = libraries.SHIPPED_DIR / "nd331-tcvn14423.yaml"


# libyaml's writer, as the hub reads with libyaml's parser (citysoc.lib.yamldata): the
# pure-Python pair took about 15 s of this module's 20 on the shipped libraries.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def raw(path: Path) -> dict:
    return yamldata.load(path.read_text(encoding="utf-8"))


def dump(doc: dict) -> str:
    return yaml.dump(doc, Dumper=_DUMPER, allow_unicode=True, sort_keys=False)


def write(folder: Path, name: str, doc: dict) -> Path:
    path = folder / name
    path.write_text(dump(doc), encoding="utf-8")
    return path


def assessable(doc: dict, level: int) -> list[dict]:
    return [r for r in doc["requirements"] if r["assessable"] and level in r["levels"]]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_library_matches_the_schema(path):
    assert libraries.validate(libraries.plain_values(raw(path))) == []


def test_the_shipped_libraries_are_realistic_checklists():
    nd85 = libraries.read_document(ND85)
    # One annex per level (TT 12 Phụ lục I-V), each complete: every row has one level.
    assert all(len(r["levels"]) == 1 for r in nd85["requirements"])
    assert "8.2.1.7" in [r["ref_id"] for r in assessable(nd85, 4)]  # device protection, L4
    nd331 = libraries.read_document(ND331)
    groups = [r for r in nd331["requirements"] if not r["assessable"]]
    assert [len([g for g in groups if lvl in g["levels"]]) for lvl in range(1, 6)] == [
        15, 15, 18, 18, 18,
    ]  # fmt: skip
    retention = next(r for r in nd331["requirements"] if "log_retention_months" in r["thresholds"])
    assert retention["thresholds"]["log_retention_months"] == {"2": 1, "3": 3, "4": 6, "5": 12}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_unofficial_item_names_its_source(path):
    doc = libraries.read_document(path)
    for item in doc["requirements"] + doc["duties"] + doc["level_criteria"]:
        if not item["official"]:
            assert item["source"], item


def test_loading_twice_changes_nothing(db):
    first = libraries.load_all()
    assert {r.status for r in first} == {"loaded"}
    assert [r.urn for r in first] == [
        "urn:citysoc:library:nd331-tcvn14423",
        "urn:citysoc:library:nd85-tt12-tcvn11930",
    ]
    before = list(Library.objects.values_list("urn", "loaded_at", "content_hash", "version"))
    counts = (Requirement.objects.count(), Duty.objects.count())

    again = libraries.load_all()

    assert {r.status for r in again} == {"unchanged"}
    assert (
        list(Library.objects.values_list("urn", "loaded_at", "content_hash", "version")) == before
    )
    assert (Requirement.objects.count(), Duty.objects.count()) == counts
    assert again[1].requirements == first[1].requirements


def test_the_old_regime_library_points_to_its_successor(db):
    libraries.load_all()
    nd85 = Library.objects.get(urn="urn:citysoc:library:nd85-tt12-tcvn11930")
    assert nd85.superseded_by.urn == "urn:citysoc:library:nd331-tcvn14423"
    assert nd85.regime.code == "nd85-2016"
    assert nd85.level_criteria[0]["article"] == "NĐ 85/2016 Điều 7"


def test_the_tree_and_the_duties_are_loaded_from_the_file_order(db):
    libraries.load_file(ND85)
    item = Requirement.objects.get(ref_id="7.2.3.6")
    assert (item.parent.ref_id, item.parent.parent.ref_id, item.depth) == (
        "7.2.3",
        "PL III.II.2",
        4,
    )
    assert item.levels == [3]
    assert item.official and "Phụ lục III" in item.source
    assert item.guidance and not item.guidance_confirmed
    report = Duty.objects.get(code="annual-report")
    assert (report.deadline, report.levels, report.every_months) == ("12-25", [1, 2, 3, 4, 5], 12)
    assert report.official and "TT 12/2022/TT-BTTTT Điều 13" in report.source


def test_a_level_3_system_gets_the_level_3_items_and_no_level_4_only_item(db):
    libraries.load_file(ND85)
    library = Library.objects.get(urn="urn:citysoc:library:nd85-tt12-tcvn11930")
    refs = [r.ref_id for r in libraries.requirements_for(library, 3)]
    assert "7.2.3.6" in refs and "7.1.1.1" in refs
    assert not [ref for ref in refs if ref[0] in "5689"]
    assert "PL IV.II.1.b.xvii" in [r.ref_id for r in libraries.requirements_for(library, 4)]
    assert "PL IV.II.1.b.xvii" not in refs  # privileged-account management: level 4 up
    assert len(refs) == libraries.counts_per_level(library)["3"]


def test_a_version_bump_updates_a_title_in_place(db, tmp_path):
    doc = raw(ND85)
    path = write(tmp_path, "nd85.yaml", doc)
    libraries.load_file(path)
    req = Requirement.objects.get(urn="urn:citysoc:req:nd85-tt12-tcvn11930:l1:5.2.3.1")

    doc["version"] += 1
    doc["requirements"][req.order - 1]["title"] = "Xác thực: bắt buộc đăng nhập (sửa đổi)"
    write(tmp_path, "nd85.yaml", doc)
    result = libraries.load_file(path)

    assert result.status == "updated"
    updated = Requirement.objects.get(pk=req.pk)
    assert updated.title == "Xác thực: bắt buộc đăng nhập (sửa đổi)"
    assert Library.objects.get(urn=doc["urn"]).version == doc["version"]


def test_an_edit_without_a_version_bump_is_refused(db, tmp_path):
    doc = raw(ND85)
    path = write(tmp_path, "nd85.yaml", doc)
    libraries.load_file(path)
    doc["requirements"][2]["title"] = "Sửa mà không tăng phiên bản"
    write(tmp_path, "nd85.yaml", doc)

    result = libraries.load_file(path)

    assert result.status == "invalid"
    assert "Raise `version`" in result.errors[0]
    assert (
        Requirement.objects.get(urn=doc["requirements"][2]["urn"]).title
        != doc["requirements"][2]["title"]
    )


def test_an_older_copy_of_a_library_changes_nothing(db, tmp_path):
    doc = raw(ND85)
    doc["version"] += 1
    doc["requirements"][2]["title"] = "Phiên bản mới của văn phòng"
    write(tmp_path, "office.yaml", doc)
    libraries.load_file(tmp_path / "office.yaml")

    result = libraries.load_file(ND85)

    assert result.status == "unchanged"
    assert f"version {doc['version']} is already loaded" in result.notes[0]
    assert Requirement.objects.get(urn=doc["requirements"][2]["urn"]).title.startswith("Phiên")


def test_an_invalid_file_names_the_path_and_the_others_still_load(db, tmp_path):
    doc = raw(ND85)
    doc["requirements"][12]["levels"] = [3, 7]
    write(tmp_path, "bad.yaml", doc)
    write(tmp_path, "good.yaml", raw(ND331))

    results = libraries.load_all(tmp_path)

    bad, good = results
    assert bad.status == "invalid" and bad.file.endswith("bad.yaml")
    assert bad.errors == ["requirements[12].levels[1]: 7 is greater than the maximum of 5"]
    assert good.status == "loaded"
    assert list(Library.objects.values_list("urn", flat=True)) == [
        doc["urn"].replace("nd85-tt12-tcvn11930", "nd331-tcvn14423")
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["level_criteria"][3]["when"].update(q="nobody_asked"),
            "level_criteria[3].when.q: no question 'nobody_asked'",
        ),
        (
            lambda d: d["requirements"][3].update(parent="urn:citysoc:req:nowhere"),
            "requirements[3].parent: 'urn:citysoc:req:nowhere' is not a requirement listed above",
        ),
        (
            lambda d: d["duties"][0].update(deadline="02-30"),
            "duties[0].deadline: '02-30' is not a real day",
        ),
        (
            lambda d: d["level_criteria"][5]["when"].update(eq="sometimes"),
            "level_criteria[5].when.eq: ['sometimes'] not among the choices of 'dvc_level'",
        ),
    ],
)
def test_cross_checks_name_the_place(change, message):
    doc = libraries.plain_values(raw(ND85))
    doc["level_criteria"][5]["when"] = {"q": "dvc_level", "eq": "3"}
    change(doc)
    problems = libraries.validate(doc)
    assert any(p.startswith(message) for p in problems), problems


def test_an_unknown_regime_loads_nothing(db, tmp_path):
    doc = raw(ND85)
    doc["regime"] = "nd99-2030"
    result = libraries.load_file(write(tmp_path, "x.yaml", doc))
    assert result.status == "invalid"
    assert result.errors[0].startswith("regime: no regime 'nd99-2030' (known: nd85-2016")
    assert not Library.objects.exists() and not Requirement.objects.exists()


def test_a_dropped_requirement_that_an_assessment_uses_is_kept(db, tmp_path, unit_a):
    doc = raw(ND85)
    path = write(tmp_path, "nd85.yaml", doc)
    libraries.load_file(path)
    library = Library.objects.get(urn=doc["urn"])
    used = Requirement.objects.get(ref_id="7.2.3.6")
    system = factories.make_system(unit_a, level=3)
    assessment = Assessment.objects.create(unit=unit_a, system=system, library=library, level=3)
    AssessmentItem.objects.create(assessment=assessment, requirement=used)

    doc["version"] += 1
    doc["requirements"] = [
        r for r in doc["requirements"] if r["ref_id"] not in ("7.2.3.6", "7.2.3.8")
    ]
    result = libraries.load_file(write(tmp_path, "nd85.yaml", doc))

    assert result.status == "updated"
    assert "7.2.3.6" in result.notes[0] and len(result.notes) == 1
    kept = Requirement.objects.get(pk=used.pk)
    assert kept.levels == []
    assert not Requirement.objects.filter(ref_id="7.2.3.8").exists()
    assert "7.2.3.6" not in [r.ref_id for r in libraries.requirements_for(library, 3)]


def test_the_command_prints_json_per_library(db, capsys):
    code = cli.main(["load-libraries", "--json"])
    rows = json.loads(capsys.readouterr().out)
    assert code == 0
    nd85 = next(r for r in rows if r["regime"] == "nd85-2016")
    assert nd85["status"] == "loaded"
    assert (nd85["version"], nd85["valid_from"], nd85["valid_to"]) == (
        3,
        "2022-10-01",
        "2026-06-30",
    )
    assert set(nd85["requirements"]) == {"1", "2", "3", "4", "5"}
    assert cli.main(["load-libraries", "--json"]) == 0
    assert {r["status"] for r in json.loads(capsys.readouterr().out)} == {"unchanged"}


def test_the_command_exits_2_naming_the_file_and_the_path(db, tmp_path, capsys):
    doc = raw(ND331)
    del doc["requirements"][4]["title"]
    write(tmp_path, "office.yaml", doc)
    code = cli.main(["load-libraries", "--folder", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 2
    assert "INVALID" in out and "office.yaml" in out
    assert "requirements[4]: 'title' is a required property" in out
    assert "office.yaml" in err


def test_migrate_loads_the_libraries_quietly_when_enabled(db, settings, capsys):
    settings.CITYSOC_LOAD_LIBRARIES_ON_MIGRATE = False
    load_libraries_after_migrate(sender=None)
    assert not Library.objects.exists()
    settings.CITYSOC_LOAD_LIBRARIES_ON_MIGRATE = True
    load_libraries_after_migrate(sender=None)
    load_libraries_after_migrate(sender=None)
    assert Library.objects.count() == 2
    assert capsys.readouterr().out == ""


def test_an_office_folder_from_settings_is_read_after_the_shipped_one(settings, tmp_path):
    settings.CITYSOC_LIBRARY_DIRS = [str(tmp_path)]
    write(tmp_path, "office.yaml", raw(ND331))
    files = libraries.library_files(libraries.library_dirs())
    assert [f.name for f in files] == [
        "nd331-tcvn14423.yaml", "nd85-tt12-tcvn11930.yaml", "office.yaml",
    ]  # fmt: skip


def test_a_clock_with_two_limits_is_refused_naming_the_duty_and_nothing_is_saved(db, tmp_path):
    doc = raw(ND85)
    index = next(i for i, d in enumerate(doc["duties"]) if d["code"] == "incident-report-tt20")
    doc["duties"][index]["clocks"][0]["within_hours"] = 24  # it already has within_days: 5
    result = libraries.load_file(write(tmp_path, "nd85.yaml", doc))
    assert result.status == "invalid"
    assert any(
        f"duties[{index}].clocks[0]: give exactly one of within_hours" in e for e in result.errors
    )
    assert not Library.objects.filter(urn=doc["urn"]).exists()


def test_a_file_changed_in_place_is_read_again_even_with_the_same_modification_time(tmp_path):
    import os

    doc = raw(ND331)
    path = write(tmp_path, "lib.yaml", doc)
    first = libraries.checked_document(path)
    assert libraries.checked_document(path) is first  # read and checked once
    stamp = path.stat().st_mtime_ns
    doc["name"] = doc["name"] + " (sửa)"
    write(tmp_path, "lib.yaml", doc)
    os.utime(path, ns=(stamp, stamp))  # two writes within one clock tick
    assert libraries.checked_document(path)["name"].endswith("(sửa)")
