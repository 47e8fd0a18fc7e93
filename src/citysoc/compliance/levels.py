"""The level helper: answers about a system in, a proposed security level per regime out.

Each library carries its regime's `questions` and `level_criteria` (see
docs/compliance-libraries.md). A criterion is `{level, article, reason, reason_en, when}`.
`when` is a small condition language over the answers:

    {all: [c, …]}  {any: [c, …]}  {not: c}
    {q: id, eq: v}  {q: id, in: [v, …]}  {q: id, gte: n}  {q: id, lt: n}  {q: id, has: v}

The rule of both decrees: a system is at level N when it meets *any one* criterion of
level N, and the highest such level wins. When no criterion of level 2-5 matches, the
proposal is level 1. A question left unanswered matches no comparison, so a missing
answer never raises a level.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone, translation

from citysoc.compliance import libraries as library_files
from citysoc.compliance.models import Library
from citysoc.inventory.models import InformationSystem, SecurityRegime

TRUE_WORDS = {"true", "1", "yes", "on", "có"}
FALSE_WORDS = {"false", "0", "no", "off", "không", ""}


@dataclass
class Question:
    id: str
    kind: str  # "bool" | "int" | "choice" | "multi"
    text: str
    text_en: str
    choices: list[tuple[str, str, str]] = field(default_factory=list)  # (value, vi, en)


@dataclass
class Proposal:
    regime: str
    library_urn: str
    level: int
    reasons: list[str]  # "article: reason", Vietnamese
    reasons_en: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The shape stored in LevelProposal.proposals[regime]."""
        return {
            "level": self.level,
            "library": self.library_urn,
            "reasons": self.reasons,
            "reasons_en": self.reasons_en,
        }


# --- which libraries ------------------------------------------------------------------------


def libraries_in_force(on: datetime.date | None = None) -> list[Library]:
    """The library with level criteria of the regime in force, then of the regime it replaced.

    Systems approved under the previous decree keep that level until re-levelled, so the
    helper shows both.
    """
    day = on or timezone.localdate()
    current = SecurityRegime.in_force(day)
    regimes = [current] if current else []
    if current is not None:
        regimes += list(SecurityRegime.objects.filter(superseded_by=current))
    found = []
    for regime in regimes:
        candidates = [
            lib
            for lib in regime.libraries.filter(valid_from__lte=day).order_by(
                "-valid_from", "-version"
            )
            if lib.level_criteria
        ]
        if candidates:
            found.append(candidates[0])
    return found


def _source(lib: Library | dict) -> dict:
    """A library as {"urn", "regime", "questions", "level_criteria"}, from a row or a dict."""
    if isinstance(lib, dict):
        return {
            "urn": lib["urn"],
            "regime": lib["regime"],
            "questions": lib.get("questions", []),
            "level_criteria": lib.get("level_criteria", []),
        }
    # The model has no questions field: they are read from the library's file.
    docs = {doc["urn"]: doc for doc in library_files.documents()}
    return {
        "urn": lib.urn,
        "regime": lib.regime.code,
        "questions": docs.get(lib.urn, {}).get("questions", []),
        "level_criteria": lib.level_criteria or [],
    }


# --- questions ------------------------------------------------------------------------------


def questions(libraries: Sequence[Library | dict] | None = None) -> list[Question]:
    """The questions of the given libraries (default: in force + previous regime), each once.

    Order: the newest library's questions in its order, then the older one's extra
    questions. A question id shared by two libraries is asked once.
    """
    sources = [
        _source(lib) for lib in (libraries if libraries is not None else libraries_in_force())
    ]
    seen: dict[str, Question] = {}
    for source in sources:
        for q in source["questions"]:
            if q["id"] not in seen:
                seen[q["id"]] = Question(
                    id=q["id"],
                    kind=q["kind"],
                    text=q["text"],
                    text_en=q.get("text_en", ""),
                    choices=[_triple(c) for c in q.get("choices", [])],
                )
    return list(seen.values())


def _triple(choice) -> tuple[str, str, str]:
    value, vi, *rest = [str(part) for part in choice]
    return (value, vi, rest[0] if rest else vi)


def coerce_answers(raw: dict[str, Any], asked: list[Question]) -> dict[str, Any]:
    """Form or JSON values typed by question kind ("on" → True, "12000" → 12000, …).

    A value that cannot be read as its kind (e.g. "abc" for a number) is left out, so it
    counts as unanswered. The form layer should tell the user.
    """
    kinds = {q.id: q.kind for q in asked}
    out: dict[str, Any] = {}
    for key, value in raw.items():
        kind = kinds.get(key)
        try:
            typed = _coerce(kind, value)
        except ValueError:
            continue
        if typed is not None:
            out[key] = typed
    return out


def _coerce(kind: str | None, value: Any) -> Any:
    if value is None:
        return None
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise ValueError(value)
    if kind == "int":
        if isinstance(value, str) and not value.strip():
            return None
        return int(str(value).replace(".", "").replace(",", "").strip())
    if kind == "multi":
        if isinstance(value, str):
            return [v.strip() for v in value.split(",") if v.strip()]
        return [str(v) for v in value]
    if kind == "choice":
        return str(value)
    return value


# --- evaluating -----------------------------------------------------------------------------


def matches(cond: dict, answers: dict[str, Any]) -> bool:
    """Whether `answers` meet the condition `cond` (the language in the module docstring)."""
    if "all" in cond:
        return all(matches(c, answers) for c in cond["all"])
    if "any" in cond:
        return any(matches(c, answers) for c in cond["any"])
    if "not" in cond:
        return not matches(cond["not"], answers)
    answer = answers.get(cond["q"])
    if answer is None:
        return False
    if "eq" in cond:
        return _same(answer, cond["eq"])
    if "in" in cond:
        return any(_same(answer, v) for v in cond["in"])
    if "has" in cond:
        return isinstance(answer, list | tuple | set) and str(cond["has"]) in map(str, answer)
    number = _number(answer)
    if number is None:
        return False
    if "gte" in cond:
        return number >= cond["gte"]
    if "lt" in cond:
        return number < cond["lt"]
    raise ValueError(f"unknown condition {cond}")


def _same(answer: Any, expected: Any) -> bool:
    if isinstance(expected, bool) or isinstance(answer, bool):
        return answer is expected
    return str(answer) == str(expected)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def propose_one(source: dict, answers: dict[str, Any]) -> Proposal:
    """The proposal of one library (as _source gives it) for typed answers."""
    matched = [c for c in source["level_criteria"] if matches(c["when"], answers)]
    level = max((c["level"] for c in matched), default=1)
    deciding = [c for c in matched if c["level"] == level]
    if deciding:
        reasons = [f"{c['article']}: {c['reason']}" for c in deciding]
        reasons_en = [f"{c['article']}: {c.get('reason_en') or c['reason']}" for c in deciding]
    else:
        reasons = ["Không đáp ứng tiêu chí nào của cấp độ 2–5 nên đề xuất cấp độ 1"]
        reasons_en = ["No criterion of levels 2–5 is met, so level 1 is proposed"]
    return Proposal(
        regime=source["regime"],
        library_urn=source["urn"],
        level=level,
        reasons=reasons,
        reasons_en=reasons_en,
    )


def procedure_for(library: Library | None, level: int) -> dict[str, list[dict]]:
    """The dossier forms and working-day limits of the library's procedure for one level."""
    procedure = (library.procedure if library is not None else None) or {}
    english = translation.get_language() == "en"
    forms = [
        {"code": f["code"], "title": (english and f.get("title_en")) or f["title"]}
        for f in procedure.get("forms", [])
        if level in f.get("levels", [])
    ]
    limits = [
        {
            "step": (english and lim.get("step_en")) or lim["step"],
            "working_days": lim["working_days"],
            "article": lim["article"],
        }
        for lim in procedure.get("limits", [])
        if level in lim.get("levels", [])
    ]
    return {"forms": forms, "limits": limits}


def propose(
    answers: dict[str, Any], libraries: list[Library | dict] | None = None
) -> dict[str, Proposal]:
    """Regime code -> proposal, for each library given (default: libraries_in_force()).

    When two libraries of the same regime are given, the first one counts.
    """
    sources = [
        _source(lib) for lib in (libraries if libraries is not None else libraries_in_force())
    ]
    typed = coerce_answers(answers, questions(sources))
    out: dict[str, Proposal] = {}
    for source in sources:
        if source["regime"] not in out:
            out[source["regime"]] = propose_one(source, typed)
    return out


def answers_from_system(system: InformationSystem) -> dict[str, Any]:
    """Answers the inventory already knows, to pre-fill the helper's form.

    Only what the inventory states is filled in. An electronic one-stop shop handles
    administrative procedures by definition, and a PLC/DCS/SCADA subtype is industrial
    control whatever type was recorded.
    """
    answers: dict[str, Any] = {}
    if system.system_type:
        answers["system_type"] = system.system_type
    if system.subtype == InformationSystem.Subtype.ICS:
        answers["system_type"] = InformationSystem.Type.INDUSTRIAL.value
    if system.info_classes:
        answers["info_classes"] = list(system.info_classes)
    if system.user_count is not None:
        answers["user_count"] = system.user_count
    if system.subtype == InformationSystem.Subtype.ONE_STOP:
        answers["handles_tthc"] = True
    return answers
