"""Meta-test over the carrier registry: templates exist, every variable is supplied, keys are filed."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.carriers import CARRIERS
from pipeline.intake.nomenclature import ARCHIVE_CASES, ARCHIVE_TITLES, recommended_cases
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


def test_every_filed_case_is_declared_once_by_the_carrier_that_heads_it():
    # The recommended номенклатура, the sample's and the proof data's come from these declarations only.
    for c in CARRIERS:
        if c.case is not None:
            assert c.case_key == c.key, c.key
    declared = {c.key for c in CARRIERS if c.case is not None}
    assert {c.case_key for c in CARRIERS if c.archived} <= declared
    assert set(recommended_cases()) == declared | set(ARCHIVE_CASES)
    assert set(dataset().nomenclature) == {c.case_key for c in CARRIERS if c.archived}


def test_the_sample_nomenclature_is_the_recommended_one(sample):
    recommended = recommended_cases()
    assert list(sample.nomenclature) == list(recommended)
    for key, rule in sample.nomenclature.items():
        case = recommended[key]
        assert (rule.case_index, rule.case_title, rule.retention_text, rule.article, rule.epk) == \
            (case.index, case.title, case.retention, case.article, case.epk), key
        assert rule.note.endswith(case.note) and rule.formation == case.formation, key


def test_the_archives_own_cases_are_not_carriers():
    # A record that becomes a carrier declares its case in the registry and leaves ARCHIVE_CASES.
    assert not set(ARCHIVE_CASES) & {c.key for c in CARRIERS}
    assert set(ARCHIVE_TITLES) == set(ARCHIVE_CASES)


@pytest.mark.parametrize("entry", [c for c in CARRIERS if c.count is not None], ids=lambda c: c.key)
def test_a_carrier_that_counts_its_documents_counts_those_it_builds(entry, sample):
    # The render stage shows a large carrier's progress against this count before building the documents.
    big = generate(learners=300, groups=12)
    assert entry.count(big) == len(list(entry.build(big))) > 0
    assert entry.count(sample) == len(list(entry.build(sample)))
