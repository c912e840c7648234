"""The upload workbook: sheet «Шаблон» as published, plus the template's lists and validation.

Cells are typed the way the template expects, so Excel never reformats them: dates are real date cells
shown ДД.ММ.ГГГГ, years and hours are numbers, everything else is a text cell (format «@»), written as
a string even when it begins with = + - @ (it never becomes a formula). The dictionaries go to sheet
«Проверки» at the addresses the template's named ranges point to, under the same names, and every
validation rule of the template is reproduced on the same columns, stretched to the last row written.
One rule is left out: the ПО template's date rule on the header cell H1, which only its header has.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from pipeline.core.fsutil import atomic_write
from pipeline.frdo.template import YEAR_MAX, Template, cell_ranges, collapse

CHECKS_SHEET = "Проверки"
DATE_FORMAT = "DD.MM.YYYY"
TEXT_FORMAT = "@"


def write_workbook(path: Path, tpl: Template, rows: list[list[Any]], *, today: dt.date) -> None:
    """Write the upload workbook of `rows` (cells in template order) to `path`, atomically."""
    wb = Workbook()
    ws = wb.active
    ws.title = tpl.sheet
    _header(ws, tpl)
    for r, values in enumerate(rows, start=2):
        for col, value in zip(tpl.columns, values, strict=True):
            _put(ws.cell(row=r, column=col.index), value, col.type)
    _dictionaries(wb, tpl)
    _validations(ws, tpl, last_row=len(rows) + 1)
    stamp = dt.datetime.combine(today, dt.time())
    wb.properties.creator = "uchet"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    atomic_write(path, wb.save)


def _header(ws, tpl: Template) -> None:
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for col in tpl.columns:
        cell = ws.cell(row=1, column=col.index)
        _text(cell, col.header)  # exactly as published: stray spaces and line breaks are the template's
        cell.font, cell.alignment = bold, wrap
        width = min(max(len(collapse(col.header)) // 2, 12), 40)
        dim = ws.column_dimensions[col.letter]
        dim.width = width
        if col.type == "text":
            dim.number_format = TEXT_FORMAT  # rows staff add by hand stay text as well
    ws.freeze_panes = "A2"


def _put(cell: Cell, value: Any, kind: str) -> None:
    if value is None or value == "":
        if kind == "text":
            cell.number_format = TEXT_FORMAT
        return
    if kind == "date":
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, int) and not isinstance(value, bool):
        cell.value = value
        cell.number_format = "0"
    else:
        _text(cell, str(value))


def _text(cell: Cell, text: str) -> None:
    """A text cell; openpyxl would take «=…» for a formula, so the type is set after the value."""
    cell.value = text
    cell.data_type = "s"
    cell.number_format = TEXT_FORMAT


def _dictionaries(wb: Workbook, tpl: Template) -> None:
    """Sheet «Проверки»: each named range's values at the template's address, and the name itself."""
    ws = wb.create_sheet(CHECKS_SHEET)
    placed: dict[str, tuple[int, int]] = {}
    elsewhere = []
    for name, refers_to in tpl.refers_to.items():
        match = re.fullmatch(rf"{CHECKS_SHEET}!\$([A-Z]+)\$(\d+):\$[A-Z]+\$\d+", refers_to)
        if match:
            placed[name] = (column_index_from_string(match[1]), int(match[2]))
        else:
            elsewhere.append(name)  # a structured table reference (ДПО «Таблица1[…]»): given a free column
    free = max((c for c, _ in placed.values()), default=0) + 1
    for i, name in enumerate(elsewhere):
        placed[name] = (free + i, 2)
    used = [c for c, _ in placed.values()]
    if len(set(used)) != len(used):
        raise ValueError("two dictionaries of the template share a column")
    for name, (col, first) in placed.items():
        if first > 1:
            _text(ws.cell(row=1, column=col), _range_title(tpl.refers_to[name], name))
        values = tpl.dictionaries[name]
        for offset, value in enumerate(values):
            cell = ws.cell(row=first + offset, column=col)
            if isinstance(value, int):
                cell.value = value
            else:
                _text(cell, str(value))
        letter = get_column_letter(col)
        ref = f"{CHECKS_SHEET}!${letter}${first}:${letter}${first + len(values) - 1}"
        wb.defined_names[name] = DefinedName(name, attr_text=ref)
        ws.column_dimensions[letter].width = 30


def _range_title(refers_to: str, name: str) -> str:
    """The table column's own title for a structured reference, else the range's name."""
    match = re.search(r"\[\[(.+)\]\]", refers_to)
    return collapse(match[1]) if match else name


def _validations(ws, tpl: Template, last_row: int) -> None:
    for rule in tpl.rules:
        ranges = [r for r in cell_ranges(rule.cells) if r[3] >= 2]
        if not ranges:
            continue
        refs = [
            f"{get_column_letter(c1)}{max(r1, 2)}:{get_column_letter(c2)}{max(r2, last_row)}" for c1, r1, c2, r2 in ranges
        ]
        options: dict[str, Any] = {
            "allow_blank": True, "showInputMessage": bool(rule.prompt), "prompt": rule.prompt or None,
        }
        if rule.type == "list":
            dv = DataValidation(type="list", formula1=rule.formula1, showErrorMessage=True, **options)
        elif rule.type in ("date", "decimal", "whole"):
            operator = rule.operator or "between"
            formula2 = YEAR_MAX if operator == "between" else None
            dv = DataValidation(
                type=rule.type, operator=operator, formula1=rule.formula1, formula2=formula2,
                showErrorMessage=True, **options,
            )
        else:  # «any value»: the template uses it to show a prompt (СНИЛС format, program-name characters)
            dv = DataValidation(**options)
        for ref in refs:
            dv.add(ref)
        ws.add_data_validation(dv)
