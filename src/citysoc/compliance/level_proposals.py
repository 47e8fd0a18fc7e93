"""A system's level proposals: check the helper's answers, keep a proposal, confirm a level.

The questions and the rules are the libraries' (`levels`). The level helper page
(`level_views`) and the API (`/api/systems/{id}/level-proposal/`) both call these.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from citysoc.compliance import levels
from citysoc.compliance.models import LevelProposal
from citysoc.inventory.models import InformationSystem, SecurityRegime


def check_answers(
    raw: dict[str, Any], asked: list[levels.Question]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Typed answers and, per question id, why a value was refused (nothing is dropped)."""
    by_id = {q.id: q for q in asked}
    typed: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key, value in raw.items():
        question = by_id.get(key)
        if question is None:
            errors[key] = _("Unknown question. The questions are: %(ids)s.") % {
                "ids": ", ".join(by_id)
            }
            continue
        problem = _check_one(question, value)
        if problem:
            errors[key] = problem
        else:
            typed[key] = levels.coerce_answers({key: value}, [question]).get(key)
    return {k: v for k, v in typed.items() if v is not None}, errors


def _check_one(question: levels.Question, value: Any) -> str:
    if value is None:
        return ""
    coerced = levels.coerce_answers({question.id: value}, [question])
    if question.id not in coerced and not (isinstance(value, str) and not value.strip()):
        return _("'%(value)s' is not a valid answer of type %(kind)s.") % {
            "value": value,
            "kind": question.kind,
        }
    allowed = [c[0] for c in question.choices]
    answer = coerced.get(question.id)
    if question.kind == "choice" and answer is not None and answer not in allowed:
        return _("'%(value)s' is not one of: %(allowed)s.") % {
            "value": answer,
            "allowed": ", ".join(allowed),
        }
    if question.kind == "multi" and answer:
        unknown = [v for v in answer if v not in allowed]
        if unknown:
            return _("'%(value)s' is not one of: %(allowed)s.") % {
                "value": ", ".join(unknown),
                "allowed": ", ".join(allowed),
            }
    if question.kind == "int" and answer is not None and answer < 0:
        return _("A number of zero or more is expected.")
    return ""


def record_proposal(system: InformationSystem, answers: dict[str, Any], *, by) -> LevelProposal:
    """Run the libraries' rules on `answers` and keep the result for the system."""
    proposals = levels.propose(answers)
    with transaction.atomic():
        return LevelProposal.objects.create(
            unit=system.unit,
            system=system,
            answers=answers,
            proposals={code: p.as_json() for code, p in proposals.items()},
            created_by=by,
        )


def confirm_level(proposal: LevelProposal, regime_code: str, *, by=None) -> InformationSystem:
    """Confirm the level proposed under `regime_code`: set it on the proposal and the system."""
    entry = proposal.proposals.get(regime_code)
    regime = SecurityRegime.objects.filter(code=regime_code).first()
    if entry is None or regime is None:
        raise ValueError(
            _("This proposal has no level under the regime '%(code)s'.") % {"code": regime_code}
        )
    system = proposal.system
    with transaction.atomic():
        proposal.confirmed_regime = regime
        proposal.confirmed_level = entry["level"]
        proposal.save(update_fields=["confirmed_regime", "confirmed_level"])
        system.security_level = entry["level"]
        system.regime = regime
        system.save(update_fields=["security_level", "regime", "updated_at"])
    return system
