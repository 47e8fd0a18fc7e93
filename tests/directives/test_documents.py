import datetime as dt
import io

import docx

from citysoc.directives.documents import directive_docx, vietnamese_date
from citysoc.directives.templating import instantiate_template


def test_dates_are_written_the_vietnamese_way():
    assert vietnamese_date("Tam Điệp", dt.date(2025, 1, 5)) == "Tam Điệp, ngày 05 tháng 01 năm 2025"
    assert (
        vietnamese_date("Tam Điệp", dt.date(2025, 12, 24)) == "Tam Điệp, ngày 24 tháng 12 năm 2025"
    )
    assert vietnamese_date("Tam Điệp", dt.date(2025, 3, 15)).endswith("tháng 3 năm 2025")


def test_the_directive_docx_has_the_decree_30_blocks(city, client, city_admin):
    directive = instantiate_template("tet", year=2025)
    directive.number = "15"
    directive.signer_name = "Vũ Đình Chiến"
    directive.save()
    document = docx.Document(io.BytesIO(directive_docx(directive)))
    header, footer = document.tables
    left, right = (c.text for c in header.rows[0].cells)
    assert "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ TAM ĐIỆP" in left
    assert "Số: 15/UBND-VHTT" in left
    assert "V/v tăng cường bảo đảm an toàn thông tin mạng" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc" in right
    assert "Tam Điệp, ngày 04 tháng 01 năm 2025" in right
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Kính gửi:" in body
    assert "- Ủy ban nhân dân các phường, xã." in body
    assert "2. Đối với các doanh nghiệp cung cấp dịch vụ viễn thông, internet" in body
    assert "086.9100.317" in body
    copies, signature = (c.text for c in footer.rows[0].cells)
    assert copies.startswith("Nơi nhận:\n- Như kính gửi;")
    assert signature.startswith("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH")
    assert signature.rstrip().endswith("Vũ Đình Chiến")
    client.force_login(city_admin)
    response = client.get(f"/directives/{directive.pk}/docx/")
    assert response.content[:2] == b"PK"
