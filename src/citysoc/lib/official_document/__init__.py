"""The layout of an official Vietnamese administrative document (Decree 30/2020/NĐ-CP,
Appendix I), shared by every area's DOCX and PDF: `docx` (python-docx) and `pdf` (fpdf2).

No Django: the documents are drawn from plain values and from an `Issuer` (who issues and
signs: `core.letterhead.Letterhead`, a directive, an incident form's letterhead).
"""
