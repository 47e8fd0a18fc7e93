"""The columns of each import/export kind: Vietnamese header first, English aliases after.

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


def C(key: str, header: str, aliases: tuple[str, ...], help_text: Any, **kw: Any) -> Column:  # noqa: N802
    return Column(key, header, aliases, help_text, **kw)


UNIT_COL = C(
    "unit",
    "Mã đơn vị",
    ("unit", "unit code", "ma dv"),
    _("Code of the unit the row belongs to, as on the Units page."),
    required=True,
    example="ward-a",
)

UNITS = (
    C(
        "code",
        "Mã đơn vị",
        ("code", "unit code"),
        _("Short unique code (letters, digits, -)."),
        required=True,
        example="ward-a",
    ),
    C(
        "name",
        "Tên đơn vị",
        ("name", "unit name"),
        _("Full name of the unit."),
        required=True,
        example="Phường Bắc Sơn",
    ),
    C(
        "kind",
        "Loại đơn vị",
        ("kind", "unit kind", "type"),
        _("Kind of unit."),
        required=True,
        kind="choice",
        choices="unit_kind",
        example="Phường / xã",
    ),
    C(
        "parent",
        "Mã đơn vị cấp trên",
        ("parent", "parent code", "parent unit"),
        _("Code of the unit above it (may be a unit earlier in the same file)."),
        example="city",
    ),
    C("address", "Địa chỉ", ("address",), _("Postal address.")),
    C("phone", "Điện thoại", ("phone", "telephone"), _("Switchboard phone.")),
    C("email", "Thư điện tử", ("email", "e-mail"), _("General e-mail address.")),
    C(
        "security_lead_name",
        "Lãnh đạo phụ trách ATTT",
        ("security lead",),
        _("Leader in charge of information security."),
    ),
    C(
        "security_lead_phone",
        "Điện thoại lãnh đạo ATTT",
        ("security lead phone",),
        _("Their phone."),
    ),
    C(
        "security_lead_email",
        "Thư điện tử lãnh đạo ATTT",
        ("security lead email",),
        _("Their e-mail."),
    ),
    C(
        "incident_contact_name",
        "Đầu mối ứng cứu 24/7",
        ("incident contact", "24/7 contact"),
        _("Person to call about an incident, day and night."),
    ),
    C(
        "incident_contact_phone",
        "Điện thoại đầu mối 24/7",
        ("incident contact phone",),
        _("Their phone."),
    ),
    C(
        "incident_contact_email",
        "Thư điện tử đầu mối 24/7",
        ("incident contact email",),
        _("Their e-mail."),
    ),
)

PEOPLE = (
    UNIT_COL,
    C(
        "full_name",
        "Họ và tên",
        ("full name", "name"),
        _("Full name."),
        required=True,
        example="Nguyễn Văn An",
    ),
    C("title", "Chức vụ", ("title", "job title"), _("Job title.")),
    C("email", "Thư điện tử", ("email", "e-mail"), _("E-mail address.")),
    C("phone", "Điện thoại", ("phone",), _("Phone number.")),
    C(
        "role",
        "Vai trò",
        ("role",),
        _("Role in the unit. Import never creates login accounts."),
        kind="choice",
        choices="role",
        example="Liên hệ (không đăng nhập)",
    ),
)

SYSTEMS = (
    UNIT_COL,
    C(
        "name",
        "Tên hệ thống",
        ("name", "system name", "system"),
        _("Name of the system."),
        required=True,
        example="Cổng thông tin điện tử phường",
    ),
    C("owner_body", "Cơ quan chủ quản", ("owner body", "owner"), _("Owner body (chủ quản).")),
    C(
        "system_type",
        "Loại hệ thống",
        ("type", "system type"),
        _("Type of system."),
        required=True,
        kind="choice",
        choices="system_type",
        example="Phục vụ người dân, doanh nghiệp",
    ),
    C(
        "subtype",
        "Phân loại chi tiết",
        ("subtype",),
        _("Subtype."),
        kind="choice",
        choices="subtype",
    ),
    C(
        "info_classes",
        "Loại thông tin xử lý",
        ("information classes", "info classes"),
        _("Information classes handled, separated by ';'."),
        kind="multichoice",
        choices="info_class",
    ),
    C(
        "user_count",
        "Số người dùng",
        ("users", "user count", "number of users"),
        _("Number of users (a whole number)."),
        kind="int",
    ),
    C(
        "security_level",
        "Cấp độ",
        ("level", "security level"),
        _("Security level, 1 to 5."),
        kind="level",
        example="2",
    ),
    C(
        "regime",
        "Căn cứ xác định cấp độ",
        ("regime", "level set under"),
        _("Code of the regulation the level was set under, e.g. decree-85-2016."),
    ),
    C(
        "dossier_status",
        "Trạng thái hồ sơ",
        ("dossier", "dossier status", "level dossier"),
        _("Status of the level dossier."),
        kind="choice",
        choices="dossier",
    ),
    C(
        "decision_number",
        "Số quyết định",
        ("decision number",),
        _("Number of the approval decision."),
    ),
    C(
        "decision_date",
        "Ngày quyết định",
        ("decision date",),
        _("Date of the decision, dd/mm/yyyy."),
        kind="date",
    ),
    C("approver", "Người phê duyệt", ("approver", "approved by"), _("Who approved the level.")),
    C("description", "Mô tả", ("description",), _("Free text.")),
)

HOSTS = (
    UNIT_COL,
    C(
        "hostname",
        "Tên máy",
        ("hostname", "host", "host name"),
        _("Host name, unique in the unit."),
        required=True,
        example="srv-web-01",
    ),
    C(
        "kind",
        "Loại máy",
        ("kind", "host kind", "type"),
        _("Kind of host (default: workstation)."),
        kind="choice",
        choices="host_kind",
        example="Máy chủ",
    ),
    C("os", "Hệ điều hành", ("os", "operating system"), _("Operating system.")),
    C(
        "ipv4",
        "Địa chỉ IPv4",
        ("ipv4", "ipv4 address", "ip"),
        _("IPv4 address."),
        example="203.0.113.10",
    ),
    C("ipv6", "Địa chỉ IPv6", ("ipv6", "ipv6 address"), _("IPv6 address.")),
    C("mac", "Địa chỉ MAC", ("mac", "mac address"), _("MAC address, aa:bb:cc:dd:ee:ff.")),
    C("location", "Vị trí", ("location",), _("Where the host is.")),
    C("owner", "Người phụ trách", ("owner",), _("Full name of a person of the same unit.")),
    C(
        "criticality",
        "Mức độ quan trọng",
        ("criticality",),
        _("Criticality (default: medium)."),
        kind="choice",
        choices="criticality",
    ),
    C(
        "systems",
        "Hệ thống phục vụ",
        ("systems", "serves systems"),
        _("Names of the unit's information systems it serves, separated by ';'."),
    ),
)

RANGES = (
    UNIT_COL,
    C(
        "text",
        "Dải địa chỉ",
        ("range", "cidr", "ip range"),
        _("CIDR (IPv4 or IPv6), one address, or a-b range."),
        required=True,
        example="203.0.113.0/28",
    ),
    C(
        "scope",
        "Phạm vi",
        ("scope",),
        _("Public or internal (default: public)."),
        kind="choice",
        choices="scope",
    ),
    C("provider", "Nhà cung cấp", ("provider", "isp"), _("Code or name of the ISP unit.")),
    C(
        "nat_egress",
        "NAT ra Internet",
        ("nat egress", "nat"),
        _("Yes if it is a NAT egress."),
        kind="bool",
    ),
    C("note", "Ghi chú", ("note",), _("Free text.")),
)

DOMAINS = (
    UNIT_COL,
    C(
        "name",
        "Tên miền",
        ("domain", "name", "domain name"),
        _("Domain name."),
        required=True,
        example="bacson.example.gov.vn",
    ),
    C("url", "Địa chỉ website", ("url", "website", "website url"), _("Website URL.")),
    C(
        "system",
        "Hệ thống thông tin",
        ("system", "information system"),
        _("Name of the unit's information system it belongs to."),
    ),
    C("note", "Ghi chú", ("note",), _("Free text.")),
)

ADDRESS_PLAN = (
    C(
        "unit_code",
        "Mã đơn vị",
        ("unit code", "code", "unit"),
        _("Code of the unit."),
        required=True,
        example="ward-a",
    ),
    C(
        "unit_name",
        "Tên đơn vị",
        ("unit name", "name"),
        _("Name of the unit (needed when the unit does not exist yet)."),
        example="Phường Bắc Sơn",
    ),
    C(
        "unit_kind",
        "Loại đơn vị",
        ("unit kind", "kind"),
        _("Kind of a new unit (default: other)."),
        kind="choice",
        choices="unit_kind",
        example="Phường / xã",
    ),
    C(
        "cidr",
        "Dải địa chỉ",
        ("cidr", "range", "ip range"),
        _("CIDR, address or a-b range."),
        required=True,
        example="203.0.113.0/28",
    ),
    C("provider", "Nhà cung cấp", ("provider", "isp"), _("Code or name of the ISP unit.")),
)

KINDS: dict[str, tuple[Column, ...]] = {
    "units": UNITS,
    "people": PEOPLE,
    "systems": SYSTEMS,
    "hosts": HOSTS,
    "ranges": RANGES,
    "domains": DOMAINS,
    "address_plan": ADDRESS_PLAN,
}

# Natural keys: a row whose key already exists updates that row instead of adding one.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "units": ("code",),
    "people": ("unit", "full_name"),
    "systems": ("unit", "name"),
    "hosts": ("unit", "hostname"),
    "ranges": ("unit", "text"),
    "domains": ("unit", "name"),
    "address_plan": ("unit_code", "cidr"),
}


@dataclass(frozen=True)
class Mapping:
    """Which file column feeds which field; columns we do not know are listed, not used."""

    by_index: dict[int, Column]
    ignored: list[str]
    missing: list[Column]
    duplicates: list[str]


def map_header(kind: str, header: list[Any]) -> Mapping:
    columns = KINDS[kind]
    by_index: dict[int, Column] = {}
    seen: set[str] = set()
    ignored: list[str] = []
    duplicates: list[str] = []
    for index, raw in enumerate(header):
        name = fold(raw)
        if not name:
            continue
        col = next((c for c in columns if name in c.names), None)
        if col is None:
            ignored.append(cell_text(raw))
        elif col.key in seen:
            duplicates.append(cell_text(raw))
        else:
            seen.add(col.key)
            by_index[index] = col
    missing = [c for c in columns if c.required and c.key not in seen]
    return Mapping(by_index, ignored, missing, duplicates)


def allowed_text(col: Column) -> str:
    """What a cell of `col` may hold, for the guide sheet and the docs."""
    if col.choices:
        return "; ".join(f"{label} ({v})" for v, label in VI_LABELS[col.choices].items())
    kinds = {"int": "số nguyên / whole number", "bool": "có / không (yes / no)"}
    kinds["level"] = "1–5; Cấp độ 3, cấp 3, level 3, III"
    return {**kinds, "date": "dd/mm/yyyy"}.get(col.kind, "")


def markdown_table(kind: str) -> str:
    """The columns of `kind` as a Markdown table, for docs/import.md."""
    lines = [
        "| Vietnamese header | English header | required | meaning | allowed values"
        " | also accepted |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for col in KINDS[kind]:
        english = col.aliases[0] if col.aliases else col.key
        required = "yes" if col.required else ""
        lines.append(
            f"| {col.header} | {english} | {required} | {col.help} | {allowed_text(col)}"
            f" | {synonyms_text(col)} |"
        )
    return "\n".join(lines)
