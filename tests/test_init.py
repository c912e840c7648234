"""`uchet init`: blank workbooks with the contract's sheets and headers, drop-downs, text formats, «Инструкция»."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from lxml import etree

from pipeline.cli import main
from pipeline.intake.validate import validate_input
from pipeline.intake.workbooks import GROUP_TEMPLATE, GUIDE_SHEET, KEYVALUE_HEADER, LISTS_SHEET
from schemas import GROUP_FILE, LEARNERS_FILE, ORGANIZATION_FILE, SHEETS, columns, sheets_of

FILES = {ORGANIZATION_FILE: ORGANIZATION_FILE, LEARNERS_FILE: LEARNERS_FILE, GROUP_FILE: GROUP_TEMPLATE}


@pytest.fixture(scope="module")
def blank(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("blank")
    result = CliRunner().invoke(main, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


def _book(blank: Path, kind: str) -> openpyxl.Workbook:
    return openpyxl.load_workbook(blank / FILES[kind])


def _fixed(spec) -> list[tuple[str, dict]]:
    return [(header, meta) for _a, header, meta in columns(spec) if not header.startswith("^")]


@pytest.mark.parametrize("kind", list(FILES))
def test_every_sheet_and_header_in_contract_order(blank, kind):
    book = _book(blank, kind)
    specs = sheets_of(kind)
    assert book.sheetnames[: len(specs)] == [s.name for s in specs]
    assert GUIDE_SHEET in book.sheetnames
    for spec in specs:
        ws = book[spec.name]
        headers = [h for h, _m in _fixed(spec)]
        if spec.layout == "keyvalue":
            assert [c.value for c in ws[1]][:2] == list(KEYVALUE_HEADER)
            assert [ws.cell(row, 1).value for row in range(2, len(headers) + 2)] == headers
            assert ws.freeze_panes == "A2"
        else:
            assert [c.value for c in ws[1]] == headers
            assert ws.freeze_panes == ("C2" if spec.layout == "grid" else "A2")
            assert ws[1][0].font.b


def _lists(book) -> dict[str, list[str]]:
    if LISTS_SHEET not in book.sheetnames:
        return {}
    ws = book[LISTS_SHEET]
    assert ws.sheet_state == "hidden"
    out = {}
    for col in ws.iter_cols(min_row=1):
        letter = col[0].column_letter
        out[letter] = [c.value for c in col[1:] if c.value is not None]
    return out


def _allowed(formula: str, lists: dict[str, list[str]]) -> list[str]:
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    letter = formula.split("!")[1].split(":")[0].strip("$").rstrip("0123456789").strip("$")
    return lists[letter]


@pytest.mark.parametrize("spec", SHEETS, ids=lambda s: s.name)
def test_every_coded_column_has_a_drop_down_with_its_values(blank, spec):
    book = _book(blank, spec.workbook)
    ws = book[spec.name]
    lists = _lists(book)
    by_cell = {}
    for dv in ws.data_validations.dataValidation:
        assert dv.type == "list" and not dv.showDropDown  # showDropDown=1 would HIDE the arrow
        for cell_range in dv.sqref.ranges:
            by_cell[cell_range.coord.split(":")[0]] = _allowed(dv.formula1, lists)
    for position, (header, meta) in enumerate(_fixed(spec), start=1):
        if not meta.get("values"):
            continue
        if spec.layout == "keyvalue":
            cell = f"B{position + 1}"
        else:
            cell = f"{openpyxl.utils.get_column_letter(position)}2"
        assert by_cell[cell] == list(meta["values"]), header
    if spec.layout == "grid":
        assert by_cell[f"{openpyxl.utils.get_column_letter(len(_fixed(spec)) + 1)}2"] == ["н", "б", "у", "д"]


def test_long_lists_go_through_the_hidden_sheet(blank):
    book = _book(blank, LEARNERS_FILE)
    ws = book["Слушатели"]
    letter = openpyxl.utils.get_column_letter([c.value for c in ws[1]].index("Гражданство (ОКСМ)") + 1)
    dv = next(d for d in ws.data_validations.dataValidation if str(d.sqref).startswith(f"{letter}2:"))
    assert dv.formula1.startswith(f"'{LISTS_SHEET}'!")
    assert "643" in _allowed(dv.formula1, _lists(book))


def test_text_format_for_snils_ids_and_document_numbers(blank):
    ws = _book(blank, LEARNERS_FILE)["Слушатели"]
    headers = [c.value for c in ws[1]]
    for header in ("ID слушателя", "СНИЛС", "Серия документа об образовании", "Номер документа об образовании",
                   "Телефон"):
        letter = openpyxl.utils.get_column_letter(headers.index(header) + 1)
        assert ws.column_dimensions[letter].number_format == "@", header
    letter = openpyxl.utils.get_column_letter(headers.index("Дата рождения") + 1)
    assert ws.column_dimensions[letter].number_format == "DD.MM.YYYY"
    assert ws.column_dimensions["B"].width == 20


def test_instruction_names_every_sheet_column_and_make(blank):
    book = _book(blank, GROUP_FILE)
    text = "\n".join(str(c.value) for row in book[GUIDE_SHEET].iter_rows() for c in row if c.value)
    assert "make" in text
    for spec in sheets_of(GROUP_FILE):
        assert f"Лист «{spec.name}»" in text
        for header, _meta in _fixed(spec):
            assert header in text
    assert "н, б, у, д" in text


def test_blank_input_loads_as_a_well_formed_empty_dataset(blank):
    validation = validate_input(blank)
    assert validation.errors == []
    assert validation.dataset is not None and validation.dataset.is_empty
    warnings = [(p.code, p.file) for p in validation.problems if not p.is_error]
    assert warnings == [("no_groups", "groups")]


def test_blank_input_with_one_value_is_checked_in_full(blank, tmp_path):
    """Once staff start filling the books, the empty organisation details are reported as usual."""
    folder = tmp_path / "in"
    shutil.copytree(blank, folder)
    book = openpyxl.load_workbook(folder / ORGANIZATION_FILE)
    book["Организация"]["B2"] = "Частное образовательное учреждение"
    book.save(folder / ORGANIZATION_FILE)
    errors = {(p.code, p.file, p.sheet) for p in validate_input(folder).errors}
    assert errors == {("required", ORGANIZATION_FILE, "Организация")}


def test_blank_group_template_validates_once_copied_into_groups(blank, tmp_path):
    """The template's own sheets raise nothing but one error: the group workbook is still empty."""
    folder = tmp_path / "in"
    shutil.copytree(blank, folder)
    shutil.copy(folder / GROUP_TEMPLATE, folder / "groups" / "ПК-2025-01.xlsx")
    book = openpyxl.load_workbook(folder / ORGANIZATION_FILE)
    book["Организация"]["B2"] = "Частное образовательное учреждение"  # not blank any more: checked in full
    book.save(folder / ORGANIZATION_FILE)
    group_errors = {(p.code, p.sheet) for p in validate_input(folder).errors if p.file.startswith("groups/")}
    assert group_errors == {("group_blank", None)}


def test_drop_down_arrows_survive_in_libreoffice(blank, tmp_path, libreoffice):
    soffice = libreoffice
    source = tmp_path / "group.xlsx"
    shutil.copy(blank / GROUP_TEMPLATE, source)
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to", "ods",
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    content = etree.fromstring(zipfile.ZipFile(tmp_path / "group.ods").read("content.xml"))
    table = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    validations = list(content.iter(f"{table}content-validation"))
    assert len(validations) >= 12
    assert all(v.get(f"{table}display-list") != "none" for v in validations)
    conditions = " ".join(v.get(f"{table}condition") for v in validations)
    assert "Платное обучение" in conditions and "$Списки" in conditions


def test_init_refuses_to_overwrite_workbooks(blank):
    before = (blank / ORGANIZATION_FILE).read_bytes()
    result = CliRunner().invoke(main, ["init", str(blank)])
    assert result.exit_code == 2
    assert "organization.xlsx" in result.output
    assert (blank / ORGANIZATION_FILE).read_bytes() == before
