"""Refuse a workbook that would exhaust memory, before any reader (calamine, openpyxl) sees it.

Two kinds of «bomb» reach an office by accident or on purpose, and either would take the whole run
down with no message: a small file whose zip members inflate to gigabytes (sharedStrings of a few MB
compressed), and a sheet with a value in a far corner (XFD1048576) for which a reader allocates the
whole rectangle — seventeen billion cells. Both are measured here from the zip alone:
- every member's inflated size, as declared and, where the compressed bytes could inflate past the
  limit whatever the declaration says, as really inflated (stopping at the limit);
- every worksheet's rectangle of cells that hold something (calamine, like Excel, ignores cells that
  are only formatted: a million formatted empty rows cost nothing and are not refused).
The limits are far above any real workbook of an office (a learners' list of 100,000 people is under
a tenth of them).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

from pipeline.intake.sheet_area import UNMEASURABLE, filled_area

MEMBER_LIMIT = 256 * 1024 * 1024
"""Inflated bytes of one zip member."""
TOTAL_LIMIT = 512 * 1024 * 1024
"""Inflated bytes of all members together."""
CELL_LIMIT = 10_000_000
"""Cells of the rectangle a sheet's filled cells span (rows × columns)."""
DEFLATE_RATIO = 1032  # the most deflate can expand a byte stream
CHUNK = 1 << 20
# A reader finds a worksheet wherever the workbook's relationships point: any XML member that holds sheet data.
XML_MEMBER = re.compile(r"\.xml$", re.IGNORECASE)
def refusal(data: bytes) -> str | None:
    """Give why the .xlsx/.ods in `data` must not be read (Russian, for a message), or None when it is safe.

    A file that is not a zip at all is not judged here (the reader reports it).
    """
    found = size_refusal(data)
    if found is not None:
        return found
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    for info in members:
        if XML_MEMBER.search(info.filename) or info.filename == ODS_CONTENT:
            try:
                xml = archive.read(info)
            except (zipfile.BadZipFile, OSError, zlib.error, EOFError):
                continue
            if info.filename != ODS_CONTENT and b"sheetData" not in xml:
                continue
            found = area_refusal(info.filename, xml)
            if found is not None:
                return found
    return None


def area_refusal(name: str, xml: bytes) -> str | None:
    """Give why a sheet's XML must not be read (its filled cells span more than CELL_LIMIT), or None."""
    cells = ods_area(xml) if name == ODS_CONTENT else filled_area(xml)
    if cells <= CELL_LIMIT:
        return None
    if cells == UNMEASURABLE:
        return (f"лист «{name}» поврежден: его разметка (XML) не читается, и нельзя проверить, сколько ячеек он займет "
                "при чтении")
    return (f"на листе «{name}» заполненные ячейки охватывают {cells:,} ячеек (больше {CELL_LIMIT:,}): где-то "
            f"далеко внизу или справа есть значение").replace(",", " ")


def size_refusal(data: bytes) -> str | None:
    """Give why the zip in `data` must not be inflated (a member or the whole past the limits), or None.

    Reads the zip's directory; inflates (up to the limit) only members whose compressed size could hide more.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    total = 0
    for info in members:
        size = _inflated_size(data, info)
        if size > MEMBER_LIMIT:
            return f"часть файла «{info.filename}» при распаковке занимает больше {_mb(MEMBER_LIMIT)}"
        total += size
        if total > TOTAL_LIMIT:
            return f"при распаковке файл занимает больше {_mb(TOTAL_LIMIT)}"
    return None


def _mb(size: int) -> str:
    return f"{size // (1024 * 1024)} МБ"


def _inflated_size(data: bytes, info: zipfile.ZipInfo) -> int:
    """The member's size when inflated: as declared, or counted when its bytes could inflate past the limit."""
    if info.compress_type == zipfile.ZIP_STORED:
        return info.compress_size
    if info.compress_size * DEFLATE_RATIO <= MEMBER_LIMIT:
        return info.file_size
    if info.compress_type != zipfile.ZIP_DEFLATED:
        return info.file_size
    # The declared size could lie (readers differ on whether they trust it): inflate and count.
    start = _data_offset(data, info)
    if start is None:
        return info.file_size
    inflate = zlib.decompressobj(-zlib.MAX_WBITS)
    count, position, end = 0, start, start + info.compress_size
    try:
        while position < end and count <= MEMBER_LIMIT:
            chunk = data[position:min(position + CHUNK, end)]
            position += len(chunk)
            out = inflate.decompress(chunk, CHUNK)
            count += len(out)
            while inflate.unconsumed_tail and count <= MEMBER_LIMIT:
                out = inflate.decompress(inflate.unconsumed_tail, CHUNK)
                count += len(out)
    except zlib.error:
        return info.file_size  # broken data: the reader reports the file as unreadable
    return max(count, info.file_size)


def _data_offset(data: bytes, info: zipfile.ZipInfo) -> int | None:
    """Where the member's compressed bytes start (after its local file header)."""
    header = data[info.header_offset:info.header_offset + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        return None
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    return info.header_offset + 30 + name_length + extra_length


ODS_CONTENT = "content.xml"
ODS_ROW = re.compile(rb"<table:table-row\b([^>]*?)(?:/>|>(.*?)</table:table-row>)", re.S)
ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell\b([^>]*?)(/?)>")
ODS_REPEAT_ROWS = re.compile(rb'number-rows-repeated="(\d+)"')
ODS_REPEAT_COLUMNS = re.compile(rb'number-columns-repeated="(\d+)"')


def ods_area(xml: bytes) -> int:
    """The cells an .ods document's filled rows span: a row «repeated» a million times with a value in it
    is a million rows to a reader."""
    if b"-repeated=" not in xml:
        return 0
    area = 0
    for row in ODS_ROW.finditer(xml):
        body = row[2] or b""
        if b"value-type" not in body:
            continue  # only formatted or empty: readers skip it
        repeat = ODS_REPEAT_ROWS.search(row[1])
        width = filled = 0
        for cell in ODS_CELL.finditer(body):
            columns = ODS_REPEAT_COLUMNS.search(cell[1])
            width += int(columns[1]) if columns else 1
            if b"value-type" in cell[1]:
                filled = width
        area += (int(repeat[1]) if repeat else 1) * filled
        if area > CELL_LIMIT:
            break
    return area
