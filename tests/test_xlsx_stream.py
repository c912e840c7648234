"""The workbooks written as text row by row (pipeline.core.xlsx_stream): what Excel, LibreOffice, openpyxl and
calamine read back is what was given, a formula never runs, and the sheet prints as a table."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
import zlib

import openpyxl
from python_calamine import CalamineWorkbook

from pipeline.core import xlsx_stream as xs


def _book(sheets, title="Книга"):
    data = xs.workbook_bytes(sheets, title=title)
    return data, openpyxl.load_workbook(io.BytesIO(data))


def test_values_read_back_with_their_types_and_formula_like_text_stays_text():
    rows = [
        ["=HYPERLINK(\"http://x\")", 87.54, 3, True, dt.date(2025, 3, 1), None],
        ["-5 ак. ч.", float("nan"), 0, False, dt.datetime(2025, 3, 2, 10, 30), "ctrl\x07char & <tag>"],
        ["+7 900", 1.5e-5, -2, None, "", "«ёлка» — тире"],
        ["лишний \ud800 суррогат", None, None, None, None, "\t табуляция\nи строка"],
    ]
    columns = [xs.Column(h, 12) for h in ("А", "Б", "В", "Г", "Д", "Е")]
    data, book = _book([xs.Sheet("Лист", columns, rows)])
    ws = book["Лист"]
    got = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert got == [
        ["=HYPERLINK(\"http://x\")", 87.54, 3, True, dt.datetime(2025, 3, 1), None],
        ["-5 ак. ч.", None, 0, False, dt.datetime(2025, 3, 2), "ctrl\ufffdchar & <tag>"],
        ["+7 900", 1.5e-5, -2, None, None, "«ёлка» — тире"],
        ["лишний \ufffd суррогат", None, None, None, None, "\t табуляция\nи строка"],
    ]
    assert ws["A2"].data_type == "s" and ws["A2"].quotePrefix and ws["A3"].quotePrefix and ws["A4"].quotePrefix
    assert not ws["F4"].quotePrefix
    assert ws["E2"].number_format == "DD.MM.YYYY"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert all("<f>" not in z.read(n).decode() for n in z.namelist())
    # calamine (the archive's `find`) reads the same text
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Лист").to_python()
    assert sheet[1][0] == "=HYPERLINK(\"http://x\")" and sheet[2][5] == "ctrl\ufffdchar & <tag>"


def test_a_text_only_sheet_keeps_every_value_as_typed():
    rows = [["+7 900 000-00-01", "-05", "=1+1", "0012", 5, dt.date(2025, 1, 9)],
            # A row of text only (as every row of the archive index) is written the short way: the same cells.
            ["", "a & <b>", "=СУММ(A1)", "ctrl\x07", "+7", "«ёлка»"],
            ["a\x7fb", "", "x > y", "№\u00a012", "", ""],
            ["ПК-2025-01", "2025/ПК-2025-01/data/Приказ.docx", "1", "хранится", "", "«»"]]
    columns = [xs.Column(str(i), 10) for i in range(6)]
    _, book = _book([xs.Sheet("Опись", columns, rows, text_only=True, filled_header=False)])
    ws = book["Опись"]
    assert [c.value for c in ws[2]] == ["+7 900 000-00-01", "-05", "=1+1", "0012", "5", "09.01.2025"]
    assert all(c.data_type == "s" and c.number_format == "@" for c in ws[2])
    assert [c.value for c in ws[3]] == [None, "a & <b>", "=СУММ(A1)", "ctrl\ufffd", "+7", "«ёлка»"]
    assert all(c.data_type == "s" and c.number_format == "@" for c in ws[3][1:])
    assert [c.value for c in ws[4]] == ["a\x7fb", None, "x > y", "№\u00a012", None, None]
    assert [c.value for c in ws[5]] == ["ПК-2025-01", "2025/ПК-2025-01/data/Приказ.docx", "1", "хранится", None, "«»"]
    assert ws["A1"].font.b and ws["A1"].fill.fill_type is None and not ws["A1"].alignment.wrap_text


def test_the_sheet_prints_as_a_table_its_header_frozen_filtered_and_repeated_on_every_page():
    advanced = []
    rows = ([f"Группа {i}", i, "долгий текст " * 6 if i == 2 else "коротко", "Готово" if i % 2 else "Нет"]
            for i in range(1, 601))
    columns = [xs.Column("Группа", 14), xs.Column("Число", 9, "0.0"), xs.Column("Текст", 20),
               xs.Column("Состояние", 12, fills={"Готово": "C6EFCE", "Нет": "FFC7CE"})]
    sheets = [xs.Sheet("Все", columns, rows, wrap_from=40, header_height=30,
                       row_height=lambda values: 45 if len(str(values[2])) > 40 else None, advance=advanced.append),
              xs.Sheet("Итог", columns[:2], [["всего", 600]], title="Итог на 15.06.2026", filtered=False)]
    data, book = _book(sheets)
    ws = book["Все"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:D601"
    assert ws.print_title_rows == "$1:$1"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert [ws.column_dimensions[c].width for c in "ABCD"] == [14, 9, 20, 12]
    assert ws.row_dimensions[1].height == 30 and ws.row_dimensions[3].height == 45
    assert ws.row_dimensions[4].height is None
    assert ws["A1"].font.b and ws["A1"].fill.fgColor.rgb.endswith("DDEBF7") and ws["A1"].alignment.wrap_text
    assert ws["C3"].alignment.wrap_text and not ws["C4"].alignment.wrap_text
    # the other cells of a row made taller for a wrapped text are read on its first line, not its last
    assert [ws[f"{c}3"].alignment.vertical for c in "ABCD"] == ["top"] * 4
    assert [ws[f"{c}4"].alignment.vertical for c in "ABCD"] == [None] * 4
    assert ws["D3"].fill.fgColor.rgb.endswith("FFC7CE") and ws["B3"].number_format == "0.0"
    assert ws["B2"].number_format == "0.0" and ws["B2"].value == 1
    assert ws["D2"].fill.fgColor.rgb.endswith("C6EFCE") and ws["D3"].fill.fgColor.rgb.endswith("FFC7CE")
    assert sum(advanced) == 600 and advanced[:2] == [xs.TICK, xs.TICK]
    title = book["Итог"]
    assert title["A1"].value == "Итог на 15.06.2026" and title["A3"].value == "Группа"
    assert title.freeze_panes == "A4" and title.auto_filter.ref is None and title.print_title_rows == "$3:$3"
    assert [c.value for c in title[4]] == ["всего", 600]
    # The same content gives the same bytes: nothing of the clock is written.
    def same() -> bytes:
        return xs.workbook_bytes([xs.Sheet("Все", columns, [["ПК-1", 2.5, "текст", "Нет"]], title="На дату")],
                                 title="Книга")

    assert same() == same()


def test_a_sheet_name_with_a_quote_and_an_empty_sheet():
    columns = [xs.Column("А", 10)]
    _, book = _book([xs.Sheet("Д'Артаньян & Ко", columns, []), xs.Sheet("Пусто", columns, [[None]])])
    ws = book["Д'Артаньян & Ко"]
    assert ws.print_title_rows == "$1:$1" and ws.auto_filter.ref is None
    assert [c.value for c in next(ws.iter_rows())] == ["А"]
    assert book["Пусто"].auto_filter.ref == "A1:A2"


def test_column_letters_are_excels_own():
    from openpyxl.utils import get_column_letter

    from pipeline.core.xlsx_writer import column_letter

    assert [column_letter(i) for i in (1, 26, 27, 52, 53, 702, 703, 16384)] == [
        "A", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD"]
    assert all(column_letter(i) == get_column_letter(i) for i in range(1, 18279))


def test_a_large_sheet_is_deflated_at_the_fast_level_the_writer_chose():
    # A year's index at 50,000 learners is 80 MB of XML: zlib's default level took a second more than level 1
    # on every archive edit. A member given as a ZipInfo of its own was deflated at that default level.
    rows = [(f"2025/ПК-2025-{i % 90:03}", f"документ {i}", "Иванова Мария Петровна") for i in range(20_000)]
    data = xs.workbook_bytes([xs.Sheet("Опись", [xs.Column(t, 20) for t in "АБВ"], rows, text_only=True)],
                             title="Опись")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
        xml = z.read(info)
    fast = zlib.compressobj(1, zlib.DEFLATED, -zlib.MAX_WBITS)
    assert info.compress_size == len(fast.compress(xml) + fast.flush())
    assert info.date_time == (1980, 1, 1, 0, 0, 0)
