"""Rule sets for the sweep agents: a new version from a file, checked line by line first.

The city adds a YARA file, a hash list (`HASH;DESCRIPTION`) or file-name IOCs
(`REGEX;SCORE`, Loki's layout) under a name; each becomes the next version of that name and
every job after it carries it. A bad rule is refused with its line and nothing is saved, so
an agent never receives a set it cannot load.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from citysoc.sweep.models import RuleSet

HASH_LENGTHS = {32: "MD5", 40: "SHA1", 64: "SHA256"}
MAX_BYTES = 5 * 1024 * 1024  # signature-base's whole YARA tree is ~3 MB
YARA_RULE = re.compile(r"^\s*(?:private\s+|global\s+)*rule\s+\w+", re.M)


class RuleError(ValueError):
    """The file cannot become a rule set; the message (in the user's language) names the line."""


@dataclass(frozen=True)
class Added:
    rule_set: RuleSet
    rules: int  # YARA rules, hashes or file-name patterns in it


def add_version(name: str, kind: str, text: str, *, by=None) -> Added:
    """Check `text` as a rule set of `kind` and save it as the next version of `name`.

    `by` is the user who added it (None from the command line)."""
    name = name.strip()
    if not re.fullmatch(r"[-a-zA-Z0-9_.]{1,100}", name):
        raise RuleError(
            _("the name %(name)r must be 1-100 letters, digits, '-', '_' or '.'") % {"name": name}
        )
    if kind not in RuleSet.Kind.values:
        raise RuleError(
            _("the kind %(kind)r is not one of %(kinds)s")
            % {"kind": kind, "kinds": ", ".join(RuleSet.Kind.values)}
        )
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise RuleError(too_large())
    count = CHECKS[kind](text)
    with transaction.atomic():
        last = RuleSet.objects.filter(name=name).aggregate(v=Max("version"))["v"] or 0
        rule_set = RuleSet.objects.create(
            name=name,
            version=last + 1,
            kind=kind,
            text=text,
            sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            rule_count=count,
            created_by=by,
        )
    return Added(rule_set, count)


def too_large() -> str:
    return _("the file is larger than %(mb)d MB; split it") % {"mb": MAX_BYTES // (1024 * 1024)}


def count_rules(kind: str, text: str) -> int:
    """How many rules `text` holds, without checking them (for versions saved before counts)."""
    if kind == RuleSet.Kind.YARA:
        return len(YARA_RULE.findall(text))
    return sum(1 for _line in _lines(text))


def _lines(text: str):
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if line and not line.startswith(("#", "//")):
            yield number, line


def check_hashes(text: str) -> int:
    count = 0
    for number, line in _lines(text):
        value = line.split(";", 1)[0].strip().lower()
        if len(value) not in HASH_LENGTHS or not re.fullmatch(r"[0-9a-f]+", value):
            raise RuleError(
                _(
                    "line %(line)d: %(value)r is not an MD5, SHA1 or SHA256 hash "
                    "(32, 40 or 64 hex digits, then ';' and a description)"
                )
                % {"line": number, "value": value[:70]}
            )
        count += 1
    return _some(count)


def check_filenames(text: str) -> int:
    count = 0
    for number, line in _lines(text):
        pattern, _sep, score = line.rpartition(";")
        if not pattern or not score.strip().isdigit():
            raise RuleError(
                _("line %(line)d: expected REGEX;SCORE (a score 0-100 after ';')")
                % {"line": number}
            )
        try:
            re.compile(pattern)
        except re.error as exc:
            raise RuleError(
                _("line %(line)d: the pattern is not a valid regex (%(error)s)")
                % {"line": number, "error": exc}
            ) from None
        count += 1
    return _some(count)


def check_yara(text: str) -> int:
    try:
        import yara_x
    except ImportError:
        raise RuleError(
            _(
                "YARA rules cannot be checked here: install the agent's rule compiler on the "
                "server (pip install yara-x), then add the file again"
            )
        ) from None
    try:
        yara_x.compile(text)
    except yara_x.CompileError as exc:
        raise RuleError(_("the YARA rules do not compile: %(error)s") % {"error": exc}) from None
    return _some(len(YARA_RULE.findall(text)))


def _some(count: int) -> int:
    if count == 0:
        raise RuleError(_("the file holds no rule (only blank or comment lines)"))
    return count


CHECKS: dict[str, Callable[[str], int]] = {
    RuleSet.Kind.YARA: check_yara,
    RuleSet.Kind.HASHES: check_hashes,
    RuleSet.Kind.FILENAMES: check_filenames,
}


def carried() -> list[RuleSet]:
    """The versions every new sweep job carries: the newest active version of each name."""
    newest: dict[str, RuleSet] = {}
    rows = RuleSet.objects.filter(active=True).defer("text").select_related("created_by")
    for rule_set in rows.order_by("name", "-version"):
        newest.setdefault(rule_set.name, rule_set)
    return list(newest.values())
