"""Writing BagIt bags (RFC 8493) crash-safely: assemble in staging, rename into place, recover.

A bag is never built in place. `write_bag` fills `.<name>.tmp`, renames it to `.<name>.new` once it is
complete, moves the live bag aside to `.<name>.old`, renames the new one in and deletes the old one.
A run killed at any moment leaves one of these states, and `recover` (run first by every command that
touches the archive) settles it: an incomplete `.tmp` is dropped; a complete `.new` replaces a missing
bag or is dropped if the live bag still exists; an `.old` comes back only when the live bag is gone.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import unicodedata
from collections.abc import Mapping
from contextlib import contextmanager
from pathlib import Path

import filelock

from pipeline.archive.names import printable
from pipeline.cache import file_memo
from pipeline.core.errors import UchetError
from pipeline.core.fsutil import fsync_dir, fsync_file, inside, sha256_file, write_durably

BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
MANIFEST = "manifest-sha256.txt"
TAGMANIFEST = "tagmanifest-sha256.txt"
BAG_INFO = "bag-info.txt"
TAG_COPY = "uchet-tags.json"
"""A copy of the bag's other tag files as text, itself a tag file: `uchet verify --repair` restores a
damaged documents.csv (an Excel re-save, a deleted row) from it, but only when the restored bytes hash
to what tagmanifest-sha256.txt recorded, so the manifests stay the only judge of what is right."""
STAGING_SUFFIXES = (".tmp", ".new", ".old")
LOCK_NAME = ".lock"


def place_file(src: Path, dst: Path, link: bool) -> None:
    """Hard-link a file already archived into the new bag (old versions are not copied), else copy it.

    Files from the build are always copied: a renderer rewriting its output in place must never reach
    through a shared inode into the archive.
    """
    if link:
        try:
            os.link(src, dst)
            return
        except OSError:
            pass
    shutil.copyfile(src, dst)
    fsync_file(dst)


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


BAG_INFO_MEMO = file_memo.FileMemo("archive_bag_info.pickle", _parse_bag_info)


def manifest_bytes(entries: Mapping[str, str]) -> bytes:
    def encode(name: str) -> str:
        return name.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    return "".join(f"{entries[n]}  {encode(n)}\n" for n in sorted(entries)).encode("utf-8")


def _info_bytes(info: Mapping[str, str]) -> bytes:
    lines = [f"{k}: {printable(' '.join(str(v).split()))}" for k, v in info.items() if str(v).strip()]
    return ("\n".join(lines) + "\n").encode("utf-8")


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
    inside(archive_root, final)
    parent = final.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = parent / f".{final.name}.tmp"
    inside(archive_root, staging)
    if staging.exists():
        shutil.rmtree(staging)
    (staging / "data").mkdir(parents=True)
    manifest: dict[str, str] = {}
    total = 0
    for name, (src, expected) in sorted(payload.items()):
        dst = staging / "data" / name
        inside(staging, dst)
        place_file(src, dst, link=src.resolve().is_relative_to(final.resolve()))
        digest = sha256_file(dst)
        if expected is not None and digest != expected:
            shutil.rmtree(staging)
            raise UchetError(
                f"Файл «{src}» изменился (контрольная сумма не совпадает с записанной). "
                "Архив поврежден или файл правили вручную: выполните «uchet verify» и восстановите файл из копии."
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
    for name, data in tag_files.items():
        write_durably(staging / name, data)
    _keep_foreign(final, staging)
    tagmanifest = {name: hashlib.sha256(data).hexdigest() for name, data in tag_files.items()}
    write_durably(staging / TAGMANIFEST, manifest_bytes(tagmanifest))
    fsync_dir(staging / "data")
    fsync_dir(staging)
    _swap(staging, final)
    return manifest


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


def _keep_foreign(final: Path, staging: Path) -> list[str]:
    """Carry every file of the live bag that the new bag does not hold into the new bag, unchanged.

    Rebuilding a bag must never delete what staff put into it (a scan of the signed original): such a
    file stays where it was, outside the manifests, and verify reports it. A file whose name the new
    bag uses for its own file is impossible: new payload names are checked against the files present.
    """
    kept: list[str] = []
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
        kept.append(rel.as_posix())
    return kept


def _swap(staging: Path, final: Path) -> None:
    parent = final.parent
    new, old = parent / f".{final.name}.new", parent / f".{final.name}.old"
    if new.exists():
        shutil.rmtree(new)
    os.rename(staging, new)
    fsync_dir(parent)
    if final.exists():
        if old.exists():
            shutil.rmtree(old)
        os.rename(final, old)
    os.rename(new, final)
    fsync_dir(parent)
    if old.exists():
        shutil.rmtree(old)


def recover(archive_root: Path) -> list[str]:
    """Settle what an interrupted run left behind; give a line per thing settled."""
    done: list[str] = []
    if not archive_root.is_dir():
        return done
    for tmp in sorted(archive_root.rglob(".tmp-*")):
        if tmp.is_file() and ".staging" not in tmp.parts:
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
