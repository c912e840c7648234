"""Fit a text into a cell of a printed table: never wider than the cell.

First the text is set smaller, step by step down to a floor; what still does not fit at the floor is
wrapped onto more lines at the floor size. Widths are measured with the font's own metrics
(reportlab's stringWidth), the same the PDF is drawn with, so «fits» means fits on paper. Words break
at ordinary spaces only: a no-break space (U+00A0) or hyphen (U+2011) holds its words together; a
single word wider than the cell (no real name is, but a typo can be) is cut between letters rather
than let run over the next column.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth

STEP_PT = 0.5  # how much smaller each try is set


@dataclass(frozen=True)
class Fitted:
    size_pt: float
    lines: tuple[str, ...]


def printable(text: str) -> str:
    """The text as drawn: no-break characters made ordinary once the lines are decided (a PDF draws
    them the same, and a reader copying the text gets plain spaces and hyphens)."""
    return text.replace("\u00a0", " ").replace("\u2011", "-")


def width_pt(text: str, font: str, size_pt: float) -> float:
    return stringWidth(printable(text), font, size_pt)


def _cut(word: str, font: str, size_pt: float, width: float) -> list[str]:
    """A word wider than the cell, cut into pieces each of which fits."""
    pieces, current = [], ""
    for char in word:
        if current and width_pt(current + char, font, size_pt) > width:
            pieces.append(current)
            current = char
        else:
            current += char
    return [*pieces, current]


def wrap(text: str, font: str, size_pt: float, width: float) -> list[str]:
    """Greedy lines of `text` no wider than `width` points at `size_pt`."""
    lines: list[str] = []
    current = ""
    for word in (w for w in text.split(" ") if w):
        if width_pt(word, font, size_pt) > width:
            if current:
                lines.append(current)
            *whole, current = _cut(word, font, size_pt, width)
            lines += whole
            continue
        candidate = f"{current} {word}" if current else word
        if width_pt(candidate, font, size_pt) <= width:
            current = candidate
        else:
            lines.append(current)
            current = word
    return [*lines, current] if current else lines


def fit(text: str, font: str, width: float, size_pt: float, floor_pt: float) -> Fitted:
    """`text` on one line at the largest size from `size_pt` down to `floor_pt` that fits `width`
    points, else wrapped at `floor_pt`."""
    text = text.strip(" ")
    sizes, size = [], size_pt
    while size > floor_pt:
        sizes.append(size)
        size = round(size - STEP_PT, 3)
    for size in [*sizes, floor_pt]:
        if width_pt(text, font, size) <= width:
            return Fitted(size, (text,) if text else ())
    return Fitted(floor_pt, tuple(wrap(text, font, floor_pt, width)))
