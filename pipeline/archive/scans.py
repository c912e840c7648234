"""Scans of signed originals: staff's way to put a file into a bag (docs/archive.md, «Сканы подписанных документов»).

A scan lies in `input/scans/<группа>/` and is named like the document it shows, as the document is named
in output/build/: «Протокол заседания аттестационной комиссии ПК-2025-01.pdf», or with anything after
the document's name («… ПК-2025-01 стр. 2.jpg»). The document whose name is the longest such start is
the one it belongs to; the text after the name must not continue a word or a number (so «Справка L1»
never takes «Справка L10 скан.pdf»). The build files it into that group's bag next to the document,
recorded in documents.csv and the manifest, with the document's case and retention; a scan whose bytes
change is filed as its next version; a scan removed from input/scans stays in the archive.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pipeline.cache.input_cache import file_sha256
from pipeline.carriers.registry import RenderedDocument
from pipeline.core.errors import UchetError
from pipeline.core.fsutil import safe_component

SCANS = "scans"
SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff")


@dataclass(frozen=True)
class Scan:
    """One scan file found for a group."""

    path: Path
    name: str
    """The file name, NFC."""
    source: str
    """«scans/<группа>/<файл>», as documents.csv records the source."""
    sha256: str


def _key(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def group_scans(scans_dir: Path | None, number: str) -> list[Scan]:
    """Give the scans in scans_dir/<number>/ (or the folder named as output/build names the group)."""
    if scans_dir is None or not scans_dir.is_dir():
        return []
    found: dict[str, Scan] = {}
    for folder_name in dict.fromkeys((number, safe_component(number))):
        folder = scans_dir / folder_name
        if folder.is_symlink():
            raise UchetError(f"«{folder}» — ссылка (symlink), а не папка. Программа не читает ссылки: "
                             "положите сканы в обычную папку input/scans/<группа>/.")
        if not folder.is_dir():
            continue
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if entry.is_symlink():
                raise UchetError(f"«{entry.path}» — ссылка (symlink), а не файл. Программа не читает ссылки: "
                                 "положите в папку сам файл скана.")
            if entry.is_file() and entry.name.lower().endswith(SUFFIXES) and not entry.name.startswith((".", "~$")):
                sha = file_sha256(Path(entry.path))  # remembered between runs, as the workbooks' hashes
                name = unicodedata.normalize("NFC", entry.name)
                if sha is None:
                    raise UchetError(f"Не удалось прочитать скан «{entry.path}». Закройте его в других программах "
                                     "и повторите.")
                found[name] = Scan(Path(entry.path), name, f"{SCANS}/{folder_name}/{name}", sha)
    return [found[k] for k in sorted(found)]


def document_of(scan: Scan, documents: list[RenderedDocument]) -> RenderedDocument | None:
    """Give the document whose file name is the longest start of the scan's name (see the module doc)."""
    stem = _key(scan.name.rpartition(".")[0])
    best: tuple[int, RenderedDocument] | None = None
    for doc in documents:
        for name in {_key(Path(doc.spec.file_name).stem), _key(safe_component(Path(doc.spec.file_name).stem))}:
            if stem.startswith(name) and (len(stem) == len(name) or not stem[len(name)].isalnum()):
                if best is None or len(name) > best[0]:
                    best = (len(name), doc)
    return best[1] if best else None
