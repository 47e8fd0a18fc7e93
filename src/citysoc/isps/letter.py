"""A request and its answers as an official letter (công văn), Decree 30/2020 layout.

The header, body lines and signature block are the shared layout (`lib/official_document/`);
the letter adds the table of items with the ISP's answer to each.
"""

from __future__ import annotations

from django.utils import timezone

from citysoc.core.letterhead import letterhead_for
from citysoc.core.models import Unit
from citysoc.isps.models import IspRequest, IspRequestItem
from citysoc.lib.official_document.docx import (
    body_line,
    data_table,
    footer,
    header,
    new_document,
    para,
    to_bytes,
)

ASKS: dict[str, str] = {
    IspRequest.Kind.BLOCK: "thực hiện ngăn chặn các địa chỉ IP, tên miền, đường dẫn sau",
    IspRequest.Kind.SUBSCRIBERS: (
        "xác minh và thông báo cho các thuê bao sử dụng các địa chỉ IP có dấu hiệu nhiễm "
        "mã độc (botnet) sau, hướng dẫn thuê bao xử lý"
    ),
    IspRequest.Kind.STAFFING: "báo cáo việc bố trí lực lượng trực bảo đảm an toàn thông tin",
}
ANSWER_VI: dict[str, str] = {
    IspRequestItem.Answer.PENDING: "Chưa trả lời",
    IspRequestItem.Answer.DONE: "Đã thực hiện",
    IspRequestItem.Answer.NOTIFIED: "Đã thông báo thuê bao",
    IspRequestItem.Answer.NOT_POSSIBLE: "Không thực hiện được",
}


def _reference(request: IspRequest) -> str:
    return f"{request.number or '     '}/TTGS-ATTT"


def _rows(request: IspRequest) -> list[list[str]]:
    rows = []
    for n, item in enumerate(request.items.all(), start=1):
        answer = ANSWER_VI[item.answer]
        if item.comment:
            answer = f"{answer}: {item.comment}"
        rows.append([str(n), item.value, item.note, answer])
    return rows


def request_docx(request: IspRequest) -> bytes:
    """The letter to the ISP, with the table of items and each answer given so far."""
    city = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    head = letterhead_for(city)
    doc = new_document()
    sent = timezone.localtime(request.created_at).date()
    header(doc, head, reference=_reference(request), subject=f"V/v {request.subject}", date=sent)
    kg = para(doc, f"Kính gửi: {request.unit.name}.", size=14)
    kg.paragraph_format.space_before = kg.paragraph_format.space_after
    due = timezone.localtime(request.due_at)
    issuer = head.issuing_body.splitlines()[-1].capitalize()
    body_line(
        doc,
        f"Thực hiện nhiệm vụ bảo đảm an toàn thông tin mạng trên địa bàn, {issuer} "
        f"đề nghị {request.unit.name} {ASKS[request.kind]}, và phản hồi kết quả trước "
        f"{due:%H} giờ {due:%M} ngày {due:%d/%m/%Y}.",
    )
    for line in request.body.splitlines():
        if line.strip():
            body_line(doc, line.strip())
    data_table(
        doc, ["TT", "Nội dung", "Ghi chú", "Kết quả phản hồi"], _rows(request), [1.2, 5.5, 4, 5.8]
    )
    if request.acknowledged_at:
        body_line(
            doc,
            f"Đơn vị đã tiếp nhận yêu cầu lúc "
            f"{timezone.localtime(request.acknowledged_at):%H:%M ngày %d/%m/%Y}.",
        )
    body_line(doc, "Đề nghị quý đơn vị phối hợp thực hiện./.")
    footer(doc, head, "Như trên;\nLưu: VT.")
    return to_bytes(doc)
