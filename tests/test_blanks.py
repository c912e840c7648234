"""Printing onto pre-printed blanks: fields where the layout says, shifted by the printer's offset.

Positions are read back from the PDF (pypdf's text visitor gives each string's text matrix).
"""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from reportlab.lib.units import mm

from pipeline.blanks import SHIPPED_LAYOUT, choose_printer, layout_path_for, print_group
from pipeline.blanks.layout import (
    FIELDS_SHEET,
    LAYOUT_KINDS,
    SUPPLEMENT,
    SUPPLEMENT_NEXT,
    UNDERLAYS,
    Layout,
    Printer,
    default_fields,
    read_layout,
)
from pipeline.blanks.sample import init_layout, layout_workbook, underlay_png
from pipeline.carriers.qualification import KINDS, PK, PP, document_context, issued_rows
from pipeline.cli import main
from pipeline.core.errors import UchetError
from pipeline.synth import generate

TOLERANCE_MM = 0.01  # reportlab writes coordinates to 1/100 pt or finer


@pytest.fixture(scope="module")
def sample():
    return generate()


@pytest.fixture(scope="module")
def layout(tmp_path_factory) -> Layout:
    folder = tmp_path_factory.mktemp("layout")
    init_layout(folder)
    return read_layout(folder / "blanks.xlsx")


def _strings(path: Path) -> list[list[tuple[str, float, float]]]:
    """Per page: (text, x mm, y mm from the bottom) of every string drawn."""
    pages = []
    for page in PdfReader(path).pages:
        found: list[tuple[str, float, float]] = []

        def visit(text, cm, tm, _font, _size, found=found):
            if text.strip():
                found.append((text.strip(), (tm[4] * cm[0] + cm[4]) / mm, (tm[5] * cm[3] + cm[5]) / mm))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


def _group_of(sample, kind):
    return next(g.number for g, _d, _l in issued_rows(sample, kind))


def test_shipped_layout_reads_back_as_written(layout):
    for kind in LAYOUT_KINDS:
        blank = layout.blanks[kind]
        assert (blank.width_mm, blank.height_mm) == ((297.0, 210.0) if kind in KINDS else (210.0, 297.0))
        assert blank.underlay is not None and blank.underlay.is_file()
        assert [(f.name, f.x_mm, f.y_mm, f.width_mm, f.size_pt, f.align) for f in blank.fields] == \
            [tuple(map(lambda v: float(v) if isinstance(v, int) else v, row)) for row in default_fields(kind)]
    assert choose_printer(layout, None).dx_mm == 0


def test_fields_stand_where_the_layout_says_and_an_offset_shifts_every_one_exactly(sample, layout, tmp_path):
    number = _group_of(sample, PP)
    blank = layout.blanks[PP]
    # Left-aligned fields, so that each string's x is the field's X itself.
    left = dataclasses.replace(blank, fields=tuple(dataclasses.replace(f, align="слева") for f in blank.fields))
    plain = Layout({PP: left, SUPPLEMENT: layout.blanks[SUPPLEMENT], SUPPLEMENT_NEXT: layout.blanks[SUPPLEMENT_NEXT]}, {})
    base = print_group(sample, number, plain, Printer("ноль", 0, 0), tmp_path / "a", proof=False)
    shifted = print_group(sample, number, plain, Printer("сдвиг", 3.5, -2.25), tmp_path / "b", proof=False)
    (base_path, pages, _), _supplements = base  # the приложения: tests/test_blanks_supplement.py
    (shift_path, _, _), _ = shifted
    before, after = _strings(base_path), _strings(shift_path)
    assert pages == len(before) == len(after) > 1
    first_lines = {f.y_mm: f for f in left.fields}
    checked = 0
    for page_a, page_b in zip(before, after, strict=True):
        assert [t for t, _x, _y in page_a] == [t for t, _x, _y in page_b]
        for (_text, xa, ya), (_t, xb, yb) in zip(page_a, page_b, strict=True):
            assert abs((xb - xa) - 3.5) < TOLERANCE_MM
            assert abs((yb - ya) - 2.25) < TOLERANCE_MM  # 2.25 mm up: «вниз» −2.25
            checked += 1
        for _text, x, y in page_a:
            top = 210.0 - y
            if any(abs(top - y_mm) < TOLERANCE_MM for y_mm in first_lines):
                field = next(f for y_mm, f in first_lines.items() if abs(top - y_mm) < TOLERANCE_MM)
                assert abs(x - field.x_mm) < TOLERANCE_MM, field.name
    assert checked > 100


def test_printed_values_are_the_documents_own(sample, layout, tmp_path):
    number = _group_of(sample, PK)
    [(path, pages, _)] = print_group(sample, number, layout, Printer("п", 0, 0), tmp_path, proof=False)
    rows = [(g, d, learner) for g, d, learner in issued_rows(sample, PK) if g.number == number]
    assert pages == len(rows)
    for page, (group, doc, learner) in zip(_strings(path), rows, strict=True):
        texts = {t for t, _x, _y in page}
        context = document_context(sample, group, doc, learner)
        assert {doc.reg_no, context["doc"]["series_number"], context["learner"]["dative"],
                context["doc"]["date"].replace("\u00a0", " ")} <= texts
        assert "ДУБЛИКАТ" not in texts


def test_proof_mode_draws_the_underlay_on_every_page_and_plain_mode_never(sample, layout, tmp_path):
    number = _group_of(sample, PK)
    [(proof, _, _)] = print_group(sample, number, layout, Printer("п", 0, 0), tmp_path, proof=True)
    [(plain, _, _)] = print_group(sample, number, layout, Printer("п", 0, 0), tmp_path, proof=False)
    assert proof != plain
    for page in PdfReader(proof).pages:
        assert len(page.images) == 1
    for page in PdfReader(plain).pages:
        assert len(page.images) == 0
    missing = dataclasses.replace(layout, blanks={PK: dataclasses.replace(layout.blanks[PK], underlay=None)})
    with pytest.raises(UchetError, match="Подложка"):
        print_group(sample, number, missing, Printer("п", 0, 0), tmp_path / "x", proof=True)


def test_a_wrong_cell_is_named_with_sheet_row_and_column(tmp_path):
    (tmp_path / "blanks.xlsx").write_bytes(layout_workbook())
    wb = openpyxl.load_workbook(tmp_path / "blanks.xlsx")
    wb[FIELDS_SHEET]["C3"] = "три"
    wb[FIELDS_SHEET]["B5"] = "doc.colour"
    wb.save(tmp_path / "blanks.xlsx")
    with pytest.raises(UchetError) as error:
        read_layout(tmp_path / "blanks.xlsx")
    assert "лист «Макет бланка», строка 3, столбец «X, мм»: «три» — не число." in error.value.message
    wb[FIELDS_SHEET]["C3"] = 10
    wb.save(tmp_path / "blanks.xlsx")
    with pytest.raises(UchetError, match="строка 5, столбец «Поле»: неизвестное поле «doc.colour»"):
        read_layout(tmp_path / "blanks.xlsx")


def test_shipped_layout_and_underlays_are_current():
    """templates_docx/blanks.xlsx is what `uchet blanks --init-layout` writes (regenerate it after a change)."""
    assert SHIPPED_LAYOUT.read_bytes() == layout_workbook()
    for kind in LAYOUT_KINDS:
        assert (SHIPPED_LAYOUT.parent / UNDERLAYS[kind]).read_bytes() == underlay_png(kind)


def test_layout_workbook_is_the_same_bytes_every_time():
    assert layout_workbook() == layout_workbook()
    assert openpyxl.load_workbook(io.BytesIO(layout_workbook())).sheetnames == \
        ["Бланки", "Макет бланка", "Таблица приложения", "Принтеры", "Инструкция"]


def test_cli_writes_proof_and_blank_pdfs_and_refuses_an_unknown_printer(tmp_path):
    runner = CliRunner()
    data = Path("input")
    layout_dir = tmp_path / "layout"
    layout_dir.mkdir()
    result = runner.invoke(main, ["blanks", "--init-layout", "--layout", str(layout_dir / "blanks.xlsx")])
    assert result.exit_code == 0, result.output
    args = ["blanks", "--input", str(data), "--output", str(tmp_path / "out"), "--layout",
            str(layout_dir / "blanks.xlsx"), "--group", "ПО-2025-01"]
    assert runner.invoke(main, args + ["--proof"]).exit_code == 0
    assert runner.invoke(main, args).exit_code == 0
    written = sorted(p.name for p in (tmp_path / "out" / "blanks" / "ПО-2025-01").iterdir())
    assert written == ["ПО-2025-01 Свидетельства (проба с подложкой).pdf",
                       "ПО-2025-01 Свидетельства на бланках (по умолчанию).pdf"]
    refused = runner.invoke(main, args + ["--printer", "Kyocera"])
    assert refused.exit_code == 2 and "Принтера «Kyocera» нет" in refused.output
    # Without --layout and without input/blanks.xlsx, the shipped layout is used.
    assert layout_path_for(data, None) == SHIPPED_LAYOUT
    assert runner.invoke(main, args[:5] + ["--group", "ПО-2025-01"]).exit_code == 0
    again = runner.invoke(main, ["blanks", "--init-layout", "--layout", str(layout_dir / "blanks.xlsx")])
    assert again.exit_code == 2 and "не перезаписывается" in again.output


def test_a_serif_installed_after_matplotlib_listed_the_fonts_is_still_used(monkeypatch):
    """matplotlib's per-user font list can predate fonts-liberation (installed by `make test` itself):
    the blanks must still be set in Liberation Serif, the metric twin of Times New Roman, not DejaVu."""
    from matplotlib import font_manager

    from pipeline.blanks import pdf

    dejavu = str(Path(font_manager.__file__).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSerif.ttf")
    monkeypatch.setattr(font_manager, "findfont", lambda *a, **k: dejavu)  # a list made before the install
    pdf.serif_font_path.cache_clear()
    try:
        chosen = font_manager.get_font(pdf.serif_font_path())
    finally:
        pdf.serif_font_path.cache_clear()
    # .ci/system-packages installs fonts-liberation wherever the page checks run
    assert (chosen.family_name, chosen.style_name) == ("Liberation Serif", "Regular")


@pytest.mark.parametrize("order", [1, -1])
def test_a_serif_installed_twice_gives_the_same_file_whatever_order_the_system_lists_them(monkeypatch, order):
    """fonts-liberation (1.x) and fonts-liberation2 (2.x, which LibreOffice brings) both install Liberation Serif,
    with other metrics; the blanks and their underlays must be set with the same one on every run."""
    from types import SimpleNamespace

    from matplotlib import font_manager

    from pipeline.blanks import pdf

    faces = {"/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf": ("Liberation Serif", "Regular"),
             "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf": ("Liberation Serif", "Bold"),
             "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf": ("Liberation Serif", "Regular"),
             "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf": ("DejaVu Serif", "Book")}
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda **k: list(faces)[::order])
    monkeypatch.setattr(font_manager, "get_font", lambda path: SimpleNamespace(
        family_name=faces[path][0], style_name=faces[path][1]))
    pdf.serif_font_path.cache_clear()
    try:
        assert pdf.serif_font_path() == "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"
    finally:
        pdf.serif_font_path.cache_clear()
