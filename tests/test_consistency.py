"""Consistency across carriers on the sample: the same learners, hours, dates and numbers everywhere."""

from __future__ import annotations

import pytest

from pipeline.carriers import carrier
from pipeline.synth import generate


@pytest.fixture(scope="module")
def docs():
    sample = generate()
    by_key = {}
    for key in ("order_graduation", "protocol", "issue_extract", "order_enrolment", "journal", "issue_register"):
        by_key[key] = {s.group or s.doc_id: s.context for s in carrier(key).build(sample)}
    return sample, by_key


def test_graduates_equal_protocol_passed_equal_register(docs):
    sample, by_key = docs
    assert by_key["order_graduation"], "the sample has no completed group"
    for group, order in by_key["order_graduation"].items():
        program = sample.program_of(sample.groups[group])
        graduates = {r["name"] for r in order["graduates"]}
        protocol = by_key["protocol"][group]
        passed = {r["name"] for r in protocol["rows"] if r["positive"]}
        register = {r["name"] for r in by_key["issue_extract"][group]["rows"]
                    if r["document"] == program.document}
        assert graduates == passed == register, group
        numbers = {r["name"]: r["reg_no"].replace("\u2011", "-") for r in order["graduates"]}
        extract = {r["name"]: r["reg_no"].replace("\u2011", "-") for r in by_key["issue_extract"][group]["rows"]
                   if r["document"] == program.document}
        assert numbers == extract, group
        assert protocol["doc_number"] == order["protocol_number"]
        assert protocol["doc_date"] == order["protocol_date"]


def test_hours_periods_and_orders_agree(docs):
    _, by_key = docs
    assert set(by_key["order_graduation"]) & set(by_key["order_enrolment"])  # the graduation branch is taken
    for group, enrolment in by_key["order_enrolment"].items():
        journal = by_key["journal"][group]
        assert enrolment["program"]["hours_text"] == journal["program"]["hours_text"]
        assert enrolment["group"]["period"] == journal["group"]["period"]
        assert journal["enrolment_order"] == f"от {enrolment['doc_date_short']} №\u00a0{enrolment['doc_number']}"
        if group in by_key["order_graduation"]:
            order = by_key["order_graduation"][group]
            for row in by_key["issue_extract"][group]["rows"]:
                assert row["hours"] == order["program"]["hours"]


def test_register_lists_every_extract_row_once(docs):
    _, by_key = docs
    register_rows = [r for ctx in by_key["issue_register"].values() for r in ctx["rows"]]
    reg_nos = [r["reg_no"] for r in register_rows]
    assert len(reg_nos) == len(set(reg_nos))
    extract_rows = [r for ctx in by_key["issue_extract"].values() for r in ctx["rows"]]
    assert sorted(reg_nos) == sorted(r["reg_no"] for r in extract_rows)
