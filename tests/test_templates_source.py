"""The .docx in templates_docx/ is the only source of a template: a Word edit is kept and used.

Nothing `make` runs (build, test, golden, proof, …) regenerates a template; the generator in
templates_docx/_source/ only drafts a template that is missing and refuses an existing one.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from pipeline.cache import BuildCache
from pipeline.carriers import carrier
from pipeline.cli import main
from pipeline.core.paths import TEMPLATES_DIR
from pipeline.render.proof import check_carrier
from pipeline.render.proof_data import dataset
from pipeline.render.stage import docx_text, render_all

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = TEMPLATES_DIR / "_source" / "make_templates.py"
# The targets allowed to write into templates_docx/: each only writes what is missing.
DRAFTING_TARGETS = {"templates", "template-new"}
SHIPPED = "Контроль за исполнением приказа оставляю за собой."
EDITED = "Контроль за исполнением приказа возложить на заместителя директора."


def _phony_targets() -> list[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return re.search(r"^\.PHONY:(.*)$", text, re.M).group(1).split()


def _edit_in_word(path: Path, old: str, new: str) -> None:
    """Change a phrase the way Word would save it: the paragraph's text, its runs rewritten."""
    doc = Document(path)
    hits = [p for p in doc.paragraphs if old in p.text]
    assert hits, f"«{old}» is not in {path.name}"
    for p in hits:
        text = p.text.replace(old, new)
        p.runs[0].text = text
        for run in p.runs[1:]:
            run.text = ""
    doc.save(path)


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize("target", sorted(set(_phony_targets()) - DRAFTING_TARGETS))
def test_no_make_target_regenerates_templates(target):
    # `make -n` prints every command a target would run without running it (the venv stamp included).
    shown = subprocess.run(["make", "-n", target, "NAME=x"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "make_templates" not in shown.stdout and "_source" not in shown.stdout, target
    assert not re.search(r"\brm\b[^\n]*templates_docx", shown.stdout), target
    assert "--init-layout" not in shown.stdout, target


def test_a_word_edit_shows_in_the_next_build_and_passes_the_proof(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates, ignore=shutil.ignore_patterns("_source", "blanks*"))
    order = carrier("order_enrolment")
    build, cache = tmp_path / "build", BuildCache(tmp_path)
    cache.commit()  # writes at once, as in a run whose input passed validation
    first = render_all(dataset(), build, templates, [order], cache=cache)
    assert SHIPPED in docx_text(first[0].path.read_bytes())

    _edit_in_word(templates / order.template, SHIPPED, EDITED)
    again = render_all(dataset(), build, templates, [order], cache=cache)
    assert [d.fresh for d in again] == [True] * len(first)  # the edit is a new template: nothing is kept
    for doc in again:
        text = docx_text(doc.path.read_bytes())
        assert EDITED in text and SHIPPED not in text, doc.spec.doc_id
    assert check_carrier(order, dataset(), templates, tmp_path / "proof") == []


def _generate(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(GENERATOR), *args], cwd=ROOT, capture_output=True, text=True)


def test_the_generator_refuses_an_existing_template(tmp_path):
    for shipped in TEMPLATES_DIR.glob("*.docx"):
        if shipped.name != "testing.docx":  # the one --missing drafts
            shutil.copy(shipped, tmp_path)
    target = tmp_path / "order_enrolment.docx"
    _edit_in_word(target, SHIPPED, EDITED)
    edited = target.read_bytes()
    named = _generate("order_enrolment", "--out", str(tmp_path))
    assert named.returncode == 1 and "уже есть и не перезаписан" in named.stderr
    assert target.read_bytes() == edited
    missing = _generate("--missing", "--out", str(tmp_path))
    assert missing.returncode == 0, missing.stderr
    assert target.read_bytes() == edited
    assert len(list(tmp_path.glob("*.docx"))) == len(list(TEMPLATES_DIR.glob("*.docx")))  # --missing drafted the rest


def test_the_generator_drafts_a_missing_template(tmp_path):
    # Only a draft: the shipped .docx may have been edited since, so it is not compared with it.
    run = _generate("protocol", "--out", str(tmp_path))
    assert run.returncode == 0, run.stderr
    assert check_carrier(carrier("protocol"), dataset(), tmp_path, tmp_path / "proof") == []


def test_proof_of_one_template_by_its_file_name(tmp_path):
    one = CliRunner().invoke(main, ["proof", "--template", "protocol.docx", "--output", str(tmp_path)])
    assert one.exit_code == 0, one.output
    assert [p.name.split()[0] for p in (tmp_path / "proof").iterdir()] == ["protocol"]
    wrong = CliRunner().invoke(main, ["proof", "--template", "protokol.docx", "--output", str(tmp_path)])
    assert wrong.exit_code == 2 and "Нет носителя с шаблоном «protokol.docx»" in wrong.output
