"""Built-in directive templates, as data.

The Tết template restates, in our own words, the items of the city's 2024 letter on
network security during the Lunar New Year (shared/reference/directive-tet-2024.md).
Dates are offsets in days from the first day of Tết, so one template serves every year.
Text fields may use {year}, {can_chi} (e.g. "Giáp Thìn"), {city} (e.g. "Tam Điệp") and the
bodies in force on the letter's date (citysoc/lib/data/bodies.yaml): {provincial_security},
{provincial_security_short}, {provincial_security_abbr}, {national_security},
{national_cert}, {national_cert_contact}, {national_monitoring},
{national_monitoring_contact}; and the issuer's tier on that date
(citysoc/lib/data/local_government.yaml): {tier}, {offices}, {lower_units},
{lower_units_line}, {office_abbr}. A 2027 letter thus cites the provincial police (PA05), not
the Department of Information and Communications abolished on 01/03/2025, and a province
addresses its sở, not the phòng of a district-level city abolished on 01/07/2025.
"""

from __future__ import annotations

from typing import Any

ALL_KINDS = ["department", "ward", "school", "public_service", "enterprise", "isp", "other"]

SECTION_ALL = "1. Tăng cường các biện pháp bảo đảm an toàn thông tin mạng"
SECTION_ISP = "2. Đối với các doanh nghiệp cung cấp dịch vụ viễn thông, internet"
SECTION_CONTACTS = "3. Đầu mối hỗ trợ giám sát, xử lý, ứng cứu sự cố"

TET = {
    "doc_type": "cong_van",
    "symbol": "UBND-{office_abbr}",
    "date_offset": -25,
    "subject": (
        "V/v tăng cường bảo đảm an toàn thông tin mạng trong dịp Tết Nguyên đán {can_chi} {year}"
    ),
    "legal_bases": (
        "Công văn số …/{provincial_security_abbr} ngày …/01/{year} của {provincial_security} "
        "về việc tăng cường bảo đảm an toàn thông tin mạng trong dịp Tết Nguyên đán "
        "{can_chi} {year}"
    ),
    "body": (
        "Thực hiện chỉ đạo của {provincial_security_short} về bảo đảm an toàn thông tin mạng "
        "trong dịp Tết Nguyên đán {can_chi} {year}, Ủy ban nhân dân {tier} đề nghị {offices}, "
        "Mặt trận Tổ quốc và các đoàn thể {tier}; {lower_units}"
        "các cơ quan, đơn vị, doanh nghiệp, trường học trên địa bàn triển khai các nội dung sau:"
    ),
    "addressees": (
        "{offices_cap}, MTTQ, đoàn thể {tier};\n"
        "Các cơ quan, đơn vị, doanh nghiệp trên địa bàn {tier};{lower_units_line}"
    ),
    "copies_to": "Như kính gửi;\nLưu: VT, {office_abbr}.",
    "signing_form": "tm_kt",
    "signing_body": "ỦY BAN NHÂN DÂN",
    "head_title": "CHỦ TỊCH",
    "signer_title": "PHÓ CHỦ TỊCH",
    "recipient_kinds": ALL_KINDS,
    "items": [
        {
            "section": SECTION_ALL,
            "text": (
                "Rà soát toàn bộ hệ thống thông tin đơn vị đang quản lý, bảo đảm mỗi hệ thống "
                "đã áp dụng đầy đủ các biện pháp bảo vệ tương ứng với cấp độ an toàn của hệ thống."
            ),
            "area": "inventory",
            "due_offset": -7,
            "evidence_required": True,
        },
        {
            "section": SECTION_ALL,
            "text": (
                "Phân công cán bộ trực tại chỗ 24/24 giờ trong dịp nghỉ Tết; theo dõi liên tục "
                "hệ thống giám sát an toàn thông tin tập trung và hệ thống phòng, chống mã độc; "
                "xử lý, khắc phục ngay các cuộc tấn công mạng và cảnh báo mã độc đã được xác minh."
            ),
            "area": "duty",
            "due_offset": -3,
            "evidence_required": True,
        },
        {
            "section": SECTION_ALL,
            "text": (
                "Quét, kiểm tra và gỡ bỏ phần mềm độc hại trên tất cả máy chủ, máy trạm trong "
                "mạng của đơn vị; làm trước với các hệ thống có địa chỉ IP nằm trong Danh sách IP "
                "mạng botnet được cảnh báo hằng tháng hoặc đột xuất."
            ),
            "area": "botnet",
            "due_offset": -7,
            "evidence_required": True,
        },
        {
            "section": SECTION_ALL,
            "text": (
                "Chủ động rà soát lỗ hổng, điểm yếu trên các hệ thống thông tin thuộc phạm vi "
                "quản lý; áp dụng biện pháp phòng ngừa và khắc phục triệt để các lỗ hổng, "
                "điểm yếu phát hiện được."
            ),
            "area": "vulns",
            "due_offset": -7,
            "evidence_required": True,
        },
        {
            "section": SECTION_ALL,
            "text": (
                "Tuyên truyền, nâng cao nhận thức và kỹ năng cơ bản về an toàn thông tin mạng "
                "cho cán bộ; nhắc cán bộ cảnh giác với thông tin xấu độc, tin giả và các hình "
                "thức lừa đảo trên không gian mạng."
            ),
            "area": "awareness",
            "due_offset": -7,
            "evidence_required": False,
        },
        {
            "section": SECTION_ISP,
            "applies_to_kinds": ["isp"],
            "text": (
                "Bố trí đủ nhân lực trực giám sát, hỗ trợ và khắc phục sự cố để hạ tầng viễn "
                "thông, internet hoạt động an toàn, thông suốt."
            ),
            "area": "duty",
            "due_offset": -3,
            "evidence_required": False,
        },
        {
            "section": SECTION_ISP,
            "applies_to_kinds": ["isp"],
            "text": (
                "Triển khai đầy đủ các biện pháp bảo vệ để phát hiện, ngăn chặn kịp thời tấn "
                "công mạng và việc phát tán thông tin xấu độc, thông tin vi phạm pháp luật trên "
                "hệ thống thông tin, hạ tầng mạng lưới thuộc phạm vi quản lý."
            ),
            "area": "incidents",
            "due_offset": -3,
            "evidence_required": False,
        },
        {
            "section": SECTION_ISP,
            "applies_to_kinds": ["isp"],
            "text": (
                "Thực hiện nghiêm, kịp thời các biện pháp xử lý theo yêu cầu của "
                "{provincial_security_short} và các cơ quan chức năng có thẩm quyền."
            ),
            "area": "botnet",
            "due_offset": -3,
            "evidence_required": False,
        },
        {
            "section": SECTION_CONTACTS,
            "text": (
                "Phổ biến cho cán bộ trực các đầu mối hỗ trợ giám sát, xử lý, ứng cứu sự cố: "
                "{provincial_security}; {national_security}; {national_cert}, "
                "{national_cert_contact}; {national_monitoring}, {national_monitoring_contact}."
            ),
            "area": "incidents",
            "due_offset": -7,
            "evidence_required": False,
        },
    ],
}

TEMPLATES: dict[str, dict[str, Any]] = {"tet": TET}
