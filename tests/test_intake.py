"""Issue 14: unusual input gives no wrong document, and every problem is told once, in Russian.

The malformed-input corpus (tests/corpus/cases.py) checks each case's exit code and problems through
`uchet validate`; here: that `uchet build` writes no document from any of its bad inputs, what the
documents say where the input is unusual but valid, and the messages of the stages after validation.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from builders import GROUP, minimal_input, write_input
from click.testing import CliRunner
from corpus.cases import CASES, graded, moodle

from pipeline.carriers import CARRIERS, carrier
from pipeline.cli import main
from pipeline.core.problems import Problem
from pipeline.core.progress import progress
from pipeline.intake import moodle as moodle_module
from pipeline.intake import nomenclature, sheet_area, xlsx_guard
from pipeline.intake.problem_report import line
from pipeline.intake.validate import validate_input
from pipeline.intake.workbooks import write_blank
from pipeline.render.stage import docx_text, render_carrier
from pipeline.reports.status import NOT_YET, PRESENT, StatusRow, console_lines

REPO = Path(__file__).resolve().parent.parent
ENGLISH = re.compile(r"\b(Usage|Error|Options|Commands|Missing|No such|Try|Show this|invalid|Cannot|default|"
                     r"required|does not|is not|Got unexpected|Permission denied|Errno)\b")


def run(*args: str):
    return CliRunner().invoke(main, list(args))


# --- no wrong document --------------------------------------------------------------------------------


@pytest.mark.parametrize("case", [c for c in CASES if c.exit == 1], ids=lambda c: c.name)
def test_build_writes_no_document_from_bad_input(case, tmp_path):
    folder, out = tmp_path / "input", tmp_path / "out"
    folder.mkdir()
    case.make(folder)
    result = run("build", "--input", str(folder), "--output", str(out), "--today", "2026-12-03")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and not ENGLISH.search(result.output), result.output
    assert not (out / "build").exists() and not (out / "archive").exists() and not (out / "reports").exists()
    assert "Проверка пройдена" not in result.output


def _testing_text(folder: Path, tmp_path: Path) -> str:
    validation = validate_input(folder)
    assert validation.errors == [], validation.errors
    entry = carrier("testing")
    [doc] = render_carrier(entry, list(entry.build(validation.dataset)), tmp_path / "docs", REPO / "templates_docx")
    return docx_text(doc.path.read_bytes())


@pytest.mark.parametrize("stamp", ["2 декабря 2026, 14:05", "среда, 2 декабря 2026, 14:05", "02.12.2026 14:05",
                                   "Wednesday, 2 December 2026, 2:05 PM", "1796202300", "2026-12-02 14:05:00"])
def test_testing_document_states_the_export_date_not_the_group_end(tmp_path, stamp):
    folder = write_input(tmp_path / "input")
    moodle(*graded(stamp))(folder)
    text = _testing_text(folder, tmp_path)
    assert re.search(r"Результаты выгружены из СДО \(Moodle\) 2[ \u00a0]декабря 2026\u00a0г\.", text), text
    assert "Итоговый тест | на 02.12.2026 | 17,5 | — | —" in text
    assert "2025\u00a0г." not in text.split("выгружены из СДО (Moodle)")[1]  # not the group's end, 7 марта 2025


def test_a_learner_without_grades_and_a_member_missing_from_the_export_are_rows_and_warnings(tmp_path):
    folder = write_input(tmp_path / "input")
    moodle(["Иван", "Иванов", "", "-", "-", "2 декабря 2026"])(folder)
    problems = validate_input(folder).problems
    assert {(p.code, p.file, p.sheet, p.row, p.column, p.severity) for p in problems} == {
        ("moodle_ungraded", "groups/ПК-2025-01.moodle.csv", None, 2, "Фамилия", "warning"),
        ("moodle_member_missing", GROUP, "Состав", 3, "ID слушателя", "warning"),
    }
    text = _testing_text(folder, tmp_path)
    # Short names as ГОСТ Р 7.0.97 writes them: «Иванов И.И.», a non-breaking space before the initials.
    assert re.search(r"\n1 \| Иванов\u00a0И\.И\. \| не оценено \| на 02\.12\.2026 \| — \| — \| —\n", text), text
    assert "\n2 | Семёнова-Грин\u00a0О. | нет в выгрузке |  | — | — | —\n" in text
    # Every learner is a gap, yet the results still come from the export, on its date.
    assert re.search(r"Результаты выгружены из СДО \(Moodle\) 2[ \u00a0]декабря 2026\u00a0г\.", text), text
    assert "внесены в ведомость" not in text
    assert "Оценок нет ни у одного слушателя. Без результата: 2 (см. «не оценено», «нет в выгрузке»)." in text


@pytest.mark.parametrize(("raw", "expected"), [
    ("2 декабря 2026, 14:05", dt.date(2026, 12, 2)), ("2 мая 2026 г.", dt.date(2026, 5, 2)),
    ("1 янв. 2027", dt.date(2027, 1, 1)), ("December 2, 2026", dt.date(2026, 12, 2)),
    ("17 Feb 2026, 10:00", dt.date(2026, 2, 17)), (1771318800, dt.date(2026, 2, 17)),
    (46358.0, dt.date(2026, 12, 2)), (dt.datetime(2026, 12, 2, 14, 5), dt.date(2026, 12, 2)),
    ("вчера", None), ("31 февраля 2026", None), ("2026", None), (True, None), ("", None),
])
def test_every_date_form_moodle_writes(raw, expected):
    assert moodle_module.export_date(raw) == expected


# --- bombs -----------------------------------------------------------------------------------------


def _with_member(path: Path, name: str, size: int) -> None:
    """Rewrite a workbook with one member replaced by `size` bytes of a repeated string (inflates hugely)."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info.filename, source.read(info.filename))
        with target.open(name, "w", force_zip64=True) as member:
            block = b"<si><t>aaaaaaaaaaaaaaaa</t></si>" * 32768
            for _ in range(size // len(block) + 1):
                member.write(block)
    path.write_bytes(out.getvalue())


def _assert_group_refused_before_any_reader(folder: Path, monkeypatch) -> None:
    """The group workbook is refused as too large, and calamine never opens it (only the two others)."""
    opened = []
    monkeypatch.setattr("python_calamine.CalamineWorkbook.from_filelike", lambda *a: opened.append(a))
    problems = validate_input(folder).problems
    assert [(p.code, p.file, p.sheet, p.row) for p in problems if p.file == GROUP] == [
        ("workbook_too_large", GROUP, None, None)]
    assert len(opened) == 2  # organization.xlsx and learners.xlsx only


def test_a_member_that_inflates_past_the_limit_is_refused_before_any_reader(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_guard, "MEMBER_LIMIT", 8 * 1024 * 1024)
    monkeypatch.setattr(xlsx_guard, "TOTAL_LIMIT", 16 * 1024 * 1024)
    folder = write_input(tmp_path / "input")
    _with_member(folder / GROUP, "xl/sharedStrings.xml", 9 * 1024 * 1024)
    assert (folder / GROUP).stat().st_size < 200_000
    _assert_group_refused_before_any_reader(folder, monkeypatch)
    result = run("build", "--input", str(folder), "--output", str(tmp_path / "out"))
    assert result.exit_code == 1 and "при распаковке занимает больше 8 МБ" in result.output


def _with_sheet_end(path: Path, member: str, rows: bytes) -> None:
    """Rewrite a workbook with `rows` added at the end of one sheet's data, as a hand-made file could."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info.filename, data.replace(b"</sheetData>", rows + b"</sheetData>") if info.filename == member
                            else data)
    path.write_bytes(out.getvalue())


def test_a_value_pushed_far_by_rows_and_cells_without_addresses_is_refused(tmp_path, monkeypatch):
    # A reader places a row or cell that carries no «r» address right after the one before: 20,000 empty
    # rows and 600 empty cells put one value 12 million cells from A1 in a file of a few kilobytes.
    folder = write_input(tmp_path / "input")
    far = b"<row/>" * 20_000 + b"<row>" + b"<c/>" * 600 + b'<c t="inlineStr"><is><t>x</t></is></c></row>'
    _with_sheet_end(folder / GROUP, "xl/worksheets/sheet4.xml", far)
    assert (folder / GROUP).stat().st_size < 50_000
    _assert_group_refused_before_any_reader(folder, monkeypatch)


def test_rows_and_cells_without_addresses_are_placed_as_a_reader_places_them():
    sheet = (b'<sheetData><row r="3"><c r="B3"><v>1</v></c><c><v>2</v></c></row>'  # the second cell is C3
             b"<row><c/><c/><c/><c><v>3</v></c></row>"  # row 4, the value in D4
             b'<row r="9"><c s="1" r="E9"/></row></sheetData>')  # only formatted: not counted
    assert sheet_area.filled_area(sheet) == 4 * 4
    # An address that is not the cell's first attribute is still its address.
    assert sheet_area.filled_area(b'<row r="200000"><c s="2" r="B200000" t="n"><v>1</v></c></row>') == 200_000 * 2
    assert sheet_area.filled_area(b'<row r="200000" spans="1:2"><c r="B200000"><v>1</v></c></row>') == 200_000 * 2


@pytest.mark.parametrize(("cell", "area"), [
    (b'<c r="A100000"><v>1</v></c>', 100_000), (b'<c r="CW1"><v>1</v></c>', 101), (b'<c r="DA1"><v>1</v></c>', 105),
    (b'<c r="ZZ2"><v>1</v></c>', 2 * 702), (b'<c r="AAA1"><v>1</v></c>', 703), (b'<c r="B1234567"><v>1</v></c>', 2_469_134),
])
def test_a_plain_sheet_past_row_99999_or_column_cv_is_counted(cell, area):
    assert sheet_area.filled_area(b'<sheetData><row r="1"><c r="A1"><v>1</v></c>' + cell + b"</row></sheetData>") == area


def test_a_plain_sheet_within_cv99999_is_not_counted_and_stays_under_the_limit():
    # Every cell up to row 99,999 and column CV (the 100th) may be filled: at most NEAR_AREA cells.
    near = b'<sheetData><row r="99999"><c r="A1"><v>1</v></c><c r="CV99999"><v>1</v></c></row></sheetData>'
    assert sheet_area.filled_area(near) == 0
    assert sheet_area.NEAR_AREA == 99_999 * 100 <= xlsx_guard.CELL_LIMIT
    assert xlsx_guard.area_refusal("xl/worksheets/sheet1.xml", near) is None


@pytest.mark.parametrize("cell", [b'<c r="Z99999" s="1" t="s">', b'<c r="BZ12">', b'<c r="CA7">', b'<c r="CV99999" t="n">'])
def test_a_plain_sheet_within_cv99999_is_measured_in_one_pass_over_its_cells(cell, monkeypatch):
    # A group workbook or a learners' list under 100,000 rows is plain and near: the pass that finds a
    # far address (and the one that finds an odd cell) is not made again for it.
    class NotAgain:
        def search(self, xml):
            raise AssertionError("a second pass over a plain, near sheet")

    monkeypatch.setattr(sheet_area, "FAR_CELL", NotAgain())
    monkeypatch.setattr(sheet_area, "ODD_CELL", NotAgain())
    sheet = b'<sheetData><row r="1"><c r="A1"><v>1</v></c>' + cell + b"<v>2</v></c></row></sheetData>"
    assert sheet_area.filled_area(sheet) == 0


# Each way a reader still finds a cell's address (calamine: either quote, lower case, any length, any
# prefix, the last of two «r», a leading zero) once let a file of kilobytes ask for gigabytes and end the
# run with no message (B123456789: 67 GB, the process aborted).
FAR_CELLS = {
    "single quotes": b"<c r='Z500000'><v>1</v></c>",
    "lower case": b'<c r="z500000"><v>1</v></c>',
    "five letters": b'<c r="ZZZZZ9"><v>1</v></c>',
    "nine digits": b'<c r="B123456789"><v>1</v></c>',
    "spaces around =": b'<c r = "Z500000"><v>1</v></c>',
    "a prefix": b'<x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="Z500000">'
                b"<x:v>1</x:v></x:c>",
    "a second address": b'<c r="A1" r="Z500000"><v>1</v></c>',
    "a leading zero": b'<c r="Z0500000"><v>1</v></c>',
    "not first": b'<c t="n" r="Z500000"><v>1</v></c>',
    "a comment before the value": b'<c r="Z500000"><!-- --><v>1</v></c>',
    "a quoted >": b'<c s="a>b" r="Z500000"><v>1</v></c>',
}


@pytest.mark.parametrize("cell", FAR_CELLS.values(), ids=FAR_CELLS.keys())
def test_a_far_cell_written_any_way_a_reader_reads_it_is_refused(tmp_path, monkeypatch, cell):
    folder = write_input(tmp_path / "input")
    _with_sheet_end(folder / GROUP, "xl/worksheets/sheet4.xml", b'<row r="3000">' + cell + b"</row>")
    _assert_group_refused_before_any_reader(folder, monkeypatch)


def test_a_sheet_that_is_not_xml_is_refused_and_one_in_utf16_is_measured():
    broken = b'<worksheet><sheetData><row r="1"><c r="A1" s="a>b" x><v>1</v></c></row></sheetData></worksheet>'
    assert "поврежден: его разметка (XML) не читается" in xlsx_guard.area_refusal("xl/worksheets/sheet1.xml", broken)
    far = ('<?xml version="1.0" encoding="UTF-16"?><worksheet><sheetData><row r="500000">'
           '<c r="Z500000"><v>1</v></c></row></sheetData></worksheet>').encode("utf-16")
    assert sheet_area.filled_area(far) == 500_000 * 26


def test_a_sheet_the_relationships_place_elsewhere_is_measured_too():
    source = zipfile.ZipFile(REPO / "input/learners.xlsx")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                name = "xl/data/list.xml"
                data = data.replace(b"</sheetData>", b'<row r="3000"><c r="Z500000"><v>1</v></c></row></sheetData>')
            target.writestr(name, data.replace(b"worksheets/sheet1.xml", b"data/list.xml"))
    assert "заполненные ячейки охватывают 13 000 000" in xlsx_guard.refusal(out.getvalue())


def test_real_workbooks_are_far_below_the_limits():
    for path in [REPO / "input/learners.xlsx", REPO / "input/organization.xlsx", *(REPO / "input/groups").glob("*.xlsx")]:
        assert xlsx_guard.refusal(path.read_bytes()) is None, path


# --- messages --------------------------------------------------------------------------------------


def test_a_file_locked_by_another_program_says_so(tmp_path, monkeypatch):
    folder = write_input(tmp_path / "input")
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "ПК-2025-01.xlsx":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = run("validate", "--input", str(folder), "--output", str(tmp_path / "out"))
    # Not a problem in the data (exit 1) but an operational failure (exit 2): the workbook was not read.
    assert result.exit_code == 2, result.output
    assert "открыт в другой программе" in result.output and "нет прав" in result.output
    assert "ПК-2025-01.xlsx" in result.output and "сохраните заново" not in result.output
    assert not ENGLISH.search(result.output), result.output
    assert "копии книг" not in result.output  # no marked copy was written, so none is named
    assert not any((tmp_path / "out").rglob("*"))  # nothing was written


@pytest.mark.parametrize("args", [
    ["--help"], ["validate", "--help"], ["build", "--help"], ["--inptu", "x"], ["validate", "--inptu", "x"],
    ["init"], ["frdo", "--year", "2025", "--kind", "xx"], ["build", "--today", "2025-13-01"], ["disposal"],
    ["nosuchcommand"], ["validate", "extra"], ["find", "--year", "abc"], [],
])
def test_every_word_of_click_is_russian(args):
    result = run(*args)
    assert result.exit_code in (0, 2), result.output
    assert not ENGLISH.search(result.output), result.output
    assert re.search("[а-яА-Я]", result.output)


def test_a_parameter_of_a_keyvalue_sheet_is_called_a_parameter():
    text = line(Problem(GROUP, "Группа", 4, "Дата начала", "format_date", value="1 мая", params={"col": 2}))
    assert text.startswith("Лист «Группа», строка 4, параметр «Дата начала»:")
    assert "столбец" not in text.split(":")[0]


def test_console_of_a_large_centre_names_only_the_groups_that_need_attention():
    journal = next(c for c in CARRIERS if c.key == "journal")
    order = next(c for c in CARRIERS if c.key == "order_graduation")
    rows, ends = [], {}
    for n in range(400):
        key = f"ПК-2026-{n:03d}"
        ends[key] = dt.date(2026, 11, 1) if n < 397 else dt.date(2027, 1, 30)
        waiting = n in (5, 17, 398, 399)
        rows.append(StatusRow(key, journal, 3, 3, PRESENT, ()))
        rows.append(StatusRow(key, order, 0, 0, NOT_YET if waiting else PRESENT, ("нет приказа",) if waiting else ()))
    lines = console_lines(rows, ends, dt.date(2026, 12, 3), "out/reports/status.xlsx")
    assert len(lines) == 5, lines
    assert lines[0].startswith("Полнота документов: 400 групп, документов 1200, в архиве 1200")
    assert "«out/reports/status.xlsx»" in lines[0]
    assert "2 группы" in lines[1] and "ПК-2026-005" in lines[2] and "ПК-2026-017" in lines[3]
    assert lines[4] == "Еще учатся и получат остальные документы позже: 2 группы."


def test_progress_redirected_says_what_its_numbers_count(monkeypatch, capsys):
    monkeypatch.setattr("pipeline.core.progress.PLAIN_EVERY", 0)
    with progress("Формирование документов", 12, what="носитель", detail=lambda: "готово документов: 4\u00a0157") as advance:
        advance(4)
    err = capsys.readouterr().err
    assert "Формирование документов: носитель 4 из 12 (33 %), готово документов: 4\u00a0157" in err


def test_build_of_a_signed_group_that_changed_says_the_archive_stopped_not_the_check(tmp_path):
    data = copy.deepcopy(minimal_input())
    for row in data[GROUP]["Группа"]:
        if row[0] == "Документы подписаны":
            row[1] = "да"
    folder, out = write_input(tmp_path / "input", data), tmp_path / "out"
    first = run("build", "--input", str(folder), "--output", str(out), "--today", "2026-12-03")
    assert first.exit_code == 0, first.output
    assert "Данные проверены: 1 группа, 2 слушателя, 1 программа." in first.output
    assert f"«{out / 'reports' / 'learners.xlsx'}»" in first.output and "output/reports" not in first.output
    found = run("find", "--output", str(out), "--year", "2025")
    assert re.search(r"хранить: 5 лет", found.output), found.output
    book = openpyxl.load_workbook(folder / GROUP)
    book["Занятия"]["E2"] = "Другая тема"
    book.save(folder / GROUP)
    second = run("build", "--input", str(folder), "--output", str(out), "--today", "2026-12-03")
    assert second.exit_code == 1, second.output
    assert "Подшивка в архив остановлена" in second.output
    assert "Проверка рабочих книг:" not in second.output


# --- the номенклатура дел -------------------------------------------------------------------------


def test_every_carrier_has_a_case_key_and_a_recommended_row():
    keys = {c.case_key for c in CARRIERS}
    assert keys <= set(nomenclature.case_keys())
    recommended = {r[0] for r in nomenclature.RECOMMENDED}
    assert recommended and recommended == set(nomenclature.case_keys())
    # Every carrier that is filed has a row of the номенклатура under its case key (handed-out documents,
    # the qualification ones, are not filed and need none; the ведомость выдачи is filed under the register's).
    assert {c.case_key for c in CARRIERS if c.archived} <= recommended
    # A case is named after the carrier whose key it is (the register, not the ведомость filed with it);
    # every carrier sharing a case key files into such a case.
    heads = {c.key: c.title for c in CARRIERS if c.key == c.case_key}
    assert heads == {k: nomenclature.case_keys()[k] for k in heads}
    assert keys <= set(heads)


def test_init_writes_the_recommended_nomenclature_with_a_drop_down(tmp_path):
    write_blank(tmp_path)
    sheet = openpyxl.load_workbook(tmp_path / "organization.xlsx")["Номенклатура дел"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    head = [c.value for c in sheet[1]]
    records = [dict(zip(head, r, strict=False)) for r in rows if r[0]]
    assert [r["Носитель"] for r in records] == [row[0] for row in nomenclature.RECOMMENDED]
    assert set(nomenclature.case_keys()) == {r["Носитель"] for r in records}
    for r in records:
        assert r["Статус"] == ("утверждено" if r["Статья перечня"] else "требует решения ЭК"), r
    assert {r["Носитель"] for r in records if r["Статус"] == "утверждено"} == {
        "order_enrolment", "order_commission", "order_graduation", "order_expulsion", "order_expert_commission"}
    lists = [dv for dv in sheet.data_validations.dataValidation if "A2" in str(dv.sqref).split(":")[0]]
    assert lists and lists[0].type == "list"
    # A fresh folder is still a blank input (no wall of errors), and its номенклатура is complete.
    assert validate_input(tmp_path).errors == []


def _ods(rows_xml: str) -> bytes:
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
               f'<office:spreadsheet><table:table table:name="Оценки">{rows_xml}</table:table></office:spreadsheet>'
               '</office:body></office:document-content>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _ods_row(*values: str, repeat: int = 1, columns: int = 1) -> str:
    rows = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    cols = f' table:number-columns-repeated="{columns}"' if columns > 1 else ""
    cells = "".join(f'<table:table-cell office:value-type="string"{cols}><text:p>{v}</text:p></table:table-cell>'
                    for v in values)
    return f"<table:table-row{rows}>{cells}</table:table-row>"


def test_an_ods_export_whose_repeated_rows_span_billions_of_cells_is_refused(tmp_path):
    folder = write_input(tmp_path / "input")
    bomb = _ods(_ods_row("Фамилия", "Имя") + _ods_row("x", repeat=1_048_570, columns=16_384))
    assert len(bomb) < 2000
    (folder / "groups/ПК-2025-01.moodle.ods").write_bytes(bomb)
    problems = validate_input(folder).problems
    assert [(p.code, p.file, p.row) for p in problems] == [("workbook_too_large", "groups/ПК-2025-01.moodle.ods", None)]
    # LibreOffice's own trailing «empty rows repeated a million times» are no bomb.
    plain = _ods(_ods_row("Фамилия", "Имя") + _ods_row("Иванов", "Иван")
                 + '<table:table-row table:number-rows-repeated="1048570"><table:table-cell '
                   'table:number-columns-repeated="1024"/></table:table-row>')
    assert xlsx_guard.refusal(plain) is None
