"""Meta-test over the carrier registry: templates exist, every variable is supplied, keys are filed."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.carriers import CARRIERS
from pipeline.render.compile import compile_template
from pipeline.render.proof_data import dataset
from pipeline.synth import generate

TEMPLATES = Path("templates_docx")


@pytest.fixture(scope="module")
def sample():
    return generate()


def test_keys_unique_and_described():
    keys = [c.key for c in CARRIERS]
    assert len(keys) == len(set(keys))
    for c in CARRIERS:
        assert c.title and c.case_key and c.template.endswith(".docx"), c.key
        assert c.scope in ("group", "module", "learner", "year"), c.key


def test_case_keys_are_in_the_sample_nomenclature(sample):
    missing = {c.case_key for c in CARRIERS} - set(sample.nomenclature)
    assert missing == set()


@pytest.mark.parametrize("entry", CARRIERS, ids=lambda c: c.key)
def test_template_variables_are_supplied(entry, sample):
    template = compile_template(TEMPLATES / entry.template)
    specs = list(entry.build(sample)) + list(entry.build(dataset()))
    assert specs, f"{entry.key}: no document on the sample data"
    for spec in specs:
        assert template.variables() <= set(spec.context), (entry.key, template.variables() - set(spec.context))
        assert spec.file_name.endswith(".docx") and "/" not in spec.file_name
        assert spec.title and spec.year


def test_doc_ids_unique_across_the_run(sample):
    ids = [spec.doc_id for c in CARRIERS for spec in c.build(sample)]
    assert len(ids) == len(set(ids))
