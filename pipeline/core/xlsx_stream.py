"""Large workbooks written as SpreadsheetML text, row by row, in the house style of `xlsx_writer`.

Why not openpyxl here: its write-only mode takes 10-25 µs a cell, so the 17,600 rows of learners.xlsx at
10,000 learners took 4.7 s and a large year of the archive index 8-15 s, longer than a whole one-group edit
may take. A sheet of plain values and a handful of styles is a few lines of XML per row, joined as strings.
The small workbooks with charts, comments or formulas (summary.xlsx, errors.xlsx, the staff workbooks) stay
with openpyxl (`xlsx_writer`).

What a sheet gets: a bold header row on the house colour (or plain bold, for lists kept as records), the
header frozen, filtered and repeated on every printed page, column widths, row heights given by the
caller, long texts wrapped, number formats per column, a fill chosen by a cell's value, A4 (landscape, one
page wide, unless the sheet says otherwise). Values: text (inline strings; a value Excel would take for a formula is kept as text with
Excel's «'» prefix, and characters XML cannot carry become U+FFFD), numbers, booleans, dates. A sheet
marked `text_only` stores every value as text in columns formatted «@», so «+7…» or «-05» stay as typed.

The bytes are the same for the same content (no clock in the zip or the properties).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from pipeline.core.xlsx_safe import looks_like_formula
from pipeline.core.xlsx_writer import CREATOR, DATE_FORMAT, HEADER_FILL_COLOR, TEXT_FORMAT, column_letter

TICK = 256
"""Rows between two calls of a sheet's `advance` (a progress bar redrawn per row would cost more than the row)."""
ROWS_AT_ONCE = 1000
"""Rows made into text and written at a time: a year of 23,000 rows made whole held its text three times over
(the rows, the joined text, its bytes) before the zip took it."""

# What XML 1.0 cannot carry (openpyxl's list, and a lone surrogate, which UTF-8 cannot), written as U+FFFD.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_NS = ('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, TEXT_FORMAT: 49}
_CUT = "\x7f"
"""Where a row of text is cut into its cells once escaped (a row holding one in a value is escaped cell by cell)."""
_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0, as its 1900 date system counts from 1 March 1900 on


def xml_text(value: str) -> str:
    """Give `value` as the text of an XML element: escaped, with what XML 1.0 cannot carry as U+FFFD."""
    # str.replace and isprintable run in C; a translate table looks up every Cyrillic letter in a dict
    # (2 µs a cell, a third of writing a year's index).
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value if value.isprintable() else _FORBIDDEN.sub("\ufffd", value)


@dataclass(frozen=True)
class Column:
    """One column: its header, its width (Excel's units), the number format of its numbers, and a background
    colour (hex RGB) for some of its values."""

    title: str
    width: float
    number_format: str | None = None
    fills: Mapping[Any, str] = field(default_factory=dict)


@dataclass
class Sheet:
    """One sheet: `rows` of values under a header row of `columns`.

    `title`: a line above the table (row 1; the header then is row 3). `text_only`: every value is text.
    `filtered`: filter buttons on the header (when there are rows). `one_page_wide`: printed landscape, one
    page wide (a list of twenty columns and more, as the archive index, would print too small to read).
    `filled_header`: the header on the house colour, wrapping (a records list has a plain bold one).
    `wrap_from`: a text longer than this wraps inside its cell. `header_height`, `row_height(values)`:
    heights in points, None for one line (a row keeps the height the file gives it: Excel and LibreOffice
    do not grow it when printing). `advance(n)` is told the rows written, every TICK rows and at the end.
    """

    name: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    title: str | None = None
    text_only: bool = False
    filtered: bool = True
    one_page_wide: bool = True
    filled_header: bool = True
    wrap_from: int | None = None
    header_height: float | None = None
    row_height: Callable[[Sequence[Any]], float | None] | None = None
    advance: Callable[[int], None] | None = None

    @property
    def header_row(self) -> int:
        return 1 if self.title is None else 3


class _Styles:
    """The cell formats (cellXfs) a workbook uses, numbered as they are first asked for."""

    def __init__(self) -> None:
        self.formats: dict[str, int] = {}
        self.fills: dict[str, int] = {}
        self.xfs: dict[tuple, int] = {}
        self.of()  # 0: the default

    def of(self, *, bold: bool = False, fill: str | None = None, number_format: str | None = None,
           wrap: bool = False, quote: bool = False, top: bool = False) -> int:
        key = (bold, fill, number_format, wrap, quote, top or wrap)
        found = self.xfs.get(key)
        if found is None:
            found = self.xfs[key] = len(self.xfs)
            if number_format is not None and number_format not in _BUILTIN_FORMATS:
                self.formats.setdefault(number_format, 164 + len(self.formats))
            if fill is not None:
                self.fills.setdefault(fill, 2 + len(self.fills))
        return found

    def xml(self) -> str:
        formats = "".join(f'<numFmt numFmtId="{i}" formatCode={quoteattr(code)}/>' for code, i in self.formats.items())
        fills = "".join(f'<fill><patternFill patternType="solid"><fgColor rgb="00{color}"/><bgColor indexed="64"/>'
                        '</patternFill></fill>' for color in self.fills)
        xfs = []
        for bold, fill, number_format, wrap, quote, top in self.xfs:
            fmt = 0 if number_format is None else _BUILTIN_FORMATS.get(number_format) or self.formats[number_format]
            attrs = (f'numFmtId="{fmt}" fontId="{int(bold)}" fillId="{self.fills[fill] if fill else 0}" borderId="0" '
                     'xfId="0"' + (' applyNumberFormat="1"' if fmt else "") + (' applyFont="1"' if bold else "")
                     + (' applyFill="1"' if fill else "") + (' quotePrefix="1"' if quote else ""))
            wrapping = ' wrapText="1"' if wrap else ""
            xfs.append(f'<xf {attrs} applyAlignment="1"><alignment vertical="top"{wrapping}/></xf>' if top
                       else f"<xf {attrs}/>")
        return (f'{_HEAD}<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                + (f'<numFmts count="{len(self.formats)}">{formats}</numFmts>' if self.formats else "")
                + '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
                '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
                f'<fills count="{2 + len(self.fills)}"><fill><patternFill patternType="none"/></fill>'
                f'<fill><patternFill patternType="gray125"/></fill>{fills}</fills>'
                '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


@dataclass
class _Written:
    """What the workbook part needs to know of a sheet once its rows are written."""

    name: str
    header_row: int
    columns: int
    last_row: int
    filtered: bool


def _text_cell(ref: str, style: int, text: str) -> str:
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{xml_text(text)}</t></is></c>'


class _SheetWriter:
    """Turns one Sheet into its XML, piece by piece; `last_row` is known once the pieces are taken."""

    def __init__(self, sheet: Sheet, styles: _Styles) -> None:
        self.sheet, self.styles = sheet, styles
        self.letters = [column_letter(i) for i in range(1, len(sheet.columns) + 1)]
        self.last_row = sheet.header_row
        text = TEXT_FORMAT if sheet.text_only else None
        # Per column: the style of a plain value, of a number, and of a wrapped text.
        self.plain = [styles.of(number_format=text) for _ in sheet.columns]
        self.number = [styles.of(number_format=c.number_format or text) for c in sheet.columns]
        self.wrapped = [styles.of(number_format=text, wrap=True) for _ in sheet.columns]
        self.fast = [not c.fills for c in sheet.columns]
        # A sheet of plain text (the archive index: 23 columns, 23,000 rows a year at 50,000 learners): a row
        # of text only is written without asking each cell what it is.
        self.plain_text = (sheet.text_only and all(self.fast) and sheet.row_height is None
                           and sheet.wrap_from is None and len(set(self.plain)) == 1)
        self.cell_starts = [f'<c r="{letter}' for letter in self.letters]
        self.text_cell = (f'" s="{self.plain[0] if self.plain else 0}" t="inlineStr"><is><t xml:space="preserve">',
                          "</t></is></c>")

    def _cell(self, c: int, ref: str, value: Any, top: bool = False) -> str:
        """One cell; `top`: aligned to the top of a row made taller for a wrapped text beside it."""
        sheet, styles, column = self.sheet, self.styles, self.sheet.columns[c]
        fill = column.fills.get(value) if column.fills else None
        kind = type(value)
        if kind is str or sheet.text_only:
            text = value if kind is str else _as_text(value)
            if not text:
                return ""
            long_text = sheet.wrap_from is not None and len(text) > sheet.wrap_from
            # A cell formatted as text keeps «=…» as typed; a general one needs Excel's «'» prefix.
            quote = not sheet.text_only and looks_like_formula(text)
            if fill is None and not quote and not top:
                style = self.wrapped[c] if long_text else self.plain[c]
            else:
                style = styles.of(fill=fill, number_format=TEXT_FORMAT if sheet.text_only else None, wrap=long_text,
                                  quote=quote, top=top)
            return _text_cell(ref, style, text)
        if kind is bool:
            return f'<c r="{ref}" s="{styles.of(fill=fill, top=top)}" t="b"><v>{int(value)}</v></c>'
        if kind is int or kind is float:
            if not math.isfinite(value):
                return ""
            style = self.number[c] if fill is None and not top else styles.of(
                fill=fill, number_format=column.number_format, top=top)
            return f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>'
        if isinstance(value, dt.date):
            day = value.date() if isinstance(value, dt.datetime) else value
            style = styles.of(fill=fill, number_format=column.number_format or DATE_FORMAT, top=top)
            return f'<c r="{ref}" s="{style}"><v>{(day - _EPOCH).days}</v></c>'
        if value is None:
            return ""
        return self._cell(c, ref, str(value), top)

    def _row(self, r: int, values: Sequence[Any]) -> str:
        if self.plain_text and all(v.__class__ is str for v in values):
            n = str(r)
            # The row's texts escaped at once, cut apart at a character XML allows and a cell holds no more of.
            joined = _CUT.join(values)
            text = joined.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            if joined.count(_CUT) == len(values) - 1 and _FORBIDDEN.search(text) is None:
                texts = text.split(_CUT)
            else:
                texts = [xml_text(v) for v in values]
            middle, end = self.text_cell
            return (f'<row r="{n}">' + "".join([f"{start}{n}{middle}{v}{end}"
                                                for start, v in zip(self.cell_starts, texts, strict=False) if v])
                    + "</row>")
        sheet, plain, cells = self.sheet, self.plain, []
        height = sheet.row_height(values) if sheet.row_height else None
        if height is not None:  # a row made taller for a wrapped text: every cell at its top, read as one line
            cells = [self._cell(c, f"{letter}{r}", v, top=True)
                     for c, (letter, v) in enumerate(zip(self.letters, values, strict=False))]
            return f'<row r="{r}"{_height(height)}>{"".join(cells)}</row>'
        longest = sheet.wrap_from if sheet.wrap_from is not None else math.inf
        numbers = not sheet.text_only
        for c, (letter, fast, v) in enumerate(zip(self.letters, self.fast, values, strict=False)):
            # Most cells are short text, a number or empty in a column without fills: written here, without
            # _cell's questions (learners.xlsx: 50,000 rows of twenty cells at 50,000 learners).
            kind = v.__class__
            if fast and kind is str and v and len(v) <= longest and (
                    sheet.text_only or not looks_like_formula(v)):
                cells.append(f'<c r="{letter}{r}" s="{plain[c]}" t="inlineStr"><is><t xml:space="preserve">'
                             f'{xml_text(v)}</t></is></c>')
            elif v is None:
                continue
            elif fast and numbers and (kind is int or kind is float) and math.isfinite(v):
                cells.append(f'<c r="{letter}{r}" s="{self.number[c]}"><v>{v!r}</v></c>')
            else:
                cells.append(self._cell(c, f"{letter}{r}", v))
        return f'<row r="{r}">{"".join(cells)}</row>'

    def pieces(self) -> Iterator[str]:
        sheet, styles = self.sheet, self.styles
        head = sheet.header_row
        cols = "".join(f'<col min="{i}" max="{i}" width="{c.width:g}" customWidth="1"'
                       + (f' style="{self.plain[i - 1]}"' if sheet.text_only else "") + "/>"
                       for i, c in enumerate(sheet.columns, 1))
        size = f'<dimension ref="A1:{self.letters[-1]}{head + len(sheet.rows)}"/>' if isinstance(
            sheet.rows, Sequence) else ""
        fit = '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' if sheet.one_page_wide else ""
        yield (f'{_HEAD}<worksheet {_NS}>{fit}{size}'
               '<sheetViews><sheetView workbookViewId="0">'
               f'<pane ySplit="{head}" topLeftCell="A{head + 1}" activePane="bottomLeft" state="frozen"/>'
               f'<selection pane="bottomLeft" activeCell="A{head + 1}" sqref="A{head + 1}"/></sheetView></sheetViews>'
               f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>')
        if sheet.title is not None:
            yield f'<row r="1">{_text_cell("A1", 0, sheet.title)}</row>'
        header = styles.of(bold=True, fill=HEADER_FILL_COLOR if sheet.filled_header else None,
                           number_format=TEXT_FORMAT if sheet.text_only else None, wrap=sheet.filled_header)
        yield (f'<row r="{head}"{_height(sheet.header_height)}>'
               + "".join(_text_cell(f"{letter}{head}", header, c.title)
                         for letter, c in zip(self.letters, sheet.columns, strict=True)) + "</row>")
        batch: list[str] = []
        r = head
        for values in sheet.rows:
            r += 1
            batch.append(self._row(r, values))
            if len(batch) == ROWS_AT_ONCE:
                yield "".join(batch)
                batch.clear()
            if sheet.advance is not None and (r - head) % TICK == 0:
                sheet.advance(TICK)
        if batch:
            yield "".join(batch)
        if sheet.advance is not None and (r - head) % TICK:
            sheet.advance((r - head) % TICK)
        self.last_row = r
        filtered = f'<autoFilter ref="A{head}:{self.letters[-1]}{r}"/>' if self.written().filtered else ""
        setup = ('<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
                 if sheet.one_page_wide else '<pageSetup paperSize="9"/>')
        yield (f'</sheetData>{filtered}'
               f'<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>{setup}'
               '</worksheet>')

    def written(self) -> _Written:
        return _Written(self.sheet.name, self.sheet.header_row, len(self.sheet.columns), self.last_row,
                        self.sheet.filtered and self.last_row > self.sheet.header_row)


def _height(points: float | None) -> str:
    return "" if points is None else f' ht="{points:g}" customHeight="1"'


def _as_text(value: Any) -> str:
    if value is None or (type(value) is float and not math.isfinite(value)):
        return ""
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}"
    return str(value)


def _workbook_xml(sheets: Sequence[_Written]) -> str:
    names = []
    for i, s in enumerate(sheets):
        quoted = "'" + s.name.replace("'", "''") + "'"
        last = column_letter(s.columns)
        if s.filtered:
            names.append(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
                         f'{escape(quoted)}!$A${s.header_row}:${last}${s.last_row}</definedName>')
        # The header is printed again at the top of every page.
        names.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
                     f'{escape(quoted)}!${s.header_row}:${s.header_row}</definedName>')
    return (f'{_HEAD}<workbook {_NS}><bookViews><workbookView/></bookViews><sheets>'
            + "".join(f'<sheet name={quoteattr(s.name)} sheetId="{i}" r:id="rId{i}"/>'
                      for i, s in enumerate(sheets, 1))
            + f'</sheets><definedNames>{"".join(names)}</definedNames></workbook>')


def _package_parts(count: int, title: str) -> list[tuple[str, str]]:
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    return [
        ("[Content_Types].xml",
         f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
         '<Default Extension="xml" ContentType="application/xml"/>'
         f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
         f'<Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/>'
         + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{ct}.worksheet+xml"/>'
                   for i in range(1, count + 1))
         + '<Override PartName="/docProps/core.xml" '
           'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>'),
        ("_rels/.rels",
         f'{_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
         '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
         'core-properties" Target="docProps/core.xml"/></Relationships>'),
        ("docProps/core.xml",
         f'{_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
         'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
         'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
         f'<dc:title>{xml_text(title)}</dc:title><dc:creator>{CREATOR}</dc:creator>'
         '<dcterms:created xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:created>'
         '<dcterms:modified xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:modified>'
         '</cp:coreProperties>'),
        ("xl/_rels/workbook.xml.rels",
         f'{_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         + "".join(f'<Relationship Id="rId{i}" Type="{rel}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                   for i in range(1, count + 1))
         + f'<Relationship Id="rId{count + 1}" Type="{rel}/styles" Target="styles.xml"/></Relationships>'),
    ]


def workbook_bytes(sheets: Sequence[Sheet], *, title: str) -> bytes:
    """Give the .xlsx of `sheets`, each sheet's rows made into text a thousand at a time as the zip takes them."""
    styles = _Styles()
    buf = io.BytesIO()
    # Level 1: a large sheet deflates three times faster, for a file about a fifth larger.
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:

        def put(name: str, pieces: Iterable[str]) -> None:
            # Opened by name, the member gets the zip's level and ZipInfo's fixed date (1 January 1980); a
            # ZipInfo of our own would be deflated at zlib's default level 6 whatever the zip's was.
            with z.open(name, "w") as member:
                for piece in pieces:
                    member.write(piece.encode("utf-8", "surrogatepass"))

        for name, text in _package_parts(len(sheets), title):
            put(name, [text])
        written = []
        for i, sheet in enumerate(sheets, 1):
            writer = _SheetWriter(sheet, styles)
            put(f"xl/worksheets/sheet{i}.xml", writer.pieces())
            written.append(writer.written())
        # The workbook and the styles go last: the filters' ranges and the styles are known once the rows are.
        put("xl/workbook.xml", [_workbook_xml(written)])
        put("xl/styles.xml", [styles.xml()])
    return buf.getvalue()
