"""How many cells a reader allocates for one worksheet: the rectangle from A1 to the farthest filled cell.

calamine reads a cell's address from its «r» attribute in either quote, in upper or lower case letters,
with any number of letters and digits, whatever the element's namespace prefix, and places a cell or row
without one right after the one before. A measure that missed any of these let a file of a few
kilobytes make the reader ask for 67 GB and end the run with no message. So the measure has two ways:

- the plain way, for the sheets every writer staff use makes (Excel, LibreOffice, openpyxl): every cell
  tag is ``<c r="B12" …>`` with a double-quoted, upper-case address first and no other «r»; regular
  expressions walk the cells in C (a learners' list of 50,000 people: 850,000 cells);
- the parser's way, for anything else: the XML is read as XML (lxml, element by element, memory kept
  flat) and every cell is placed as calamine places it. A sheet that is not well-formed XML cannot be
  measured and counts as too large (a reader may still read it, differently).

A cell counts as filled when it holds anything: a value, an inline string, a formula, a comment. Cells
that are only formatted (``<c r="E9" s="1"/>``) cost a reader nothing and are not counted.
"""

from __future__ import annotations

import io
import re
from operator import itemgetter

from lxml import etree

UNMEASURABLE = 1 << 62
"""The area given for a sheet that cannot be measured: above any limit."""

# A cell tag of another namespace prefix (calamine reads «x:c» as a cell): not plain.
PREFIXED_CELL = re.compile(rb"<[A-Za-z_][\w.-]*:c[\s/>]")
# A cell tag that is not plain: its first attribute is not a double-quoted upper-case address without
# leading zeros, an attribute is not name="value", or a second «r» follows. Each candidate starts with
# the literal «<c», so the engine skips from one cell to the next.
_ATTRIBUTE = rb'\s+(?!r=)[A-Za-z_][\w:.-]*="[^"<>]*"'
ODD_CELL = re.compile(rb'<c(?=[\s/>])(?!\s+r="[A-Z]{1,3}[1-9]\d{0,6}"(?:' + _ATTRIBUTE + rb")*\s*/?>)")
NEAR_AREA = 99_999 * 100
"""The most cells a plain sheet spans when no address is past row 99,999 or column CV (the 100th): under the
readers' limit (pipeline.intake.xlsx_guard.CELL_LIMIT), so such a sheet's filled cells are not counted."""
# In a plain sheet: an address past row 99,999 (six digits) or column CV (three letters, or two from CW on).
# A learners' list of 50,000 people (850,000 cells) was counted cell by cell before this bound: a third of
# its guard.
FAR_CELL = re.compile(rb'<c\s+r="(?:[A-Z]{1,3}\d{6}|[A-Z]{3}|[D-Z][A-Z]\d|C[W-Z]\d)')
# A cell tag that is not both plain and near: ODD_CELL with the address held within column CV and row 99,999.
# Where it finds none and no cell is prefixed, the sheet is plain and within NEAR_AREA in one pass over its
# cells, not two (ODD_CELL, then FAR_CELL): every group workbook, and a learners' list under 100,000 rows.
ODD_OR_FAR_CELL = re.compile(rb'<c(?=[\s/>])(?!\s+r="(?:[A-Z]|[AB][A-Z]|C[A-V])[1-9]\d{0,4}"(?:' + _ATTRIBUTE
                             + rb")*\s*/?>)")
# In a plain sheet: a filled cell's column letters and row number (not closed at once, not «<c …></c>»).
FILLED_CELL = re.compile(rb'<c\s+r="([A-Z]{1,3})(\d{1,7})"[^>]*(?<!/)>(?!\s*</c>)')
ADDRESS = re.compile(r"([A-Za-z]+)(\d+)")


def filled_area(xml: bytes) -> int:
    """Rows × columns of the rectangle from A1 to the farthest filled cell of one worksheet's XML
    (UNMEASURABLE when it is not well-formed XML); 0 for a plain sheet within NEAR_AREA, not counted."""
    # Plain: every cell tag as Excel, LibreOffice and openpyxl write it. UTF-16 text: the byte patterns see
    # nothing in it.
    if xml[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\0" in xml[:4096] or PREFIXED_CELL.search(xml) is not None:
        return _parsed_area(xml)
    if ODD_OR_FAR_CELL.search(xml) is None:  # plain and near: one pass over the cells
        return 0
    if ODD_CELL.search(xml) is not None:
        return _parsed_area(xml)
    if FAR_CELL.search(xml) is None:
        return 0
    # 850,000 filled cells at 50,000 learners: the distinct rows and column letters are counted in Python.
    cells = FILLED_CELL.findall(xml)
    if not cells:
        return 0
    max_row = max(map(int, set(map(itemgetter(1), cells))))
    max_col = max(column_number(letters.decode("ascii")) for letters in set(map(itemgetter(0), cells)))
    return max_row * max_col


def column_number(letters: str) -> int:
    """The column a reader gives letters of an address, in either case (A → 1, z → 26, AA → 27)."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _parsed_area(xml: bytes) -> int:
    """filled_area read as XML, placing each cell as calamine does: at its address when it has one it can
    read, else right of the cell before (in the row the last row tag gave, or the one after the row before)."""
    max_row = max_col = row = column = 0
    cell_row = 0
    try:
        for event, element in etree.iterparse(io.BytesIO(xml), events=("start", "end"), resolve_entities=False,
                                              no_network=True, huge_tree=False, recover=False):
            name = element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""
            if event == "start":
                if name == "row":
                    number = element.get("r")
                    row = int(number) if number is not None and number.strip().isdigit() else row + 1
                    column = 0
                elif name == "c":
                    address = ADDRESS.fullmatch((element.get("r") or "").strip())
                    if address is None:
                        column, cell_row = column + 1, row
                    else:
                        column, cell_row = column_number(address[1]), int(address[2])
                continue
            if name == "c" and (len(element) or (element.text or "").strip()):
                max_row, max_col = max(max_row, cell_row), max(max_col, column)
            # Whatever was read is let go, wherever it sits (cells outside rows too): memory stays flat.
            element.clear(keep_tail=True)
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError:
        return UNMEASURABLE
    return max_row * max_col
