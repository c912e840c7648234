"""The signer's checklist of the journal, the issue book, the learner card, the testing results and the
director's page: the details ГОСТ Р 7.0.97 and the domain notes require, and the facts that must agree
across documents (every number printed is the one registered; the journal's expelled rows agree with
the expulsion order). Checked on the sample and on an awkward data set: long double-barrelled names,
the no-show a man and the early leaver a woman, a commission of five, a group overdue on the director's day.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path

import pytest
from docx import Document
from rendered_kinds import render_kinds

from pipeline.assessment.expectations import assess_all
from pipeline.carriers.common import records_keeper
from pipeline.core.dataset import CommissionMember, Person
from pipeline.render.stage import docx_text
from pipeline.reports.director import SIGN_LINE, key_figures, risk_lines, write_director_page
from pipeline.synth import generate
from schemas import codes

KINDS = ("journal", "issue_register", "learner_card", "testing", "study_certificate")


def awkward():
    """The sample bent where documents break: long names, sexes swapped on the special cases, five members."""
    ds = generate(seed=2031)
    expelled = {m.learner_id for g in ds.groups.values() for m in g.members if m.expelled_early}
    absent = {f.learner_id for g in ds.groups.values() for f in g.final if f.result.absent}
    learners = dict(ds.learners)
    for n, (lid, learner) in enumerate(sorted(learners.items())):
        if lid in absent:
            person = Person("Константинопольский-Преображенский", "Александр", "Александрович", "Муж")
        elif lid in expelled:
            person = Person("Римская-Корсакова-Водкина", "Елизавета", "Константиновна", "Жен")
        elif n % 7 == 0:
            person = Person(learner.person.surname + ("-Щедрина" if learner.person.sex == "Жен" else "-Щедрин"),
                            learner.person.name, learner.person.patronymic, learner.person.sex)
        else:
            continue
        learners[lid] = dataclasses.replace(learner, person=person)
    teachers = [s for s in ds.staff if s not in {m.staff_id for c in ds.commissions.values() for m in c.members}]
    commissions = {}
    for cid, commission in ds.commissions.items():
        extra = tuple(CommissionMember(t, "член комиссии", commission.members[0].src) for t in teachers[:2])
        members = commission.members[:-1] + extra + commission.members[-1:]
        commissions[cid] = dataclasses.replace(commission, members=members)
    return dataclasses.replace(ds, learners=learners, commissions=commissions)


DATASETS = {"sample": generate, "awkward": awkward}


@pytest.fixture(scope="module", params=sorted(DATASETS))
def case(request, tmp_path_factory):
    ds = DATASETS[request.param]()
    by_kind = render_kinds(ds, KINDS, tmp_path_factory.mktemp(request.param))
    docs = {doc_id: found for per_kind in by_kind.values() for doc_id, found in per_kind.items()}
    kinds = {ds.programs[g.program_code].kind for g in ds.groups.values()}
    assert {"ПО", "ПП"} <= kinds and len(docs) > 50
    assert any(m.expelled_early for g in ds.groups.values() for m in g.members)
    assert any(f.result.absent for g in ds.groups.values() for f in g.final)
    return ds, docs


def _tables(path: Path) -> list[list[list[str]]]:
    doc = Document(io.BytesIO(path.read_bytes()))
    return [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]


def _verb(person: Person, male: str, female: str) -> str:
    return female if person.sex == "Жен" else male


def test_journal_title_page_bound_and_signed_by_the_records_keeper(case):
    ds, docs = case
    keeper = records_keeper(ds)
    assert keeper["name"] == "А. П. Беляев" or keeper["name"].endswith("Беляев")  # «Ответственный за учет»
    for group in ds.groups.values():
        _, text = docs[f"{group.number}/journal"]
        title = text.split("1. Список слушателей")[0]
        assert "Пронумеровано и прошнуровано ____ листов" in title
        assert keeper["name"] in title and keeper["position"] in title and "М. П." in title


def test_journal_expelled_rows_agree_with_the_expulsion_order(case):
    ds, docs = case
    seen = 0
    for group in ds.groups.values():
        _, text = docs[f"{group.number}/journal"]
        final = text.split("6. Результаты итоговой аттестации")[1]
        for member in group.members:
            if not member.expelled_early:
                continue
            order = next(o for o in group.orders if o.kind == "об отчислении" and o.number == member.expel_order)
            assert order.date == member.expelled_on
            person = ds.learners[member.learner_id].person
            note = f"{_verb(person, 'отчислен', 'отчислена')} {order.date:%d.%m.%Y}, приказ №\u00a0{order.number}"
            assert f"| {person.full_name} | — | {note} | —" in final
            seen += 1
    assert seen >= 1


def test_journal_tables_have_a_heading_over_every_column(case):
    ds, docs = case
    for group in ds.groups.values():
        doc, text = docs[f"{group.number}/journal"]
        # data tables (a one-row table is the signature's layout: position, blank for the signature, name)
        tables = [table for table in _tables(doc.path) if len(table) > 1]
        assert tables, group.number
        for table in tables:
            assert all(cell.strip() for cell in table[0]), (group.number, table[0])
        # Section 5 shows exactly the attested modules that have results.
        held = sorted({r.module for r in group.interim})
        section = text.split("5. Результаты промежуточной аттестации")[1].split("Модули программы:")[0]
        assert [int(h.split()[1]) for h in section.split(" | ") if h.startswith("Модуль ")] == held


def test_issue_book_lists_every_issued_document_with_its_registered_number(case):
    ds, docs = case
    for group in ds.groups.values():
        for issued in group.issued:
            _, book = docs[f"{issued.issued_on.year}/issue_register"]
            name = ds.learners[issued.learner_id].person.full_name
            rows = [line for line in book.split("\n") if line.startswith(issued.reg_no + " | ")]
            assert len(rows) == 1 and f"| {name} |" in rows[0] and issued.document in rows[0]


def test_every_certificate_number_is_the_registered_one(case):
    ds, docs = case
    certificates = [(d, t) for key, (d, t) in docs.items() if "/study_certificate/" in key]
    assert len(certificates) >= 3  # an early leaver, a failed learner, a no-show
    for doc, text in certificates:
        number = doc.spec.context["doc_number"]
        assert number != "______", doc.spec.doc_id  # every справка is in the book
        group = ds.groups[doc.spec.group]
        registered = next(d for d in group.issued if d.learner_id == doc.spec.learner_id
                          and d.document == "Справка об обучении")
        # Printed with non-breaking hyphens (U+2011): the same number, unbreakable at its hyphen.
        assert number.replace("\u2011", "-") == registered.reg_no and f"№\u00a0{number}" in text
        _, book = docs[f"{registered.issued_on.year}/issue_register"]
        assert f"{registered.reg_no} | Справка об обучении |" in book


def test_issue_book_leaves_signatures_blank_and_states_the_way_of_receipt(case):
    ds, docs = case
    keeper = records_keeper(ds)
    for key, (doc, text) in docs.items():
        if not key.endswith("/issue_register"):
            continue
        table = next(t for t in _tables(doc.path) if t[0][0] == "Рег. №")
        assert table[0][-3:] == ["Способ получения", "Подпись выдавшего", "Подпись получателя"]
        for row in table[1:]:
            assert row[-3] in codes.RECEIPT and row[-2:] == ["", ""], row
        closing = text.split("\n")[-6:]
        assert "В журнале пронумеровано и прошнуровано ____ листов" in closing
        # «М. П.» is in the keeper's signature row, so the two are never on different pages.
        assert any(keeper["name"] in line and "М. П." in line for line in closing)


def test_learner_card_reads_as_a_records_officer_writes_it(case):
    ds, docs = case
    keeper = records_keeper(ds)
    cards = {d.spec.learner_id: t for key, (d, t) in docs.items() if key.endswith("/learner_card")}
    certificate_holders = 0
    for lid, text in cards.items():
        person = ds.learners[lid].person
        assert "окончание обучения, приказ" not in text
        assert ("не явился" not in text) if person.sex == "Жен" else ("не явилась" not in text)
        assert keeper["name"] in text.rstrip().split("\n")[-1]
        for award in ds.learners[lid].awards:
            assert f"№\u00a0{award.basis_no}" in text and award.kind.capitalize() in text
        for group in ds.groups.values():
            certificate = next((d for d in group.issued if d.learner_id == lid and d.document == "Справка об обучении"),
                               None)
            if certificate:
                certificate_holders += 1
                assert f"Выданный документ | Справка об обучении № {certificate.number}, рег. № {certificate.reg_no}" \
                       in text
    assert certificate_holders >= 3
    assert ds.awards and any("3. Поощрения" in t and "Благодарность" in t for t in cards.values())


def test_testing_results_say_where_the_data_came_from(case):
    ds, docs = case
    for key, (doc, text) in docs.items():
        if not key.endswith("/testing"):
            continue
        group = ds.groups[doc.spec.group]
        from_moodle = any(t.src.file != group.file for t in group.tests)
        assert ("выгружены из СДО (Moodle)" in text) == from_moodle
        assert ("внесены в ведомость" in text) == (not from_moodle)
        typed = [t for t in group.tests if t.max_score is not None]
        assert all("\u00a0из\u00a0" in text for _ in typed[:1])  # «13,5 из 20» never wraps


def test_director_page_counts_overdue_groups_as_a_risk(case, tmp_path):
    ds, _ = case
    in_training = [g for g in ds.groups.values() if not g.completed]
    assert in_training
    today = max(g.end for g in in_training) + dt.timedelta(days=150)  # five months after the end
    progress = assess_all(ds, today)
    figures = dict(key_figures(progress, today))
    assert figures[f"Обучаются на {today:%d.%m.%Y}"] == "0"
    overdue = figures["Группы с истекшим сроком обучения без итоговой аттестации и приказа об окончании"]
    assert overdue.startswith(f"{len(in_training)} (слушателей: ")
    lines = risk_lines(progress, today)
    assert [line.split(":")[0] for line in lines] == [f"Группа {g.number}" for g in
                                                       sorted(in_training, key=lambda g: (g.end, g.number))]
    path = tmp_path / "director.docx"
    write_director_page(ds, progress, path, today=today)
    text = docx_text(path.read_bytes())
    assert "output/" not in text and ".xlsx" not in text
    keeper = records_keeper(ds)
    assert f"{keeper['position']} | {SIGN_LINE} | {keeper['name']}" in text  # the line to sign on between
    assert f"{today.day}\u00a0" in text and f"{today.year}\u00a0г." in text
