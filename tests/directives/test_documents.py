import io

import docx

from citysoc.directives.documents import directive_docx
from citysoc.directives.templating import instantiate_template


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


def test_a_plan_opens_with_its_legal_bases_and_a_letter_does_not(city):
    directive = instantiate_template("tet", year=2025)
    directive.legal_bases = "Luật An toàn thông tin mạng năm 2015\nCăn cứ Nghị định 85/2016/NĐ-CP;"
    directive.save()

    def body() -> str:
        return "\n".join(
            p.text for p in docx.Document(io.BytesIO(directive_docx(directive))).paragraphs
        )

    assert "Căn cứ" not in body()
    directive.doc_type = "ke_hoach"
    text = body()
    assert "Căn cứ Luật An toàn thông tin mạng năm 2015;" in text
    assert "Căn cứ Nghị định 85/2016/NĐ-CP;" in text
    assert text.index("Căn cứ Luật") < text.index("Thực hiện chỉ đạo của")


def test_the_body_markdown_keeps_paragraphs_list_lines_and_bold(city):
    directive = instantiate_template("tet", year=2025)
    directive.body = "Thực hiện **Công văn số 39**:\nđề nghị\n\n- rà soát\n- trực 24/24"
    directive.save()
    document = docx.Document(io.BytesIO(directive_docx(directive)))
    lines = [p for p in document.paragraphs if p.text]
    texts = [p.text for p in lines]
    opening = texts.index("Thực hiện Công văn số 39: đề nghị")
    assert texts[opening + 1 : opening + 3] == ["- rà soát", "- trực 24/24"]
    bold = [r.text for r in lines[opening].runs if r.bold]
    assert bold == ["Công văn số 39"]


def test_pages_are_numbered_from_page_two_in_the_top_margin(city):
    directive = instantiate_template("tet", year=2027)
    section = docx.Document(io.BytesIO(directive_docx(directive))).sections[0]
    assert section.different_first_page_header_footer
    assert 'w:instr="PAGE"' in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml


def test_the_directive_says_by_when_units_report_back(city, client, city_admin):
    directive = instantiate_template("tet", year=2027)
    last = max(directive.items.values_list("due_date", flat=True))
    text = "\n".join(
        p.text for p in docx.Document(io.BytesIO(directive_docx(directive))).paragraphs
    )
    sentence = f"báo cáo kết quả trước ngày {last:%d/%m/%Y}."
    assert sentence in text
    client.force_login(city_admin)
    assert sentence in client.get(f"/directives/{directive.pk}/").content.decode()


def test_the_signature_block_is_kept_with_the_last_lines_of_text(city):
    document = docx.Document(io.BytesIO(directive_docx(instantiate_template("tet", year=2027))))
    signature_row = document.tables[-1].rows[0]._tr
    assert signature_row.trPr is not None and "cantSplit" in signature_row.trPr.xml
    last_text = [p for p in document.paragraphs if p.text.strip()][-1]
    assert last_text.paragraph_format.keep_with_next
