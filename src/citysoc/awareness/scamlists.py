"""The scam checker's lists and words: importing scam lists, looking values up, counting checks.

A list file is plain text (one value a line, `#` comments), CSV with a `value` column (and
optional `kind`, `note`), or JSON as the community lists publish it (an array of strings or
of objects with `url`). Every line is checked first; a bad line is rejected with its number
and reason, and the good ones are written in one transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citysoc.awareness import scamcheck
from citysoc.awareness.models import ScamCheckCount, ScamEntry

MAX_BYTES = 20 * 1024 * 1024


@dataclass
class Imported:
    list_name: str
    kept: int = 0
    new: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"list": self.list_name, "kept": self.kept, "new": self.new,
                "rejected": [{"line": n, "reason": r} for n, r in self.rejected]}  # fmt: skip


def _values(data: bytes, filename: str) -> list[tuple[int, str, str, str]]:
    """(line, value, kind or '', note) of each record of a list file."""
    text = data.decode("utf-8-sig", errors="replace")
    if filename.lower().endswith(".json") or text.lstrip().startswith("["):
        items = json.loads(text)
        return [
            (n, str(i.get("url", "") if isinstance(i, dict) else i), "", "")
            for n, i in enumerate(items, 1)
        ]
    if filename.lower().endswith(".csv"):
        reader = csv.DictReader(io.StringIO(text))
        if "value" not in (reader.fieldnames or []):
            raise ValueError("a CSV scam list needs a 'value' column")
        return [
            (n, r.get("value") or "", r.get("kind") or "", r.get("note") or "")
            for n, r in enumerate(reader, 2)
        ]
    return [
        (n, line.strip(), "", "")
        for n, line in enumerate(text.splitlines(), 1)
        if line.strip() and not line.lstrip().startswith("#")
    ]


def _entry(value: str, kind: str) -> tuple[str, str]:
    """(kind, value as kept) or raise ValueError with the reason."""
    value = value.strip()
    if not value:
        raise ValueError("empty value")
    kind = kind.strip().lower() or {"message": "phrase"}.get(
        scamcheck.classify(value), scamcheck.classify(value)
    )
    value = value.replace("*.", "").removesuffix("/*")  # the community lists' wildcards
    if kind == "phone":
        return kind, scamcheck.normalize_phone(value)
    if kind == "domain":
        return kind, scamcheck.to_ascii(value.rstrip("."))
    if kind == "url":
        key = scamcheck._url_key(value if "://" in value else "http://" + value)
        return kind, key
    if kind == "phrase":
        return kind, scamcheck.fold(value)
    raise ValueError(f"unknown kind {kind!r} (domain, url, phone or phrase)")


def import_list(data: bytes, filename: str, list_name: str) -> Imported:
    """Replace the list `list_name` with the file's values (kept + rejected = records in)."""
    result = Imported(list_name)
    if len(data) > MAX_BYTES:
        result.rejected.append((0, "the file is larger than 20 MB"))
        return result
    try:
        records = _values(data, filename)
    except (ValueError, json.JSONDecodeError) as exc:
        result.rejected.append((0, str(exc)))
        return result
    entries: dict[tuple[str, str], str] = {}
    for line, value, kind, note in records:
        try:
            entries.setdefault(_entry(value, kind), note[:300])
        except ValueError as exc:
            result.rejected.append((line, str(exc)))
    with transaction.atomic():
        before = set(ScamEntry.objects.filter(list_name=list_name).values_list("kind", "value"))
        ScamEntry.objects.filter(list_name=list_name).delete()
        ScamEntry.objects.bulk_create(
            ScamEntry(list_name=list_name, kind=k, value=v[:500], note=n)
            for (k, v), n in entries.items()
        )
    result.kept = len(entries)
    result.new = len(set(entries) - before)
    return result


def lookup(kind: str, values: list[str]) -> list[tuple[str, str]]:
    """The scam checker's lists: imported scam lists, and the intel lists' domains."""
    if kind == "phrase":
        return [
            (phrase, name)
            for phrase, name in ScamEntry.objects.filter(kind="phrase").values_list(
                "value", "list_name"
            )[:5000]
            if re.search(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", values[0])
        ]
    found = list(
        ScamEntry.objects.filter(kind=kind, value__in=values).values_list("value", "list_name")
    )
    if kind == "domain":
        from citysoc.intel.models import Indicator

        intel = Indicator.objects.filter(kind="domain", value__in=values)
        found += [(v, str(n)) for v, n in intel.values_list("value", "version__source__name")[:5]]
    return found


def check(text: str, *, public: bool = False) -> scamcheck.Check:
    """Check and count it (what was checked and the verdict; never who asked)."""
    result = scamcheck.check(text, lookup)
    if result.kind != "empty":
        count(result, public=public)
    return result


def count(result: scamcheck.Check, *, public: bool) -> None:
    key = {"day": timezone.localdate(), "kind": result.kind, "value": result.value[:300],
           "public": public}  # fmt: skip
    updated = ScamCheckCount.objects.filter(**key).update(count=F("count") + 1,
                                                          verdict=result.verdict)  # fmt: skip
    if not updated:
        ScamCheckCount.objects.get_or_create(**key, defaults={"verdict": result.verdict,
                                                              "count": 1})  # fmt: skip


def trends(*, days: int = 30, top: int = 15) -> list[Mapping[str, Any]]:
    """What was checked most in the last `days` days, with the latest verdict."""
    since = timezone.localdate() - dt.timedelta(days=days)
    return list(
        ScamCheckCount.objects.filter(day__gte=since)
        .values("kind", "value")
        .annotate(checks=Sum("count"), verdict=Max("verdict"))
        .order_by("-checks", "value")[:top]
    )


REASONS = {
    "official": _("This is an official domain of %(detail)s."),
    "listed": _("It is on the scam list “%(detail)s”."),
    "fake_gov": _("%(detail)s imitates a state body's address: genuine ones end in .gov.vn."),
    "brand_elsewhere": _("It uses a bank's or a service's name outside its own domain "
                         "(%(detail)s)."),
    "lookalike": _("It looks like an official domain but is a different one (%(detail)s)."),
    "homograph": _("It uses letters of another alphabet that look like Latin ones "
                   "(%(detail)s)."),
    "mixed_scripts": _("It mixes letters of different alphabets (%(detail)s)."),
    "idn": _("It contains accented or non-Latin letters (%(detail)s); check it letter by "
             "letter."),
    "shortener": _("It is a shortened link (%(detail)s): it hides where it really leads."),
    "gambling": _("It looks like an online gambling or betting site (%(detail)s), which is "
                  "illegal in Viet Nam."),
    "userinfo": _("The address hides its real destination behind an “@” (%(detail)s)."),
    "scheme": _("It is not a web address (%(detail)s)."),
    "no_tls": _("The connection is not encrypted (http://)."),
    "ip_host": _("It points to a bare IP address (%(detail)s) instead of a name."),
    "unreadable": _("It cannot be read as an address."),
    "foreign_phone": _("It is a foreign number (%(detail)s): scammers posing as police or "
                       "banks often call from abroad."),
    "premium_phone": _("It is a charged 1900 number."),
    "odd_phone": _("It is not a usual Vietnamese phone number (%(detail)s)."),
    "phrase": _("It uses wording common in scams (%(detail)s)."),
    "scam_pattern": _("It combines several scam tricks at once (%(detail)s)."),
}  # fmt: skip
PHRASE_GROUPS = {
    "otp": _("asks for an OTP code"),
    "transfer": _("asks for a transfer or deposit"),
    "authority": _("police, court or investigation"),
    "account": _("your account is locked or must be updated"),
    "prize": _("prize, gift or Tết support"),
    "job": _("easy job, commission"),
    "tickets": _("cheap Tết tickets"),
    "banknotes": _("new banknote exchange"),
    "shipper": _("delivery fee"),
    "gambling": _("gambling"),
    "link": _("click a link or scan a QR code"),
}
ADVICE = {
    "dangerous": [
        _("Do not open the link, call back, transfer money or give any code."),
        _("Report it to your unit's IT officer and at canhbao.khonggianmang.vn."),
    ],
    "suspicious": [
        _("Do not act on it yet: check through a channel you find yourself (the number on "
          "your card, the official website typed by hand)."),
        _("Never give an OTP code to anyone."),
    ],
    "safe": [_("The address is genuine, but a genuine site can be misused: still never give "
               "an OTP code.")],
    "unknown": [_("Nothing known about it: that does not make it safe. If it asks for money, "
                  "codes or passwords, treat it as a scam.")],
}  # fmt: skip


def words(reason: scamcheck.Reason) -> str:
    detail = reason.detail
    if reason.code in ("phrase", "scam_pattern"):
        detail = ", ".join(str(PHRASE_GROUPS.get(g, g)) for g in detail.split(", "))
    template = REASONS.get(reason.code)
    return str(template) % {"detail": detail} if template else reason.code


def as_json(result: scamcheck.Check) -> dict:
    return {
        "verdict": result.verdict,
        "kind": result.kind,
        "checked": result.value,
        "reasons": [words(r) for r in result.reasons],
        "codes": [r.code for r in result.reasons],
        "advice": [str(a) for a in ADVICE[result.verdict]],
    }
