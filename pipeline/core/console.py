"""Invisible and direction-changing characters never reach a file name or the console.

A name typed (or pasted) with U+202E RIGHT-TO-LEFT OVERRIDE shows «Приказ\u202excod.exe» as
«Приказexe.docx»; zero-width characters make two names that look the same differ; emoji in a folder
name break older archive software and backups. `visible` removes them: Unicode format characters (Cf:
bidi controls, zero-width spaces and joiners, the BOM), private-use, surrogate and unassigned code
points, variation selectors, and emoji and pictographs. Letters, digits, punctuation, «№», «°» and
currency signs stay.
"""

from __future__ import annotations

import io
import re
import sys
import unicodedata

_EMOJI = re.compile(
    "[\U0001F000-\U0001FAFF\U00002600-\U000027BF\U0001FC00-\U0001FFFF\U0000FE00-\U0000FE0F\U000E0000-\U000E007F"
    "\U00002B00-\U00002BFF\U0000200D]"
)
_HIDDEN_CATEGORIES = {"Cf", "Co", "Cs", "Cn"}


def _has_hidden(text: str) -> bool:
    return any(ord(ch) > 0x7E for ch in text)


def visible(text: str) -> str:
    """Give text without invisible, bidi-control and emoji characters (ASCII text is returned as is)."""
    if not _has_hidden(text):
        return text
    text = _EMOJI.sub("", text)
    return "".join(ch for ch in text if ch in "\t\n\r" or unicodedata.category(ch) not in _HIDDEN_CATEGORIES)


class VisibleStream(io.TextIOBase):
    """A text stream that writes what `visible` leaves of each string to the stream it wraps."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError("text stream")  # click probes with bytes to tell text streams from binary ones
        return self._stream.write(visible(text))

    def flush(self):
        return self._stream.flush()

    def isatty(self):
        return self._stream.isatty()

    def fileno(self):
        return self._stream.fileno()

    @property
    def encoding(self):
        return getattr(self._stream, "encoding", None) or "utf-8"

    @property
    def errors(self):
        return getattr(self._stream, "errors", None) or "strict"

    def writable(self):
        return True


def install() -> None:
    """Filter sys.stdout and sys.stderr for the rest of the process (the command line calls this)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, VisibleStream):
            setattr(sys, name, VisibleStream(stream))
