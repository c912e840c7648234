"""The README documents what the code does: the input contract and every command."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import schemas
from pipeline.cli import main
from pipeline.contract_doc import contract_markdown, updated_readme

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_commands():
    first_block = README.split("```")[1]
    assert [line.split()[0:2] for line in first_block.strip().splitlines()] == [["make", "#"], ["make", "test"]]


def test_readme_contract_section_is_current():
    assert updated_readme(README) == README, "run `make readme` and commit README.md"


@pytest.mark.parametrize("spec", schemas.SHEETS, ids=lambda s: s.name)
def test_every_sheet_and_header_is_documented(spec):
    section = contract_markdown()
    assert f"Лист «{spec.name}»" in section
    for _attr, header, _meta in schemas.columns(spec):
        if not header.startswith("^"):
            assert f"| {header} |" in section


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_has_russian_help_and_is_in_readme(name):
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert any("а" <= ch <= "я" for ch in result.output.lower())
    assert f"uchet {name}" in README
