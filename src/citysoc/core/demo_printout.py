"""What `citysoc demo` prints: the demo logins, their password, and what each role sees."""

from __future__ import annotations

from django.conf import settings

from citysoc.core.demo import DEMO_PASSWORD
from citysoc.core.models import Person, Unit

R = Person.Role

_ROLE_SEES = {
    R.CITY_ADMIN: "every unit; imports, audit log, range overlaps, people",
    R.VIEWER: "its unit and the units under it, read-only (at the root: the whole city)",
    R.UNIT_ADMIN: "its unit and the units under it; edits inventory, manages its people",
    R.OPERATOR: "its unit and the units under it; edits inventory",
    R.ISP_LIAISON: "its ISP unit; block and clean-up requests addressed to it",
}


def describe(accounts: list[dict]) -> str:
    """A friendly printout for the terminal: where to open, the logins, what each role sees."""
    counts = getattr(accounts, "counts", {})
    existing: set[str] = getattr(accounts, "existing", set())
    lines = [
        "Demo loaded: Tỉnh Ninh Bình (Tam Điệp wards) — fictional data for trying citysoc out."
    ]
    if counts:
        lines.append(
            f"  {counts['units']} units, {counts['systems']} information systems "
            f"({counts['unapproved']} without an approved level), {counts['hosts']} hosts, "
            f"{counts['ranges']} IP ranges, {counts['domains']} domains."
        )
    lines += [
        "",
        f"Open {settings.SITE_URL.rstrip('/')}/ and log in with one of these accounts.",
        f"Password of every new demo account: {DEMO_PASSWORD}",
        "",
    ]
    if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
        lines += [
            "E-mail is not sent (EMAIL_HOST is not set): each message is kept in the 'mail'",
            "folder of the data folder.",
            "",
        ]
    lines += _table(accounts, existing)
    if existing:
        lines += [
            "",
            "* existed already: left as it was, so its password is the one last set "
            "(the demo password unless someone changed it).",
        ]
    lines += ["", "What each role sees:"]
    lines += [f"  {role:<12} {text}" for role, text in _ROLE_SEES.items()]
    return "\n".join(lines)


def _table(accounts: list[dict], existing: set[str]) -> list[str]:
    names = {u.code: u.name for u in Unit.objects.filter(code__in={a["unit"] for a in accounts})}
    header = ("username", "role", "unit", "unit name")
    rows = [
        (a["username"] + (" *" if a["username"] in existing else ""), a["role"], a["unit"],
         names.get(a["unit"], ""))
        for a in accounts
    ]  # fmt: skip
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
    return [
        "  " + "  ".join(cell.ljust(w) for cell, w in zip(row[:3], widths, strict=True)) + "  "
        + row[3]
        for row in [header, *rows]
    ]  # fmt: skip
