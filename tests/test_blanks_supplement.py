"""The diploma's приложение printed onto blanks: read back from the PDF as the person at the printer sees it.

Strings and their positions come from the PDF itself (pypdf's text visitor gives each drawn string's
text matrix; pdfplumber gives every glyph's box), never from the code that placed them.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import openpyxl
import pdfplumber
import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from pipeline.blanks import SHIPPED_LAYOUT, print_group
from pipeline.blanks.fit import printable, wrap
from pipeline.blanks.layout import (
    BLANKS_SHEET,
    SUPPLEMENT,
    SUPPLEMENT_NEXT,
    TABLE_SHEET,
    Layout,
    Printer,
    Table,
    default_table,
    read_layout,
)
from pipeline.blanks.pdf import font_name
from pipeline.blanks.sample import layout_workbook
from pipeline.carriers import carrier
from pipeline.carriers.qualification import PK, PP, issued_rows
from pipeline.core import ru
from pipeline.core.errors import UchetError
from pipeline.render.stage import docx_text, render_carrier
from pipeline.synth import generate

TOLERANCE_MM = 0.01
CONTINUED = "продолжение на листе"


@pytest.fixture(scope="module")
def sample():
    return generate()


@pytest.fixture(scope="module")
def layout() -> Layout:
    return read_layout(SHIPPED_LAYOUT)


def _plain(text: str) -> str:
    return str(text).replace(ru.NB_HYPHEN, "-").replace("\u00a0", " ")


def _pages(path: Path) -> list[list[tuple[str, float, float, float]]]:
    """Per page: (text, x mm from the left, y mm from the top, font size) of every string drawn."""
    pages = []
    for page in PdfReader(path).pages:
        height = float(page.mediabox.height)
        found: list[tuple[str, float, float, float]] = []

        def visit(text, cm, tm, _font, size, found=found, height=height):
            if text.strip():
                found.append((text.strip(), (tm[4] * cm[0] + cm[4]) / mm, (height - tm[5] * cm[3] - cm[5]) / mm, size))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


def _column(table: Table, x_mm: float) -> str:
    [key] = [k for k, c in table.columns.items() if c.x_mm - TOLERANCE_MM <= x_mm <= c.x_mm + c.width_mm]
    return key


def _table_lines(strings, table: Table) -> dict[int, dict[str, str]]:
    """The strings standing on the table's lines: {line: {column: text}} (a row printed past the last line
    would be missing here, which the tests that count rows catch)."""
    lines: dict[int, dict[str, str]] = {}
    for text, x, y, _size in strings:
        k = (y - table.first_y_mm) / table.pitch_mm
        if abs(k - round(k)) * table.pitch_mm < TOLERANCE_MM and 0 <= round(k) < table.lines:
            cells = lines.setdefault(round(k), {})
            column = _column(table, x)
            assert column not in cells, (text, cells)
            cells[column] = text
    return lines


def _rows_and_lines(strings, table: Table) -> list[tuple[dict[str, str], int]]:
    """The table as a reader reads it, with the lines each row takes: a row starts where a line has more
    than a name (or a new kind of line); a line with only a name carries on the row above (a wrapped name)."""
    lines = _table_lines(strings, table)
    assert sorted(lines) == list(range(len(lines))), "the table's lines are used from the first, with no gap"
    rows: list[tuple[dict[str, str], int]] = []
    for k in sorted(lines):
        cells = lines[k]
        name = cells.get("name", "")
        if not rows or set(cells) - {"name"} or name.startswith(("Тема итоговой работы", CONTINUED)):
            rows.append((dict(cells), 1))
        else:
            row, taken = rows[-1]
            row["name"] += " " + name
            rows[-1] = (row, taken + 1)
    return rows


def _table_rows(strings, table: Table) -> list[dict[str, str]]:
    return [row for row, _lines in _rows_and_lines(strings, table)]


def _texts(strings) -> set[str]:
    return {text for text, _x, _y, _s in strings}


def _long_program(sample, count: int = 40):
    """The sample with a ПП program of `count` modules with long names (every third one short)."""
    group = next(g for g in sample.groups.values() if sample.program_of(g).kind == "ПП" and g.issued)
    program = sample.program_of(group)
    modules = tuple(dataclasses.replace(
        program.modules[0], number=n, hours=n,
        name=(f"Модуль {n}: нормирование, контроль и учет воздействия на окружающую среду, раздел {n}"
              if n % 3 else f"Модуль {n}: право")) for n in range(1, count + 1))
    ds = dataclasses.replace(sample, programs=sample.programs | {
        program.code: dataclasses.replace(program, modules=modules)})
    return ds, group


def _supplement_pdf(printed) -> tuple[Path, int, tuple[int, ...]]:
    [supplement] = [p for p in printed if "Приложения к дипломам" in p.path.name]
    return supplement


def _docx_supplements(sample, tmp_path) -> dict[str, list[str]]:
    """Lines of the plain-paper diploma (face and приложение) by registration number."""
    specs = list(carrier("qualification_pp").build(sample))
    return {spec.context["doc"]["reg_no"]: [_plain(line) for line in docx_text(doc.path.read_bytes()).splitlines()]
            for spec, doc in zip(specs, render_carrier(carrier("qualification_pp"), specs, tmp_path,
                                                       Path("templates_docx")), strict=True)}


def test_printed_supplement_equals_the_docx_and_the_interim_sheets(sample, layout, tmp_path):
    docx = _docx_supplements(sample, tmp_path / "docx")
    interim = {(spec.group, spec.context["module"]["name"], r["name"]): _plain(r["result"])
               for spec in carrier("interim_sheet").build(sample) for r in spec.context["rows"]}
    groups = sorted({g.number for g, _d, _l in issued_rows(sample, PP)})
    table = layout.blanks[SUPPLEMENT].table
    checked = 0
    for number in groups:
        path, pages, following = _supplement_pdf(print_group(sample, number, layout, Printer("п", 0, 0),
                                                             tmp_path / "pdf", proof=False))
        diplomas = [(g, d, learner) for g, d, learner in issued_rows(sample, PP) if g.number == number]
        assert pages == len(diplomas) and following == ()  # the sample's приложения fit on one sheet
        for strings, (group, doc, learner) in zip(_pages(path), diplomas, strict=True):
            program = sample.program_of(group)
            lines = docx[doc.reg_no]
            assert {doc.reg_no, learner.person.full_name} <= _texts(strings)
            rows = _table_rows(strings, table)
            modules, (total, final, *topic) = rows[:len(program.modules)], rows[len(program.modules):]
            docx_modules = [line.split(" | ") for line in lines if line.count(" | ") == 3 and line[0].isdigit()]
            assert [[m.get(k, "") for k in ("n", "name", "hours", "result")] for m in modules] == docx_modules
            for module, row in zip(program.modules, modules, strict=True):
                if module.form != "нет":
                    assert row["result"] == interim[(group.number, module.name, learner.person.full_name)]
            assert total["name"] == "Всего по модулям программы"
            assert f"Всего по модулям программы: {ru.hours_acad(int(total['hours']))}." in lines
            assert f"{final['name']}: {final['result']}." in lines
            assert [f"{t['name']}." for t in topic] == [line for line in lines if line.startswith("Тема итоговой")]
            assert not any(text.startswith("лист ") for text in _texts(strings))  # one sheet: no «лист 1»
            checked += 1
    assert checked == sum(1 for _ in issued_rows(sample, PP)) > 5


def test_a_long_supplement_runs_on_to_following_sheets_with_no_row_lost_or_repeated(sample, layout, tmp_path):
    ds, group = _long_program(sample)
    path, pages, following = _supplement_pdf(print_group(ds, group.number, layout, Printer("п", 0, 0), tmp_path,
                                                         proof=False))
    first, nxt = layout.blanks[SUPPLEMENT].table, layout.blanks[SUPPLEMENT_NEXT].table
    assert first.columns == nxt.columns  # so a row takes the same lines on either sheet (used below)
    diplomas = [(d, learner) for g, d, learner in issued_rows(ds, PP) if g.number == group.number]
    all_pages = _pages(path)
    starts = [i for i, strings in enumerate(all_pages) if "лист 1" in _texts(strings)]
    assert len(starts) == len(diplomas) and starts[0] == 0
    assert following == tuple(i + 1 for i in range(pages) if i not in starts)
    for (doc, learner), begin, end in zip(diplomas, starts, [*starts[1:], pages], strict=True):
        sheets = all_pages[begin:end]
        assert len(sheets) >= 3
        numbers = []
        for i, strings in enumerate(sheets):
            assert {f"лист {i + 1}", doc.reg_no, learner.person.full_name} <= _texts(strings)
            table = first if i == 0 else nxt
            rows = _table_rows(strings, table)
            last = i == len(sheets) - 1
            if not last:
                assert rows[-1] == {"name": f"{CONTINUED} {i + 2}"}
                rows = rows[:-1]
                # The sheet was full: the row that opens the next sheet would not have fitted in the lines left.
                used = sum(taken for _row, taken in _rows_and_lines(strings, table)[:-1])
                opening = _rows_and_lines(sheets[i + 1], nxt)[0][1]
                assert used + opening > table.lines - 1, (i, used, opening)
            assert all(CONTINUED not in r.get("name", "") for r in rows)
            module_rows = [r for r in rows if "n" in r]
            numbers += [int(r["n"]) for r in module_rows]
            for r in module_rows:
                n = int(r["n"])
                assert r["name"] == (f"Модуль {n}: нормирование, контроль и учет воздействия на окружающую среду, "
                                     f"раздел {n}" if n % 3 else f"Модуль {n}: право")
                assert r["hours"] == str(n)
            closing = [r["name"] for r in rows if "n" not in r]
            if last:  # the total, the final attestation and its topic close the table, on its last sheet only
                assert closing[0] == "Всего по модулям программы" and closing[1].startswith("Итоговая аттестация")
                assert len(closing) in (2, 3)
            else:
                assert closing == []
        assert numbers == list(range(1, 41))  # every module once, in order, across the sheets
        total = next(r for r in _table_rows(sheets[-1], nxt) if r.get("name") == "Всего по модулям программы")
        assert total["hours"] == str(sum(range(1, 41)))


def test_a_name_too_long_for_its_cell_is_set_smaller_then_wrapped_never_clipped(sample, layout, tmp_path):
    table = layout.blanks[SUPPLEMENT].table
    width = table.columns["name"].width_mm * mm
    smaller = "Нормирование и контроль воздействия на окружающую среду"  # a real module of the sample
    wrapped = ("Обращение с отходами I–V классов опасности, включая сбор, транспортирование, обработку, "
               "утилизацию, обезвреживание и размещение")
    word = "Природоохраннаядеятельностьпредприятийнефтегазовогокомплексасучетомрегиональнойспецифики"
    assert stringWidth(smaller, font_name(), table.size_pt) > width >= stringWidth(smaller, font_name(), table.min_size_pt)
    assert stringWidth(wrapped, font_name(), table.min_size_pt) > width
    group = next(g for g in sample.groups.values() if sample.program_of(g).kind == "ПП" and g.issued)
    program = sample.program_of(group)
    names = {1: wrapped, 2: word}
    modules = tuple(dataclasses.replace(m, name=names.get(m.number, m.name)) for m in program.modules)
    assert smaller in {m.name for m in modules}
    ds = dataclasses.replace(sample, programs=sample.programs | {
        program.code: dataclasses.replace(program, modules=modules)})
    path, _pages_count, _ = _supplement_pdf(print_group(ds, group.number, layout, Printer("п", 0, 0), tmp_path,
                                                        proof=False))
    strings = _pages(path)[0]
    rows = {r.get("n"): r for r in _table_rows(strings, table)}
    assert rows["1"]["name"] == wrapped  # the words are all there, in order, on more than one line
    assert rows["2"]["name"].replace(" ", "") == word  # cut between letters, nothing lost
    sizes = {text: size for text, _x, _y, size in strings}
    assert table.min_size_pt <= sizes[smaller] < table.size_pt  # one line, set smaller: as large as fits
    assert stringWidth(smaller, font_name(), sizes[smaller]) <= width < stringWidth(smaller, font_name(), sizes[smaller] + 0.5)
    wrapped_lines = [t for t, _x, _y, size in strings if t in wrapped and t != wrapped and size == table.min_size_pt]
    assert len(wrapped_lines) >= 2
    # Every glyph in the table stands inside its column: read from the glyph boxes pdfplumber gives.
    with pdfplumber.open(path) as pdf:
        chars = pdf.pages[0].chars
    top = table.first_y_mm - table.pitch_mm
    bottom = table.first_y_mm + table.lines * table.pitch_mm
    inside = 0
    for char in chars:
        if not top <= char["bottom"] / mm <= bottom:
            continue
        x0, x1 = char["x0"] / mm, char["x1"] / mm
        column = [c for c in table.columns.values() if c.x_mm - TOLERANCE_MM <= x0 < c.x_mm + c.width_mm]
        assert column and x1 <= column[0].x_mm + column[0].width_mm + TOLERANCE_MM, (char["text"], x0, x1)
        inside += 1
    assert inside > 300


def test_an_offset_shifts_every_string_of_the_supplement_exactly(sample, layout, tmp_path):
    ds, group = _long_program(sample, 30)
    base, _n, _f = _supplement_pdf(print_group(ds, group.number, layout, Printer("0", 0, 0), tmp_path / "a",
                                               proof=False))
    moved, _n, _f = _supplement_pdf(print_group(ds, group.number, layout, Printer("с", 3.5, -2.25), tmp_path / "b",
                                                proof=False))
    before, after = _pages(base), _pages(moved)
    assert len(before) == len(after) > 2
    checked = 0
    for page_a, page_b in zip(before, after, strict=True):
        assert [t for t, *_ in page_a] == [t for t, *_ in page_b]
        for (_t, xa, ya, _s), (_u, xb, yb, _v) in zip(page_a, page_b, strict=True):
            assert abs((xb - xa) - 3.5) < TOLERANCE_MM and abs((yb - ya) + 2.25) < TOLERANCE_MM
            checked += 1
    assert checked > 300
    # Unshifted, the name column starts exactly at its X and the first line stands on the first Y.
    table = layout.blanks[SUPPLEMENT].table
    first_row = [(t, x, y) for t, x, y, _s in before[0] if t.startswith("Модуль 1:")]
    assert first_row and abs(first_row[0][1] - table.columns["name"].x_mm) < TOLERANCE_MM
    assert abs(first_row[0][2] - table.first_y_mm) < TOLERANCE_MM


def test_proof_prints_each_sheet_over_its_own_underlay(sample, layout, tmp_path):
    ds, group = _long_program(sample, 30)
    proof, pages, following = _supplement_pdf(print_group(ds, group.number, layout, Printer("п", 0, 0), tmp_path,
                                                          proof=True))
    plain, _, _ = _supplement_pdf(print_group(ds, group.number, layout, Printer("п", 0, 0), tmp_path, proof=False))
    sizes = {}
    for n, page in enumerate(PdfReader(proof).pages, 1):
        [image] = page.images
        sizes.setdefault(n in following, set()).add(len(image.data))
        assert (round(float(page.mediabox.width) / mm), round(float(page.mediabox.height) / mm)) == (210, 297)
    assert len(sizes[True]) == len(sizes[False]) == 1 and sizes[True] != sizes[False]  # two different blanks
    assert all(not page.images for page in PdfReader(plain).pages)
    assert pages > len(following) > 0


def test_shipped_tables_are_the_default_ones(layout):
    assert layout.blanks[SUPPLEMENT].table == default_table(SUPPLEMENT)
    assert layout.blanks[SUPPLEMENT_NEXT].table == default_table(SUPPLEMENT_NEXT)


def test_a_row_taller_than_a_sheet_is_refused_in_russian(sample, layout, tmp_path):
    ds, group = _long_program(sample, 3)
    short = dataclasses.replace(layout.blanks[SUPPLEMENT_NEXT].table, lines=2)
    tight = dataclasses.replace(layout, blanks=layout.blanks | {
        SUPPLEMENT_NEXT: dataclasses.replace(layout.blanks[SUPPLEMENT_NEXT], table=short),
        SUPPLEMENT: dataclasses.replace(layout.blanks[SUPPLEMENT], table=short)})
    with pytest.raises(UchetError, match=r"Строка приложения «Модуль 1: нормирование.*» занимает 2 строк\(и\) таблицы, "
                                         r"а на листе «Приложение к диплому.*» под строки остается 1.*«Таблица приложения»"):
        print_group(ds, group.number, tight, Printer("п", 0, 0), tmp_path, proof=False)


def test_diplomas_are_not_printed_without_a_supplement_layout(sample, layout, tmp_path):
    number = next(g.number for g, _d, _l in issued_rows(sample, PP))
    without = dataclasses.replace(layout, blanks={k: b for k, b in layout.blanks.items()
                                                  if k not in (SUPPLEMENT, SUPPLEMENT_NEXT)})
    with pytest.raises(UchetError, match="нет макета приложения к диплому .* без приложения диплом недействителен"):
        print_group(sample, number, without, Printer("п", 0, 0), tmp_path, proof=False)
    assert not tmp_path.joinpath(number).exists()  # nothing half-printed
    other = next(g.number for g, _d, _l in issued_rows(sample, PK))
    assert print_group(sample, other, without, Printer("п", 0, 0), tmp_path, proof=False)  # others still print


# (cell, value, message): «Таблица приложения» rows 2… hold TABLE_PARAMETERS in order, B the first sheet, C the next.
WRONG_TABLE = [
    ("C3", "шесть", "лист «Таблица приложения», строка 3, столбец «Следующие листы»: «шесть» — не число."),
    ("C4", 29.5, "лист «Таблица приложения», строка 4, столбец «Следующие листы»: «29.5» — не целое число."),
    ("B4", 40, "лист «Таблица приложения», строка 4, столбец «Первый лист»: последняя строка (366 мм от верха) "
               "ниже края листа (297 мм)."),
    ("B3", 3, "строка 3, столбец «Первый лист»: строки наложатся: шаг 3 мм меньше высоты шрифта 11 пт (3.9 мм)."),
    ("B6", 12, "строка 6, столбец «Первый лист»: 12 пт больше размера шрифта таблицы (11 пт)."),
    ("B10", 120, "строка 11, столбец «Первый лист»: графа «Часы» (X 129 мм) заходит на предыдущую, которая "
                 "кончается на 151 мм."),
    ("C14", 70, "строка 14, столбец «Следующие листы»: графа «Результат» кончается на 220 мм, за краем листа (210 мм)."),
    ("A3", "Шаг строки", "лист «Таблица приложения», строка 3, столбец «Параметр»: неизвестный параметр «Шаг строки»."),
]


@pytest.mark.parametrize(("cell", "value", "message"), WRONG_TABLE)
def test_a_wrong_table_cell_is_named_with_sheet_row_and_column(tmp_path, cell, value, message):
    path = tmp_path / "blanks.xlsx"
    path.write_bytes(layout_workbook())
    wb = openpyxl.load_workbook(path)
    wb[TABLE_SHEET][cell] = value
    wb.save(path)
    with pytest.raises(UchetError) as error:
        read_layout(path)
    assert message in error.value.message


def test_a_missing_sheet_row_or_parameter_is_named(tmp_path):
    path = tmp_path / "blanks.xlsx"
    path.write_bytes(layout_workbook())
    wb = openpyxl.load_workbook(path)
    wb[TABLE_SHEET].delete_rows(6)
    wb.save(path)
    with pytest.raises(UchetError, match="лист «Таблица приложения», столбец «Параметр»: нет строки "
                                         "«Наименьший размер шрифта, пт»"):
        read_layout(path)
    del wb[TABLE_SHEET]
    wb.save(path)
    with pytest.raises(UchetError, match="лист «Таблица приложения»: нет листа"):
        read_layout(path)
    path.write_bytes(layout_workbook())
    wb = openpyxl.load_workbook(path)
    sheet = wb[BLANKS_SHEET]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == SUPPLEMENT_NEXT)
    sheet.delete_rows(row)
    wb.save(path)
    with pytest.raises(UchetError, match=f"лист «Бланки», столбец «Вид документа»: нет строки «{SUPPLEMENT_NEXT}»"):
        read_layout(path)


def test_wrapping_keeps_no_break_spaces_and_never_exceeds_the_width():
    """Header fields wrap the same way: at ordinary spaces only, so initials stay with the surname."""
    font = font_name()
    text = "Решение комиссии подписали председатель К.О.\u00a0Орлов-Давыдов и секретарь Н.Ю.\u00a0Громова"
    width = stringWidth("Решение комиссии подписали председатель К.О.", font, 12)
    lines = wrap(text, font, 12, width)
    assert " ".join(lines) == text
    # «К.О.» would fit on the first line, but not without its surname: both go to the next line.
    assert lines[0] == "Решение комиссии подписали председатель"
    assert not any(line.endswith(("К.О.", "Н.Ю.")) for line in lines)
    assert all(stringWidth(printable(line), font, 12) <= width for line in lines)
