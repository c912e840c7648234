"""Finish a rendered part without lxml, when the template proves that lxml would change nothing but the escaping.

docxtpl reparses every rendered part with lxml and serialises it again (after `fix_tables` and the
docPr renumbering for the body). For most templates that round trip changes the text in only three
ways, all predictable: `&#34;` and `&#39;` (Jinja's escapes) come out as `"` and `'`, an element left
without content comes out as `<x/>`, and the body's namespace declarations move to the document
element. `plan` decides once per template part whether that is all that can happen, for every
context; if so, `FastFinish.finish` does those edits on the string and skips the parse (about 40 % of
a 25-row protocol's render).

What the template must show (checked on its Jinja tokens, else the part keeps lxml's round trip):
* no Jinja inside a tag: values are only text, never attributes (so their escapes are text escapes);
* every value sits directly inside a `w:t` (so it never touches a tag docxtpl's regexes look for);
* every `{% for %}` / `{% if %}` branch leaves the stack of open elements as it found it (so any
  render is well formed): a balanced fragment, or one that closes a run's text and opens another
  (`{% if x %}</w:t><w:br/><w:t>…{% endif %}`); no other block statements except `{% set x = … %}`;
* no block directly inside a table row or grid, no row wider than its table's grid, and in every
  table a row that spans the whole grid outside any block, so that `fix_tables` never changes it;
  or such a row in a `{% for x in name.path %}` directly in a table outside any block: then a
  document whose `name.path` is empty (no such row, so fix_tables shrinks the grid) takes lxml's way;
* no drawing (`docPr`), whose ids docxtpl renumbers.
Then the finished bytes of probe renders (empty values, and values full of characters to escape)
must equal lxml's, which also pins down the document element around the body.

Values reach the template as plain data with autoescape on; a value marked safe (Markup) whose
text holds XML would be outside this proof, and the contexts built here never hold one.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from typing import Any

from jinja2 import Environment
from markupsafe import escape

_TAG = re.compile(r"<(/?)([^\s/<>!?]+)([^<>]*?)(/?)>")
_BLANK_TEXT = re.compile(r">\s+<")
_EMPTY_T = re.compile(r"<w:t((?: [^<>]*)?)></w:t>")
_GRID_SPAN = re.compile(r'\bw:val="(\d+)"')
_PROBE_MARK = "<w:uchetProbe/>"
_PROBE_VALUES = ("", " x ", "<&>\"' «ё» a\tb\nc & d", "&amp; &#34; ]]> {_{ }_}")
_BLOCKS = {"for": "endfor", "if": "endif"}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_BRANCHES = {"else", "elif"}


@dataclasses.dataclass(frozen=True)
class FastFinish:
    """How to turn a part's rendered XML into the bytes lxml's round trip would give."""

    source: str
    """The Jinja source to compile: the patched XML whose line-number newlines are Jinja comments."""
    head: bytes
    tail: bytes
    first: int
    """Length of the part's first tag, which `head` replaces."""
    last: int
    """Length of the part's last tag, which `tail` replaces."""
    empties: tuple[tuple[str, str], ...]
    """(start tag + end tag, self-closed tag) of every element that may render empty."""
    keep_blanks: bool
    """False where docxtpl parses with remove_blank_text (headers, footers): whitespace-only text bails out."""
    guards: tuple[Callable[[dict], Any], ...] = ()
    """Loop sequences that must be non-empty in the context for the fast finish to hold."""
    guard_sources: tuple[str, ...] = ()
    """The expressions `guards` were compiled from (what a kept compiled template stores)."""

    def to_data(self) -> dict[str, Any]:
        """Give this plan as plain JSON data (pipeline.render.template_store keeps it between runs)."""
        return {"source": self.source, "head": self.head.decode("utf-8"), "tail": self.tail.decode("utf-8"),
                "first": self.first, "last": self.last, "empties": [list(pair) for pair in self.empties],
                "keep_blanks": self.keep_blanks, "guards": list(self.guard_sources)}

    @classmethod
    def from_data(cls, env: Environment, data: dict[str, Any]) -> FastFinish:
        """Give back a plan `to_data` gave, its guards compiled again in `env`."""
        sources = tuple(str(expr) for expr in data["guards"])
        return cls(str(data["source"]), data["head"].encode("utf-8"), data["tail"].encode("utf-8"),
                   int(data["first"]), int(data["last"]), tuple((str(a), str(b)) for a, b in data["empties"]),
                   bool(data["keep_blanks"]), _compile_guards(env, sources), sources)

    def applies(self, context: dict) -> bool:
        """Tell whether this context renders every table's full-width row (see the module docstring)."""
        for guard in self.guards:
            value = guard(context)
            if not isinstance(value, list | tuple | dict | str) or not value:
                return False
        return True

    def finish(self, xml: str, listed: bool) -> bytes | None:
        """Give the part's bytes, or None when this render must take lxml's round trip after all."""
        finished = self.finish_pieces([xml], listed)
        return None if finished is None else b"".join(finished)

    def finish_pieces(self, pieces: list[str], listed: bool) -> Iterator[bytes] | None:
        """Give the part's bytes piece by piece, or None when this render must take lxml's round trip.

        `pieces`: the part's XML cut between paragraphs (pipeline.render.compile.cut_between_paragraphs),
        where none of the steps below can match across a cut. Each piece is dropped from the list once
        its bytes are given, so that the text is never held twice.
        """
        if not self.keep_blanks and any(_BLANK_TEXT.search(xml) for xml in pieces):
            return None
        return self._finished(pieces, listed)

    def _finished(self, pieces: list[str], listed: bool) -> Iterator[bytes]:
        yield self.head
        last = len(pieces) - 1
        for i, xml in enumerate(pieces):
            pieces[i] = ""
            if "&#3" in xml:
                xml = xml.replace("&#34;", '"').replace("&#39;", "'")
            for pair, single in self.empties:
                if pair in xml:
                    xml = xml.replace(pair, single)
            if listed:  # resolve_listing splits a w:t at a newline or tab and may leave either side empty
                xml = _EMPTY_T.sub(r"<w:t\1/>", xml)
            start = self.first if i == 0 else 0
            end = len(xml) - self.last if i == last else len(xml)
            yield xml[start:end].encode("utf-8")
        yield self.tail


def plan(env: Environment, patched: str, slow: Callable[[str], bytes],
         post: Callable[[str], tuple[str, bool]], keep_blanks: bool) -> FastFinish | None:
    """Give how to finish this part without lxml, or None when the template does not prove it safe.

    `patched` is the part's XML after docxtpl's patch_xml; `slow(xml)` finishes rendered XML the way
    docxtpl does (lxml round trip); `post(xml)` applies docxtpl's post-render string steps.
    """
    if "docPr" in patched or "\n<w:p" in patched or "{<w:p" in patched:
        return None
    source = re.sub(r"<w:p([ >])", r"{#\n#}<w:p\1", patched)
    try:
        shape = _Shape.of(env, source)
    except Exception:  # _Unproven, or a template the walk does not follow
        return None
    try:
        head, tail = slow(shape.first_tag + _PROBE_MARK + shape.last_tag).split(_PROBE_MARK.encode(), 1)
    except Exception:
        return None
    if _PROBE_MARK.encode() in tail:
        return None
    sources = tuple(sorted(shape.guards))
    fast = FastFinish(source, head, tail, len(shape.first_tag), len(shape.last_tag),
                      tuple((s + f"</{n}>", s[:-1] + "/>") for s, n in sorted(shape.empties)), keep_blanks,
                      _compile_guards(env, sources), sources)
    for value in _PROBE_VALUES:
        xml, listed = post(shape.skeleton(str(escape(value))))
        try:
            expected = slow(xml)
        except Exception:
            return None
        if fast.finish(xml, listed) not in (None, expected):
            return None
    return fast


def _compile_guards(env: Environment, sources: tuple[str, ...]) -> tuple[Callable[[dict], Any], ...]:
    return tuple(env.compile_expression(expr, undefined_to_none=False) for expr in sources)


class _Unproven(Exception):
    """The template does something the fast finish does not cover."""


_TABLE_PARTS = {"w:tbl", "w:tblGrid", "w:gridCol", "w:tr", "w:tc", "w:tcPr", "w:gridSpan"}


@dataclasses.dataclass
class _Element:
    name: str
    start: str
    block: int  # the innermost Jinja block branch it started in (0: none)
    static: bool = False  # has content every render that writes its start tag also writes
    # tables: grid columns, has a grid, widest row (cells), widest unconditional row (spanned columns)
    cols: int = 0
    grid: bool = False
    max_cells: int = 0
    max_span: int = 0
    guarded: dict[str, int] = dataclasses.field(default_factory=dict)  # loop sequence: widest row in its loop
    # rows: cells and spanned columns, and the loop sequence it is guarded by
    cells: int = 0
    span: int = 0
    guard: str | None = None


class _Shape:
    """The static shape of a part's Jinja source, walked token by token."""

    def __init__(self):
        self.pieces: list[str | None] = []  # data, None where a value goes
        self.empties: set[tuple[str, str]] = set()
        self.first_tag = self.last_tag = ""
        self.branches = 0
        # (keyword, open element names, branch id, the loop's sequence when a for body over a dotted name)
        self.blocks: list[tuple[str, tuple[str, ...], int, str | None]] = []
        self.guards: set[str] = set()

    @property
    def branch(self) -> int:
        return self.blocks[-1][2] if self.blocks else 0

    @classmethod
    def of(cls, env: Environment, source: str) -> _Shape:
        shape = cls()
        stack: list[_Element] = []
        tokens = list(env.lex(source))
        comments = sum(1 for _, kind, value in tokens if kind == "comment" and value == "\n")
        if comments != source.count("{#\n#}"):
            raise _Unproven("a line-number comment is not lexed as one")
        i = 0
        while i < len(tokens):
            _, kind, value = tokens[i]
            if kind == "data":
                shape.pieces.append(value)
                shape._data(value, stack)
            elif kind == "variable_begin":
                if not stack or stack[-1].name != "w:t":
                    raise _Unproven("a value outside w:t")
                shape.pieces.append(None)
            elif kind == "block_begin":
                words = []
                while tokens[i][1] != "block_end":
                    if tokens[i][1] not in ("block_begin", "whitespace"):
                        words.append(tokens[i][2])
                    i += 1
                shape._block(words, stack)
            i += 1
        if stack or shape.blocks:
            raise _Unproven("unbalanced")
        return shape

    def _data(self, text: str, stack: list[_Element]) -> None:
        pos = 0
        for m in _TAG.finditer(text):
            self._text(text[pos:m.start()], stack)
            pos = m.end()
            closing, name, attrs, empty = m.groups()
            tag = m.group(0)
            if not self.first_tag:
                if stack or closing or empty:
                    raise _Unproven("the part does not start with its element")
                self.first_tag = tag
            if closing:
                if not stack or stack[-1].name != name:
                    raise _Unproven(f"</{name}> does not close the open element")
                self._close(stack.pop(), stack)
                if not stack:
                    self.last_tag = tag
                continue
            if not stack and self.last_tag:
                raise _Unproven("content after the part's element")
            self._open(name, tag, attrs, stack)
            if empty:
                self._close(stack.pop(), stack, self_closed=True)
        self._text(text[pos:], stack)

    def _text(self, text: str, stack: list[_Element]) -> None:
        if not text:
            return
        if "<" in text or ">" in text or not stack:
            raise _Unproven("Jinja inside a tag, or text outside the part's element")
        if stack[-1].block == self.branch:
            stack[-1].static = True

    def _open(self, name: str, tag: str, attrs: str, stack: list[_Element]) -> None:
        parent = stack[-1] if stack else None
        if parent is not None and parent.block == self.branch:
            parent.static = True
        path = [e.name for e in stack[-3:]]
        if name == "w:tblGrid" and parent is not None and parent.name == "w:tbl":
            if parent.block != self.branch:
                raise _Unproven("a conditional table grid")
            parent.grid = True
        elif name == "w:gridCol" and path[-2:] == ["w:tbl", "w:tblGrid"]:
            stack[-2].cols += 1
        elif name == "w:tc" and path[-1:] == ["w:tr"]:
            stack[-1].cells += 1
            stack[-1].span += 1
        elif name == "w:gridSpan" and path == ["w:tr", "w:tc", "w:tcPr"]:
            m = _GRID_SPAN.search(attrs)
            if not m:
                raise _Unproven("a gridSpan without a number")
            stack[-3].span += int(m.group(1)) - 1
        element = _Element(name, tag, self.branch)
        if name == "w:tr" and parent is not None and parent.name == "w:tbl" and parent.block == 0:
            if len(self.blocks) == 1 and self.blocks[0][3] is not None:
                element.guard = self.blocks[0][3]
        stack.append(element)

    def _close(self, element: _Element, stack: list[_Element], self_closed: bool = False) -> None:
        crossing = element.block != self.branch  # opened in one block branch, closed in another
        if crossing and element.name in _TABLE_PARTS:
            raise _Unproven("a table element opens and closes in different block branches")
        if (crossing or not element.static) and not self_closed:
            self.empties.add((element.start, element.name))
        if element.name == "w:tr":
            # fix_tables walks every row under a table, nested tables' rows included.
            for table in (e for e in stack if e.name == "w:tbl"):
                table.max_cells = max(table.max_cells, element.cells)
                if element.block == table.block:
                    table.max_span = max(table.max_span, element.span)
            if element.guard is not None and stack[-1].name == "w:tbl":
                table = stack[-1]
                table.guarded[element.guard] = max(table.guarded.get(element.guard, 0), element.span)
        elif element.name == "w:tbl":
            if not element.grid or element.max_cells > element.cols:
                raise _Unproven("fix_tables would widen a table")
            if element.max_span < element.cols:
                guard = next((g for g, span in sorted(element.guarded.items()) if span >= element.cols), None)
                if guard is None:
                    raise _Unproven("fix_tables would narrow a table")
                self.guards.add(guard)

    def _block(self, words: list[str], stack: list[_Element]) -> None:
        keyword = words[0] if words else ""
        names = tuple(e.name for e in stack)
        if keyword in _BLOCKS:
            if names[-1:] in (("w:tr",), ("w:tblGrid",)):
                raise _Unproven("a block among a row's cells or a grid's columns")
            self.branches += 1
            sequence = None
            if keyword == "for" and "in" in words:
                rest = words[words.index("in") + 1:]
                if rest and all(_NAME.fullmatch(w) for w in rest[::2]) and all(w == "." for w in rest[1::2]):
                    sequence = "".join(rest)
            self.blocks.append((keyword, names, self.branches, sequence))
        elif keyword in _BRANCHES or keyword in _BLOCKS.values():
            if not self.blocks or self.blocks[-1][1] != names:
                raise _Unproven("a block branch does not leave the open elements as it found them")
            opened = self.blocks.pop()[0]
            if keyword in _BRANCHES:
                if keyword == "elif" and opened != "if":
                    raise _Unproven("elif outside if")
                self.branches += 1
                self.blocks.append((opened, names, self.branches, None))
            elif _BLOCKS[opened] != keyword:
                raise _Unproven("mismatched block end")
        elif keyword == "set" and "=" in words:
            pass
        else:
            raise _Unproven(f"block statement {keyword!r}")

    def skeleton(self, value: str) -> str:
        """Give the part with every block's body taken once and every value replaced by `value`."""
        return "".join(value if piece is None else piece for piece in self.pieces)
