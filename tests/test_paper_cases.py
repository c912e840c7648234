"""Дела from archive records (pipeline.paper.cases) and the papers' contexts (pipeline.paper.papers): pure."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from pipeline.archive.records import KEPT, Record
from pipeline.core.dataset import CaseRule, Source
from pipeline.paper import papers
from pipeline.paper.cases import (
    LONG_TERM,
    PERMANENT,
    PERSONNEL,
    FiledRecord,
    cases_of,
    formation_by_index,
    numbered,
    registration_index,
)
from pipeline.paper.folders import open_keys
from pipeline.paper.formation import BY_GROUP, BY_YEAR, formation_of
from pipeline.synth import generate

SRC = Source("organization.xlsx", "Номенклатура дел", 2)
ORDERS = ("01-01", "Приказы директора по основной деятельности", "до ликвидации организации", "19 «а»", "нет")
JOURNALS = ("03-01", "Журналы учета занятий групп (по группам)", "5", "", "нет")
CARDS = ("03-08", "Личные карточки слушателей", "50", "", "да")
LONG = ("04-01", "Договоры", "15", "", "нет")
FORMATION = {"01-01": BY_YEAR, "03-01": BY_GROUP, "03-08": BY_GROUP, "04-01": BY_YEAR}


def rec(doc_id: str, title: str, date: str, case, version: int = 1, status: str = KEPT) -> Record:
    index, case_title, retention, article, epk = case
    return Record(
        doc_id=doc_id, version=version, file=f"data/{doc_id.replace('/', ' ')}.docx", status=status, carrier="c",
        carrier_title="c", title=title, date=date, case_index=index, case_title=case_title, retention=retention,
        retention_years=retention if retention.isdigit() else "", article=article, epk=epk, approved="да",
        closing_year=0, destroy_not_before="", sha256=f"sha-{doc_id}-{version}", inputs_hash="", sources="",
        signed="нет", correction="", filed_on="", learner_id="", learner_name="", disposal_act="")


def filed(year: int, group: str, record: Record) -> FiledRecord:
    return FiledRecord(f"{year}/{group or '_год'}", year, group, record)


def bag(year: int, group: str, *records: tuple) -> list[FiledRecord]:
    """One group's records, filed in its bag of `year`: (doc id within the group, title, date, case[, version])."""
    return [filed(year, group, rec(f"{group}/{name}", title, date, case, *version))
            for name, title, date, case, *version in records]


def sample_records() -> list[FiledRecord]:
    return [
        # A group that ran across New Year: its bag is 2026, its enrolment order is of 2025.
        *bag(2026, "ПП-2025-01",
             ("enrol", "Приказ о зачислении № 10-сл от 28 ноября 2025 г.", "2025-11-28", ORDERS),
             ("grad", "Приказ об окончании № 2-сл от 20 февраля 2026 г.", "2026-02-20", ORDERS),
             ("journal", "Журнал учета занятий группы ПП-2025-01", "2026-02-19", JOURNALS)),
        *bag(2025, "ПК-2025-01",
             ("enrol", "Приказ о зачислении № 1-сл от 17 января 2025 г.", "2025-01-17", ORDERS),
             ("commission", "Приказ о комиссии № 1-о от 17 января 2025 г.", "2025-01-17", ORDERS),
             ("grad", "Приказ об окончании № 2-сл от 23 января 2025 г.", "2025-01-23", ORDERS),
             ("journal", "Журнал учета занятий группы ПК-2025-01", "2025-01-22", JOURNALS)),
        *bag(2025, "ПК-2025-02",
             ("journal", "Журнал учета занятий группы ПК-2025-02", "2025-04-09", JOURNALS),
             ("card/2", "Личная карточка Яковлева", "2025-04-10", CARDS),
             ("card/1", "Личная карточка Абрамова", "2025-04-10", CARDS),
             ("grad", "Приказ об окончании № 10-сл от 9 декабря 2025 г.", "2025-12-09", ORDERS, 2),
             ("enrol", "Приказ о зачислении № 3-сл от 21 марта 2025 г.", "2025-03-21", ORDERS)),
    ]


def by_key(cases):
    return {c.key: c for c in cases}


def test_formation_defaults_and_what_the_row_says():
    assert formation_of("order_enrolment", None) == BY_YEAR
    assert formation_of("journal", None) == BY_GROUP
    assert formation_of("journal", BY_YEAR) == BY_YEAR
    assert formation_of("something_new", None) == BY_YEAR


def test_sample_nomenclature_has_the_column(sample):
    assert sample.nomenclature["order_graduation"].formation == BY_YEAR
    assert sample.nomenclature["journal"].formation == BY_GROUP
    assert sample.nomenclature["learner_card"].formation == BY_GROUP
    ws = openpyxl.load_workbook(Path(__file__).parents[1] / "input" / "organization.xlsx")["Номенклатура дел"]
    rows = list(ws.iter_rows(values_only=True))
    column = rows[0].index("Формируется")
    assert {r[0]: r[column] for r in rows[1:]}["order_enrolment"] == BY_YEAR


def test_an_index_is_per_group_only_when_all_its_rows_say_so():
    def rule(carrier, index, formation):
        return CaseRule(carrier, index, "t", 5, "5", None, False, True, None, SRC, formation)

    rules = {"a": rule("a", "01-01", BY_GROUP), "b": rule("b", "01-01", BY_YEAR), "c": rule("c", "03-01", BY_GROUP)}
    assert formation_by_index(rules) == {"01-01": BY_YEAR, "03-01": BY_GROUP}


def test_orders_are_one_chronological_case_per_year_whatever_the_group():
    cases = by_key(cases_of(sample_records(), FORMATION))
    orders_2025 = cases[("01-01", 2025, "")]
    # № 10-сл of 2025 is in the 2025 дело though its group's bag is 2026.
    assert [d.reg_index for d in orders_2025.documents] == ["1-о", "1-сл", "2-сл", "3-сл", "10-сл", "10-сл"]
    assert {d.filed.bag for d in orders_2025.documents} == {"2025/ПК-2025-01", "2025/ПК-2025-02", "2026/ПП-2025-01"}
    assert orders_2025.group is None
    assert orders_2025.first_date == dt.date(2025, 1, 17) and orders_2025.last_date == dt.date(2025, 12, 9)
    assert [d.title for d in cases[("01-01", 2026, "")].documents] == ["Приказ об окончании № 2-сл от 20 февраля 2026 г."]


def test_group_papers_are_one_case_per_group_and_year():
    cases = by_key(cases_of(sample_records(), FORMATION))
    journals = sorted(k for k in cases if k[0] == "03-01")
    assert journals == [("03-01", 2025, "ПК-2025-01"), ("03-01", 2025, "ПК-2025-02"), ("03-01", 2026, "ПП-2025-01")]
    assert cases[("03-01", 2025, "ПК-2025-02")].heading == "Журналы учета занятий групп (группа № ПК-2025-02)"
    cards = cases[("03-08", 2025, "ПК-2025-02")]
    assert [d.title for d in cards.documents] == ["Личная карточка Абрамова", "Личная карточка Яковлева"]


def test_only_the_newest_kept_version_is_a_document_of_the_case(tmp_path):
    from pipeline.archive import records as rec_mod
    from pipeline.paper.cases import filed_records

    bag = tmp_path / "2025" / "ПК-2025-01"
    bag.mkdir(parents=True)
    old = rec("g/a", "Приказ № 1-сл от 17 января 2025 г.", "2025-01-17", ORDERS)
    new = dataclasses.replace(old, version=2, file="data/a (версия 2).docx", sha256="x2")
    gone = rec("g/b", "Приказ № 2-сл от 18 января 2025 г.", "2025-01-18", ORDERS).destroyed("№ 1 от 01.01.2031")
    (bag / rec_mod.DOCUMENTS).write_bytes(rec_mod.documents_bytes([old, new, gone]))
    found = filed_records(tmp_path)
    assert [(f.record.doc_id, f.record.version) for f in found] == [("g/a", 2)]


def test_registration_index_is_read_from_the_title():
    assert registration_index("Приказ о зачислении № 1-сл от 17 января 2025 г. (группа ПК-2025-01)") == "1-сл"
    assert registration_index("Протокол заседания комиссии № 3 от 29 мая 2025 г.") == "3"
    assert registration_index("Журнал учета занятий группы ПК-2025-01") == ""


def test_inventory_kinds_and_numbers_run_through_each_opis_across_years():
    records = sample_records() + [filed(2025, "", rec("2025/contract", "Договор № 5 от 1 марта 2025 г.",
                                                       "2025-03-01", LONG))]
    cases = cases_of(records, FORMATION)
    kinds = {c.key: c.inventory for c in cases}
    assert kinds[("01-01", 2025, "")] == PERMANENT
    assert kinds[("03-08", 2025, "ПК-2025-02")] == PERSONNEL
    assert kinds[("04-01", 2025, "")] == LONG_TERM
    assert kinds[("03-01", 2025, "ПК-2025-01")] is None
    numbers = numbered(cases)
    assert numbers[("01-01", 2025, "")] == ("1", 1)
    assert numbers[("01-01", 2026, "")] == ("1", 2)
    assert numbers[("03-08", 2025, "ПК-2025-02")] == ("2", 1)
    assert ("03-01", 2025, "ПК-2025-01") not in numbers


def test_sheets_are_numbered_through_and_stop_at_a_missing_copy():
    s = papers.Sheets.of([2, 1, 3])
    assert s.ranges == ((1, 2), (3, 3), (4, 6)) and s.total == 6 and s.complete
    s = papers.Sheets.of([2, None, 3])
    assert s.ranges == ((1, 2), None, None) and s.total is None and not s.complete


@pytest.fixture(scope="module")
def sample():
    return generate()


@pytest.fixture
def ds(sample):
    return sample


def test_opis_lists_every_case_of_its_kind_exactly_once(ds):
    cases = cases_of(sample_records(), FORMATION)
    numbers = numbered(cases)
    today = dt.date(2026, 6, 15)
    for kind in (PERMANENT, PERSONNEL):
        ctx = papers.inventory_list_context(ds, kind, 2025, cases, numbers, {}, today)
        listed = [(r["index"], r["number"]) for r in ctx["cases"]]
        expected = [(c.index, numbers[c.key][1]) for c in cases if c.inventory == kind and c.year == 2025]
        assert sorted(listed) == sorted(expected) and len(set(listed)) == len(listed)
        assert ctx["totals"]["count"] == len(expected)
        assert ctx["totals"]["first"] == min(n for _, n in expected)
        assert ctx["totals"]["last"] == max(n for _, n in expected)


def test_inventory_context_prints_a_dash_for_documents_without_a_copy(ds):
    case = by_key(cases_of(sample_records(), FORMATION))[("01-01", 2025, "")]
    ctx = papers.inventory_context(ds, case, papers.Sheets.of([1, 2, None, 1, 1, 1]), 1, dt.date(2026, 1, 10))
    assert [d["sheets"] for d in ctx["documents"]] == ["1", "2–3", "—", "—", "—", "—"]
    assert ctx["totals"]["documents"] == 6 and ctx["totals"]["documents_words"] == "шесть"
    cert = papers.certifier_context(ds, case, papers.Sheets.of([1, 2, 1, 1, 1, 1]), 2, dt.date(2026, 1, 10))
    assert cert["totals"]["sheets"] == 7 and cert["totals"]["sheets_words"] == "семь"
    assert cert["totals"]["inventory_noun"] == "листа"


def test_nomenclature_counts_the_cases_of_the_year(ds):
    cases = cases_of(sample_records(), FORMATION)
    ctx = papers.nomenclature_context(ds, 2025, cases, dt.date(2026, 6, 15), closed=True)
    counts = {r["index"]: r["count"] for r in ctx["rows"]}
    assert counts["01-01"] == 1 and counts["03-01"] == 2
    total = next(t for t in ctx["summary"] if t["label"] == "ИТОГО")["total"]
    assert total == sum(1 for c in cases if c.year == 2025 and c.index in counts)


def test_a_case_waits_while_a_group_is_still_studying(sample):
    waiting = open_keys(sample, formation_by_index(sample.nomenclature), dt.date(2026, 6, 15))
    running = [g for g in sample.groups.values() if not g.completed]
    assert running
    assert all(key[1] >= min(g.start.year for g in running) for key in waiting)
    assert ("01-01", 2026, "") in waiting
