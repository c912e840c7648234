"""A carrier is one registry entry plus one template: a toy carrier proves nothing else has to change.

The toy lives in a temporary folder: a module declaring its registry entry (with the номенклатура row
of its own case) and a .docx written here. Each step runs `python -m …` in a fresh interpreter whose
registry tuple has gained the toy's entry and whose templates folder holds its .docx — exactly the two
edits a developer makes (`*toy.CARRIERS` in pipeline/carriers/__init__.py, the file in templates_docx/).
Nothing else is patched: the sample data, `uchet init`, validation, the build, the archive, the proof
and check-docs must each take the new carrier from the registry.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from pipeline.core.paths import TEMPLATES_DIR
from pipeline.render.stage import docx_text

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2026-06-15"

TOY_MODULE = '''
"""A toy carrier: a memo per group, filed in a case of its own."""

from pipeline.carriers.registry import BY_GROUP, Carrier, Case, DocumentSpec


def build(ds):
    for group in ds.groups.values():
        program = ds.programs[group.program_code]
        yield DocumentSpec(
            doc_id=f"{group.number}/toy_memo", file_name=f"Памятка группы {group.number}.docx",
            title=f"Памятка группы № {group.number}",
            context={"group": {"number": group.number}, "program": program.name, "count": len(group.members)},
            year=group.year, group=group.number, date=group.start, sources=(group.file,))


CARRIERS = (
    Carrier("toy_memo", "Памятка группы", "toy_memo.docx", "group", "toy_memo", build,
            case=Case("03-09", "Памятки учебных групп", "5", "Учебный пример носителя.", formation=BY_GROUP)),
)
'''

# What `python -m pipeline …` becomes once the toy is in the registry and its template in the folder.
RUNNER = '''
import runpy, sys
from pathlib import Path

toy = Path(sys.argv.pop(1))
sys.path.insert(0, str(toy))
import pipeline.core.paths
pipeline.core.paths.TEMPLATES_DIR = toy / "templates"
import pipeline.carriers
import toy_carrier
pipeline.carriers.CARRIERS = (*pipeline.carriers.CARRIERS, *toy_carrier.CARRIERS)
sys.argv = [sys.argv[1], *sys.argv[2:]]
runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
'''


def _toy_template(path: Path) -> None:
    """A template as staff would make it in Word: the shipped styles, a few lines with tags."""
    doc = Document(TEMPLATES_DIR / "protocol.docx")
    body = doc.element.body
    for child in list(body):
        if not child.tag.endswith("sectPr"):
            body.remove(child)
    doc.add_paragraph("ПАМЯТКА", style="Title Big")
    doc.add_paragraph("группы № {{ group.number }}", style="Centered Heading")
    doc.add_paragraph("Программа: {{ program }}. Слушателей в группе: {{ count }}.", style="Body Plain")
    doc.save(path)


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("toy")
    (folder / "toy_carrier.py").write_text(textwrap.dedent(TOY_MODULE), encoding="utf-8")
    (folder / "run.py").write_text(RUNNER, encoding="utf-8")
    shutil.copytree(TEMPLATES_DIR, folder / "templates", ignore=shutil.ignore_patterns("_source"))
    _toy_template(folder / "templates" / "toy_memo.docx")
    return folder


def run(toy: Path, module: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "UCHET_WORKERS": "1"}
    return subprocess.run([sys.executable, str(toy / "run.py"), str(toy), module, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def built(toy):
    sample = run(toy, "pipeline.synth", "--out", str(toy / "input"))
    assert sample.returncode == 0, sample.stderr
    out = toy / "out"
    build = run(toy, "pipeline", "build", "--input", str(toy / "input"), "--output", str(out), "--today", TODAY)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    return out


def test_the_sample_and_init_take_its_case_from_the_registry(toy, built):
    sheet = openpyxl.load_workbook(toy / "input" / "organization.xlsx")["Номенклатура дел"]
    assert ("toy_memo", "03-09", "Памятки учебных групп") in {r[:3] for r in sheet.iter_rows(values_only=True)}
    blank = run(toy, "pipeline", "init", str(toy / "blank"))
    assert blank.returncode == 0, blank.stderr
    sheet = openpyxl.load_workbook(toy / "blank" / "organization.xlsx")["Номенклатура дел"]
    assert "toy_memo" in {r[0] for r in sheet.iter_rows(values_only=True)}


def test_it_renders_in_the_build(built):
    memos = sorted((built / "build").rglob("Памятка группы *.docx"))
    groups = [p for p in (built / "archive").glob("*/*") if (p / "documents.csv").is_file() and p.name != "_год"]
    assert memos and len(memos) >= len(groups)
    text = docx_text(memos[0].read_bytes())
    assert "ПАМЯТКА" in text and "{{" not in text and "Слушателей в группе:" in text


def test_it_is_filed_in_the_archive_under_its_own_case(built):
    filed = []
    for listing in (built / "archive").rglob("documents.csv"):
        with listing.open(encoding="utf-8-sig") as f:
            filed += [r for r in csv.DictReader(f) if r["carrier"] == "toy_memo"]
    assert filed
    for record in filed:
        assert (record["case_index"], record["case_title"], record["retention"]) == \
            ("03-09", "Памятки учебных групп", "5"), record
        assert record["carrier_title"] == "Памятка группы"
        assert (built / "archive").rglob(record["file"].removeprefix("data/"))


def test_it_is_proofed(toy):
    # Only the toy's template, by its file name: the registry names the carrier it belongs to.
    proof = run(toy, "pipeline", "proof", "--template", "toy_memo.docx", "--output", str(toy / "proof-out"))
    assert proof.returncode == 0, proof.stderr
    assert "в порядке: toy_memo.docx (Памятка группы)" in proof.stdout
    assert list((toy / "proof-out" / "proof").glob("toy_memo *.docx"))


def test_check_docs_opens_it_and_checks_its_pages(toy, built, libreoffice):
    # check-docs takes every .docx under build/; only the toy's are put there, to keep the test short.
    only = toy / "check" / "build"
    for memo in (built / "build").rglob("Памятка группы *.docx"):
        target = only / memo.relative_to(built / "build")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(memo, target)
    check = run(toy, "pipeline", "check-docs", "--output", str(toy / "check"))
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_word_edit_to_a_template_shows_in_the_next_full_build(toy, built):
    # The whole `make` path (its «nothing changed» stamp included) on the same output folder: the edited
    # template is read as it is now, and every document of it is rebuilt with the new wording.
    shipped, edited = "Контроль за исполнением приказа оставляю за собой.", "Контроль за исполнением приказа — за методистом."
    doc = Document(toy / "templates" / "order_enrolment.docx")
    para = next(p for p in doc.paragraphs if shipped in p.text)
    para.runs[0].text = para.text.replace(shipped, edited)
    for run_ in para.runs[1:]:
        run_.text = ""
    doc.save(toy / "templates" / "order_enrolment.docx")
    again = run(toy, "pipeline", "build", "--input", str(toy / "input"), "--output", str(built), "--today", TODAY)
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    orders = list((built / "build").rglob("* Приказ о зачислении.docx"))
    assert orders
    for order in orders:
        text = docx_text(order.read_bytes())
        assert edited in text and shipped not in text, order.name
