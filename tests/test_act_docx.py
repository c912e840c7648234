"""The acts' table layout (pipeline.archive.act_docx.fix_table), read back from the saved document's XML."""

from __future__ import annotations

import io
import zipfile

from docx.shared import Mm
from lxml import etree

from pipeline.archive.act_docx import a4_document, fix_table, stable_bytes

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WIDTHS_MM = (15, 90, 65)


def _tables(data: bytes) -> list[etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/document.xml")).findall(f"{W}body/{W}tbl")


def _act(header: bool) -> etree._Element:
    doc = a4_document()
    table = doc.add_table(rows=4, cols=len(WIDTHS_MM))
    table.style = "Table Grid"
    fix_table(table, WIDTHS_MM, header=header)
    [tbl] = _tables(stable_bytes(doc, "Акт"))
    return tbl


def test_a_fixed_table_has_one_fixed_layout_and_the_declared_column_widths():
    tbl = _act(header=True)
    layouts = tbl.findall(f"{W}tblPr/{W}tblLayout")
    assert [layout.get(f"{W}type") for layout in layouts] == ["fixed"]  # once: a second one is invalid OOXML
    twips = [int(col.get(f"{W}w")) for col in tbl.findall(f"{W}tblGrid/{W}gridCol")]
    assert twips == [round(Mm(w).twips) for w in WIDTHS_MM]
    for tr in tbl.findall(f"{W}tr"):
        assert [int(tc.get(f"{W}w")) for tc in tr.findall(f"{W}tc/{W}tcPr/{W}tcW")] == twips


def test_every_row_is_kept_whole_and_only_the_first_repeats_as_the_header():
    rows = _act(header=True).findall(f"{W}tr")
    assert all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in rows)
    assert [tr.find(f"{W}trPr/{W}tblHeader") is not None for tr in rows] == [True, False, False, False]
    assert not any(tr.find(f"{W}trPr/{W}tblHeader") is not None for tr in _act(header=False).findall(f"{W}tr"))
