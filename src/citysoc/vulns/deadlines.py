"""Remediation deadlines: severity × CISA KEV × the system's security level, from a YAML policy.

The policy is data (`policy/deadlines.yaml`, or the file the `VULNS_DEADLINE_POLICY`
setting names): an ordered list of rules, the first that matches gives the number of days
and the reason shown beside the due date. A finding keeps the id of the rule and the
policy version its deadline came from, so a changed policy is visible on every finding.
No Django model here: the caller passes the finding's facts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from citysoc.lib import yamldata

DEFAULT_POLICY = Path(__file__).parent / "policy" / "deadlines.yaml"
SEVERITIES = ("info", "low", "medium", "high", "critical")


class PolicyError(ValueError):
    """The policy file cannot be used; the message names the rule and the field."""


@dataclass(frozen=True)
class Rule:
    id: str
    days: int | None
    reason: dict[str, str]
    kev: bool | None = None
    severities: frozenset[str] = frozenset()
    level_min: int | None = None

    def matches(self, *, severity: str, kev: bool, level: int | None) -> bool:
        if self.kev is not None and self.kev != kev:
            return False
        if self.severities and severity not in self.severities:
            return False
        return self.level_min is None or (level is not None and level >= self.level_min)

    def reason_in(self, language: str) -> str:
        return self.reason.get(language[:2]) or self.reason.get("en") or self.id


@dataclass(frozen=True)
class Policy:
    version: str
    rules: tuple[Rule, ...]

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


@dataclass(frozen=True)
class Deadline:
    rule: Rule
    due: dt.date | None
    version: str


def parse_policy(text: str) -> Policy:
    try:
        data = yamldata.load(text)
    except yaml.YAMLError as exc:
        raise PolicyError(f"deadline policy is not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise PolicyError("deadline policy needs a 'version' and a list of 'rules'")
    rules = tuple(_rule(i, raw) for i, raw in enumerate(data["rules"], start=1))
    if not rules or rules[-1].kev is not None or rules[-1].severities or rules[-1].level_min:
        raise PolicyError("the last rule of the deadline policy must match every finding")
    return Policy(version=str(data.get("version", "")), rules=rules)


def _rule(n: int, raw: object) -> Rule:
    if not isinstance(raw, dict) or not raw.get("id"):
        raise PolicyError(f"rule {n}: needs an 'id'")
    where = f"rule {n} ({raw['id']})"
    days = raw.get("days")
    if days is not None and (not isinstance(days, int) or days < 0):
        raise PolicyError(f"{where}: 'days' must be a whole number of days or null")
    severities = raw.get("severity") or []
    severities = [severities] if isinstance(severities, str) else severities
    unknown = set(severities) - set(SEVERITIES)
    if unknown:
        raise PolicyError(f"{where}: unknown severity {sorted(unknown)}; use {SEVERITIES}")
    reason = raw.get("reason") or {}
    if not isinstance(reason, dict) or not reason.get("en"):
        raise PolicyError(f"{where}: 'reason' needs an English text (en) and a Vietnamese (vi)")
    level = raw.get("level_min")
    if level is not None and level not in (1, 2, 3, 4, 5):
        raise PolicyError(f"{where}: 'level_min' must be a security level from 1 to 5")
    kev = raw.get("kev")
    return Rule(
        id=str(raw["id"]),
        days=days,
        reason={str(k): str(v) for k, v in reason.items()},
        kev=None if kev is None else bool(kev),
        severities=frozenset(severities),
        level_min=level,
    )


@lru_cache(maxsize=4)
def load_policy(path: str = "") -> Policy:
    """The policy in force (cached per path; the file is part of the release)."""
    return parse_policy(Path(path or DEFAULT_POLICY).read_text(encoding="utf-8"))


def deadline(
    policy: Policy,
    *,
    severity: str,
    kev: bool,
    level: int | None,
    first_seen: dt.date,
    kev_added: dt.date | None = None,
) -> Deadline:
    """The first matching rule and the due date it gives (None: no deadline)."""
    rule = next(r for r in policy.rules if r.matches(severity=severity, kev=kev, level=level))
    if rule.days is None:
        return Deadline(rule, None, policy.version)
    start = max(first_seen, kev_added) if kev and kev_added else first_seen
    return Deadline(rule, start + dt.timedelta(days=rule.days), policy.version)
