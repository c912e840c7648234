"""The key that authenticates the build cache's pickle files (output/cache/*.pickle).

Unpickling a file runs whatever code the file asks for, and the output folder is often a shared drive
that other people can write to. The cache's files stay pickles (the validated workbooks and their data
frames: a data format would cost the no-op and one-group builds their speed, issue 7), but each carries
an HMAC-SHA256 made with a random key kept outside output/, readable by this user only:
`$UCHET_CACHE_KEY` if set, else `<config folder>/uchet/cache.key` (`%APPDATA%` on Windows,
`$XDG_CONFIG_HOME` or `~/.config` elsewhere). A file without a valid HMAC is never unpickled: it is
a cache miss, and the run does the full work. Another user's cache is a miss too (their key differs).
When no key can be kept (a read-only home folder), the cache is not used.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from functools import cache
from pathlib import Path

MAGIC = b"uchet-hmac-sha256\n"
_DIGEST = hashlib.sha256().digest_size


def key_path() -> Path:
    if os.environ.get("UCHET_CACHE_KEY"):
        return Path(os.environ["UCHET_CACHE_KEY"])
    base = os.environ.get("APPDATA") if os.name == "nt" else os.environ.get("XDG_CONFIG_HOME")
    return Path(base or Path.home() / ".config") / "uchet" / "cache.key"


@cache
def _key() -> bytes | None:
    path = key_path()
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(secrets.token_bytes(32))
        return _read(path)
    except FileExistsError:  # another run made it meanwhile
        return _read(path)
    except OSError:
        return None


def _read(path: Path) -> bytes | None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as fh:
        key = fh.read()
    return key if len(key) >= 32 else None


def signed(body: bytes) -> bytes | None:
    """Give body with its HMAC in front; None when there is no key (the cache is then not written)."""
    key = _key()
    if key is None:
        return None
    return MAGIC + hmac.new(key, body, hashlib.sha256).digest() + body


def verified(data: bytes) -> bytes | None:
    """Give the body of a signed file when its HMAC is right, else None."""
    key = _key()
    if key is None or not data.startswith(MAGIC):
        return None
    mac, body = data[len(MAGIC): len(MAGIC) + _DIGEST], data[len(MAGIC) + _DIGEST:]
    return body if hmac.compare_digest(mac, hmac.new(key, body, hashlib.sha256).digest()) else None
