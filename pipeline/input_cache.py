"""Validation of an unchanged input folder, from output/cache/ instead of from the workbooks.

The whole Validation (Dataset and problems) is kept under a fingerprint of every file in the input
folder (names and bytes) and of the code version; when nothing changed, the next run unpickles it
instead of reading, checking and cross-checking 400 workbooks. When something changed, only the
changed workbooks are parsed again (pipeline.load keeps each workbook's frames), and the schemas,
the model and the cross-sheet rules run on everything, as they would without a cache.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pipeline import cache
from pipeline.validate import Validation, validate_input

VALIDATION = "validation.pickle"


def input_fingerprint(input_dir: Path) -> str:
    """Give a hash of the input folder: its resolved path, and every file's relative path and bytes."""
    input_dir = Path(input_dir)
    digest = hashlib.sha256(str(input_dir.resolve()).encode("utf-8") + b"\0")
    for path in sorted(p for p in input_dir.rglob("*") if p.is_file()):
        digest.update(path.relative_to(input_dir).as_posix().encode("utf-8") + b"\0")
        try:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            digest.update(b"unreadable")  # the loader reports it; the next run tries again
    return digest.hexdigest()


def validate_cached(input_dir: Path, cache_dir: Path) -> Validation:
    """Give validate_input(input_dir), from cache_dir when the input folder did not change since it was stored."""
    if not Path(input_dir).is_dir():
        return validate_input(input_dir, cache_dir)  # the loader's refusal
    key = input_fingerprint(input_dir)
    path = cache_dir / VALIDATION
    hit = cache.read_pickle(path, key)
    if isinstance(hit, Validation):
        return hit
    result = validate_input(input_dir, cache_dir)
    cache.write_pickle(path, key, result)
    return result
