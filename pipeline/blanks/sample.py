"""`uchet blanks --init-layout`: write a starting blanks.xlsx and sample underlays beside it.

The sample underlay is a drawing of a blank with the pre-printed words where the plain-paper form has
them and a thin line under each field of the default layout: a stand-in until the centre scans its own
blank (at 100 % scale, the whole sheet) and names that image in «Подложка (файл)».
"""

from __future__ import annotations

import io
from pathlib import Path

from matplotlib import font_manager
from openpyxl import Workbook
from openpyxl.styles import Font
from PIL import Image, ImageDraw, ImageFont

from pipeline.blanks.layout import (
    A4_LANDSCAPE,
    ALIGNMENTS,
    BLANK_HEADERS,
    BLANKS_SHEET,
    FIELD_HEADERS,
    FIELDS,
    FIELDS_SHEET,
    GUIDE_SHEET,
    LAYOUT_FILE,
    PRINTER_HEADERS,
    PRINTERS_SHEET,
    UNDERLAYS,
    default_fields,
)
from pipeline.blanks.pdf import FONT_FAMILIES
from pipeline.carriers.qualification import KINDS, PK, PO, PP
from pipeline.core.errors import UchetError
from pipeline.core.fsutil import atomic_write_bytes
from pipeline.core.stable import stable_zip

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


def _px(value_mm: float) -> int:
    return round(value_mm / 25.4 * DPI)


def underlay_png(kind: str) -> bytes:
    """A drawing of the empty blank of `kind` at 100 dpi: frame, fold, pre-printed words, field lines."""
    width, height = A4_LANDSCAPE
    image = Image.new("RGB", (_px(width), _px(height)), (250, 246, 232))
    draw = ImageDraw.Draw(image)
    path = font_manager.findfont(font_manager.FontProperties(family=FONT_FAMILIES), fallback_to_default=True)
    draw.rectangle([_px(6), _px(6), _px(width - 6), _px(height - 6)], outline=(150, 120, 60), width=3)
    draw.line([_px(width / 2), _px(6), _px(width / 2), _px(height - 6)], fill=(200, 180, 140), width=1)
    for text, x, y, size, centred in _COMMON + _WORDS[kind]:
        font = ImageFont.truetype(path, round(size / 72 * DPI))
        left = x if centred is None else x + (centred - draw.textlength(text, font=font) / DPI * 25.4) / 2
        draw.text((_px(left), _px(y)), text, font=font, fill=(120, 90, 40), anchor="ls")
    for _name, x, y, w, _size, _align in default_fields(kind):
        draw.line([_px(x), _px(y + 1.5), _px(x + w), _px(y + 1.5)], fill=(170, 150, 110), width=1)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def layout_workbook() -> bytes:
    """The starting blanks.xlsx: the default layout of every kind, one printer without offset, a guide."""
    wb = Workbook()
    blanks = wb.active
    blanks.title = BLANKS_SHEET
    blanks.append(BLANK_HEADERS)
    for kind in KINDS:
        blanks.append([kind, *A4_LANDSCAPE, UNDERLAYS[kind]])
    fields = wb.create_sheet(FIELDS_SHEET)
    fields.append(FIELD_HEADERS)
    for kind in KINDS:
        for name, x, y, w, size, align in default_fields(kind):
            fields.append([kind, name, x, y, w, size, align])
    printers = wb.create_sheet(PRINTERS_SHEET)
    printers.append(PRINTER_HEADERS)
    printers.append([DEFAULT_PRINTER, 0, 0])
    guide = wb.create_sheet(GUIDE_SHEET)
    for line in (
        "Макет печати на типографских бланках (uchet blanks).",
        "Лист «Бланки»: размер листа бланка в мм и файл подложки (скан пустого бланка в натуральную величину).",
        "Лист «Макет бланка»: X — от левого края листа до начала поля, Y — от верхнего края до строки, на которой "
        "стоит текст; ширина — длиннее текст переносится; выравнивание: " + ", ".join(ALIGNMENTS) + ".",
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
            cell.font = Font(bold=True)
        for column, width in zip("ABCDEFG", (40, 22, 12, 12, 12, 18, 14), strict=True):
            sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    wb.save(out)
    return stable_zip(out.getvalue())


def init_layout(directory: Path) -> list[Path]:
    """Write blanks.xlsx and the sample underlays into `directory`; never overwrite what staff edited."""
    target = directory / LAYOUT_FILE
    if target.exists():
        raise UchetError(f"Книга «{target}» уже есть и не перезаписывается. Чтобы начать заново, переименуйте ее.")
    written = []
    for kind in KINDS:
        png = directory / UNDERLAYS[kind]
        if not png.exists():
            png.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(png, underlay_png(kind))
            written.append(png)
    atomic_write_bytes(target, layout_workbook())
    return [target, *written]
