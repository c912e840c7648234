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
from archive_fixture import NOMENCLATURE, approving, dataset, rendered, replace
from click.testing import CliRunner
from test_archive import tree_hash

from pipeline.archive.disposal import dispose, prepare_act, read_act, read_acts_manifest
from pipeline.archive.filing import archive_documents
from pipeline.archive.records import read_documents
from pipeline.archive.retention import destroy_not_before, expired, retention_label, years_text
from pipeline.archive.verify import verify_archive
from pipeline.cli import main
from pipeline.core.errors import UchetError

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
    # the term must have ended by 1 January itself: a date one day or one month later has not
    assert not expired(D(2030, 1, 2), D(2030, 12, 31)) and not expired(D(2030, 2, 1), D(2030, 12, 31))
    assert expired(D(2030, 1, 2), D(2031, 1, 1))


def test_retention_words():
    assert [years_text(n) for n in (1, 3, 5, 11, 21, 22, 50, 75)] == [
        "1 год", "3 года", "5 лет", "11 лет", "21 год", "22 года", "50 лет", "75 лет"]
    # Russian agreement: 1 год / 2–4 года / 5–20 лет, the teens always «лет», by the last two digits
    assert [years_text(n) for n in (2, 4, 12, 13, 14, 24, 101, 111, 112, 114, 124)] == [
        "2 года", "4 года", "12 лет", "13 лет", "14 лет", "24 года", "101 год", "111 лет", "112 лет", "114 лет",
        "124 года"]
    assert retention_label("5") == "5 лет"
    assert retention_label("постоянно") == "постоянно"
    assert retention_label("5", "ст. 19 «б»") == "5 лет, ст. 19 «б»"
    assert retention_label("5", "Ст. 19 «б»") == "5 лет, Ст. 19 «б»"
    assert retention_label("50", "", True) == "50 лет ЭПК"
    assert retention_label("до ликвидации организации", "19 «а»") == "до ликвидации организации, ст. 19 «а»"


@pytest.fixture(autouse=True)
def far_future(monkeypatch):
    """These tests draw acts for 2031 and 2080: the clock says those days have come."""
    monkeypatch.setattr("pipeline.archive.disposal.clock_today", lambda: D(2080, 6, 1))


@pytest.fixture
def archive(tmp_path):
    ds = dataset()
    archive_documents(ds, rendered(tmp_path / "build", ds), tmp_path / "output/archive", today=D(2026, 3, 1))
    return tmp_path / "output/archive"


def _archive_kept_for(tmp_path: Path, years: int) -> Path:
    """The same archive, filed with every case of the nomenclature kept `years` years (approved)."""
    short = {key: replace(rule, retention_years=years, retention_text=str(years), approved=True)
             for key, rule in NOMENCLATURE.items()}
    ds = replace(dataset(), nomenclature=short)
    archive = tmp_path / "output/archive"
    archive_documents(ds, rendered(tmp_path / "build", ds), archive, today=D(2026, 3, 1))
    return archive


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


def test_verify_counts_the_acts_files_among_the_files_it_checked(archive):
    before = verify_archive(archive).files
    prepare_act(archive, D(2031, 1, 15))
    listed = read_acts_manifest(archive)
    assert listed  # the act's .json and .docx, each with its SHA-256
    after = verify_archive(archive)
    assert after.clean and after.files == before + len(listed)


def test_dispose_removes_exactly_the_listed_files_and_leaves_tombstones(archive):
    prepare_act(archive, D(2031, 1, 15))
    bag = archive / "2024/ПК-2024-01"
    others = {p.name: p.read_bytes() for p in (bag / "data").iterdir() if "Журнал" not in p.name}
    report = dispose(archive, 1, confirm=True, today=D(2031, 2, 1), expert=approving(archive, 1))
    assert report.removed == [JOURNAL]
    assert {p.name: p.read_bytes() for p in (bag / "data").iterdir()} == others
    assert bagit.Bag(str(bag)).validate() and verify_archive(archive).clean
    [journal] = [r for r in read_documents(bag) if r.carrier == "journal"]
    assert (journal.status, journal.disposal_act, journal.file) == (
        "уничтожен", "№ 1 от 15.01.2031", "data/Журнал учета занятий ПК-2024-01.docx")
    assert "Журнал учета занятий" not in (bag / "manifest-sha256.txt").read_text(encoding="utf-8")
    ws = openpyxl.load_workbook(archive / "index-2024.xlsx")["Опись"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[header.index("Путь")] == JOURNAL)
    assert row[header.index("Статус")] == "уничтожен"
    with open(archive / "disposal_register.csv", encoding="utf-8-sig") as fh:
        register = list(csv.DictReader(fh))
    assert [(r["act"], r["path"], r["executed_on"]) for r in register] == [("1", JOURNAL, "2031-02-01")]
    assert (archive / "disposal_register.xlsx").is_file()
    # carrying out the same act again changes nothing
    before = tree_hash(archive)
    again = dispose(archive, 1, confirm=True, today=D(2031, 3, 1), expert=approving(archive, 1))
    assert again.removed == [] and again.already == [JOURNAL] and tree_hash(archive) == before
    # and the next build does not file the destroyed journal again
    ds = dataset()
    result = archive_documents(ds, rendered(archive.parent / "build2", ds), archive, today=D(2031, 3, 1))
    assert [d.doc_id for d in result.destroyed] == ["ПК-2024-01/journal"] and result.new_versions == []
    assert tree_hash(archive) == before


def test_a_destroyed_document_does_not_stop_the_other_changes_of_its_folder(archive):
    """The journal (first of its folder by id) is destroyed by act 1; a later run that changes the protocol and a
    certificate files both as version 2 and lists the journal as not filed again: a tombstone never makes a
    run pass over the rest of the folder."""
    prepare_act(archive, D(2031, 1, 15))
    dispose(archive, 1, confirm=True, today=D(2031, 2, 1), expert=approving(archive, 1))
    ds = dataset()
    changed = {"ПК-2024-01/protocol": b"PK protocol corrected", "ПК-2024-01/study_certificate/L2": b"PK L2 corrected"}
    result = archive_documents(ds, rendered(archive.parent / "build2", ds, changed), archive, today=D(2031, 3, 1))
    assert [d.doc_id for d in result.destroyed] == ["ПК-2024-01/journal"]
    assert sorted((d.doc_id, d.version) for d in result.new_versions) == sorted((k, 2) for k in changed)
    assert verify_archive(archive).clean


def test_a_new_document_never_takes_the_file_name_of_a_destroyed_one(archive):
    """The journal's file is gone after act 1, but its tombstone keeps the name, and the act and the disposal
    register name that path: a new document of the folder with the same file name is filed under another
    name, so one path of the bag always means one document."""
    prepare_act(archive, D(2031, 1, 15))
    dispose(archive, 1, confirm=True, today=D(2031, 2, 1), expert=approving(archive, 1))
    ds = dataset()
    docs = rendered(archive.parent / "build2", ds)
    [journal] = [d for d in docs if d.spec.doc_id == "ПК-2024-01/journal"]
    again = replace(journal, spec=replace(journal.spec, doc_id="ПК-2024-01/journal/2"))
    report = archive_documents(ds, [*docs, again], archive, today=D(2031, 3, 1))
    [new] = report.new
    files = [r.file for r in read_documents(archive / "2024/ПК-2024-01")]
    assert new.path != "2024/ПК-2024-01/data/Журнал учета занятий ПК-2024-01.docx"
    assert len(files) == len(set(files)) == 6
    assert verify_archive(archive).clean


def test_scans_are_filed_or_told_each_on_its_own_whatever_comes_before_them(archive):
    """Scans are taken in name order, each on its own: one named after no document of the group, one of a document
    an act destroyed (nothing to file it next to) and one already filed unchanged never keep a later scan out;
    the first two are told, each with why."""
    prepare_act(archive, D(2031, 1, 15))
    dispose(archive, 1, confirm=True, today=D(2031, 2, 1), expert=approving(archive, 1))
    scans = archive.parent.parent / "input/scans"
    folder = scans / "ПК-2024-01"
    folder.mkdir(parents=True)
    (folder / "Акт приемки.pdf").write_bytes(b"%PDF no such document")
    (folder / "Журнал учета занятий ПК-2024-01.pdf").write_bytes(b"%PDF journal, destroyed")
    (folder / "Протокол заседания аттестационной комиссии ПК-2024-01.pdf").write_bytes(b"%PDF protocol")
    ds = dataset()

    def file_scans():
        return archive_documents(ds, rendered(archive.parent / "build2", ds), archive, today=D(2031, 3, 1),
                                 scans_dir=scans)

    report = file_scans()
    protocol = "Протокол заседания аттестационной комиссии ПК-2024-01"
    title = f"Скан подписанного экземпляра: {protocol} (версия 1)"
    assert [(d.doc_id, d.title, d.path, d.version) for d in report.scans] == [
        (f"ПК-2024-01/protocol/скан/{protocol}.pdf", title, f"2024/ПК-2024-01/data/{protocol}.pdf", 1)]
    assert (f"Подшит скан: {title} → 2024/ПК-2024-01/data/{protocol}.pdf", False) in report.lines()
    assert report.scans_not_filed == [
        "scans/ПК-2024-01/Акт приемки.pdf — нет документа группы, с имени которого начинается имя скана. Назовите "
        "скан так же, как документ в output/build/ (можно добавить в конце, например, « стр. 2»)",
        "scans/ПК-2024-01/Журнал учета занятий ПК-2024-01.pdf — документ «Журнал учета занятий ПК-2024-01» не "
        "хранится в архиве"]
    (folder / "Справка об обучении L1.pdf").write_bytes(b"%PDF certificate")
    assert [d.path for d in file_scans().scans] == ["2024/ПК-2024-01/data/Справка об обучении L1.pdf"]
    assert verify_archive(archive).clean


def test_a_second_act_never_lists_documents_an_executed_act_destroyed(archive):
    """A destroyed document is gone: only its tombstone stays, and no later act may list it again."""
    prepare_act(archive, D(2031, 1, 15))
    dispose(archive, 1, confirm=True, today=D(2031, 2, 1), expert=approving(archive, 1))
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
    report = dispose(archive, 2, confirm=True, today=D(2080, 2, 1), expert=approving(archive, 2))
    assert report.removed == ["2024/ПК-2024-01/data/Протокол заседания аттестационной комиссии ПК-2024-01.docx"]
    assert report.already == []
    with open(archive / "disposal_register.csv", encoding="utf-8-sig") as fh:
        register = [(r["act"], r["path"]) for r in csv.DictReader(fh)]
    assert register == [("1", JOURNAL), ("2", report.removed[0])]


PROTOCOL = "2024/ПК-2024-01/data/Протокол заседания аттестационной комиссии ПК-2024-01.docx"
ORGANIZATION = "Частное образовательное учреждение дополнительного профессионального образования «Пример»"


def test_act_file_reads_back_as_the_act_that_was_drawn(archive):
    """act-N.json is what `dispose` later carries out: it must give back the very act the commission signed."""
    act, path = prepare_act(archive, D(2080, 1, 1))
    assert act.organization == ORGANIZATION
    assert ORGANIZATION in "\n".join(p.text for t in docx.Document(str(path)).tables
                                     for row in t.rows for c in row.cells for p in c.paragraphs)
    # the undecided case lists its group once although it holds two documents of it
    assert [(c.case_index, c.groups, len(c.documents)) for c in act.needs_decision] == [
        ("03-09", ["ПК-2024-01"], 2)]
    assert read_act(archive, 1) == act
    text = (archive / "acts/act-1.json").read_text(encoding="utf-8")
    assert "Протокол заседания аттестационной комиссии ПК-2024-01.docx" in text  # names readable as written


def test_acts_are_numbered_after_the_highest_act_on_file(archive):
    prepare_act(archive, D(2031, 1, 15))
    acts = archive / "acts"
    (acts / "act-9.json").write_bytes((acts / "act-1.json").read_bytes())
    (acts / "act-черновик.json").write_text("{}", encoding="utf-8")  # not an act: ignored
    act, path = prepare_act(archive, D(2031, 1, 15))
    assert act.number == 10 and path == acts / "act-10.docx"


def test_year_folder_cases_name_no_group(tmp_path):
    archive = _archive_kept_for(tmp_path, years=1)
    act, _ = prepare_act(archive, D(2026, 1, 1))
    by_index = {c.case_index: c for c in act.cases}
    assert by_index["03-10"].groups == [] and by_index["03-10"].documents[0]["bag"] == "2024/_год"
    assert by_index["03-05"].groups == ["ПК-2024-01"]



def test_each_case_of_an_act_carries_its_retention_with_the_article_of_the_list(tmp_path):
    """The act's column «Срок хранения и номера статей по перечню» (the form of the act on destruction): each case's
    term as the номенклатура gives it, «ЭПК» where the commission marked it, and the article of the Перечень."""
    archive = _archive_kept_for(tmp_path, years=1)
    act, _ = prepare_act(archive, D(2026, 1, 1))
    assert [(c.case_index, c.retention) for c in act.cases] == [
        ("03-01", "1 год, ст. 19 «а»"), ("03-05", "1 год"), ("03-07", "1 год ЭПК"), ("03-09", "1 год"),
        ("03-10", "1 год")]
    assert [c.retention for c in read_act(archive, 1).cases] == [c.retention for c in act.cases]


def test_two_acts_drawn_before_either_is_carried_out(archive):
    """Act 2 also lists the journal act 1 covers; carried out after act 1 it removes only what is still kept."""
    prepare_act(archive, D(2031, 1, 15))
    prepare_act(archive, D(2080, 1, 1))
    first = dispose(archive, 1, confirm=True, today=D(2031, 2, 1), expert=approving(archive, 1))
    assert first.confirmed and first.removed == [JOURNAL]
    preview = dispose(archive, 2, confirm=False, today=D(2080, 2, 1), expert=approving(archive, 2))
    assert not preview.confirmed and (preview.removed, preview.already) == ([PROTOCOL], [JOURNAL])
    assert (archive / PROTOCOL).is_file()
    second = dispose(archive, 2, confirm=True, today=D(2080, 2, 1), expert=approving(archive, 2))
    assert (second.removed, second.already) == ([PROTOCOL], [JOURNAL])
    assert not (archive / PROTOCOL).exists() and verify_archive(archive).clean
    records = {r.carrier: r for r in read_documents(archive / "2024/ПК-2024-01")}
    # the journal's tombstone still names the act that destroyed it
    assert records["journal"].disposal_act == "№ 1 от 15.01.2031"
    assert records["protocol"].disposal_act == "№ 2 от 01.01.2080"
    with open(archive / "disposal_register.csv", encoding="utf-8-sig") as fh:
        register = [(r["act"], r["path"], r["executed_on"]) for r in csv.DictReader(fh)]
    # each file is in the register once, under the act that destroyed it
    assert register == [("1", JOURNAL, "2031-02-01"), ("2", PROTOCOL, "2080-02-01")]


def test_a_folder_that_keeps_documents_keeps_its_description_and_learners(archive):
    bag = archive / "2024/ПК-2024-01"
    info_before = (bag / "bag-info.txt").read_text(encoding="utf-8")
    learners_before = (bag / "learners.csv").read_bytes()
    prepare_act(archive, D(2031, 1, 15))
    dispose(archive, 1, confirm=True, today=D(2031, 2, 1), expert=approving(archive, 1))
    info = (bag / "bag-info.txt").read_text(encoding="utf-8")
    kept = [line for line in info_before.splitlines() if not line.startswith("Payload-Oxum")]
    assert [line for line in info.splitlines() if not line.startswith("Payload-Oxum")] == kept
    assert (bag / "learners.csv").read_bytes() == learners_before  # the certificates are still there


def test_an_act_carried_out_again_after_an_interrupted_run_still_records_its_files(archive):
    """Files removed by a run that stopped before writing the register get their rows on the next run."""
    prepare_act(archive, D(2031, 1, 15))
    dispose(archive, 1, confirm=True, today=D(2031, 2, 1), expert=approving(archive, 1))
    for kind in ("csv", "xlsx"):  # as if the run had stopped before the register was written
        (archive / f"disposal_register.{kind}").unlink()
    again = dispose(archive, 1, confirm=True, today=D(2031, 2, 2), expert=approving(archive, 1))
    assert (again.removed, again.already) == ([], [JOURNAL])
    with open(archive / "disposal_register.csv", encoding="utf-8-sig") as fh:
        assert [(r["act"], r["path"]) for r in csv.DictReader(fh)] == [("1", JOURNAL)]


def test_disposal_register_workbook_matches_the_csv(archive):
    prepare_act(archive, D(2080, 1, 1))
    dispose(archive, 1, confirm=True, today=D(2080, 2, 1), expert=approving(archive, 1))
    with open(archive / "disposal_register.csv", encoding="utf-8-sig", newline="") as fh:
        raw = fh.read()
    assert raw.count("\r\n") == 3  # header and two rows, Windows line ends for Excel
    with open(archive / "disposal_register.csv", encoding="utf-8-sig", newline="") as fh:
        csv_rows = list(csv.reader(fh))
    assert [(r[0], r[3], r[4], r[6], r[8]) for r in csv_rows[1:]] == [
        ("1", "03-05", "2024", JOURNAL, "1"), ("1", "03-07", "2024", PROTOCOL, "1")]
    ws = openpyxl.load_workbook(archive / "disposal_register.xlsx")["Реестр уничтожения"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == ["Акт №", "Дата акта", "Уничтожено", "Индекс дела", "Год", "Заголовок дела", "Файл",
                       "Ид. документа", "Версия", "Документ", "SHA-256"]
    assert all(c.font.b for c in ws[1])
    assert rows[1:] == csv_rows[1:]
    assert all(c.data_type == "s" for row in ws.iter_rows(min_row=2) for c in row)
    assert (ws.freeze_panes, ws.auto_filter.ref) == ("A2", "A1:K3")
    # a long case title, path or hash wraps inside its column (the register is read on screen and printed)
    assert all(c.alignment.wrap_text for row in ws.iter_rows(min_row=2) for c in row)


def test_dispose_refuses_a_file_changed_since_the_act(archive):
    prepare_act(archive, D(2031, 1, 15))
    (archive / JOURNAL).write_bytes(b"edited")
    before = tree_hash(archive)
    with pytest.raises(UchetError, match="отличается от указанного в акте") as caught:
        dispose(archive, 1, confirm=True, today=D(2031, 2, 1), expert=approving(archive, 1))
    assert str(caught.value).endswith("Ничего не удалено: выполните «uchet verify» и составьте новый акт.")
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
    archive = _archive_kept_for(tmp_path, years=5)
    bag = archive / "2024/ПК-2024-01"
    assert "112-233-445 95" in (bag / "learners.csv").read_text(encoding="utf-8-sig")
    prepare_act(archive, D(2080, 1, 1))
    dispose(archive, 1, confirm=True, today=D(2080, 2, 1), expert=approving(archive, 1))
    assert not any(r.kept for r in read_documents(bag))
    assert "112-233-445 95" not in (bag / "learners.csv").read_text(encoding="utf-8-sig")
    for index in archive.glob("index-*.xlsx"):
        people = openpyxl.load_workbook(index)["Слушатели"]
        assert not any("112-233-445 95" in str(v) for row in people.iter_rows(values_only=True) for v in row)
    assert bagit.Bag(str(bag)).validate() and verify_archive(archive).clean
