"""A spreadsheet column: its headers, and how a cell is read on import and written on export.

The columns of each kind are declared where their records are: `system_fields` (information
systems), `asset_fields` (hosts, ranges, domains) and `unit_columns` (units, people, the
address plan); `import_kinds` lists the kinds and matches a file's header row to them.

Headers are matched case- and diacritics-insensitively ("Tên máy", "ten may", "HOSTNAME"
all find the same column). Choice cells accept the stored value, the English label, the
Vietnamese label or an ordinary word of the field's table in `synonyms.py` ("xã", "commune",
"nhà mạng"), the same way; exports write the Vietnamese label so that a file goes round
unchanged.
The Vietnamese headers and labels here are a file format, not UI text: they stay the same
whatever language the user reads the site in, so they are plain strings, not translations.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from citysoc.core.models import Person, Unit
from citysoc.inventory import synonyms
from citysoc.inventory.models import Host, InformationSystem, IpRange
from citysoc.lib.formulas import restore_defused

# Vietnamese labels of every choice, keyed by stored value. They do not depend on the
# .po catalogue so that import works the same before and after translation.
VI_LABELS: dict[str, dict[str, str]] = {
    "unit_kind": {
        "city": "Thành phố / tỉnh",
        "department": "Sở, ban, ngành",
        "ward": "Phường / xã",
        "school": "Trường học",
        "public_service": "Đơn vị sự nghiệp",
        "enterprise": "Doanh nghiệp",
        "isp": "Nhà cung cấp dịch vụ Internet",
        "other": "Khác",
    },
    "role": {
        "city_admin": "Quản trị thành phố",
        "unit_admin": "Quản trị đơn vị",
        "operator": "Cán bộ vận hành",
        "viewer": "Người xem",
        "isp_liaison": "Đầu mối doanh nghiệp viễn thông",
        "contact": "Liên hệ (không đăng nhập)",
    },
    "system_type": {
        "internal": "Phục vụ hoạt động nội bộ",
        "citizen": "Phục vụ người dân, doanh nghiệp",
        "infrastructure": "Hạ tầng thông tin",
        "industrial": "Điều khiển công nghiệp",
        "other": "Khác",
    },
    "subtype": {
        "email": "Thư điện tử",
        "document_mgmt": "Quản lý văn bản và điều hành",
        "video_conf": "Hội nghị truyền hình",
        "management": "Quản lý chuyên ngành / tổng thể",
        "internal_processing": "Xử lý nội bộ",
        "one_stop": "Một cửa điện tử",
        "portal": "Cổng / trang thông tin điện tử",
        "online_service": "Dịch vụ công trực tuyến",
        "customer_care": "Chăm sóc khách hàng",
        "network": "Mạng LAN / WAN / mạng truyền số liệu",
        "data_centre": "Cơ sở dữ liệu / trung tâm dữ liệu / điện toán đám mây",
        "e_auth": "Xác thực điện tử / CA / chữ ký số",
        "integration": "Trục tích hợp",
        "ics": "PLC / DCS / SCADA",
        "other": "Khác",
    },
    "info_class": {
        "public": "Thông tin công cộng",
        "private": "Thông tin riêng",
        "personal": "Thông tin cá nhân",
        "state_secret": "Bí mật nhà nước",
    },
    "dossier": {
        "none": "Chưa có hồ sơ",
        "draft": "Dự thảo",
        "submitted": "Đã trình",
        "appraised": "Đã thẩm định",
        "approved": "Đã phê duyệt",
    },
    "host_kind": {
        "server": "Máy chủ",
        "workstation": "Máy trạm",
        "network": "Thiết bị mạng",
        "other": "Khác",
    },
    "criticality": {
        "low": "Thấp",
        "medium": "Trung bình",
        "high": "Cao",
        "critical": "Rất cao",
    },
    "scope": {"public": "Công khai", "internal": "Nội bộ"},
}

CHOICE_SOURCES = {
    "unit_kind": Unit.Kind,
    "role": Person.Role,
    "system_type": InformationSystem.Type,
    "subtype": InformationSystem.Subtype,
    "info_class": InformationSystem.InfoClass,
    "dossier": InformationSystem.Dossier,
    "host_kind": Host.Kind,
    "criticality": Host.Criticality,
    "scope": IpRange.Scope,
}


def fold(text: Any) -> str:
    """'  Tên  Máy ' -> 'ten may': lower case, no diacritics, single spaces."""
    raw = unicodedata.normalize("NFKD", str(text or "")).replace("đ", "d").replace("Đ", "d")
    plain = "".join(c for c in raw if not unicodedata.combining(c)).lower()
    return re.sub(r"[\s_\-./()*:]+", " ", plain).strip()


YES = {fold(word) for word in synonyms.YES_WORDS}
NO = {fold(word) for word in synonyms.NO_WORDS}


def cell_text(value: Any) -> str:
    """A cell as text: Excel gives 12.0 for 12 and datetimes for dates."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    text = unicodedata.normalize("NFC", str(value)).strip()
    return restore_defused(text)  # the apostrophe our exports add against formula injection


class CellError(ValueError):
    """A cell's value cannot be used; the message says why and what is expected."""


@dataclass(frozen=True)
class Column:
    """One column of a kind: where it goes, how it is headed and how a cell is read."""

    key: str
    header: str
    aliases: tuple[str, ...]
    help: Any
    required: bool = False
    choices: str = ""  # a key of VI_LABELS
    kind: str = "text"  # text, int, level, bool, date, choice, multichoice
    example: str = ""
    # A reference to another row: the field of that row a cell names it by ("code" for a
    # unit). Exports read `<key>__<related_by>`; the kind's resolver looks the row up.
    related_by: str = ""
    names: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        names = {fold(self.header), fold(self.key)} | {fold(a) for a in self.aliases}
        object.__setattr__(self, "names", frozenset(names))

    def parse(self, value: Any) -> Any:
        text = cell_text(value)
        if not text:
            if self.required:
                raise CellError(_("This column is required; the cell is empty."))
            return _EMPTY.get(self.kind, "")
        return PARSERS[self.kind](self, value, text)

    def format(self, value: Any) -> Any:
        """The cell an export writes for a stored value."""
        if value is None:
            return ""
        if self.kind == "choice":
            return VI_LABELS[self.choices].get(value, value)
        if self.kind == "multichoice":
            return "; ".join(VI_LABELS[self.choices].get(v, v) for v in value)
        if self.kind == "bool":
            return "có" if value else "không"
        if self.kind == "date":
            return value.strftime("%d/%m/%Y")
        return value

    def allowed(self) -> list[str]:
        """'value / English / Vietnamese' for every choice, for the guide sheet."""
        if not self.choices:
            return []
        labels = VI_LABELS[self.choices]
        return [f"{v} / {en} / {labels[v]}" for v, en in _english_choices(self.choices)]


_EMPTY: dict[str, Any] = {
    "int": None,
    "level": None,
    "date": None,
    "bool": False,
    "multichoice": [],
}


def _english_choices(name: str) -> list[tuple[str, str]]:
    # The labels in the model are the English source strings of the translations.
    with translation.override("en"):
        return [(value, str(label)) for value, label in CHOICE_SOURCES[name].choices]


_LOOKUP_CACHE: dict[str, dict[str, str]] = {}


class AmbiguousWordError(ValueError):
    """A word of a synonym table names two values of one field: the table must be fixed."""


def choice_words(name: str, value: str) -> tuple[str, ...]:
    """Every word accepted for `value` of field `name`: value, labels, then synonyms."""
    english = dict(_english_choices(name))[value]
    words = (
        value,
        english,
        VI_LABELS[name][value],
        *synonyms.SYNONYMS.get(name, {}).get(value, ()),
    )
    return tuple(dict.fromkeys(words))


def choice_lookup(name: str) -> dict[str, str]:
    """Folded value, English label, Vietnamese label and synonyms -> stored value."""
    if name not in _LOOKUP_CACHE:
        table: dict[str, str] = {}
        for value, _english in _english_choices(name):
            for text in choice_words(name, value):
                if table.setdefault(fold(text), value) != value:
                    raise AmbiguousWordError(
                        f"{name}: {text!r} means both {table[fold(text)]!r} and {value!r}"
                    )
        _LOOKUP_CACHE[name] = table
    return _LOOKUP_CACHE[name]


def synonyms_text(col: Column) -> str:
    """The other words a choice cell may hold, for the guide sheet: 'Label: a, b; ...'."""
    if not col.choices:
        return ""
    table = synonyms.SYNONYMS.get(col.choices, {})
    return "; ".join(
        f"{label}: {', '.join(table[value])}"
        for value, label in VI_LABELS[col.choices].items()
        if table.get(value)
    )


def _parse_text(col: Column, value: Any, text: str) -> str:
    return text


def _parse_int(col: Column, value: Any, text: str) -> int:
    try:
        number = int(float(text.replace(",", ""))) if "." in text else int(text.replace(",", ""))
    except ValueError:
        raise CellError(_("'%s' is not a whole number.") % text) from None
    if number < 0:
        raise CellError(_("'%s' is negative; give a whole number of 0 or more.") % text)
    return number


_LEVEL_PREFIXES = sorted((fold(p) for p in synonyms.LEVEL_PREFIXES), key=len, reverse=True)
_ROMAN_LEVELS = {fold(k): v for k, v in synonyms.ROMAN_LEVELS.items()}


def _parse_level(col: Column, value: Any, text: str) -> int:
    """A security level as offices write it: 3, "Cấp độ 3", "cấp 3", "level 3", "III"."""
    if re.fullmatch(r"\d+(\.0+)?", text):
        return int(float(text))
    words = fold(text)
    for prefix in _LEVEL_PREFIXES:
        if words.startswith(prefix + " ") or (
            words.startswith(prefix) and words[len(prefix) :].isdigit()
        ):
            words = words[len(prefix) :].strip()
            break
    if words in _ROMAN_LEVELS:
        return _ROMAN_LEVELS[words]
    if words.isdigit():
        return int(words)
    raise CellError(_("'%s' is not a security level; write 1 to 5 or 'Cấp độ 3'.") % text)


def _parse_bool(col: Column, value: Any, text: str) -> bool:
    if value is True or value is False:
        return value
    folded = fold(text)
    if folded in YES:
        return True
    if folded in NO:
        return False
    raise CellError(_("'%s' is not yes or no; write 'có' or 'không'.") % text)


def _parse_date(col: Column, value: Any, text: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date only
        except ValueError:
            continue
    raise CellError(_("'%s' is not a date; write it as dd/mm/yyyy.") % text)


def _parse_choice(col: Column, value: Any, text: str) -> str:
    found = choice_lookup(col.choices).get(fold(text))
    if found is None:
        allowed = ", ".join(VI_LABELS[col.choices].values())
        raise CellError(
            _("'%(v)s' is not an allowed value; use one of: %(a)s.") % {"v": text, "a": allowed}
        )
    return found


def _parse_multichoice(col: Column, value: Any, text: str) -> list[str]:
    parts = [p for p in re.split(r"[;,\n]", text) if p.strip()]
    return sorted({_parse_choice(col, p, p.strip()) for p in parts})


PARSERS: dict[str, Callable[[Column, Any, str], Any]] = {
    "text": _parse_text,
    "int": _parse_int,
    "level": _parse_level,
    "bool": _parse_bool,
    "date": _parse_date,
    "choice": _parse_choice,
    "multichoice": _parse_multichoice,
}


def field_names(columns: tuple[Column, ...]) -> list[str]:
    """The model fields a kind's columns fill, in order: a form's or serializer's fields."""
    return [c.key for c in columns]


def C(key: str, header: str, aliases: tuple[str, ...], help_text: Any, **kw: Any) -> Column:  # noqa: N802
    return Column(key, header, aliases, help_text, **kw)


# The first column of every kind a unit owns.
UNIT_COLUMN = C(
    "unit",
    "Mã đơn vị",
    ("unit", "unit code", "ma dv"),
    _("Code of the unit the row belongs to, as on the Units page."),
    required=True,
    example="ward-a",
    related_by="code",
)


def allowed_text(col: Column) -> str:
    """What a cell of `col` may hold, for the guide sheet and the docs."""
    if col.choices:
        return "; ".join(f"{label} ({v})" for v, label in VI_LABELS[col.choices].items())
    kinds = {"int": "số nguyên / whole number", "bool": "có / không (yes / no)"}
    kinds["level"] = "1–5; Cấp độ 3, cấp 3, level 3, III"
    return {**kinds, "date": "dd/mm/yyyy"}.get(col.kind, "")
