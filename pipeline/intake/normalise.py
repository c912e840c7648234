"""Turn one raw Excel cell into the normalised text the schemas check, per the column's kind.

A cell arrives as calamine gives it (str, float, bool, date, datetime, time). What comes out is text or
None. Whatever cannot be normalised is returned as typed (only cleaned of invisible characters), so the
schema's format check fails on it and the report shows the staff member's own value.

Decisions (documented in the README's input contract):
- dates: real Excel dates, «ДД.ММ.ГГГГ» and «Д.М.ГГГГ» (an optional trailing «г.») and ISO «ГГГГ-ММ-ДД»
  are accepted; a two-digit year «ДД.ММ.ГГ» is NOT guessed (a birth date could be 19xx or 20xx) and
  fails the format check; a well-formed but impossible date (31.02.2025) is reported as `date_invalid`;
- numbers: whole floats lose «.0», text numbers lose inner spaces, a decimal comma becomes a dot;
- СНИЛС: 11 digits with any spaces, dashes or dots become «XXX-XXX-XXX YY»; a number cell that lost
  its leading zeros is zero-filled with a warning; scientific notation typed as text is an error;
- control characters XML forbids (U+0000–U+001F except tab and line breaks) are reported as
  `control_character`, never dropped; tabs and line breaks become single spaces;
- coded columns: exact match only; a match ignoring case, «ё» or Latin look-alike letters is an error
  that names the value that was meant.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

# Characters XML 1.0 forbids: a DOCX or XLSX that contains them is corrupt, so they are reported, not
# dropped (a dropped character silently changes a name or a number).
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SHOWN_FORBIDDEN = "\ufffd"
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"\s+")
_RU_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s*г\.?)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_PLAIN_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_NEGATIVE = re.compile(r"^[-\u2212\u2013]\d+(?:\.\d+)?$")
_SCIENTIFIC = re.compile(r"^\d+(?:[.,]\d+)?[eE][+-]?\d+$")
_SNILS_TYPED = re.compile(r"^[\d\s.\-‐‑–—]+$")
# Latin letters that look like Cyrillic ones; staff type them with the keyboard layout switched.
_LOOKALIKE = str.maketrans("AaBCcEeHKkMOoPpTXxy", "АаВСсЕеНКкМОоРрТХху")
# Kinds whose text is parsed (a clean string may still change), and the cell types whose equal values
# normalise alike (type included: True == 1 == 1.0, yet they read «да», «1», «1»).
_PARSED_KINDS = frozenset({"date", "int", "number", "snils"})
_HASHABLE = frozenset({type(None), str, float, int, bool, dt.date, dt.datetime, dt.time})
_NUMBERS = frozenset({float, int, bool})


class Issue(NamedTuple):
    """A problem found while normalising one cell; the loader adds its position."""

    code: str
    severity: str = "error"
    params: dict[str, Any] | None = None


def clean_text(raw: Any) -> str | None:
    """Give a cell as trimmed text without invisible characters and with single spaces, or None if empty."""
    if raw is None:
        return None
    if raw.__class__ is str and raw.isprintable():
        # The common case, decided at C speed: a printable string holds no invisible, forbidden or
        # non-space whitespace characters (all are Unicode «Other» or «Separator»), so only plain
        # spaces can need work.
        if not raw:
            return None
        if raw[0] != " " and raw[-1] != " " and "  " not in raw:
            return raw
    if isinstance(raw, str):
        raw = _XML_FORBIDDEN.sub(_SHOWN_FORBIDDEN, raw)  # visible where it was; normalise() reports it
        text = _SPACES.sub(" ", raw.translate(_INVISIBLE)).strip()
        return text or None
    if isinstance(raw, bool):
        return "да" if raw else "нет"
    if isinstance(raw, float):
        if raw != raw:  # NaN
            return None
        return str(int(raw)) if raw.is_integer() and abs(raw) < 1e16 else repr(raw)
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, dt.time):
        return raw.strftime("%H:%M")
    return clean_text(str(raw))


def normalise(raw: Any, kind: str, values: Sequence[str] | None = None) -> tuple[str | None, Issue | None]:
    """Give (normalised text or None, an Issue or None) for one cell of a column of `kind`."""
    text = clean_text(raw)
    if text is None:
        return None, None
    if isinstance(raw, str) and not raw.isprintable() and _XML_FORBIDDEN.search(raw):
        return text, Issue("control_character", params={"chars": forbidden_characters(raw)})
    if kind == "date":
        return _date(text)
    if kind in ("int", "number"):
        value = _number(text, whole=kind == "int")
        if value is text and _NEGATIVE.match(_SPACES.sub("", text).replace(",", ".")):
            # «-5» is a number staff meant, not a format slip: say what is wrong with it.
            return text, Issue("number_negative")
        return value, None
    if kind == "snils":
        return _snils(raw, text)
    if values is not None and kind in ("code", "bool"):
        return _code(text, values)
    return text, None


def normalise_column(
    cells: Sequence[Any], kind: str, values: Sequence[str] | None = None
) -> tuple[list[str | None], list[tuple[int, Issue]]]:
    """Give the normalised cells of one column and (position, Issue) for each cell with a problem.

    The same as `normalise` cell by cell, only cheaper: a free-text column of clean strings is
    recognised in one pass over the joined text, and otherwise each distinct value is normalised once
    (codes, marks and dates repeat a lot).
    """
    free_text = kind not in _PARSED_KINDS and not (values is not None and kind in ("code", "bool"))
    types = set(map(type, cells))
    if free_text and types == {str} and _all_clean("|".join(cells)):
        return [cell or None for cell in cells], []
    if types <= _HASHABLE and len(types & _NUMBERS) < 2:
        # Equal values of one type normalise alike; bool, int and float are never mixed here, as
        # True == 1 == 1.0 would merge «да» with «1».
        results = {raw: normalise(raw, kind, values) for raw in set(cells)}
        out = [results[raw][0] for raw in cells]
        if not any(issue is not None for _value, issue in results.values()):
            return out, []
        return out, [(i, results[raw][1]) for i, raw in enumerate(cells) if results[raw][1] is not None]
    out, issues = [], []
    for position, raw in enumerate(cells):
        value, issue = normalise(raw, kind, values)
        out.append(value)
        if issue is not None:
            issues.append((position, issue))
    return out, issues


def _all_clean(joined: str) -> bool:
    """Tell whether every «|»-joined string is already clean text (or empty), checked at C speed.

    «|» is printable and not a space, so a cell that is not printable, has a double space or starts
    or ends with a space shows in the joined text; a «|» inside a cell can only make this say no.
    """
    return (joined.isprintable() and "  " not in joined and "| " not in joined and " |" not in joined
            and joined[:1] != " " and joined[-1:] != " ")


def forbidden_characters(text: str) -> str:
    """Name the XML-forbidden characters of text as staff can look them up: «U+0007, U+001B»."""
    found = dict.fromkeys(_XML_FORBIDDEN.findall(text))
    return ", ".join(f"U+{ord(ch):04X}" for ch in found)


def _date(text: str) -> tuple[str, Issue | None]:
    match = _RU_DATE.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _ISO_DATE.match(text)
        if not match:
            return text, None
        year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day).isoformat(), None
    except ValueError:
        return text, Issue("date_invalid")


def _number(text: str, *, whole: bool) -> str:
    candidate = _SPACES.sub("", text).replace(",", ".")
    if not _PLAIN_NUMBER.match(candidate):
        return text
    try:
        number = Decimal(candidate)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        return text
    if number == number.to_integral_value():
        return str(int(number))
    return text if whole else format(number.normalize(), "f")


def _format_snils(digits: str) -> str:
    return f"{digits[0:3]}-{digits[3:6]}-{digits[6:9]} {digits[9:11]}"


def _snils(raw: Any, text: str) -> tuple[str, Issue | None]:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if isinstance(raw, float) and not raw.is_integer():
            return text, None
        digits = str(int(raw))
        if len(digits) == 11:
            return _format_snils(digits), None
        if len(digits) < 11:
            # A number cell drops leading zeros; the digits that remain are still the person's.
            return _format_snils(digits.zfill(11)), Issue("snils_leading_zeros", "warning")
        return text, None
    if _SCIENTIFIC.match(text):
        return text, Issue("snils_scientific")
    if _SNILS_TYPED.match(text):
        digits = re.sub(r"\D", "", text)
        if len(digits) == 11:
            return _format_snils(digits), None
    return text, None


def _code_key(text: str) -> str:
    return text.translate(_LOOKALIKE).casefold().replace("ё", "е")


def _code(text: str, values: Sequence[str]) -> tuple[str, Issue | None]:
    if text in values:
        return text, None
    if text.isdigit():
        for value in values:
            if value.isdigit() and value == text.zfill(len(value)):
                return value, None
    key = _code_key(text)
    for value in values:
        if _code_key(value) == key:
            latin = text.translate(_LOOKALIKE) != text
            return text, Issue("code_lookalike" if latin else "code_case", params={"suggestion": value})
    return text, None
