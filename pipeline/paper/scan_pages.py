"""The pages of a scan of a signed original, for the printed дело: how many, and as PDF pages to bind in.

A PDF scan is taken as it is; an image (JPEG, PNG, TIFF; a TIFF may hold several pages) becomes one PDF
page per frame through Pillow, at the resolution the scanner recorded (300 dpi when it recorded none).
A scan that cannot be read counts as unknown (None), like a document without its PDF/A copy.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageSequence, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError

DEFAULT_DPI = 300


def scan_pages(path: Path) -> int | None:
    """Give the number of pages of a scan (None when it cannot be read)."""
    try:
        if path.suffix.lower() == ".pdf":
            return len(PdfReader(path).pages)
        with Image.open(path) as image:
            return getattr(image, "n_frames", 1)
    except (OSError, PdfReadError, UnidentifiedImageError, ValueError):
        return None


def scan_pdf(path: Path, out: Path) -> Path:
    """Give a PDF of the scan: the file itself when it is a PDF, else its frames written to `out`."""
    if path.suffix.lower() == ".pdf":
        return path
    with Image.open(path) as image:
        dpi = image.info.get("dpi", (DEFAULT_DPI, DEFAULT_DPI))[0] or DEFAULT_DPI
        frames = [frame.convert("RGB") for frame in ImageSequence.Iterator(image)]
    frames[0].save(out, "PDF", resolution=float(dpi), save_all=True, append_images=frames[1:])
    return out


__all__ = ["scan_pages", "scan_pdf"]
