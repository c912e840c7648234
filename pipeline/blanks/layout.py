"""The blank layout workbook (input/blanks.xlsx): where each variable field goes on a pre-printed blank.

Three sheets, edited by staff:
- «Бланки»: per kind of document the sheet size in millimetres and the underlay image (a scan or photo
  of the empty blank, a file beside the workbook) that proof mode prints under the fields;
- «Макет бланка»: one row per field: kind, field (a name from the list in «Инструкция»), X and Y of the
  field's top-left corner in millimetres from the sheet's top-left corner, width in millimetres (longer
  text wraps inside it), font size, alignment;
- «Принтеры»: per printer a calibration offset in millimetres (to the right, down), added to every field.

Measured with a ruler on a real blank: that is why millimetres from the top-left corner, not points.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import openpyxl

from pipeline.carriers.qualification import KINDS, PK, PO, PP
from pipeline.core.errors import UchetError

LAYOUT_FILE = "blanks.xlsx"
BLANKS_SHEET = "Бланки"
FIELDS_SHEET = "Макет бланка"
PRINTERS_SHEET = "Принтеры"
GUIDE_SHEET = "Инструкция"

BLANK_HEADERS = ("Вид документа", "Ширина листа, мм", "Высота листа, мм", "Подложка (файл)")
FIELD_HEADERS = ("Вид документа", "Поле", "X, мм", "Y, мм", "Ширина, мм", "Размер шрифта, пт", "Выравнивание")
PRINTER_HEADERS = ("Принтер", "Сдвиг вправо, мм", "Сдвиг вниз, мм")
ALIGNMENTS = ("слева", "по центру", "справа")

# The fields a layout may place: the document's context, by the names staff see in «Инструкция».
FIELDS = {
    "doc.series_number": "серия и номер бланка (как в «Выдаче документов»)",
    "doc.series": "серия бланка",
    "doc.number": "номер бланка",
    "doc.reg_no": "регистрационный номер",
    "doc.date": "дата выдачи («23 января 2025 г.»)",
    "doc.date_short": "дата выдачи («23.01.2025»)",
    "doc.duplicate": "отметка «ДУБЛИКАТ» (пусто для оригинала)",
    "doc.duplicate_note": "«Дубликат выдан взамен …» (пусто для оригинала)",
    "org.full_name": "полное наименование организации",
    "org.short_name": "сокращенное наименование организации",
    "org.city": "город",
    "learner.full_name": "ФИО в именительном падеже",
    "learner.surname": "фамилия",
    "learner.name_patronymic": "имя и отчество",
    "learner.dative": "ФИО в дательном падеже («Иванову Ивану Ивановичу»)",
    "period": "срок обучения («с 20 января 2025 г. по 22 января 2025 г.»)",
    "program.name": "наименование программы",
    "hours": "объем («16 академических часов»)",
    "qualification": "квалификация (профессия)",
    "rank": "разряд («3-го разряда»)",
    "protocol": "протокол комиссии («от 22.01.2025 № 1»)",
    "final.result": "результат итоговой аттестации",
    "signers.0.name": "первая подпись: И.О. Фамилия",
    "signers.1.name": "вторая подпись: И.О. Фамилия",
    "signers.2.name": "третья подпись: И.О. Фамилия",
}


@dataclass(frozen=True)
class Field:
    kind: str
    name: str
    x_mm: float
    y_mm: float
    width_mm: float
    size_pt: float
    align: str
    row: int


@dataclass(frozen=True)
class Blank:
    kind: str
    width_mm: float
    height_mm: float
    underlay: Path | None
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Printer:
    name: str
    dx_mm: float
    dy_mm: float


@dataclass(frozen=True)
class Layout:
    blanks: dict[str, Blank]
    printers: dict[str, Printer]


def _fail(path: Path, sheet: str, row: int | None, column: str | None, what: str, fix: str) -> UchetError:
    place = ", ".join(p for p in (path.name, f"лист «{sheet}»", f"строка {row}" if row else "",
                                  f"столбец «{column}»" if column else "") if p)
    return UchetError(f"{place}: {what} {fix}")


def _rows(path: Path, wb, sheet: str, headers: tuple[str, ...], required: tuple[str, ...]):
    """Give (Excel row, {header: value}) for a sheet whose first row holds `headers` (any order)."""
    if sheet not in wb.sheetnames:
        raise _fail(path, sheet, None, None, "нет листа.", f"Добавьте лист «{sheet}» (образец: uchet blanks --init-layout).")
    rows = wb[sheet].iter_rows(values_only=True)
    head = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    for h in required:
        if h not in head:
            raise _fail(path, sheet, 1, h, "нет столбца.", f"Добавьте столбец «{h}» в строку заголовков.")
    for n, values in enumerate(rows, start=2):
        record = {h: v for h, v in zip(head, values, strict=False) if h in headers}
        if all(v is None or str(v).strip() == "" for v in record.values()):
            continue
        yield n, record


def _number(path: Path, sheet: str, row: int, column: str, value, *, positive: bool = False) -> float:
    try:
        number = float(str(value).replace(",", ".").strip())
    except (TypeError, ValueError):
        raise _fail(path, sheet, row, column, f"«{value if value is not None else ''}» — не число.",
                    "Введите число миллиметров (пунктов), десятичная часть через запятую.") from None
    if positive and number <= 0:
        raise _fail(path, sheet, row, column, f"«{value}» — должно быть больше нуля.", "Введите положительное число.")
    return number


def read_layout(path: Path) -> Layout:
    """Read and check input/blanks.xlsx; a mistake is reported with its sheet, row and column."""
    if not path.is_file():
        raise UchetError(f"Нет книги макетов бланков «{path}». Создайте образец командой "
                         f"«uchet blanks --init-layout» и поправьте его под свои бланки.")
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise UchetError(f"Книгу «{path}» не удается прочитать: {exc}. Сохраните ее как «Книга Excel (*.xlsx)».") from None
    try:
        fields: dict[str, list[Field]] = {}
        for row, r in _rows(path, wb, FIELDS_SHEET, FIELD_HEADERS, FIELD_HEADERS[:6]):
            kind, name = str(r.get("Вид документа") or "").strip(), str(r.get("Поле") or "").strip()
            if kind not in KINDS:
                raise _fail(path, FIELDS_SHEET, row, "Вид документа", f"«{kind}» — не вид документа о квалификации.",
                            "Выберите: " + "; ".join(f"«{k}»" for k in KINDS) + ".")
            if name not in FIELDS:
                raise _fail(path, FIELDS_SHEET, row, "Поле", f"неизвестное поле «{name}».",
                            "Возьмите имя поля из листа «Инструкция».")
            align = str(r.get("Выравнивание") or "слева").strip()
            if align not in ALIGNMENTS:
                raise _fail(path, FIELDS_SHEET, row, "Выравнивание", f"«{align}» — неизвестное выравнивание.",
                            "Выберите «слева», «по центру» или «справа».")
            fields.setdefault(kind, []).append(Field(
                kind, name,
                _number(path, FIELDS_SHEET, row, "X, мм", r.get("X, мм")),
                _number(path, FIELDS_SHEET, row, "Y, мм", r.get("Y, мм")),
                _number(path, FIELDS_SHEET, row, "Ширина, мм", r.get("Ширина, мм"), positive=True),
                _number(path, FIELDS_SHEET, row, "Размер шрифта, пт", r.get("Размер шрифта, пт"), positive=True),
                align, row))
        blanks = {}
        for row, r in _rows(path, wb, BLANKS_SHEET, BLANK_HEADERS, BLANK_HEADERS[:3]):
            kind = str(r.get("Вид документа") or "").strip()
            if kind not in KINDS:
                raise _fail(path, BLANKS_SHEET, row, "Вид документа", f"«{kind}» — не вид документа о квалификации.",
                            "Выберите: " + "; ".join(f"«{k}»" for k in KINDS) + ".")
            underlay = str(r.get("Подложка (файл)") or "").strip()
            blanks[kind] = Blank(
                kind,
                _number(path, BLANKS_SHEET, row, "Ширина листа, мм", r.get("Ширина листа, мм"), positive=True),
                _number(path, BLANKS_SHEET, row, "Высота листа, мм", r.get("Высота листа, мм"), positive=True),
                path.parent / underlay if underlay else None,
                tuple(fields.get(kind, ())))
        printers = {}
        for row, r in _rows(path, wb, PRINTERS_SHEET, PRINTER_HEADERS, PRINTER_HEADERS):
            name = str(r.get("Принтер") or "").strip()
            if not name:
                raise _fail(path, PRINTERS_SHEET, row, "Принтер", "нет названия принтера.", "Назовите принтер.")
            printers[name] = Printer(name, _number(path, PRINTERS_SHEET, row, "Сдвиг вправо, мм", r.get("Сдвиг вправо, мм")),
                                     _number(path, PRINTERS_SHEET, row, "Сдвиг вниз, мм", r.get("Сдвиг вниз, мм")))
    finally:
        wb.close()
    for kind in fields:
        if kind not in blanks:
            raise _fail(path, BLANKS_SHEET, None, "Вид документа", f"нет строки для «{kind}», а поля для него есть.",
                        "Добавьте строку с размером листа этого бланка.")
    return Layout(blanks, printers)


# --- the shipped default: the fields of the folded A4 sheet the plain-paper templates print ---------------

A4_LANDSCAPE = (297.0, 210.0)
_LEFT_X, _RIGHT_X, _HALF_W = 25.0, 165.0, 115.0
_COVER = [
    ("doc.series_number", _LEFT_X, 92, 14, "по центру"),
    ("doc.reg_no", _LEFT_X, 112, 14, "по центру"),
    ("org.city", _LEFT_X, 132, 12, "по центру"),
    ("doc.date", _LEFT_X, 152, 12, "по центру"),
]
_TEXT = [
    ("doc.duplicate", _RIGHT_X, 14, 16, "по центру"),
    ("learner.dative", _RIGHT_X, 40, 16, "по центру"),
    ("period", _RIGHT_X, 60, 12, "по центру"),
    ("program.name", _RIGHT_X, 76, 12, "по центру"),
    ("hours", _RIGHT_X, 100, 12, "по центру"),
    ("protocol", _RIGHT_X, 114, 12, "по центру"),
]
_EXTRA = {
    PK: [],
    PP: [("qualification", _RIGHT_X, 128, 14, "по центру")],
    PO: [("qualification", _RIGHT_X, 128, 14, "по центру"), ("rank", _RIGHT_X, 138, 12, "по центру")],
}
_SIGNERS = {PK: 2, PP: 3, PO: 3}
UNDERLAYS = {PK: "blanks/удостоверение.png", PP: "blanks/диплом.png", PO: "blanks/свидетельство.png"}


def default_fields(kind: str) -> list[tuple[str, float, float, float, float, str]]:
    """(field, x, y, width, size, alignment) of the shipped layout for `kind`."""
    rows = [(name, x, y, _HALF_W - 10, size, align) for name, x, y, size, align in _COVER]
    rows += [(name, x, y, _HALF_W, size, align) for name, x, y, size, align in _TEXT + _EXTRA[kind]]
    rows += [(f"signers.{i}.name", _RIGHT_X + 70, 158 + 12 * i, 45, 12, "справа") for i in range(_SIGNERS[kind])]
    return rows
