"""Golden text per carrier on the synthetic sample: the first document of each carrier, as text.

Regenerate after an intended change with `make golden` (UPDATE_GOLDEN=1) and review the diff like code.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.carriers import carrier
from pipeline.render.stage import docx_text, render_carrier
from pipeline.synth import generate

GOLDEN = Path(__file__).parent / "golden"
KEYS = ("journal", "order_enrolment", "order_commission", "order_graduation", "order_expulsion", "interim_sheet",
        "protocol", "issue_register", "issue_extract", "testing", "study_certificate", "qualification_pk",
        "qualification_pp", "qualification_po", "issue_sheet", "order_expert_commission", "expert_protocol")


@pytest.fixture(scope="module")
def sample():
    return generate()


@pytest.mark.parametrize("key", KEYS)
def test_golden_text(key, sample, tmp_path):
    entry = carrier(key)
    specs = sorted(entry.build(sample), key=lambda s: s.doc_id)
    assert specs, key
    [doc] = render_carrier(entry, specs[:1], tmp_path, Path("templates_docx"))
    text = f"# {doc.spec.doc_id}\n" + docx_text(doc.path.read_bytes())
    path = GOLDEN / f"{key}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")
