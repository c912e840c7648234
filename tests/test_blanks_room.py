"""A field that wraps stays above the next field on the blank: set smaller, or refused — never overprinted.

Positions are read back from the PDF (pdfplumber's glyph boxes), not from the code that placed them.
"""

from __future__ import annotations

import pdfplumber
import pytest
from reportlab.lib.units import mm

from pipeline.blanks.layout import Blank, Field, Printer
from pipeline.blanks.pdf import LINE_SPACING, field_lines, room_below_mm, write_pdf
from pipeline.core.errors import UchetError

PT_PER_MM = mm
TITLE = Field("Тест", "program.title", x_mm=20, y_mm=50, width_mm=60, size_pt=12, align="слева", row=7)
BELOW = Field("Тест", "learner.name", x_mm=30, y_mm=62, width_mm=80, size_pt=12, align="слева", row=8)
ASIDE = Field("Тест", "number", x_mm=120, y_mm=53, width_mm=30, size_pt=12, align="слева", row=9)
BLANK = Blank("Тест", 210, 148, None, (TITLE, BELOW, ASIDE))
NO_OFFSET = Printer("по умолчанию", 0, 0)
LONG = ("Профессиональная переподготовка по программе «Техносферная безопасность и охрана труда "
        "в организациях строительной отрасли»")


def test_room_is_the_distance_to_the_next_field_sharing_its_width():
    assert room_below_mm(TITLE, BLANK.fields) == pytest.approx(12)  # BELOW overlaps 30..80 mm
    assert room_below_mm(BELOW, BLANK.fields) is None  # nothing under it
    assert room_below_mm(ASIDE, BLANK.fields) is None  # BELOW ends at 110 mm, ASIDE starts at 120


def test_a_wrapping_field_is_set_smaller_until_its_lines_end_above_the_next_field(tmp_path):
    size, lines = field_lines(TITLE, LONG, room_below_mm(TITLE, BLANK.fields))
    assert size < TITLE.size_pt and len(lines) > 1
    assert len(lines) * LINE_SPACING * size <= 12 * PT_PER_MM
    assert " ".join(lines) == LONG  # no word lost
    pdf = tmp_path / "blank.pdf"
    write_pdf(pdf, BLANK, [{"program": {"title": LONG}, "learner": {"name": "Иванову Ивану Ивановичу"}}],
              NO_OFFSET, proof=False, title="проба")
    with pdfplumber.open(pdf) as doc:
        chars = doc.pages[0].chars
    title = [c for c in chars if c["x0"] < 80 * PT_PER_MM and c["bottom"] < 58 * PT_PER_MM]
    name = [c for c in chars if c["bottom"] > 58 * PT_PER_MM]
    assert title and name
    next_line_top = min(c["top"] for c in name)
    assert max(c["bottom"] for c in title) <= next_line_top  # no glyph of the title reaches the name's line
    assert {round(c["size"], 1) for c in title} == {round(size, 1)}
    assert {round(c["size"], 1) for c in name} == {12.0}  # the next field keeps its own size


def test_a_single_line_keeps_its_size_however_close_the_next_field():
    tight = Field("Тест", "a", x_mm=20, y_mm=50, width_mm=60, size_pt=12, align="слева", row=3)
    size, lines = field_lines(tight, "Короткий текст", room_mm=2)
    assert (size, lines) == (12, ["Короткий текст"])


def test_text_that_cannot_fit_even_small_is_refused_before_the_pdf_is_written(tmp_path):
    pdf = tmp_path / "blank.pdf"
    with pytest.raises(UchetError) as refused:
        write_pdf(pdf, BLANK, [{"program": {"title": LONG * 4}}], NO_OFFSET, proof=False, title="проба")
    message = str(refused.value)
    assert "«program.title»" in message and "«Макет бланка»" in message and "строка 7" in message
    assert not pdf.exists()
