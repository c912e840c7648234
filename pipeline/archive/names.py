"""Folder and file names inside the archive: safe on every system, unique, stable across runs.

One function names every group folder. A group number staff typed (`ПК/2025/1`, `..`, `CON`, a
500-character name) becomes one safe path component; when sanitising had to change the number, a
short hash of the original is appended, so two numbers that sanitise alike still get distinct folders
and the same number always gets the same folder, whatever other groups exist.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

from pipeline.core.fsutil import MAX_COMPONENT, safe_component

YEAR_FOLDER = "_год"
"""The bag of a year's own documents (the register of issued documents), beside the group folders."""

VERSION_SUFFIX = " (версия {n})"


def _tag(text: str, length: int = 8) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def _with_tag(base: str, raw: str) -> str:
    tag = "~" + _tag(raw)
    return base[: MAX_COMPONENT - len(tag)].rstrip(". ") + tag


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def printable(text: str) -> str:
    """Give text with control characters (which XML, DOCX and XLSX cannot hold) shown as «\ufffd»."""
    return _CONTROL.sub("\ufffd", text)


def _no_leading_dot(name: str) -> str:
    """Dot-names are hidden on macOS and Linux, and the archive keeps its staging folders under them."""
    return "_" + name.lstrip(".") if name.startswith(".") else name


def folder_names(numbers: Iterable[str], reserved: Iterable[str] = (YEAR_FOLDER,)) -> dict[str, str]:
    """Give a safe, unique folder name for every group number.

    A number that is already a safe name is used as it is. Otherwise the safe form gets «~» and 8 hex
    digits of the number's SHA-256. Names are compared case-insensitively (Windows and macOS folders
    are); among numbers still colliding, all but the first in sorted order get the hash too.
    """
    taken = {r.casefold() for r in reserved}
    names: dict[str, str] = {}
    for raw in sorted(set(numbers)):
        base = _no_leading_dot(safe_component(raw, fallback="группа"))
        name = base if base == nfc(raw) and base.casefold() not in taken else _with_tag(base, raw)
        length = 8
        while name.casefold() in taken:  # a hash collision of 8 digits: practically never
            length += 4
            name = base[: MAX_COMPONENT - length - 1] + "~" + _tag(raw, length)
        taken.add(name.casefold())
        names[raw] = name
    return names


def payload_name(file_name: str, version: int) -> str:
    """Give the file name of a version of a document: «Приказ ….docx», «Приказ … (версия 2).docx»."""
    raw_stem, dot, raw_ext = nfc(file_name).rpartition(".")
    if not dot or not raw_stem or not 0 < len(raw_ext) <= 8:
        raw_stem, raw_ext = file_name, ""
    stem = _no_leading_dot(safe_component(raw_stem, fallback="документ").replace("%", "_"))
    ext = safe_component(raw_ext, fallback="").replace("%", "_").lstrip(".") if raw_ext else ""
    suffix = (VERSION_SUFFIX.format(n=version) if version > 1 else "") + (f".{ext}" if ext else "")
    return stem[: MAX_COMPONENT - len(suffix)].rstrip(". ") + suffix


def unique_payload_name(file_name: str, version: int, doc_id: str, taken: set[str]) -> str:
    """Give payload_name(), tagged with a hash of the document id when another document holds that name."""
    name = payload_name(file_name, version)
    if name.casefold() in taken:
        stem, dot, ext = name.rpartition(".")
        tag = "~" + _tag(doc_id)
        name = f"{stem[: MAX_COMPONENT - len(tag) - len(ext) - 1]}{tag}.{ext}" if dot else _with_tag(name, doc_id)
    return name
