"""What each carrier says a group still lacks: nothing when the document is not needed, else the data
missing and the sheet to put it on; and the completeness report on the sample built from it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pipeline import synth
from pipeline.carriers import CARRIERS, carrier
from pipeline.render import proof_data
from pipeline.reports.status import NOT_NEEDED, NOT_YET, PRESENT, collect_specs, group_status

DONE = "ПК-2025-01"  # proof data: completed, one early leaver (order 9-к), two who did not pass
RUNNING = "ПК-2025-02"  # proof data: enrolment order only, no commission, no results


@pytest.fixture(scope="module")
def proof():
    return proof_data.dataset()


@pytest.fixture(scope="module")
def sample():
    return synth.generate()


def with_group(ds, number, **changes):
    """The dataset with one group changed (frozen records: a replaced copy)."""
    return replace(ds, groups={**ds.groups, number: replace(ds.groups[number], **changes)})


def missing(key, ds, number):
    return carrier(key).missing(ds, ds.groups[number])


def built_for(key, ds, number) -> list[str]:
    c = carrier(key)
    return [s.doc_id for s in c.build(ds) if s.group == number]


def test_every_carrier_says_what_is_missing():
    assert [c.key for c in CARRIERS if c.missing is None] == []


# --- orders -------------------------------------------------------------------------------------

def test_enrolment(proof):
    assert missing("order_enrolment", proof, DONE) == []
    bare = with_group(proof, RUNNING, orders=())
    assert missing("order_enrolment", bare, RUNNING) == ["нет приказа о зачислении на листе «Приказы»"]
    assert built_for("order_enrolment", bare, RUNNING) == []


def test_commission(proof):
    assert missing("order_commission", proof, DONE) == []
    assert missing("order_commission", proof, RUNNING) == [
        "не указан код комиссии на листе «Группа»",
        "нет приказа об утверждении состава аттестационной комиссии на листе «Приказы»",
    ]
    unknown = with_group(proof, DONE, commission_id="K9")
    assert missing("order_commission", unknown, DONE) == ["нет комиссии K9 на листе «Комиссии» (organization.xlsx)"]
    assert built_for("order_commission", unknown, DONE) == []


def test_graduation(proof):
    assert missing("order_graduation", proof, DONE) == []
    assert missing("order_graduation", proof, RUNNING) == [
        "нет приказа об окончании обучения и отчислении на листе «Приказы»"]


def test_expulsion_not_needed_when_nobody_left(proof, sample):
    nobody = next(g for g in sample.groups.values() if not any(m.expelled_early for m in g.members))
    assert missing("order_expulsion", sample, nobody.number) == []
    assert built_for("order_expulsion", sample, nobody.number) == []
    assert missing("order_expulsion", proof, RUNNING) == []


def test_expulsion_order_missing(proof):
    group = proof.groups[DONE]
    no_order = with_group(proof, DONE, orders=tuple(o for o in group.orders if o.kind != "об отчислении"))
    assert missing("order_expulsion", no_order, DONE) == ["нет приказа об отчислении № 9-к на листе «Приказы»"]
    assert built_for("order_expulsion", no_order, DONE) == []
    no_number = with_group(proof, DONE, members=tuple(
        replace(m, expel_order=None) if m.expelled_early else m for m in group.members))
    assert missing("order_expulsion", no_number, DONE) == [
        "не указан «Приказ об отчислении №» на листе «Состав» (слушатели L6)"]
    assert built_for("order_expulsion", no_number, DONE) == []


# --- attestation --------------------------------------------------------------------------------

def test_interim(proof):
    assert missing("interim_sheet", proof, DONE) == []
    # Modules 1 and 2 end in a зачет/экзамен; module 3 (form «нет») needs no sheet.
    assert missing("interim_sheet", proof, RUNNING) == [
        "нет результатов по модулям 1, 2 на листе «Промежуточная аттестация»"]
    one = with_group(proof, RUNNING, interim=tuple(r for r in proof.groups[DONE].interim if r.module == 1))
    assert missing("interim_sheet", one, RUNNING) == ["нет результатов по модулю 2 на листе «Промежуточная аттестация»"]


def test_interim_not_needed_without_attested_modules(proof):
    program = proof.programs["PK1"]
    plain = replace(proof, programs={"PK1": replace(program, modules=tuple(
        replace(m, form="нет") for m in program.modules))})
    assert missing("interim_sheet", plain, RUNNING) == []
    assert built_for("interim_sheet", plain, RUNNING) == []


def test_protocol(proof):
    assert missing("protocol", proof, DONE) == []
    assert missing("protocol", proof, RUNNING) == ["нет результатов на листе «Итоговая аттестация»"]


# --- register -----------------------------------------------------------------------------------

@pytest.mark.parametrize("key", ["issue_extract", "issue_register"])
def test_issued_documents(key, proof):
    assert missing(key, proof, DONE) == []
    assert missing(key, proof, RUNNING) == ["нет записей на листе «Выдача документов»"]


def test_register_book_holds_only_groups_with_entries(proof):
    # The year's book is per year, so a group's part of it is its «Выдача документов» rows.
    (book,) = carrier("issue_register").build(proof)
    # Printed with non-breaking hyphens (U+2011), so the number never wraps at a hyphen.
    assert {row["group"].replace("\u2011", "-") for row in book.context["rows"]} == {DONE}


# --- testing ------------------------------------------------------------------------------------

def test_testing_not_needed_without_distance_learning(sample):
    group = next(g for g in sample.groups.values() if not sample.program_of(g).distance and not g.tests)
    assert missing("testing", sample, group.number) == []
    assert built_for("testing", sample, group.number) == []


def test_testing_results_missing_for_distance_program(proof):
    assert proof.programs["PK1"].distance
    assert missing("testing", proof, RUNNING) == ["нет результатов на листе «Тестирование» или в выгрузке Moodle (программа с ЭО/ДОТ)"]
    assert missing("testing", proof, DONE) == []


def test_testing_built_when_results_exist_even_without_distance(proof):
    plain = replace(proof, programs={"PK1": replace(proof.programs["PK1"], distance=False)})
    assert missing("testing", plain, DONE) == []
    assert built_for("testing", plain, DONE) == [f"{DONE}/testing"]


# --- learner documents --------------------------------------------------------------------------

def test_certificate_not_needed_when_everyone_passed(sample):
    group = next(g for g in sample.groups.values() if g.final and all(f.result.positive for f in g.final)
                 and not any(m.expelled_early for m in g.members))
    assert missing("study_certificate", sample, group.number) == []
    assert built_for("study_certificate", sample, group.number) == []


def test_certificate_person_missing_from_learners(proof):
    # L4 did not show up, L5 failed, L6 left early: three справки; without their rows in «Слушатели», none.
    assert len(built_for("study_certificate", proof, DONE)) == 3
    gone = replace(proof, learners={k: v for k, v in proof.learners.items() if k not in ("L4", "L5", "L6")})
    assert built_for("study_certificate", gone, DONE) == []
    assert missing("study_certificate", gone, DONE) == ["нет на листе «Слушатели» (learners.xlsx): L4, L5, L6"]


def test_learner_card(proof):
    assert missing("learner_card", proof, DONE) == []
    empty = with_group(proof, RUNNING, members=())
    assert missing("learner_card", empty, RUNNING) == ["в листе «Состав» нет ни одного слушателя"]


def test_journal_is_never_missing(proof):
    # Kept from the first day: a group without members or lessons still has its (empty) journal.
    bare = with_group(proof, RUNNING, members=(), lessons=(), marks=())
    assert built_for("journal", bare, RUNNING) == [f"{RUNNING}/journal"]
    assert missing("journal", bare, RUNNING) == []


# --- build and missing agree --------------------------------------------------------------------

ONE_PER_GROUP = ("order_enrolment", "order_commission", "order_graduation", "protocol", "issue_extract", "journal",
                 "issue_sheet")


@pytest.mark.parametrize("key", ONE_PER_GROUP)
def test_document_exists_exactly_when_nothing_is_missing(key, proof, sample):
    for ds in (proof, sample):
        built = {s.group for s in carrier(key).build(ds)}
        for group in ds.groups.values():
            assert (group.number in built) == (carrier(key).missing(ds, group) == []), (key, group.number)


def test_sample_status_completed_groups_lack_nothing_running_groups_say_what(sample):
    rows = group_status(sample, CARRIERS, collect_specs(sample, CARRIERS), set())
    for group in sample.groups.values():
        mine = {r.carrier.key: r for r in rows if r.scope_key == group.number}
        waiting = {key: r.missing for key, r in mine.items() if r.state == NOT_YET}
        if group.completed:
            assert waiting == {}, group.number
            continue
        assert waiting == {
            "order_commission": ("не указан код комиссии на листе «Группа»",
                                 "нет приказа об утверждении состава аттестационной комиссии на листе «Приказы»"),
            "order_graduation": ("нет приказа об окончании обучения и отчислении на листе «Приказы»",),
            "protocol": ("нет результатов на листе «Итоговая аттестация»",),
            "issue_extract": ("нет записей на листе «Выдача документов»",),
            "issue_sheet": ("нет записей на листе «Выдача документов»",),
        }, group.number
        assert {k for k, r in mine.items() if r.state == PRESENT} == {
            "journal", "order_enrolment", "interim_sheet", "learner_card"}, group.number
        assert {k for k, r in mine.items() if r.state == NOT_NEEDED} == {
            "order_expulsion", "testing", "study_certificate", "qualification_pk", "qualification_pp",
            "qualification_po"}, group.number
    assert sum(not g.completed for g in sample.groups.values()) == 2


class _LookUpOnly(dict):
    """The learners of a dataset that may be looked up by ID but not walked: a group's check that walks every
    learner of the organisation runs once per group and carrier, 2,000 × 50,000 at the largest size."""

    def __iter__(self):
        raise AssertionError("walked every learner")

    def keys(self):
        raise AssertionError("walked every learner")


def test_what_a_group_lacks_is_worked_out_from_its_own_people(proof, sample):
    for ds in (proof, sample):
        looked_up = replace(ds, learners=_LookUpOnly(ds.learners))
        for c in CARRIERS:
            if c.missing is None or c.scope == "year":
                continue
            for group in ds.groups.values():
                assert c.missing(looked_up, group) == c.missing(ds, group), (c.key, group.number)
    # and a recipient absent from «Слушатели» is still named
    gone = {lid: person for lid, person in proof.learners.items()
            if lid not in {m.learner_id for m in proof.groups[DONE].members}}
    lacking = replace(proof, learners=_LookUpOnly(gone))
    assert any("нет на листе «Слушатели»" in reason for reason in missing("study_certificate", lacking, DONE))
