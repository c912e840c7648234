"""`uchet verify`: re-hash the whole archive and report every discrepancy, apart from OS junk.

Checks every bag against its own manifests (payload and the required tag manifest), so a flipped
byte, a deleted or an added file, an edited bag-info.txt or documents.csv are all found. Files that
Windows Explorer or macOS Finder drop into folders (Thumbs.db, desktop.ini, .DS_Store, `._*`) are listed
separately: they are not tampering, but staff should delete them. Paths are compared NFC-normalised,
so a folder copied through a Mac (NFD names) still verifies.
"""

from __future__ import annotations

import errno
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.archive import records as rec
from pipeline.archive.bag import (
    BAG_INFO,
    LOCK_NAME,
    MANIFEST,
    TAGMANIFEST,
    archive_lock,
    read_bag_info,
    read_manifest,
    recover,
    sha256_file,
)
from pipeline.archive.index import INDEX, bags

REQUIRED_TAGS = ("bagit.txt", BAG_INFO, MANIFEST, TAGMANIFEST)
TOP_LEVEL_FILES = {INDEX, "labels.docx", "disposal_register.csv", "disposal_register.xlsx", LOCK_NAME}
TOP_LEVEL_DIRS = {"acts", "pdfa"}  # pdfa: PDF/A copies with their own list (pipeline.paper.renditions)
FOREIGN = ("файла нет в манифесте; архив его сохраняет и не удаляет. Если это скан подписанного документа, "
           "перенесите его в input/scans/<группа>/ (см. README) — тогда он будет подшит с контрольной суммой")
_JUNK = {"thumbs.db", "desktop.ini", ".ds_store", "ehthumbs.db", "icon\r", ".localized"}


def is_os_junk(name: str) -> bool:
    return name.casefold() in _JUNK or name.startswith("._")


@dataclass
class VerifyReport:
    """What verify found; each list holds (path relative to the archive, detail)."""

    bags: int = 0
    files: int = 0
    missing: list[tuple[str, str]] = field(default_factory=list)
    changed: list[tuple[str, str]] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)
    junk: list[str] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.missing or self.changed or self.extra)

    def lines(self) -> list[str]:
        out = [f"Восстановлено после прерванного запуска: {r}" for r in self.recovered] + list(self.notes)
        out += [f"НЕТ ФАЙЛА: {p} — {d}" for p, d in self.missing]
        out += [f"ИЗМЕНЕН: {p} — {d}" for p, d in self.changed]
        out += [f"ЛИШНИЙ ФАЙЛ: {p} — {d}" for p, d in self.extra]
        out += [f"Служебный файл системы (не изменение архива, удалите его): {p}" for p in self.junk]
        verdict = "архив в порядке" if self.clean else "НАЙДЕНЫ РАСХОЖДЕНИЯ"
        out.append(f"Проверено папок: {self.bags}, файлов: {self.files} — {verdict}.")
        return out


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _walk(root: Path) -> dict[str, Path]:
    """Give {NFC relative path: real path} of every file under root."""
    return {_nfc(p.relative_to(root).as_posix()): p for p in sorted(root.rglob("*")) if p.is_file()}


def _check_bag(bag: Path, rel: str, report: VerifyReport) -> None:
    report.bags += 1
    on_disk = _walk(bag)
    for name in REQUIRED_TAGS:
        if name not in on_disk:
            report.missing.append((f"{rel}/{name}", "обязательный файл BagIt отсутствует"))
    tagmanifest = read_manifest(bag / TAGMANIFEST)
    manifest = read_manifest(bag / MANIFEST)
    expected = {_nfc(k): v for k, v in tagmanifest.items()} | {_nfc(k): v for k, v in manifest.items()}
    for name in (n for n in REQUIRED_TAGS if n != TAGMANIFEST):
        if name in on_disk and name not in expected:
            report.changed.append((f"{rel}/{name}", "не учтен в tagmanifest-sha256.txt"))
    for name, digest in sorted(expected.items()):
        path = on_disk.get(name)
        if path is None:
            report.missing.append((f"{rel}/{name}", "указан в манифесте, но файла нет"))
            continue
        report.files += 1
        if sha256_file(path) != digest:
            report.changed.append((f"{rel}/{name}", "контрольная сумма SHA-256 не совпадает с манифестом"))
    for name in sorted(set(on_disk) - set(expected) - {TAGMANIFEST}):
        if is_os_junk(Path(name).name):
            report.junk.append(f"{rel}/{name}")
        else:
            report.extra.append((f"{rel}/{name}", FOREIGN))
    kept = {_nfc(r.file) for r in rec.read_documents(bag) if r.kept}
    payload = {k for k in expected if k.startswith("data/")}
    for name in sorted(kept - payload):
        report.missing.append((f"{rel}/{name}", "числится в documents.csv, но не в манифесте"))
    for name in sorted(payload - kept):
        report.extra.append((f"{rel}/{name}", "в манифесте, но не числится в documents.csv как хранящийся"))
    oxum = read_bag_info(bag).get("Payload-Oxum", "")
    payload_bytes = sum(on_disk[k].stat().st_size for k in payload if k in on_disk)
    if oxum and oxum != f"{payload_bytes}.{len(payload)}" and not any(p.startswith(rel) for p, _ in report.missing):
        report.changed.append((f"{rel}/{BAG_INFO}", f"Payload-Oxum {oxum} не совпадает с содержимым"))


def verify_archive(archive_root: Path) -> VerifyReport:
    """Re-hash the whole archive and give every missing, changed and extra file and every piece of OS junk."""
    report = VerifyReport()
    if not archive_root.is_dir():
        return report
    with _settled_unless_read_only(archive_root, report):
        bag_dirs = set(bags(archive_root))
        for bag in sorted(bag_dirs):
            _check_bag(bag, _nfc(bag.relative_to(archive_root).as_posix()), report)
        for path in sorted(archive_root.rglob("*")):
            rel = path.relative_to(archive_root)
            if any(parent in bag_dirs for parent in (path, *path.parents)) or not path.is_file():
                continue
            top = rel.parts[0]
            if is_os_junk(path.name):
                report.junk.append(_nfc(rel.as_posix()))
            elif len(rel.parts) == 1 and top in TOP_LEVEL_FILES:
                continue
            elif top in TOP_LEVEL_DIRS:
                continue
            else:
                report.extra.append((_nfc(rel.as_posix()), "файл вне папок архива"))
        _check_acts(archive_root, report)
    return report


_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}


@contextmanager
def _settled_unless_read_only(archive_root: Path, report: VerifyReport):
    """Hold the archive lock and settle interrupted runs first; on read-only media just read.

    A backup disk or a write-protected share cannot take a lock file; nothing can write there either,
    so the check runs without one, and what an interrupted run left is reported, not settled.
    """
    # pipeline.archive.disposal files through pipeline.archive, whose package imports this module: imported late.
    from pipeline.archive.disposal import settle

    try:
        lock = archive_lock(archive_root)
        lock.__enter__()
    except OSError as exc:
        if exc.errno not in _READ_ONLY:
            raise
        report.notes.append("Архив открыт только для чтения: проверка без блокировки, прерванные записи не "
                            "завершались (их завершит следующий запуск uchet с правом записи).")
        yield
        return
    try:
        report.recovered = recover(archive_root) + settle(archive_root)
        yield
    finally:
        lock.__exit__(None, None, None)


def _check_acts(archive_root: Path, report: VerifyReport) -> None:
    """acts/ and the disposal register, against their tag manifest and the bags' tombstones."""
    from pipeline.archive.disposal_check import check_disposal  # late, as in _settled_unless_read_only

    found = check_disposal(archive_root)
    report.files += found.files
    report.missing += found.missing
    report.changed += found.changed
    report.extra += found.extra
