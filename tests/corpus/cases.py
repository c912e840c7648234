"""The malformed-input corpus: each case writes one input folder that real offices produce by mistake.

A case starts from the minimal valid input (tests/builders.py), breaks it the way Excel, a script or a
tired person does, and states what the run must answer: its exit code and the problems (code, file,
sheet, row, column) it must contain. `make` is a function of the case's folder; nothing is committed.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from builders import GROUP, headers, minimal_input, set_cell, write_input
from openpyxl.styles import Font

ORG, LRN = "organization.xlsx", "learners.xlsx"
G2 = "groups/ПК-2025-02.xlsx"
Data = dict


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path], None]
    """Write the input folder."""
    exit: int
    """Exit code of `uchet validate`: 0 clean or warnings only, 1 data problems, 2 operational failure."""
    expect: tuple[tuple, ...] = ()
    """(code, file, sheet, row, column) that must be among the problems."""
    absent: tuple[str, ...] = field(default=())
    """Problem codes that must not appear (e.g. no «required» where a formula really holds a value)."""


# --- building blocks -----------------------------------------------------------------------------


def data() -> Data:
    return copy.deepcopy(minimal_input())


def edited(*cells: tuple) -> Callable[[Path], None]:
    """A maker that sets cells (rel, sheet, row, header, value) on the minimal input."""

    def make(folder: Path) -> None:
        d = data()
        for rel, sheet, row, header, value in cells:
            set_cell(d, rel, sheet, row, header, value)
        write_input(folder, d)

    return make


def with_data(change: Callable[[Data], None]) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        d = data()
        change(d)
        write_input(folder, d)

    return make


def then(first: Callable[[Path], None], *steps: Callable[[Path], None]) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        first(folder)
        for step in steps:
            step(folder)

    return make


def valid(folder: Path) -> None:
    write_input(folder)


def put(rel: str, content: bytes) -> Callable[[Path], None]:
    def step(folder: Path) -> None:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(content)

    return step


def remove(rel: str) -> Callable[[Path], None]:
    def step(folder: Path) -> None:
        path = folder / rel
        if path.is_dir():
            for child in path.iterdir():
                child.unlink()
            path.rmdir()
        else:
            path.unlink()

    return step


def workbook(rel: str, change: Callable[[openpyxl.Workbook], None]) -> Callable[[Path], None]:
    """Open a written workbook with openpyxl, change it, save it back."""

    def step(folder: Path) -> None:
        book = openpyxl.load_workbook(folder / rel)
        change(book)
        book.save(folder / rel)

    return step


def sheet_xml(rel: str, sheet: str, old: bytes, new: bytes) -> Callable[[Path], None]:
    """Replace bytes in one sheet's XML (openpyxl names the parts sheet1.xml… in sheet order)."""

    def step(folder: Path) -> None:
        path = folder / rel
        names = openpyxl.load_workbook(path, read_only=True).sheetnames
        part = f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"
        source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                content = source.read(info.filename)
                if info.filename == part:
                    assert old in content, (old, content[:2000])
                    content = content.replace(old, new, 1)
                target.writestr(info.filename, content)
        path.write_bytes(out.getvalue())

    return step


def encrypted(rel: str) -> Callable[[Path], None]:
    """Password-protect a workbook the way Excel does (an encrypted OLE container, ECMA-376 agile)."""

    def step(folder: Path) -> None:
        from msoffcrypto.format.ooxml import OOXMLFile

        path = folder / rel
        out = io.BytesIO()
        OOXMLFile(io.BytesIO(path.read_bytes())).encrypt("пароль", out)
        path.write_bytes(out.getvalue())

    return step


def col(sheet: str, header: str) -> str:
    return openpyxl.utils.get_column_letter(headers(sheet).index(header) + 1)


def snils_with_leading_zero() -> tuple[int, str]:
    """A valid СНИЛС that starts with 0: the number Excel keeps, and the text it should have been."""
    number = "012345678"
    total = sum(int(d) * w for d, w in zip(number, range(9, 0, -1), strict=True)) % 101
    check = f"{0 if total == 100 else total:02d}"
    return int(number + check), f"{number[:3]}-{number[3:6]}-{number[6:]} {check}"


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def zip_of(**members: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, content in members.items():
            z.writestr(name, content)
    return out.getvalue()


def truncated(rel: str) -> Callable[[Path], None]:
    def step(folder: Path) -> None:
        path = folder / rel
        path.write_bytes(path.read_bytes()[:1500])

    return step


def copy_group(target: str) -> Callable[[Path], None]:
    def step(folder: Path) -> None:
        (folder / target).write_bytes((folder / GROUP).read_bytes())

    return step


def drop_sheet(rel: str, sheet: str) -> Callable[[Path], None]:
    return workbook(rel, lambda b: b.remove(b[sheet]))


def rename_sheet(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def change(b):
        b[old].title = new

    return workbook(rel, change)


def _replace_header(d: Data, rel: str, sheet: str, old: str, new) -> None:
    head = d[rel][sheet][0]
    head[head.index(old)] = new


def _reverse_columns(d: Data, rel: str, sheet: str) -> None:
    d[rel][sheet] = [list(reversed(r)) for r in d[rel][sheet]]


def _add_column(d: Data, rel: str, sheet: str, header, values) -> None:
    rows = d[rel][sheet]
    rows[0].append(header)
    for r, value in zip(rows[1:], values, strict=False):
        r.append(value)


def _drop_param(d: Data, rel: str, sheet: str, name: str) -> None:
    d[rel][sheet] = [r for r in d[rel][sheet] if r[0] != name]


def _empty_workbook(folder: Path) -> None:
    openpyxl.Workbook().save(folder / G2)


def _blank_sheet(rel: str, sheet: str) -> Callable[[Path], None]:
    def change(b):
        index = b.sheetnames.index(sheet)
        b.remove(b[sheet])
        b.create_sheet(sheet, index)

    return workbook(rel, change)


def _merge(rel: str, sheet: str, area: str) -> Callable[[Path], None]:
    return workbook(rel, lambda b: b[sheet].merge_cells(area))


def _million_formatted_rows(b) -> None:
    sheet = b["Слушатели"]
    sheet.cell(row=1_000_000, column=1).font = Font(bold=True)
    sheet.cell(row=1_000_000, column=16).font = Font(italic=True)
    sheet.row_dimensions[1_000_000].height = 30


def _hide_row(b) -> None:
    b["Слушатели"].row_dimensions[3].hidden = True


def _hide_sheet(state: str):
    def change(b):
        b["Состав"].sheet_state = state

    return change


def xml_text(text: str) -> bytes:
    """Text as openpyxl writes it into sheet XML (non-ASCII as character references)."""
    return "".join(ch if ord(ch) < 128 else f"&#{ord(ch)};" for ch in text).encode()


def _formula(rel: str, sheet: str, cell: str, formula: str, cached: bytes | None, kind: bytes = b"") -> Callable:
    """Write a formula with openpyxl (no saved value), optionally adding the value Excel would save."""
    write = workbook(rel, lambda b: b[sheet].__setitem__(cell, formula))
    if cached is None:
        return write
    old = f'<c r="{cell}"><f>'.encode() + xml_text(formula[1:]) + b"</f><v></v></c>"
    new = f'<c r="{cell}"{kind.decode()}><f>'.encode() + xml_text(formula[1:]) + b"</f><v>" + cached + b"</v></c>"
    return then(write, sheet_xml(rel, sheet, old, new))


def _topic(value: str):
    return edited((GROUP, "Занятия", 2, "Тема", value))


def _birth(value):
    return edited((LRN, "Слушатели", 2, "Дата рождения", value))


def _hours(value):
    return edited((ORG, "Программы", 2, "Объем, ак. ч", value))


def _snils(value):
    return edited((LRN, "Слушатели", 2, "СНИЛС", value))


ZERO_SNILS, ZERO_SNILS_TEXT = snils_with_leading_zero()
HOURS = "Объем, ак. ч"
HOURS_COL = col("Программы", HOURS)
TOPIC_COL = col("Занятия", "Тема")


# --- the corpus ----------------------------------------------------------------------------------

CASES: tuple[Case, ...] = (
    # Files that are not what their name says.
    Case("text_renamed_xlsx", then(valid, put(G2, "это не книга Excel\n".encode())), 1,
         (("workbook_unreadable", G2, None, None, None),)),
    Case("zip_renamed_xlsx", then(valid, put(G2, zip_of(**{"readme.txt": b"hello"}))), 1,
         (("workbook_unreadable", G2, None, None, None),)),
    Case("empty_file_xlsx", then(valid, put(G2, b"")), 1, (("workbook_unreadable", G2, None, None, None),)),
    Case("truncated_xlsx", then(valid, copy_group(G2), truncated(G2)), 1,
         (("workbook_unreadable", G2, None, None, None),)),
    Case("png_renamed_xlsx", then(valid, put(G2, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)), 1,
         (("workbook_unreadable", G2, None, None, None),)),
    Case("password_protected_group", then(valid, encrypted(GROUP)), 1,
         (("workbook_protected", GROUP, None, None, None),)),
    Case("password_protected_learners", then(valid, encrypted(LRN)), 1,
         (("workbook_protected", LRN, None, None, None),)),
    Case("old_xls_beside", then(valid, put("groups/ПК-2024-09.xls", OLE)), 1,
         (("unsupported_format", "groups/ПК-2024-09.xls", None, None, None),)),
    Case("old_xls_renamed_xlsx", then(valid, put(G2, OLE)), 1, (("workbook_protected", G2, None, None, None),)),
    Case("xlsm_beside", then(valid, copy_group("groups/ПК-2025-02.xlsm")), 1,
         (("unsupported_format", "groups/ПК-2025-02.xlsm", None, None, None),)),
    Case("ods_beside", then(valid, put("groups/ПК-2025-02.ods", zip_of(mimetype=b"x"))), 1,
         (("unsupported_format", "groups/ПК-2025-02.ods", None, None, None),)),
    Case("csv_beside", then(valid, put("groups/ПК-2025-02.csv", b"a;b\n")), 1,
         (("unsupported_format", "groups/ПК-2025-02.csv", None, None, None),)),
    Case("excel_lock_file_beside_group", then(valid, put("groups/~$ПК-2025-01.xlsx", b"\x05user" + b" " * 160)), 0,
         (("lock_file", "groups/~$ПК-2025-01.xlsx", None, None, None),), ("workbook_unreadable",)),
    Case("excel_lock_file_beside_organization", then(valid, put("~$organization.xlsx", b"\x05user" + b" " * 160)),
         0, (("lock_file", "~$organization.xlsx", None, None, None),), ("workbook_unreadable",)),
    Case("libreoffice_lock_file", then(valid, put("groups/.~lock.ПК-2025-01.xlsx#", b"x,host,1;")), 0,
         (("lock_file", "groups/.~lock.ПК-2025-01.xlsx#", None, None, None),)),
    Case("macos_appledouble_and_junk", then(valid, put("groups/._ПК-2025-01.xlsx", b"\x00\x05\x16\x07"),
                                             put("groups/Thumbs.db", OLE), put("groups/notes.txt", b"x")), 0),
    Case("folder_named_xlsx", then(valid, lambda f: (f / "groups" / "архив.xlsx").mkdir()), 0),
    # Missing pieces.
    Case("organization_missing", then(valid, remove(ORG)), 1, (("workbook_missing", ORG, None, None, None),)),
    Case("learners_wrong_case", then(valid, lambda f: (f / LRN).rename(f / "Learners.xlsx")), 1,
         (("workbook_missing", LRN, None, None, None),)),
    Case("groups_folder_missing", then(valid, remove(GROUP), remove("groups")), 1,
         (("groups_missing", "groups", None, None, None),)),
    Case("groups_folder_empty", then(valid, remove(GROUP)), 0, (("no_groups", "groups", None, None, None),)),
    Case("empty_workbook", then(valid, _empty_workbook), 1,
         (("missing_sheet", G2, "Группа", None, None), ("missing_sheet", G2, "Состав", None, None))),
    Case("blank_sheet", then(valid, _blank_sheet(GROUP, "Состав")), 1,
         (("sheet_no_header", GROUP, "Состав", 1, None),)),
    Case("missing_sheet", then(valid, drop_sheet(GROUP, "Занятия")), 1,
         (("missing_sheet", GROUP, "Занятия", None, None),)),
    Case("sheet_name_trailing_space", then(valid, rename_sheet(GROUP, "Состав", "Состав ")), 1,
         (("missing_sheet", GROUP, "Состав", None, None),)),
    Case("extra_sheet_and_hidden_sheets",
         then(valid, workbook(GROUP, lambda b: b.create_sheet("Лист1")), workbook(GROUP, _hide_sheet("hidden"))), 0),
    Case("very_hidden_sheet", then(valid, workbook(GROUP, _hide_sheet("veryHidden"))), 0),
    # Headers.
    Case("renamed_header", with_data(lambda d: _replace_header(d, LRN, "Слушатели", "ID слушателя", "ИД слушателя")),
         1, (("missing_column", LRN, "Слушатели", 1, "ID слушателя"),
             ("unknown_column", LRN, "Слушатели", 1, "ИД слушателя"))),
    Case("reordered_headers", with_data(lambda d: _reverse_columns(d, GROUP, "Занятия")), 0),
    Case("duplicated_header", with_data(lambda d: _add_column(d, GROUP, "Занятия", "Тема", ["x", "y"])), 1,
         (("duplicate_column", GROUP, "Занятия", 1, "Тема"),)),
    Case("extra_header", with_data(lambda d: _add_column(d, GROUP, "Занятия", "Примечание", ["x"])), 0,
         (("unknown_column", GROUP, "Занятия", 1, "Примечание"),)),
    Case("headers_with_nbsp_and_spaces",
         with_data(lambda d: _replace_header(d, GROUP, "Занятия", "Тема", "\u00a0 Тема\u200b ")), 0),
    Case("value_without_header", with_data(lambda d: _add_column(d, GROUP, "Занятия", None, ["забыли"])), 0,
         (("value_without_header", GROUP, "Занятия", 2, None),)),
    Case("header_on_row_two", with_data(lambda d: d[GROUP]["Состав"].insert(0, [None])), 1,
         (("header_not_first_row", GROUP, "Состав", 2, None),), ("sheet_no_header", "missing_column", "required")),
    Case("missing_parameter", with_data(lambda d: _drop_param(d, GROUP, "Группа", "Дата начала")), 1,
         (("missing_parameter", GROUP, "Группа", None, "Дата начала"),)),
    Case("duplicated_parameter",
         with_data(lambda d: d[GROUP]["Группа"].append(["Номер протокола", "2"])), 1,
         (("duplicate_parameter", GROUP, "Группа", 12, "Номер протокола"),)),
    # Merged cells and formulas.
    Case("merged_cells_in_table",
         then(valid, _merge(GROUP, "Состав", f"{col('Состав', 'Источник финансирования')}2:"
                                              f"{col('Состав', 'Источник финансирования')}3")), 1,
         (("merged_cells", GROUP, "Состав", 2, "Источник финансирования"),
          ("required", GROUP, "Состав", 3, "Источник финансирования"))),
    Case("formula_with_cached_value", then(valid, _formula(ORG, "Программы", f"{HOURS_COL}2", "=8*2", b"16")), 0,
         absent=("formula_no_value", "required")),
    Case("text_formula_with_cached_value",
         then(valid, _formula(GROUP, "Занятия", f"{TOPIC_COL}2", '=CONCAT("Тема"," 1")', xml_text("Тема 1"),
                              b' t="str"')), 0, absent=("formula_no_value",)),
    Case("formula_without_cached_value", then(valid, _formula(ORG, "Программы", f"{HOURS_COL}2", "=8*2", None)), 1,
         (("formula_no_value", ORG, "Программы", 2, HOURS),), ("required",)),
    Case("optional_formula_without_cached_value",
         then(valid, _formula(LRN, "Слушатели", f"{col('Слушатели', 'Место работы')}2", '=UPPER("x")', None)), 1,
         (("formula_no_value", LRN, "Слушатели", 2, "Место работы"),)),
    Case("keyvalue_formula_without_cached_value", then(valid, _formula(GROUP, "Группа", "B9", '="1"', None)), 1,
         (("formula_no_value", GROUP, "Группа", 9, "Номер протокола"),)),
    Case("formula_error_value",
         then(valid, _formula(GROUP, "Занятия", f"{TOPIC_COL}2", "=1/0", b"#DIV/0!", b' t="e"')), 1,
         (("formula_error", GROUP, "Занятия", 2, "Тема"),)),
    # Dates.
    Case("date_text_dotted", _birth("01.05.1990"), 0),
    Case("date_text_short_with_year_suffix", _birth("1.5.1990 г."), 0),
    Case("date_text_iso", _birth("1990-05-01"), 0),
    Case("date_datetime_with_time", _birth(dt.datetime(1990, 5, 1, 13, 45)), 0),
    Case("date_text_slashes", _birth("01/05/1990"), 1, (("format_date", LRN, "Слушатели", 2, "Дата рождения"),)),
    Case("date_text_two_digit_year", _birth("01.05.90"), 1,
         (("format_date", LRN, "Слушатели", 2, "Дата рождения"),)),
    Case("date_text_words", _birth("1 мая 1990"), 1, (("format_date", LRN, "Слушатели", 2, "Дата рождения"),)),
    Case("date_impossible", _birth("31.02.1990"), 1, (("date_invalid", LRN, "Слушатели", 2, "Дата рождения"),)),
    Case("date_as_serial_number", _birth(32994), 1, (("format_date", LRN, "Слушатели", 2, "Дата рождения"),)),
    # Numbers.
    Case("number_as_text", _hours("16"), 0),
    Case("number_as_text_decimal_comma", _hours("16,0"), 0),
    Case("number_as_text_with_spaces", _hours(" 1 6 "), 0),
    Case("number_as_float", _hours(16.0), 0),
    Case("number_with_unit", _hours("16 ч"), 1, (("format_int", ORG, "Программы", 2, HOURS),)),
    Case("number_fraction_in_whole_column", _hours(16.5), 1, (("format_int", ORG, "Программы", 2, HOURS),)),
    Case("number_negative", _hours(-16), 1, (("number_negative", ORG, "Программы", 2, HOURS),), ("format_int",)),
    Case("number_boolean", _hours(True), 1, (("format_int", ORG, "Программы", 2, HOURS),)),
    # СНИЛС.
    Case("snils_number_lost_leading_zero", _snils(ZERO_SNILS), 0,
         (("snils_leading_zeros", LRN, "Слушатели", 2, "СНИЛС"),)),
    Case("snils_number_whole", _snils(11223344595), 0),
    Case("snils_scientific_text", _snils("1,12233E+10"), 1,
         (("snils_scientific", LRN, "Слушатели", 2, "СНИЛС"),)),
    Case("snils_digits_and_dots", _snils("112.233.445.95"), 0),
    Case("snils_bad_checksum", _snils("112-233-445 96"), 1, (("snils_checksum", LRN, "Слушатели", 2, "СНИЛС"),)),
    Case("snils_too_short", _snils("112-233-44"), 1, (("format_snils", LRN, "Слушатели", 2, "СНИЛС"),)),
    # Size and visibility.
    Case("million_empty_formatted_rows", then(valid, workbook(LRN, _million_formatted_rows)), 0),
    Case("hidden_rows", then(valid, workbook(LRN, _hide_row)), 0, (("hidden_rows", LRN, "Слушатели", 3, None),)),
    Case("cell_of_32000_characters", _topic("Тема " + "ж" * 31_995), 0),
    Case("emoji", edited((GROUP, "Занятия", 2, "Тема", "Пожарная безопасность 🔥🧯"),
                         (LRN, "Слушатели", 2, "Место работы", "ООО «Ромашка» 🌼")), 0),
    # Look-alike and invisible characters.
    Case("latin_m_in_sex", edited((LRN, "Слушатели", 2, "Пол", "Mуж")), 1,
         (("code_lookalike", LRN, "Слушатели", 2, "Пол"),)),
    Case("latin_k_in_program_kind", edited((ORG, "Программы", 2, "Вид программы", "ПK")), 1,
         (("code_lookalike", ORG, "Программы", 2, "Вид программы"),)),
    Case("latin_c_in_order_kind", edited((GROUP, "Приказы", 2, "Вид приказа", "о зачиcлении")), 1,
         (("code_lookalike", GROUP, "Приказы", 2, "Вид приказа"),)),
    Case("latin_p_and_o_in_status", edited((GROUP, "Выдача документов", 2, "Статус документа", "Opигинaл")), 1,
         (("code_lookalike", GROUP, "Выдача документов", 2, "Статус документа"),)),
    Case("wrong_case_in_code", edited((LRN, "Слушатели", 2, "Пол", "муж")), 1,
         (("code_case", LRN, "Слушатели", 2, "Пол"),)),
    Case("nbsp_in_name_check", edited((GROUP, "Состав", 2, "ФИО (для проверки)", "Иванов\u00a0Иван\u00a0 Иванович")),
         0),
    Case("zero_width_in_ids", edited((GROUP, "Состав", 2, "ID слушателя", "L0\u200b01\u2060"),
                                     (LRN, "Слушатели", 2, "ID слушателя", "\ufeffL001")), 0),
    Case("control_character_in_text",
         then(valid, sheet_xml(GROUP, "Занятия", b"<t>" + xml_text("Тема 1") + b"</t>",
                               b"<t>" + xml_text("Тема_x0007_ 1") + b"</t>")), 1,
         (("control_character", GROUP, "Занятия", 2, "Тема"),)),
    # Cross-workbook mistakes.
    Case("group_named_in_two_workbooks", then(valid, copy_group(G2)), 1,
         (("group_duplicate", G2, "Группа", 2, "Номер группы"),)),
    Case("duplicate_learner_id", edited((LRN, "Слушатели", 3, "ID слушателя", "L001")), 1,
         (("not_unique", LRN, "Слушатели", 3, "ID слушателя"),)),
    Case("required_left_empty", edited((GROUP, "Занятия", 3, "Тема", "   ")), 1,
         (("required", GROUP, "Занятия", 3, "Тема"),)),
)


# --- issue 14: unusual input that gave wrong documents or misleading messages ---------------------

EXPORT = "groups/ПК-2025-01.moodle.csv"
EXPORTED = "Последние загруженные из этого курса"
MOODLE_HEADER = ["Имя", "Фамилия", "Адрес электронной почты", "Тест:Итоговый тест (Значение)",
                 "Итоговая оценка за курс (Значение)", EXPORTED]


def moodle(*rows: list, header: list | None = None, encoding: str = "utf-8", delimiter: str = ",") -> Callable:
    """Write the group's Moodle export (rows under MOODLE_HEADER unless `header`)."""
    def step(folder: Path) -> None:
        import csv

        out = io.StringIO(newline="")
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header or MOODLE_HEADER)
        writer.writerows(rows)
        (folder / EXPORT).write_bytes(out.getvalue().encode(encoding))

    return step


def graded(stamp, first="17,50", second="15,00") -> tuple[list, list]:
    return (["Иван", "Иванов", "", first, first, stamp], ["Ольга", "Семёнова-Грин", "", second, second, stamp])


def _testing_sheet(*rows: tuple) -> Callable[[Path], None]:
    """The optional sheet «Тестирование» with rows (id, test, date, score, max, pass mark)."""
    def change(d: Data) -> None:
        d[GROUP]["Тестирование"] = [headers("Тестирование")] + [list(r) for r in rows]

    return with_data(change)


def _ids_as_digits(d: Data) -> None:
    """The learners' IDs written as staff of many centres do: «00063», «00064»."""
    swap = {"L001": "00063", "L002": "00064"}
    for sheets in d.values():
        for rows in sheets.values():
            for row in rows:
                for i, value in enumerate(row):
                    if value in swap:
                        row[i] = swap[value]


def _digits_then(*cells: tuple) -> Callable[[Path], None]:
    def change(d: Data) -> None:
        _ids_as_digits(d)
        for rel, sheet, row, header, value in cells:
            set_cell(d, rel, sheet, row, header, value)

    return with_data(change)


def _far_cell(rel: str) -> Callable[[Path], None]:
    return workbook(rel, lambda b: b["Занятия"].__setitem__("XFD1048576", "x"))


def _filtered(b) -> None:
    sheet = b["Состав"]
    sheet.auto_filter.ref = sheet.dimensions
    sheet.row_dimensions[3].hidden = True


def _nomenclature(change: Callable[[list], None]) -> Callable[[Path], None]:
    def edit(d: Data) -> None:
        change(d[ORG]["Номенклатура дел"])

    return with_data(edit)


def _learners_only_headers(d: Data) -> None:
    d[LRN]["Слушатели"] = d[LRN]["Слушатели"][:1]


def _empty_group_template(folder: Path) -> None:
    """The group template of `uchet init` copied into groups/ and not filled in."""
    import shutil
    import tempfile

    from pipeline.intake.workbooks import GROUP_TEMPLATE, write_blank

    with tempfile.TemporaryDirectory() as blank:
        write_blank(Path(blank))
        shutil.copy(Path(blank) / GROUP_TEMPLATE, folder / G2)


def _second_group_same_people(d: Data) -> None:
    """The same two learners in a second group of the same program at the same time."""
    group = copy.deepcopy(d[GROUP])
    for row in group["Группа"]:
        if row[0] == "Номер группы":
            row[1] = "ПК-2025-02"
    d[G2] = group


NOMENCLATURE_COL = col("Номенклатура дел", "Носитель")

CASES += (
    # Moodle: every date form, members without a result.
    Case("moodle_date_russian_words", then(valid, moodle(*graded("2 декабря 2026, 14:05"))), 0,
         absent=("moodle_date", "moodle_no_date")),
    Case("moodle_date_russian_weekday", then(valid, moodle(*graded("среда, 2 декабря 2026, 14:05"))), 0,
         absent=("moodle_date",)),
    Case("moodle_date_english", then(valid, moodle(*graded("Wednesday, 2 December 2026, 2:05 PM"))), 0,
         absent=("moodle_date",)),
    Case("moodle_date_without_time", then(valid, moodle(*graded("2 декабря 2026"))), 0, absent=("moodle_date",)),
    Case("moodle_date_unix_time", then(valid, moodle(*graded("1796202300"))), 0, absent=("moodle_date",)),
    Case("moodle_date_cp1251_semicolons",
         then(valid, moodle(*graded("2 декабря 2026, 14:05"), encoding="cp1251", delimiter=";")), 0,
         absent=("moodle_date", "moodle_unmatched")),
    Case("moodle_date_unreadable", then(valid, moodle(*graded("вчера"))), 1,
         (("moodle_date", EXPORT, None, 2, EXPORTED), ("moodle_date", EXPORT, None, 3, EXPORTED))),
    Case("moodle_without_date_column",
         then(valid, moodle(["Иван", "Иванов", "", "17"], header=MOODLE_HEADER[:4])), 1,
         (("moodle_no_date", EXPORT, None, 1, None),)),
    Case("moodle_all_grades_dashes",
         then(valid, moodle(graded("2 декабря 2026")[0], ["Ольга", "Семёнова-Грин", "", "-", "-", "2 декабря 2026"])), 0,
         (("moodle_ungraded", EXPORT, None, 3, "Фамилия"),)),
    Case("moodle_member_not_in_export", then(valid, moodle(graded("2 декабря 2026")[0])), 0,
         (("moodle_member_missing", GROUP, "Состав", 3, "ID слушателя"),)),
    # Moodle may grant extra credit: 105 % in its own export is Moodle's figure, not a slip on the sheet
    # «Тестирование», whose rule (scores within the maximum) does not judge it.
    Case("test_score_moodle_percent_over_100",
         then(valid, moodle(["Иван", "Иванов", "", "105,00 %", "17,50", "2 декабря 2026"],
                            ["Ольга", "Семёнова-Грин", "", "90,00 %", "15,00", "2 декабря 2026"],
                            header=[*MOODLE_HEADER[:3], "Тест:Итоговый тест (Процент)", *MOODLE_HEADER[4:]])), 0,
         (), ("test_score_above_max",)),
    # Impossible test results on the sheet «Тестирование».
    Case("test_score_above_max", _testing_sheet(("L001", "Итоговый", dt.date(2025, 3, 7), 120, 20, 12)), 1,
         (("test_score_above_max", GROUP, "Тестирование", 2, "Баллы"),)),
    Case("test_pass_mark_above_max", _testing_sheet(("L001", "Итоговый", dt.date(2025, 3, 7), 18, 20, 150)), 1,
         (("test_threshold_above_max", GROUP, "Тестирование", 2, "Проходной балл"),)),
    Case("test_score_negative", _testing_sheet(("L001", "Итоговый", dt.date(2025, 3, 7), -5, 20, 12)), 1,
         (("number_negative", GROUP, "Тестирование", 2, "Баллы"),), ("format_number",)),
    Case("test_max_zero", _testing_sheet(("L001", "Итоговый", dt.date(2025, 3, 7), 0, 0, 0)), 1,
         (("test_max_not_positive", GROUP, "Тестирование", 2, "Максимум"),)),
    Case("test_score_decimal_comma_text", _testing_sheet(("L001", "Итоговый", dt.date(2025, 3, 7), "17,5", 20, 12)),
         0),
    # The номенклатура дел.
    Case("nomenclature_empty", _nomenclature(lambda rows: rows.__delitem__(slice(1, None))), 1,
         (("nomenclature_missing", ORG, "Номенклатура дел", None, "Носитель"),)),
    Case("nomenclature_title_instead_of_key",
         edited((ORG, "Номенклатура дел", 3, "Носитель", "Приказ о зачислении")), 1,
         (("not_in_list", ORG, "Номенклатура дел", 3, "Носитель"),), ("nomenclature_missing",)),
    Case("nomenclature_key_typo", edited((ORG, "Номенклатура дел", 2, "Носитель", "jornal")), 1,
         (("not_in_list", ORG, "Номенклатура дел", 2, "Носитель"),), ("nomenclature_missing",)),
    Case("nomenclature_row_deleted", _nomenclature(lambda rows: rows.__delitem__(1)), 1,
         (("nomenclature_missing", ORG, "Номенклатура дел", None, "Носитель"),)),
    Case("nomenclature_key_with_spaces", edited((ORG, "Номенклатура дел", 2, "Носитель", " journal ")), 0),
    # Rows the person who looks at the sheet does not see.
    Case("rows_hidden_by_filter", then(valid, workbook(GROUP, _filtered)), 0,
         (("hidden_rows", GROUP, "Состав", 3, None),)),
    # IDs Excel turned into numbers.
    Case("learner_id_number_in_group", _digits_then(*((GROUP, sheet, 2, "ID слушателя", 63) for sheet in (
        "Состав", "Посещаемость", "Промежуточная аттестация", "Итоговая аттестация", "Выдача документов"))), 1,
         (("id_leading_zeros", GROUP, "Состав", 2, "ID слушателя"),), ("ref_learner_unknown",)),
    Case("learner_id_number_in_learners", _digits_then((LRN, "Слушатели", 2, "ID слушателя", 63)), 1,
         (("id_leading_zeros", LRN, "Слушатели", 2, "ID слушателя"),), ("ref_learner_unknown", "ref_not_member")),
    Case("learner_id_number_on_one_sheet",
         _digits_then(*((GROUP, "Состав", 2, "ID слушателя", 63), (GROUP, "Посещаемость", 2, "ID слушателя", "00063"))),
         1, (("id_leading_zeros", GROUP, "Состав", 2, "ID слушателя"),),
         ("ref_learner_unknown", "ref_not_member", "attendance_member_missing", "final_missing")),
    Case("learner_ids_as_digits_typed_as_text", with_data(_ids_as_digits), 0),
    # A result in the wrong scale for its form.
    Case("mark_for_pass_fail_final", edited((GROUP, "Итоговая аттестация", 2, "Результат", "5")), 1,
         (("mark_for_pass_fail", GROUP, "Итоговая аттестация", 2, "Результат"),)),
    Case("mark_for_pass_fail_interim", edited((GROUP, "Промежуточная аттестация", 3, "Результат", "4")), 1,
         (("mark_for_pass_fail", GROUP, "Промежуточная аттестация", 3, "Результат"),)),
    Case("pass_fail_for_exam",
         edited((ORG, "Программы", 2, "Форма итоговой аттестации", "итоговый экзамен")), 1,
         (("pass_fail_for_mark", GROUP, "Итоговая аттестация", 2, "Результат"),)),
    # Bombs.
    Case("value_at_xfd1048576", then(valid, copy_group(G2), _far_cell(G2)), 1,
         (("workbook_too_large", G2, None, None, None),)),
    # Root cause first.
    Case("learners_only_headers", with_data(_learners_only_headers), 1,
         (("learners_empty", LRN, "Слушатели", 2, None),), ("ref_learner_unknown",)),
    Case("learners_saved_as_xls", then(valid, put(LRN, OLE), moodle(*graded("2 декабря 2026"))), 1,
         (("workbook_protected", LRN, None, None, None),), ("moodle_unmatched", "ref_learner_unknown")),
    Case("learners_missing_with_moodle", then(valid, remove(LRN), moodle(*graded("2 декабря 2026"))), 1,
         (("workbook_missing", LRN, None, None, None),), ("moodle_unmatched", "ref_learner_unknown")),
    Case("title_row_above_headers",
         with_data(lambda d: d[GROUP]["Занятия"].insert(0, ["Учебные занятия группы ПК-2025-01"])), 1,
         (("header_not_first_row", GROUP, "Занятия", 2, None),),
         ("missing_column", "unknown_column", "required", "attendance_lesson_extra")),
    Case("title_and_blank_row_above_headers",
         with_data(lambda d: d[GROUP]["Состав"].__setitem__(slice(0, 0), [["Состав группы"], [None]])), 1,
         (("header_not_first_row", GROUP, "Состав", 3, None),), ("missing_column", "ref_not_member")),
    Case("title_row_above_parameters",
         with_data(lambda d: d[GROUP]["Группа"].insert(0, ["Карточка группы ПК-2025-01"])), 1,
         (("header_not_first_row", GROUP, "Группа", 2, None),), ("unknown_parameter", "missing_parameter")),
    # What Excel, LibreOffice and tired people produce.
    Case("merged_header_cells", then(valid, _merge(GROUP, "Занятия", f"{TOPIC_COL}1:{col('Занятия', 'Вид занятия')}1")),
         1, (("merged_header", GROUP, "Занятия", 1, "Тема"),), ("missing_column", "value_without_header", "merged_cells")),
    Case("header_with_trailing_spaces", with_data(lambda d: _replace_header(d, GROUP, "Состав", "Статус", "Статус   ")), 0),
    Case("lesson_date_as_dotted_text", edited((GROUP, "Занятия", 2, "Дата", "04.03.2025")), 0),
    Case("lesson_date_with_year_suffix", edited((GROUP, "Занятия", 2, "Дата", "4.3.2025 г.")), 0),
    Case("lesson_date_1900_serial_number", edited((GROUP, "Занятия", 2, "Дата", 45720)), 1,
         (("format_date", GROUP, "Занятия", 2, "Дата"),)),
    Case("formula_ref_error", then(valid, _formula(GROUP, "Занятия", f"{TOPIC_COL}3", "=#REF!", b"#REF!", b' t="e"')), 1,
         (("formula_error", GROUP, "Занятия", 3, "Тема"),)),
    Case("sheet_name_in_capitals", then(valid, rename_sheet(GROUP, "Состав", "СОСТАВ")), 1,
         (("missing_sheet", GROUP, "Состав", None, None),)),
    Case("group_template_copied_unfilled", then(valid, _empty_group_template), 1,
         (("group_blank", G2, None, None, None),), ("required",)),
    Case("learner_in_two_groups_at_once", with_data(_second_group_same_people), 1,
         (("enrolment_overlap", G2, "Состав", 2, "ID слушателя"),)),
    Case("lesson_hours_negative", edited((GROUP, "Занятия", 2, "Часы", "-4")), 1,
         (("number_negative", GROUP, "Занятия", 2, "Часы"),)),
    Case("result_capitalised", edited((GROUP, "Итоговая аттестация", 2, "Результат", "Зачтено")), 1,
         (("code_case", GROUP, "Итоговая аттестация", 2, "Результат"),)),
    Case("signed_flag_in_capitals", edited((GROUP, "Группа", None, "Документы подписаны", "ДА")), 1,
         (("code_case", GROUP, "Группа", 10, "Документы подписаны"),)),
    Case("attendance_mark_latin_letter", edited((GROUP, "Посещаемость", 2, 1, "H")), 1,
         (("code_lookalike", GROUP, "Посещаемость", 2, "1"),)),
    Case("blank_row_between_members",
         with_data(lambda d: d[GROUP]["Состав"].insert(2, [None] * len(headers("Состав")))), 0),
    Case("group_number_trailing_nbsp", edited((GROUP, "Группа", None, "Номер группы", "ПК-2025-01\u00a0")), 0),
    Case("snils_with_en_dashes", _snils("112–233–445 95"), 0),
    Case("hours_with_trailing_nbsp", _hours("16\u00a0"), 0),
    Case("number_with_unicode_minus", _hours("\u221216"), 1, (("number_negative", ORG, "Программы", 2, HOURS),)),
    Case("moodle_export_with_teacher_row",
         then(valid, moodle(*graded("2 декабря 2026"), ["Петр", "Сидоров", "teacher@example.ru", "-", "-", "2 декабря 2026"])),
         0, (("moodle_unmatched", EXPORT, None, 4, "Фамилия"),)),
)
