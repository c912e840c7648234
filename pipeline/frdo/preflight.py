"""ФИС ФРДО pre-flight: what the portal would reject, found before the upload workbook is written.

Each problem names the workbook cell staff fix (file, sheet, Excel row, column header as they see it),
not the FRDO column: the upload workbook is generated and never edited by hand.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from pipeline.core.problems import Problem, mask_snils
from pipeline.frdo.rows import DocRow, Origin, Value
from pipeline.frdo.template import PROGRAM_NAME_ALLOWED, Template, collapse
from schemas.fields import SNILS, snils_check_digits_ok

# Characters people cannot see that FRDO rejects as «недопустимый символ», by name for the message.
INVISIBLE_NAMES = {
    "\u00a0": "неразрывный пробел",
    "\t": "табуляция",
    "\n": "перенос строки",
    "\r": "возврат каретки",
    "\u200b": "пробел нулевой ширины",
    "\u200c": "невидимый символ (ZWNJ)",
    "\u200d": "невидимый символ (ZWJ)",
    "\u2060": "невидимый символ (WJ)",
    "\ufeff": "невидимый символ (BOM)",
    "\u00ad": "мягкий перенос",
    "\u202f": "узкий неразрывный пробел",
    "\u2007": "цифровой пробел",
}
# Look-alikes staff type or paste into program names, with the allowed character to use instead.
PROGRAM_NAME_REPLACEMENTS = {
    "—": "-", "–": "-", "‑": "-", "−": "-", '"': "", "“": "«", "”": "»", "„": "«", "'": "", "’": "",
    ";": ",", "!": ".", "№ ": "№ ", "\u00a0": " ", "\t": " ",
}
DICTIONARY_EXAMPLES = 6


def bad_characters(text: str) -> list[str]:
    """Give the characters of `text` FRDO rejects anywhere: control, format and non-ordinary spaces."""
    return [
        ch for ch in dict.fromkeys(text)
        if ch in INVISIBLE_NAMES or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")
        or (unicodedata.category(ch) == "Zs" and ch != " ")
    ]


def char_name(ch: str) -> str:
    return INVISIBLE_NAMES.get(ch) or f"U+{ord(ch):04X} {unicodedata.name(ch, '')}".strip()


def visible(text: str) -> str:
    """The value with each invisible character shown as «[its name]», so staff can find it."""
    return "".join(f"[{char_name(ch)}]" if ch in bad_characters(ch) else ch for ch in text)


def program_name_fix(name: str) -> str:
    """A suggestion: the name with look-alikes replaced and other forbidden characters dropped."""
    for bad, good in PROGRAM_NAME_REPLACEMENTS.items():
        name = name.replace(bad, good)
    name = "".join(ch for ch in name if PROGRAM_NAME_ALLOWED.fullmatch(ch))
    return re.sub(r" {2,}", " ", name).strip()


def preflight(rows: list[DocRow], tpl: Template) -> list[Problem]:
    """Give every problem FRDO would reject in these rows (errors) or might question (warnings)."""
    problems: dict[Problem, None] = {}  # ordered set: a program's problem is reported once, not per row

    def add(origin: Origin | None, code: str, value=None, severity="error", **params) -> None:
        o = origin or Origin("", "", None, "")
        problems.setdefault(
            Problem(o.file, o.sheet or None, o.row, o.column or None, code, severity, value, params), None
        )

    document_dictionary = tpl.column("document").dictionary
    for row in rows:
        for col in tpl.columns:
            v = row.fields.get(col.field) or Value(None)
            where = collapse(col.header)
            if v.value is None or v.value == "":
                if v.required:
                    add(v.origin, "frdo_missing", None, frdo_column=where)
                continue
            value = v.value
            if isinstance(value, str):
                bad = bad_characters(value)
                if bad:
                    shown = mask_snils(value) if col.field == "snils" else visible(value)
                    add(v.origin, "frdo_bad_character", shown, chars=", ".join(char_name(c) for c in bad))
                    continue
            dictionary = col.dictionary or (document_dictionary if col.field == "orig_document" else None)
            if dictionary and tpl.published(dictionary, value) is None:
                examples = [str(x).strip() for x in tpl.dictionaries[dictionary][:DICTIONARY_EXAMPLES]]
                add(
                    v.origin, "frdo_not_in_dictionary", value, frdo_column=where, dictionary=dictionary,
                    examples="; ".join(examples) + ("; …" if len(tpl.dictionaries[dictionary]) > DICTIONARY_EXAMPLES else ""),
                )
            if col.field == "program_name":
                forbidden = [ch for ch in dict.fromkeys(value) if not PROGRAM_NAME_ALLOWED.fullmatch(ch)]
                if forbidden:
                    add(
                        v.origin, "frdo_program_name_chars", value,
                        chars=" ".join(f"«{ch}»" for ch in forbidden), suggestion=program_name_fix(value),
                    )
            if col.field == "snils":
                if not re.fullmatch(SNILS, value):
                    add(v.origin, "frdo_snils_format", mask_snils(value))
                elif not snils_check_digits_ok(value):
                    add(v.origin, "frdo_snils_checksum", mask_snils(value))
        _duplicate_checks(row, add)
    _reg_no_unique(rows, add)
    return list(problems)


def _duplicate_checks(row: DocRow, add) -> None:
    """A duplicate must say why it replaces the original: lost, exchanged (and whether destroyed)."""
    doc = row.doc
    if doc.status != "Дубликат":
        return
    if doc.replaces and "orig_document" not in row.fields:
        add(row.fields["orig_reg_no"].origin, "frdo_original_not_found", doc.replaces)
    if not (doc.lost and doc.lost != "Нет") and not (doc.exchanged and doc.exchanged != "Нет"):
        add(row.fields["status"].origin, "frdo_duplicate_no_reason", doc.reg_no, severity="warning")


def _reg_no_unique(rows: list[DocRow], add) -> None:
    """Two documents of one upload with one registration number would overwrite each other in FRDO."""
    counts = Counter(r.key for r in rows)
    for row in rows:
        if counts[row.key] > 1:
            add(row.fields["reg_no"].origin, "frdo_duplicate_reg_no", row.key)
