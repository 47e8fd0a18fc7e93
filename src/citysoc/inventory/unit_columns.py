"""The import/export columns of units, people and the city's address plan.

Units and people are the core app's records (their forms and serializers live there); the
address plan is a file only, written into units and ranges by `address_plan`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from citysoc.inventory.columns import UNIT_COLUMN, C, Column

UNIT_COLUMNS: tuple[Column, ...] = (
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
        related_by="code",
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

PEOPLE_COLUMNS: tuple[Column, ...] = (
    UNIT_COLUMN,
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

ADDRESS_PLAN_COLUMNS: tuple[Column, ...] = (
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
