"""`uchet verify --repair`: put a bag's damaged tag files back, from the bag itself, judged by its manifests.

Never from the workbooks: the archive is the record, the workbooks are today's data. For every tag
file whose bytes no longer hash to what tagmanifest-sha256.txt recorded, the candidates are
- the text kept in the bag's copy (uchet-tags.json, written with every bag),
- the damaged file read leniently (a Russian Excel saves CSV with «;», in Windows-1251, dates as ДД.ММ.ГГГГ)
  and written back in the archive's own format,
- for manifest-sha256.txt, the manifest computed again from the payload files documents.csv lists,
and a candidate is written only when its SHA-256 is the one the tag manifest holds. A missing tag manifest
is written again only when every other file of the bag agrees with each other (payload with its manifest,
the document list with the manifest, the copy with the files). Payload files cannot be repaired: their
only source is a backup, and the report names them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.archive import records as rec
from pipeline.archive.bag import (
    MANIFEST,
    TAG_COPY,
    TAGMANIFEST,
    archive_lock,
    manifest_bytes,
    read_manifest,
    recover,
    tag_copy_bytes,
)
from pipeline.archive.index import bags
from pipeline.archive.integrity import Damage, bag_damage, payload_damage
from pipeline.core.fsutil import atomic_write_bytes, sha256_file
from pipeline.core.xlsx_safe import csv_value

_DMY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_DATE_FIELDS = ("date", "first_date", "destroy_not_before", "filed_on")  # every ISO date of a Record


@dataclass
class RepairReport:
    """What --repair restored, and what it could not (with the reason)."""

    restored: list[str] = field(default_factory=list)
    """«bag/file» paths written back with the bytes the manifests recorded."""
    left: list[Damage] = field(default_factory=list)
    """Damage that only a backup can mend (payload files) or that no candidate matched."""

    def lines(self) -> list[str]:
        out = [f"ВОССТАНОВЛЕН: {p} — содержимое совпадает с контрольной суммой в манифесте папки." for p in self.restored]
        out += [f"НЕ ВОССТАНОВЛЕН: {d.bag}/{d.file} — {d.detail}. Возьмите файл из резервной копии архива."
                for d in self.left]
        if not out:
            out.append("Восстанавливать нечего: служебные файлы всех папок совпадают с манифестами.")
        return out


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _iso(value: str) -> str:
    m = _DMY.match(value.strip())
    return f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}" if m else value


def lenient_rows(data: bytes) -> list[dict[str, str]]:
    """Read a CSV as Excel may have saved it: any of «,», «;», tab; UTF-8 or Windows-1251."""
    text = _decode(data)
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def documents_from(data: bytes) -> bytes | None:
    """Give a documents.csv read leniently back in the archive's format, or None when it cannot be read whole."""
    rows = lenient_rows(data)
    if not rows or not set(rec.FIELDS) <= set(rows[0]):
        return None
    records = []
    for row in rows:
        values = {name: csv_value((row.get(name) or "").strip()) for name in rec.FIELDS}
        for name in _DATE_FIELDS:
            values[name] = _iso(values[name])
        try:
            values["version"] = int(values["version"] or 1)
            values["closing_year"] = int(values["closing_year"] or 0)
        except ValueError:
            return None
        records.append(rec.Record(**values))
    return rec.documents_bytes(records)


def learners_from(data: bytes) -> bytes | None:
    """Give a learners.csv read leniently back in the archive's format, or None when a column is missing."""
    rows = lenient_rows(data)
    if rows and not set(rec.LEARNER_FIELDS) <= set(rows[0]):
        return None
    return rec.learners_bytes([rec.LearnerRow(**{n: csv_value((r.get(n) or "").strip()) for n in rec.LEARNER_FIELDS})
                               for r in rows])


def _read_copy(bag: Path) -> dict[str, str]:
    try:
        data = json.loads((bag / TAG_COPY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(data, dict) else {}


def _manifest_from_payload(bag: Path, documents: bytes) -> bytes | None:
    entries: dict[str, str] = {}
    for row in lenient_rows(documents):
        if row.get("status") == rec.KEPT and row.get("file"):
            path = bag / row["file"]
            if not path.is_file():
                return None
            entries[row["file"]] = sha256_file(path)
    return manifest_bytes(entries)


def _candidates(bag: Path, name: str, copy: dict[str, str]):
    """Yield possible right bytes of tag file `name`, best first (each judged by the caller)."""
    path = bag / name
    if name in copy:
        yield copy[name].encode("utf-8")
    current = path.read_bytes() if path.is_file() else None
    if name == TAG_COPY:
        tags = {n: (bag / n).read_bytes() for n in read_manifest(bag / TAGMANIFEST) if n != TAG_COPY
                and (bag / n).is_file()}
        try:
            yield tag_copy_bytes(tags)
        except UnicodeDecodeError:
            return  # a tag file still damaged (saved in Windows-1251): the copy of it could not be the right one
    elif current is not None and name == rec.DOCUMENTS:
        yield documents_from(current)
    elif current is not None and name == rec.LEARNERS:
        yield learners_from(current)
    elif name == MANIFEST:
        documents = bag / rec.DOCUMENTS
        if documents.is_file():
            yield _manifest_from_payload(bag, documents.read_bytes())


def _repair_tags(bag: Path, rel: str, report: RepairReport) -> None:
    tags = read_manifest(bag / TAGMANIFEST)
    copy = _read_copy(bag)
    # The copy last: it is made from the others, which must be right first.
    for name in sorted(tags, key=lambda n: (n == TAG_COPY, n != MANIFEST, n)):
        path = bag / name
        if path.is_file() and sha256_file(path) == tags[name]:
            continue
        for candidate in _candidates(bag, name, copy):
            if candidate is not None and hashlib.sha256(candidate).hexdigest() == tags[name]:
                atomic_write_bytes(path, candidate)
                report.restored.append(f"{rel}/{name}")
                break


def _rebuild_tagmanifest(bag: Path, rel: str, report: RepairReport) -> None:
    """A lost tag manifest: written again only when the rest of the bag agrees with itself."""
    copy = _read_copy(bag)
    names = [n for n in ("bagit.txt", "bag-info.txt", MANIFEST, rec.DOCUMENTS, rec.LEARNERS) if (bag / n).is_file()]
    if copy and any(n not in copy or copy[n].encode("utf-8") != (bag / n).read_bytes() for n in names):
        return  # a copy that lacks a file does not vouch for it, even for an empty one
    entries = {n: sha256_file(bag / n) for n in names}
    if (bag / TAG_COPY).is_file():
        entries[TAG_COPY] = sha256_file(bag / TAG_COPY)
    # Judge the result as the build would before writing it: payload and document list must agree.
    payload = payload_damage(bag, rel)
    if payload or rec.DOCUMENTS not in entries or MANIFEST not in entries:
        return
    atomic_write_bytes(bag / TAGMANIFEST, manifest_bytes(entries))
    report.restored.append(f"{rel}/{TAGMANIFEST}")


def repair_archive(archive_root: Path) -> RepairReport:
    """Restore every damaged tag file that the bag's own copy and manifests allow; report the rest."""
    report = RepairReport()
    if not archive_root.is_dir():
        return report
    with archive_lock(archive_root):
        recover(archive_root)
        for bag in bags(archive_root):
            rel = bag.relative_to(archive_root).as_posix()
            if (bag / TAGMANIFEST).is_file():
                _repair_tags(bag, rel, report)
            else:
                _rebuild_tagmanifest(bag, rel, report)
            report.left += bag_damage(bag, archive_root)
    return report
