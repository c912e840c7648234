"""Is a bag as its own manifests say? Checked before the archive trusts or rewrites a bag.

The build reads a bag's documents.csv to decide what is filed and under which names, and rewrites the
bag from it. A documents.csv re-saved by Excel (with «;»), deleted, or with a row removed or a status
edited would make that rebuild drop or overwrite filed documents. So before a bag is written, every
tag file is checked against tagmanifest-sha256.txt and every payload file against manifest-sha256.txt,
and the document list against the payload manifest; any damage stops the run before anything is written.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pipeline.archive import records as rec
from pipeline.archive.bag import MANIFEST, TAGMANIFEST, read_manifest
from pipeline.archive.shards import ShardedMemo
from pipeline.core.fsutil import sha256_file
from pipeline.core.ru import plural

REQUIRED_TAGS = ("bagit.txt", "bag-info.txt", MANIFEST, rec.DOCUMENTS)
"""Tag files tagmanifest-sha256.txt must list (learners.csv and the copy are checked when listed)."""

# How documents.csv's rows differ from manifest-sha256.txt (payload_damage): meaningless when documents.csv
# itself is the damaged file.
LISTED_ONLY = "числится в documents.csv, но не в manifest-sha256.txt"
NOT_LISTED = "есть в manifest-sha256.txt, но не числится в documents.csv как хранящийся"
LIST_HASH_DIFFERS = "SHA-256 в documents.csv и в manifest-sha256.txt различаются"
LIST_DAMAGE = frozenset({LISTED_ONLY, NOT_LISTED, LIST_HASH_DIFFERS})

TAG_HASHES = ShardedMemo("archive_tag_hashes.json", sha256_file)
"""Tag files' SHA-256, kept between runs: a one-group edit need not re-hash 400 bags' tag files."""


@dataclass(frozen=True)
class Damage:
    """One file of a bag that is not as the manifests say."""

    bag: str
    """The bag, relative to the archive root, «2025/ПК-2025-01»."""
    file: str
    """The file, relative to the bag."""
    detail: str
    """What is wrong, in Russian."""

    @property
    def payload(self) -> bool:
        return self.file.startswith("data/")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def tag_damage(bag: Path, rel: str) -> list[Damage]:
    """Check a bag's tag files against its tag manifest (cheap: the hashes are remembered by file state)."""
    out: list[Damage] = []
    if not (bag / TAGMANIFEST).is_file():
        return [Damage(rel, TAGMANIFEST, "нет файла tagmanifest-sha256.txt")]
    tags = read_manifest(bag / TAGMANIFEST)
    for name in REQUIRED_TAGS:
        if name not in tags:
            out.append(Damage(rel, name, "не учтен в tagmanifest-sha256.txt"))
    for name, digest in sorted(tags.items()):
        path = bag / name
        if not path.is_file():
            out.append(Damage(rel, name, "указан в tagmanifest-sha256.txt, но файла нет (удален?)"))
        elif TAG_HASHES.get(path, "") != digest:
            out.append(Damage(rel, name, "изменен после записи (контрольная сумма не совпадает; "
                                         "например, файл открыли в Excel и сохранили)"))
    return out


def payload_damage(bag: Path, rel: str) -> list[Damage]:
    """Check every payload file against manifest-sha256.txt, and the document list against the manifest."""
    out: list[Damage] = []
    manifest = {_nfc(k): v for k, v in read_manifest(bag / MANIFEST).items()}
    on_disk = {_nfc(p.relative_to(bag).as_posix()): p for p in (bag / "data").rglob("*") if p.is_file()} \
        if (bag / "data").is_dir() else {}
    for name, digest in sorted(manifest.items()):
        path = on_disk.get(name)
        if path is None:
            out.append(Damage(rel, name, "указан в manifest-sha256.txt, но файла нет"))
        elif sha256_file(path) != digest:
            out.append(Damage(rel, name, "контрольная сумма не совпадает с manifest-sha256.txt (файл изменен)"))
    kept = {_nfc(r.file): r.sha256 for r in rec.read_documents(bag) if r.kept}
    for name in sorted(set(kept) | set(manifest)):
        if name not in manifest:
            out.append(Damage(rel, name, LISTED_ONLY))
        elif name not in kept:
            out.append(Damage(rel, name, NOT_LISTED))
        elif kept[name] != manifest[name]:
            out.append(Damage(rel, name, LIST_HASH_DIFFERS))
    return out


def bag_damage(bag: Path, archive_root: Path) -> list[Damage]:
    """Every way the bag differs from its manifests (tag files first, then the payload).

    A documents.csv changed or lost is the cause, told once: its rows are then not compared with the
    manifest, which would name every sound document as damaged and send staff to the backup for each.
    """
    rel = _nfc(bag.relative_to(archive_root).as_posix())
    damage = tag_damage(bag, rel)
    payload = payload_damage(bag, rel)
    if any(d.file == rec.DOCUMENTS for d in damage):
        payload = [d for d in payload if d.detail not in LIST_DAMAGE]
    return damage + payload


def damage_message(damage: list[Damage], *, limit: int = 12) -> str:
    """The Russian message that stops a run: which bag, which file, and how to restore it."""
    bags = sorted({d.bag for d in damage})
    lines = [f"Папка архива «{d.bag}»: файл «{d.file}» — {d.detail}." for d in damage[:limit]]
    if len(damage) > limit:
        lines.append(f"… и еще расхождений: {len(damage) - limit}.")
    payload = any(d.payload for d in damage)
    how = (
        "Служебные файлы папки можно восстановить командой «uchet verify --repair»: она берет их из самой "
        "папки (копия uchet-tags.json и манифесты), а не из рабочих книг, и сверяет с контрольными суммами."
    )
    if payload:
        how += (" Измененные или пропавшие документы из data/ восстановите из резервной копии архива "
                "(имя и контрольная сумма — в manifest-sha256.txt).")
    return (
        f"Архив поврежден ({len(bags)} {plural(len(bags), 'папка', 'папки', 'папок')}): в архив ничего не записано.\n"
        + "\n".join(lines)
        + "\nНе открывайте и не сохраняйте файлы папок архива в Excel. " + how
        + " Затем выполните «uchet verify» и запустите make снова."
    )
