"""Jinja's compiled code is kept between runs: a second compile of a template reads it, renders the same."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

import pipeline.render.compile as render
from pipeline.carriers import CARRIERS
from pipeline.synth import generate

TEMPLATES = Path(__file__).resolve().parents[1] / "templates_docx"


def test_a_template_compiled_again_reads_the_kept_code_and_renders_the_same(private_cache, monkeypatch):
    journal = next(c for c in CARRIERS if c.key == "journal")
    context = next(iter(journal.build(generate(learners=30, groups=2)))).context
    first = render.CompiledTemplate(TEMPLATES / journal.template)
    kept = sorted(private_cache.iterdir())
    assert kept  # the body's (and the footer's) compiled code
    compiled = []
    original = render.Environment.compile
    monkeypatch.setattr(render.Environment, "compile",
                        lambda self, *a, **k: compiled.append(1) or original(self, *a, **k))
    second = render.CompiledTemplate(TEMPLATES / journal.template)
    assert compiled == [] and sorted(private_cache.iterdir()) == kept
    assert second.render(context) == first.render(context)


def test_a_tag_error_is_still_told_with_the_kept_code_in_place(private_cache, tmp_path):
    doc = docx.Document()
    doc.add_paragraph("Группа {{ group.number }")
    path = tmp_path / "broken.docx"
    doc.save(path)
    for _ in range(2):
        with pytest.raises(render.TemplateRenderError, match="ошибка в теге"):
            render.CompiledTemplate(path)
