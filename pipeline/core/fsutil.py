"""Crash-safe file writing, file hashes and path-safe names: every output goes through here."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

from pipeline.core.console import visible
from pipeline.core.errors import UchetError

_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
MAX_COMPONENT = 80


def safe_component(name: str, fallback: str = "_") -> str:
    """Give a single path component that is safe on Windows, macOS and Linux, NFC-normalised.

    Slashes, `..`, reserved device names, trailing dots and spaces and control characters cannot
    escape the folder or break on Windows; long names are cut to MAX_COMPONENT characters, ending in
    a short hash of the whole name so that two long names that differ only near the end stay apart.
    """
    text = visible(unicodedata.normalize("NFC", str(name)))  # no bidi controls, zero-width characters, emoji
    # Names printed in documents keep their initials and numbers together with U+00A0 and U+2011;
    # in a file name those invisible variants would only make the file hard to find by typing.
    text = text.replace("\u00a0", " ").replace("\u2011", "-")
    text = _FORBIDDEN.sub("_", text)
    text = text.strip().rstrip(". ")
    text = re.sub(r"_+", "_", text)
    if set(text) <= {".", "_", " "}:
        text = ""
    if text.split(".")[0].upper() in _WINDOWS_RESERVED:
        text = "_" + text
    if len(text) > MAX_COMPONENT:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
        text = f"{text[:MAX_COMPONENT - len(digest) - 1].rstrip('. ')}~{digest}"
    return text or fallback


def inside(root: Path, path: Path) -> Path:
    """Give `path` resolved, or raise if it would land outside `root`."""
    root_r, path_r = root.resolve(), path.resolve()
    if path_r != root_r and root_r not in path_r.parents:
        raise UchetError(f"Отказ: путь «{path}» выходит за пределы папки «{root}».")
    return path_r


_CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    """Give the SHA-256 of a file's bytes as hex, read in 1 MiB blocks (archived scans can be large)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def fsync_file(path: Path) -> None:
    """Push a file's bytes to the disk: after this, a power cut keeps them."""
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def fsync_dir(path: Path) -> None:
    """Push a folder's entries (names created, renamed, removed) to the disk; nothing to do off POSIX."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, write: Callable[[Path], None], *, durable: bool = True) -> None:
    """Write a file through `write(tmp_path)` into a temporary file beside it, then rename it into place.

    durable=False skips the fsync: still atomic (readers see the old file or the new one), but a
    power cut may lose the new content. For files the next run rebuilds anyway (output/build/,
    output/cache/), where 13,000 fsyncs would cost a quarter of a large build.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    os.close(fd)
    tmp_path = Path(tmp)
    # mkstemp makes the file private (0600); outputs should get the usual permissions under the umask.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp_path, 0o666 & ~umask)
    try:
        write(tmp_path)
        if durable:
            fsync_file(tmp_path)
        os.replace(tmp_path, path)
    except PermissionError as exc:
        tmp_path.unlink(missing_ok=True)
        raise UchetError(
            f"Не удалось записать «{path}»: файл открыт в другой программе (Word, Excel?). Закройте его и повторите."
        ) from exc
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write bytes atomically (see atomic_write)."""
    atomic_write(path, lambda tmp: tmp.write_bytes(data), durable=durable)
