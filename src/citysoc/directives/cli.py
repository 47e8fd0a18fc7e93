"""`citysoc directive …`: make a draft from a template, export a directive as DOCX.

citysoc directive template tet --year 2026 [--json]   a draft from the built-in template
citysoc directive export ID --docx FILE               the directive in the Decree 30 layout
citysoc directive report ID --docx FILE [--pdf FILE] [--xlsx FILE]   compiled results
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path


# The operator reads these lines; sys.stdout keeps ruff's "no print" rule for library code.
def _say(text: str) -> None:
    sys.stdout.write(text + "\n")


def _fail(message: str) -> int:
    sys.stderr.write(f"citysoc: {message}\n")
    return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="citysoc directive", description="Directives.")
    sub = parser.add_subparsers(dest="action", required=True)
    template = sub.add_parser("template", help="create a draft directive from a template")
    template.add_argument("name", help="template name, e.g. tet")
    template.add_argument("--year", type=int, required=True, help="e.g. 2026")
    template.add_argument("--json", action="store_true", help="print the draft as JSON")
    export = sub.add_parser("export", help="write a directive as a document")
    export.add_argument("id", type=int, help="the directive's id")
    export.add_argument("--docx", required=True, type=Path, help="DOCX file to write")
    report = sub.add_parser("report", help="write the compiled results of a directive")
    report.add_argument("id", type=int, help="the directive's id")
    report.add_argument("--docx", type=Path, help="results report (báo cáo kết quả)")
    report.add_argument("--xlsx", type=Path, help="the matrix and every answer")
    report.add_argument("--pdf", type=Path, help="results report as PDF")
    return parser


def _summary(directive) -> dict:
    return {
        "id": directive.pk,
        "status": directive.status,
        "date": directive.date.isoformat() if directive.date else None,
        "subject": directive.subject,
        "items": [
            {
                "order": i.order,
                "due_date": i.due_date.isoformat() if i.due_date else None,
                "applies_to_kinds": i.applies_to_kinds,
                "area": i.area,
            }
            for i in directive.items.all()
        ],
    }


def _template(opts) -> int:
    from citysoc.core import audit
    from citysoc.directives.templating import TemplateError, instantiate_template

    label = f"cli:{os.environ.get('USER', 'operator')}"
    try:
        with audit.acting_as(None, via="cli", label=label):
            directive = instantiate_template(opts.name, year=opts.year)
    except TemplateError as exc:
        return _fail(str(exc))
    if opts.json:
        _say(json.dumps(_summary(directive), ensure_ascii=False))
    else:
        _say(f"draft directive {directive.pk}: {directive.subject}")
        _say(f"{directive.items.count()} items; review it, then issue it in the web UI")
    return 0


def _export(opts) -> int:
    from citysoc.directives.documents import directive_docx
    from citysoc.directives.models import Directive

    directive = Directive.objects.filter(pk=opts.id).first()
    if directive is None:
        return _fail(f"no directive with id {opts.id}; list them at /directives/list/")
    try:
        opts.docx.write_bytes(directive_docx(directive))
    except OSError as exc:
        return _fail(f"cannot write {opts.docx}: {exc.strerror}")
    _say(f"wrote {opts.docx}")
    return 0


def _report(opts) -> int:
    from django.utils import timezone

    from citysoc.directives.exporting import matrix_xlsx
    from citysoc.directives.models import Assignment, Directive
    from citysoc.directives.report_documents import results_docx
    from citysoc.directives.report_pdf import results_pdf
    from citysoc.directives.results import compile_results
    from citysoc.lib.official_document.pdf import FontMissing

    if not (opts.docx or opts.xlsx or opts.pdf):
        return _fail("say what to write: --docx FILE, --pdf FILE and/or --xlsx FILE")
    directive = Directive.objects.filter(pk=opts.id).first()
    if directive is None:
        return _fail(f"no directive with id {opts.id}; list them at /directives/list/")
    if not directive.is_issued:
        return _fail(f"directive {opts.id} is a draft: issue it first, then compile its results")
    results = compile_results(directive, Assignment.objects.all(), today=timezone.localdate())
    writers = ((opts.docx, results_docx), (opts.pdf, results_pdf), (opts.xlsx, matrix_xlsx))
    for path, render in writers:
        if path is None:
            continue
        try:
            path.write_bytes(render(results))
        except OSError as exc:
            return _fail(f"cannot write {path}: {exc.strerror}")
        except FontMissing as exc:
            return _fail(str(exc))
        _say(f"wrote {path}")
    return 0


def main(argv: list[str]) -> int:
    opts = _parser().parse_args(argv)
    from citysoc.startup import setup_django

    setup_django()
    actions = {"template": _template, "export": _export, "report": _report}
    return actions[opts.action](opts)
