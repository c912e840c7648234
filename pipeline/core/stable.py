"""Byte-stable Office files: the same content always gives the same bytes.

openpyxl and python-docx stamp the clock into zip entries and document properties; files that are
rewritten on every run (the index, the labels, templates, sample workbooks) would then change on every run. These helpers fix both,
and write a file only when its bytes really changed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from pipeline.core.fsutil import atomic_write_bytes

EPOCH = (1980, 1, 1, 0, 0, 0)
_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")
FIXED_TIME = dt.datetime(2000, 1, 1)


def stable_zip(data: bytes) -> bytes:
    """Give the zip with every entry's timestamp fixed, entries in their original order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                # openpyxl stamps «modified» with the clock inside save(), after any value we set.
                data = _STAMP.sub(rb"\g<1>" + FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", data)
            dst.writestr(info, data)
    return out.getvalue()


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write data atomically unless the file already holds exactly these bytes; give whether it wrote."""
    if path.is_file() and path.read_bytes() == data:
        return False
    atomic_write_bytes(path, data)
    return True
