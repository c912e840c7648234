"""The blank layout workbook (input/blanks.xlsx): where each variable field goes on a pre-printed blank.

Four sheets, edited by staff:
- «Бланки»: per kind of document the sheet size in millimetres and the underlay image (a scan or photo
  of the empty blank, a file beside the workbook) that proof mode prints under the fields; the diploma's
  приложение has two kinds of its own: its first sheet and the sheet it continues on («лист 2» and on);
- «Макет бланка»: one row per field: kind, field (a name from the list in «Инструкция»), X and Y of the
  field's top-left corner in millimetres from the sheet's top-left corner, width in millimetres (longer
  text wraps inside it), font size, alignment;
- «Таблица приложения»: the module table of the приложение, a column per sheet (first, next): baseline of
  the first line, the pitch of the lines, how many lines a sheet holds, the font size and its floor, and
  the X and width of each column («№», «Наименование», «Часы», «Результат»);
- «Принтеры»: per printer a calibration offset in millimetres (to the right, down), added to every field.

Measured with a ruler on a real blank: that is why millimetres from the top-left corner, not points.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import openpyxl

from pipeline.carriers.qualification import KINDS, PK, PO, PP
from pipeline.core.errors import UchetError

LAYOUT_FILE = "blanks.xlsx"
BLANKS_SHEET = "Бланки"
FIELDS_SHEET = "Макет бланка"
PRINTERS_SHEET = "Принтеры"
GUIDE_SHEET = "Инструкция"
TABLE_SHEET = "Таблица приложения"

# The приложение to the diploma is printed on blanks of its own: the first sheet, and the sheet a long
# приложение continues on (a second blank of the same kind or a sheet made for it; «лист 2», «лист 3» …).
SUPPLEMENT = "Приложение к диплому о профессиональной переподготовке"
SUPPLEMENT_NEXT = "Приложение к диплому, следующий лист"
LAYOUT_KINDS = (*KINDS, SUPPLEMENT, SUPPLEMENT_NEXT)

BLANK_HEADERS = ("Вид документа", "Ширина листа, мм", "Высота листа, мм", "Подложка (файл)")
FIELD_HEADERS = ("Вид документа", "Поле", "X, мм", "Y, мм", "Ширина, мм", "Размер шрифта, пт", "Выравнивание")
PRINTER_HEADERS = ("Принтер", "Сдвиг вправо, мм", "Сдвиг вниз, мм")
ALIGNMENTS = ("слева", "по центру", "справа")

# «Таблица приложения»: one column per sheet of the приложение, one row per parameter.
TABLE_HEADERS = ("Параметр", "Первый лист", "Следующие листы")
TABLE_SHEETS = {"Первый лист": SUPPLEMENT, "Следующие листы": SUPPLEMENT_NEXT}
# The table's columns: key, the name staff see, the alignment of its text (fixed: a number is centred).
COLUMNS = (("n", "№", "по центру"), ("name", "Наименование", "слева"), ("hours", "Часы", "по центру"),
           ("result", "Результат", "по центру"))
FIRST_Y, PITCH, LINES, SIZE, MIN_SIZE = ("Y первой строки, мм", "Шаг строк, мм", "Строк на листе",
                                        "Размер шрифта, пт", "Наименьший размер шрифта, пт")
TABLE_PARAMETERS = (FIRST_Y, PITCH, LINES, SIZE, MIN_SIZE,
                    *(f"Графа «{title}»: {what}" for _k, title, _a in COLUMNS for what in ("X, мм", "ширина, мм")))
PT_MM = 25.4 / 72

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
    "final.form": "форма итоговой аттестации («защита итоговой работы»)",
    "final.topic": "тема итоговой работы",
    "program.title": "программа полностью («Дополнительная профессиональная программа … «…»»)",
    "program.study_form": "форма обучения",
    "modules_hours": "всего часов по модулям («256 академических часов»)",
    "sheet.label": "лист приложения («лист 2»; пусто, если приложение на одном листе)",
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
class Column:
    x_mm: float
    width_mm: float
    align: str


@dataclass(frozen=True)
class Table:
    """Where the приложение's module table stands on one kind of its sheets."""

    first_y_mm: float  # baseline of the first line, from the sheet's top edge
    pitch_mm: float  # from one line's baseline to the next; a wrapped name takes more lines
    lines: int  # lines a sheet holds
    size_pt: float
    min_size_pt: float  # a long text is set smaller down to this size, then wrapped
    columns: dict[str, Column]  # by key of COLUMNS


@dataclass(frozen=True)
class Blank:
    kind: str
    width_mm: float
    height_mm: float
    underlay: Path | None
    fields: tuple[Field, ...]
    table: Table | None = None


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


def _with_tables(path: Path, wb, blanks: dict[str, Blank]) -> dict[str, Blank]:
    """Give the приложение's two blanks their module tables from «Таблица приложения»."""
    for needed in (SUPPLEMENT, SUPPLEMENT_NEXT):
        if needed not in blanks:
            raise _fail(path, BLANKS_SHEET, None, "Вид документа", f"нет строки «{needed}».",
                        "Приложение к диплому печатается на первом листе и продолжается на следующих: "
                        "добавьте строки для обоих видов листа.")
    values: dict[str, tuple[int, dict]] = {}
    for row, r in _rows(path, wb, TABLE_SHEET, TABLE_HEADERS, TABLE_HEADERS):
        name = str(r.get("Параметр") or "").strip()
        if name not in TABLE_PARAMETERS:
            raise _fail(path, TABLE_SHEET, row, "Параметр", f"неизвестный параметр «{name}».",
                        "Возьмите название из списка: " + "; ".join(f"«{n}»" for n in TABLE_PARAMETERS) + ".")
        if name in values:
            raise _fail(path, TABLE_SHEET, row, "Параметр", f"«{name}» уже задан в строке {values[name][0]}.",
                        "Оставьте одну строку.")
        values[name] = (row, r)
    for name in TABLE_PARAMETERS:
        if name not in values:
            raise _fail(path, TABLE_SHEET, None, "Параметр", f"нет строки «{name}».",
                        "Добавьте ее (образец всех строк: uchet blanks --init-layout в пустую папку).")
    return {**blanks, **{kind: replace(blanks[kind], table=_table(path, values, column, blanks[kind]))
                         for column, kind in TABLE_SHEETS.items()}}


def _table(path: Path, values: dict[str, tuple[int, dict]], column: str, blank: Blank) -> Table:
    """One column of «Таблица приложения», checked against the sheet it is printed on."""
    def number(name: str, *, positive: bool = True) -> float:
        row, r = values[name]
        return _number(path, TABLE_SHEET, row, column, r.get(column), positive=positive)

    def fail(name: str, what: str, fix: str) -> UchetError:
        return _fail(path, TABLE_SHEET, values[name][0], column, what, fix)

    first_y, pitch, size, min_size = number(FIRST_Y), number(PITCH), number(SIZE), number(MIN_SIZE)
    lines = number(LINES)
    if lines != int(lines):
        raise fail(LINES, f"«{lines:g}» — не целое число.", "Введите, сколько строк таблицы помещается на листе.")
    if min_size > size:
        raise fail(MIN_SIZE, f"{min_size:g} пт больше размера шрифта таблицы ({size:g} пт).",
                   "Наименьший размер — не больше обычного.")
    if pitch < size * PT_MM:
        raise fail(PITCH, f"строки наложатся: шаг {pitch:g} мм меньше высоты шрифта {size:g} пт "
                          f"({size * PT_MM:.1f} мм).", "Увеличьте шаг или уменьшите шрифт.")
    last = first_y + (int(lines) - 1) * pitch
    if last > blank.height_mm:
        raise fail(LINES, f"последняя строка ({last:g} мм от верха) ниже края листа ({blank.height_mm:g} мм).",
                   "Уменьшите число строк, шаг или Y первой строки.")
    columns, right = {}, 0.0
    for key, title, align in COLUMNS:
        x = number(f"Графа «{title}»: X, мм", positive=False)
        width = number(f"Графа «{title}»: ширина, мм")
        if x < right - 0.001:
            raise fail(f"Графа «{title}»: X, мм", f"графа «{title}» (X {x:g} мм) заходит на предыдущую, "
                       f"которая кончается на {right:g} мм.", "Графы идут слева направо без наложения: сдвиньте графу "
                       "или уменьшите ширину предыдущей.")
        if x + width > blank.width_mm + 0.001:
            raise fail(f"Графа «{title}»: ширина, мм", f"графа «{title}» кончается на {x + width:g} мм, "
                       f"за краем листа ({blank.width_mm:g} мм).", "Уменьшите ширину или X.")
        columns[key] = Column(x, width, align)
        right = x + width
    return Table(first_y, pitch, int(lines), size, min_size, columns)


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
            if kind not in LAYOUT_KINDS:
                raise _fail(path, FIELDS_SHEET, row, "Вид документа", f"«{kind}» — не вид документа о квалификации.",
                            "Выберите: " + "; ".join(f"«{k}»" for k in LAYOUT_KINDS) + ".")
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
            if kind not in LAYOUT_KINDS:
                raise _fail(path, BLANKS_SHEET, row, "Вид документа", f"«{kind}» — не вид документа о квалификации.",
                            "Выберите: " + "; ".join(f"«{k}»" for k in LAYOUT_KINDS) + ".")
            underlay = str(r.get("Подложка (файл)") or "").strip()
            blanks[kind] = Blank(
                kind,
                _number(path, BLANKS_SHEET, row, "Ширина листа, мм", r.get("Ширина листа, мм"), positive=True),
                _number(path, BLANKS_SHEET, row, "Высота листа, мм", r.get("Высота листа, мм"), positive=True),
                path.parent / underlay if underlay else None,
                tuple(fields.get(kind, ())))
        if SUPPLEMENT in blanks or SUPPLEMENT_NEXT in blanks:
            blanks = _with_tables(path, wb, blanks)
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
UNDERLAYS = {PK: "blanks/удостоверение.png", PP: "blanks/диплом.png", PO: "blanks/свидетельство.png",
             SUPPLEMENT: "blanks/приложение к диплому.png",
             SUPPLEMENT_NEXT: "blanks/приложение к диплому, следующий лист.png"}


# The приложение: A4 portrait sheets, the header above the module table, the commission's decision and
# the signatures at the foot of every sheet (a loose sheet of a multi-sheet приложение is signed too).
A4_PORTRAIT = (210.0, 297.0)
SIZES = {PK: A4_LANDSCAPE, PP: A4_LANDSCAPE, PO: A4_LANDSCAPE, SUPPLEMENT: A4_PORTRAIT, SUPPLEMENT_NEXT: A4_PORTRAIT}
_SHEET_MARKS = [("sheet.label", 140, 14, 55, 11, "справа"), ("doc.duplicate", 140, 21, 55, 12, "справа")]
_NUMBERS = [("doc.reg_no", 34, 56), ("doc.series_number", 128, 62)]
_FOOT = [("protocol", 105, 252, 85, 11, "слева"),
         *((f"signers.{i}.name", 130, 263 + 8 * i, 60, 11, "справа") for i in range(3))]
_SUPPLEMENT_TOP = {
    SUPPLEMENT: (50, [("learner.full_name", 60, 12), ("program.title", 69, 11), ("period", 84, 11),
                      ("hours", 91, 11), ("program.study_form", 98, 11), ("qualification", 105, 11)]),
    SUPPLEMENT_NEXT: (40, [("learner.full_name", 48, 12)]),
}
# «Таблица приложения» of the shipped layout: (first line's baseline, lines) per sheet; the rest is shared.
_TABLE_ROWS = {SUPPLEMENT: (132.0, 19), SUPPLEMENT_NEXT: (70.0, 29)}
_TABLE_PITCH, _TABLE_SIZE, _TABLE_MIN_SIZE = 6.0, 11.0, 9.0
_TABLE_COLUMNS = {"n": (20.0, 10.0), "name": (31.0, 97.0), "hours": (129.0, 20.0), "result": (150.0, 40.0)}


def default_table(kind: str) -> Table:
    """The module table of the shipped приложение layout on the sheet `kind`."""
    first_y, lines = _TABLE_ROWS[kind]
    columns = {key: Column(*_TABLE_COLUMNS[key], align) for key, _title, align in COLUMNS}
    return Table(first_y, _TABLE_PITCH, lines, _TABLE_SIZE, _TABLE_MIN_SIZE, columns)


def table_parameters(table: Table) -> list[float]:
    """The values of TABLE_PARAMETERS, in order, as «Таблица приложения» holds them."""
    values = [table.first_y_mm, table.pitch_mm, table.lines, table.size_pt, table.min_size_pt]
    for key, _title, _align in COLUMNS:
        values += [table.columns[key].x_mm, table.columns[key].width_mm]
    return values


def _supplement_fields(kind: str) -> list[tuple[str, float, float, float, float, str]]:
    numbers_y, top = _SUPPLEMENT_TOP[kind]
    rows = [(name, x, numbers_y, w, 12, "слева") for name, x, w in _NUMBERS]
    rows += [(name, 70, y, 120, size, "слева") for name, y, size in top]
    return [*_SHEET_MARKS, *rows, *_FOOT]


def default_fields(kind: str) -> list[tuple[str, float, float, float, float, str]]:
    """(field, x, y, width, size, alignment) of the shipped layout for `kind`."""
    if kind in _SUPPLEMENT_TOP:
        return _supplement_fields(kind)
    rows = [(name, x, y, _HALF_W - 10, size, align) for name, x, y, size, align in _COVER]
    rows += [(name, x, y, _HALF_W, size, align) for name, x, y, size, align in _TEXT + _EXTRA[kind]]
    rows += [(f"signers.{i}.name", _RIGHT_X + 70, 158 + 12 * i, 45, 12, "справа") for i in range(_SIGNERS[kind])]
    return rows
