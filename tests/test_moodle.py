"""Moodle grade exports: every format Moodle writes, both interface languages, matching and its warnings."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import shutil
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest

from pipeline.carriers import carrier
from pipeline.core.messages import render
from pipeline.intake.load import load_input
from pipeline.intake.moodle import group_workbook_of, match, read_export, to_csv
from pipeline.intake.validate import validate_input
from pipeline.render.stage import docx_text, render_carrier
from pipeline.synth import generate

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "input"
GROUP = "ПК-2025-02"  # an ЭО/ДОТ group of the sample whose results are on its «Тестирование» sheet
EXPORT = f"groups/{GROUP}.moodle.csv"
STAMP = 1744106400  # 2025-04-08 13:00 MSK, as Moodle writes «Последние загруженные из этого курса»

RU = ["Имя", "Фамилия", "Индивидуальный номер", "Учреждение (организация)", "Отдел", "Адрес электронной почты",
      "Тест:Входной тест (Значение)", "Задание:Эссе (Процент)", "Итого в категории «Модуль 1» (Значение)",
      "Итоговая оценка за курс (Значение)", "Последние загруженные из этого курса"]
EN = ["First name", "Surname", "ID number", "Institution", "Department", "Email address",
      "Quiz: Entry test (Real)", "Assignment: Essay (Percentage)", "Course total (Real)",
      "Last downloaded from this course"]


@pytest.fixture(scope="module")
def sample():
    return generate()


def codes(problems):
    return [(p.code, p.file, p.sheet, p.row, p.column) for p in problems]


# --- reading ---------------------------------------------------------------------------------------


def test_export_names_belong_to_their_group_workbook():
    assert group_workbook_of("ПК-2025-02.moodle.csv") == "ПК-2025-02.xlsx"
    assert group_workbook_of("ПК-2025-02.Moodle.ODS") == "ПК-2025-02.xlsx"
    assert group_workbook_of("ПК-2025-02.moodle.xlsx") == "ПК-2025-02.xlsx"
    assert group_workbook_of("ПК-2025-02.xlsx") is None
    assert group_workbook_of("ПК-2025-02.csv") is None
    assert group_workbook_of(".moodle.csv") is None


@pytest.mark.parametrize(("delimiter", "bom"), [(",", False), (";", True), ("\t", False)])
def test_russian_csv_with_any_delimiter_bom_dash_and_decimal_commas(delimiter, bom):
    rows = [
        ["Иван Петрович", "Иванов", "", "", "", "Ivanov@Example.ru", "17,50", "85,00 %", "30", "47,5", str(STAMP)],
        ["Анна", "Петрова", "", "", "", "petrova@example.ru", "-", "-", "-", "-", str(STAMP)],
    ]
    data = to_csv(RU, rows, delimiter)
    export, problems = read_export(b"\xef\xbb\xbf" + data if bom else data, EXPORT)
    assert problems == []
    assert export.sheet is None and export.columns["email"] == "Адрес электронной почты"
    first, second = export.rows
    assert (first.row, first.surname, first.first_name, first.email) == (2, "Иванов", "Иван Петрович",
                                                                          "Ivanov@Example.ru")
    # Category and course totals are not tests; «-» is not graded; a percentage is out of 100.
    assert [(g.item, g.score, g.max_score) for g in first.grades] == [
        ("Тест: Входной тест", 17.5, None), ("Задание: Эссе", 85.0, 100.0)]
    assert first.exported == dt.date(2025, 4, 8)
    assert (second.row, second.grades) == (3, ())


def test_english_csv_and_windows_1251():
    rows = [["John", "Smith", "7", "", "", "smith@example.com", "9.25", "70.00 %", "79.25", str(STAMP)]]
    export, problems = read_export(to_csv(EN, rows), EXPORT)
    assert problems == []
    [row] = export.rows
    assert (row.surname, row.first_name) == ("Smith", "John")
    assert [(g.item, g.score, g.max_score) for g in row.grades] == [("Quiz: Entry test", 9.25, None),
                                                                    ("Assignment: Essay", 70.0, 100.0)]
    cp1251 = to_csv(RU, [["Анна", "Ёлкина", "", "", "", "", "3", "-", "3", "3", str(STAMP)]], ";").decode()
    export, problems = read_export(cp1251.encode("cp1251"), EXPORT)
    assert problems == [] and export.rows[0].surname == "Ёлкина" and export.rows[0].grades[0].score == 3.0


def test_points_win_over_the_percentage_of_the_same_item():
    header = ["Фамилия", "Имя", "Адрес электронной почты", "Тест:Итог (Значение)", "Тест:Итог (Процент)"]
    export, _ = read_export(to_csv(header, [["Иванов", "Иван", "", "18,00", "90,00 %"]]), EXPORT)
    assert [(g.item, g.score, g.max_score) for g in export.rows[0].grades] == [("Тест: Итог", 18.0, None)]


def test_a_scale_word_is_a_warning_at_its_cell_and_a_header_without_people_an_error():
    header = ["Фамилия", "Имя", "Адрес электронной почты", "Тест:Итог (Значение)", "Последние загруженные из этого курса"]
    export, problems = read_export(to_csv(header, [["Иванов", "Иван", "", "Зачтено", str(STAMP)]]), EXPORT)
    assert codes(problems) == [("moodle_value", EXPORT, None, 2, "Тест:Итог (Значение)")]
    assert problems[0].value == "Зачтено" and export.rows[0].grades == ()
    export, problems = read_export(to_csv(["Логин", "Тест:Итог (Значение)"], [["ivanov", "5"]]), EXPORT)
    assert export is None and codes(problems) == [("moodle_no_people", EXPORT, None, 1, None)]
    export, problems = read_export(to_csv(["Фамилия", "Имя", "Отзыв"], [["Иванов", "Иван", "хорошо"]]), EXPORT)
    assert codes(problems) == [("moodle_no_items", EXPORT, None, 1, None), ("moodle_no_date", EXPORT, None, 1, None)]
    assert [p.severity for p in problems] == ["warning", "error"]
    assert all(render(p)[0] for p in problems)


def test_xlsx_as_moodle_writes_it_numbers_and_text():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Оценки"
    sheet.append(RU)
    sheet.append(["Иван", "Иванов", "", "", "", "ivanov@example.ru", 17.5, "85,00 %", 30, 47.5, str(STAMP)])
    sheet.append(["Анна", "Петрова", "", "", "", "petrova@example.ru", "-", "-", "-", "-", str(STAMP)])
    buffer = io.BytesIO()
    book.save(buffer)
    export, problems = read_export(buffer.getvalue(), f"groups/{GROUP}.moodle.xlsx")
    assert problems == [] and export.sheet == "Оценки"
    assert [(r.row, [(g.item, g.score) for g in r.grades]) for r in export.rows] == [
        (2, [("Тест: Входной тест", 17.5), ("Задание: Эссе", 85.0)]), (3, [])]
    assert export.rows[0].exported == dt.date(2025, 4, 8)


def _ods(sheet: str, rows: list[list]) -> bytes:
    """An OpenDocument spreadsheet written the way Moodle's own ODS writer does: strings and floats, no styles."""

    def cell(value) -> str:
        if isinstance(value, (int, float)):
            return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'

    body = "".join(f"<table:table-row>{''.join(cell(v) for v in row)}</table:table-row>" for row in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{escape(sheet)}">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def test_ods_with_english_headers():
    data = _ods("Grades", [EN, ["John", "Smith", "", "", "", "smith@example.com", 9.25, "-", 9.25, str(STAMP)]])
    export, problems = read_export(data, f"groups/{GROUP}.moodle.ods")
    assert problems == [] and export.sheet == "Grades"
    [row] = export.rows
    assert (row.email, [(g.item, g.score, g.max_score) for g in row.grades]) == (
        "smith@example.com", [("Quiz: Entry test", 9.25, None)])


def test_broken_file_is_an_error_not_a_crash():
    export, problems = read_export(b"not a zip", f"groups/{GROUP}.moodle.xlsx")
    assert export is None and [p.code for p in problems] == ["moodle_unreadable"]


# --- matching ---------------------------------------------------------------------------------------


def _row(learner, email=None, first=None, surname=None, grade="15,5"):
    p = learner.person
    return [first or p.name, surname or p.surname, "", "", "", email if email is not None else learner.email,
            grade, "-", grade, grade, str(STAMP)]


def test_match_by_email_any_case_then_by_name_with_yo_and_patronymic(sample):
    group = sample.groups[GROUP]
    a, b, c = (sample.learners[m.learner_id] for m in group.members[:3])
    rows = [
        _row(a, email=a.email.upper()),
        _row(b, email="другой@example.ru", first=f"{b.person.name}  {b.person.patronymic}",
             surname=b.person.surname.replace("ё", "е")),
        _row(c, email="", grade="-"),
    ]
    export, _ = read_export(to_csv(RU, rows), EXPORT)
    tests, problems = match(export, group, sample.learners)
    # c's grades are all «-»: a warning at its row; the members the export lacks are named too.
    assert codes(problems) == [("moodle_ungraded", EXPORT, None, 4, "Фамилия")] + [
        ("moodle_member_missing", group.file, "Состав", m.src.row, "ID слушателя") for m in group.members[3:]
        if not m.expelled_early and not any(t.learner_id == m.learner_id for t in group.tests)]
    assert {p.severity for p in problems} == {"warning"}
    assert [(t.learner_id, t.test, t.score, t.max_score, t.threshold, t.passed, t.date, t.exported, t.src.row)
            for t in tests] == [
        (a.id, "Тест: Входной тест", 15.5, None, None, None, None, dt.date(2025, 4, 8), 2),
        (b.id, "Тест: Входной тест", 15.5, None, None, None, None, dt.date(2025, 4, 8), 3),
    ]


def test_unmatched_ambiguous_and_repeated_rows_are_warnings_with_file_and_row(sample):
    group = sample.groups[GROUP]
    a, b, c = (sample.learners[m.learner_id] for m in group.members[:3])
    # Namesakes without an e-mail of their own: a name alone cannot tell them apart.
    twin = dataclasses.replace(c, email=None, person=dataclasses.replace(c.person, surname=b.person.surname,
                                                                          name=b.person.name))
    learners = {**sample.learners, c.id: twin, b.id: dataclasses.replace(b, email=None)}
    rows = [
        ["Пётр", "Посторонний", "", "", "", "stranger@example.ru", "10", "-", "10", "10", str(STAMP)],
        _row(b, email=""),
        _row(a),
        _row(a, email="", grade="3"),
    ]
    export, _ = read_export(to_csv(RU, rows), EXPORT)
    tests, problems = match(export, group, learners)
    problems = [p for p in problems if p.code != "moodle_member_missing"]
    assert codes(problems) == [
        ("moodle_unmatched", EXPORT, None, 2, "Фамилия"),
        ("moodle_ambiguous", EXPORT, None, 3, "Фамилия"),
        ("moodle_duplicate", EXPORT, None, 5, "Фамилия"),
    ]
    assert all(p.severity == "warning" for p in problems)
    assert problems[0].value == "Посторонний Пётр, stranger@example.ru"
    assert "строка 3" not in render(problems[2])[0] and "строка 4" in render(problems[2])[0]
    assert problems[1].params["count"] == 2
    assert [(t.learner_id, t.score) for t in tests] == [(a.id, 15.5)]


# --- through the loader, the validation and the carrier ---------------------------------------------


@pytest.fixture
def sample_copy(tmp_path):
    folder = tmp_path / "input"
    shutil.copytree(SAMPLE, folder)
    return folder


def test_loader_reads_exports_beside_their_workbook_and_rejects_orphans_and_pairs(sample_copy, sample):
    group = sample.groups[GROUP]
    a = sample.learners[group.members[0].learner_id]
    (sample_copy / EXPORT).write_bytes(to_csv(RU, [_row(a)]))
    (sample_copy / "groups/ПК-2099-01.moodle.csv").write_bytes(to_csv(RU, [_row(a)]))
    loaded = load_input(sample_copy)
    assert f"groups/{GROUP}.xlsx" in loaded.exports and EXPORT in loaded.hashes
    assert not any(p.file == EXPORT for p in loaded.problems)
    assert EXPORT not in loaded.group_files()
    assert codes(p for p in loaded.problems if p.code.startswith("moodle")) == [
        ("moodle_orphan", "groups/ПК-2099-01.moodle.csv", None, None, None)]
    assert "«ПК-2099-01.xlsx»" in render(loaded.problems[-1])[0]

    (sample_copy / f"groups/{GROUP}.moodle.xlsx").write_bytes((sample_copy / f"groups/{GROUP}.xlsx").read_bytes())
    loaded = load_input(sample_copy)
    assert f"groups/{GROUP}.xlsx" not in loaded.exports
    assert sorted(p.file for p in loaded.problems if p.code == "moodle_several") == [
        EXPORT, f"groups/{GROUP}.moodle.xlsx"]


def test_sheet_and_export_results_merge_and_the_carrier_prints_them(sample_copy, sample, tmp_path):
    group = sample.groups[GROUP]
    a = sample.learners[group.members[0].learner_id]
    stranger = ["Пётр", "Посторонний", "", "", "", "stranger@example.ru", "10", "-", "10", "10", str(STAMP)]
    (sample_copy / EXPORT).write_bytes(to_csv(RU, [_row(a, grade="19,5"), stranger], ";"))
    validation = validate_input(sample_copy)
    assert codes(validation.problems) == [("moodle_unmatched", EXPORT, None, 3, "Фамилия")]
    loaded = validation.dataset.groups[GROUP]
    assert len(loaded.tests) == len(group.tests) + 1
    assert loaded.tests[:-1] == group.tests
    moodle = loaded.tests[-1]
    assert (moodle.learner_id, moodle.score, moodle.src.file, moodle.src.row) == (a.id, 19.5, EXPORT, 2)

    entry = carrier("testing")
    spec = next(s for s in entry.build(validation.dataset) if s.group == GROUP)
    assert EXPORT in spec.sources
    [doc] = render_carrier(entry, [spec], tmp_path / "out", REPO / "templates_docx")
    text = docx_text(doc.path.read_bytes())
    short = f"{a.person.surname}\u00a0{a.person.name[0]}.{a.person.patronymic[0]}."  # ГОСТ Р 7.0.97
    # Moodle gives no pass mark, so neither the threshold nor a verdict is printed.
    assert f"{short} | Входной тест | на 08.04.2025 | 19,5 | — | —" in text
    assert "Сдано попыток: " in text and "проходной балл в выгрузке из системы дистанционного обучения не указан" in text


def test_the_committed_sample_has_a_group_whose_results_come_from_moodle():
    validation = validate_input(SAMPLE)
    assert validation.problems == []
    group = validation.dataset.groups["ПК-2026-01"]
    assert group.tests and {t.src.file for t in group.tests} == {"groups/ПК-2026-01.moodle.csv"}
    assert {(t.date, t.threshold, t.passed) for t in group.tests} == {(None, None, None)}
    assert {t.exported for t in group.tests} == {max(lesson.date for lesson in group.lessons)}
    assert "groups/ПК-2026-01.moodle.csv" in validation.dataset.source_hashes
