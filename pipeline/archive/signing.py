"""Signing as the archive records it, not only as the group workbook says today.

- A version is signed when it was the group's current version in a run where the group workbook said
  «Документы подписаны: да»; the archive records that on the version (documents.csv «signed»), and the
  record stays: un-ticking the flag later unsigns nothing.
- A document signed in the archive (any of its versions) is frozen, whatever the flag says now: a change
  needs an «Основание исправления». Only documents the group's signers sign are frozen; a running record
  such as the learner card (Carrier.signed False) follows the learner's data freely.
- A basis covers the one change it was given for: the versions filed under it record it with their inputs
  (documents.csv «correction», «sources»). A later, different change of a frozen document under the same
  basis text is refused, with the message naming when and for what it was used.
- A change that does not alter a frozen document's text (a template's spacing, a workbook cell it does not
  show) blocks nothing and files nothing.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from pipeline.archive import records as rec

YES, NO = "да", "нет"
_TEXT = re.compile(rb"<w:t(?:\s[^>]*)?>([^<]*)</w:t>|<w:p[\s>/]|<w:tab/>|<w:br/>")


def basis_key(text: str | None) -> str:
    """A basis as compared: spaces collapsed, case ignored («Приказ № 15» is «приказ  № 15»)."""
    return " ".join((text or "").split()).casefold()


def signed_in_archive(records: list[rec.Record], doc_id: str) -> bool:
    return any(r.doc_id == doc_id and r.signed == YES for r in records)


def basis_uses(records: list[rec.Record], basis: str | None) -> list[rec.Record]:
    """The versions already filed under this basis (its one change), oldest first."""
    key = basis_key(basis)
    if not key:
        return []
    return sorted((r for r in records if basis_key(r.correction) == key), key=lambda r: (r.filed_on, r.doc_id))


def document_text(path: Path) -> bytes | None:
    """The visible text of a .docx (body, headers, footers), paragraph by paragraph; None if unreadable."""
    try:
        with zipfile.ZipFile(path) as z:
            parts = sorted(n for n in z.namelist() if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n))
            out = []
            for name in parts:
                for m in _TEXT.finditer(z.read(name)):
                    out.append(m.group(1) if m.group(1) is not None else b"\n")
            return b"".join(out)
    except (OSError, zipfile.BadZipFile, KeyError):
        return None


def same_text(a: Path, b: Path) -> bool:
    """Tell whether two documents read the same (both readable and equal text)."""
    ta = document_text(a)
    return ta is not None and ta == document_text(b)
