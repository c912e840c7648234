"""Retention dates across years, disposal acts, and carrying out an act with tombstones and a register."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import bagit
import docx
import openpyxl
import pytest
from archive_fixture import NOMENCLATURE, dataset, rendered, replace
from click.testing import CliRunner
from test_archive import tree_hash

from pipeline.archive import archive_documents
from pipeline.archive.records import read_documents
from pipeline.archive.verify import verify_archive
from pipeline.cli import main
from pipeline.disposal import dispose, prepare_act
from pipeline.errors import UchetError
from pipeline.retention import destroy_not_before, expired, retention_label, years_text

D = dt.date
SAMPLE_INPUT = Path(__file__).resolve().parents[1] / "input"
JOURNAL = "2024/ПК-2024-01/data/Журнал учета занятий ПК-2024-01.docx"


@pytest.mark.parametrize(("closing", "carrier", "years", "expected"), [
    (2024, "journal", None, D(2030, 1, 1)),      # closed 2024: counted from 01.01.2025, 5 full years
    (2025, "journal", None, D(2031, 1, 1)),
    (2024, "journal", 1, D(2026, 1, 1)),
    (1999, "journal", 75, D(2075, 1, 1)),
    (2024, "protocol", None, D(2075, 1, 1)),
    (2024, "order_graduation", None, None),      # до ликвидации организации
    (2024, "issue_register", None, None),        # постоянно
])
def test_destroy_not_before(closing, carrier, years, expected):
    rule = NOMENCLATURE[carrier]
    if years is not None:
        rule = replace(rule, retention_years=years)
    assert destroy_not_before(closing, rule) == expected


def test_expired_only_from_1_january_of_the_destroy_year():
    until = D(2030, 1, 1)
    assert not expired(until, D(2029, 12, 31))
    assert expired(until, D(2030, 1, 1)) and expired(until, D(2030, 7, 1))
    assert not expired(None, D(2999, 1, 1))


def test_retention_words():
    assert [years_text(n) for n in (1, 3, 5, 11, 21, 22, 50, 75)] == [
        "1 год", "3 года", "5 лет", "11 лет", "21 год", "22 года", "50 лет", "75 лет"]
    assert retention_label("50", "", True) == "50 лет ЭПК"
    assert retention_label("до ликвидации организации", "19 «а»") == "до ликвидации организации, ст. 19 «а»"


@pytest.fixture(autouse=True)
def far_future(monkeypatch):
    """These tests draw acts for 2031 and 2080: the clock says those days have come."""
    monkeypatch.setattr("pipeline.disposal.clock_today", lambda: D(2080, 6, 1))


@pytest.fixture
def archive(tmp_path):
    ds = dataset()
    archive_documents(ds, rendered(tmp_path / "build", ds), tmp_path / "output/archive", today=D(2026, 3, 1))
    return tmp_path / "output/archive"


def test_act_lists_expired_cases_and_keeps_undecided_apart(archive):
    before = tree_hash(archive)
    act, path = prepare_act(archive, D(2031, 1, 15))
    assert act.number == 1 and path == archive / "acts/act-1.docx"
    assert [(c.case_index, c.year, c.groups, len(c.documents)) for c in act.cases] == [
        ("03-05", 2024, ["ПК-2024-01"], 1)]
    assert [(c.case_index, c.year, len(c.documents)) for c in act.needs_decision] == [("03-09", 2024, 2)]
    data = json.loads((archive / "acts/act-1.json").read_text(encoding="utf-8"))
    assert [(d["bag"], d["file"]) for d in data["cases"][0]["documents"]] == [
        ("2024/ПК-2024-01", "data/Журнал учета занятий ПК-2024-01.docx")]
    # nothing but the act itself was written
    for name in ("act-1.docx", "act-1.json", "tagmanifest-sha256.txt"):
        (archive / "acts" / name).unlink()
    (archive / "acts").rmdir()
    assert tree_hash(archive) == before


def test_act_docx_follows_the_form(archive):
    act, path = prepare_act(archive, D(2080, 1, 1))
    assert [c.case_index for c in act.cases] == ["03-05", "03-07"]
    d = docx.Document(str(path))
    text = "\n".join(p.text for p in d.paragraphs)
    head = " ".join(c.text for c in d.tables[0].rows[0].cells)
    assert "УТВЕРЖДАЮ" in head and "АКТ" in head and "№\u00a01" in head
    assert "о выделении к уничтожению архивных документов, не подлежащих хранению" in text
    assert "Итого 2 (два) ед. хр. за 2024 год." in text and "СОГЛАСОВАНО" in text and "Протокол ЭК" in text
    table = d.tables[1]
    assert len(table.columns) == 8
    assert table.rows[0].cells[1].text.startswith("Заголовок дела")
    # group numbers and indexes carry non-breaking hyphens (U+2011): compared here as typed
    rows = [[c.text.replace("\u2011", "-") for c in r.cells] for r in table.rows[2:]]
    assert rows[0][:7] == ["1", "Журналы учета занятий групп (группы: ПК-2024-01)", "2024",
                           "номенклатура дел на 2024 г.", "03-05", "1", "5 лет"]
    assert rows[1][6] == "50 лет ЭПК" and "ЭПК" in rows[1][7]
    undecided = [[c.text.replace("\u2011", "-") for c in r.cells] for r in d.tables[-1].rows[1:]]
    assert undecided == [["03-09", "Справки об обучении", "2024", "2", "5 лет"]]
    assert "требует решения ЭК" in text


def test_no_act_when_nothing_expired(archive):
    act, path = prepare_act(archive, D(2029, 12, 31))
    assert path is None and act.cases == [] and not (archive / "acts").exists()


def test_dispose_without_confirm_removes_nothing(archive):
    prepare_act(archive, D(2031, 1, 15))
    before = tree_hash(archive)
    result = CliRunner().invoke(main, ["dispose", "--act", "1", "--output", str(archive.parent), "--today", "2031-02-01"])
    assert result.exit_code == 0 and "Будет удален" in result.output and JOURNAL in result.output
    assert tree_hash(archive) == before


def test_dispose_removes_exactly_the_listed_files_and_leaves_tombstones(archive):
    prepare_act(archive, D(2031, 1, 15))
    bag = archive / "2024/ПК-2024-01"
    others = {p.name: p.read_bytes() for p in (bag / "data").iterdir() if "Журнал" not in p.name}
    report = dispose(archive, 1, confirm=True, today=D(2031, 2, 1))
    assert report.removed == [JOURNAL]
    assert {p.name: p.read_bytes() for p in (bag / "data").iterdir()} == others
    assert bagit.Bag(str(bag)).validate() and verify_archive(archive).clean
    [journal] = [r for r in read_documents(bag) if r.carrier == "journal"]
    assert (journal.status, journal.disposal_act, journal.file) == (
        "уничтожен", "№ 1 от 15.01.2031", "data/Журнал учета занятий ПК-2024-01.docx")
    assert "Журнал учета занятий" not in (bag / "manifest-sha256.txt").read_text(encoding="utf-8")
    ws = openpyxl.load_workbook(archive / "index.xlsx")["Опись"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[header.index("Путь")] == JOURNAL)
    assert row[header.index("Статус")] == "уничтожен"
    with open(archive / "disposal_register.csv", encoding="utf-8-sig") as fh:
        register = list(csv.DictReader(fh))
    assert [(r["act"], r["path"], r["executed_on"]) for r in register] == [("1", JOURNAL, "2031-02-01")]
    assert (archive / "disposal_register.xlsx").is_file()
    # carrying out the same act again changes nothing
    before = tree_hash(archive)
    again = dispose(archive, 1, confirm=True, today=D(2031, 3, 1))
    assert again.removed == [] and again.already == [JOURNAL] and tree_hash(archive) == before
    # and the next build does not file the destroyed journal again
    ds = dataset()
    result = archive_documents(ds, rendered(archive.parent / "build2", ds), archive, today=D(2031, 3, 1))
    assert [d.doc_id for d in result.destroyed] == ["ПК-2024-01/journal"] and result.new_versions == []
    assert tree_hash(archive) == before


def test_a_second_act_never_lists_documents_an_executed_act_destroyed(archive):
    """A destroyed document is gone: only its tombstone stays, and no later act may list it again."""
    prepare_act(archive, D(2031, 1, 15))
    dispose(archive, 1, confirm=True, today=D(2031, 2, 1))
    # a year later nothing else has expired: there is no act to draw at all
    act, path = prepare_act(archive, D(2032, 1, 15))
    assert (act.number, act.cases, path) == (2, [], None)
    # by 2080 the protocols (50 years) have expired; the journal destroyed by act 1 is not among them
    act, path = prepare_act(archive, D(2080, 1, 1))
    assert act.number == 2 and path == archive / "acts/act-2.docx"
    listed = [(c.case_index, d["file"]) for c in act.cases for d in c.documents]
    assert listed == [("03-07", "data/Протокол заседания аттестационной комиссии ПК-2024-01.docx")]
    data = json.loads((archive / "acts/act-2.json").read_text(encoding="utf-8"))
    assert all("Журнал" not in d["file"] for c in data["cases"] for d in c["documents"])
    report = dispose(archive, 2, confirm=True, today=D(2080, 2, 1))
    assert report.removed == ["2024/ПК-2024-01/data/Протокол заседания аттестационной комиссии ПК-2024-01.docx"]
    assert report.already == []
    with open(archive / "disposal_register.csv", encoding="utf-8-sig") as fh:
        register = [(r["act"], r["path"]) for r in csv.DictReader(fh)]
    assert register == [("1", JOURNAL), ("2", report.removed[0])]


def test_dispose_refuses_a_file_changed_since_the_act(archive):
    prepare_act(archive, D(2031, 1, 15))
    (archive / JOURNAL).write_bytes(b"edited")
    before = tree_hash(archive)
    with pytest.raises(UchetError, match="отличается от указанного в акте"):
        dispose(archive, 1, confirm=True, today=D(2031, 2, 1))
    assert tree_hash(archive) == before


def test_disposal_cli(archive):
    runner = CliRunner()
    result = runner.invoke(main, ["disposal", "--as-of", "2031-01-15", "--output", str(archive.parent),
                                  "--input", str(SAMPLE_INPUT)])
    assert result.exit_code == 0
    assert "Составлен акт № 1 от 15.01.2031" in result.output and "Требует решения ЭК" in result.output
    assert "Ничего не удалено" in result.output and (archive / JOURNAL).is_file()
    missing = runner.invoke(main, ["dispose", "--act", "7", "--output", str(archive.parent)])
    assert missing.exit_code == 2 and "Акт № 7 не найден" in missing.output


def test_disposing_the_last_document_of_a_folder_removes_its_personal_data(tmp_path):
    """Once nothing of a group is kept, its learners' ФИО and СНИЛС leave the bag and the index too."""
    short = {key: replace(rule, retention_years=5, retention_text="5", approved=True)
             for key, rule in NOMENCLATURE.items()}
    ds = replace(dataset(), nomenclature=short)
    archive = tmp_path / "output/archive"
    archive_documents(ds, rendered(tmp_path / "build", ds), archive, today=D(2026, 3, 1))
    bag = archive / "2024/ПК-2024-01"
    assert "112-233-445 95" in (bag / "learners.csv").read_text(encoding="utf-8-sig")
    prepare_act(archive, D(2080, 1, 1))
    dispose(archive, 1, confirm=True, today=D(2080, 2, 1))
    assert not any(r.kept for r in read_documents(bag))
    assert "112-233-445 95" not in (bag / "learners.csv").read_text(encoding="utf-8-sig")
    people = openpyxl.load_workbook(archive / "index.xlsx")["Слушатели"]
    assert not any("112-233-445 95" in str(v) for row in people.iter_rows(values_only=True) for v in row)
    assert bagit.Bag(str(bag)).validate() and verify_archive(archive).clean
