"""The shape of a framework library document: its schema, defaults and checks.

A library is a dict read from a YAML file or an Excel workbook (`library_sheets`); this
module says whether it is valid, naming every problem by its path ("requirements[12].levels:
…"), fills in the optional keys, and hashes the content. No database here: `libraries`
loads checked documents into the tables.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema

SCHEMA_FILE = Path(__file__).parent / "libraries" / "schema.json"
LEVELS = (1, 2, 3, 4, 5)


class LibraryInvalid(Exception):
    """A library file that cannot be loaded; `problems` are "path: what is wrong" lines."""

    def __init__(self, file: str, problems: list[str]):
        self.file = file
        self.problems = problems
        super().__init__("\n".join(f"{file}: {p}" for p in problems))


@lru_cache(maxsize=1)
def _schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def with_sheet_row(problem: str) -> str:
    """Add the Excel row to "requirements[12].levels: …" (the header is row 1)."""
    match = re.match(r"(requirements|duties|questions|level_criteria)\[(\d+)\]", problem)
    if not match:
        return problem
    sheet, index = match.group(1), int(match.group(2))
    return f"{problem} (sheet '{sheet}' row {index + 2})"


def plain_values(value: Any) -> Any:
    """YAML dates become ISO strings so the schema and the content hash see plain JSON."""
    if isinstance(value, dict):
        return {str(k): plain_values(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_values(v) for v in value]
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


DEFAULTS: dict[str, dict[str, Any]] = {
    "library": {
        "name_en": "", "description": "", "provider": "", "edition": "", "valid_to": None,
        "superseded_by": None, "procedure": {}, "questions": [], "level_criteria": [], "duties": [],
    },
    "requirement": {
        "parent": None, "assessable": True, "kind": "", "title_en": "", "description": "",
        "description_en": "", "guidance": "", "guidance_en": "", "guidance_confirmed": False,
        "replaces": [], "unit_kinds": [], "importance": "mandatory", "typical_evidence": "",
        "thresholds": {}, "official": True, "source": "",
    },
    "duty": {
        "title_en": "", "every_months": None, "deadline": "", "remind_days_before": 14,
        "valid_from": None, "valid_to": None, "clocks": [],
        "description": "", "official": True, "source": "",
    },
    "question": {"text_en": "", "choices": []},
    "criterion": {"reason_en": "", "official": True, "source": ""},
}  # fmt: skip


def normalise(doc: dict) -> dict:
    """`doc` with every optional key filled in, so a YAML file and its Excel export of the
    same content give the same dict and the same content hash."""
    out = {**DEFAULTS["library"], **doc}
    out["requirements"] = [{**DEFAULTS["requirement"], **r} for r in doc["requirements"]]
    for req in out["requirements"]:
        req["levels"] = sorted(req["levels"])
    out["duties"] = [
        {**DEFAULTS["duty"], **d, "levels": sorted(d["levels"])} for d in out["duties"]
    ]
    out["questions"] = [
        {**DEFAULTS["question"], **q, "choices": [_choice(c) for c in q.get("choices", [])]}
        for q in out["questions"]
    ]
    out["level_criteria"] = [{**DEFAULTS["criterion"], **c} for c in out["level_criteria"]]
    return out


def _choice(choice: list) -> list[str]:
    value, vi, *rest = [str(part) for part in choice]
    return [value, vi, rest[0] if rest else vi]


def json_path(parts) -> str:
    """("requirements", 12, "levels") -> "requirements[12].levels"."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def validate(doc: Any) -> list[str]:
    """Every problem in `doc` as "path: what is wrong", schema first, then cross-checks."""
    if not isinstance(doc, dict):
        return ["(top level): a library file must be a mapping with urn, version, requirements…"]
    validator = jsonschema.Draft202012Validator(_schema())
    problems = []
    for error in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.path))):
        # For oneOf/anyOf the useful message is in the closest sub-error.
        best = jsonschema.exceptions.best_match(error.context) if error.context else error
        problems.append(f"{json_path(best.absolute_path)}: {best.message}")
    if problems:
        return problems
    return _cross_check(doc)


def _cross_check(doc: dict) -> list[str]:
    problems: list[str] = []
    if doc.get("valid_to") and doc["valid_to"] < doc["valid_from"]:
        problems.append("valid_to: ends before valid_from")
    problems += _check_dates(doc)
    problems += _check_requirements(doc["requirements"])
    problems += _check_duties(doc.get("duties", []))
    questions = {}
    for i, q in enumerate(doc.get("questions", [])):
        if q["id"] in questions:
            problems.append(f"questions[{i}].id: '{q['id']}' is defined twice")
        questions[q["id"]] = q
    for i, crit in enumerate(doc.get("level_criteria", [])):
        problems += _check_condition(crit["when"], questions, f"level_criteria[{i}].when")
    return problems


def _check_dates(doc: dict) -> list[str]:
    problems = []
    for key in ("valid_from", "valid_to"):
        if doc.get(key):
            try:
                datetime.date.fromisoformat(doc[key])
            except ValueError:
                problems.append(f"{key}: '{doc[key]}' is not a real date")
    return problems


def _check_requirements(reqs: list[dict]) -> list[str]:
    problems: list[str] = []
    seen: dict[str, int] = {}
    for i, req in enumerate(reqs):
        where = f"requirements[{i}]"
        if req["urn"] in seen:
            problems.append(
                f"{where}.urn: '{req['urn']}' is used twice (first at [{seen[req['urn']]}])"
            )
        parent = req.get("parent")
        if parent and parent not in seen:
            problems.append(
                f"{where}.parent: '{parent}' is not a requirement listed above this one "
                "(a parent must come before its children)"
            )
        extra = {lvl for per_level in req.get("thresholds", {}).values() for lvl in per_level} - {
            str(v) for v in req["levels"]
        }
        if extra:
            problems.append(
                f"{where}.thresholds: values for level(s) {', '.join(sorted(extra))} "
                f"but the item applies to levels {req['levels']}"
            )
        seen[req["urn"]] = i
    return problems


def _check_duties(duties: list[dict]) -> list[str]:
    problems, seen = [], set()
    for i, duty in enumerate(duties):
        if duty["urn"] in seen:
            problems.append(f"duties[{i}].urn: '{duty['urn']}' is used twice")
        seen.add(duty["urn"])
        if not duty.get("deadline") and not duty.get("every_months") and not duty.get("clocks"):
            problems.append(
                f"duties[{i}]: give every_months, a yearly deadline (MM-DD) or the clocks "
                "an event starts"
            )
        if (
            duty.get("valid_from")
            and duty.get("valid_to")
            and duty["valid_to"] < duty["valid_from"]
        ):
            problems.append(
                f"duties[{i}].valid_to: '{duty['valid_to']}' is before valid_from "
                f"'{duty['valid_from']}'"
            )
        for j, clock in enumerate(duty.get("clocks") or []):
            if sum(k in clock for k in ("within_hours", "within_days", "by")) != 1:
                problems.append(
                    f"duties[{i}].clocks[{j}]: give exactly one of within_hours, within_days, by"
                )
        if duty.get("deadline"):
            month, day = map(int, duty["deadline"].split("-"))
            try:
                datetime.date(2024, month, day)  # a leap year, so 02-29 is allowed
            except ValueError:
                problems.append(f"duties[{i}].deadline: '{duty['deadline']}' is not a real day")
    return problems


def _check_condition(cond: dict, questions: dict, where: str) -> list[str]:
    for key in ("all", "any"):
        if key in cond:
            return [
                p
                for j, sub in enumerate(cond[key])
                for p in _check_condition(sub, questions, f"{where}.{key}[{j}]")
            ]
    if "not" in cond:
        return _check_condition(cond["not"], questions, f"{where}.not")
    qid = cond["q"]
    question = questions.get(qid)
    if question is None:
        return [f"{where}.q: no question '{qid}' in this file's questions"]
    op, value = next((k, v) for k, v in cond.items() if k != "q")
    kind = question["kind"]
    allowed = {
        "bool": {"eq"},
        "int": {"eq", "gte", "lt", "in"},
        "choice": {"eq", "in"},
        "multi": {"has"},
    }[kind]
    if op not in allowed:
        return [f"{where}.{op}: question '{qid}' is {kind}; use {', '.join(sorted(allowed))}"]
    if kind == "bool" and not isinstance(value, bool):
        return [f"{where}.eq: question '{qid}' is yes/no; compare with true or false"]
    if kind in ("choice", "multi"):
        known = {str(c[0]) for c in question.get("choices", [])}
        unknown = [
            v for v in (value if isinstance(value, list) else [value]) if str(v) not in known
        ]
        if unknown:
            return [f"{where}.{op}: {unknown} not among the choices of '{qid}' ({sorted(known)})"]
    return []


def content_hash(doc: dict) -> str:
    text = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
