"""Render the named carrier kinds of a dataset and read each document's text, for the signing checklists."""

from __future__ import annotations

from pathlib import Path

from pipeline.carriers import carrier
from pipeline.render.stage import docx_text, render_carrier

TEMPLATES = Path("templates_docx")


def render_kinds(ds, kinds, build: Path) -> dict[str, dict[str, tuple]]:
    """{kind: {doc_id: (rendered document, its text)}} for every document of each kind in `kinds`."""
    by_kind = {}
    for key in kinds:
        entry = carrier(key)
        docs = render_carrier(entry, list(entry.build(ds)), build, TEMPLATES)
        by_kind[key] = {d.spec.doc_id: (d, docx_text(d.path.read_bytes())) for d in docs}
    return by_kind
