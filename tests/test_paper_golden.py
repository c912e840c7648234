"""Golden text of the paper archive's papers on fixed дела (the sample's organisation, hand-made records).

Regenerate after an intended change with `make golden` (UPDATE_GOLDEN=1) and review the diff like code.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from test_paper_cases import FORMATION, sample_records

from pipeline.core.paths import TEMPLATES_DIR
from pipeline.paper import papers
from pipeline.paper.cases import PERMANENT, PERSONNEL, cases_of, numbered
from pipeline.render.compile import compile_template
from pipeline.render.stage import docx_text
from pipeline.synth import generate

GOLDEN = Path(__file__).parent / "golden"
TODAY = dt.date(2026, 1, 20)


@pytest.fixture(scope="module")
def papers_text():
    ds = generate()
    cases = cases_of(sample_records(), FORMATION)
    numbers = numbered(cases)
    orders = next(c for c in cases if c.key == ("01-01", 2025, ""))
    sheets = papers.Sheets.of([2, 1, 2, 2, 1, None])
    totals = {c.key: 7 for c in cases}
    contexts = {
        "case_cover": papers.cover_context(ds, orders, papers.Sheets.of([2, 1, 2, 2, 1, 1]), numbers[orders.key], TODAY),
        "case_inventory": papers.inventory_context(ds, orders, sheets, 1, TODAY),
        "case_certifier": papers.certifier_context(ds, orders, papers.Sheets.of([2, 1, 2, 2, 1, 1]), 1, TODAY),
        "case_list_permanent": papers.inventory_list_context(ds, PERMANENT, 2025, cases, numbers, totals, TODAY),
        "case_list_personnel": papers.inventory_list_context(ds, PERSONNEL, 2025, cases, numbers, totals, TODAY),
        "nomenclature": papers.nomenclature_context(ds, 2025, cases, TODAY, closed=True),
        "case_labels": papers.labels_context(ds, 2025, cases, numbers, totals, TODAY),
    }
    out = {}
    for name, ctx in contexts.items():
        template = name.rsplit("_", 1)[0] if name.startswith("case_list_") else name
        out[name] = docx_text(compile_template(TEMPLATES_DIR / f"{template}.docx").render(ctx))
    return out


@pytest.mark.parametrize("name", ["case_cover", "case_inventory", "case_certifier", "case_list_permanent",
                                  "case_list_personnel", "nomenclature", "case_labels"])
def test_paper_golden_text(name, papers_text):
    text = papers_text[name]
    assert "{{" not in text and "{%" not in text
    path = GOLDEN / f"paper_{name}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")
