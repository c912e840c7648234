"""Render stage: every document of every carrier in the registry, into output/build/<year>/<group>/.

Each template is compiled once per run (pipeline.render) and reused for all its documents. Output is
deterministic (fixed zip timestamps; template properties are fixed when the template is built), and a file whose
bytes did not change is not rewritten, so its mtime stays put.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pipeline.carriers import CARRIERS
from pipeline.carriers.registry import Carrier, DocumentSpec, RenderedDocument
from pipeline.dataset import Dataset
from pipeline.errors import UchetError
from pipeline.fsutil import atomic_write_bytes, inside, safe_component
from pipeline.render import compile_template

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def stable_zip(data: bytes) -> bytes:
    """Give the same .docx with fixed member timestamps and attributes, so equal content gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def _compile(path: Path):
    """Give the compiled template, or a Russian refusal naming the missing file."""
    if not path.is_file():
        raise UchetError(f"Нет шаблона «{path}». Восстановите его командой «make templates».")
    return compile_template(path)


def canonical_json(context: dict[str, Any]) -> str:
    """The context as canonical JSON (sorted keys, no whitespace); dates and other values as text."""
    return json.dumps(context, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def inputs_hash(template_sha256: str, context: dict[str, Any]) -> str:
    """sha256 over the template's hash and the canonical context: equal inputs, equal document."""
    digest = hashlib.sha256(template_sha256.encode("ascii"))
    digest.update(canonical_json(context).encode("utf-8"))
    return digest.hexdigest()


def document_path(build_dir: Path, spec: DocumentSpec) -> Path:
    """build/<year>/<group>/<file name>, or build/<year>/<file name> for year-scoped documents."""
    folder = build_dir / str(spec.year)
    if spec.group:
        folder = folder / safe_component(spec.group)
    name = Path(spec.file_name)
    return inside(build_dir, folder / (safe_component(name.stem) + name.suffix))


def render_carrier(carrier: Carrier, specs: Iterable[DocumentSpec], build_dir: Path,
                   templates_dir: Path) -> list[RenderedDocument]:
    """Render one carrier's documents with its template compiled once."""
    template = _compile(templates_dir / carrier.template)
    rendered = []
    for spec in specs:
        data = template.render(spec.context)
        sha = hashlib.sha256(data).hexdigest()
        path = document_path(build_dir, spec)
        if not (path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == sha):
            atomic_write_bytes(path, data)
        rendered.append(RenderedDocument(carrier, spec, path, sha, inputs_hash(template.sha256, spec.context)))
    return rendered


def render_all(dataset: Dataset, build_dir: Path, templates_dir: Path,
               carriers: Iterable[Carrier] = CARRIERS) -> list[RenderedDocument]:
    """Render every document of every carrier; give them in registry order, then in build order."""
    build_dir.mkdir(parents=True, exist_ok=True)
    rendered: list[RenderedDocument] = []
    seen: dict[Path, str] = {}
    for carrier in carriers:
        for doc in render_carrier(carrier, list(carrier.build(dataset)), build_dir, templates_dir):
            if doc.path in seen:
                raise UchetError(
                    f"Два документа получили одно имя файла «{doc.path.name}» ({seen[doc.path]} и {doc.spec.doc_id})."
                )
            seen[doc.path] = doc.spec.doc_id
            rendered.append(doc)
    return rendered


def docx_text(data: bytes) -> str:
    """Give a document's text: paragraphs, and table rows as «cell | cell», in body order (for tests and proofs)."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = Document(io.BytesIO(data))
    lines = []
    for block in doc.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(block, doc).text
            if text.strip():
                lines.append(text)
        elif tag == "tbl":
            for row in Table(block, doc).rows:
                cells = [c.text.replace("\n", " / ") for c in row.cells]
                if any(c.strip() for c in cells):
                    lines.append(" | ".join(cells))
    return "\n".join(lines) + "\n"
