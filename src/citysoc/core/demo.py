"""The demo: a fictional "Tỉnh Ninh Bình" hub with every kind of unit, for trying citysoc.

Since 01/07/2025 local government has two levels: the district-level "Thành phố Tam Điệp"
no longer exists, so the top unit is the province and the wards are the wards formed from
Tam Điệp's (Tam Điệp, Trung Sơn, Yên Sơn, Yên Thắng: the April 2025 plan; the final mapping
in Resolution 1674/NQ-UBTVQH15 is UNCONFIRMED). Unit codes keep their pre-2025 names.

Everything here is invented: names, phone numbers, addresses and contacts are made up; the
addresses are private (10.0.0.0/8) or documentation ranges (192.0.2.0/24, 198.51.100.0/24,
203.0.113.0/24, 2001:db8::/32); every domain contains `example`. One pair of ranges of two
units overlaps on purpose, and several systems have no approved level yet, so that the
overlap screen, the dashboard and the nightly reminder have something to show.

`load()` is idempotent: rows are looked up by their natural key (unit code, unit + name,
unit + hostname, unit + range text…) and only missing ones are created, so a re-run keeps
whatever the user changed — including a demo account's password. It is deterministic (a
seeded generator) and runs in one transaction, attributed to the actor "demo".
"""

from __future__ import annotations

import datetime
import ipaddress
import random
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import models, transaction

from citysoc.core import audit
from citysoc.core.models import Person, Unit
from citysoc.inventory.models import Domain, Host, InformationSystem, IpRange, SecurityRegime
from citysoc.lib import bodies, iprange
from citysoc.lib.domains import normalize_domain

# Printed next to every demo login; it passes Django's password validators.
DEMO_PASSWORD = "Demo@2026!"  # noqa: S105 - a published demo password, not a secret
SEED = 20240201
GOV = "tamdiep.example.gov.vn"
ROOT = "tamdiep"

K = Unit.Kind
T = InformationSystem.Type
S = InformationSystem.Subtype
R = Person.Role


@dataclass(frozen=True)
class UnitSpec:
    code: str
    kind: str
    name: str
    parent: str | None
    street: str
    mail: str  # the unit's mail domain
    hosts: tuple[int, int, int]  # servers, workstations, network devices


UNITS: list[UnitSpec] = [
    UnitSpec(ROOT, K.CITY, "Tỉnh Ninh Bình", None, "Số 1 đường Quang Trung", GOV, (10, 60, 8)),
    UnitSpec("vhtt", K.DEPARTMENT, "Sở Khoa học và Công nghệ", ROOT,
             "Số 3 đường Quang Trung", f"vhtt.{GOV}", (3, 25, 3)),
    UnitSpec("tckh", K.DEPARTMENT, "Sở Tài chính", ROOT,
             "Số 5 đường Quang Trung", f"tckh.{GOV}", (2, 30, 2)),
    UnitSpec("vp-ubnd", K.DEPARTMENT, "Văn phòng UBND tỉnh", ROOT,
             "Số 1 đường Quang Trung", f"vp.{GOV}", (2, 35, 3)),
    UnitSpec("tnmt", K.DEPARTMENT, "Sở Nông nghiệp và Môi trường", ROOT,
             "Số 7 đường Quang Trung", f"tnmt.{GOV}", (2, 25, 2)),
    UnitSpec("gddt", K.DEPARTMENT, "Sở Giáo dục và Đào tạo", ROOT,
             "Số 12 đường Lê Lợi", f"gddt.{GOV}", (2, 20, 2)),
    UnitSpec("p-bacson", K.WARD, "Phường Tam Điệp", ROOT,
             "Số 20 đường Bắc Sơn", f"bacson.{GOV}", (1, 24, 2)),
    UnitSpec("p-namson", K.WARD, "Xã Đồng Giao (mô phỏng)", ROOT,
             "Số 8 đường Nam Sơn", f"namson.{GOV}", (1, 22, 2)),
    UnitSpec("p-trungson", K.WARD, "Phường Trung Sơn", ROOT,
             "Số 15 đường Trần Hưng Đạo", f"trungson.{GOV}", (1, 26, 2)),
    UnitSpec("x-yenson", K.WARD, "Phường Yên Sơn", ROOT,
             "Thôn Trung Sơn, phường Yên Sơn", f"yenson.{GOV}", (1, 18, 2)),
    UnitSpec("x-quangson", K.WARD, "Phường Yên Thắng", ROOT,
             "Thôn Đồng Chanh, phường Yên Thắng", f"quangson.{GOV}", (1, 16, 2)),
    UnitSpec("thcs-bacson", K.SCHOOL, "Trường THCS Bắc Sơn", "p-bacson",
             "Tổ 5, phường Tam Điệp", "thcsbacson.tamdiep.example.edu.vn", (1, 18, 1)),
    UnitSpec("mn-namson", K.SCHOOL, "Trường Mầm non Nam Sơn", "p-namson",
             "Tổ 9, xã Đồng Giao (mô phỏng)", "mnnamson.tamdiep.example.edu.vn", (0, 10, 1)),
    UnitSpec("th-yenson", K.SCHOOL, "Trường Tiểu học Yên Sơn", "x-yenson",
             "Thôn Yên Thái, phường Yên Sơn", "thyenson.tamdiep.example.edu.vn", (1, 14, 1)),
    UnitSpec("ttyt", K.PUBLIC_SERVICE, "Trung tâm Y tế khu vực Tam Điệp", ROOT,
             "Số 40 đường Lê Lợi", f"ttyt.{GOV}", (8, 70, 5)),
    UnitSpec("ttvh", K.PUBLIC_SERVICE, "Trung tâm Văn hóa, Thể thao và Truyền thanh", ROOT,
             "Số 2 đường Đồng Giao", f"ttvh.{GOV}", (2, 12, 2)),
    UnitSpec("bqlda", K.PUBLIC_SERVICE, "Ban Quản lý dự án đầu tư xây dựng", ROOT,
             "Số 9 đường Quang Trung", f"bqlda.{GOV}", (0, 10, 1)),
    UnitSpec("ct-capnuoc", K.ENTERPRISE, "Công ty Cổ phần Cấp nước Sơn Hà", ROOT,
             "Khu công nghiệp phía Bắc", "capnuocsonha.example.com", (4, 25, 4)),
    UnitSpec("ct-detmay", K.ENTERPRISE, "Công ty TNHH Dệt may Quang Trung", ROOT,
             "Khu công nghiệp phía Nam", "detmayquangtrung.example.com", (2, 30, 2)),
    UnitSpec("isp-vnpt", K.ISP, "VNPT Tam Điệp", ROOT,
             "Số 30 đường Quang Trung", "tamdiep.vnpt.example.net", (6, 4, 6)),
    UnitSpec("isp-viettel", K.ISP, "Viettel Tam Điệp", ROOT,
             "Số 18 đường Trần Hưng Đạo", "tamdiep.viettel.example.net", (6, 4, 6)),
    UnitSpec("isp-fpt", K.ISP, "FPT Telecom Tam Điệp", ROOT,
             "Số 25 đường Lê Lợi", "tamdiep.fpt.example.net", (4, 4, 5)),
    UnitSpec("mttq", K.OTHER, "Ủy ban MTTQ Việt Nam tỉnh", ROOT,
             "Số 4 đường Quang Trung", f"mttq.{GOV}", (0, 8, 1)),
]  # fmt: skip

# name, type, subtype, level, dossier (a=approved, p=appraised, s=submitted, d=draft, -=none),
# information classes (p=public, r=private, n=personal), users
_SYSTEMS: dict[str, list[tuple]] = {
    ROOT: [
        ("Cổng thông tin điện tử tỉnh", T.CITIZEN, S.PORTAL, 2, "a", "p", 20000),
        ("Hệ thống một cửa điện tử tỉnh", T.CITIZEN, S.ONE_STOP, 3, "a", "prn", 15000),
        ("Hệ thống quản lý văn bản và điều hành", T.INTERNAL, S.DOCUMENT_MGMT, 3, "a", "r", 600),
        ("Hệ thống thư điện tử công vụ", T.INTERNAL, S.EMAIL, 2, "a", "rn", 650),
        ("Hệ thống hội nghị truyền hình trực tuyến", T.INTERNAL, S.VIDEO_CONF, 2, "s", "r", 120),
        ("Mạng LAN trụ sở UBND tỉnh", T.INFRASTRUCTURE, S.NETWORK, 3, "a", "r", 300),
        ("Trung tâm dữ liệu tỉnh", T.INFRASTRUCTURE, S.DATA_CENTRE, 4, "a", "rn", 700),
        ("Trục liên thông dữ liệu (LGSP) tỉnh", T.INFRASTRUCTURE, S.INTEGRATION, 3, "a",
         "rn", 40),
        ("Hệ thống xác thực và chữ ký số nội bộ", T.INFRASTRUCTURE, S.E_AUTH, 3, "d", "rn", 650),
        ("Hệ thống camera giám sát an ninh trật tự đô thị", T.INFRASTRUCTURE, S.OTHER, 3, "p",
         "rn", 30),
    ],
    "vhtt": [
        ("Trang thông tin điện tử Phòng Văn hóa và Thông tin", T.CITIZEN, S.PORTAL, 1, "a", "p",
         3000),
        ("Hệ thống giám sát an toàn thông tin tập trung", T.INFRASTRUCTURE, S.MANAGEMENT, 3, "s",
         "r", 10),
        ("Mạng LAN Phòng Văn hóa và Thông tin", T.INFRASTRUCTURE, S.NETWORK, None, "-", "r", 30),
    ],
    "tckh": [
        ("Phần mềm quản lý ngân sách", T.INTERNAL, S.MANAGEMENT, 3, "a", "r", 40),
        ("Phần mềm kế toán hành chính sự nghiệp", T.INTERNAL, S.INTERNAL_PROCESSING, 2, "a", "r",
         25),
        ("Hệ thống đăng ký kinh doanh hộ cá thể", T.CITIZEN, S.ONLINE_SERVICE, 2, "d", "pn", 2500),
    ],
    "vp-ubnd": [
        ("Hệ thống tiếp nhận phản ánh, kiến nghị của người dân", T.CITIZEN, S.CUSTOMER_CARE, 2,
         "a", "pn", 8000),
        ("Phần mềm quản lý hồ sơ lưu trữ", T.INTERNAL, S.MANAGEMENT, None, "-", "r", 35),
    ],
    "tnmt": [
        ("Cơ sở dữ liệu đất đai tỉnh", T.INTERNAL, S.DATA_CENTRE, 3, "p", "rn", 60),
        ("Hệ thống quan trắc môi trường tự động", T.INDUSTRIAL, S.ICS, 2, "a", "p", 8),
    ],
    "gddt": [
        ("Cơ sở dữ liệu ngành giáo dục", T.INTERNAL, S.MANAGEMENT, 2, "a", "rn", 900),
        ("Hệ thống tuyển sinh đầu cấp trực tuyến", T.CITIZEN, S.ONLINE_SERVICE, 2, "s", "pn",
         6000),
    ],
    "thcs-bacson": [
        ("Phần mềm quản lý học sinh", T.INTERNAL, S.MANAGEMENT, 1, "a", "n", 45),
        ("Trang thông tin điện tử Trường THCS Bắc Sơn", T.CITIZEN, S.PORTAL, None, "-", "p", 800),
    ],
    "mn-namson": [
        ("Trang thông tin điện tử Trường Mầm non Nam Sơn", T.CITIZEN, S.PORTAL, 1, "d", "p", 300),
    ],
    "th-yenson": [
        ("Phần mềm quản lý trường học", T.INTERNAL, S.MANAGEMENT, 1, "a", "n", 30),
    ],
    "ttyt": [
        ("Hệ thống thông tin bệnh viện (HIS)", T.INTERNAL, S.MANAGEMENT, 3, "a", "rn", 250),
        ("Hệ thống lưu trữ và truyền hình ảnh y tế (PACS)", T.INTERNAL, S.INTERNAL_PROCESSING, 3,
         "p", "n", 60),
        ("Phần mềm quản lý tiêm chủng", T.INTERNAL, S.MANAGEMENT, 2, "a", "n", 80),
        ("Hệ thống đặt lịch khám trực tuyến", T.CITIZEN, S.ONLINE_SERVICE, None, "-", "pn", 5000),
    ],
    "ttvh": [
        ("Hệ thống truyền thanh thông minh", T.INFRASTRUCTURE, S.OTHER, 2, "a", "p", 15),
        ("Trang thông tin điện tử Trung tâm Văn hóa", T.CITIZEN, S.PORTAL, 1, "a", "p", 1500),
    ],
    "bqlda": [
        ("Phần mềm quản lý dự án đầu tư", T.INTERNAL, S.MANAGEMENT, 1, "s", "r", 12),
    ],
    "ct-capnuoc": [
        ("Hệ thống SCADA điều khiển trạm bơm", T.INDUSTRIAL, S.ICS, 4, "a", "r", 15),
        ("Hệ thống thu tiền nước trực tuyến", T.CITIZEN, S.ONLINE_SERVICE, 2, "a", "pn", 12000),
        ("Mạng LAN văn phòng công ty", T.INFRASTRUCTURE, S.NETWORK, 1, "a", "r", 40),
    ],
    "ct-detmay": [
        ("Hệ thống ERP sản xuất", T.INTERNAL, S.MANAGEMENT, None, "-", "r", 120),
        ("Thư điện tử doanh nghiệp", T.INTERNAL, S.EMAIL, 1, "d", "r", 150),
    ],
    "isp-vnpt": [
        ("Hệ thống giám sát mạng truy nhập (NOC) khu vực Tam Điệp", T.INFRASTRUCTURE, S.NETWORK,
         3, "a", "r", 20),
    ],
    "isp-viettel": [
        ("Hệ thống chống tấn công DDoS khu vực Tam Điệp", T.INFRASTRUCTURE, S.NETWORK, 3, "s",
         "r", 12),
    ],
    "isp-fpt": [
        ("Hạ tầng mạng truy nhập FTTH khu vực Tam Điệp", T.INFRASTRUCTURE, S.NETWORK, 2, "a", "r",
         15),
    ],
    "mttq": [
        ("Trang thông tin điện tử MTTQ tỉnh", T.CITIZEN, S.PORTAL, None, "-", "p", 500),
    ],
}  # fmt: skip

# The same three systems in every ward, with the dossier at a different stage in each.
_WARD_SYSTEMS = [
    ("Trang thông tin điện tử {ward}", T.CITIZEN, S.PORTAL, 1, "p", 2000),
    ("Mạng LAN trụ sở UBND {ward}", T.INFRASTRUCTURE, S.NETWORK, 2, "r", 40),
    ("Phần mềm quản lý hộ tịch {ward}", T.INTERNAL, S.MANAGEMENT, 2, "rn", 10),
]
_WARD_DOSSIERS = {
    "p-bacson": "aas",
    "p-namson": "aaa",
    "p-trungson": "a-d",
    "x-yenson": "-ap",
    "x-quangson": "d-a",
}
_DOSSIER = {
    "a": InformationSystem.Dossier.APPROVED,
    "p": InformationSystem.Dossier.APPRAISED,
    "s": InformationSystem.Dossier.SUBMITTED,
    "d": InformationSystem.Dossier.DRAFT,
    "-": InformationSystem.Dossier.NONE,
}
_INFO = {"p": "public", "r": "private", "n": "personal"}

# Public ranges: (text, provider, NAT egress, note). Internal ranges are 10.20.<n>.0/24.
_PUBLIC_RANGES: dict[str, list[tuple[str, str | None, bool, str]]] = {
    ROOT: [
        ("203.0.113.0/27", "isp-vnpt", False, "Kênh Internet chính, vùng DMZ"),
        ("198.51.100.0/29", "isp-viettel", False, "Kênh Internet dự phòng"),
        ("2001:db8:20::/56", "isp-vnpt", False, "IPv6 trụ sở"),
    ],
    "vhtt": [("203.0.113.32/29", "isp-vnpt", False, "")],
    "tckh": [("203.0.113.40/30", "isp-vnpt", True, "")],
    "vp-ubnd": [("203.0.113.44/30", "isp-vnpt", True, "")],
    "tnmt": [("203.0.113.48/29", "isp-vnpt", False, "Nhà mạng cấp tháng 3/2026")],
    # The deliberate overlap: an old block the ISP partly re-assigned to tnmt.
    "ttyt": [
        ("203.0.113.48/28", "isp-vnpt", False, "Khối cũ – chờ nhà mạng xác nhận thu hồi"),
        ("203.0.113.64/28", "isp-vnpt", False, ""),
        ("2001:db8:20:100::/56", "isp-vnpt", False, ""),
    ],
    "gddt": [("203.0.113.80/30", "isp-vnpt", True, "")],
    "ttvh": [("203.0.113.84/30", "isp-vnpt", False, "")],
    "bqlda": [("203.0.113.88/32", "isp-vnpt", True, "")],
    "mttq": [("203.0.113.89/32", "isp-vnpt", True, "")],
    "p-bacson": [("198.51.100.8/30", "isp-viettel", True, "")],
    "p-namson": [("198.51.100.12/30", "isp-viettel", True, "")],
    "p-trungson": [("198.51.100.16/30", "isp-viettel", True, "")],
    "x-yenson": [("198.51.100.20/32", "isp-viettel", True, "")],
    "x-quangson": [("198.51.100.21/32", "isp-viettel", True, "")],
    "thcs-bacson": [("198.51.100.24/32", "isp-viettel", True, "")],
    "mn-namson": [("198.51.100.25/32", "isp-viettel", True, "")],
    "th-yenson": [("198.51.100.26/32", "isp-viettel", True, "")],
    "ct-capnuoc": [
        ("192.0.2.0/28", "isp-fpt", False, ""),
        ("2001:db8:21::/56", "isp-fpt", False, ""),
    ],
    "ct-detmay": [("192.0.2.16/29", "isp-fpt", True, "")],
    "isp-vnpt": [("192.0.2.128/27", None, False, "Mạng quản lý thiết bị")],
    "isp-viettel": [("192.0.2.160/27", None, False, "Mạng quản lý thiết bị")],
    "isp-fpt": [("192.0.2.192/27", None, False, "Mạng quản lý thiết bị")],
}

# (unit, domain, the system it serves or None)
_DOMAINS = [
    (ROOT, f"cong.{GOV}", "Cổng thông tin điện tử tỉnh"),
    (ROOT, f"motcua.{GOV}", "Hệ thống một cửa điện tử tỉnh"),
    (ROOT, f"vanban.{GOV}", "Hệ thống quản lý văn bản và điều hành"),
    (ROOT, f"mail.{GOV}", "Hệ thống thư điện tử công vụ"),
    (ROOT, f"lgsp.{GOV}", "Trục liên thông dữ liệu (LGSP) tỉnh"),
    ("vhtt", f"vhtt.{GOV}", "Trang thông tin điện tử Phòng Văn hóa và Thông tin"),
    ("tckh", f"dangkykinhdoanh.{GOV}", "Hệ thống đăng ký kinh doanh hộ cá thể"),
    ("vp-ubnd", f"phananh.{GOV}", "Hệ thống tiếp nhận phản ánh, kiến nghị của người dân"),
    ("gddt", f"tuyensinh.{GOV}", "Hệ thống tuyển sinh đầu cấp trực tuyến"),
    ("p-bacson", f"bacson.{GOV}", "Trang thông tin điện tử Phường Bắc Sơn"),
    ("p-namson", f"namson.{GOV}", "Trang thông tin điện tử Phường Nam Sơn"),
    ("p-trungson", f"trungson.{GOV}", "Trang thông tin điện tử Phường Trung Sơn"),
    ("x-yenson", f"yenson.{GOV}", "Trang thông tin điện tử Xã Yên Sơn"),
    ("x-quangson", f"quangson.{GOV}", "Trang thông tin điện tử Xã Quang Sơn"),
    ("thcs-bacson", "thcsbacson.tamdiep.example.edu.vn",
     "Trang thông tin điện tử Trường THCS Bắc Sơn"),
    ("mn-namson", "mnnamson.tamdiep.example.edu.vn",
     "Trang thông tin điện tử Trường Mầm non Nam Sơn"),
    ("ttyt", f"ttyt.{GOV}", None),
    ("ttyt", f"datlich.ttyt.{GOV}", "Hệ thống đặt lịch khám trực tuyến"),
    ("ttvh", f"ttvh.{GOV}", "Trang thông tin điện tử Trung tâm Văn hóa"),
    ("ct-capnuoc", "capnuocsonha.example.com", None),
    ("ct-capnuoc", "thanhtoan.capnuocsonha.example.com", "Hệ thống thu tiền nước trực tuyến"),
    ("ct-detmay", "detmayquangtrung.example.com", None),
    ("mttq", f"mttq.{GOV}", "Trang thông tin điện tử MTTQ tỉnh"),
]  # fmt: skip

# (unit, username, full name, job title, role): people who log in.
ACCOUNTS = [
    (ROOT, "city.admin", "Trần Minh Đức", "Chuyên viên an toàn thông tin", R.CITY_ADMIN),
    (ROOT, "city.viewer", "Phạm Thu Hằng", "Lãnh đạo UBND tỉnh (xem báo cáo)", R.VIEWER),
    ("vhtt", "vhtt.admin", "Lê Quang Huy", "Phó Trưởng phòng", R.UNIT_ADMIN),
    ("vhtt", "vhtt.operator", "Đỗ Thanh Tùng", "Chuyên viên CNTT", R.OPERATOR),
    ("tckh", "tckh.admin", "Ngô Thị Lan", "Chuyên viên phụ trách CNTT", R.UNIT_ADMIN),
    ("tckh", "tckh.viewer", "Bùi Văn Khải", "Trưởng phòng", R.VIEWER),
    ("p-bacson", "bacson.admin", "Nguyễn Văn Hải", "Công chức phụ trách CNTT", R.UNIT_ADMIN),
    ("p-bacson", "bacson.operator", "Hoàng Thị Mai", "Cán bộ văn phòng", R.OPERATOR),
    ("p-bacson", "bacson.viewer", "Vũ Minh Châu", "Phó Chủ tịch UBND phường", R.VIEWER),
    ("x-yenson", "yenson.admin", "Đặng Văn Toàn", "Công chức Văn hóa – Xã hội", R.UNIT_ADMIN),
    ("x-yenson", "yenson.operator", "Lý Thị Ngọc", "Cán bộ một cửa", R.OPERATOR),
    ("thcs-bacson", "thcsbacson.admin", "Dương Thu Trang", "Giáo viên Tin học", R.UNIT_ADMIN),
    ("ttyt", "ttyt.admin", "Phan Đức Anh", "Trưởng tổ CNTT", R.UNIT_ADMIN),
    ("ttyt", "ttyt.operator", "Trịnh Văn Nam", "Kỹ thuật viên CNTT", R.OPERATOR),
    ("ttyt", "ttyt.viewer", "Mai Thị Hạnh", "Phó Giám đốc", R.VIEWER),
    ("ct-capnuoc", "capnuoc.admin", "Tạ Quang Vinh", "Trưởng phòng Kỹ thuật", R.UNIT_ADMIN),
    ("isp-vnpt", "vnpt.liaison", "Chu Văn Thắng", "Nhân viên điều hành mạng", R.ISP_LIAISON),
    ("isp-viettel", "viettel.liaison", "Lương Thị Hoa", "Kỹ sư an ninh mạng", R.ISP_LIAISON),
    ("isp-fpt", "fpt.liaison", "Kiều Minh Quân", "Kỹ sư vận hành", R.ISP_LIAISON),
]

# Contact names are drawn from common name parts: nobody real is meant.
_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý"]
_MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Thu", "Quang", "Thanh", "Ngọc", "Hữu", "Xuân", "Hồng"]
_GIVEN = [
    "An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Huyền", "Khánh",
    "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phương", "Quân", "Sơn", "Tâm", "Thảo",
    "Trang", "Tuấn", "Vân", "Yến", "Hiếu", "Kiên", "Loan", "Nhàn",
]  # fmt: skip
_SERVER_OS = [
    "Ubuntu Server 22.04 LTS",
    "Windows Server 2019",
    "Windows Server 2022",
    "Red Hat Enterprise Linux 8",
    "CentOS 7",
]
_DESKTOP_OS = ["Windows 10 Pro", "Windows 11 Pro", "Windows 11 Pro", "Windows 7 Professional"]
_NETWORK_OS = ["FortiOS 7.2", "Cisco IOS XE 17.9", "MikroTik RouterOS 7", "Juniper Junos 22.4"]


class DemoAccounts(list):
    """The demo logins as plain dicts, plus what `describe()` reports beside them."""

    existing: set[str]
    counts: dict[str, int]


def load() -> DemoAccounts:
    """Create whatever part of the demo city is missing and return the demo logins."""
    with audit.acting_as(None, via="cli", label="demo"), transaction.atomic():
        units = _load_units()
        systems = _load_systems(units)
        _load_ranges(units)
        _load_domains(units, systems)
        accounts, owners = _load_people(units)
        _load_hosts(units, systems, owners)
    # The Tết directive issued to the demo city, partly answered, so the matrix has a story.
    from citysoc.directives import demo as directives_demo

    directives_demo.load_tet()
    # Two monthly botnet lists: tasks opened, cleaned, verified and one reopened.
    from citysoc.intel import demo as intel_demo

    intel_demo.load()
    # The framework libraries and a few systems assessed against them.
    from citysoc.compliance import demo as compliance_demo

    compliance_demo.load()
    # Tết rosters for the city and four wards (one with a gap), a duty log and a handover.
    from citysoc.duty import demo as duty_demo

    duty_demo.load()
    # Alerts of three wards: escalations, a storm grouped into one message, an incident.
    from citysoc.alerts import demo as alerts_demo

    alerts_demo.load()
    # Website monitors with three days of history, injected gambling links, a defaced page.
    from citysoc.webwatch import demo as webwatch_demo

    webwatch_demo.load()
    # Requests to the three ISPs: answered in part, overdue, and due in three days.
    from citysoc.isps import demo as isps_demo

    isps_demo.load()
    # This week's scoreboard snapshot, once every area's demo data is in.
    from citysoc.reports import demo as reports_demo

    reports_demo.load()
    # The starter course, a Tết programme half completed and a finished phishing drill.
    from citysoc.awareness import demo as awareness_demo

    awareness_demo.load()
    # Scans of five units: KEV findings overdue, fixed awaiting a scan, an accepted risk.
    from citysoc.vulns import demo as vulns_demo

    vulns_demo.load()
    # Sweep agents on a dozen hosts: two infected (their clean-up tasks), one cleaned.
    from citysoc.sweep import demo as sweep_demo

    sweep_demo.load()
    # Incident cases: one open with a late report, one closed with Mẫu 03 and Mẫu 04 sent.
    from citysoc.incidents import demo as incidents_demo

    incidents_demo.load()
    accounts.counts = {
        "units": Unit.objects.count(),
        "systems": InformationSystem.objects.count(),
        "unapproved": InformationSystem.objects.exclude(
            dossier_status=InformationSystem.Dossier.APPROVED
        ).count(),
        "hosts": Host.objects.count(),
        "ranges": IpRange.objects.count(),
        "domains": Domain.objects.count(),
    }
    return accounts


def _find_or_create(model: type[models.Model], lookup: dict, defaults: dict) -> tuple[Any, bool]:
    # Not get_or_create: a user may have added a duplicate by hand (people have no unique
    # name), and the demo must then reuse the first rather than fail.
    found = model.objects.filter(**lookup).order_by("pk").first()
    if found is not None:
        return found, False
    return model.objects.create(**lookup, **defaults), True


def _contact(rng: random.Random) -> tuple[str, str]:
    name = f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"
    phone = f"09{rng.choice('1348')}{rng.randrange(10)} {rng.randrange(1000):03d} "
    return name, phone + f"{rng.randrange(1000):03d}"


def _load_units() -> dict[str, Unit]:
    rng = random.Random(SEED)  # noqa: S311 - repeatable demo data, not secrets
    units: dict[str, Unit] = {}
    for spec in UNITS:
        lead, lead_phone = _contact(rng)
        duty, duty_phone = _contact(rng)
        defaults = {
            "name": spec.name,
            "kind": spec.kind,
            "parent": units.get(spec.parent) if spec.parent else None,
            "address": f"{spec.street}, Tam Điệp (địa chỉ mô phỏng)",
            "phone": f"0229 3{rng.randrange(100000, 999999)}",
            "email": f"vanthu@{spec.mail}",
            "security_lead_name": lead,
            "security_lead_phone": lead_phone,
            "security_lead_email": f"attt@{spec.mail}",
            "incident_contact_name": duty,
            "incident_contact_phone": duty_phone,
            "incident_contact_email": f"trucsuco@{spec.mail}",
        }
        units[spec.code], _ = _find_or_create(Unit, {"code": spec.code}, defaults)
    return units


def system_rows() -> list[tuple[str, tuple]]:
    """Every demo system as (unit code, (name, type, subtype, level, dossier, info, users))."""
    rows = [(code, row) for code, items in _SYSTEMS.items() for row in items]
    for spec in UNITS:
        for template, stage in zip(_WARD_SYSTEMS, _WARD_DOSSIERS.get(spec.code, ""), strict=False):
            name, kind, subtype, level, info, users = template
            level = None if stage == "-" else level
            rows.append((spec.code, (name.format(ward=spec.name), kind, subtype, level, stage,
                                     info, users)))  # fmt: skip
    return rows


def _system_defaults(unit: Unit, row: tuple, number: int, regimes: dict) -> dict:
    _name, kind, subtype, level, stage, info, users = row
    defaults: dict[str, Any] = {
        "owner_body": _owner_body(unit),
        "system_type": kind,
        "subtype": subtype,
        "info_classes": [_INFO[c] for c in info],
        "user_count": users,
        "security_level": level,
        "dossier_status": _DOSSIER[stage],
    }
    if level is None:
        return defaults
    if stage == "a":
        # Decisions spread over three years, so both regimes appear.
        decided = datetime.date(2023, 3, 1) + datetime.timedelta(days=37 * number)
        defaults.update(
            decision_number=f"{100 + number * 7}/QĐ-UBND",
            decision_date=decided,
            approver=_approver(unit, decided),
            regime=regimes.get(
                "nd85-2016" if decided < datetime.date(2026, 7, 1) else "nd331-2026"
            ),
        )
    else:
        defaults["regime"] = regimes.get("nd331-2026")
    return defaults


def _owner_body(unit: Unit) -> str:
    if unit.kind in (K.ENTERPRISE, K.ISP):
        return unit.name
    if unit.kind == K.WARD:
        return f"UBND {unit.name}"
    return "UBND tỉnh Ninh Bình"


def _approver(unit: Unit, decided: datetime.date | None = None) -> str:
    """Who signed the level decision on that date: the district-level city until 30/06/2025."""
    if unit.kind in (K.ENTERPRISE, K.ISP):
        return f"Giám đốc {unit.name}"
    if decided is not None and bodies.district_level_exists(decided):
        return "Chủ tịch UBND thành phố Tam Điệp"
    return "Chủ tịch UBND tỉnh Ninh Bình"


def _load_systems(units: dict[str, Unit]) -> dict[tuple[str, str], InformationSystem]:
    regimes = {r.code: r for r in SecurityRegime.objects.all()}
    systems = {}
    for number, (code, row) in enumerate(system_rows()):
        unit = units[code]
        systems[code, row[0]], _ = _find_or_create(
            InformationSystem,
            {"unit": unit, "name": row[0]},
            _system_defaults(unit, row, number, regimes),
        )
    return systems


def _internal_range(index: int) -> str:
    return f"10.20.{index + 1}.0/24"


def _load_ranges(units: dict[str, Unit]) -> None:
    for index, spec in enumerate(UNITS):
        unit = units[spec.code]
        rows = [(_internal_range(index), None, False, "Mạng nội bộ")]
        rows += _PUBLIC_RANGES.get(spec.code, [])
        for text, provider, nat, note in rows:
            text = iprange.format_range(iprange.parse_range(text))
            scope = IpRange.Scope.INTERNAL if text.startswith("10.") else IpRange.Scope.PUBLIC
            defaults = {
                "scope": scope,
                "provider": units[provider] if provider else None,
                "nat_egress": nat,
                "note": note,
            }
            _find_or_create(IpRange, {"unit": unit, "text": text}, defaults)


def _load_domains(units: dict[str, Unit], systems: dict) -> None:
    for code, name, system_name in _DOMAINS:
        name = normalize_domain(name)
        defaults = {
            "url": f"https://{name}/",
            "system": systems.get((code, system_name)) if system_name else None,
        }
        _find_or_create(Domain, {"unit": units[code], "name": name}, defaults)


def _load_people(units: dict[str, Unit]) -> tuple[DemoAccounts, dict[str, Person]]:
    """The demo logins (a password only for a new account) and each unit's admin person."""
    user_model = get_user_model()
    accounts = DemoAccounts()
    accounts.existing = set()
    owners: dict[str, Person] = {}
    hashed = ""
    for code, username, full_name, title, role in ACCOUNTS:
        email = f"{username}@{next(s.mail for s in UNITS if s.code == code)}"
        user = user_model.objects.filter(username=username).first()
        if user is None:
            # One hash for all: PBKDF2 costs ~0.3 s a time, and the password is public anyway.
            hashed = hashed or make_password(DEMO_PASSWORD)
            family, _, given = full_name.rpartition(" ")
            user = user_model.objects.create(
                username=username, email=email, first_name=given, last_name=family, password=hashed
            )
        else:
            accounts.existing.add(username)
        person, _ = _find_or_create(
            Person,
            {"unit": units[code], "user": user},
            {"full_name": full_name, "title": title, "email": email, "role": role},
        )
        if role == R.UNIT_ADMIN:
            owners[code] = person
        accounts.append({"username": username, "password": DEMO_PASSWORD, "role": role,
                         "unit": code})  # fmt: skip
    return accounts, owners


@dataclass(frozen=True)
class _HostSpec:
    hostname: str
    kind: str
    os: str
    ipv4: str
    ipv6: str | None
    location: str
    criticality: str


def host_specs(index: int, spec: UnitSpec, rng: random.Random) -> list[_HostSpec]:
    """The hosts of one unit: servers, workstations and network devices in its 10.20.x/24."""
    net = f"10.20.{index + 1}"
    v6 = [ipaddress.ip_network(t) for t, *_ in _PUBLIC_RANGES.get(spec.code, []) if ":" in t]
    servers, workstations, devices = spec.hosts
    hosts = []
    for n in range(1, devices + 1):
        name = "fw01" if n == 1 else f"sw{n - 1:02d}"
        hosts.append(
            _HostSpec(
                f"{spec.code}-{name}",
                Host.Kind.NETWORK,
                rng.choice(_NETWORK_OS),
                f"{net}.{n}",
                None,
                "Tủ mạng tầng 1",
                Host.Criticality.HIGH,
            )
        )
    for n in range(1, servers + 1):
        ipv6 = str(v6[0][0x10 + n]) if v6 else None
        hosts.append(
            _HostSpec(
                f"{spec.code}-srv{n:02d}",
                Host.Kind.SERVER,
                rng.choice(_SERVER_OS),
                f"{net}.{10 + n}",
                ipv6,
                "Phòng máy chủ",
                rng.choice([Host.Criticality.HIGH, Host.Criticality.CRITICAL]),
            )
        )
    for n in range(1, workstations + 1):
        hosts.append(
            _HostSpec(
                f"{spec.code}-pc{n:03d}",
                Host.Kind.WORKSTATION,
                rng.choice(_DESKTOP_OS),
                f"{net}.{50 + n}",
                None,
                f"Phòng làm việc số {rng.randrange(1, 12)}",
                rng.choice([Host.Criticality.LOW, Host.Criticality.MEDIUM]),
            )
        )
    return hosts


def _load_hosts(units: dict[str, Unit], systems: dict, owners: dict[str, Person]) -> None:
    """Bulk-create the missing hosts and link each new server to its unit's systems."""
    rng = random.Random(SEED + 1)  # noqa: S311 - repeatable demo data
    existing = set(Host.objects.values_list("unit_id", "hostname"))
    new: list[Host] = []
    for index, spec in enumerate(UNITS):
        unit = units[spec.code]
        owner = owners.get(spec.code)
        for n, h in enumerate(host_specs(index, spec, rng)):
            if (unit.pk, h.hostname) in existing:
                continue
            mac = f"02:20:{index:02x}:00:{n >> 8:02x}:{n & 255:02x}"  # locally administered
            new.append(Host(unit=unit, hostname=h.hostname, kind=h.kind, os=h.os, ipv4=h.ipv4,
                            ipv6=h.ipv6, mac=mac, location=h.location, criticality=h.criticality,
                            owner=owner if h.kind == Host.Kind.SERVER else None))  # fmt: skip
    if not new:
        return
    Host.objects.bulk_create(new, batch_size=500)
    _link_servers(units, systems, [h.hostname for h in new if h.kind != Host.Kind.WORKSTATION])
    # Bulk writes fire no per-row signals: one entry records them all.
    audit.write("import", None, {"created": len(new)}, model="inventory.host",
                object_repr=f"{len(new)} demo hosts")  # fmt: skip


def _link_servers(units: dict[str, Unit], systems: dict, hostnames: list[str]) -> None:
    by_unit: dict[int, list[InformationSystem]] = {}
    for (_code, _name), system in systems.items():
        by_unit.setdefault(system.unit_id, []).append(system)
    through = Host.systems.through
    links = []
    hosts = Host.objects.filter(hostname__in=hostnames, unit__in=units.values())
    for host in hosts.order_by("unit_id", "hostname"):
        candidates = by_unit.get(host.unit_id, [])
        if host.kind == Host.Kind.NETWORK:
            candidates = [s for s in candidates if s.subtype == S.NETWORK]
        for offset in range(min(2, len(candidates))):
            system = candidates[(hash_index(host.hostname) + offset) % len(candidates)]
            links.append(through(host_id=host.pk, informationsystem_id=system.pk))
    through.objects.bulk_create(links, ignore_conflicts=True)


def hash_index(text: str) -> int:
    """A stable small number from a text (Python's hash() changes between runs)."""
    return sum(text.encode())


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
    existing = getattr(accounts, "existing", set())
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
