"""`uchet verify`: re-hash the whole archive and report every discrepancy, apart from OS junk.

Each bag is checked by the `bagit` library's own validation (`Bag.validate`, fast=False: Payload-Oxum,
every file the manifests list present and nothing unlisted in data/, every payload and tag file's
SHA-256), so an auditor's BagIt tool and ours judge a bag the same way. Around it, only what BagIt
leaves open or what only we know:
- the tag manifest is required and must list bagit.txt, bag-info.txt and the manifest (BagIt makes it
  optional, so deleting it or editing bag-info.txt would go unnoticed: PITFALLS D3);
- files that Windows Explorer or macOS Finder drop into folders (Thumbs.db, desktop.ini, .DS_Store, `._*`)
  are not payload: bagit-python would call the bag invalid for them (PITFALLS D2), so they are set aside
  and listed apart, for staff to delete; other unlisted files, in data/ or beside it, are reported;
- documents.csv (the versions, signed and destroyed, the archive keeps) agrees with the payload manifest:
  every kept version is a payload file with the same SHA-256, every payload file a kept version, and no
  version is listed twice;
- acts/ and the disposal register (pipeline.archive.disposal_check), and files outside the bags.
Paths are compared NFC-normalised (bagit does the same), so a folder copied through a Mac still verifies.
"""

from __future__ import annotations

import codecs
import errno
import logging
import os
import unicodedata
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import bagit

from pipeline.archive import records as rec
from pipeline.archive.bag import (
    BAG_INFO,
    LOCK_NAME,
    MANIFEST,
    TAG_COPY,
    TAGMANIFEST,
    archive_lock,
    foreign_files,
    read_bag_info,
    read_manifest,
    recover,
)
from pipeline.archive.disposal import settle
from pipeline.archive.disposal_check import check_disposal
from pipeline.archive.index import bags, is_index_name
from pipeline.archive.labels import is_labels_name
from pipeline.core.fsutil import safe_component, sha256_file

REQUIRED_TAGS = ("bagit.txt", BAG_INFO, MANIFEST, TAGMANIFEST)
TOP_LEVEL_FILES = {"disposal_register.csv", "disposal_register.xlsx", LOCK_NAME}
TOP_LEVEL_DIRS = {"acts", "pdfa"}  # pdfa: PDF/A copies with their own list (pipeline.paper.renditions)
FOREIGN = ("файла нет в манифесте; архив его сохраняет и не удаляет. Если это скан подписанного документа, "
           "перенесите его в {scans} и назовите так же, как документ в output/build/ (можно добавить в конце, "
           "например, « стр. 2»; PDF, JPG, PNG или TIFF; см. docs/archive.md, «Сканы подписанных документов») — "
           "тогда он будет подшит с контрольной суммой")
FOREIGN_IN_YEAR = ("файла нет в манифесте; архив его сохраняет и не удаляет. Сканы подшиваются только к документам "
                   "групп (input/scans/<номер группы>/), в папку документов года — нет: перенесите файл из архива")
UCHET_TAGS = ("bagit.txt", BAG_INFO, MANIFEST, rec.DOCUMENTS, rec.LEARNERS, TAG_COPY)
"""The tag files uchet writes into every bag, each listed in its tag manifest."""

UNTAGGED = ("не учтен в tagmanifest-sha256.txt: из списка контрольных сумм служебных файлов удалили его строку, "
            "и изменения файла больше не видны. Возьмите tagmanifest-sha256.txt из резервной копии архива")
_JUNK = {"thumbs.db", "desktop.ini", ".ds_store", "ehthumbs.db", "icon\r", ".localized"}

# bagit logs a line per file hashed and an English warning per discrepancy; the report below is the
# Russian one, so its log stays out of the console.
logging.getLogger(bagit.LOGGER.name).setLevel(logging.CRITICAL)


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

    def add(self, other: VerifyReport) -> None:
        """Take in what another check found (one bag's, or the acts')."""
        self.bags += other.bags
        self.files += other.files
        self.missing += other.missing
        self.changed += other.changed
        self.extra += other.extra
        self.junk += other.junk


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _posix(name: str) -> str:
    """A path as bagit gives it (os.sep, as on disk), as the manifests and documents.csv write it."""
    return _nfc(name.replace(os.sep, "/"))


CHECKSUM = "контрольная сумма SHA-256 не совпадает с манифестом"
# bagit's own reasons are English and hold the full path: staff are told the cause in Russian instead.
BAGIT_TXT_UNREADABLE = ("файл поврежден, и папка не читается как BagIt; выполните «uchet verify --repair» (файл будет "
                        "взят из копии в папке) или восстановите папку из резервной копии")
NO_DATA_DIR = ("в папке нет подпапки data/ с документами, а BagIt требует ее даже пустой; восстановите папку из "
               "резервной копии архива")
NOT_BAGIT = ("папка не соответствует стандарту BagIt (нарушено ее устройство: набор служебных файлов или подпапка "
             "data/); восстановите ее из резервной копии архива")


class _ArchiveBag(bagit.Bag):
    """A bag as bagit reads it, except that OS junk and the files in `set_aside` are not payload, and that two
    things for which bagit refuses the whole bag, before any checksum, are left to the checks of this module, so
    that they never hide a changed document:
    - a byte-order mark at the start of bagit.txt (Notepad and Excel save one): it changes the file's bytes, so
      the file's SHA-256 in the tag manifest tells it (`_checksum_detail` says why);
    - fetch.txt: uchet never writes one (every file of a bag is in its folder), so it is not read; it is a file
      no manifest lists, reported with the others.
    """

    def __init__(self, path: Path):
        self.set_aside: set[str] = set()
        super().__init__(str(path))

    def payload_files(self):
        for name in super().payload_files():
            if not is_os_junk(os.path.basename(name)) and _posix(name) not in self.set_aside:
                yield name

    def _validate_bagittxt(self):
        return None

    def fetch_entries(self):
        return iter(())


def _checksum_detail(path: Path, name: str) -> str:
    """Why a file's bytes no longer hash to its manifest's SHA-256, where the archive can tell."""
    if name == "bagit.txt" and (path / name).read_bytes().startswith(codecs.BOM_UTF8):
        return (f"{CHECKSUM}: файл сохранен с меткой порядка байтов (BOM) в начале, как его сохраняют Блокнот и "
                "Excel, а BagIt ее не допускает. Выполните «uchet verify --repair»: файл будет взят из копии в папке")
    return CHECKSUM


def _bagit_checked(path: Path, rel: str, found: VerifyReport) -> dict[str, str]:
    """Validate the bag with bagit; add every missing and every changed file to `found`; give the manifests'
    entries {NFC «/» path: sha256} (payload and tag files).

    bagit stops at the first step that fails (its structure, Payload-Oxum, then completeness, then the
    checksums). So when files are missing or unlisted, they are set aside and bagit validates the rest again,
    and when bagit refuses the bag's structure, every file is hashed here: the report names every changed
    file, not only the first kind of damage.
    """
    try:
        bag = _ArchiveBag(path)
    except bagit.BagError:
        return _unreadable(path, rel, found)
    try:
        bag.validate(processes=1)  # the common case: one pass, and the bag is as its manifests say
        found.files += len(bag.entries)
        return _entries(bag)
    except bagit.BagError:
        pass
    absent, unlisted = bag.compare_manifests_with_fs()
    for name in sorted(absent, key=_posix):
        found.missing.append((f"{rel}/{_posix(name)}", "указан в манифесте, но файла нет"))
        bag.entries.pop(name, None)
    entries = _entries(bag)
    bag.set_aside = {_posix(name) for name in unlisted}  # reported from foreign_files, with the unlisted tags
    oxum_ok = _ArchiveBag(path).is_valid(fast=True)
    bag.info.pop("Payload-Oxum", None)
    refused: bagit.BagError | None = None
    try:
        bag.validate(processes=1)
    except bagit.BagValidationError as exc:
        for detail in exc.details:
            if isinstance(detail, bagit.ChecksumMismatch):
                name = _posix(detail.path)
                found.changed.append((f"{rel}/{name}", _checksum_detail(path, name)))
        refused = None if exc.details else exc
    except bagit.BagError as exc:
        refused = exc
    if refused is None:
        found.files += len(bag.entries)
    else:  # bagit stopped at the bag's structure, before any checksum
        _hash_each(path, rel, entries, found)
        if (path / MANIFEST).is_file() and not absent:  # else the missing files say it
            found.changed.append((rel, NOT_BAGIT if (path / "data").is_dir() else NO_DATA_DIR))
    if not oxum_ok and not absent and not unlisted and not found.changed:  # else a changed file is the cause
        found.changed.append((f"{rel}/{BAG_INFO}", "Payload-Oxum (число и объем файлов в data/) не совпадает с "
                                                   "содержимым"))
    return entries


def _entries(bag: bagit.Bag) -> dict[str, str]:
    return {_posix(name): hashes.get("sha256", "") for name, hashes in bag.entries.items()}


def _unreadable(path: Path, rel: str, found: VerifyReport) -> dict[str, str]:
    """A bag bagit cannot open (bagit.txt gone or broken, a manifest line it refuses): its files are hashed
    here, so that the damage is still named in full; bagit.txt itself comes back with `verify --repair`.
    A bagit.txt present and changed (or that no tag manifest vouches for) is the cause, told first and once
    (not again as a changed checksum); an intact one is not blamed for a manifest bagit refuses — the
    manifest's own changed checksum tells that."""
    entries = {_nfc(k): v for k, v in (read_manifest(path / TAGMANIFEST) | read_manifest(path / MANIFEST)).items()}
    _hash_each(path, rel, entries, found)
    bagit_txt = f"{rel}/bagit.txt"
    changed = any(name == bagit_txt for name, _ in found.changed)
    if (path / "bagit.txt").is_file() and (changed or "bagit.txt" not in entries):
        found.changed = [(bagit_txt, BAGIT_TXT_UNREADABLE), *(c for c in found.changed if c[0] != bagit_txt)]
    return entries


def _hash_each(path: Path, rel: str, entries: dict[str, str], found: VerifyReport) -> None:
    """Hash every file the manifests list ({NFC «/» path: sha256}), as bagit would: missing and changed ones."""
    on_disk = {_nfc(p.relative_to(path).as_posix()): p for p in path.rglob("*") if p.is_file()}
    for name, digest in sorted(entries.items()):
        if name not in on_disk:
            found.missing.append((f"{rel}/{name}", "указан в манифесте, но файла нет"))
            continue
        found.files += 1
        if sha256_file(on_disk[name]) != digest:
            found.changed.append((f"{rel}/{name}", _checksum_detail(path, name)))


def _foreign_detail(path: Path) -> str:
    """What to do with a file no manifest lists: a scan is filed from input/scans/<группа>/ (scans.py), and
    only into a group's folder."""
    number = read_bag_info(path).get("Group-Number")
    return FOREIGN.format(scans=f"input/scans/{safe_component(number)}/") if number else FOREIGN_IN_YEAR


def check_bag(path: Path, rel: str) -> VerifyReport:
    """Everything verify finds in one bag: bagit's validation, then what only the archive knows."""
    found = VerifyReport(bags=1)
    entries = _bagit_checked(path, rel, found)
    tagged = (path / TAGMANIFEST).is_file()  # else its loss is told, not each file it would list
    untagged = set()
    for name in REQUIRED_TAGS:
        if not (path / name).is_file():
            found.missing = [m for m in found.missing if m[0] != f"{rel}/{name}"]  # told once, as the root cause
            found.missing.append((f"{rel}/{name}", "обязательный файл BagIt отсутствует"))
    for name in UCHET_TAGS:
        if tagged and (path / name).is_file() and name not in entries:
            untagged.add(name)  # one of uchet's own tag files, not a file staff put there: told once, here
            found.changed.append((f"{rel}/{name}", UNTAGGED))
    no_manifest = not (path / MANIFEST).is_file()
    for name in foreign_files(path):
        if (no_manifest and name.startswith("data/")) or name in untagged:
            continue  # the documents are not foreign: their list is what is missing
        if is_os_junk(Path(name).name):
            found.junk.append(f"{rel}/{_nfc(name)}")
        else:
            found.extra.append((f"{rel}/{_nfc(name)}", _foreign_detail(path)))
    _check_documents(path, rel, entries, found)
    return found


def _check_documents(path: Path, rel: str, entries: dict[str, str], found: VerifyReport) -> None:
    """documents.csv against the payload manifest: the archive's versions are exactly the files it keeps."""
    listing = f"{rel}/{rec.DOCUMENTS}"
    if any(name == listing for name, _ in (*found.changed, *found.missing)):
        return  # the list changed or lost is the cause: compared with it, every sound document would repeat it
    records = rec.read_documents(path)
    kept = {_nfc(r.file): r.sha256 for r in records if r.kept}
    payload = {name: digest for name, digest in entries.items() if name.startswith("data/")}
    if not payload and not (path / MANIFEST).is_file():
        return  # the missing manifest is reported; every document would only repeat it
    missing = {p for p, _ in found.missing}
    for name in sorted(set(kept) - set(payload)):
        if f"{rel}/{name}" not in missing:
            found.missing.append((f"{rel}/{name}", "числится в documents.csv, но не в манифесте"))
    for name in sorted(set(payload) - set(kept)):
        found.extra.append((f"{rel}/{name}", "в манифесте, но не числится в documents.csv как хранящийся"))
    for name in sorted(set(payload) & set(kept)):
        if kept[name] != payload[name]:
            found.changed.append((f"{rel}/{name}", "SHA-256 в documents.csv и в manifest-sha256.txt различаются"))
    twice = sorted(key for key, n in Counter((r.doc_id, r.version) for r in records).items() if n > 1)
    for doc_id, version in twice:
        found.changed.append((f"{rel}/{rec.DOCUMENTS}", f"версия {version} документа «{doc_id}» записана дважды"))


def verify_archive(archive_root: Path) -> VerifyReport:
    """Re-hash the whole archive and give every missing, changed and extra file and every piece of OS junk."""
    report = VerifyReport()
    if not archive_root.is_dir():
        return report
    with _settled_unless_read_only(archive_root, report):
        bag_dirs = sorted(bags(archive_root))
        for bag in bag_dirs:
            report.add(check_bag(bag, _nfc(bag.relative_to(archive_root).as_posix())))
        _check_outside_bags(archive_root, set(bag_dirs), report)
        _check_acts(archive_root, report)
    return report


def _check_outside_bags(archive_root: Path, bag_dirs: set[Path], report: VerifyReport) -> None:
    """Files outside the bags: the index, labels, acts and the register belong there; anything else not."""
    skip = {os.fspath(bag) for bag in bag_dirs}
    # os.walk, pruned at each bag: the bags' own files (14,000 at 400 groups) are checked above.
    found: list[Path] = []
    for folder, dirs, files in os.walk(archive_root):
        dirs[:] = [d for d in dirs if os.path.join(folder, d) not in skip]
        found += (Path(folder, name).relative_to(archive_root) for name in files)
    for rel in sorted(found):
        top = rel.parts[0]
        if is_os_junk(rel.name):
            report.junk.append(_nfc(rel.as_posix()))
        elif not ((len(rel.parts) == 1 and (top in TOP_LEVEL_FILES or is_index_name(top) or is_labels_name(top)))
                     or top in TOP_LEVEL_DIRS):
            report.extra.append((_nfc(rel.as_posix()), "файл вне папок архива"))


_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}


@contextmanager
def _settled_unless_read_only(archive_root: Path, report: VerifyReport):
    """Hold the archive lock and settle interrupted runs first; on read-only media just read.

    A backup disk or a write-protected share cannot take a lock file; nothing can write there either,
    so the check runs without one, and what an interrupted run left is reported, not settled.
    """
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
    found = check_disposal(archive_root)
    report.files += found.files
    report.missing += found.missing
    report.changed += found.changed
    report.extra += found.extra
