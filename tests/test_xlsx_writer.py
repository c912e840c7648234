"""The one xlsx writer: text stays text, records lists look and print alike, the same content gives the same bytes."""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile

import openpyxl

from pipeline.core import xlsx_writer as xw

ROWS = [["=HYPERLINK(\"http://x\")", "+7 900", "-05", "@x"], ["обычный\x01текст", None, "", "1,5"]]
COLUMNS = [("А", 10), ("Б", 12), ("В", 0), ("Г", 30)]


def _sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("xl/worksheets/sheet1.xml").decode()


def _table(number_format):
    wb = xw.new_workbook(keep_first_sheet=True)
    assert xw.text_table(wb.active, COLUMNS, ROWS, number_format=number_format) == 2
    return xw.stable_bytes(wb)


def test_a_text_table_keeps_every_value_as_typed_never_a_formula_or_a_number():
    for number_format in ("@", None):
        data = _table(number_format)
        assert "<f>" not in _sheet_xml(data)
        ws = openpyxl.load_workbook(io.BytesIO(data)).active
        cells = [[(c.value, c.data_type) for c in row] for row in ws.iter_rows(min_row=2)]
        assert [v for v, _ in cells[0]] == ["=HYPERLINK(\"http://x\")", "+7 900", "-05", "@x"]
        assert {t for row in cells for v, t in row if v is not None} == {"s"}
        assert cells[1][0][0] == "обычный\ufffdтекст"  # a control character XML forbids is shown, not dropped
        # general cells get Excel's «'» so that editing one does not run it; text-formatted ones need none
        assert ws["A2"].quotePrefix is (number_format is None)
        assert (ws["A2"].number_format == "@") is (number_format == "@")


def test_a_text_table_has_a_bold_frozen_filtered_header_its_widths_and_prints_one_page_wide():
    ws = openpyxl.load_workbook(io.BytesIO(_table("@"))).active
    assert [c.value for c in ws[1]] == ["А", "Б", "В", "Г"] and all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:D3"
    assert (ws.column_dimensions["A"].width, ws.column_dimensions["D"].width) == (10, 30)
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)


def test_the_same_content_gives_the_same_bytes_whatever_the_clock():
    first = _table("@")
    time.sleep(1.1)  # openpyxl stamps the clock to the second
    assert _table("@") == first
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert b"2000-01-01T00:00:00Z" in z.read("docProps/core.xml")


def test_a_stamp_is_the_workbook_date_and_save_stable_writes_only_a_change(tmp_path):
    def book(value):
        wb = xw.new_workbook(keep_first_sheet=True)
        xw.put(wb.active, 1, 1, value)
        return wb

    path = tmp_path / "x.xlsx"
    stamp = dt.datetime(2026, 6, 15)
    assert xw.save_stable(book("a"), path, stamp=stamp)
    props = openpyxl.load_workbook(path).properties
    assert (props.creator, props.created, props.modified) == ("uchet", stamp, stamp)
    assert not xw.save_stable(book("a"), path, stamp=stamp)
    assert xw.save_stable(book("b"), path, stamp=stamp)


def test_put_keeps_formula_like_text_and_formats_only_numbers():
    wb = xw.new_workbook(keep_first_sheet=True)
    ws = wb.active
    xw.put(ws, 1, 1, "=1+1", "0.0")
    xw.put(ws, 2, 1, 87.54, "0.0")
    assert (ws["A1"].data_type, ws["A1"].quotePrefix, ws["A1"].number_format) == ("s", True, "General")
    assert (ws["A2"].data_type, ws["A2"].number_format) == ("n", "0.0")
