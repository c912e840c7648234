"""`uchet blanks --init-layout`: write a starting blanks.xlsx and sample underlays beside it.

The sample underlay is a drawing of a blank with the pre-printed words where the plain-paper form has
them and a thin line under each field of the default layout: a stand-in until the centre scans its own
blank (at 100 % scale, the whole sheet) and names that image in «Подложка (файл)».
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from pipeline.blanks.layout import (
    ALIGNMENTS,
    BLANK_HEADERS,
    BLANKS_SHEET,
    COLUMNS,
    FIELD_HEADERS,
    FIELDS,
    FIELDS_SHEET,
    GUIDE_SHEET,
    LAYOUT_FILE,
    LAYOUT_KINDS,
    PRINTER_HEADERS,
    PRINTERS_SHEET,
    SIZES,
    SUPPLEMENT,
    SUPPLEMENT_NEXT,
    TABLE_HEADERS,
    TABLE_PARAMETERS,
    TABLE_SHEET,
    TABLE_SHEETS,
    UNDERLAYS,
    default_fields,
    default_table,
    table_parameters,
)
from pipeline.blanks.pdf import serif_font_path
from pipeline.carriers.qualification import PK, PO, PP
from pipeline.core import xlsx_writer as xw
from pipeline.core.errors import UchetError
from pipeline.core.fsutil import atomic_write_bytes

DPI = 100
DEFAULT_PRINTER = "по умолчанию"

# Pre-printed words of each blank: (text, x mm, y mm baseline, size pt, centred in width mm or None).
_COMMON = [
    ("регистрационный номер", 25, 118, 9, 105), ("серия и номер бланка", 25, 98, 9, 105),
    ("город", 25, 138, 9, 105), ("дата выдачи", 25, 158, 9, 105), ("М. П.", 165, 196, 10, None),
]
_WORDS = {
    PK: [("УДОСТОВЕРЕНИЕ", 25, 55, 26, 105), ("о повышении квалификации", 25, 66, 14, 105),
         ("Настоящее удостоверение выдано", 165, 30, 12, 115), ("Руководитель", 165, 158, 12, None),
         ("Секретарь", 165, 170, 12, None)],
    PP: [("ДИПЛОМ", 25, 55, 26, 105), ("о профессиональной переподготовке", 25, 66, 14, 105),
         ("Настоящий диплом выдан", 165, 30, 12, 115), ("присвоена квалификация", 165, 122, 11, 115),
         ("Председатель комиссии", 165, 158, 12, None), ("Руководитель", 165, 170, 12, None),
         ("Секретарь", 165, 182, 12, None)],
    PO: [("СВИДЕТЕЛЬСТВО", 25, 55, 26, 105), ("о профессии рабочего, должности служащего", 25, 66, 12, 105),
         ("Настоящее свидетельство выдано", 165, 30, 12, 115), ("присвоена квалификация", 165, 122, 11, 115),
         ("Председатель комиссии", 165, 158, 12, None), ("Руководитель", 165, 170, 12, None),
         ("Секретарь", 165, 182, 12, None)],
}
_SUPPLEMENT_FOOT = [("Протокол итоговой аттестационной комиссии", 20, 252, 10, None),
                    ("Председатель комиссии", 20, 263, 10, None), ("Руководитель", 20, 271, 10, None),
                    ("Секретарь", 20, 279, 10, None), ("М. П.", 20, 289, 10, None)]
_SUPPLEMENT_WORDS = {
    SUPPLEMENT: [("ПРИЛОЖЕНИЕ", 20, 30, 20, 170), ("к диплому о профессиональной переподготовке", 20, 38, 12, 170),
                 ("рег. №", 20, 50, 10, None), ("бланк диплома", 100, 50, 10, None),
                 ("Фамилия, имя, отчество", 20, 60, 10, None), ("Программа", 20, 69, 10, None),
                 ("Срок обучения", 20, 84, 10, None), ("Объем программы", 20, 91, 10, None),
                 ("Форма обучения", 20, 98, 10, None), ("Присвоенная квалификация", 20, 105, 10, None),
                 *_SUPPLEMENT_FOOT],
    SUPPLEMENT_NEXT: [("Приложение к диплому о профессиональной переподготовке", 20, 30, 13, 170),
                      ("рег. №", 20, 40, 10, None), ("бланк диплома", 100, 40, 10, None),
                      ("Фамилия, имя, отчество", 20, 48, 10, None), *_SUPPLEMENT_FOOT],
}
_COLUMN_TITLES = {"n": "№ п/п", "name": "Наименование модуля (дисциплины)", "hours": "Объем, ак. ч",
                  "result": "Результат"}


def _px(value_mm: float) -> int:
    return round(value_mm / 25.4 * DPI)


def _text(draw: ImageDraw.ImageDraw, font_path: str, text: str, x: float, y: float, size: float,
          centred: float | None) -> None:
    font = ImageFont.truetype(font_path, round(size / 72 * DPI))
    left = x if centred is None else x + (centred - draw.textlength(text, font=font) / DPI * 25.4) / 2
    draw.text((_px(left), _px(y)), text, font=font, fill=(120, 90, 40), anchor="ls")


def _ruled_table(draw: ImageDraw.ImageDraw, font_path: str, kind: str) -> None:
    """The приложение's pre-printed table: the header with the column titles, a ruled line under each line."""
    table = default_table(kind)
    left = table.columns["n"].x_mm - 0.5
    right = table.columns["result"].x_mm + table.columns["result"].width_mm + 0.5
    top, head = table.first_y_mm - 16, table.first_y_mm - 6
    bottom = table.first_y_mm + (table.lines - 1) * table.pitch_mm + 1.5
    ink = (150, 120, 60)
    draw.line([_px(left), _px(top), _px(right), _px(top)], fill=ink, width=2)
    draw.line([_px(left), _px(head), _px(right), _px(head)], fill=ink, width=2)
    for i in range(table.lines):
        y = table.first_y_mm + i * table.pitch_mm + 1.5
        draw.line([_px(left), _px(y), _px(right), _px(y)], fill=(200, 180, 140), width=1)
    edges = [table.columns[key].x_mm - 0.5 for key, _t, _a in COLUMNS] + [right]
    for x in edges:
        draw.line([_px(x), _px(top), _px(x), _px(bottom)], fill=ink, width=1)
    for key, _title, _align in COLUMNS:
        column = table.columns[key]
        _text(draw, font_path, _COLUMN_TITLES[key], column.x_mm, head - 3, 8, column.width_mm)


def underlay_png(kind: str) -> bytes:
    """A drawing of the empty blank of `kind` at 100 dpi: frame, pre-printed words, field lines (and the
    fold of the folded forms, the ruled table of the приложение)."""
    width, height = SIZES[kind]
    image = Image.new("RGB", (_px(width), _px(height)), (250, 246, 232))
    draw = ImageDraw.Draw(image)
    path = serif_font_path()
    draw.rectangle([_px(6), _px(6), _px(width - 6), _px(height - 6)], outline=(150, 120, 60), width=3)
    if kind in _SUPPLEMENT_WORDS:
        _ruled_table(draw, path, kind)
    else:
        draw.line([_px(width / 2), _px(6), _px(width / 2), _px(height - 6)], fill=(200, 180, 140), width=1)
    for text, x, y, size, centred in (_SUPPLEMENT_WORDS[kind] if kind in _SUPPLEMENT_WORDS else _COMMON + _WORDS[kind]):
        _text(draw, path, text, x, y, size, centred)
    for _name, x, y, w, _size, _align in default_fields(kind):
        draw.line([_px(x), _px(y + 1.5), _px(x + w), _px(y + 1.5)], fill=(170, 150, 110), width=1)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def layout_workbook() -> bytes:
    """The starting blanks.xlsx: the default layout of every kind, one printer without offset, a guide."""
    wb = xw.new_workbook()
    blanks = wb.create_sheet(BLANKS_SHEET)
    blanks.append(BLANK_HEADERS)
    for kind in LAYOUT_KINDS:
        blanks.append([kind, *SIZES[kind], UNDERLAYS[kind]])
    fields = wb.create_sheet(FIELDS_SHEET)
    fields.append(FIELD_HEADERS)
    for kind in LAYOUT_KINDS:
        for name, x, y, w, size, align in default_fields(kind):
            fields.append([kind, name, x, y, w, size, align])
    table = wb.create_sheet(TABLE_SHEET)
    table.append(TABLE_HEADERS)
    columns = [table_parameters(default_table(kind)) for kind in TABLE_SHEETS.values()]
    for name, *values in zip(TABLE_PARAMETERS, *columns, strict=True):
        table.append([name, *values])
    printers = wb.create_sheet(PRINTERS_SHEET)
    printers.append(PRINTER_HEADERS)
    printers.append([DEFAULT_PRINTER, 0, 0])
    guide = wb.create_sheet(GUIDE_SHEET)
    for line in (
        "Макет печати на типографских бланках (uchet blanks).",
        "Лист «Бланки»: размер листа бланка в мм и файл подложки (скан пустого бланка в натуральную величину).",
        "Лист «Макет бланка»: X — от левого края листа до начала поля, Y — от верхнего края до строки, на которой "
        "стоит текст; ширина — длиннее текст переносится; выравнивание: " + ", ".join(ALIGNMENTS) + ".",
        f"Приложение к диплому: «{SUPPLEMENT}» — его первый лист, «{SUPPLEMENT_NEXT}» — лист, на котором "
        "продолжается длинное приложение (лист 2, 3 …); у каждого свои поля на листе «Макет бланка».",
        "Лист «Таблица приложения»: таблица модулей для первого и следующих листов. Y первой строки — от верхнего "
        "края до строки, на которой стоит текст первой строки; шаг — между строками; строк на листе — сколько "
        "строк помещается; X и ширина графы — место для текста внутри графы. Длинный текст печатается мельче, "
        "до наименьшего размера шрифта, и дальше переносится на следующую строку; строка модуля не делится "
        "между листами, а лист, на котором таблица не кончилась, заканчивается словами «продолжение на листе N».",
        "Лист «Принтеры»: сдвиг всех полей для принтера (калибровка), мм; минус — влево или вверх.",
        "Калибровка: напечатайте пробу (uchet blanks --group … --proof) на обычной бумаге, наложите на бланк на "
        "просвет, измерьте линейкой, на сколько мм текст правее (ниже) нужного места, и впишите это число со "
        "знаком минус в «Сдвиг вправо, мм» («Сдвиг вниз, мм»).",
        "",
        "Поле — что печатается:",
    ):
        guide.append([line])
    for name, meaning in FIELDS.items():
        guide.append([name, meaning])
    for sheet in wb.worksheets:
        for cell in sheet[1]:
            xw.style_header(cell, filled=False, wrap_text=False)
        xw.set_widths(sheet, (40, 22, 12, 12, 12, 18, 14))
    return xw.stable_bytes(wb)


def init_layout(directory: Path) -> list[Path]:
    """Write blanks.xlsx and the sample underlays into `directory`; never overwrite what staff edited."""
    target = directory / LAYOUT_FILE
    if target.exists():
        raise UchetError(f"Книга «{target}» уже есть и не перезаписывается. Чтобы начать заново, переименуйте ее.")
    written = []
    for kind in LAYOUT_KINDS:
        png = directory / UNDERLAYS[kind]
        if not png.exists():
            png.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(png, underlay_png(kind))
            written.append(png)
    atomic_write_bytes(target, layout_workbook())
    return [target, *written]
