"""Writing BagIt bags (RFC 8493) crash-safely: assemble in staging, rename into place, recover.

A bag is never built in place. `write_bag` fills `.<name>.tmp`, renames it to `.<name>.new` once it is
complete, moves the live bag aside to `.<name>.old`, renames the new one in and deletes the old one.
A run killed at any moment leaves one of these states, and `recover` (run first by every command that
touches the archive) settles it: an incomplete `.tmp` is dropped; a complete `.new` replaces a missing
bag or is dropped if the live bag still exists; an `.old` comes back only when the live bag is gone.

Durability is bought per batch of bags, not per file (`bag_writer`): the bags of a batch are staged
without an fsync each, then one `os.sync()` makes every staged file durable before any of them is
swapped in, and a second one makes the swaps durable before the old bags are deleted. An fsync per file
cost a full build of 400 groups 14,000 fsyncs, most of its archive stage. A small batch (a one-group
edit) and a platform without `os.sync` (Windows) fsync each file and folder instead (`SYNC_FROM`).

Documents are copied into a bag, never hard-linked from output/build/: a link would share one inode
between the build and the archive, and any tool that writes a build document in place (not by
rename) would change a filed record. Each file is hashed while it is copied, not read again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import filelock

from pipeline.archive.names import printable
from pipeline.archive.shards import ShardedMemo
from pipeline.core.errors import UchetError
from pipeline.core.fsutil import fsync_dir, fsync_file, inside, sha256_file
from pipeline.core.tree_state import ARCHIVE_LOCK

BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
MANIFEST = "manifest-sha256.txt"
TAGMANIFEST = "tagmanifest-sha256.txt"
BAG_INFO = "bag-info.txt"
TAG_COPY = "uchet-tags.json"
"""A copy of the bag's other tag files as text, itself a tag file: `uchet verify --repair` restores a
damaged documents.csv (an Excel re-save, a deleted row) from it, but only when the restored bytes hash
to what tagmanifest-sha256.txt recorded, so the manifests stay the only judge of what is right."""
STAGING_SUFFIXES = (".tmp", ".new", ".old")
LOCK_NAME = ARCHIVE_LOCK


def place_file(src: Path, dst: Path, link: bool) -> str | None:
    """Hard-link a file already archived into the new bag (old versions are not copied), else copy it.

    Give the SHA-256 of the bytes copied (hashed on the way, so the copy is not read again), or None
    for a link. Files from the build are always copied: a renderer rewriting its output in place must
    never reach through a shared inode into the archive. Not fsynced: the batch is (`bag_writer`).
    """
    if link:
        try:
            os.link(src, dst)
            return None
        except OSError:
            pass
    digest = hashlib.sha256()
    with open(src, "rb") as source, open(dst, "wb") as target:
        while block := source.read(_CHUNK):
            digest.update(block)
            target.write(block)
    return digest.hexdigest()


_CHUNK = 1 << 20


SYNC_FROM = 256
"""Files in a batch from which one os.sync() is cheaper than an fsync each. os.sync() flushes every file
the machine has not yet written, other programs' too: for the few files of a one-group edit, an fsync
each (and of their folders) waits only for them."""


def _durable(paths: list[Path], folders: set[Path]) -> None:
    """Push the files written since the last call and the entries of `folders` to the disk."""
    if len(paths) >= SYNC_FROM and hasattr(os, "sync"):
        os.sync()
        return
    for path in paths:
        fsync_file(path)
    for folder in sorted(folders):
        fsync_dir(folder)


@contextmanager
def archive_lock(archive_root: Path):
    """Hold the archive's lock: two runs never write the same archive at once."""
    archive_root.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(str(archive_root / LOCK_NAME), timeout=10)
    try:
        with lock:
            yield
    except filelock.Timeout as exc:
        raise UchetError(
            f"Архив «{archive_root}» сейчас занят другим запуском uchet. Дождитесь его окончания и повторите."
        ) from exc


def read_manifest(path: Path) -> dict[str, str]:
    """Give {relative path: sha256} from a manifest or tag manifest (missing file: empty)."""
    out: dict[str, str] = {}
    if not path.is_file():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, _, name = line.strip().partition(" ")
            out[name.strip().replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")] = digest.lower()
    return out


def read_bag_info(bag: Path) -> dict[str, str]:
    path = bag / BAG_INFO
    return BAG_INFO_MEMO.get(path, {}) if path.is_file() else {}


def _parse_bag_info(path: Path) -> dict[str, str]:
    info: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        key, sep, value = line.partition(":")
        if sep and not line[:1].isspace():
            info.setdefault(key.strip(), value.strip())
    return info


BAG_INFO_MEMO = ShardedMemo("archive_bag_info.json", _parse_bag_info)


def manifest_bytes(entries: Mapping[str, str]) -> bytes:
    def encode(name: str) -> str:
        return name.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    return "".join(f"{entries[n]}  {encode(n)}\n" for n in sorted(entries)).encode("utf-8")


def _info_bytes(info: Mapping[str, str]) -> bytes:
    lines = [f"{k}: {printable(' '.join(str(v).split()))}" for k, v in info.items() if str(v).strip()]
    return ("\n".join(lines) + "\n").encode("utf-8")


@dataclass
class _Staged:
    """A bag assembled in its staging folder, waiting for its batch to be made durable and swapped in."""

    final: Path
    staging: Path
    manifest: dict[str, str]
    written: list[Path]
    """Files this run wrote into the staging folder (links excluded): what an fsync per file would push."""


BATCH_BAGS = 64
"""Bags staged before one os.sync() makes them durable and they are swapped in: a fault (a full disk,
Ctrl-C) loses at most this many bags' work, and a large build pays two syncs per batch, not per file."""


@contextmanager
def bag_writer(archive_root: Path, *, batch: int = BATCH_BAGS) -> Iterator[Callable[..., dict[str, str]]]:
    """Give `write(final, info, payload, tags)` (as write_bag) that stages bags and swaps them in by batches.

    Every bag written is in place when the block ends normally. When it ends by an exception, the bags
    staged and not yet swapped in are dropped (each bag is filed whole or not at all; the next run
    files them), and the ones already swapped in stay.
    """
    staged: list[_Staged] = []

    def write(final: Path, info: Mapping[str, str], payload: Mapping[str, tuple[Path, str | None]],
              tags: Mapping[str, bytes]) -> dict[str, str]:
        bag = _stage(final, archive_root, info, payload, tags)
        staged.append(bag)
        if len(staged) >= batch:
            _swap_in(staged)
            staged.clear()
        return bag.manifest

    try:
        yield write
        _swap_in(staged)
    except BaseException:
        for bag in staged:
            shutil.rmtree(bag.staging, ignore_errors=True)
        raise


def write_bag(
    final: Path,
    archive_root: Path,
    info: Mapping[str, str],
    payload: Mapping[str, tuple[Path, str | None]],
    tags: Mapping[str, bytes],
) -> dict[str, str]:
    """Build the bag `final` in staging and swap it into place; give its payload manifest.

    payload maps a file name under data/ to (source file, expected sha256 or None). A source whose
    bytes no longer match the expected hash stops the run: rebuilding a bag must never launder a
    damaged or edited archived file into a fresh manifest.
    """
    with bag_writer(archive_root) as write:
        return write(final, info, payload, tags)


def _stage(final: Path, archive_root: Path, info: Mapping[str, str],
           payload: Mapping[str, tuple[Path, str | None]], tags: Mapping[str, bytes]) -> _Staged:
    """Assemble the bag `final` in `.<name>.tmp` (nothing fsynced yet: see bag_writer)."""
    inside(archive_root, final)
    parent = final.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = parent / f".{final.name}.tmp"
    inside(archive_root, staging)
    if staging.exists():
        shutil.rmtree(staging)
    (staging / "data").mkdir(parents=True)
    try:
        return _fill(final, staging, info, payload, tags)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)  # recover() would drop it too; a fault need not leave it
        raise


def _fill(final: Path, staging: Path, info: Mapping[str, str], payload: Mapping[str, tuple[Path, str | None]],
          tags: Mapping[str, bytes]) -> _Staged:
    manifest: dict[str, str] = {}
    written: list[Path] = []
    total = 0
    home = final.resolve()
    for name, (src, expected) in sorted(payload.items()):
        dst = staging / "data" / name
        inside(staging, dst)
        archived = src.resolve().is_relative_to(home)
        digest = place_file(src, dst, link=archived)
        if digest is None:
            digest = sha256_file(dst)  # a linked archived file: checked again before a new manifest lists it
        else:
            written.append(dst)
        if expected is not None and digest != expected:
            raise UchetError(
                f"Файл «{src}» изменился (контрольная сумма не совпадает с записанной). "
                "Архив поврежден или файл правили вручную: выполните «uchet verify» и восстановите файл из копии."
                if archived else  # a build document or a scan, changed while make ran
                f"Файл «{src}» изменился после того, как make его подготовил (контрольная сумма не совпадает). "
                "Архив не поврежден; папка, в которую он шел, не записана. Не меняйте файлы в output/build/ и "
                "input/scans/, пока идет make, и запустите make снова."
            )
        manifest[f"data/{name}"] = digest
        total += dst.stat().st_size
    bag_info = {**info, "Payload-Oxum": f"{total}.{len(manifest)}"}
    tag_files = {
        "bagit.txt": BAGIT_TXT,
        BAG_INFO: _info_bytes(bag_info),
        MANIFEST: manifest_bytes(manifest),
        **tags,
    }
    tag_files[TAG_COPY] = tag_copy_bytes(tag_files)
    tag_files_written = [*tag_files, TAGMANIFEST]
    for name, data in tag_files.items():
        (staging / name).write_bytes(data)
    _keep_foreign(final, staging)
    tagmanifest = {name: hashlib.sha256(data).hexdigest() for name, data in tag_files.items()}
    (staging / TAGMANIFEST).write_bytes(manifest_bytes(tagmanifest))
    written += [staging / name for name in tag_files_written]
    return _Staged(final, staging, manifest, written)


def _swap_in(staged: list[_Staged]) -> None:
    """Make the staged bags durable, swap each into place, make the swaps durable, drop the old bags."""
    if not staged:
        return
    written = [path for bag in staged for path in bag.written]
    _durable(written, {folder for bag in staged for folder in (bag.staging, bag.staging / "data")})
    olds = []
    for bag in staged:
        olds.append(_swap(bag.staging, bag.final))
    _durable(written if len(written) >= SYNC_FROM else [], {bag.final.parent for bag in staged})
    for old in olds:
        if old.exists():
            shutil.rmtree(old)


def tag_copy_bytes(tag_files: Mapping[str, bytes]) -> bytes:
    """The TAG_COPY file: {tag file name: its text}, canonical JSON."""
    texts = {name: data.decode("utf-8") for name, data in sorted(tag_files.items()) if name != TAG_COPY}
    return json.dumps(texts, ensure_ascii=False, sort_keys=True, indent=0).encode("utf-8")


def foreign_files(bag: Path) -> list[str]:
    """Give the files in a bag that neither manifest lists (relative «/» paths as on disk): a scan staff
    dropped in, Thumbs.db. The archive keeps them; verify and the build report them."""
    if not bag.is_dir():
        return []
    listed = set(read_manifest(bag / MANIFEST)) | set(read_manifest(bag / TAGMANIFEST)) | {TAGMANIFEST}
    listed = {unicodedata.normalize("NFC", n) for n in listed}
    out = []
    # os.walk rather than Path.rglob: the build looks into every bag, 14,000 files at 400 groups.
    for folder, dirs, files in os.walk(bag):
        dirs.sort()
        base = os.path.relpath(folder, bag).replace(os.sep, "/")
        for name in files:
            rel = name if base == "." else f"{base}/{name}"
            if unicodedata.normalize("NFC", rel) not in listed:
                out.append(rel)
    return sorted(out)


def _keep_foreign(final: Path, staging: Path) -> None:
    """Carry every file of the live bag that the new bag does not hold into the new bag, unchanged.

    Rebuilding a bag must never delete what staff put into it (a scan of the signed original): such a
    file stays where it was, outside the manifests, and verify reports it. A file whose name the new
    bag uses for its own file is impossible: new payload names are checked against the files present.
    """
    for name in foreign_files(final):
        path = final / name
        rel = Path(name)
        dst = staging / rel
        if dst.exists() or dst.is_symlink():
            shutil.rmtree(staging)
            raise UchetError(
                f"В папке архива «{final}» лежит файл «{name}», которого нет в ее манифестах, а новая запись "
                "заняла бы это имя. В архив ничего не записано. Выполните «uchet verify»; если файл — ваш "
                "(например, скан), перенесите его в input/scans/ (см. docs/archive.md, «Сканы подписанных документов»)."
            )
        dst.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, dst, follow_symlinks=False)
        except OSError:
            shutil.copy2(path, dst, follow_symlinks=False)


def _swap(staging: Path, final: Path) -> Path:
    """Rename the staged bag in, the live one aside; give where the live one went (`.old`), to delete
    once the swap is durable. Every state a crash leaves between these renames, `recover` settles."""
    parent = final.parent
    new, old = parent / f".{final.name}.new", parent / f".{final.name}.old"
    if new.exists():
        shutil.rmtree(new)
    # No fsync between the renames: whichever of them a crash keeps, recover() finds a whole bag (the
    # old one when .tmp or .new is left beside it, the new one when only .new and .old are).
    os.rename(staging, new)
    if final.exists():
        if old.exists():
            shutil.rmtree(old)
        os.rename(final, old)
    os.rename(new, final)
    return old


def _temporary_files(archive_root: Path) -> Iterator[Path]:
    """The half-written files («.tmp-*») of an interrupted write, outside .staging folders (settled below).

    os.walk rather than Path.rglob: 16,000 files at 400 groups, where pathlib's objects cost 0.1 s of every run.
    """
    for folder, dirs, files in os.walk(archive_root):
        dirs[:] = [d for d in dirs if d != ".staging"]
        for name in files:
            if name.startswith(".tmp-") and os.path.isfile(os.path.join(folder, name)):
                yield Path(folder, name)


def recover(archive_root: Path) -> list[str]:
    """Settle what an interrupted run left behind; give a line per thing settled."""
    done: list[str] = []
    if not archive_root.is_dir():
        return done
    for tmp in sorted(_temporary_files(archive_root)):
        tmp.unlink()
        done.append(f"удален незаконченный временный файл {tmp.relative_to(archive_root)}")
    for year in sorted(p for p in archive_root.iterdir() if p.is_dir()):
        for suffix in STAGING_SUFFIXES:
            for leftover in sorted(year.glob(f".*{suffix}")):
                if not leftover.is_dir():
                    continue
                live = year / leftover.name[1 : -len(suffix)]
                rel = live.relative_to(archive_root)
                if suffix == ".tmp" or live.exists():
                    shutil.rmtree(leftover)
                    done.append(f"{rel}: удалена незаконченная копия после прерванного запуска")
                else:
                    os.rename(leftover, live)
                    done.append(f"{rel}: завершена прерванная запись папки")
    return done
