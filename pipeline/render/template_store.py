"""Compiled templates kept between runs as plain JSON, so that a run which renders a few documents does
not compile their templates again (0.1-0.3 s each, most of a one-group edit's render).

What is kept is `CompiledTemplate.to_data()`: the parts' patched XML and Jinja sources, the fast-finish
plans, the document shell, the core properties and the deflated static members — text, numbers and
base64, read back with `json.loads` and nothing else. A kept entry is found by the hash of the
template's bytes and stands under a key made of everything else its content depends on: this code
(`pipeline.cache.code_version`), the versions of the libraries that shape the bytes (python-docx,
docxtpl, Jinja, lxml, zlib, Python), the fixed zip timestamp (SOURCE_DATE_EPOCH) and whether the fast
finish is allowed. The payload carries its own sha256: a file of another key, a truncated or
damaged one, is a miss and the template is compiled again (and kept anew).

Where: beside Jinja's own compiled code, in the user's private cache folder (pipeline.core.user_cache:
~/.cache/uchet, created 0700 and checked to be the user's own), not under output/, which may be a
shared folder. The Jinja sources of a template are code of a kind (a template can call what its
context offers), so they are kept only where no one but the user running uchet can write; where no
such folder exists nothing is kept.
"""

from __future__ import annotations

import hashlib
import json
import sys
import zlib
from functools import cache
from pathlib import Path
from typing import Any

import docx
import docxtpl
import jinja2
from lxml import etree

from pipeline.cache import code_version
from pipeline.core.fsutil import atomic_write_bytes


@cache
def _environment() -> str:
    return json.dumps([code_version(), docx.__version__, docxtpl.__version__, jinja2.__version__,
                       list(etree.LXML_VERSION), zlib.ZLIB_RUNTIME_VERSION, sys.version])


def key(template_sha256: str, fast: bool, stamp: str) -> str:
    """Give the key a compiled template is kept under: its template's hash and what else shapes it."""
    return hashlib.sha256(f"{_environment()}\0{template_sha256}\0{fast}\0{stamp}".encode()).hexdigest()


def path_of(folder: Path, template_sha256: str, fast: bool) -> Path:
    """Give the file a template's compiled form is kept in (one per template content and render mode)."""
    return Path(folder) / f"uchet-template-{template_sha256[:40]}-{'fast' if fast else 'safe'}.json"


def read(folder: Path, template_sha256: str, fast: bool, stamp: str) -> dict[str, Any] | None:
    """Give the kept data of this template under this key, else None."""
    try:
        raw = path_of(folder, template_sha256, fast).read_bytes()
        head, newline, payload = raw.partition(b"\n")
        stored_key, digest = json.loads(head)
        if not newline or stored_key != key(template_sha256, fast, stamp):
            return None
        if hashlib.sha256(payload).hexdigest() != digest:
            return None
        data = json.loads(payload)
    except (OSError, ValueError, TypeError):
        return None
    return data if isinstance(data, dict) else None


def write(folder: Path, template_sha256: str, fast: bool, stamp: str, data: dict[str, Any]) -> None:
    """Keep a template's data under its key; a folder that cannot be written keeps nothing (never fails a run)."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    head = json.dumps([key(template_sha256, fast, stamp), hashlib.sha256(payload).hexdigest()]).encode("ascii")
    try:
        atomic_write_bytes(path_of(folder, template_sha256, fast), head + b"\n" + payload, durable=False)
    except OSError:
        pass
