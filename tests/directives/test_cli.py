import json

from citysoc.core.models import AuditEntry
from citysoc.directives.cli import main
from citysoc.directives.models import Directive


def test_the_template_verb_creates_a_draft_and_prints_it_as_json(city, capsys):
    assert main(["template", "tet", "--year", "2026", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    directive = Directive.objects.get(pk=out["id"])
    assert out["status"] == "draft"
    assert out["date"] == "2026-01-23"
    assert len(out["items"]) == 9
    assert "Bính Ngọ 2026" in directive.subject
    assert AuditEntry.objects.filter(via="cli", model="directives.directive").exists()


def test_the_template_verb_explains_what_is_missing(db, capsys):
    assert main(["template", "tet", "--year", "2026"]) == 2
    assert "there is no city unit yet" in capsys.readouterr().err


def test_the_export_verb_writes_a_docx(city, tmp_path, capsys):
    main(["template", "tet", "--year", "2025", "--json"])
    pk = json.loads(capsys.readouterr().out)["id"]
    target = tmp_path / "cv.docx"
    assert main(["export", str(pk), "--docx", str(target)]) == 0
    assert target.read_bytes()[:2] == b"PK"
    assert main(["export", "99999", "--docx", str(target)]) == 2
    assert "no directive with id 99999" in capsys.readouterr().err
