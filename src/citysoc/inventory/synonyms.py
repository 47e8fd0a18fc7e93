"""Ordinary words a spreadsheet may use in a choice column: one table per field.

An address plan typed by a city office says "xã", "Sở", "trường" or "nhà mạng", an English
one "commune" or "ISP"; neither is the stored code nor the exact label. Each table maps a
stored value to the other words that mean it. Cells are compared folded (no case, no
diacritics, single spaces: see `columns.fold`), so "Xa", "XÃ" and "xã" are one word and
each word is written once here, in its natural spelling, as the template's guide sheet
shows it. A word must mean one value only in its field (a test checks it).

These are file-format words like the labels in `columns.VI_LABELS`, not UI text: they do not
go through the translation catalogue.
"""

from __future__ import annotations

SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "unit_kind": {
        "city": (
            "thành phố",
            "tỉnh",
            "UBND thành phố",
            "UBND tỉnh",
            "city",
            "province",
            "municipality",
        ),
        "department": (
            "Sở",
            "Phòng",
            "Ban",
            "ngành",
            "Sở, ngành",
            "cơ quan",
            "department",
            "agency",
            "office",
            "bureau",
        ),
        "ward": (
            "phường",
            "xã",
            "thị trấn",
            "đặc khu",
            "UBND phường",
            "UBND xã",
            "ward",
            "commune",
            "township",
            "special zone",
        ),
        "school": (
            "trường",
            "đại học",
            "cao đẳng",
            "THPT",
            "THCS",
            "tiểu học",
            "mầm non",
            "school",
            "university",
            "college",
        ),
        "public_service": (
            "sự nghiệp",
            "đơn vị sự nghiệp công lập",
            "bệnh viện",
            "trung tâm",
            "public service",
            "public service unit",
            "hospital",
        ),
        "enterprise": (
            "doanh nghiệp",
            "công ty",
            "tập đoàn",
            "enterprise",
            "company",
            "business",
            "corporation",
        ),
        "isp": (
            "nhà mạng",
            "nhà cung cấp",
            "nhà cung cấp dịch vụ",
            "nhà cung cấp Internet",
            "viễn thông",
            "ISP",
            "Internet provider",
            "telco",
            "carrier",
            "provider",
        ),
        "other": ("khác", "other"),
    },
    "role": {
        "city_admin": (
            "quản trị viên thành phố",
            "quản trị cấp thành phố",
            "city admin",
            "city administrator",
        ),
        "unit_admin": (
            "quản trị",
            "quản trị viên",
            "admin",
            "administrator",
            "unit admin",
            "unit administrator",
        ),
        "operator": (
            "vận hành",
            "cán bộ",
            "cán bộ kỹ thuật",
            "chuyên viên",
            "kỹ thuật viên",
            "operator",
            "technician",
            "staff",
        ),
        "viewer": ("xem", "chỉ xem", "viewer", "read only", "read-only"),
        "isp_liaison": (
            "đầu mối nhà mạng",
            "đầu mối ISP",
            "liên lạc nhà mạng",
            "ISP liaison",
            "ISP contact",
        ),
        "contact": ("liên hệ", "đầu mối", "không đăng nhập", "contact", "no login"),
    },
    "system_type": {
        "internal": ("nội bộ", "phục vụ nội bộ", "internal", "internal use"),
        "citizen": (
            "người dân",
            "công dân",
            "phục vụ người dân",
            "dịch vụ công",
            "citizen",
            "citizens",
            "public facing",
            "public",
        ),
        "infrastructure": ("hạ tầng", "cơ sở hạ tầng", "infrastructure", "infra"),
        "industrial": (
            "công nghiệp",
            "điều khiển công nghiệp",
            "SCADA",
            "ICS",
            "OT",
            "industrial",
            "industrial control",
        ),
        "other": ("khác", "other"),
    },
    "subtype": {
        "email": ("thư điện tử", "hộp thư", "email", "e-mail", "mail"),
        "document_mgmt": (
            "quản lý văn bản",
            "văn bản điều hành",
            "QLVB",
            "document management",
        ),
        "video_conf": (
            "hội nghị truyền hình",
            "họp trực tuyến",
            "video conference",
            "video conferencing",
        ),
        "management": ("quản lý chuyên ngành", "quản lý tổng thể", "management"),
        "internal_processing": ("xử lý nội bộ", "internal processing"),
        "one_stop": ("một cửa", "một cửa điện tử", "one stop", "one-stop shop"),
        "portal": (
            "cổng thông tin",
            "cổng thông tin điện tử",
            "trang thông tin điện tử",
            "website",
            "portal",
        ),
        "online_service": (
            "dịch vụ công",
            "dịch vụ công trực tuyến",
            "online service",
            "e-service",
        ),
        "customer_care": ("chăm sóc khách hàng", "CSKH", "customer care", "call centre"),
        "network": (
            "mạng",
            "LAN",
            "WAN",
            "mạng LAN",
            "mạng WAN",
            "mạng truyền số liệu",
            "mạng truyền số liệu chuyên dùng",
            "network",
        ),
        "data_centre": (
            "trung tâm dữ liệu",
            "cơ sở dữ liệu",
            "điện toán đám mây",
            "data centre",
            "data center",
            "database",
            "cloud",
        ),
        "e_auth": (
            "xác thực điện tử",
            "chữ ký số",
            "chứng thư số",
            "CA",
            "e-authentication",
            "digital signature",
            "PKI",
        ),
        "integration": ("trục tích hợp", "LGSP", "integration", "integration bus"),
        "ics": ("PLC", "DCS", "SCADA", "ICS"),
        "other": ("khác", "other"),
    },
    "info_class": {
        "public": ("công cộng", "công khai", "public"),
        "private": ("riêng", "thông tin riêng tư", "private"),
        "personal": ("cá nhân", "dữ liệu cá nhân", "personal", "personal data", "PII"),
        "state_secret": ("bí mật", "mật", "state secret", "secret", "classified"),
    },
    "dossier": {
        "none": ("chưa có", "không có", "chưa", "none", "no", "not started"),
        "draft": ("dự thảo", "đang xây dựng", "đang lập", "draft", "in progress"),
        "submitted": ("đã gửi", "trình", "đang thẩm định", "submitted", "sent"),
        "appraised": ("thẩm định", "đã thẩm định xong", "appraised", "reviewed"),
        "approved": ("phê duyệt", "đã duyệt", "có quyết định", "approved"),
    },
    "host_kind": {
        "server": ("máy chủ ảo", "máy ảo", "server", "srv", "VM", "virtual machine"),
        "workstation": (
            "máy tính",
            "máy tính để bàn",
            "máy tính xách tay",
            "workstation",
            "PC",
            "desktop",
            "laptop",
            "computer",
        ),
        "network": (
            "thiết bị mạng",
            "tường lửa",
            "bộ định tuyến",
            "bộ chuyển mạch",
            "router",
            "switch",
            "firewall",
            "access point",
            "network device",
            "network",
        ),
        "other": ("khác", "máy in", "camera", "other", "printer"),
    },
    "criticality": {
        "low": ("thấp", "low", "minor"),
        "medium": ("trung bình", "vừa", "bình thường", "medium", "normal", "moderate"),
        "high": ("cao", "quan trọng", "high", "important"),
        "critical": (
            "rất quan trọng",
            "đặc biệt quan trọng",
            "critical",
            "very high",
        ),
    },
    "scope": {
        "public": ("công cộng", "IP công khai", "Internet", "public", "external"),
        "internal": ("riêng", "IP nội bộ", "LAN", "internal", "private"),
    },
}

# The security level (1 to 5, Decree 85/2016) as offices write it: "Cấp độ 3", "cấp 3",
# "level 3", "III". A cell is folded, any of these prefixes dropped, then read as a number.
LEVEL_PREFIXES: tuple[str, ...] = ("cấp độ", "cấp", "mức", "level", "lvl")
ROMAN_LEVELS: dict[str, int] = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}

# Yes and no cells ("có"/"không", ticks): folded words.
YES_WORDS: tuple[str, ...] = ("có", "x", "yes", "y", "true", "1", "đúng", "✓")
NO_WORDS: tuple[str, ...] = ("không", "no", "n", "false", "0", "sai", "")
