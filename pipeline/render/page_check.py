"""Page-level checks of a document as LibreOffice lays it out: what a signer sees on paper.

`check_pdf(pdf, docx)` reads the PDF LibreOffice made of a built document (pdfplumber: text and
ruled tables page by page) and the DOCX it came from, and gives what a records officer would have to
correct by pen, each naming the page:

* the last page holds only a signature block (position, line, «И.О. Фамилия», «М. П.») or nothing;
* a table column is empty in every row, its heading included (a column nobody can fill or read);
* a word is split across lines with no hyphen, as a narrow column does («удовлетворитель⏎но»).

The split test needs no dictionary: the DOCX holds every word whole. Two fragments at the end of one
line and the start of the next are a split word when the DOCX has their join as a word, and not both
fragments as words of their own (a normal wrap ends and starts a line with whole words).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

# «И.О. Фамилия», «И. О. Фамилия», «А. Фамилия-Вторая»; at the end of a line (the name is right-aligned).
_NAME_AT_END = re.compile(r"(?:[А-ЯЁ]\.[\s\u00a0]?){1,2}[\s\u00a0]?[А-ЯЁ][а-яё]+(?:[-\u2011][А-ЯЁ][а-яё]+)?\s*$")
_SEAL = re.compile(r"^М\.\s?П\.?$")
_PAGE_NUMBER = re.compile(r"^\d{1,4}$")
_EDGE_PUNCT = "«»()[]{}.,;:!?\"'—–"
_LETTER_END = re.compile(r"[а-яёА-ЯЁa-zA-Z]$")
_LOWER_START = re.compile(r"^[а-яё]")
_PARAGRAPH = re.compile(r"<w:p[ >].*?</w:p>", re.S)
_TEXT_OR_BREAK = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>|<w:(tab|br|noBreakHyphen)\b[^>]*/>")


@dataclass(frozen=True)
class PageProblem:
    page: int
    what: str

    def message(self, name: str) -> str:
        return f"«{name}», стр. {self.page}: {self.what}"


def _normal(text: str) -> str:
    """One spelling for what LibreOffice and Word write differently: hyphens, spaces, entities."""
    text = text.replace("\u2011", "-").replace("\u00ad", "").replace("\u00a0", " ")
    return text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')


def docx_words(docx: Path) -> set[str]:
    """Every word of the document's body, headers and footers, lower-cased, edge punctuation stripped."""
    words: set[str] = set()
    with zipfile.ZipFile(docx) as z:
        for name in z.namelist():
            if not (name.startswith("word/") and name.endswith(".xml")):
                continue
            xml = z.read(name).decode("utf-8", "replace")
            for paragraph in _PARAGRAPH.findall(xml):
                parts = []
                for text, mark in _TEXT_OR_BREAK.findall(paragraph):
                    parts.append(text if not mark else ("-" if mark == "noBreakHyphen" else " "))
                words.update(_word(w) for w in _normal("".join(parts)).split())
    words.discard("")
    return words


def _word(token: str) -> str:
    return token.strip(_EDGE_PUNCT).lower()


def split_words(lines: list[str], words: set[str]) -> list[str]:
    """The words that `lines` (consecutive lines of one cell or paragraph) break in the middle, as
    «удовлетворитель|но»; a long word in a narrow column may run over three lines or more."""
    lines = [_normal(line).strip() for line in lines]
    found = []
    i = 0
    while i < len(lines) - 1:
        if not lines[i] or not _LETTER_END.search(lines[i]):
            i += 1
            continue
        pieces, j = [lines[i].split()[-1]], i + 1
        while j < len(lines) and lines[j] and _LOWER_START.match(lines[j]):
            pieces.append(lines[j].split()[0])
            if _word("".join(pieces)) in words or len(lines[j].split()) > 1 or not _LETTER_END.search(lines[j]):
                break
            j += 1
        joined = _word("".join(pieces))
        if len(pieces) > 1 and joined in words and not all(_word(p) in words for p in pieces):
            found.append("|".join(pieces))
            i = j
        else:
            i += 1
    return found


def signature_only(lines: list[str]) -> bool:
    """True when every line is part of a signature block: «М. П.», a line ending in «И.О. Фамилия», or a
    short line of the position just above such a line (a position wraps over two or three lines)."""
    if not lines or all(_SEAL.match(line) for line in lines):
        return True  # «М. П.» alone: the seal's mark torn from the signature it belongs to
    names = [bool(_NAME_AT_END.search(line)) for line in lines]
    if not any(names):
        return False
    for i, line in enumerate(lines):
        if names[i] or _SEAL.match(line):
            continue
        below = next((j for j in range(i + 1, len(lines)) if names[j]), None)
        position_like = len(line) <= 45 and not re.search(r"\d|[.:;]$", line)
        if below is None or below - i > 3 or not position_like:
            return False
    return True


def empty_columns(table: list[list[str | None]]) -> list[int]:
    """1-based columns of a ruled table empty in every row, heading included."""
    if len(table) < 2:
        return []
    width = max(len(row) for row in table)
    return [c + 1 for c in range(width)
            if all(not (row[c] or "").strip() for row in table if c < len(row))]


def check_pdf(pdf: Path, docx: Path) -> list[PageProblem]:
    """Give what the signer of `docx` would have to correct on the pages of its `pdf`."""
    words = docx_words(docx)
    problems: list[PageProblem] = []
    with pdfplumber.open(pdf) as document:
        pages = document.pages
        for number, page in enumerate(pages, 1):
            tables = page.find_tables()
            for t, table in enumerate(tables, 1):
                rows = table.extract()
                for column in empty_columns(rows):
                    problems.append(PageProblem(number, f"таблица {t}: столбец {column} пуст во всех строках, "
                                                        "и у него нет заголовка"))
                for row in rows:
                    for cell in row:
                        for split in split_words((cell or "").split("\n"), words):
                            problems.append(PageProblem(number, f"слово разорвано переносом в ячейке таблицы: «{split}»"))
            outside = page
            for table in tables:
                outside = outside.outside_bbox(table.bbox)
            lines = [line for line in (outside.extract_text() or "").split("\n") if line.strip()]
            for split in split_words(lines, words):
                problems.append(PageProblem(number, f"слово разорвано переносом: «{split}»"))
            if number == len(pages) and not tables:
                content = [line.strip() for line in lines if not _PAGE_NUMBER.match(line.strip())]
                if signature_only(content):
                    problems.append(PageProblem(number, "последняя страница содержит только подпись"
                                                        + ("" if content else " (она пуста)")))
    return list(dict.fromkeys(problems))  # a word split the same way in ten rows of a page is told once
