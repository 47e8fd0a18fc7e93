"""Turn a built-in template (templates_data.py) into a draft directive for a given year."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from citysoc.core.models import Unit
from citysoc.directives.models import ActionItem, Directive
from citysoc.directives.templates_data import TEMPLATES
from citysoc.lib import bodies

# First day of Tết, used when the `holidays` package is missing or does not know the year.
TET_DAYS = {
    2024: dt.date(2024, 2, 10),
    2025: dt.date(2025, 1, 29),
    2026: dt.date(2026, 2, 17),
    2027: dt.date(2027, 2, 6),
    2028: dt.date(2028, 1, 26),
    2029: dt.date(2029, 2, 13),
    2030: dt.date(2030, 2, 3),
}
STEMS = ["Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý"]
BRANCHES = ["Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi"]


class TemplateError(ValueError):
    """The template cannot be used as asked; the message says why."""


def can_chi(year: int) -> str:
    """The lunar year's name: 2024 → 'Giáp Thìn' (the cycle starts at Giáp Tý, year 4)."""
    return f"{STEMS[(year - 4) % 10]} {BRANCHES[(year - 4) % 12]}"


def tet_day(year: int) -> dt.date:
    """The first day of the Lunar New Year in Viet Nam."""
    try:
        import holidays

        for day, name in holidays.country_holidays("VN", years=year, language="en_US").items():
            if name == "Lunar New Year":
                return day
    except ImportError:
        pass
    if year in TET_DAYS:
        return TET_DAYS[year]
    raise TemplateError(f"the date of Tết {year} is unknown here; install the 'holidays' package")


def city_root() -> Unit:
    root = Unit.objects.filter(parent=None).order_by("pk")
    unit = root.filter(kind=Unit.Kind.CITY).first() or root.first()
    if unit is None:
        raise TemplateError("there is no city unit yet: create the city (or load the demo) first")
    return unit


def _place(unit: Unit) -> str:
    name = unit.name
    for prefix in ("Thành phố ", "Tỉnh ", "Huyện ", "Thị xã "):
        name = name.removeprefix(prefix)
    return name


def body_words(on: dt.date) -> dict[str, str]:
    """{provincial_security}, {provincial_security_short}, {…_abbr}, {…_contact} for every
    body in force on `on`: the names a letter of that date must use."""
    words: dict[str, str] = {}
    for role, body in bodies.names_on(on).items():
        words[role] = body.name
        words[f"{role}_short"] = body.short
        words[f"{role}_abbr"] = body.abbreviation
        words[f"{role}_contact"] = body.contact
    return words


def tier_words(issuer: Unit, on: dt.date) -> dict[str, str]:
    """{tier}, {offices}, {lower_units}, {office_abbr}: how a letter of the issuer's tier
    (province, city, ward, commune) on that date names itself and whom it addresses."""
    tier = bodies.local_tier(issuer.name, on, issuer.kind)
    lower = f"{tier.lower}; " if tier.lower else ""
    return {
        "tier": tier.word,
        "offices": tier.offices,
        "lower_units": lower,
        "lower_units_line": f"\n{tier.lower}." if tier.lower else "",
        "office_abbr": tier.office_abbr,
        "offices_cap": tier.offices[:1].upper() + tier.offices[1:],
    }


def instantiate_template(name: str, *, year: int, issuer: Unit | None = None) -> Directive:
    """Create a draft directive from template `name` for `year`, dated before its holiday."""
    if name not in TEMPLATES:
        raise TemplateError(f"no template '{name}'; known: {', '.join(sorted(TEMPLATES))}")
    data = TEMPLATES[name]
    day = tet_day(year)
    issuer = issuer or city_root()
    date = day + dt.timedelta(days=data["date_offset"])
    words = {
        "year": year,
        "can_chi": can_chi(year),
        "city": _place(issuer),
        **body_words(date),
        **tier_words(issuer, date),
    }

    def fill(key: str) -> str:
        return data.get(key, "").format(**words)

    with transaction.atomic():
        directive = Directive.objects.create(
            unit=issuer,
            doc_type=data["doc_type"],
            symbol=data["symbol"].format(**words),
            place=_place(issuer),
            date=date,
            issuing_body=f"ỦY BAN NHÂN DÂN\n{issuer.name.upper()}",
            subject=fill("subject"),
            legal_bases=fill("legal_bases"),
            body=fill("body"),
            addressees=fill("addressees"),
            copies_to=fill("copies_to"),
            signing_form=data["signing_form"],
            signing_body=data["signing_body"],
            head_title=data["head_title"],
            signer_title=data["signer_title"],
            recipient_kinds=list(data["recipient_kinds"]),
            template=name,
        )
        for order, item in enumerate(data["items"], start=1):
            ActionItem.objects.create(
                directive=directive,
                order=order,
                section=item["section"].format(**words),
                text=item["text"].format(**words),
                applies_to_kinds=list(item.get("applies_to_kinds", [])),
                due_date=day + dt.timedelta(days=item["due_offset"]),
                evidence_required=item["evidence_required"],
                area=item["area"],
            )
    return directive
