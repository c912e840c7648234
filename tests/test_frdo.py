"""ФИС ФРДО export: header rows, coded values, cell types, pre-flight, and the changes-since-upload diff."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from builders import minimal_input, set_cell, write_input
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.core.dataset import (
    Dataset,
    FinalResult,
    Group,
    IssuedDocument,
    Learner,
    Member,
    Organization,
    Person,
    Program,
    Result,
    Source,
)
from pipeline.core.messages import MESSAGES, render
from pipeline.frdo import check, export, template, years_of
from pipeline.frdo.preflight import bad_characters, char_name, preflight, program_name_fix
from pipeline.frdo.rows import Origin, build_rows
from pipeline.frdo.template import PROGRAM_NAME_PUNCTUATION, collapse
from pipeline.frdo.workbook import write_workbook
from pipeline.synth import generate
from schemas import codes, headers
from schemas.codes import frdo_templates
from schemas.group import IssuedSheet, MembersSheet
from schemas.learners import LearnersSheet
from schemas.organization import ProgramsSheet

D = dt.date
TODAY = D(2025, 12, 20)
END = D(2025, 3, 10)
ORG = "organization.xlsx"
LEARNERS = "learners.xlsx"


def snils(nine: str) -> str:
    total = sum(int(d) * w for d, w in zip(nine, range(9, 0, -1), strict=True)) % 101
    check_no = 0 if total == 100 else total
    return f"{nine[:3]}-{nine[3:6]}-{nine[6:]} {check_no:02d}"


def program(code: str, row: int, **kw) -> Program:
    base = dict(
        code=code, name="Экологическая безопасность", kind="ПК", po_kind=None, hours=72, study_form="Очная",
        distance=False, prof_standard=None, qualification=None, rank=None,
        document="Удостоверение о повышении квалификации", final_form="зачет", min_attendance=80,
        prof_area=codes.PROF_AREA[0], ugs=codes.UGS[0], modules=(), src=Source(ORG, "Программы", row),
    )
    return Program(**(base | kw))


def learner(lid: str, row: int, surname: str, **kw) -> Learner:
    base = dict(
        id=lid, person=Person(surname, "Анна", "Сергеевна", "Жен"), birth_date=D(1990, 5, 17),
        snils=snils(f"{112233445 + row * 1000:09d}"), citizenship="643", education_level="Высшее образование",
        edu_surname=None, edu_series="107724", edu_number="0123456", workplace=None, position=None, phone=None,
        email=None, src=Source(LEARNERS, "Слушатели", row),
    )
    return Learner(**(base | kw))


def issued(lid: str, row: int, file: str, reg_no: str, document: str, **kw) -> IssuedDocument:
    base = dict(
        learner_id=lid, document=document, series=None, number=f"77{reg_no.zfill(6)}", reg_no=reg_no,
        issued_on=D(2025, 3, 14), receipt="лично", status="Оригинал", lost=None, exchanged=None, destroyed=None,
        replaces=None, src=Source(file, "Выдача документов", row),
    )
    return IssuedDocument(**(base | kw))


def group(number: str, code: str, members: list[str], docs: list[IssuedDocument], end: dt.date = END) -> Group:
    file = f"groups/{number}.xlsx"
    return Group(
        number=number, program_code=code, start=D(2025, 2, 3), end=end, curator_id="S1", commission_id=None,
        final_date=end, protocol_no="1", signed=False, correction=None, orders=(),
        members=tuple(
            Member(lid, f"Д-{i}", D(2025, 1, 20), "Платное обучение", "завершил обучение", None, None, None,
                   Source(file, "Состав", i + 2))
            for i, lid in enumerate(members)
        ),
        lessons=(), marks=(), interim=(),
        final=tuple(FinalResult(lid, end, Result("зачтено"), None, Source(file, "Итоговая аттестация", 2))
                    for lid in members),
        issued=tuple(docs), tests=(), file=file, file_sha256="0" * 64,
    )


def make_dataset(**changes) -> Dataset:
    """Two ДПО groups (ПК and ПП) and one ПО group; a справка; everything FRDO needs is filled."""
    programs = {
        "ПК-01": program("ПК-01", 2, name="Экологическая безопасность (для руководителей)"),
        "ПП-01": program(
            "ПП-01", 3, name="Менеджмент в образовании", kind="ПП", hours=260, study_form="Заочная",
            qualification="Менеджер образования", document="Диплом о профессиональной переподготовке",
        ),
        "ПО-01": program(
            "ПО-01", 4, name="Стропальщик", kind="ПО", po_kind=codes.PO_PROGRAM_KIND[0], hours=160,
            qualification="Стропальщик", rank="3", prof_area=None, ugs=None,
            document="Свидетельство о профессии рабочего, должности служащего",
        ),
    }
    learners = {
        "L1": learner("L1", 2, "Иванова"),
        "L2": learner("L2", 3, "Петрова", edu_surname="Сидорова", education_level="Среднее профессиональное образование"),
        "L3": learner("L3", 4, "Орлова", person=Person("Орлов", "Олег", None, "Муж")),
        "L4": learner("L4", 5, "Ким", education_level="Стаж", edu_series=None, edu_number=None),
    }
    docs_pk = [
        issued("L1", 2, "groups/ПК-2025-01.xlsx", "1", "Удостоверение о повышении квалификации"),
        issued("L2", 3, "groups/ПК-2025-01.xlsx", "2", "Удостоверение о повышении квалификации", series="ПК"),
        issued("L4", 4, "groups/ПК-2025-01.xlsx", "3", "Справка об обучении"),
    ]
    docs_pp = [issued("L1", 2, "groups/ПП-2025-01.xlsx", "1-ПП", "Диплом о профессиональной переподготовке",
                      issued_on=D(2025, 6, 30))]
    docs_po = [issued("L3", 2, "groups/ПО-2025-01.xlsx", "1-ПО",
                      "Свидетельство о профессии рабочего, должности служащего")]
    groups = {
        "ПК-2025-01": group("ПК-2025-01", "ПК-01", ["L1", "L2", "L4"], docs_pk),
        "ПП-2025-01": group("ПП-2025-01", "ПП-01", ["L1"], docs_pp, end=D(2025, 6, 20)),
        "ПО-2025-01": group("ПО-2025-01", "ПО-01", ["L3"], docs_po),
    }
    org = Organization("ЧОУ ДПО", "ЧОУ ДПО", "адрес", "Москва", "7707083893", "1027700132195", "лиц", "S1",
                       "273-ФЗ", None, None, Source(ORG, "Организация", 2))
    data = dict(organization=org, programs=programs, staff={}, commissions={}, nomenclature={},
                learners=learners, groups=groups)
    return Dataset(**(data | changes))


def with_program(ds: Dataset, code: str, **kw) -> Dataset:
    return dataclasses.replace(ds, programs=ds.programs | {code: dataclasses.replace(ds.programs[code], **kw)})


def with_learner(ds: Dataset, lid: str, **kw) -> Dataset:
    return dataclasses.replace(ds, learners=ds.learners | {lid: dataclasses.replace(ds.learners[lid], **kw)})


def with_issued(ds: Dataset, number: str, docs: list[IssuedDocument]) -> Dataset:
    return dataclasses.replace(ds, groups=ds.groups | {number: dataclasses.replace(ds.groups[number], issued=tuple(docs))})


def sheet_rows(path: Path) -> list[list]:
    ws = openpyxl.load_workbook(path)["Шаблон"]
    return [[c.value for c in row] for row in ws.iter_rows()]


def where(problems) -> set[tuple]:
    return {(p.code, p.file, p.sheet, p.row, p.column) for p in problems}


# --- the template as published -------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "width"), [("dpo", 40), ("po", 35)])
def test_header_row_is_the_published_list_exactly(tmp_path, kind, width):
    published = frdo_templates()[kind]["header"]
    result = export(make_dataset(), 2025, kind, tmp_path, today=TODAY)
    header = sheet_rows(result.workbook)[0]
    assert len(header) == width
    assert header == published  # word for word, in order, stray whitespace included
    if kind == "po":
        # The published ПО header has stray spaces and a line break; they are the template's and are kept.
        assert header[0] == "Вид документа " and header[11] == "Наименование \nпрофессий рабочих, должностей служащих"


# The published header rows, copied into a fixture of their own (not schemas/frdo_templates.json, which
# the exporter reads): a column moved or renamed in the pinned JSON is caught here.
PUBLISHED_HEADERS = json.loads((Path(__file__).parent / "fixtures/frdo_published_headers.json").read_text("utf-8"))


@pytest.mark.parametrize("kind", ["dpo", "po"])
def test_header_row_matches_an_independent_copy_of_the_published_template_cell_by_cell(tmp_path, kind):
    published = PUBLISHED_HEADERS[kind]
    assert len(published) == {"dpo": 40, "po": 35}[kind]
    ws = openpyxl.load_workbook(export(make_dataset(), 2025, kind, tmp_path, today=TODAY).workbook)["Шаблон"]
    assert ws.max_column == len(published)
    for index, header in enumerate(published, start=1):
        cell = ws.cell(1, index)
        assert (cell.column_letter, cell.value) == (cell.column_letter, header)


# Where the published templates put each value (NOTES §5.1, §5.2), with the value the dataset of
# make_dataset() gives its first row: L1's удостоверение (ДПО) and L3's свидетельство (ПО).
DPO_ROW_1 = {
    "A": "Удостоверение о повышении квалификации", "B": "Оригинал", "F": "нет", "G": "77000001",
    "H": dt.datetime(2025, 3, 14), "I": "1", "J": "Повышение квалификации",
    "K": "Экологическая безопасность (для руководителей)", "L": codes.PROF_AREA[0], "M": codes.UGS[0],
    "N": None, "O": "Высшее образование", "P": "Иванова", "Q": "107724", "R": "0123456", "S": 2025, "T": 2025,
    "U": 72, "V": "Иванова", "W": "Анна", "X": "Сергеевна", "Y": dt.datetime(1990, 5, 17), "Z": "Жен",
    "AA": snils("112235445"), "AB": "Очная", "AC": "Платное обучение", "AD": "в образовательной организации",
    "AE": "643", "AN": None,
}
PO_ROW_1 = {
    "A": "Свидетельство о профессии рабочего, должности служащего", "G": "77001-ПО", "H": dt.datetime(2025, 3, 14),
    "I": "1-ПО", "K": "Стропальщик", "L": "Стропальщик", "M": 3, "N": 2025, "O": 2025, "P": 160, "Q": "Орлов",
    "R": "Олег", "S": None, "T": dt.datetime(1990, 5, 17), "U": "Муж", "V": snils("112237445"), "W": "643",
    "X": "Очная", "Y": "Платное обучение", "Z": "в образовательной организации", "AI": None,
}


@pytest.mark.parametrize(("kind", "expected"), [("dpo", DPO_ROW_1), ("po", PO_ROW_1)])
def test_each_value_stands_under_its_published_column(tmp_path, kind, expected):
    ws = openpyxl.load_workbook(export(make_dataset(), 2025, kind, tmp_path, today=TODAY).workbook)["Шаблон"]
    got = {letter: ws[f"{letter}2"].value for letter in expected}
    assert got == expected
    # the ПО template puts «Гражданство» before «Форма обучения», the ДПО one after «Форма получения…»
    citizenship = {"dpo": "AE", "po": "W"}[kind]
    assert ws[f"{citizenship}1"].value == "Гражданство получателя (код страны по ОКСМ)"


def test_program_name_character_set_is_the_templates_prompt():
    rules = frdo_templates()["dpo"]["data_validation"]
    prompt = next(r["prompt"] for r in rules if r["cells"].startswith("K2"))
    listed = prompt.split(":", 1)[1].replace(" ", "")
    assert sorted(listed) == sorted(PROGRAM_NAME_PUNCTUATION)


# --- rows and cells ------------------------------------------------------------------------------


def test_dpo_rows_hold_coded_values_and_typed_cells(tmp_path):
    result = export(make_dataset(), 2025, "dpo", tmp_path, today=TODAY)
    assert result.workbook.name == "ФРДО_dpo_2025_1.xlsx"
    assert result.workbook.parent == tmp_path / "frdo" / "2025"
    tpl = template("dpo")
    col = {c.field: c.index - 1 for c in tpl.columns}
    rows = sheet_rows(result.workbook)[1:]
    assert [r[col["reg_no"]] for r in rows] == ["1", "2", "3", "1-ПП"]
    first = rows[0]
    assert first[col["document"]] == "Удостоверение о повышении квалификации"
    assert first[col["status"]] == "Оригинал"
    assert first[col["series"]] == "нет"
    assert rows[1][col["series"]] == "ПК"
    assert first[col["program_kind"]] == "Повышение квалификации"
    assert first[col["sex"]] == "Жен"
    assert first[col["citizenship"]] == "643"
    assert first[col["funding"]] == "Платное обучение"
    assert first[col["edu_form"]] == "в образовательной организации"
    assert first[col["lost"]] == first[col["exchanged"]] == first[col["destroyed"]] == "Нет"
    assert (first[col["year_start"]], first[col["year_end"]], first[col["hours"]]) == (2025, 2025, 72)
    assert rows[1][col["edu_surname"]] == "Сидорова"  # the surname in the diploma, not today's
    assert rows[1][col["edu_level"]] == "Среднее профессиональное образование"
    # the справка: no qualification-document columns
    cert = rows[2]
    assert cert[col["document"]] == "Справка об обучении"
    assert cert[col["year_start"]] is cert[col["year_end"]] is cert[col["hours"]] is None
    assert rows[3][col["qualification"]] == "Менеджер образования"
    assert rows[3][col["program_kind"]] == "Профессиональная переподготовка"


def test_dates_are_date_cells_snils_and_codes_are_text_cells(tmp_path):
    result = export(make_dataset(), 2025, "dpo", tmp_path, today=TODAY)
    ws = openpyxl.load_workbook(result.workbook)["Шаблон"]
    tpl = template("dpo")
    issued_on = ws.cell(2, tpl.column("issued_on").index)
    birth = ws.cell(2, tpl.column("birth_date").index)
    for cell in (issued_on, birth):
        assert cell.is_date and cell.number_format == "DD.MM.YYYY"
    assert issued_on.value.date() == D(2025, 3, 14)
    snils_cell = ws.cell(2, tpl.column("snils").index)
    assert snils_cell.data_type == "s" and snils_cell.number_format == "@"
    assert snils_cell.value == make_dataset().learners["L1"].snils
    for field in ("citizenship", "number", "reg_no", "edu_series", "edu_number"):
        cell = ws.cell(2, tpl.column(field).index)
        assert cell.data_type == "s" and cell.number_format == "@", field
    hours = ws.cell(2, tpl.column("hours").index)
    assert hours.data_type == "n" and hours.value == 72
    # the whole text column is text, so rows typed by hand stay text
    assert ws.column_dimensions[tpl.column("snils").letter].number_format == "@"


def test_value_looking_like_a_formula_stays_text(tmp_path):
    ds = with_learner(make_dataset(), "L1", person=Person("=Иванова", "+Анна", "@Сергеевна", "Жен"))
    result = export(ds, 2025, "dpo", tmp_path, today=TODAY)
    ws = openpyxl.load_workbook(result.workbook)["Шаблон"]
    cell = ws.cell(2, template("dpo").column("surname").index)
    assert cell.value == "=Иванова" and cell.data_type == "s"


def test_po_row(tmp_path):
    result = export(make_dataset(), 2025, "po", tmp_path, today=TODAY)
    tpl = template("po")
    row = sheet_rows(result.workbook)[1]
    col = {c.field: c.index - 1 for c in tpl.columns}
    assert row[col["document"]] == "Свидетельство о профессии рабочего, должности служащего"
    # the published ПО list has «…служащего » with a stray space: the cell takes the list's entry
    assert row[col["program_kind"]] == frdo_templates()["po"]["named_ranges"]["проф"]["values"][0]
    assert row[col["qualification"]] == "Стропальщик"
    assert row[col["rank"]] == 3  # the list «Класс1» holds numbers
    assert row[col["patronymic"]] is None
    assert (row[col["year_start"]], row[col["hours"]]) == (2025, 160)
    assert len(sheet_rows(result.workbook)) == 2


def test_every_coded_column_holds_only_dictionary_values(tmp_path):
    checked = 0
    for kind in ("dpo", "po"):
        tpl = template(kind)
        result = export(make_dataset(), 2025, kind, tmp_path, today=TODAY)
        for row in sheet_rows(result.workbook)[1:]:
            for col in tpl.columns:
                if col.dictionary and row[col.index - 1] is not None:
                    assert row[col.index - 1] in tpl.dictionaries[col.dictionary], (kind, col.header)
                    checked += 1
    # 4 ДПО rows and 1 ПО row, each with at least 8 coded values filled (document … edu_form)
    assert checked >= 5 * 8


def test_validations_and_named_ranges_reproduce_the_template(tmp_path):
    result = export(make_dataset(), 2025, "dpo", tmp_path, today=TODAY)
    wb = openpyxl.load_workbook(result.workbook)
    ws = wb["Шаблон"]
    tpl = template("dpo")
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
    expected = {r.cells: r.formula1 for r in tpl.rules if r.type == "list"}
    assert lists == expected
    for name, values in tpl.dictionaries.items():
        dn = wb.defined_names[name]
        (sheet, ref), = dn.destinations
        cells = [c[0].value for c in wb[sheet][ref.replace("$", "")]]
        assert cells == list(values), name
    dates = {str(dv.sqref) for dv in ws.data_validations.dataValidation if dv.type == "date"}
    assert dates == {"H2:H999", "Y2:Y999", "AJ2:AJ999"}
    years = [dv for dv in ws.data_validations.dataValidation if dv.type == "decimal"]
    assert {(str(dv.sqref), dv.formula1, dv.formula2) for dv in years} == {("S2:S999", "1900", "2100"), ("T2:T999", "1900", "2100")}
    prompts = {str(dv.sqref): dv.prompt for dv in ws.data_validations.dataValidation if dv.type is None}
    assert prompts["K2:K999"] == "Допустимые символы: ( ) . /- , : « » ? №"



def _published_rules(kind: str) -> set[tuple]:
    """Each validation rule of the published template as the upload must carry it, from the raw template.

    The rule on the ПО header cell H1 alone is left out (the upload's header is text); a year «between»
    1900 and 2100 (the template gives no operator, Excel's default is «between»); every rule lets a cell
    stay blank, stops a wrong value with an error, and shows its prompt when it has one.
    """
    rules = set()
    for rule in frdo_templates()[kind]["data_validation"]:
        if rule["cells"] == "H1":
            continue
        typed = rule["type"] is not None
        operator = rule["operator"] or ("between" if rule["type"] == "decimal" else None)
        rules.add((
            rule["cells"], rule["type"], operator, rule["formula1"] if typed else None,
            "2100" if operator == "between" else None, True, bool(rule["prompt"]), rule["prompt"] or None, typed,
        ))
    return rules


def _written_rules(ws) -> set[tuple]:
    return {
        (str(dv.sqref), dv.type, dv.operator, dv.formula1, dv.formula2, dv.allow_blank, dv.showInputMessage,
         dv.prompt, bool(dv.showErrorMessage))
        for dv in ws.data_validations.dataValidation
    }


@pytest.mark.parametrize("kind", ["dpo", "po"])
def test_every_validation_rule_of_the_published_template_is_in_the_upload_as_published(tmp_path, kind):
    ws = openpyxl.load_workbook(export(make_dataset(), 2025, kind, tmp_path, today=TODAY).workbook)["Шаблон"]
    written = _written_rules(ws)
    assert len(written) == len(frdo_templates()[kind]["data_validation"]) - (kind == "po")
    assert written == _published_rules(kind)


@pytest.mark.parametrize("kind", ["dpo", "po"])
def test_an_upload_longer_than_the_templates_rows_has_its_rules_down_to_its_last_row(tmp_path, kind):
    tpl = template(kind)
    row = export(make_dataset(), 2025, kind, tmp_path / "one", today=TODAY).rows[0]
    rows = [row] * 1500
    path = tmp_path / "long.xlsx"
    write_workbook(path, tpl, rows, today=TODAY)
    ws = openpyxl.load_workbook(path)["Шаблон"]
    assert ws.max_row == 1501
    ends = {str(dv.sqref).split()[-1].split(":")[1] for dv in ws.data_validations.dataValidation}
    assert {"".join(ch for ch in end if ch.isdigit()) for end in ends} == {"1501"}


@pytest.mark.parametrize("kind", ["dpo", "po"])
def test_every_dictionary_is_on_its_own_sheet_at_the_templates_address_under_its_title(tmp_path, kind):
    wb = openpyxl.load_workbook(export(make_dataset(), 2025, kind, tmp_path, today=TODAY).workbook)
    checks = wb["Проверки"]
    tpl = template(kind)  # its lists as published, those behind a text column made text («643», not 643)
    used = set()
    for name, declared in frdo_templates()[kind]["named_ranges"].items():
        (sheet, ref), = wb.defined_names[name].destinations
        values = [c[0].value for c in checks[ref.replace("$", "")]]
        assert (sheet, values) == ("Проверки", list(tpl.dictionaries[name])), name
        first, column = int(ref.split("$")[2].split(":")[0]), ref.split("$")[1]
        used.add(column)
        if declared["refers_to"].startswith("Проверки!"):
            assert f"Проверки!{ref}" == declared["refers_to"], name  # the very address the template's lists name
        else:  # a column of a table («Таблица1[[…]]»): its own title, in a column no other list uses
            assert first == 2
            assert checks[f"{column}1"].value == collapse(declared["refers_to"].split("[[", 1)[1].rstrip("]"))
            continue
        if first > 1:
            assert checks[f"{column}1"].value == name
    assert len(used) == len(frdo_templates()[kind]["named_ranges"])


def test_an_upload_cell_is_typed_as_its_column_empty_ones_included(tmp_path):
    result = export(make_dataset(), 2025, "dpo", tmp_path, today=TODAY)
    ws = openpyxl.load_workbook(result.workbook)["Шаблон"]
    tpl = template("dpo")
    hours = ws.cell(2, tpl.column("hours").index)
    assert (hours.value, hours.number_format) == (72, "0")  # a whole number, never «72.0»
    no_qualification = ws.cell(4, tpl.column("qualification").index)  # the справка's row: no qualification
    assert no_qualification.value is None and no_qualification.number_format == "@"  # typed by hand, stays text
    no_year = ws.cell(4, tpl.column("year_start").index)  # the справка: no year, and a number column
    assert no_year.value is None and no_year.number_format == "General"
    # a text that looks like a formula is text by its format alone: no «'» shown in the cell
    ds = with_learner(make_dataset(), "L1", person=Person("=Иванова", "Анна", None, "Жен"))
    ws = openpyxl.load_workbook(export(ds, 2025, "dpo", tmp_path / "f", today=TODAY).workbook)["Шаблон"]
    surname = ws.cell(2, tpl.column("surname").index)
    assert (surname.value, surname.data_type, surname.number_format, surname.quotePrefix) == ("=Иванова", "s", "@", False)


def test_the_upload_is_dated_the_day_of_the_export(tmp_path):
    result = export(make_dataset(), 2025, "dpo", tmp_path, today=TODAY)
    props = openpyxl.load_workbook(result.workbook).properties
    assert props.created.date() == props.modified.date() == TODAY


def test_a_row_with_more_or_fewer_values_than_the_template_has_columns_is_refused(tmp_path):
    tpl = template("dpo")
    row = export(make_dataset(), 2025, "dpo", tmp_path, today=TODAY).rows[0]
    for wrong in (row[:-1], [*row, "лишнее"]):
        with pytest.raises(ValueError):
            write_workbook(tmp_path / "wrong.xlsx", tpl, [wrong], today=TODAY)
    assert not (tmp_path / "wrong.xlsx").exists()


# --- pre-flight ----------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["\u00a0", "\t", "\u200b"])
def test_invisible_character_in_a_name_is_caught_with_its_cell(tmp_path, bad):
    ds = with_learner(make_dataset(), "L2", person=Person(f"Петрова{bad}", "Анна", None, "Жен"))
    problems = check(ds, 2025, "dpo")
    assert ("frdo_bad_character", LEARNERS, "Слушатели", 3, "Фамилия") in where(problems)
    result = export(ds, 2025, "dpo", tmp_path, today=TODAY)
    assert result.workbook is None and not (tmp_path / "frdo").exists()
    what, _fix = render(next(p for p in problems if p.code == "frdo_bad_character"))
    assert "Петрова[" in what


def test_forbidden_character_in_program_name_is_caught():
    ds = with_program(make_dataset(), "ПК-01", name="Охрана труда — для руководителей \"А\"; курс")
    problems = [p for p in check(ds, 2025, "dpo") if p.code == "frdo_program_name_chars"]
    assert [(p.file, p.sheet, p.row, p.column) for p in problems] == [(ORG, "Программы", 2, "Наименование программы")]
    assert problems[0].params["suggestion"] == "Охрана труда - для руководителей А, курс"
    assert program_name_fix("Курс «Основы» (1/2): №3?") == "Курс «Основы» (1/2): №3?"
    # a dropped character leaves no double space behind
    assert program_name_fix("Охрана  труда * для   всех") == "Охрана труда для всех"


def test_an_unnamed_invisible_character_is_shown_by_its_code_point():
    """Staff find a character they cannot see by its Unicode code point and name when it has no Russian name."""
    ds = with_learner(make_dataset(), "L2", person=Person("Петрова\u2028", "Анна", None, "Жен"))
    problem = next(p for p in check(ds, 2025, "dpo") if p.code == "frdo_bad_character")
    assert problem.params["chars"] == "U+2028 LINE SEPARATOR"
    assert "Петрова[U+2028 LINE SEPARATOR]" in render(problem)[0]


def test_missing_prior_education_and_bad_snils_are_caught():
    ds = with_learner(make_dataset(), "L1", edu_series=None, snils="112-233-445 96")
    problems = check(ds, 2025, "dpo")
    assert ("frdo_missing", LEARNERS, "Слушатели", 2, "Серия документа об образовании") in where(problems)
    # the message also names the ФРДО column, as the published ДПО template heads it (NOTES §5.1)
    missing = next(p for p in problems if p.code == "frdo_missing")
    assert missing.params["frdo_column"] == "Серия документа о ВО/СПО"
    snils_problem = next(p for p in problems if p.code == "frdo_snils_checksum")
    assert (snils_problem.row, snils_problem.column, snils_problem.value) == (2, "СНИЛС", "***-***-*** 96")
    # «Стаж» needs no document: L4 has none and that is fine
    assert not any(p.row == 5 and p.file == LEARNERS for p in problems)


def test_value_outside_the_dictionary_is_caught():
    ds = with_program(make_dataset(), "ПО-01", qualification="стропальщик")  # FRDO compares case too
    problems = check(ds, 2025, "po")
    assert ("frdo_not_in_dictionary", ORG, "Программы", 4, "Квалификация") in where(problems)
    outside = next(p for p in problems if p.code == "frdo_not_in_dictionary")
    assert outside.params["frdo_column"] == "Наименование профессий рабочих, должностей служащих"  # ПО template


def test_sample_passes_preflight_and_every_code_has_a_message():
    ds = make_dataset()
    assert [p for y in years_of(ds) for k in ("dpo", "po") for p in check(ds, y, k) if p.is_error] == []
    for code in ("frdo_missing", "frdo_not_in_dictionary", "frdo_bad_character", "frdo_program_name_chars",
                 "frdo_snils_format", "frdo_snils_checksum", "frdo_duplicate_reg_no", "frdo_duplicate_no_reason",
                 "frdo_withdrawn", "frdo_name_changed", "frdo_original_not_found"):
        assert code in MESSAGES


# --- changes since the last upload ---------------------------------------------------------------


def test_second_export_after_no_change_writes_nothing(tmp_path):
    ds = make_dataset()
    first = export(ds, 2025, "dpo", tmp_path, today=TODAY)
    assert len(first.rows) == 4 and first.sent_record.exists()
    second = export(ds, 2025, "dpo", tmp_path, today=TODAY)
    assert second.rows == [] and second.workbook is None and second.sent_record is None
    assert "новых и измененных документов нет" in second.message
    assert sorted(p.name for p in (tmp_path / "frdo" / "2025").iterdir()) == ["ФРДО_dpo_2025_1.xlsx"]


def test_sent_record_is_canonical_json_keyed_by_reg_no(tmp_path):
    result = export(make_dataset(), 2025, "dpo", tmp_path, today=TODAY)
    assert result.sent_record == tmp_path / "frdo" / "sent" / "dpo" / "2025" / "001.json"
    data = json.loads(result.sent_record.read_text(encoding="utf-8"))
    assert list(data["documents"]) == sorted(data["documents"]) == ["1", "1-ПП", "2", "3"]
    assert data["columns"] == [collapse(h) for h in frdo_templates()["dpo"]["header"]]
    assert data["documents"]["1"][7] == "2025-03-14" and data["workbook"] == "ФРДО_dpo_2025_1.xlsx"


def test_changed_document_gives_a_correction_row(tmp_path):
    ds = make_dataset()
    export(ds, 2025, "dpo", tmp_path, today=TODAY)
    changed = with_learner(ds, "L2", birth_date=D(1990, 5, 18))
    result = export(changed, 2025, "dpo", tmp_path, today=TODAY)
    assert result.workbook.name == "ФРДО_dpo_2025_2.xlsx"
    assert result.actions == ["correction"]
    tpl = template("dpo")
    (row,) = sheet_rows(result.workbook)[1:]
    assert row[tpl.column("birth_date").index - 1].date() == D(1990, 5, 18)
    assert row[tpl.column("status").index - 1] == "Оригинал"
    assert row[tpl.column("change_number").index - 1] == "77000002"  # the number sent before
    assert export(changed, 2025, "dpo", tmp_path, today=TODAY).rows == []


def test_duplicate_row_carries_confirmations_and_the_original(tmp_path):
    ds = make_dataset()
    export(ds, 2025, "dpo", tmp_path, today=TODAY)
    file = "groups/ПК-2025-01.xlsx"
    dup = issued("L1", 5, file, "4", "Удостоверение о повышении квалификации", status="Дубликат",
                 issued_on=D(2025, 11, 5), lost="Справка из органов внутренних дел", destroyed="Нет", replaces="1")
    later = with_issued(ds, "ПК-2025-01", [*ds.groups["ПК-2025-01"].issued, dup])
    # Her surname changed after the original went to FRDO: the original block keeps the name FRDO has.
    later = with_learner(later, "L1", person=Person("Смирнова", "Анна", "Сергеевна", "Жен"), edu_surname="Иванова")
    result = export(later, 2025, "dpo", tmp_path, today=TODAY)
    # Her earlier documents keep the surname they were issued in: not corrected, only a warning.
    assert result.actions == ["duplicate"]
    assert {(p.code, p.value) for p in result.problems} == {("frdo_name_changed", "1"), ("frdo_name_changed", "1-ПП")}
    tpl = template("dpo")
    dup_row = sheet_rows(result.workbook)[1]
    c = {f.field: dup_row[f.index - 1] for f in tpl.columns}
    assert (c["status"], c["lost"], c["exchanged"], c["destroyed"]) == (
        "Дубликат", "Справка из органов внутренних дел", "Нет", "Нет")
    assert (c["orig_document"], c["orig_series"], c["orig_number"], c["orig_reg_no"]) == (
        "Удостоверение о повышении квалификации", "нет", "77000001", "1")
    assert c["orig_issued_on"].date() == D(2025, 3, 14)
    assert (c["orig_surname"], c["orig_name"]) == ("Иванова", "Анна")
    assert c["surname"] == "Смирнова" and c["change_number"] is None


def test_a_duplicate_of_an_original_never_sent_names_its_recipient_as_the_learners_workbook_does(tmp_path):
    """No upload holds the original yet (both go in this first one): the «оригинала» block names its recipient
    from the learner's own row of «Слушатели» — surname, name and patronymic."""
    ds = make_dataset()
    file = "groups/ПК-2025-01.xlsx"
    dup = issued("L2", 5, file, "4", "Удостоверение о повышении квалификации", status="Дубликат",
                 issued_on=D(2025, 11, 5), lost="Справка из органов внутренних дел", destroyed="Нет", replaces="2")
    ds = with_issued(ds, "ПК-2025-01", [*ds.groups["ПК-2025-01"].issued, dup])
    result = export(ds, 2025, "dpo", tmp_path, today=TODAY)
    tpl = template("dpo")
    rows = [{f.field: row[f.index - 1] for f in tpl.columns} for row in sheet_rows(result.workbook)[1:]]
    [c] = [c for c in rows if c["status"] == "Дубликат"]
    assert (c["orig_reg_no"], c["orig_surname"], c["orig_name"], c["orig_patronymic"]) == (
        "2", "Петрова", "Анна", "Сергеевна")


def test_a_fault_in_the_original_block_points_to_the_originals_own_cell():
    """A duplicate of a 2024 document: a fault in the original's data names the original's row and column."""
    ds = make_dataset()
    file = "groups/ПК-2025-01.xlsx"
    original = issued("L2", 6, file, "0-24", "Удостоверение о повышении квалификации", series="А\u00a0Б",
                      number="77\u200b0001", issued_on=D(2024, 12, 20))
    dup = issued("L2", 7, file, "5", "Удостоверение о повышении квалификации", status="Дубликат",
                 issued_on=D(2025, 11, 5), lost="Справка из органов внутренних дел", replaces="0-24")
    ds = with_issued(ds, "ПК-2025-01", [*ds.groups["ПК-2025-01"].issued, original, dup])
    found = {key for key in where(check(ds, 2025, "dpo")) if key[0] == "frdo_bad_character"}
    assert found == {("frdo_bad_character", file, "Выдача документов", 6, "Серия"),
                     ("frdo_bad_character", file, "Выдача документов", 6, "Номер бланка")}


def test_duplicate_of_an_unknown_document_is_caught():
    ds = make_dataset()
    file = "groups/ПК-2025-01.xlsx"
    dup = issued("L1", 5, file, "4", "Удостоверение о повышении квалификации", status="Дубликат",
                 lost="Другое", replaces="99")
    ds = with_issued(ds, "ПК-2025-01", [*ds.groups["ПК-2025-01"].issued, dup])
    problems = check(ds, 2025, "dpo")
    assert where(problems) == {("frdo_original_not_found", file, "Выдача документов", 5, "Заменяет документ (рег. №)")}
    no_ref = with_issued(ds, "ПК-2025-01", [*ds.groups["ПК-2025-01"].issued[:3], dataclasses.replace(dup, replaces=None)])
    assert ("frdo_missing", file, "Выдача документов", 5, "Заменяет документ (рег. №)") in where(check(no_ref, 2025, "dpo"))


def test_name_change_is_a_correction_only_when_asked(tmp_path):
    ds = make_dataset()
    export(ds, 2025, "dpo", tmp_path, today=TODAY)
    typo = with_learner(ds, "L2", person=Person("Петрова", "Анна", "Игоревна", "Жен"))
    plain = export(typo, 2025, "dpo", tmp_path, today=TODAY)
    assert plain.workbook is None
    assert [(p.code, p.file, p.sheet, p.row, p.value) for p in plain.problems] == [
        ("frdo_name_changed", LEARNERS, "Слушатели", 3, "2")]
    # a warning, on the very cell whose name differs, naming the upload that holds the other name
    (warned,) = plain.problems
    assert (warned.column, warned.severity, warned.params) == ("Фамилия", "warning", {"upload": "ФРДО_dpo_2025_1.xlsx"})
    assert "ФРДО_dpo_2025_1.xlsx" in render(warned)[0]
    fixed = export(typo, 2025, "dpo", tmp_path, today=TODAY, correct_names=True)
    assert fixed.actions == ["correction"]


def test_an_export_the_preflight_refuses_gives_its_problems_and_says_nothing_was_written(tmp_path):
    ds = with_learner(make_dataset(), "L2", person=Person("Петрова\u00a0", "Анна", None, "Жен"))
    result = export(ds, 2025, "dpo", tmp_path, today=TODAY)
    assert (result.kind, result.year, result.workbook, result.sent_record, result.rows) == ("dpo", 2025, None, None, [])
    assert result.header == frdo_templates()["dpo"]["header"]
    assert result.problems == check(ds, 2025, "dpo") and not result.ok
    assert result.message == "ФИС ФРДО, ДПО, 2025: выгрузка не записана — исправьте ошибки проверки ФИС ФРДО."


def test_the_summary_of_an_upload_counts_each_kind_of_row(tmp_path):
    ds = make_dataset()
    first = export(ds, 2025, "dpo", tmp_path, today=TODAY)
    assert first.message == f"ФИС ФРДО, ДПО, 2025: записано строк: 4 (новых 4) → {first.workbook}"
    assert (first.kind, first.year, first.header) == ("dpo", 2025, frdo_templates()["dpo"]["header"])
    file = "groups/ПК-2025-01.xlsx"
    dup = issued("L1", 5, file, "4", "Удостоверение о повышении квалификации", status="Дубликат",
                 issued_on=D(2025, 11, 5), lost="Справка из органов внутренних дел", destroyed="Нет", replaces="1")
    later = with_issued(ds, "ПК-2025-01", [*ds.groups["ПК-2025-01"].issued, dup])
    later = with_learner(later, "L2", birth_date=D(1990, 5, 18))
    second = export(later, 2025, "dpo", tmp_path, today=TODAY)
    assert sorted(second.actions) == ["correction", "duplicate"]
    assert second.message == (
        f"ФИС ФРДО, ДПО, 2025: записано строк: 2 (новых 0, дубликатов 1, исправлений 1) → {second.workbook}")


def test_document_no_longer_in_workbooks_is_a_warning(tmp_path):
    ds = make_dataset()
    export(ds, 2025, "dpo", tmp_path, today=TODAY)
    fewer = with_issued(ds, "ПК-2025-01", list(ds.groups["ПК-2025-01"].issued[:2]))
    result = export(fewer, 2025, "dpo", tmp_path, today=TODAY)
    assert result.workbook is None
    assert [(p.code, p.severity, p.value) for p in result.problems] == [("frdo_withdrawn", "warning", "3")]
    # about the input folder as a whole (no cell holds it any more), naming the upload that carried it
    (withdrawn,) = result.problems
    assert (withdrawn.file, withdrawn.sheet, withdrawn.row, withdrawn.params) == (
        "", None, None, {"upload": "ФРДО_dpo_2025_1.xlsx"})
    assert "ФРДО_dpo_2025_1.xlsx" in render(withdrawn)[0]


def test_an_uploads_warnings_keep_the_preflights_beside_the_comparison_with_the_uploads_sent(tmp_path):
    ds = make_dataset()
    export(ds, 2025, "dpo", tmp_path, today=TODAY)
    dup = issued("L1", 5, "groups/ПК-2025-01.xlsx", "4", "Удостоверение о повышении квалификации",
                 status="Дубликат", replaces="1", issued_on=D(2025, 11, 5))  # neither lost nor exchanged: warned
    later = with_issued(ds, "ПК-2025-01", [*ds.groups["ПК-2025-01"].issued[:2], dup])  # «3» gone: withdrawn
    result = export(later, 2025, "dpo", tmp_path, today=TODAY)
    assert result.actions == ["duplicate"]
    assert [(p.code, p.value) for p in result.problems] == [("frdo_duplicate_no_reason", "4"), ("frdo_withdrawn", "3")]


def test_an_export_that_writes_nothing_says_why_and_where_the_last_upload_of_the_year_is(tmp_path):
    ds = make_dataset()
    first = export(ds, 2025, "dpo", tmp_path, today=TODAY)
    again = export(ds, 2025, "dpo", tmp_path, today=TODAY)
    assert (again.kind, again.year, again.header) == ("dpo", 2025, frdo_templates()["dpo"]["header"])
    assert again.message == (f"ФИС ФРДО, ДПО, 2025: новых и измененных документов нет, файл выгрузки не записан. "
                             f"Последняя выгрузка: {first.workbook.name} (загрузите ее в ФИС ФРДО, если еще не загружали).")
    # a year with no documents at all, while another year has its upload: nothing to point to
    empty = export(ds, 2024, "dpo", tmp_path, today=TODAY)
    assert (empty.kind, empty.year, empty.workbook) == ("dpo", 2024, None)
    assert empty.message == "ФИС ФРДО, ДПО, 2024: выданных документов нет, файл выгрузки не записан."



def test_the_sent_record_says_what_was_sent_under_which_template_and_when(tmp_path):
    """The record of an upload (output/frdo/sent/<kind>/<year>/<n>.json) holds everything needed to tell later
    what FRDO was sent: the record's format, the template's version and kind, the year and the upload's number,
    the workbook, the day it was written, the columns, each document's row keyed by its registration number, and
    whether each row was new, a duplicate or a correction."""
    ds = make_dataset()
    export(ds, 2025, "dpo", tmp_path, today=TODAY)
    changed = with_learner(ds, "L2", birth_date=D(1990, 5, 18))
    result = export(changed, 2025, "dpo", tmp_path, today=D(2025, 12, 22))
    data = json.loads(result.sent_record.read_text(encoding="utf-8"))
    tpl = template("dpo")
    assert {k: v for k, v in data.items() if k not in ("columns", "documents")} == {
        "format": 1, "template_version": tpl.version, "kind": "dpo", "year": 2025, "upload": 2,
        "workbook": "ФРДО_dpo_2025_2.xlsx", "written_on": "2025-12-22", "actions": {"2": "correction"}}
    assert list(data["documents"]) == ["2"] and len(data["documents"]["2"]) == len(data["columns"])
    first = json.loads((tmp_path / "frdo/sent/dpo/2025/001.json").read_text(encoding="utf-8"))
    assert first["actions"] == {"1": "new", "1-ПП": "new", "2": "new", "3": "new"}


def test_files_staff_leave_among_the_sent_records_are_not_taken_for_uploads(tmp_path):
    """Only output/frdo/sent/<kind>/<year>/<n>.json records an upload: a note saved beside the records and a copy
    of a year's folder are neither read as uploads nor stop the records after them being read."""
    ds = make_dataset()
    export(ds, 2025, "dpo", tmp_path, today=TODAY)
    export(with_learner(ds, "L2", birth_date=D(1990, 5, 18)), 2025, "dpo", tmp_path, today=TODAY)
    sent = tmp_path / "frdo/sent/dpo"
    (sent / "2025/заметки.json").write_text('{"заметка": "выгрузка 2 загружена 21.12"}', encoding="utf-8")
    (sent / "2024 (копия)").mkdir()
    (sent / "2024 (копия)/001.json").write_bytes((sent / "2025/001.json").read_bytes())
    again = export(with_learner(ds, "L2", birth_date=D(1990, 5, 18)), 2025, "dpo", tmp_path, today=TODAY)
    assert again.rows == [] and again.workbook is None
    assert again.message == ("ФИС ФРДО, ДПО, 2025: новых и измененных документов нет, файл выгрузки не записан. "
                             "Последняя выгрузка: ФРДО_dpo_2025_2.xlsx (загрузите ее в ФИС ФРДО, если еще не загружали).")


def test_a_change_of_every_part_of_the_name_at_once_is_still_only_a_warning(tmp_path):
    """Surname, name and patronymic all differ from what was sent (a woman who took her husband's name, and
    whose name had been entered with typos): still a name change, which is corrected only when asked."""
    ds = with_learner(make_dataset(), "L2", person=Person("Петрова", "Ана", "Сергевна", "Жен"))
    export(ds, 2025, "dpo", tmp_path, today=TODAY)
    renamed = with_learner(ds, "L2", person=Person("Смирнова", "Анна", "Сергеевна", "Жен"))
    plain = export(renamed, 2025, "dpo", tmp_path, today=TODAY)
    assert plain.workbook is None
    assert [(p.code, p.value, p.params["upload"]) for p in plain.problems] == [
        ("frdo_name_changed", "2", "ФРДО_dpo_2025_1.xlsx")]
    assert export(renamed, 2025, "dpo", tmp_path, today=TODAY, correct_names=True).actions == ["correction"]


def test_a_document_no_longer_in_the_workbooks_is_told_with_the_upload_that_carried_it(tmp_path):
    ds = make_dataset()
    export(ds, 2025, "dpo", tmp_path, today=TODAY)
    fewer = with_issued(ds, "ПК-2025-01", list(ds.groups["ПК-2025-01"].issued[:2]))
    [problem] = export(fewer, 2025, "dpo", tmp_path, today=TODAY).problems
    assert render(problem)[0] == (
        "Документ с рег. № 3 уже выгружен в ФИС ФРДО (ФРДО_dpo_2025_1.xlsx), но в рабочих книгах его больше нет.")


def test_a_duplicate_names_its_originals_recipient_as_the_upload_that_carried_that_original(tmp_path):
    """The original («7», issued in 2024) went to FRDO with typos in her name; they were fixed in «Слушатели»
    later, and registration numbers began again in 2025, where «7» is another learner's. The duplicate's
    «оригинала» block names her as FRDO holds the original: from the row sent for that number and that
    learner (СНИЛС), not from another learner's «7» nor from her own later documents."""
    file = "groups/ПК-2025-01.xlsx"
    typo = with_learner(make_dataset(), "L2", person=Person("Петрова", "Ана", "Сергевна", "Жен"))
    original = issued("L2", 6, file, "7", "Удостоверение о повышении квалификации", number="77000070",
                      issued_on=D(2024, 12, 20))
    ds = with_issued(typo, "ПК-2025-01", [*typo.groups["ПК-2025-01"].issued, original])
    assert export(ds, 2024, "dpo", tmp_path, today=D(2024, 12, 25)).actions == ["new"]
    fixed = with_learner(ds, "L2", person=Person("Петрова", "Анна", "Сергеевна", "Жен"))
    other = issued("L1", 7, file, "7", "Удостоверение о повышении квалификации", number="77000071",
                   issued_on=D(2025, 9, 1))
    fixed = with_issued(fixed, "ПК-2025-01", [*fixed.groups["ПК-2025-01"].issued, other])
    assert export(fixed, 2025, "dpo", tmp_path, today=TODAY).actions == ["new"] * 5
    dup = issued("L2", 8, file, "8", "Удостоверение о повышении квалификации", status="Дубликат",
                 issued_on=D(2025, 11, 5), lost="Справка из органов внутренних дел", replaces="7")
    later = with_issued(fixed, "ПК-2025-01", [*fixed.groups["ПК-2025-01"].issued, dup])
    result = export(later, 2025, "dpo", tmp_path, today=D(2025, 12, 22))
    assert result.actions == ["duplicate"]
    tpl = template("dpo")
    [row] = sheet_rows(result.workbook)[1:]
    c = {f.field: row[f.index - 1] for f in tpl.columns}
    assert (c["orig_reg_no"], c["orig_number"], c["orig_surname"], c["orig_name"], c["orig_patronymic"]) == (
        "7", "77000070", "Петрова", "Ана", "Сергевна")
    assert (c["surname"], c["name"], c["patronymic"]) == ("Петрова", "Анна", "Сергеевна")

# --- the sample data and the command -------------------------------------------------------------


def test_sample_data_exports_clean_with_dictionary_values_only(tmp_path):
    ds = generate()
    written = coded = 0
    for year in years_of(ds):
        for kind in ("dpo", "po"):
            assert [p for p in check(ds, year, kind) if p.is_error] == []
            result = export(ds, year, kind, tmp_path, today=D(2026, 6, 15))
            if result.workbook is None:
                continue
            tpl = template(kind)
            rows = sheet_rows(result.workbook)
            assert rows[0] == frdo_templates()[kind]["header"]
            for row in rows[1:]:
                written += 1
                for col in tpl.columns:
                    if col.dictionary and row[col.index - 1] is not None:
                        assert row[col.index - 1] in tpl.dictionaries[col.dictionary], (kind, col.header)
                        coded += 1
    assert written == sum(len(g.issued) for g in ds.groups.values())
    assert coded >= 8 * written  # each row fills at least 8 coded columns (document … edu_form)


def test_cli_frdo_all_years_then_nothing_new(tmp_path):

    data = copy.deepcopy(minimal_input())
    for row in (2, 3):
        set_cell(data, "learners.xlsx", "Слушатели", row, "Серия документа об образовании", "107724")
        set_cell(data, "learners.xlsx", "Слушатели", row, "Номер документа об образовании", f"012345{row}")
    inp, out = write_input(tmp_path / "in", data), tmp_path / "out"
    args = ["frdo", "--all-years", "--input", str(inp), "--output", str(out), "--today", "2025-12-20"]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    assert "ФИС ФРДО, ДПО, 2025: записано строк: 2 (новых 2)" in first.output
    assert len(sheet_rows(out / "frdo" / "2025" / "ФРДО_dpo_2025_1.xlsx")) == 3
    second = CliRunner().invoke(main, args)
    assert second.exit_code == 0
    assert "ФИС ФРДО, ДПО, 2025: новых и измененных документов нет, файл выгрузки не записан." in second.output
    assert not (out / "frdo" / "2025" / "ФРДО_dpo_2025_2.xlsx").exists()
    usage = CliRunner().invoke(main, ["frdo", "--input", str(inp), "--output", str(out)])
    assert usage.exit_code == 2


def test_cli_frdo_preflight_errors_exit_1_and_write_nothing(tmp_path):

    inp, out = write_input(tmp_path / "in"), tmp_path / "out"  # learners without their ВО/СПО document
    result = CliRunner().invoke(main, ["frdo", "--year", "2025", "--input", str(inp), "--output", str(out)])
    assert result.exit_code == 1
    assert "Серия документа об образовании" in result.output
    assert not (out / "frdo").exists()


def test_a_header_is_named_with_its_line_breaks_and_runs_of_spaces_made_one_space():
    # the published headers break lines inside a cell («Дата выдачи\nдокумента»); messages name them on one line
    assert collapse(" Дата выдачи\nдокумента  об\tобразовании ") == "Дата выдачи документа об образовании"
    assert collapse(2025) == "2025"


def test_every_control_format_and_unusual_space_character_is_refused_and_named():
    # FRDO refuses control (Cc), format (Cf), line/paragraph separators (Zl, Zp) and every space but
    # U+0020 (Zs); these five are not in the named list, so the Unicode categories alone must catch them
    odd = {"\x07": "Cc", "\u200e": "Cf", "\u2028": "Zl", "\u2029": "Zp", "\u2003": "Zs"}
    assert {ch: unicodedata.category(ch) for ch in odd} == odd
    for ch in odd:
        assert bad_characters(f"Иванов{ch} Иван") == [ch], hex(ord(ch))
    assert bad_characters("Иванов Иван-Петр (№ 1), «ПК».") == []
    # named in Russian where staff know the character, else by code point and Unicode name
    assert char_name("\u00a0") == "неразрывный пробел" and char_name("\u00ad") == "мягкий перенос"
    assert char_name("\u2003") == "U+2003 EM SPACE"
    assert char_name("\x07") == "U+0007"  # control characters have no Unicode name


def test_a_snils_with_an_invisible_character_is_refused_without_showing_its_digits():
    # personal data: the message needs the fault, not the number (house rule; the check number is enough)
    ds = with_learner(make_dataset(), "L1", snils="112-233-445\u00a095\u2028")
    [problem] = [p for p in check(ds, 2025, "dpo") if p.code == "frdo_bad_character"]
    assert (problem.file, problem.row, problem.column) == (LEARNERS, 2, "СНИЛС")
    assert problem.params["chars"] == "неразрывный пробел, U+2028 LINE SEPARATOR"  # each character, in order
    shown = problem.value + "".join(render(problem))
    assert "112" not in shown and "233" not in shown and "445" not in shown, shown


def test_the_originals_document_kind_must_be_in_the_templates_list_of_document_kinds():
    """«Наименование документа об образовании (оригинала)» names a document kind of the same template.

    The ДПО template ties its column AF to the list «спВидДокумента» (the rule «A2:A999 AF2:AF999»);
    the ПО template has no rule on its column AA, but the column names the same thing as its column A
    (list «Вид_документа»). A duplicate whose «Заменяет документ» points at a document of the other
    template (a свидетельство ПО replacing an удостоверение ДПО) names an original FRDO cannot take.
    """
    ds = make_dataset()
    po_file, pk_file = "groups/ПО-2025-01.xlsx", "groups/ПК-2025-01.xlsx"
    po_dup = issued("L3", 3, po_file, "2-ПО", "Свидетельство о профессии рабочего, должности служащего",
                    status="Дубликат", issued_on=D(2025, 11, 5), lost="Другое", replaces="1-ПП")
    pk_dup = issued("L2", 5, pk_file, "4", "Удостоверение о повышении квалификации",
                    status="Дубликат", issued_on=D(2025, 11, 5), lost="Другое", replaces="1-ПО")
    ds = with_issued(ds, "ПО-2025-01", [*ds.groups["ПО-2025-01"].issued, po_dup])
    ds = with_issued(ds, "ПК-2025-01", [*ds.groups["ПК-2025-01"].issued, pk_dup])
    for kind, original, listed in (
        ("po", ("groups/ПП-2025-01.xlsx", 2, "Диплом о профессиональной переподготовке"), "Вид_документа"),
        ("dpo", (po_file, 2, "Свидетельство о профессии рабочего, должности служащего"), "спВидДокумента"),
    ):
        assert original[2] not in frdo_templates()[kind]["named_ranges"][listed]["values"]
        errors = [p for p in check(ds, 2025, kind) if p.is_error]
        # the fault is shown in the original's own «Вид документа» cell, naming the ФРДО column and list
        assert [(p.code, p.file, p.sheet, p.row, p.column, p.value) for p in errors] == [
            ("frdo_not_in_dictionary", original[0], "Выдача документов", original[1], "Вид документа", original[2])]
        assert errors[0].params["frdo_column"] == "Наименование документа об образовании (оригинала)"
        assert errors[0].params["dictionary"] == listed


def test_an_empty_text_in_a_required_column_is_missing_not_passed():
    """An empty cell FRDO requires is refused as empty whether it reaches the row as nothing or as ""."""
    for empty in (None, ""):
        ds = with_learner(make_dataset(), "L1", edu_number=empty)  # a ВО diploma has a number (column R)
        errors = [p for p in check(ds, 2025, "dpo") if p.is_error]
        assert [(p.code, p.file, p.sheet, p.row, p.column) for p in errors] == [
            ("frdo_missing", LEARNERS, "Слушатели", 2, "Номер документа об образовании")], repr(empty)
        assert errors[0].params["frdo_column"] == "Номер документа о ВО/СПО"


def test_a_value_outside_a_dictionary_is_told_with_the_published_values_to_choose_from():
    """The fix lists the published values (trimmed of the lists' stray spaces): a short list whole, a long
    list by its first six entries and «…», so staff see what the column takes."""
    short = with_program(make_dataset(), "ПО-01", po_kind="Программа профессиональной подготовки")
    [problem] = [p for p in check(short, 2025, "po") if p.code == "frdo_not_in_dictionary"]
    assert (problem.row, problem.column, problem.params["dictionary"]) == (4, "Вид программы ПО", "проф")
    listed = ("Программа профессиональной подготовки по профессии рабочего, должности служащего; "
              "Программа переподготовки рабочих, служащих; Программа повышения квалификации рабочих, служащих")
    assert problem.params["examples"] == listed
    assert render(problem)[1] == f"Выберите в столбце «Вид программы ПО» значение из списка, например: {listed}."

    long = with_program(make_dataset(), "ПО-01", qualification="стропальщик")  # «Квалиф»: thousands of entries
    [problem] = [p for p in check(long, 2025, "po") if p.code == "frdo_not_in_dictionary"]
    first_six = frdo_templates()["po"]["named_ranges"]["Квалиф"]["values"][:6]
    assert first_six[:2] == ["Авербандщик", "Авиационный механик по криогенным системам"]
    assert problem.params["examples"] == "; ".join(first_six) + "; …"


def test_every_value_frdo_takes_is_traced_to_the_workbook_cell_staff_fix():
    """A fault in any text FRDO takes names the cell it came from: the record's file, sheet and row and
    the column header as the sheet models declare it (schemas/*.py), for the learner, the program, the
    enrolment, the issued document and a duplicate's «оригинала» block. Each value is given a
    non-breaking space, which FRDO refuses anywhere."""
    nb = "\u00a0"
    lrn, prg, iss, mem = headers(LearnersSheet), headers(ProgramsSheet), headers(IssuedSheet), headers(MembersSheet)
    pk = "groups/ПК-2025-01.xlsx"
    ds = make_dataset()
    ds = with_learner(ds, "L1", person=Person("Иванова" + nb, "Анна" + nb, "Сергеевна" + nb, "Жен" + nb),
                      snils=ds.learners["L1"].snils + nb, citizenship="643" + nb,
                      education_level="Высшее образование" + nb, edu_surname="Иванова" + nb,
                      edu_series="107724" + nb, edu_number="0123456" + nb)
    ds = with_learner(ds, "L2", person=Person("Петрова" + nb, "Анна" + nb, "Сергеевна" + nb, "Жен"))
    ds = with_program(ds, "ПК-01", name="Экологическая безопасность" + nb, study_form="Очная" + nb,
                      prof_area=codes.PROF_AREA[0] + nb, ugs=codes.UGS[0] + nb)
    ds = with_program(ds, "ПП-01", qualification="Менеджер образования" + nb)
    ds = with_program(ds, "ПО-01", po_kind=codes.PO_PROGRAM_KIND[0] + nb, qualification="Стропальщик" + nb,
                      rank="3" + nb)
    first, second, cert = ds.groups["ПК-2025-01"].issued
    first = dataclasses.replace(first, status="Оригинал" + nb, lost="Нет" + nb, exchanged="Нет" + nb,
                                destroyed="Нет" + nb, series="ПК" + nb, number="77000001" + nb)
    second = dataclasses.replace(second, reg_no="2" + nb)
    original = issued("L2", 6, pk, "0-24" + nb, "Удостоверение о повышении квалификации", series="А" + nb,
                      number="77000024", issued_on=D(2024, 12, 20))
    dup = issued("L2", 7, pk, "5", "Удостоверение о повышении квалификации", status="Дубликат",
                 issued_on=D(2025, 11, 5), lost="Другое", replaces="0-24" + nb)
    ds = with_issued(ds, "ПК-2025-01", [first, second, cert, original, dup])
    group_pk = ds.groups["ПК-2025-01"]
    members = (dataclasses.replace(group_pk.members[0], funding="Платное обучение" + nb), *group_pk.members[1:])
    ds = dataclasses.replace(ds, groups=ds.groups | {"ПК-2025-01": dataclasses.replace(group_pk, members=members)})

    def faults(kind):
        return {(p.file, p.sheet, p.row, p.column) for p in check(ds, 2025, kind) if p.code == "frdo_bad_character"}

    issue_book = "Выдача документов"
    assert faults("dpo") == {
        *((LEARNERS, "Слушатели", 2, h) for h in (
            lrn.surname, lrn.name, lrn.patronymic, lrn.sex, lrn.snils, lrn.citizenship, lrn.education_level,
            lrn.edu_surname, lrn.edu_series, lrn.edu_number)),
        *((LEARNERS, "Слушатели", 3, h) for h in (lrn.surname, lrn.name, lrn.patronymic)),
        *((ORG, "Программы", 2, h) for h in (prg.name, prg.study_form, prg.prof_area, prg.ugs)),
        (ORG, "Программы", 3, prg.qualification),
        (pk, "Состав", 2, mem.funding),
        *((pk, issue_book, 2, h) for h in (iss.status, iss.lost, iss.exchanged, iss.destroyed, iss.series, iss.number)),
        (pk, issue_book, 3, iss.reg_no),
        (pk, issue_book, 6, iss.series),  # the original's own row
        (pk, issue_book, 7, iss.replaces),  # the original's registration number, as the duplicate names it
    }
    assert faults("po") == {(ORG, "Программы", 4, h) for h in (prg.po_kind, prg.qualification, prg.rank)}


def test_a_list_of_exactly_six_values_is_shown_whole_without_an_ellipsis():
    """At most six values are shown; «…» says that some were left out, so a list of six has none."""
    six = ("Нет", "Справка из органов внутренних дел", "Справка из органов пожарной охраны",
           "Объявление в газете", "Другое", "Справка из МЧС")
    tpl = template("dpo")
    tpl = dataclasses.replace(tpl, dictionaries=tpl.dictionaries | {"спУтраты": six})
    ds = make_dataset()
    doc = dataclasses.replace(ds.groups["ПК-2025-01"].issued[0], lost="Утеряно")
    ds = with_issued(ds, "ПК-2025-01", [doc, *ds.groups["ПК-2025-01"].issued[1:]])
    [problem] = [p for p in preflight(build_rows(ds, 2025, "dpo"), tpl) if p.code == "frdo_not_in_dictionary"]
    assert problem.params["examples"] == "; ".join(six)
    seven_tpl = dataclasses.replace(tpl, dictionaries=tpl.dictionaries | {"спУтраты": (*six, "Иное")})
    [problem] = [p for p in preflight(build_rows(ds, 2025, "dpo"), seven_tpl) if p.code == "frdo_not_in_dictionary"]
    assert problem.params["examples"] == "; ".join(six) + "; …"


def test_forbidden_characters_of_a_program_name_are_told_with_the_name_as_written():
    ds = with_program(make_dataset(), "ПК-01", name="Охрана труда; курс — 1")
    [problem] = [p for p in check(ds, 2025, "dpo") if p.code == "frdo_program_name_chars"]
    assert (problem.value, problem.params["chars"]) == ("Охрана труда; курс — 1", "«;» «—»")  # in order of appearance
    assert render(problem)[0] == (
        "В наименовании программы «Охрана труда; курс — 1» есть недопустимые для ФИС ФРДО символы: «;» «—».")


def test_upload_rows_follow_the_issue_book_registration_numbers_compared_as_numbers():
    """Rows are in the order the documents were issued: by date, then registration number with its
    digits compared as numbers («2» before «10»), then group number."""
    ds = make_dataset()
    pk = ds.groups["ПК-2025-01"].issued
    tenth = issued("L2", 5, "groups/ПК-2025-01.xlsx", "10", "Удостоверение о повышении квалификации")
    ds = with_issued(ds, "ПК-2025-01", [tenth, *pk])
    # a ПП diploma numbered «1» on the same day as the ПК удостоверение «1»: the group numbers decide
    twin = issued("L1", 3, "groups/ПП-2025-01.xlsx", "1", "Диплом о профессиональной переподготовке")
    ds = with_issued(ds, "ПП-2025-01", [*ds.groups["ПП-2025-01"].issued, twin])
    ds = dataclasses.replace(ds, groups=dict(reversed(ds.groups.items())))  # workbook order must not matter
    rows = build_rows(ds, 2025, "dpo")
    assert [(r.key, r.group.number) for r in rows] == [
        ("1", "ПК-2025-01"), ("1", "ПП-2025-01"), ("2", "ПК-2025-01"), ("3", "ПК-2025-01"), ("10", "ПК-2025-01"),
        ("1-ПП", "ПП-2025-01")]


def test_a_certificate_goes_to_the_template_of_its_groups_program():
    """A справка об обучении is reported with its group's program: ПО -> the ПО template, ПК/ПП -> ДПО."""
    ds = make_dataset()
    po_cert = issued("L3", 3, "groups/ПО-2025-01.xlsx", "2-ПО", "Справка об обучении")
    ds = with_issued(ds, "ПО-2025-01", [*ds.groups["ПО-2025-01"].issued, po_cert])
    assert [r.key for r in build_rows(ds, 2025, "po")] == ["1-ПО", "2-ПО"]
    assert [r.key for r in build_rows(ds, 2025, "dpo")] == ["1", "2", "3", "1-ПП"]  # «3»: the ПК справка
    assert {r.kind for r in build_rows(ds, 2025, "po")} == {"po"}  # each row says the template it is built for
    assert {r.kind for r in build_rows(ds, 2025, "dpo")} == {"dpo"}


def test_a_duplicate_replaces_the_document_of_its_own_learner_when_two_share_a_number():
    """Two groups' books used one registration number: the original is the one issued to the same learner."""
    ds = make_dataset()
    other = issued("L1", 6, "groups/ПК-2025-01.xlsx", "0-24", "Удостоверение о повышении квалификации",
                   number="11111111", issued_on=D(2024, 6, 1))
    own = issued("L2", 3, "groups/ПП-2025-01.xlsx", "0-24", "Диплом о профессиональной переподготовке",
                 number="22222222", issued_on=D(2024, 6, 1))
    dup = issued("L2", 7, "groups/ПК-2025-01.xlsx", "5", "Удостоверение о повышении квалификации",
                 status="Дубликат", issued_on=D(2025, 11, 5), lost="Другое", replaces="0-24")
    ds = with_issued(ds, "ПК-2025-01", [*ds.groups["ПК-2025-01"].issued, other, dup])
    ds = with_issued(ds, "ПП-2025-01", [*ds.groups["ПП-2025-01"].issued, own])
    [row] = [r for r in build_rows(ds, 2025, "dpo") if r.key == "5"]
    assert (row.fields["orig_number"].value, row.fields["orig_surname"].value) == ("22222222", "Петрова")
    assert row.fields["orig_number"].origin == Origin("groups/ПП-2025-01.xlsx", "Выдача документов", 3, "Номер бланка")


@pytest.mark.parametrize("typed", ["11223344595", "112-233-445-95", "112 233 445 95"])
def test_a_snils_not_written_as_the_template_asks_is_refused_in_its_cell(typed):
    """The template's prompt on the СНИЛС column: «Введите СНИЛС в формате XXX-XXX-XXX XX»."""
    ds = with_learner(make_dataset(), "L2", snils=typed)
    [problem] = [p for p in check(ds, 2025, "dpo") if p.is_error]
    assert (problem.code, problem.file, problem.sheet, problem.row, problem.column, problem.value) == (
        "frdo_snils_format", LEARNERS, "Слушатели", 3, "СНИЛС", "***-***-*** 95")


def test_two_documents_of_one_upload_with_one_registration_number_are_both_named():
    """FRDO keys a document by its registration number: a second one would overwrite the first."""
    ds = make_dataset()
    diploma = dataclasses.replace(ds.groups["ПП-2025-01"].issued[0], reg_no="1")  # the ПК удостоверение is «1»
    ds = with_issued(ds, "ПП-2025-01", [diploma])
    problems = [p for p in check(ds, 2025, "dpo") if p.code == "frdo_duplicate_reg_no"]
    assert {(p.file, p.sheet, p.row, p.column, p.value, p.severity) for p in problems} == {
        ("groups/ПК-2025-01.xlsx", "Выдача документов", 2, "Регистрационный №", "1", "error"),
        ("groups/ПП-2025-01.xlsx", "Выдача документов", 2, "Регистрационный №", "1", "error")}


def test_a_duplicate_of_an_unknown_number_names_the_number_typed():
    ds = make_dataset()
    dup = issued("L1", 5, "groups/ПК-2025-01.xlsx", "4", "Удостоверение о повышении квалификации",
                 status="Дубликат", lost="Другое", replaces="99")
    ds = with_issued(ds, "ПК-2025-01", [*ds.groups["ПК-2025-01"].issued, dup])
    [problem] = check(ds, 2025, "dpo")
    assert (problem.code, problem.value, problem.severity) == ("frdo_original_not_found", "99", "error")
    assert "99" in render(problem)[0]


@pytest.mark.parametrize(("lost", "exchanged", "warned"), [
    (None, None, True), ("Нет", "Нет", True), ("Нет", None, True), (None, "Нет", True),
    ("Справка из органов внутренних дел", None, False), ("Нет", "Обмен по причине порчи", False),
])
def test_a_duplicate_says_why_it_was_issued_lost_or_exchanged(lost, exchanged, warned):
    """A duplicate replaces a document lost (confirmed) or exchanged; with neither, staff are warned."""
    ds = make_dataset()
    dup = issued("L1", 5, "groups/ПК-2025-01.xlsx", "4", "Удостоверение о повышении квалификации",
                 status="Дубликат", lost=lost, exchanged=exchanged, replaces="1", issued_on=D(2025, 11, 5))
    ds = with_issued(ds, "ПК-2025-01", [*ds.groups["ПК-2025-01"].issued, dup])
    found = [(p.code, p.severity, p.file, p.row, p.column, p.value) for p in check(ds, 2025, "dpo")]
    warning = ("frdo_duplicate_no_reason", "warning", "groups/ПК-2025-01.xlsx", 5, "Статус документа", "4")
    assert found == ([warning] if warned else [])


def test_prior_education_columns_follow_the_kind_of_document_the_learner_has():
    """ДПО columns O–R: a ВО/СПО diploma has a series and a number; a «Справка» (about current study) has
    a number and no series («нет»); «Стаж» and «Пункт 1 правил…» rest on no document at all."""
    ds = with_learner(make_dataset(), "L2", education_level="Справка", edu_series=None, edu_number="15")
    rows = {r.key: r.fields for r in build_rows(ds, 2025, "dpo")}
    assert (rows["2"]["edu_series"].value, rows["2"]["edu_number"].value) == ("нет", "15")
    assert (rows["3"]["edu_series"].value, rows["3"]["edu_number"].value) == (None, None)  # L4: «Стаж»
    assert [p for p in check(ds, 2025, "dpo") if p.is_error] == []
    no_number = with_learner(ds, "L2", edu_number=None)
    assert [(p.code, p.row, p.column) for p in check(no_number, 2025, "dpo") if p.is_error] == [
        ("frdo_missing", 3, "Номер документа об образовании")]
    rule = with_learner(ds, "L2", education_level="Пункт 1 правил формирования ФИС ФРДО", edu_number=None)
    assert [p for p in check(rule, 2025, "dpo") if p.is_error] == []
    spo = with_learner(ds, "L2", education_level="Среднее профессиональное образование", edu_number="7")
    assert [(p.code, p.row, p.column) for p in check(spo, 2025, "dpo") if p.is_error] == [
        ("frdo_missing", 3, "Серия документа об образовании")]
    spo_no_number = with_learner(spo, "L2", edu_series="11", edu_number=None)
    assert [(p.code, p.row, p.column) for p in check(spo_no_number, 2025, "dpo") if p.is_error] == [
        ("frdo_missing", 3, "Номер документа об образовании")]


def test_a_qualification_is_required_of_a_retraining_diploma_only():
    """Профессиональная переподготовка gives a qualification (column N); повышение квалификации and a
    справка об обучении do not."""
    ds = with_program(make_dataset(), "ПП-01", qualification=None)
    assert [(p.code, p.file, p.sheet, p.row, p.column) for p in check(ds, 2025, "dpo") if p.is_error] == [
        ("frdo_missing", ORG, "Программы", 3, "Квалификация")]
    cert = dataclasses.replace(ds.groups["ПП-2025-01"].issued[0], document="Справка об обучении")
    assert [p for p in check(with_issued(ds, "ПП-2025-01", [cert]), 2025, "dpo") if p.is_error] == []


def test_the_rank_column_of_the_po_template_says_no_where_no_rank_is_given():
    """Column M «Присвоенный квалификационный разряд…» takes «Нет» (the first entry of «Класс1») when the
    program gives no rank, and for a справка, which gives no qualification."""
    ds = make_dataset()
    assert [r.fields["rank"].value for r in build_rows(ds, 2025, "po")] == ["3"]
    po_cert = issued("L3", 3, "groups/ПО-2025-01.xlsx", "2-ПО", "Справка об обучении")
    with_cert = with_issued(ds, "ПО-2025-01", [*ds.groups["ПО-2025-01"].issued, po_cert])
    assert [r.fields["rank"].value for r in build_rows(with_cert, 2025, "po")] == ["3", "Нет"]
    no_rank = with_program(ds, "ПО-01", rank=None)
    assert [r.fields["rank"].value for r in build_rows(no_rank, 2025, "po")] == ["Нет"]
    assert frdo_templates()["po"]["named_ranges"]["Класс1"]["values"][0] == "Нет"


def test_a_duplicates_original_without_a_kind_or_a_blank_number_is_missing_in_its_own_row():
    """FRDO needs the original's «Наименование документа» and «Номер» for a duplicate (columns AF, AH)."""
    file = "groups/ПК-2025-01.xlsx"
    for empty_field, column in (("document", "Вид документа"), ("number", "Номер бланка")):
        ds = make_dataset()
        original = issued("L2", 6, file, "0-24", "Удостоверение о повышении квалификации", issued_on=D(2024, 12, 20))
        original = dataclasses.replace(original, **{empty_field: ""})
        dup = issued("L2", 7, file, "5", "Удостоверение о повышении квалификации", status="Дубликат",
                     issued_on=D(2025, 11, 5), lost="Другое", replaces="0-24")
        ds = with_issued(ds, "ПК-2025-01", [*ds.groups["ПК-2025-01"].issued, original, dup])
        assert [(p.code, p.file, p.row, p.column) for p in check(ds, 2025, "dpo") if p.is_error] == [
            ("frdo_missing", file, 6, column)], empty_field



def test_a_recipient_or_original_without_the_personal_data_frdo_needs_is_missing_in_the_learners_cells():
    """FRDO needs the surname, name, date of birth, sex, СНИЛС and citizenship of a document's recipient, the
    surname and name of a duplicate's original, and the level of the education that admitted the learner to ДПО
    (ДПО template). Intake requires them, but the export checks its own rows all the same: L2 holds a duplicate of
    an удостоверение filed under another learner's record (L5, kept apart after a change of name); with all of these
    empty (and no surname of L2's own in her education document), each is missing in the learner's own cell, under
    its own ФРДО column."""
    file = "groups/ПК-2025-01.xlsx"
    ds = with_learner(make_dataset(), "L2", person=Person("", "", None, ""), birth_date=None, snils="", citizenship="",
                      education_level="", edu_surname=None)
    ds = dataclasses.replace(ds, learners=ds.learners | {"L5": learner("L5", 6, "", person=Person("", "", None, "Жен"))})
    original = issued("L5", 6, file, "0-24", "Удостоверение о повышении квалификации", issued_on=D(2024, 12, 20))
    dup = issued("L2", 7, file, "5", "Удостоверение о повышении квалификации", status="Дубликат",
                 issued_on=D(2025, 11, 5), lost="Другое", replaces="0-24")
    ds = with_issued(ds, "ПК-2025-01", [*ds.groups["ПК-2025-01"].issued, original, dup])
    found = sorted((p.code, p.file, p.row, p.column, p.params["frdo_column"]) for p in check(ds, 2025, "dpo")
                   if p.is_error)
    assert found == sorted(("frdo_missing", LEARNERS, row, column, frdo_column) for row, column, frdo_column in (
        (3, "Фамилия", "Фамилия получателя"), (3, "Имя", "Имя получателя"),
        (3, "Дата рождения", "Дата рождения получателя"), (3, "Пол", "Пол получателя"), (3, "СНИЛС", "СНИЛС"),
        (3, "Гражданство (ОКСМ)", "Гражданство получателя (код страны по ОКСМ)"),
        (3, "Уровень образования", "Уровень образования ВО/СПО"),
        (3, "Фамилия в документе об образовании", "Фамилия указанная в дипломе о ВО или СПО"),
        (6, "Фамилия", "Фамилия получателя (оригинала)"), (6, "Имя", "Имя получателя (оригинала)")))


def test_a_document_without_its_status_blank_or_registration_number_or_a_program_without_a_name_is_missing():
    """FRDO needs each document's status, blank number and registration number and its program's name and hours. Intake
    requires them, but the export checks its own rows all the same: each empty one is missing in its own cell (the
    document's row on «Выдача документов», the program's row on «Программы»), under its ФРДО column."""
    ds = make_dataset()
    first, second, cert = ds.groups["ПК-2025-01"].issued
    ds = with_issued(ds, "ПК-2025-01", [dataclasses.replace(first, status="", number="", reg_no=""), second, cert])
    ds = with_program(ds, "ПК-01", name="", hours=None)
    found = sorted((p.code, p.file, p.row, p.column, p.params["frdo_column"]) for p in check(ds, 2025, "dpo")
                   if p.is_error)
    pk = "groups/ПК-2025-01.xlsx"
    assert found == sorted([
        ("frdo_missing", pk, 2, "Статус документа", "Статус документа"),
        ("frdo_missing", pk, 2, "Номер бланка", "Номер документа"),
        ("frdo_missing", pk, 2, "Регистрационный №", "Регистрационный номер"),
        ("frdo_missing", ORG, 2, "Наименование программы", "Наименование дополнительной профессиональной программы"),
        ("frdo_missing", ORG, 2, "Объем, ак. ч", "Срок обучения, часов (для документа о квалификации)")])


def test_a_po_program_without_its_kind_qualification_or_form_of_study_is_missing_in_its_own_cells():
    """The ПО template needs the program's kind, the profession (qualification) and the form of study of every
    свидетельство: each empty one is missing in the program's own cell on «Программы», under its ФРДО column."""
    ds = with_program(make_dataset(), "ПО-01", po_kind=None, qualification="", study_form="")
    found = sorted((p.code, p.file, p.row, p.column, p.params["frdo_column"]) for p in check(ds, 2025, "po")
                   if p.is_error)
    assert found == sorted([
        ("frdo_missing", ORG, 4, "Вид программы ПО", "Программа профессионального обучения, направление подготовки"),
        ("frdo_missing", ORG, 4, "Квалификация", "Наименование профессий рабочих, должностей служащих"),
        ("frdo_missing", ORG, 4, "Форма обучения", "Форма обучения")])


def test_a_document_of_a_learner_missing_from_the_groups_members_or_the_learners_workbook_is_missing_his_cells():
    """FRDO needs every document's «Источник финансирования обучения» and its recipient's surname. The funding is the
    learner's on the group's «Состав»: empty in his row there, it is missing in that cell; for a document issued to
    someone not on «Состав» at all (intake: ref_not_member) it is missing on «Состав», with no row to name. The
    recipient's person is his row of learners.xlsx: for one not there (intake: ref_learner_unknown) the upload names
    the cell that points to him, «ID слушателя» of the document's own row, once, not every personal column."""
    pk = "groups/ПК-2025-01.xlsx"
    ds = make_dataset()
    group_pk = ds.groups["ПК-2025-01"]
    members = (group_pk.members[0], dataclasses.replace(group_pk.members[1], funding=""), *group_pk.members[2:])
    stranger = issued("L9", 5, pk, "4", "Удостоверение о повышении квалификации")
    ds = dataclasses.replace(ds, groups=ds.groups | {"ПК-2025-01": dataclasses.replace(
        group_pk, members=members, issued=(*group_pk.issued, stranger))})
    found = [(p.code, p.file, p.sheet, p.row, p.column, p.params["frdo_column"])
             for p in check(ds, 2025, "dpo") if p.is_error]
    assert len(found) == 3
    assert set(found) == {
        ("frdo_missing", pk, "Состав", 3, "Источник финансирования", "Источник финансирования обучения"),  # L2
        ("frdo_missing", pk, "Состав", None, "Источник финансирования", "Источник финансирования обучения"),  # L9
        ("frdo_missing", pk, "Выдача документов", 5, "ID слушателя", "Фамилия получателя")}
    [row] = [r for r in build_rows(ds, 2025, "dpo") if r.key == "4"]
    assert row.fields["funding"].origin == Origin(pk, "Состав", None, "Источник финансирования")


def test_a_dpo_document_issued_under_a_program_of_another_kind_is_missing_its_dpo_program_kind():
    """The ДПО template's program column takes «повышение квалификации» or «профессиональная переподготовка» only. An
    удостоверение issued in a group of a ПО program (intake: issued_wrong_kind) goes to the ДПО upload by its kind,
    but its program has no ДПО kind to give: it is missing in the program's «Вид программы» cell on «Программы»
    (not «Профессиональное обучение», which FRDO's list would refuse)."""
    ds = make_dataset()
    wrong = issued("L3", 3, "groups/ПО-2025-01.xlsx", "2-ПО", "Удостоверение о повышении квалификации")
    ds = with_issued(ds, "ПО-2025-01", [*ds.groups["ПО-2025-01"].issued, wrong])
    found = [(p.code, p.file, p.sheet, p.row, p.column, p.params.get("frdo_column"))
             for p in check(ds, 2025, "dpo") if p.is_error]
    assert found == [("frdo_missing", ORG, "Программы", 4, "Вид программы",
                      "Дополнительная профессиональная программа (повышение квалификации/ профессиональная "
                      "переподготовка)")]


def test_a_certificate_of_a_retraining_program_carries_no_qualification():
    """A справка об обучении gives no qualification: its row leaves «Наименование квалификации…» empty even when its
    group's program (профессиональная переподготовка) gives one to those who finish (module docstring)."""
    ds = make_dataset()
    cert = dataclasses.replace(ds.groups["ПП-2025-01"].issued[0], document="Справка об обучении")
    ds = with_issued(ds, "ПП-2025-01", [cert])
    assert ds.programs["ПП-01"].qualification == "Менеджер образования"
    [row] = [r for r in build_rows(ds, 2025, "dpo") if r.key == "1-ПП"]
    assert row.fields["qualification"].value is None
    [diploma_row] = [r for r in build_rows(make_dataset(), 2025, "dpo") if r.key == "1-ПП"]
    assert diploma_row.fields["qualification"].value == "Менеджер образования"
