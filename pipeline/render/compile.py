"""Compile each DOCX template once, render many documents from it, byte for byte as docxtpl would.

docxtpl's obvious loop (`DocxTemplate(path)`, `render`, `save` per document) spends 80-95 % of its
time on work that depends only on the template: unzipping and parsing every part, `patch_xml`,
compiling Jinja, re-serialising and re-deflating styles, fonts and settings. `compile_template`
does that once; `CompiledTemplate.render(context)` does only the per-document steps of
`DocxTemplate.render()` (Jinja render, docxtpl's post-processing regexes, `resolve_listing`,
`fix_tables` and the docPr renumbering, python-docx's serialisation) and zips the result next to
static parts kept as ready deflated bytes. For the same context, every part of the output equals,
uncompressed, what `DocxTemplate(path).render(ctx, jinja_env=make_env(), autoescape=True)` + `save()`
writes (tests/test_render.py compares them on nasty contexts).

The lxml round trip of the body, headers and footers (parse, fix_tables, serialise: 40 % of a
protocol's render) is skipped for a part whose template proves that it could only change escapes,
empty elements and the body's namespace declarations (pipeline.render.fast; every template in
templates_docx/ qualifies). A template with column loops, drawings or tags inside attributes keeps the
round trip; UCHET_SAFE_RENDER=1 keeps it for every template.

Rules every render follows:
* autoescape on: `& < > " ' « »` and `{{ x }}` in data come out literally;
* StrictUndefined: a missing variable stops the run with the template, the variable and the
  paragraph named (TemplateRenderError, exit code 2);
* a value's newline becomes a line break and a tab a tab (docxtpl's `resolve_listing`, which it
  applies to every rendered part); «\\r\\n» and a lone «\\r» count as a newline;
* any other control character XML forbids (\\x00-\\x08, \\x0b, \\x0c, \\x0e-\\x1f), a lone surrogate,
  U+FFFE or U+FFFF is refused with the variable's path: validation upstream should have refused it,
  a corrupt document must not be filed;
* deterministic bytes: fixed member order (python-docx's), zip timestamps at 1980-01-01 00:00 or
  SOURCE_DATE_EPOCH, document properties from the template (a template without docProps/core.xml
  gets python-docx's default with the same fixed date instead of the clock).

Worker processes: a CompiledTemplate pickles as its path and is recompiled on arrival
(`compile_template` caches by path, mtime and size, so each worker compiles a template once; with
the fork start method the parent's cache is inherited and nothing is recompiled).
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import datetime as dt
import hashlib
import io
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import docx
import docx.oxml.ns
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.coreprops import CoreProperties
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate
from jinja2 import (
    BaseLoader,
    Environment,
    FileSystemBytecodeCache,
    StrictUndefined,
    Template,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
    meta,
)
from lxml import etree

from pipeline.core import ru
from pipeline.core.errors import UchetError
from pipeline.core.user_cache import user_cache_folder
from pipeline.render import fast as render_fast
from pipeline.render import template_store

# docxtpl's stateless helpers (patch_xml, resolve_listing, fix_tables), borrowed from an instance
# that never loads a document, so the output follows whichever docxtpl release is installed.
_DOCXTPL = DocxTemplate(io.BytesIO())
_HEADER_FOOTER = (DocxTemplate.HEADER_URI, DocxTemplate.FOOTER_URI)
_CORE_PROPS = ("author", "comments", "identifier", "language", "subject", "title")  # as render_properties
_FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)  # python-docx's oxml_parser
# Control characters XML forbids, and code points no XML document may hold (lone surrogates, U+FFFE/U+FFFF).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TAGS = re.compile(r"<[^>]+>")
_TEMPLATE_FILE = "<template>"


SAFE_RENDER_ENV = "UCHET_SAFE_RENDER"
"""Set (to anything) to finish every part through lxml, as docxtpl does, even where render_fast proves it needless."""


class TemplateRenderError(UchetError):
    """A template cannot be compiled or rendered: a broken tag, a missing variable, a forbidden character."""


def make_env() -> Environment:
    """Give the Jinja environment every template renders in: autoescape, StrictUndefined, ru.FILTERS."""
    # finalize: an empty optional field (None) prints as nothing, not «None»; a missing variable still
    # fails through StrictUndefined.
    env = Environment(autoescape=True, undefined=StrictUndefined, finalize=_finalize)
    env.filters.update(ru.FILTERS)
    return env


class _ForbiddenValue(ValueError):
    """A value to print holds a character no XML document may hold."""


def _finalize(value: Any) -> Any:
    # Every printed value passes here (the template's own text cannot hold such characters), so
    # checking values is enough and cheaper than searching each rendered part.
    if value is None:
        return ""
    if isinstance(value, str) and _FORBIDDEN.search(value):
        raise _ForbiddenValue
    return value


def fixed_timestamp() -> dt.datetime:
    """Give the moment stamped into zips and default properties: SOURCE_DATE_EPOCH, else 1980-01-01 UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        # Zip's DOS dates cannot go before 1980.
        return max(dt.datetime.fromtimestamp(int(epoch), dt.UTC), dt.datetime(1980, 1, 1, tzinfo=dt.UTC))
    return dt.datetime(1980, 1, 1, tzinfo=dt.UTC)


@dataclasses.dataclass(frozen=True)
class _Part:
    """A part rendered per document: its zip member name, compiled Jinja and how to finish it."""

    member: str
    label: str  # for messages: «основной текст», «верхний колонтитул», ...
    source: str  # the patched XML Jinja compiled, kept for error context
    template: Template
    finish: str  # "body", "xmlpart" (header/footer), "raw" (footnotes)
    encoding: str = "utf-8"
    fast: render_fast.FastFinish | None = None  # set when the part provably needs no lxml round trip


_TRANSITIONAL_CORE = RT.CORE_PROPERTIES.replace("/package/", "/officeDocument/")


def standard_core_relationship(data: bytes) -> bytes:
    """Give the .docx with its core properties related under the standard type.

    LibreOffice relates core properties under the transitional type
    (…/officeDocument/2006/relationships/metadata/core-properties). python-docx does not see it, adds a
    second docProps/core.xml stamped with the clock, and the zip then holds two members of that name.
    Rewriting the package's own relationship list before python-docx reads it keeps the template's part.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        rels = source.read("_rels/.rels")
        if _TRANSITIONAL_CORE.encode().lower() not in rels.lower():
            return data
        fixed = re.sub(re.escape(_TRANSITIONAL_CORE).encode(), RT.CORE_PROPERTIES.encode(), rels, flags=re.I)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                target.writestr(info, fixed if info.filename == "_rels/.rels" else source.read(info))
    return out.getvalue()

class _Sources(BaseLoader):
    """The parts' Jinja sources by the hash of their text, so Jinja's bytecode cache can serve them."""

    def __init__(self) -> None:
        self.by_name: dict[str, str] = {}

    def get_source(self, environment: Environment, name: str):
        if name not in self.by_name:
            raise TemplateNotFound(name)
        return self.by_name[name], None, lambda: True


class _QuietBytecodeCache(FileSystemBytecodeCache):
    """A cache that cannot fail a run: a file it cannot read or write is compiled as if never kept."""

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def jinja_bytecode_cache() -> FileSystemBytecodeCache | None:
    """Jinja's compiled code, kept between runs in the user's private cache folder (pipeline.core.user_cache).

    Compiling a large template's Jinja (the journal's) takes about half a second of CPU, paid again by
    every run that renders even one document of it, such as a one-group edit. The cache is keyed by the
    source's hash and checked against Jinja's and Python's versions; None (no cache) where there is no
    private folder. (It was Jinja's default folder under the temporary folder, which a run points into
    output/cache/tmp/ and removes at its end: nothing was kept from one build to the next.)
    """
    folder = user_cache_folder()
    return _QuietBytecodeCache(str(folder), pattern="uchet-jinja-%s.cache") if folder is not None else None


class CompiledTemplate:
    """A template prepared once; `render(context)` gives a document's .docx bytes."""

    def __init__(self, path: Path, *, fast: bool = True):
        self._start(path, fast)
        data = self.path.read_bytes()
        self.sha256 = hashlib.sha256(data).hexdigest()
        """Hash of the template file: part of a document's inputs hash for incremental builds."""
        doc = docx.Document(io.BytesIO(standard_core_relationship(data)))
        self._parts: list[_Part] = []
        self._static: dict[str, bytes] = {}
        self._core_dynamic = self._prepare_core_properties(doc)
        self._prepare_body(doc)
        self._prepare_headers_footers(doc)
        self._prepare_footnotes(doc)
        self._zip = _ZipTemplate(self._member_order(doc), self._static, fixed_timestamp())

    def _start(self, path: Path, fast: bool) -> None:
        self.path = Path(path)
        self._allow_fast = fast and not os.environ.get(SAFE_RENDER_ENV)
        self.name = self.path.name
        self.env = make_env()
        self.env.loader, self.env.bytecode_cache = _Sources(), jinja_bytecode_cache()
        self._variables: frozenset[str] | None = None  # worked out when asked for (docs, proofs): 0.8 s for all templates

    @property
    def fast_allowed(self) -> bool:
        """Tell whether parts may be finished without lxml (off with UCHET_SAFE_RENDER or fast=False)."""
        return self._allow_fast

    def to_data(self) -> dict[str, Any]:
        """Give everything a render needs as plain JSON data (text and numbers; bytes as base64).

        What `from_data` makes of it renders byte for byte as this template; it skips what compiling
        costs (python-docx reading the package, the fast-finish proofs, deflating the static parts).
        """
        return {
            "sha256": self.sha256,
            "fast": self._allow_fast,
            "parts": [[p.member, p.label, p.source, p.finish, p.encoding, p.fast.to_data() if p.fast else None]
                      for p in self._parts],
            "core": self._core_sources,
            "core_element": _b64(etree.tostring(self._core_element)),
            "shell": _b64(etree.tostring(self._shell)),
            "body_index": self._body_index,
            "zip": self._zip.to_data(),
        }

    @classmethod
    def from_data(cls, path: Path, data: dict[str, Any]) -> CompiledTemplate:
        """Give back the template `to_data` described (its Jinja compiled again, from Jinja's bytecode cache).

        Anything malformed raises (KeyError, TypeError, ValueError, lxml's XMLSyntaxError ...): the
        caller compiles the .docx instead.
        """
        self = cls.__new__(cls)
        self._start(path, bool(data["fast"]))
        self.sha256 = str(data["sha256"])
        self._parts = []
        for member, label, source, finish, encoding, fast in data["parts"]:
            if finish not in ("body", "xmlpart", "raw"):
                raise ValueError(f"unknown finish {finish!r}")
            plan = render_fast.FastFinish.from_data(self.env, fast) if fast is not None else None
            template = self._compile(plan.source if plan is not None else str(source), str(label))
            self._parts.append(_Part(str(member), str(label), str(source), template, finish, str(encoding), plan))
        self._core_sources = {str(name): str(source) for name, source in data["core"].items()}
        if not set(self._core_sources) <= set(_CORE_PROPS):
            raise ValueError("an unknown core property")
        self._core_dynamic = {name: self._compile(source, f"свойство документа {name}")
                              for name, source in self._core_sources.items()} or None
        self._core_element = parse_xml(base64.b64decode(data["core_element"], validate=True))
        self._shell = parse_xml(base64.b64decode(data["shell"], validate=True))
        self._body_index = int(data["body_index"])
        if not 0 <= self._body_index < len(self._shell):
            raise ValueError("the body is not in the document shell")
        self._static = {}
        self._zip = _ZipTemplate.from_data(data["zip"], fixed_timestamp())
        rendered = {p.member for p in self._parts} | ({"docProps/core.xml"} if self._core_dynamic else set())
        if set(self._zip.names) != rendered | set(self._zip.packed) or rendered & set(self._zip.packed):
            raise ValueError("the members kept do not match the parts rendered")
        return self

    def __reduce__(self):
        return (compile_template, (self.path,))

    def __repr__(self) -> str:
        return f"CompiledTemplate({str(self.path)!r})"

    def fast_parts(self) -> list[str]:
        """Give the zip members rendered without lxml's round trip (render_fast)."""
        return [p.member for p in self._parts if p.fast is not None]

    def variables(self) -> set[str]:
        """Give the names the template needs from its context (undeclared Jinja variables)."""
        if self._variables is None:
            self._variables = self._find_variables()
        return set(self._variables)

    # --- per document -----------------------------------------------------------------------

    def render(self, context: dict[str, Any]) -> bytes:
        """Give the .docx bytes of the document for this context; the same context gives the same bytes."""
        members: dict[str, tuple[bytes, int, int]] = {}  # deflated, CRC-32, size
        docpr_ids = iter(range(1001, 1 << 31))  # docxtpl restarts its counter at 1000 per render
        for part in self._parts:
            if part.fast is not None and part.fast.applies(context):
                pieces, listed = self._render_pieces(part, context)
                finished = part.fast.finish_pieces(pieces, listed)
                if finished is not None:
                    members[part.member] = deflate_pieces(finished, RENDERED_LEVEL)
                    continue
                xml = "".join(pieces)
                del pieces
            else:
                xml, listed = self._render_part(part, context)
            members[part.member] = deflate_pieces((self._finish(part, xml, docpr_ids),), RENDERED_LEVEL)
        if self._core_dynamic is not None:
            members["docProps/core.xml"] = deflate_pieces((self._render_core(context),), RENDERED_LEVEL)
        return self._zip.build(members)

    def _render_part(self, part: _Part, context: dict[str, Any]) -> tuple[str, bool]:
        """Give the part's XML after docxtpl's post-render steps, and whether resolve_listing changed it."""
        try:
            xml = part.template.render(context)
        except _ForbiddenValue:
            raise self._forbidden_error(part, context) from None
        except Exception as exc:  # a filter applied to the wrong value is also the template's fault
            raise self._error(part, exc) from exc
        return _post(xml)

    def _render_pieces(self, part: _Part, context: dict[str, Any]) -> tuple[list[str], bool]:
        """As `_render_part`, the XML given in pieces cut between paragraphs (`cut_between_paragraphs`).

        The 2025 year book at 10,000 learners is 14 million characters: rendered whole, its text, Jinja's
        million fragments and the copy each step made were alive at once (132 MiB of Python objects; 41 in
        pieces, where only the pieces and the one being finished are held).
        """
        try:
            pieces = cut_between_paragraphs(part.template.generate(context))
        except _ForbiddenValue:
            raise self._forbidden_error(part, context) from None
        except Exception as exc:  # a filter applied to the wrong value is also the template's fault
            raise self._error(part, exc) from exc
        flags = []
        for i, piece in enumerate(pieces):
            pieces[i], listed = _post(piece)
            flags.append(listed)
        if any(flags):  # resolve_listing runs over the whole part once anything in it is listed
            for i, piece in enumerate(pieces):
                if not flags[i] and ("\a" in piece or "\f" in piece):
                    pieces[i] = _DOCXTPL.resolve_listing(piece)
        return pieces, any(flags)

    def _finish(self, part: _Part, xml: str, docpr_ids: Iterator[int]) -> bytes:
        """Give a rendered part's bytes the way docxtpl does: through lxml (body, header, footer) or as is."""
        if part.finish == "body":
            return self._finish_body(xml, docpr_ids)
        if part.finish == "xmlpart":
            return etree.tostring(
                etree.fromstring(xml.encode(part.encoding), _PARSER), encoding="UTF-8", standalone=True
            )
        return xml.encode("utf-8")

    def _finish_body(self, xml: str, docpr_ids: Iterator[int]) -> bytes:
        tree = etree.fromstring(xml, etree.XMLParser(recover=True))  # the parser fix_tables uses
        if any(_grid_mismatch(t) for t in tree.iter(_W_TBL)):
            tree = _DOCXTPL.fix_tables(xml)
        for elt in tree.xpath("//wp:docPr", namespaces=docx.oxml.ns.nsmap):
            elt.attrib["id"] = str(next(docpr_ids))
        root = copy.deepcopy(self._shell)
        root.replace(root[self._body_index], tree)  # as docxtpl's map_tree, so namespaces settle alike
        return etree.tostring(root, encoding="UTF-8", standalone=True)

    def _render_core(self, context: dict[str, Any]) -> bytes:
        element = copy.deepcopy(self._core_element)
        props = CoreProperties(element)
        for name, template in self._core_dynamic.items():
            setattr(props, name, template.render(context))
        return etree.tostring(element, encoding="UTF-8", standalone=True)

    # --- once per template --------------------------------------------------------------------

    def _compile(self, source: str, label: str) -> Template:
        # The compiled code depends on the source and on the environment's settings (make_env): both are the key.
        settings = repr((self.env.autoescape, getattr(self.env.finalize, "__qualname__", None),
                         self.env.undefined.__name__, sorted(self.env.filters)))
        name = hashlib.sha256((settings + source).encode("utf-8", "surrogatepass")).hexdigest()
        self.env.loader.by_name[name] = source
        try:
            return self.env.get_template(name)
        except TemplateSyntaxError as exc:
            raise TemplateRenderError(
                f"Шаблон «{self.name}» ({label}): ошибка в теге — {exc.message}. "
                f"Абзац: «{_paragraph(source, exc.lineno)}». "
                "Исправьте тег в шаблоне (проверьте парные {% … %} и {{ … }}), затем запустите снова."
            ) from exc

    def _add_part(self, member: str, label: str, xml: str, finish: str, encoding: str = "utf-8") -> None:
        patched = _DOCXTPL.patch_xml(xml)
        source = re.sub(r"<w:p([ >])", r"\n<w:p\1", patched)
        part = _Part(member, label, source, self._compile(source, label), finish, encoding)
        if finish != "body" and not any(tag in source for tag in ("{{", "{%", "{#")):
            # A part without tags renders the same for every context: finish it once.
            self._static[member] = self._finish(part, self._render_part(part, {})[0], iter(()))
            return
        if self._allow_fast and (finish == "body" or (finish == "xmlpart" and encoding.lower() == "utf-8")):
            fast = render_fast.plan(
                self.env, patched, lambda x: self._finish(part, x, iter(range(1001, 1 << 31))), _post,
                keep_blanks=finish == "body",
            )
            if fast is not None:
                # Same lines for Jinja (the newlines are comments there), so messages name the same paragraph.
                part = dataclasses.replace(part, template=self._compile(fast.source, label), fast=fast)
        self._parts.append(part)

    def _prepare_body(self, doc) -> None:
        root = doc.element
        body = root.body
        self._body_index = list(root).index(body)
        shell = copy.deepcopy(root)
        for child in list(shell[self._body_index]):
            shell[self._body_index].remove(child)
        self._shell = shell
        self._add_part(doc.part.partname.membername, "основной текст", _DOCXTPL.xml_to_string(body), "body")

    def _prepare_headers_footers(self, doc) -> None:
        for uri, label in zip(_HEADER_FOOTER, ("верхний колонтитул", "нижний колонтитул"), strict=True):
            for rel in doc.part.rels.values():
                if rel.reltype == uri and rel.target_part.blob:
                    part = rel.target_part
                    xml = _DOCXTPL.get_part_xml(part)
                    encoding = _DOCXTPL.get_headers_footers_encoding(xml)
                    self._add_part(part.partname.membername, label, xml, "xmlpart", encoding)

    def _prepare_footnotes(self, doc) -> None:
        # docxtpl renders the footnotes part as raw text, without reparsing it.
        for part in doc.part.package.parts:
            if part.content_type == _FOOTNOTES_CT:
                blob = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
                self._add_part(part.partname.membername, "сноски", blob, "raw")

    def _prepare_core_properties(self, doc) -> dict[str, Template] | None:
        self._core_sources: dict[str, str] = {}  # the templated properties' sources, by name
        had_core = any(rel.reltype == RT.CORE_PROPERTIES for rel in doc.part.package.rels.values())
        props = doc.core_properties  # python-docx adds a default part, stamped with the clock
        if not had_core:
            props.modified = fixed_timestamp()
        dynamic = {}
        for name in _CORE_PROPS:
            initial = getattr(props, name)
            template = self._compile(initial, f"свойство документа {name}")
            if any(tag in initial for tag in ("{{", "{%", "{#")):
                dynamic[name] = template
                self._core_sources[name] = initial
            else:
                setattr(props, name, template.render({}))
        core_part = doc.part.package.part_related_by(RT.CORE_PROPERTIES)  # there now: `core_properties` made it
        self._core_element = copy.deepcopy(core_part.element)
        return dynamic or None

    def _member_order(self, doc) -> list[str]:
        """Give python-docx's zip member order and keep every member no render replaces."""
        buffer = io.BytesIO()
        doc.save(buffer)
        rendered = {p.member for p in self._parts} | ({"docProps/core.xml"} if self._core_dynamic else set())
        with zipfile.ZipFile(buffer) as z:
            names = list(dict.fromkeys(z.namelist()))
            for name in names:
                if name not in rendered and name not in self._static:
                    self._static[name] = z.read(name)
        return names

    def _find_variables(self) -> frozenset[str]:
        names: set[str] = set()
        for part in self._parts:
            names |= meta.find_undeclared_variables(self.env.parse(part.source))
        for source in self._core_sources.values():
            names |= meta.find_undeclared_variables(self.env.parse(source))
        return frozenset(names)

    # --- messages -----------------------------------------------------------------------------

    def _error(self, part: _Part, exc: Exception) -> TemplateRenderError:
        lineno = _template_lineno(exc)
        where = f"Абзац: «{_paragraph(part.source, lineno)}». " if lineno else ""
        if isinstance(exc, UndefinedError):
            what = f"не задана переменная {_undefined_name(str(exc))}"
            fix = "Проверьте имя переменной в шаблоне (все переменные каждого шаблона — в docs/templates.md)."
        else:
            what = f"ошибка при подстановке — {type(exc).__name__}: {exc}"
            fix = "Проверьте тег и фильтр в этом абзаце шаблона."
        return TemplateRenderError(f"Шаблон «{self.name}» ({part.label}): {what}. {where}{fix}")

    def _forbidden_error(self, part: _Part, context: dict[str, Any]) -> TemplateRenderError:
        paths = [
            path for path, value in _walk(context, "") if isinstance(value, str) and _FORBIDDEN.search(value)
        ]
        where = ", ".join(paths[:5]) if paths else "значение, полученное фильтром"
        return TemplateRenderError(
            f"Шаблон «{self.name}» ({part.label}): в данных есть управляющий символ, недопустимый в документе "
            f"Word ({where}). Удалите невидимые символы из этой ячейки (часто они приходят при копировании "
            "из других программ) и запустите снова."
        )


_W_TBL = f"{{{docx.oxml.ns.nsmap['w']}}}tbl"
# docxtpl's fix_tables changes a table only when a row has more cells than the grid has columns,
# or when no row spans all of them; both are XPath questions lxml answers in C, while fix_tables
# walks every cell in Python (the largest per-document cost of a 25-row protocol).
_TOO_MANY_CELLS = etree.XPath(".//w:tr[count(w:tc) > $n]", namespaces=docx.oxml.ns.nsmap)
_SPANS_ALL = etree.XPath(
    ".//w:tr[count(w:tc) - count(w:tc/w:tcPr/w:gridSpan) + sum(w:tc/w:tcPr/w:gridSpan/@w:val) >= $n]",
    namespaces=docx.oxml.ns.nsmap,
)
_GRID_COLS = etree.XPath("count(w:tblGrid/w:gridCol)", namespaces=docx.oxml.ns.nsmap)


PIECE = 1 << 18
"""Characters of rendered XML after which a part is cut at the next boundary between paragraphs."""

_BETWEEN_PARAGRAPHS = "</w:p><"


def cut_between_paragraphs(fragments: Iterable[str], size: int | None = None) -> list[str]:
    """Give Jinja's output fragments joined into pieces of about `size` (default PIECE) characters, each cut
    right after a «</w:p>» that a tag follows.

    Every post-render step (docxtpl's string replacements and resolve_listing, the fast finish's
    replacements and checks) matches within one paragraph or one tag, or whitespace between two tags;
    at such a cut none of them can span two pieces, so each piece may be finished on its own and the
    pieces joined give the bytes the whole text would (tests/test_render.py compares them, cut at every
    paragraph, with lxml's way).
    """
    size = size or PIECE
    pieces: list[str] = []
    held: list[str] = []
    count = 0
    goal = size
    for fragment in fragments:
        held.append(fragment)
        count += len(fragment)
        if count < goal:
            continue
        text = "".join(held)
        cut = text.rfind(_BETWEEN_PARAGRAPHS)
        if cut < 0:  # no paragraph ends here yet: look again after another `size` characters
            held, goal = [text], count + size
            continue
        cut += len(_BETWEEN_PARAGRAPHS) - 1
        pieces.append(text[:cut])
        rest = text[cut:]
        held, count, goal = [rest], len(rest), size
    pieces.append("".join(held))
    return pieces


def _grid_mismatch(table) -> bool:
    """Tell whether docxtpl's fix_tables would change this table."""
    n = int(_GRID_COLS(table))
    return bool(_TOO_MANY_CELLS(table, n=n)) or not _SPANS_ALL(table, n=n)


def _post(xml: str) -> tuple[str, bool]:
    """Give XML after the post-render steps of DocxTemplate.render_xml_part, in its order, and whether
    resolve_listing changed it; a lone «\\r» or «\\r\\n» counts as a newline."""
    # Each test scans a 40 KB string: skip the ones an earlier one rules out.
    newline = "\n" in xml
    if newline and "\n<w:p" in xml:
        xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        newline = "\n" in xml
    if "{_" in xml or "_}" in xml:
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    if "\r" in xml:
        xml = xml.replace("\r\n", "\n").replace("\r", "\n")
        newline = True
    listed = newline or "\t" in xml  # resolve_listing leaves text without them unchanged
    if listed:
        xml = _DOCXTPL.resolve_listing(xml)
    return xml, listed


def _paragraph(source: str, lineno: int | None) -> str:
    """Give the text of the paragraph at a Jinja line of patched XML (each paragraph starts a line)."""
    if not lineno:
        return ""
    lines = source.splitlines()
    text = _TAGS.sub("", lines[lineno - 1]) if 0 < lineno <= len(lines) else ""
    return text.strip()[:200]


def _template_lineno(exc: BaseException) -> int | None:
    """Give the template line a runtime error happened on (Jinja rewrites tracebacks to template lines)."""
    lineno = getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == _TEMPLATE_FILE:
            lineno = tb.tb_lineno
        tb = tb.tb_next
    return lineno


def _undefined_name(message: str) -> str:
    m = re.search(r"has no attribute '([^']+)'", message) or re.search(r"'([^']+)' is undefined", message)
    return f"«{m.group(1)}»" if m else f"({message})"


def _walk(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    """Give (path, value) for every leaf of a context: dicts, sequences and dataclasses."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _walk(item, f"{path}[{i}]")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _walk(getattr(value, f.name), f"{path}.{f.name}")
    else:
        yield path, value


RENDERED_LEVEL = 3
"""Deflate level of the parts rendered per document. Level 3 deflates a 25-row protocol's document.xml
about 3.5 times faster than the default 6, for a .docx about 1 % larger (0.4 % for a one-page
certificate; bench/RESULTS.md); static parts are deflated once, at the default level."""


class _ZipTemplate:
    """A zip writer whose static members are deflated once; only rendered members are compressed per call."""

    def __init__(self, names: list[str], static: dict[str, bytes], when: dt.datetime, *,
                 packed: dict[str, tuple[bytes, int, int]] | None = None):
        """`packed`: the static members already deflated, as (data, crc32, size), instead of `static`."""
        self.names = names
        self.dos_time = (when.hour << 11) | (when.minute << 5) | (when.second // 2)
        self.dos_date = ((when.year - 1980) << 9) | (when.month << 5) | when.day
        if packed is None:
            packed = {name: deflate_pieces((data,), zlib.Z_DEFAULT_COMPRESSION) for name, data in static.items() if name in names}
        self.packed = packed
        self.ready = {name: self._records(name, *entry) for name, entry in packed.items()}

    def to_data(self) -> dict[str, Any]:
        """Give the member order and the deflated static members as JSON data (bytes as base64)."""
        return {"names": list(self.names),
                "packed": {name: [_b64(data), crc, size] for name, (data, crc, size) in self.packed.items()}}

    @classmethod
    def from_data(cls, data: dict[str, Any], when: dt.datetime) -> _ZipTemplate:
        names = [str(name) for name in data["names"]]
        packed = {}
        for name, (deflated, crc, size) in data["packed"].items():
            raw = base64.b64decode(deflated, validate=True)
            if name not in names or not isinstance(crc, int) or not isinstance(size, int):
                raise ValueError(f"a malformed static member {name!r}")
            packed[name] = (raw, crc, size)
        return cls(names, {}, when, packed=packed)

    def _records(self, name: str, packed: bytes, crc: int, size: int) -> tuple[bytes, bytes, bytes]:
        raw_name = name.encode("utf-8")
        flags = 0 if name.isascii() else 0x800  # bit 11: the name is UTF-8
        fields = (
            20,
            flags,
            8,
            self.dos_time,
            self.dos_date,
            crc,
            len(packed),
            size,
            len(raw_name),
        )
        local = struct.pack("<4s5H3L2H", b"PK\x03\x04", *fields, 0) + raw_name + packed
        # made by 2.0; no extra, comment, disk number, internal or external attributes
        central = struct.pack("<4sH5H3L5HL", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, 0)
        return local, central, raw_name

    def build(self, rendered: dict[str, tuple[bytes, int, int]]) -> bytes:
        """Give the zip of every member in order, rendered ones taken from `rendered` (deflated, CRC-32, size)."""
        out = io.BytesIO()
        central = []
        for name in self.names:
            local, record, raw_name = (
                self.ready[name] if name in self.ready else self._records(name, *rendered[name])
            )
            central.append(record + struct.pack("<L", out.tell()) + raw_name)
            out.write(local)
        start = out.tell()
        directory = b"".join(central)
        out.write(directory)
        count = len(central)
        out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory), start, 0))
        return out.getvalue()


def deflate_pieces(pieces: Iterable[bytes], level: int) -> tuple[bytes, int, int]:
    """Give the raw deflate stream of the pieces joined, its CRC-32 and its size, holding one piece at a time.

    zlib's output depends on the bytes, not on how they are handed to it, so the stream is the one the
    joined bytes would give.
    """
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    packed, crc, size = [], 0, 0
    for data in pieces:
        packed.append(compressor.compress(data))
        crc = zlib.crc32(data, crc)
        size += len(data)
    packed.append(compressor.flush())
    return b"".join(packed), crc, size


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@lru_cache(maxsize=64)
def _compile_cached(path: str, mtime_ns: int, size: int) -> CompiledTemplate:
    return kept_or_compiled(Path(path))


def kept_or_compiled(path: Path) -> CompiledTemplate:
    """Give the template as kept by an earlier run (pipeline.render.template_store), else compile it and keep it.

    Whatever is wrong with a kept entry (another template, a damaged file, a malformed value) makes it
    compiled again from the .docx: what is kept can save time, never change a document.
    """
    jinja_cache = jinja_bytecode_cache()
    if jinja_cache is None:  # no private folder: nothing is kept
        return CompiledTemplate(path)
    folder = Path(jinja_cache.directory)
    fast, stamp = not os.environ.get(SAFE_RENDER_ENV), fixed_timestamp().isoformat()
    try:
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return CompiledTemplate(path)  # tells what is wrong with the file
    kept = template_store.read(folder, sha, fast, stamp)
    if kept is not None:
        try:
            template = CompiledTemplate.from_data(path, kept)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError, etree.LxmlError, UchetError):
            template = None
        if template is not None and template.sha256 == sha and template.fast_allowed == fast:
            return template
    template = CompiledTemplate(path)
    template_store.write(folder, template.sha256, fast, stamp, template.to_data())
    return template


def compile_template(path: Path | str) -> CompiledTemplate:
    """Give the compiled template for a .docx file, compiled once per run (cached by path, mtime and size)."""
    path = Path(path).resolve()
    try:
        stat = path.stat()
    except OSError as exc:
        raise TemplateRenderError(
            f"Шаблон «{path.name}» не найден или недоступен ({path}): {exc.strerror}. "
            "Проверьте папку templates_docx/."
        ) from exc
    return _compile_cached(str(path), stat.st_mtime_ns, stat.st_size)
