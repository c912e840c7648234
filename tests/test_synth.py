"""The synthetic data: deterministic, with every feature the sample promises, and valid by our own rules."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections import Counter
from pathlib import Path

import pytest

from pipeline.intake.validate import validate_input
from pipeline.intake.workbooks import write_input
from pipeline.synth import generate
from pipeline.synth.__main__ import main as synth_main
from schemas import codes
from schemas.fields import inn_ok, ogrn_ok, snils_check_digits_ok

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "input"


@pytest.fixture(scope="module")
def sample():
    return generate()


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.suffix in (".xlsx", ".csv")  # .csv: the Moodle grade export of one group
    }


def test_same_seed_same_dataset_other_seed_other_people(sample):
    assert generate() == sample
    other = generate(seed=7)
    assert [x.snils for x in other.learners.values()] != [x.snils for x in sample.learners.values()]


def test_written_bytes_are_stable_and_match_the_committed_sample(tmp_path, sample):
    write_input(sample, tmp_path / "a")
    synth_main(["--out", str(tmp_path / "b")])
    first, second = _hashes(tmp_path / "a"), _hashes(tmp_path / "b")
    assert first == second
    # `make sample` must have been run after any change to the generator or the writer.
    assert _hashes(SAMPLE) == first


def test_organization_name_and_identifiers(sample):
    org = sample.organization
    assert "«" in org.full_name and "»" in org.full_name and "&" in org.full_name
    assert inn_ok(org.inn) and ogrn_ok(org.ogrn)
    assert sample.staff[org.head_id].position == "Директор"


def test_programs_cover_pk_pp_po_with_modules_summing_to_volume(sample):
    kinds = Counter(p.kind for p in sample.programs.values())
    assert kinds["ПК"] >= 2 and kinds["ПП"] >= 1 and kinds["ПО"] >= 1 and len(sample.programs) >= 4
    assert sorted(p.hours for p in sample.programs.values() if p.kind == "ПК") == [16, 24, 72]
    assert [p.hours for p in sample.programs.values() if p.kind == "ПП"] == [256]
    po = next(p for p in sample.programs.values() if p.kind == "ПО")
    assert po.po_kind in codes.PO_PROGRAM_KIND and po.rank == "3"
    for program in sample.programs.values():
        assert sum(m.hours for m in program.modules) == program.hours
        assert program.document == codes.DOCUMENT_FOR_KIND[program.kind]


def test_groups_span_two_years_and_one_spans_new_year(sample):
    groups = list(sample.groups.values())
    assert len(groups) == 10
    assert {g.start.year for g in groups} == {2025, 2026}
    assert any(g.start.year == 2025 and g.end.year == 2026 for g in groups)
    assert all(g.number.startswith(f"{sample.programs[g.program_code].kind}-{g.start.year}-") for g in groups)
    in_training = [g for g in groups if not g.completed]
    assert 1 <= len(in_training) <= 2
    as_of = dt.date(2026, 6, 15)
    for g in in_training:
        assert g.end > as_of and all(x.date <= as_of for x in g.lessons)
        assert not g.final and not g.issued and g.order("об окончании обучения и отчислении") is None


def test_lessons_fit_the_curriculum_and_the_day(sample):
    assert any(g.completed for g in sample.groups.values())
    for g in sample.groups.values():
        program = sample.programs[g.program_code]
        per_day = Counter()
        for lesson in g.lessons:
            assert g.start <= lesson.date <= g.end and lesson.date.weekday() < 5
            per_day[lesson.date] += lesson.hours
        assert max(per_day.values()) <= 8
        if g.completed:
            by_module = Counter()
            for lesson in g.lessons:
                by_module[lesson.module] += lesson.hours
            assert by_module == {m.number: m.hours for m in program.modules}


def test_learners_snils_names_and_history(sample):
    learners = sample.learners.values()
    assert len(sample.learners) >= 120
    assert all(snils_check_digits_ok(x.snils) for x in learners)
    assert len({x.snils for x in learners}) == len(sample.learners)
    assert sum(x.snils.startswith("0") for x in learners) >= 3
    names = {x.person.full_name for x in learners}
    assert "Ёлкина Алёна Фёдоровна" in names
    assert any("-" in x.person.surname for x in learners)
    assert any("'" in x.person.surname for x in learners)
    assert any(x.edu_surname and x.person.sex == "Жен" for x in learners)
    assert all(x.email for x in learners)
    female_endings = ("а", "я", "х", "к", "м", "о")  # -ова/-ская, or an indeclinable surname
    assert all(x.person.surname.endswith(female_endings) for x in learners if x.person.sex == "Жен")
    enrolments = Counter(m.learner_id for g in sample.groups.values() for m in g.members)
    assert set(enrolments) == set(sample.learners)
    twice = [learner for learner, n in enrolments.items() if n == 2]
    assert len(twice) >= 10
    for learner in twice:
        groups = [g for g in sample.groups.values() if g.member(learner)]
        assert len({g.program_code for g in groups}) == 2
        assert len({g.start.year for g in groups}) == 2


def test_exactly_one_expelled_one_failed_one_absent(sample):
    expelled = [(g, m) for g in sample.groups.values() for m in g.members if m.expelled_early]
    assert len(expelled) == 1
    group, member = expelled[0]
    order = group.order("об отчислении")
    assert order is not None and order.number == member.expel_order and order.date == member.expelled_on
    assert member.expel_reason
    assert all(group_lesson.date < member.expelled_on for mark in group.marks if mark.learner_id == member.learner_id
               for group_lesson in group.lessons if group_lesson.number == mark.lesson)
    assert group.final_of(member.learner_id) is None

    finals = [(g, f) for g in sample.groups.values() for f in g.final]
    failed = [(g, f) for g, f in finals if not f.result.positive and not f.result.absent]
    absent = [(g, f) for g, f in finals if f.result.absent]
    assert len(failed) == 1 and len(absent) == 1
    g, f = failed[0]
    assert [d.document for d in g.issued if d.learner_id == f.learner_id] == ["Справка об обучении"]
    g, f = absent[0]
    # A no-show and an early leaver get a справка too, registered in the issue book like every document.
    assert [d.document for d in g.issued if d.learner_id == f.learner_id] == ["Справка об обучении"]
    assert [(d.document, d.issued_on) for d in group.issued if d.learner_id == member.learner_id] == [
        ("Справка об обучении", member.expelled_on)]


def test_documents_numbered_per_year_without_gaps(sample):
    docs = sorted(
        ((d.issued_on, d.reg_no, d.number, g) for g in sample.groups.values() for d in g.issued),
        key=lambda x: x[1],
    )
    blanks = [d[2] for d in docs]
    assert len(set(blanks)) == len(blanks) and any(b.startswith("0") for b in blanks)
    for year in (2025, 2026):
        numbers = [reg for on, reg, _n, _g in docs if reg.startswith(f"{year}-")]
        assert numbers == [f"{year}-{k:04d}" for k in range(1, len(numbers) + 1)]
        assert all(on.year == year for on, reg, _n, _g in docs if reg.startswith(f"{year}-"))
    for g in sample.groups.values():
        program = sample.programs[g.program_code]
        for d in g.issued:
            final, member = g.final_of(d.learner_id), g.member(d.learner_id)
            if member.expelled_early:  # a справка on the day of the expulsion order
                assert (d.document, d.issued_on) == ("Справка об обучении", member.expelled_on)
                continue
            assert d.issued_on >= final.date
            assert d.document == (program.document if final.result.positive else "Справка об обучении")


def test_orders_commissions_testing_and_nomenclature(sample):
    assert any(g.completed for g in sample.groups.values())
    for g in sample.groups.values():
        enrol = g.order("о зачислении")
        assert enrol.date <= g.start and all(m.contract_date <= enrol.date for m in g.members)
        if g.completed:
            assert g.order("об окончании обучения и отчислении").date >= g.final_date
            commission = sample.commissions[g.commission_id]
            roles = Counter(m.role for m in commission.members)
            assert roles["председатель"] == 1 and roles["секретарь"] == 1 and roles["член комиссии"] >= 2
            assert g.order("об утверждении состава аттестационной комиссии").number == commission.order_no
    tested = [g for g in sample.groups.values() if g.tests]
    assert tested and all(sample.programs[g.program_code].distance for g in tested)
    carriers = {"journal", "order_enrolment", "order_commission", "order_graduation", "order_expulsion",
                "interim_sheet", "protocol", "issue_register", "issue_extract", "testing", "study_certificate",
                "learner_card", "disposal_act", "archive_inventory", "order_expert_commission", "expert_protocol"}
    assert set(sample.nomenclature) == carriers
    orders = sample.nomenclature["order_enrolment"]
    assert orders.approved and orders.article == "ст. 19 «а»" and orders.retention_text == "до ликвидации организации"
    assert all(r.note for r in sample.nomenclature.values() if not r.approved)


def test_committed_sample_validates_cleanly_and_round_trips(sample):
    validation = validate_input(SAMPLE)
    assert validation.problems == []
    loaded = validation.dataset
    for name in ("organization", "programs", "staff", "commissions", "nomenclature", "learners"):
        assert getattr(loaded, name) == getattr(sample, name), name
    assert {k: dataclasses.replace(g, file_sha256="") for k, g in loaded.groups.items()} == sample.groups


def test_large_size_stays_consistent():
    data = generate(learners=3000, groups=120)
    assert len(data.learners) == 3000 and len(data.groups) == 120
    assert len({x.snils for x in data.learners.values()}) == 3000
    regs = [d.reg_no for g in data.groups.values() for d in g.issued]
    assert len(set(regs)) == len(regs)
    assert len({g.number for g in data.groups.values()}) == 120
    assert sum(m.expelled_early for g in data.groups.values() for m in g.members) == 3
