"""The fields of an information system, declared once.

Each entry is a model field of `InformationSystem` in the order every surface shows it: the
edit form's fields, the REST serializer's writable fields, the import columns (Vietnamese
header, English aliases, whether required, how a cell is read) and the export columns (how
a value is written) are all taken from `SYSTEM_FIELDS`. A new model field is added here
or to `SET_BY_DATABASE`; `tests/inventory/test_field_lists.py` fails until it is.
The Vietnamese headers are a file format, not UI text (see `columns`).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from citysoc.inventory.columns import UNIT_COLUMN, C, Column

SYSTEM_FIELDS: tuple[Column, ...] = (
    UNIT_COLUMN,
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
        related_by="code",
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

FIELD_NAMES: tuple[str, ...] = tuple(c.key for c in SYSTEM_FIELDS)

# Model fields nobody types in: the database and Django set them; the API shows them
# read-only and exports leave them out (an import could not set them anyway).
SET_BY_DATABASE: dict[str, str] = {
    "id": "the database's key; the API's id",
    "created_at": "set when the row is first saved",
    "updated_at": "set on every save",
}

# The serializer's fields: the declared ones between the id and the read-only stamps.
API_FIELDS: tuple[str, ...] = ("id", *FIELD_NAMES, "level_approved", "created_at", "updated_at")
