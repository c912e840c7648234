"""Find the cells calamine reads as empty although they are not: formulas without a saved value, errors.

calamine gives the value Excel saved with a formula. A workbook written by a script (openpyxl, a
report generator) carries formulas with no saved value, and a formula that failed (#DIV/0!, #REF!)
carries an error; calamine reads both as an empty cell, so a required value would be reported as
missing or, worse, an optional one silently dropped. This module reads the sheet XML of such cells
so the loader can say what they really are.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Collection
from typing import NamedTuple

from lxml import etree

from pipeline.intake import xlsx_guard
from pipeline.intake.sheet_area import column_number

# Two patterns, not one alternation: each starts with a literal the regex engine can skip to, where
# «\bt=» made it try every byte (a quarter of the whole load time at 400 groups).
_HAS_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_HAS_ERROR = re.compile(rb"\bt=\"e\"")
_FORMULA_NAME_ENDS = (b" ", b"\t", b"\r", b"\n", b">", b"/")
_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")
_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\b(?=[^>]*\bhidden="(?:1|true)")[^>]*?\br="(\d+)"')
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class HiddenValue(NamedTuple):
    """A cell that reads as empty: a formula with no saved value, or a formula error such as #DIV/0!."""

    row: int
    """1-based Excel row."""
    col: int
    """1-based column."""
    error: str | None
    """The error Excel shows («#DIV/0!»), or None for a formula without a saved value."""


def hidden_values(data: bytes, sheets: Collection[str] | None = None) -> dict[str, list[HiddenValue]]:
    """Give {sheet name: cells that read as empty but hold a formula or an error} of an .xlsx package.

    With `sheets`, only those sheets are looked at (the instructions sheet is a workbook's largest).
    """
    return unseen(data, sheets).values


class Unseen(NamedTuple):
    values: dict[str, list[HiddenValue]]
    """The cells of `hidden_values`."""
    rows: dict[str, list[int]]
    """{sheet name: rows hidden by a filter or by hand (1-based)}."""
    refused: str | None
    """Why a sheet must not be given to a reader (pipeline.intake.xlsx_guard), or None."""


def unseen(data: bytes, sheets: Collection[str] | None = None) -> Unseen:
    """Give what staff do not see in an .xlsx package, in one reading of its sheets (`sheets` only).

    Call it before a reader opens the package: each sheet's XML is also measured by pipeline.intake.xlsx_guard
    here, where it is inflated anyway (the package's zip members are measured first, without inflating).
    """
    refused = xlsx_guard.size_refusal(data)
    if refused is not None:
        return Unseen({}, {}, refused)
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        parts = _sheet_parts(package)
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, OSError):
        return Unseen({}, {}, None)  # an unreadable package is reported by the loader itself
    found: dict[str, list[HiddenValue]] = {}
    hidden: dict[str, list[int]] = {}
    for name, part in parts.items():
        if sheets is not None and name not in sheets:
            continue
        try:
            xml = package.read(part)
        except (KeyError, zipfile.BadZipFile, OSError):
            continue
        refused = xlsx_guard.area_refusal(name, xml)
        if refused is not None:
            return Unseen({}, {}, refused)
        if b"hidden=" in xml:
            rows = [int(n) for n in _HIDDEN_ROW.findall(xml)]
            if rows:
                hidden[name] = rows
        if not _may_hold_formulas(xml) and not (b't="e"' in xml and _HAS_ERROR.search(xml)):
            continue
        cells = list(_scan(xml))
        if cells:
            found[name] = cells
    return Unseen(found, hidden, None)


def _may_hold_formulas(xml: bytes) -> bool:
    # A formula element is «<f…» or «<prefix:f…». Each «<f» is looked at where memchr finds it: a sheet
    # with a drop-down list holds «<formula1>» after all its cells, and the regex over the whole sheet
    # that used to confirm it cost a twentieth of the load.
    at = xml.find(b"<f")
    while at != -1:
        if xml[at + 2:at + 3] in _FORMULA_NAME_ENDS:
            return True
        at = xml.find(b"<f", at + 2)
    return b":f" in xml and _HAS_FORMULA.search(xml) is not None


def _sheet_parts(package: zipfile.ZipFile) -> dict[str, str]:
    """Give {sheet name: zip member of its XML}, following the workbook's relationships."""
    rels = etree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels:
        target = rel.get("Target") or ""
        targets[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    book = etree.fromstring(package.read("xl/workbook.xml"))
    parts = {}
    for sheet in book.iter("{*}sheet"):
        rid = sheet.get(f"{{{_REL_NS}}}id")
        if rid in targets:
            parts[sheet.get("name")] = posixpath.normpath(targets[rid])
    return parts


def _scan(xml: bytes):
    for _event, cell in etree.iterparse(io.BytesIO(xml), tag="{*}c", huge_tree=True):
        formula = value = None
        for child in cell:
            local = etree.QName(child).localname
            if local == "f":
                formula = child
            elif local == "v":
                value = child.text
        kind = cell.get("t")
        is_error = kind == "e"
        # A formula whose result is an empty string is saved as t="str" with an empty value: that is real.
        if is_error or (formula is not None and not value and kind != "str"):
            match = _CELL_REF.match(cell.get("r") or "")
            if match:
                yield HiddenValue(int(match.group(2)), column_number(match.group(1)),
                                  (value or "#ошибка") if is_error else None)
        cell.clear()

