"""Write the staff workbooks from the input contract: filled from a Dataset, or blank for `uchet init`.

One writer for both: every sheet of `schemas.SHEETS` with its headers in order, text format for
identifiers, СНИЛС and document numbers (so leading zeros survive), real dates shown ДД.ММ.ГГГГ,
drop-down lists for coded columns (long ones or ones with commas through a hidden sheet «Списки»),
frozen header rows, column widths from the schema and a sheet «Инструкция». Workbooks are written in
openpyxl's write-only mode (the benchmark writes hundreds of them) and repacked with fixed timestamps,
so the same data gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from pipeline.core.dataset import Dataset, Group
from pipeline.core.fsutil import atomic_write_bytes, safe_component
from pipeline.core.xlsx_safe import looks_like_formula
from pipeline.core.xlsx_writer import (
    DATE_FORMAT,
    TEXT_FORMAT,
    column_letter,
    freeze_header,
    new_workbook,
    set_widths,
    stable_bytes,
    stream_cell,
    style_header,
    text_cell,
)
from pipeline.intake import moodle, nomenclature
from schemas import GROUP_FILE, GROUPS_DIR, LEARNERS_FILE, ORGANIZATION_FILE, SheetSpec, columns, sheets_of
from schemas.organization import NomenclatureSheet

TEXT_KINDS = ("id", "snils", "docno")
LISTS_SHEET = "Списки"
GUIDE_SHEET = "Инструкция"
GROUP_TEMPLATE = "Образец книги группы.xlsx"
KEYVALUE_HEADER = ("Параметр", "Значение")
# Rows below the data that still get drop-downs, so staff can add records.
SPARE_ROWS = 500
BLANK_ROWS = 1000
GRID_SPARE_LESSONS = 120
INLINE_LIST_LIMIT = 250

SHEET_PURPOSE = {
    "Организация": "Сведения об организации, которые печатаются в документах. Заполняется столбец «Значение».",
    "Программы": "Образовательные программы: одна строка на программу.",
    "Модули": "Учебный план каждой программы: модули (разделы) с часами; сумма часов равна объему программы.",
    "Сотрудники": "Преподаватели, экзаменаторы, члены комиссий, подписанты приказов.",
    "Комиссии": "Состав аттестационных комиссий: одна строка на члена комиссии.",
    "Номенклатура дел": "Куда подшивается каждый документ и сколько он хранится (одна строка на вид документа).",
    "Экспертная комиссия": "Состав экспертной комиссии по архиву (ЭК): одна строка на члена комиссии, с номером и датой "
    "приказа о ее составе. Новый приказ — новые строки с его номером; прежние строки не удаляйте.",
    "Заседания ЭК": "Заседания экспертной комиссии: строка на протокол. Документы по акту о выделении к уничтожению "
    "уничтожаются только после записи о протоколе, утвердившем этот акт.",
    "Слушатели": "Все слушатели, по одной строке на человека, сколько бы программ он ни прошел.",
    "Поощрения": "Необязательный лист: благодарности, грамоты и другие поощрения слушателей, с приказом "
    "(решением), которым они объявлены; номер группы — если поощрение связано с группой.",
    "Группа": "Сведения о группе. Заполняется столбец «Значение».",
    "Приказы": "Приказы по группе: о зачислении, о комиссии, об окончании обучения, об отчислении.",
    "Состав": "Кто зачислен в группу, по какому договору и чем закончилось обучение.",
    "Занятия": "Проведенные занятия по порядку; часы по модулю должны совпасть с учебным планом.",
    "Посещаемость": "Слушатели × занятия: столбец на каждое занятие, в заголовке № занятия; пусто = присутствовал.",
    "Промежуточная аттестация": "Результаты по модулям: строка на слушателя и модуль.",
    "Итоговая аттестация": "Результат итоговой аттестации: строка на слушателя.",
    "Выдача документов": "Выданные документы об обучении и о квалификации.",
    "Тестирование": "Необязательный лист: результаты тестов в системе дистанционного обучения.",
}
WORKBOOK_PURPOSE = {
    ORGANIZATION_FILE: "Справочники организации: сведения, программы, модули, сотрудники, комиссии, номенклатура дел, "
    "экспертная комиссия и ее заседания.",
    LEARNERS_FILE: "Список слушателей: персональные данные один раз на человека; группы ссылаются на «ID слушателя»; "
    "поощрения слушателей.",
    GROUP_FILE: "Рабочая книга одной учебной группы. Скопируйте образец в папку groups/ и назовите "
    "по номеру группы, например groups/ПК-2025-01.xlsx.",
}


@dataclass(frozen=True)
class SheetData:
    """What one sheet holds: records as {attribute: value}; for the grid also the lesson numbers."""

    spec: SheetSpec
    records: list[dict[str, Any]]
    lessons: tuple[int, ...] = ()
    marks: dict[tuple[str, int], str] | None = None  # (learner id, lesson) -> mark, grid only


# --- from the Dataset to records ------------------------------------------------------------------

_ALIASES = {
    "learner": "learner_id", "teacher": "teacher_id", "examiner": "examiner_id", "signatory": "signatory_id",
    "curator": "curator_id", "commission": "commission_id", "staff": "staff_id",
}


def _record(obj: Any, spec: SheetSpec, **extra: Any) -> dict[str, Any]:
    """Give {attribute: value} for a sheet's columns, read from a Dataset record by matching names."""
    out = {}
    for attr, _header, _meta in columns(spec):
        if attr in extra:
            out[attr] = extra[attr]
        elif hasattr(obj, attr):
            out[attr] = getattr(obj, attr)
        elif attr in _ALIASES and hasattr(obj, _ALIASES[attr]):
            out[attr] = getattr(obj, _ALIASES[attr])
        elif hasattr(obj, "person") and hasattr(obj.person, attr):
            out[attr] = getattr(obj.person, attr)
        else:
            out[attr] = None
        if hasattr(out[attr], "value") and hasattr(out[attr], "positive"):  # a Result
            out[attr] = out[attr].value
    return out


def _organization_sheets(ds: Dataset) -> dict[str, list[dict[str, Any]]]:
    specs = {s.name: s for s in sheets_of(ORGANIZATION_FILE)}
    commissions = [
        _record(m, specs["Комиссии"], commission=c.id, order_no=c.order_no, order_date=c.order_date)
        for c in ds.commissions.values() for m in c.members
    ]
    nomenclature = [
        _record(r, specs["Номенклатура дел"], retention=r.retention_text,
                status="утверждено" if r.approved else "требует решения ЭК")
        for r in ds.nomenclature.values()
    ]
    return {
        "Организация": [_record(ds.organization, specs["Организация"])],
        "Программы": [_record(p, specs["Программы"]) for p in ds.programs.values()],
        "Модули": [_record(m, specs["Модули"]) for p in ds.programs.values() for m in p.modules],
        "Сотрудники": [_record(s, specs["Сотрудники"]) for s in ds.staff.values()],
        "Комиссии": commissions,
        "Номенклатура дел": nomenclature,
        "Экспертная комиссия": [
            _record(m, specs["Экспертная комиссия"], order_no=o.order_no, order_date=o.order_date)
            for o in ds.expert_orders for m in o.members
        ],
        "Заседания ЭК": [
            _record(m, specs["Заседания ЭК"], acts=", ".join(map(str, m.acts)) or None,
                    case_indexes=", ".join(m.case_indexes) or None)
            for m in ds.expert_meetings
        ],
    }


def _group_sheets(ds: Dataset, group: Group) -> dict[str, list[dict[str, Any]]]:
    specs = {s.name: s for s in sheets_of(GROUP_FILE)}
    names = {m.learner_id: ds.learners[m.learner_id].person.full_name for m in group.members}
    sheets = {
        "Группа": [_record(group, specs["Группа"], program=group.program_code)],
        "Приказы": [_record(o, specs["Приказы"]) for o in group.orders],
        "Состав": [_record(m, specs["Состав"], full_name=names[m.learner_id]) for m in group.members],
        "Занятия": [_record(x, specs["Занятия"]) for x in group.lessons],
        "Посещаемость": [{"learner": m.learner_id, "full_name": names[m.learner_id]} for m in group.members],
        "Промежуточная аттестация": [_record(x, specs["Промежуточная аттестация"]) for x in group.interim],
        "Итоговая аттестация": [_record(x, specs["Итоговая аттестация"]) for x in group.final],
        "Выдача документов": [_record(x, specs["Выдача документов"]) for x in group.issued],
    }
    on_sheet = [x for x in group.tests if x.src.file == group.file]  # the others come from a Moodle export
    if on_sheet:
        sheets["Тестирование"] = [_record(x, specs["Тестирование"]) for x in on_sheet]
    return sheets


def group_file(number: str) -> str:
    """Give a group's workbook path relative to the input folder."""
    return f"{GROUPS_DIR}/{safe_component(number)}.xlsx"


def write_input(dataset: Dataset, directory: Path) -> None:
    """Write organization.xlsx, learners.xlsx and groups/<группа>.xlsx for a Dataset into `directory`."""
    directory = Path(directory)
    org = _organization_sheets(dataset)
    _save(directory / ORGANIZATION_FILE, ORGANIZATION_FILE,
          [SheetData(s, org[s.name]) for s in sheets_of(ORGANIZATION_FILE)])
    learners_spec, awards_spec = sheets_of(LEARNERS_FILE)
    _save(directory / LEARNERS_FILE, LEARNERS_FILE,
          [SheetData(learners_spec, [_record(x, learners_spec) for x in dataset.learners.values()]),
           SheetData(awards_spec, [_record(x, awards_spec) for x in dataset.awards])])
    for group in dataset.groups.values():
        content = _group_sheets(dataset, group)
        marks = {(m.learner_id, m.lesson): m.mark for m in group.marks}
        lessons = tuple(x.number for x in group.lessons)
        data = [
            SheetData(s, content[s.name], lessons if s.layout == "grid" else (), marks if s.layout == "grid" else None)
            for s in sheets_of(GROUP_FILE) if s.name in content
        ]
        _save(directory / group_file(group.number), GROUP_FILE, data)
        for export in dict.fromkeys(x.src.file for x in group.tests if x.src.file != group.file):
            tests = [x for x in group.tests if x.src.file == export]
            atomic_write_bytes(directory / export, moodle.export_csv(group, tests, dataset.learners))


PREFILLED = {nomenclature.SHEET: nomenclature.recommended_rows}
"""Sheets `write_blank` fills with recommended records; a workbook holding only these is still blank."""
LISTED = {(nomenclature.SHEET, NomenclatureSheet.carrier): lambda: tuple(nomenclature.case_keys())}
"""(sheet, header) -> the drop-down list of a column whose values the schema cannot hold: the carrier
keys come from the registry."""


def write_blank(directory: Path) -> None:
    """Write the three kinds of workbook with headers, lists and instructions but no records.

    The group workbook is a template beside the folder `groups/` (left empty): staff copy it into
    `groups/` under the group's number, so an unfilled template is never read as a group.
    """
    directory = Path(directory)
    (directory / GROUPS_DIR).mkdir(parents=True, exist_ok=True)
    for kind, path in ((ORGANIZATION_FILE, ORGANIZATION_FILE), (LEARNERS_FILE, LEARNERS_FILE),
                       (GROUP_FILE, GROUP_TEMPLATE)):
        # The номенклатура дел comes filled with the recommended rows: a new centre starts complete.
        _save(directory / path, kind, [SheetData(s, PREFILLED.get(s.name, list)()) for s in sheets_of(kind)],
              blank=True)


# --- the writer -------------------------------------------------------------------------------------


class _Lists:
    """The hidden «Списки» sheet: one column per list too long (or too comma-laden) to write inline."""

    def __init__(self) -> None:
        self.columns: list[tuple[str, tuple[str, ...]]] = []

    def formula(self, header: str, values: tuple[str, ...]) -> str:
        joined = ",".join(values)
        if len(joined) <= INLINE_LIST_LIMIT and not any("," in v or '"' in v for v in values):
            return f'"{joined}"'
        known = [v for _h, v in self.columns]
        if values in known:
            index = known.index(values)
        else:
            index = len(self.columns)
            self.columns.append((header, values))
        letter = column_letter(index + 1)
        return f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"


def _validation(formula: str, header: str, hint: str, sqref: str) -> DataValidation:
    dv = DataValidation(
        type="list", formula1=formula, allow_blank=True, showDropDown=False, showErrorMessage=True,
        errorTitle="Недопустимое значение", error=f"«{header}»: выберите значение из списка. {hint}"[:255],
        errorStyle="stop",
    )
    dv.add(sqref)
    return dv


def _cell(ws, value: Any, kind: str) -> Any:
    """Give a cell value typed for Excel: real dates, whole numbers, text that stays text."""
    if value is None:
        if kind in TEXT_KINDS or kind == "date":
            cell = stream_cell(ws)
            cell.number_format = DATE_FORMAT if kind == "date" else TEXT_FORMAT
            return cell
        return None
    if isinstance(value, bool):
        return "да" if value else "нет"
    if kind == "date":
        cell = stream_cell(ws, value)
        cell.number_format = DATE_FORMAT
        return cell
    if kind in TEXT_KINDS:
        return text_cell(stream_cell(ws), str(value), quote=False, number_format=TEXT_FORMAT)
    if kind == "int":
        return int(value)
    if kind == "number":
        return int(value) if float(value).is_integer() else float(value)
    text = str(value)
    return text_cell(stream_cell(ws), text) if looks_like_formula(text) else text


def _header(ws, text: str):
    return style_header(stream_cell(ws, text), vertical="center")


def _table(wb: Workbook, data: SheetData, lists: _Lists, blank: bool) -> None:
    spec = data.spec
    ws = wb.create_sheet(spec.name)
    grid = spec.layout == "grid"
    fixed = [(attr, header, meta) for attr, header, meta in columns(spec) if not header.startswith("^")]
    repeated = next((meta for _a, header, meta in columns(spec) if header.startswith("^")), None)
    last_row = (BLANK_ROWS if blank else len(data.records) + 1 + SPARE_ROWS)
    for index, (_attr, header, meta) in enumerate(fixed, start=1):
        dim = ws.column_dimensions[column_letter(index)]
        dim.width = meta.get("width", 18)
        if meta.get("kind") in TEXT_KINDS:
            dim.number_format = TEXT_FORMAT
        elif meta.get("kind") == "date":
            dim.number_format = DATE_FORMAT
        values = meta.get("values") or LISTED.get((spec.name, header), tuple)()
        if values:
            letter = column_letter(index)
            ws.data_validations.append(_validation(
                lists.formula(header, values), header, meta.get("hint", ""), f"{letter}2:{letter}{last_row}"))
    if grid and repeated:
        first = len(fixed) + 1
        width = max(len(data.lessons), 1) + (GRID_SPARE_LESSONS if blank else 0)
        for offset in range(width):
            ws.column_dimensions[column_letter(first + offset)].width = repeated.get("width", 4)
        span = f"{column_letter(first)}2:{column_letter(first + width - 1)}{last_row}"
        ws.data_validations.append(_validation(lists.formula("Отметка", repeated["values"]), "Отметка",
                                               repeated.get("hint", ""), span))
    freeze_header(ws, columns=2 if grid else 0)
    ws.append([_header(ws, header) for _a, header, _m in fixed] + [_header(ws, str(n)) for n in data.lessons])
    kinds = [meta.get("kind", "text") for _a, _h, meta in fixed]
    attrs = [attr for attr, _h, _m in fixed]
    for record in data.records:
        row = [_cell(ws, record.get(attr), kind) for attr, kind in zip(attrs, kinds, strict=True)]
        if grid:
            learner = record["learner"]
            row += [data.marks.get((learner, n)) for n in data.lessons]
        ws.append(row)


def _keyvalue(wb: Workbook, data: SheetData, lists: _Lists) -> None:
    spec = data.spec
    ws = wb.create_sheet(spec.name)
    record = data.records[0] if data.records else {}
    set_widths(ws, [34, max(meta.get("width", 18) for _a, _h, meta in columns(spec)), 60])
    freeze_header(ws)
    ws.append([_header(ws, KEYVALUE_HEADER[0]), _header(ws, KEYVALUE_HEADER[1]), _header(ws, "Подсказка")])
    for row, (attr, header, meta) in enumerate(columns(spec), start=2):
        kind = meta.get("kind", "text")
        if meta.get("values"):
            ws.data_validations.append(_validation(lists.formula(header, meta["values"]), header,
                                                   meta.get("hint", ""), f"B{row}"))
        ws.append([header, _cell(ws, record.get(attr), kind), _hint(meta)])


def _hint(meta: dict) -> str:
    required = "обязательно" if meta.get("required") else "необязательно"
    return f"{meta.get('hint', '')}; {required}"


def _lists_sheet(wb: Workbook, lists: _Lists) -> None:
    ws = wb.create_sheet(LISTS_SHEET)
    ws.sheet_state = "hidden"
    set_widths(ws, [40] * len(lists.columns))
    ws.append([header for header, _v in lists.columns])
    longest = max((len(v) for _h, v in lists.columns), default=0)
    for i in range(longest):
        ws.append([values[i] if i < len(values) else None for _h, values in lists.columns])


def _guide_rows(kind: str) -> Iterator[list[Any]]:
    yield ["Инструкция по заполнению"]
    yield [WORKBOOK_PURPOSE[kind]]
    yield [""]
    yield ["Как работать: заполните листы, сохраните книгу в формате .xlsx в папке input/ "
           "(книги групп — в input/groups/) и выполните в папке проекта команду «make». "
           "Программа проверит все книги; если найдены ошибки, их список будет в output/errors.xlsx, "
           "рядом — копии книг с ошибочными ячейками, выделенными красным. Только проверка: «make validate»."]
    yield ["Даты вводите как ДД.ММ.ГГГГ. Столбцы с кодами, СНИЛС и номерами документов имеют текстовый формат, "
           "чтобы ведущие нули не пропадали. Значения столбцов со списком выбирайте из раскрывающегося списка. "
           "Строки связываются по кодам (ID слушателя, табельный №, код программы), а не по ФИО."]
    for spec in sheets_of(kind):
        yield [""]
        optional = " (необязательный лист)" if not spec.required else ""
        yield [f"Лист «{spec.name}»{optional}", SHEET_PURPOSE.get(spec.name, "")]
        yield ["Столбец" if spec.layout != "keyvalue" else "Параметр", "Обязательный", "Формат и допустимые значения"]
        for _attr, header, meta in columns(spec):
            name = "№ занятия (1, 2, 3 …)" if header.startswith("^") else header
            values = meta.get("values")
            allowed = meta.get("hint", "")
            if values and len(values) <= 12:
                allowed = f"{allowed}: {', '.join(values)}"
            elif values:
                allowed = f"{allowed}: {len(values)} значений, выберите из списка"
            yield [name, "да" if meta.get("required") else "нет", allowed]


def _guide(wb: Workbook, kind: str) -> None:
    ws = wb.create_sheet(GUIDE_SHEET)
    set_widths(ws, [40, 14, 90])
    for row in _guide_rows(kind):
        if len(row) == 1 or row[0].startswith("Лист «") or row[0] in ("Столбец", "Параметр"):
            first = _header(ws, row[0]) if row[0] else None
            ws.append([first, *row[1:]])
        else:
            ws.append(row)


def _save(path: Path, kind: str, sheets: Iterable[SheetData], blank: bool = False) -> None:
    wb = new_workbook(write_only=True)
    lists = _Lists()
    for data in sheets:
        if data.spec.layout == "keyvalue":
            _keyvalue(wb, data, lists)
        else:
            _table(wb, data, lists, blank)
    _guide(wb, kind)
    if lists.columns:
        _lists_sheet(wb, lists)
    atomic_write_bytes(path, stable_bytes(wb))
