"""The fields of hosts, IP ranges and domains, declared once (see `system_fields`).

Each tuple lists the model fields a person edits, in order: the edit form's fields, the
REST serializer's writable fields and the import/export columns are taken from it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from citysoc.inventory.columns import UNIT_COLUMN, C, Column

HOST_FIELDS: tuple[Column, ...] = (
    UNIT_COLUMN,
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
    C(
        "owner",
        "Người phụ trách",
        ("owner",),
        _("Full name of a person of the same unit."),
        related_by="full_name",
    ),
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
        related_by="name",
    ),
)

RANGE_FIELDS: tuple[Column, ...] = (
    UNIT_COLUMN,
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
    C(
        "provider",
        "Nhà cung cấp",
        ("provider", "isp"),
        _("Code or name of the ISP unit."),
        related_by="code",
    ),
    C(
        "nat_egress",
        "NAT ra Internet",
        ("nat egress", "nat"),
        _("Yes if it is a NAT egress."),
        kind="bool",
    ),
    C("note", "Ghi chú", ("note",), _("Free text.")),
)

DOMAIN_FIELDS: tuple[Column, ...] = (
    UNIT_COLUMN,
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
        related_by="name",
    ),
    C("note", "Ghi chú", ("note",), _("Free text.")),
)
