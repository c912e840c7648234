"""The documentation says what the code does: the generated reference pages, every command, every link."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import schemas
from pipeline.carriers import CARRIERS
from pipeline.cli import main
from pipeline.contract_doc import DOCS_DIR, PAGES, anchor, contract_markdown

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = (DOCS_DIR / "commands.md").read_text(encoding="utf-8")
ARCHITECTURE = ROOT / "ARCHITECTURE.md"
# Staff and developers read these; their links must lead somewhere.
PAGES_READ = [ROOT / "README.md", ARCHITECTURE, *sorted(DOCS_DIR.glob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def test_readme_starts_with_the_two_commands():
    first_block = README.split("```")[1]
    assert [line.split()[0:2] for line in first_block.strip().splitlines()] == [["make", "#"], ["make", "test"]]


def test_architecture_names_only_paths_that_exist():
    """Where each thing lives must stay true as modules move: every path it names is there."""
    named = re.findall(r"`((?:pipeline|tests|bench|schemas|templates_docx|docs)/[^`\s]*)`",
                       ARCHITECTURE.read_text(encoding="utf-8"))
    concrete = [p for p in named if not any(c in p for c in "*<{") and not p.endswith("/key.docx")]
    assert len(concrete) > 20
    assert [p for p in concrete if not (ROOT / p.rstrip("/")).exists()] == []


def test_readme_is_short():
    # Issue 15: the README is what it is, the two commands, a staff quick start and where to read more.
    assert len(README.encode("utf-8")) < 8_000


@pytest.mark.parametrize("name", sorted(PAGES))
def test_generated_page_is_current(name):
    committed = (DOCS_DIR / name).read_text(encoding="utf-8")
    assert PAGES[name]() == committed, f"run `make docs` and commit docs/{name}"


@pytest.mark.parametrize("spec", schemas.SHEETS, ids=lambda s: s.name)
def test_every_sheet_and_header_is_documented(spec):
    section = contract_markdown()
    assert f"### Лист «{spec.name}»" in section
    for _attr, header, _meta in schemas.columns(spec):
        if not header.startswith("^"):
            assert f"| {header} |" in section


def test_every_carrier_has_its_own_section():
    page = (DOCS_DIR / "templates.md").read_text(encoding="utf-8")
    for c in CARRIERS:
        assert f"\n## {c.title}\n" in page and f"`templates_docx/{c.template}`" in page


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_has_russian_help_and_is_in_the_guide(name):
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert any("а" <= ch <= "я" for ch in result.output.lower())
    assert f"uchet {name}" in COMMANDS


@pytest.mark.parametrize("page", PAGES_READ, ids=lambda p: p.name)
def test_every_link_leads_somewhere(page):
    text = page.read_text(encoding="utf-8")
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target):
            continue  # a web address
        file, _, fragment = target.partition("#")
        linked = (page.parent / file).resolve() if file else page
        assert linked.exists(), f"{page.name}: «{target}» leads nowhere"
        if fragment and linked.suffix == ".md":
            headings = re.findall(r"^#+ (.+)$", linked.read_text(encoding="utf-8"), flags=re.M)
            assert fragment in {anchor(h) for h in headings}, f"{page.name}: no heading for «{target}»"


@pytest.mark.parametrize("command", ["build", "validate"])
def test_a_failing_run_writes_what_the_guide_says(command, tmp_path):
    # docs/workbooks.md «Проверка и ошибки»: with errors, `make` (uchet build) writes the error report and
    # output/cache/ only; `uchet validate` writes the error report only.
    folder, out = tmp_path / "input", tmp_path / "out"
    shutil.copytree(ROOT / "input", folder)
    book = openpyxl.load_workbook(folder / "learners.xlsx")
    book["Слушатели"]["E2"] = "31.02.1990"  # a date that does not exist: one error in one cell
    book.save(folder / "learners.xlsx")
    result = CliRunner().invoke(main, [command, "--input", str(folder), "--output", str(out)])
    assert result.exit_code == 1, result.output
    written = {p.name for p in out.iterdir()}
    allowed = {"errors.xlsx", "errors", "cache"} if command == "build" else {"errors.xlsx", "errors"}
    assert {"errors.xlsx", "errors"} <= written <= allowed
