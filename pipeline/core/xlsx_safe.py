"""Text cells that stay text: a value typed as «=…», «+…», «-…» or «@…» is never written as a formula.

openpyxl stores any string that begins with «=» as a formula, and Excel would evaluate it when the
file is opened (formula injection: «=HYPERLINK(…)», «=cmd|…»). Every spreadsheet the tool writes from
staff data sets its text cells through `text_cell`.
"""

from __future__ import annotations

from typing import Any

FORMULA_START = ("=", "+", "-", "@")


def looks_like_formula(value: Any) -> bool:
    """Tell whether Excel or openpyxl would take this value for the start of a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def text_cell(cell, value: str, *, quote: bool = True):
    """Give cell holding value as a string cell; a formula-like value also gets Excel's «'» prefix.

    quote=False for a cell formatted as text («@»), where Excel keeps the value as typed anyway.
    """
    cell.value = value
    cell.data_type = "s"
    if quote and looks_like_formula(value):
        cell.quotePrefix = True  # Excel shows it as typed text, also after editing the cell
    return cell


CSV_QUOTED = (*FORMULA_START, "\t", "\r", "'")


def csv_text(value: str) -> str:
    """Give a CSV field that Excel shows as the text typed, never as a formula (CSV injection).

    A value starting with = + - @, a tab or a carriage return gets a leading «'», as does one that
    already starts with «'», so that `csv_value` gives back exactly the value written.
    """
    return "'" + value if value.startswith(CSV_QUOTED) else value


def csv_value(field: str) -> str:
    """Give back the value `csv_text` wrote."""
    return field[1:] if field.startswith("'") else field
