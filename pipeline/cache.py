"""The build cache under output/cache/: what the last run read and wrote, so the next run can skip it.

Everything here is safe to delete (`make clean` does): a missing, unreadable or stale cache file only
makes the next run do the full work. Each entry is versioned by `code_version()`, a hash of the
project's own source and data files, so changing the code (a context builder, a schema, a rule)
invalidates every entry without anyone having to remember to clear the cache.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from functools import cache
from pathlib import Path
from typing import Any

from pipeline import cache_key
from pipeline.core.fsutil import atomic_write_bytes

CACHE_DIR = "cache"
_ROOT = Path(__file__).resolve().parents[1]
_CODE = ("pipeline", "schemas")
_CODE_SUFFIXES = (".py", ".json")


@cache
def code_version() -> str:
    """Give a hash of every .py and .json file of the pipeline and schemas packages (paths and bytes)."""
    digest = hashlib.sha256()
    for package in _CODE:
        for path in sorted((_ROOT / package).rglob("*")):
            if path.suffix in _CODE_SUFFIXES and "__pycache__" not in path.parts:
                digest.update(path.relative_to(_ROOT).as_posix().encode("utf-8") + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_dir(output_dir: Path) -> Path:
    """Give output/cache/ (not created)."""
    return Path(output_dir) / CACHE_DIR


def read_json(path: Path) -> dict[str, Any] | None:
    """Give a cache file's JSON object when it was written by this code version, else None."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("code_version") != code_version():
        return None
    return data


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write a cache file's JSON object, stamped with the code version."""
    text = json.dumps({"code_version": code_version(), **data}, ensure_ascii=False, separators=(",", ":"))
    atomic_write_bytes(path, text.encode("utf-8"), durable=False)


def read_pickle(path: Path, key: str) -> Any | None:
    """Give the object pickled under `key` by this code version, else None.

    Unpickling runs code, and output/ is often a shared folder: a file is unpickled only when its HMAC
    (pipeline.cache_key, a key kept outside output/) shows this user's own run wrote it. Anything else,
    a file planted by someone else, another user's cache, a truncated file, is a cache miss.
    """
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    body = cache_key.verified(data)
    if body is None:
        return None
    try:
        stamp, stored_key, value = pickle.loads(body)
    except Exception:  # an authenticated file of an older format: a cache miss, never a failure
        return None
    return value if (stamp, stored_key) == (code_version(), key) else None


def write_pickle(path: Path, key: str, value: Any) -> None:
    """Pickle `value` under `key`, stamped with the code version and signed with this user's key."""
    body = pickle.dumps((code_version(), key, value), protocol=pickle.HIGHEST_PROTOCOL)
    signed = cache_key.signed(body)
    if signed is not None:
        atomic_write_bytes(path, signed, durable=False)
