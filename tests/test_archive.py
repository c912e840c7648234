"""Filing into BagIt bags: layout, idempotency, versions, the signed guard, hostile names, index, find, labels."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import os
import shutil
from pathlib import Path

import bagit
import docx
import openpyxl
import pytest
from archive_fixture import GROUP_FILE, dataset, group, rendered, replace
from docx.shared import Pt

from pipeline.archive.bag import recover
from pipeline.archive.filing import ArchiveReport, FiledDocument, archive_documents
from pipeline.archive.index import find, index_paths
from pipeline.archive.labels import label_paths
from pipeline.archive.names import YEAR_FOLDER, folder_names, payload_name
from pipeline.archive.records import read_documents, read_learners
from pipeline.archive.verify import verify_archive

TODAY = dt.date(2026, 3, 1)
D = dt.date


def tree_hash(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        h.update(p.relative_to(root).as_posix().encode())
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()


def run(tmp_path: Path, ds=None, overrides=None, today=TODAY):
    ds = ds or dataset()
    docs = rendered(tmp_path / "build", ds, overrides)
    return archive_documents(ds, docs, tmp_path / "archive", today=today)


def bag_of(tmp_path: Path, year=2024, folder="ПК-2024-01") -> Path:
    return tmp_path / "archive" / str(year) / folder


def test_completed_group_is_filed_as_valid_bag_with_document_list(tmp_path):
    report = run(tmp_path)
    bag = bag_of(tmp_path)
    assert bagit.Bag(str(bag)).validate()
    assert sorted(p.name for p in (bag / "data").iterdir()) == [
        "Журнал учета занятий ПК-2024-01.docx",
        "Приказ об окончании обучения и отчислении ПК-2024-01.docx",
        "Протокол заседания аттестационной комиссии ПК-2024-01.docx",
        "Справка об обучении L1.docx",
        "Справка об обучении L2.docx",
    ]
    # the group still in training waits; its folder does not exist
    assert not (tmp_path / "archive/2025/ПК-2025-02").exists()
    assert len(report.new) == 7 and any("ПК-2025-02 не завершена" in w for w in report.waiting)
    tagmanifest = (bag / "tagmanifest-sha256.txt").read_text(encoding="utf-8")
    for name in ("bagit.txt", "bag-info.txt", "manifest-sha256.txt", "documents.csv", "learners.csv"):
        assert f"  {name}\n" in tagmanifest
    info = (bag / "bag-info.txt").read_text(encoding="utf-8")
    assert "Group-Number: ПК-2024-01\n" in info and "Bagging-Date: 2024-06-30\n" in info
    assert "Start-Date: 2024-03-01\n" in info and "Payload-Oxum: " in info
    records = {r.carrier: r for r in read_documents(bag)}
    journal = records["journal"]
    assert (journal.case_index, journal.retention, journal.destroy_not_before, journal.version) == (
        "03-05", "5", "2030-01-01", 1)
    assert journal.sha256 == hashlib.sha256((bag / journal.file).read_bytes()).hexdigest()
    assert journal.source_map == {"organization.xlsx": "o" * 64, GROUP_FILE: "a" * 64}
    order = records["order_graduation"]
    assert (order.retention, order.destroy_not_before, order.article) == ("до ликвидации организации", "", "19 «а»")
    certs = sorted((r.learner_id, r.learner_name, r.approved) for r in read_documents(bag) if r.carrier == "study_certificate")
    assert certs == [("L1", "Иванов Иван Иванович", "нет"), ("L2", "Пётр Йорн", "нет")]


def test_year_documents_go_to_year_folder_only_after_the_year(tmp_path):
    report = run(tmp_path, today=D(2025, 12, 31))
    assert (tmp_path / "archive/2024" / YEAR_FOLDER / "data/Журнал выдачи документов 2024.docx").is_file()
    assert not (tmp_path / "archive/2025" / YEAR_FOLDER).exists()
    assert any("2025 год еще не закончился" in w for w in report.waiting)
    assert bagit.Bag(str(tmp_path / "archive/2024" / YEAR_FOLDER)).validate()


def test_rerun_with_unchanged_input_changes_no_byte(tmp_path):
    run(tmp_path)
    before = tree_hash(tmp_path / "archive")
    report = run(tmp_path)
    assert tree_hash(tmp_path / "archive") == before
    assert report.new == [] and report.new_versions == [] and len(report.unchanged) == 7


def test_same_inputs_with_different_docx_bytes_is_not_a_new_version(tmp_path):
    ds = dataset()
    docs = rendered(tmp_path / "build", ds)
    archive_documents(ds, docs, tmp_path / "archive", today=TODAY)
    before = tree_hash(tmp_path / "archive")
    # a renderer that stamps the clock gives other bytes for the same inputs
    again = [replace(d, sha256="f" * 64) for d in docs]
    report = archive_documents(ds, again, tmp_path / "archive", today=TODAY)
    assert tree_hash(tmp_path / "archive") == before and report.new_versions == []


def test_changed_document_is_filed_as_version_2_and_version_1_kept(tmp_path):
    run(tmp_path)
    bag = bag_of(tmp_path)
    v1 = (bag / "data/Журнал учета занятий ПК-2024-01.docx").read_bytes()
    report = run(tmp_path, overrides={"ПК-2024-01/journal": b"PK journal with one grade changed"})
    assert [(d.doc_id, d.version, d.path) for d in report.new_versions] == [
        ("ПК-2024-01/journal", 2, "2024/ПК-2024-01/data/Журнал учета занятий ПК-2024-01 (версия 2).docx")]
    assert len(report.unchanged) == 6
    assert (bag / "data/Журнал учета занятий ПК-2024-01.docx").read_bytes() == v1
    assert (bag / "data/Журнал учета занятий ПК-2024-01 (версия 2).docx").read_bytes() == (
        b"PK journal with one grade changed")
    manifest = (bag / "manifest-sha256.txt").read_text(encoding="utf-8")
    assert "data/Журнал учета занятий ПК-2024-01.docx" in manifest
    assert "data/Журнал учета занятий ПК-2024-01 (версия 2).docx" in manifest
    versions = sorted((r.version, r.status) for r in read_documents(bag) if r.carrier == "journal")
    assert versions == [(1, "хранится"), (2, "хранится")]
    assert bagit.Bag(str(bag)).validate()
    assert any(loud and "НОВАЯ ВЕРСИЯ 2" in line for line, loud in report.lines())
    # and the next unchanged run keeps it that way
    before = tree_hash(tmp_path / "archive")
    run(tmp_path, overrides={"ПК-2024-01/journal": b"PK journal with one grade changed"})
    assert tree_hash(tmp_path / "archive") == before


def _signed(correction=None, hashes=None):
    g = group("ПК-2024-01", D(2024, 3, 1), D(2024, 6, 30), signed=True, correction=correction)
    return dataset(g, hashes=hashes)


def test_signed_group_change_without_correction_stops_and_writes_nothing(tmp_path):
    run(tmp_path, ds=_signed())
    before = tree_hash(tmp_path / "archive")
    changed_hashes = {"organization.xlsx": "o" * 64, GROUP_FILE: "b" * 64}
    report = run(tmp_path, ds=_signed(hashes=changed_hashes), overrides={"ПК-2024-01/protocol": b"PK other protocol"})
    assert not report.ok and report.new_versions == []
    [problem] = report.problems
    assert (problem.code, problem.file, problem.sheet, problem.column) == (
        "archive_signed_changed", GROUP_FILE, "Группа", "Документы подписаны")
    assert problem.params["changed"] == GROUP_FILE
    assert "Протокол" in problem.params["document"]
    assert tree_hash(tmp_path / "archive") == before


def test_signed_guard_stops_the_whole_run_not_just_the_signed_documents(tmp_path):
    """docs/archive.md «Версии»: a signed document changed without «Основание исправления» — nothing at all is filed.

    The run also carries two changed documents of the signed group, a changed document of an unsigned
    group and a group completed since the last run: none of them may reach the archive either.
    """
    signed = group("ПК-2024-01", D(2024, 3, 1), D(2024, 6, 30), signed=True)
    other = group("ПК-2024-03", D(2024, 4, 1), D(2024, 7, 31))
    later = group("ПК-2024-05", D(2024, 9, 1), D(2024, 11, 30), completed=False)
    run(tmp_path, ds=dataset(signed, other, later))
    assert not (tmp_path / "archive/2024/ПК-2024-05").exists()
    before = tree_hash(tmp_path / "archive")
    finished = group("ПК-2024-05", D(2024, 9, 1), D(2024, 11, 30))
    report = run(tmp_path, ds=dataset(signed, other, finished), overrides={
        "ПК-2024-01/protocol": b"PK protocol with a mark changed",
        "ПК-2024-01/journal": b"PK journal with a mark changed",
        "ПК-2024-03/journal": b"PK journal of the unsigned group changed",
    })
    assert not report.ok
    assert sorted(p.params["document"] for p in report.problems) == [
        "Журнал учета занятий ПК-2024-01", "Протокол заседания аттестационной комиссии ПК-2024-01"]
    assert {p.code for p in report.problems} == {"archive_signed_changed"}
    assert report.new == [] and report.new_versions == []
    assert tree_hash(tmp_path / "archive") == before
    assert not (tmp_path / "archive/2024/ПК-2024-05").exists()
    # once the signed group's workbook is put back, the same run files the other changes
    report = run(tmp_path, ds=dataset(signed, other, finished), overrides={
        "ПК-2024-03/journal": b"PK journal of the unsigned group changed"})
    assert report.ok and [d.doc_id for d in report.new_versions] == ["ПК-2024-03/journal"]
    assert (tmp_path / "archive/2024/ПК-2024-05").is_dir()


def test_signed_guard_names_a_workbook_the_document_now_also_reads(tmp_path):
    run(tmp_path, ds=_signed())
    hashes = {"organization.xlsx": "o" * 64, GROUP_FILE: "a" * 64, "learners.xlsx": "l" * 64}
    ds = _signed(hashes=hashes)
    docs = rendered(tmp_path / "build", ds, {"ПК-2024-01/protocol": b"PK other protocol"})
    docs = [replace(d, spec=replace(d.spec, sources=(*d.spec.sources, "learners.xlsx")))
            if d.spec.doc_id == "ПК-2024-01/protocol" else d for d in docs]
    report = archive_documents(ds, docs, tmp_path / "archive", today=TODAY)
    [problem] = report.problems
    # organization.xlsx and the group workbook are as filed; the document reads learners.xlsx now too
    assert problem.params["changed"] == "learners.xlsx"


def test_signed_group_with_correction_gets_version_2_with_reason(tmp_path):
    run(tmp_path, ds=_signed())
    reason = "приказ № 15-о от 03.03.2025 о внесении изменений"
    report = run(tmp_path, ds=_signed(correction=reason), overrides={"ПК-2024-01/protocol": b"PK other protocol"})
    assert report.ok and [(d.version, d.reason) for d in report.new_versions] == [(2, reason)]
    rows = {(r.carrier, r.version): r for r in read_documents(bag_of(tmp_path))}
    assert rows[("protocol", 2)].correction == reason and rows[("protocol", 2)].signed == "да"
    assert rows[("protocol", 1)].correction == ""
    assert bagit.Bag(str(bag_of(tmp_path))).validate()


HOSTILE = ["../../x", "/etc", "CON", "a/b", "x.", "nul\x00z", "Я" * 500, "a_b", "con", "..", " ", "ПК-1", "пк-1",
           ".hidden"]


def test_folder_names_are_safe_unique_and_stable():
    names = folder_names(HOSTILE)
    assert len(set(n.casefold() for n in names.values())) == len(HOSTILE)
    for name in names.values():
        assert "/" not in name and "\\" not in name and "\x00" not in name and name not in (".", "..")
        assert not name.endswith((".", " ")) and not name.startswith(".") and len(name) <= 80
        assert name.split(".")[0].split("~")[0].upper() not in ("CON", "NUL")
    assert names["ПК-1"] == "ПК-1" and names["a_b"] == "a_b"
    assert names["a/b"].startswith("a_b~")
    # the same number gets the same folder whatever else is in the run
    assert folder_names(["a/b"])["a/b"] == names["a/b"]
    assert folder_names(["../../x", "x"]) == {"../../x": folder_names(["../../x"])["../../x"], "x": "x"}


def test_payload_names_keep_extension_under_length_limit():
    assert payload_name("Приказ.docx", 1) == "Приказ.docx"
    assert payload_name("Приказ.docx", 3) == "Приказ (версия 3).docx"
    long = payload_name("Ж" * 300 + ".docx", 2)
    assert long.endswith(" (версия 2).docx") and len(long) <= 80


def test_hostile_group_numbers_stay_inside_the_archive(tmp_path):
    groups = [group(n, D(2024, 1, 10), D(2024, 2, 20)) for n in HOSTILE]
    report = run(tmp_path, ds=dataset(*groups))
    assert report.ok and len(report.new) == len(HOSTILE) * 5 + 1
    root = (tmp_path / "archive").resolve()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archive", "build"]
    folders = [p for p in (root / "2024").iterdir()]
    assert len(folders) == len(HOSTILE) + 1
    for folder in folders:
        assert folder.resolve().parent == root / "2024"
        assert bagit.Bag(str(folder)).validate()
    assert verify_archive(root).clean


def test_bag_info_describes_the_group_and_the_year_folder(tmp_path):
    """bag-info.txt (RFC 8493 §2.2.2) says whose documents a folder holds, from the data, never the clock."""
    run(tmp_path)
    group_info = (bag_of(tmp_path) / "bag-info.txt").read_text(encoding="utf-8")
    for line in ("Source-Organization: Частное образовательное учреждение дополнительного профессионального "
                 "образования «Пример»", "Organization-Address: г. Москва, ул. Примерная, д. 1",
                 "External-Identifier: 2024/ПК-2024-01",
                 "External-Description: Документы группы ПК-2024-01: Повышение квалификации "
                 "«Охрана труда»",
                 "Program: P1 Охрана труда", "Archive-Year: 2024", "Start-Date: 2024-03-01", "End-Date: 2024-06-30",
                 "Bag-Software-Agent: uchet"):
        assert line + "\n" in group_info, line
    year_info = (tmp_path / "archive/2024" / YEAR_FOLDER / "bag-info.txt").read_text(encoding="utf-8")
    for line in ("Source-Organization: Частное образовательное учреждение дополнительного профессионального "
                 "образования «Пример»", "Organization-Address: г. Москва, ул. Примерная, д. 1",
                 "External-Identifier: 2024/_год", "External-Description: Документы за 2024 год (книги и журналы за год)",
                 "Start-Date: 2024-12-31", "End-Date: 2024-12-31", "Bagging-Date: 2024-12-31"):
        assert line + "\n" in year_info, line
    assert "Group-Number" not in year_info
    # the year folder's list of learners: everyone of the groups completed that year
    people = (tmp_path / "archive/2024" / YEAR_FOLDER / "learners.csv").read_text(encoding="utf-8-sig")
    assert "Иванов Иван Иванович" in people and "Пётр Йорн" in people


def test_summary_lines_are_loud_for_new_versions_and_list_destroyed_documents(tmp_path):
    report = run(tmp_path)
    assert report.lines() == [(
        "Архив: новых документов 7, без изменений 0, новых версий 0, ждут закрытия группы или года 5.", False)]
    report = run(tmp_path, overrides={"ПК-2024-01/journal": b"PK journal changed"})
    assert report.lines() == [
        ("Архив: новых документов 0, без изменений 6, новых версий 1, ждут закрытия группы или года 5.", False),
        ("НОВАЯ ВЕРСИЯ 2: Журнал учета занятий ПК-2024-01 → 2024/ПК-2024-01/data/Журнал учета занятий "
         "ПК-2024-01 (версия 2).docx. Прежние версии сохранены.", True),
    ]


def test_a_missing_index_or_labels_file_is_written_again_by_an_unchanged_run(tmp_path):
    run(tmp_path)
    index, labels = tmp_path / "archive/index-2024.xlsx", tmp_path / "archive/labels-2024.docx"
    first = index.read_bytes()
    index.unlink()
    report = run(tmp_path)
    assert report.new == [] and index.read_bytes() == first
    labels.unlink()
    run(tmp_path)
    assert labels.is_file()


def test_index_lists_every_document_as_text_with_filter_and_frozen_header(tmp_path):
    ds = dataset()
    docs = rendered(tmp_path / "build", ds)
    docs[0] = replace(docs[0], spec=replace(docs[0].spec, title="=HYPERLINK(\"http://x\")"))
    archive_documents(ds, docs, tmp_path / "archive", today=TODAY)
    # One index per year of the archive: the documents of 2024 (a group and its year book) and the year book of 2025.
    books = {year: openpyxl.load_workbook(tmp_path / f"archive/index-{year}.xlsx") for year in (2024, 2025)}
    rows, learners = 0, 0
    titles = []
    for year, wb in books.items():
        ws = wb["Опись"]
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:W{ws.max_row}"
        header = [c.value for c in ws[1]]
        assert header[:5] == ["Год", "Группа", "Путь", "Версия", "Статус"] and ws["A1"].font.b
        assert {ws.cell(r, 1).value for r in range(2, ws.max_row + 1)} == {str(year)}
        rows += ws.max_row - 1
        titles += [ws.cell(r, header.index("Документ") + 1) for r in range(2, ws.max_row + 1)]
        learners += wb["Слушатели"].max_row - 1
    assert rows == 7
    formula = next(c for c in titles if str(c.value).startswith("="))
    assert formula.data_type == "s" and formula.number_format == "@"
    assert learners == 4  # two learners in the group bag and in the year bag


def test_find_by_year_group_and_learner(tmp_path):
    run(tmp_path)
    root = tmp_path / "archive"
    assert len(find(root, year=2024)) == 6
    assert len(find(root, group="ПК-2024-01")) == 5
    by_snils = find(root, learner="11223344595")
    paths = {r["path"] for r in by_snils}
    assert "2024/ПК-2024-01/data/Справка об обучении L1.docx" in paths
    assert "2024/ПК-2024-01/data/Справка об обучении L2.docx" not in paths
    assert "2024/_год/data/Журнал выдачи документов 2024.docx" in paths and len(paths) == 5
    assert {r["path"] for r in find(root, learner="петр")} == {
        p.replace("L1", "L2") for p in paths}  # «ё» and case do not matter
    assert find(root, learner="Сидоров") == []


def test_labels_name_case_group_dates_retention_and_count(tmp_path):
    run(tmp_path)
    d = docx.Document(str(tmp_path / "archive/labels-2024.docx"))
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    journal = next(t for t in cells if "Дело № 03-05" in t and "ПАПКА" in t)
    assert "Журналы учета занятий групп за 2024 г., группа ПК\u20112024\u201101" in journal
    # крайние даты are the dates of the documents in the case (here one, dated 30.06.2024), not the training period
    assert "Крайние даты: 30.06.2024\n" in journal and "Срок хранения: 5 лет" in journal
    assert "Документов: 1" in journal and "ЧОУ ДПО" not in journal and "«Пример»" in journal
    certs = next(t for t in cells if "Дело № 03-09" in t and "ПАПКА" in t)
    assert "Документов: 2" in certs
    assert any("КОРОБКА" in t and "03-07" in t and "50 лет ЭПК" in t for t in cells)
    assert len(d.tables[0].columns) == 2


@pytest.mark.parametrize("state", ["tmp", "new_and_live", "new_only", "old_and_live", "old_only", "new_and_old"])
def test_interrupted_swap_is_recovered_to_a_valid_archive(tmp_path, state):
    run(tmp_path)
    bag = bag_of(tmp_path)
    before = tree_hash(tmp_path / "archive")
    year = bag.parent
    import shutil

    copy = year / ".copy"
    shutil.copytree(bag, copy)
    if state == "tmp":
        copy.rename(year / f".{bag.name}.tmp")
    elif state == "new_and_live":
        copy.rename(year / f".{bag.name}.new")
    elif state == "new_only":
        copy.rename(year / f".{bag.name}.new")
        shutil.rmtree(bag)
    elif state == "old_and_live":
        copy.rename(year / f".{bag.name}.old")
    elif state == "old_only":
        shutil.rmtree(bag)
        copy.rename(year / f".{bag.name}.old")
    else:
        os.rename(bag, year / f".{bag.name}.old")
        copy.rename(year / f".{bag.name}.new")
    (tmp_path / "archive/.tmp-abc.xlsx").write_bytes(b"half")
    assert recover(tmp_path / "archive")
    assert tree_hash(tmp_path / "archive") == before
    assert verify_archive(tmp_path / "archive").clean


def test_find_cli_prints_paths_and_no_snils(tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import main

    run(tmp_path)
    out = tmp_path / "archive"
    result = CliRunner().invoke(main, ["find", "--learner", "112-233-445 95", "--output", str(tmp_path),
                                       "--year", "2024"])
    # the archive of --output DIR is DIR/archive
    assert result.exit_code == 0, result.output
    assert f"{out.as_posix()}/2024/ПК-2024-01/data/Справка об обучении L1.docx" in result.output
    assert "Найдено документов: 5." in result.output and "445" not in result.output
    none = CliRunner().invoke(main, ["find", "--group", "нет-такой", "--output", str(tmp_path)])
    assert none.exit_code == 0 and "Ничего не найдено." in none.output


def test_summary_lines_of_every_kind_and_which_are_loud():
    """Loud: what staff must look at (a run recovered, a new version, a scan not filed, a foreign file);
    quiet: routine notes (a destroyed document not filed again, a version marked signed, a scan filed)."""
    doc = FiledDocument("G/journal", "Журнал учета занятий G", "2024/G/data/Журнал.docx", 2, "Приказ № 7")
    first = FiledDocument("G/protocol", "Протокол G", "2024/G/data/Протокол.docx", 1)
    report = ArchiveReport(recovered=["2024/G"], new_versions=[doc, replace(doc, reason="")], destroyed=[first],
                           marked_signed=[first], scans=[first, doc], scans_not_filed=["G/скан.pdf: нет документа"],
                           foreign=["2024/G/data/x.txt"])
    lines = report.lines()
    assert [loud for _line, loud in lines] == [True, False, True, True, False, False, False, False, True, True]
    text = [line for line, _loud in lines]
    assert text[0] == "Архив: восстановлено после прерванного запуска — 2024/G"
    assert text[2].startswith("НОВАЯ ВЕРСИЯ 2: Журнал учета занятий G → 2024/G/data/Журнал.docx.")
    assert text[2].endswith(" Основание: Приказ № 7. Прежние версии сохранены.")
    assert "Основание" not in text[3]
    assert text[4] == "Не подшит повторно (уничтожен по акту): Протокол G"
    assert text[5].startswith("Отмечен в архиве как подписанный: Протокол G (версия 1)")
    assert text[5].endswith("и снятая галочка «Документы подписаны».")
    # a scan's version is named only from the second on
    assert text[6] == "Подшит скан: Протокол G → 2024/G/data/Протокол.docx"
    assert text[7] == "Подшит скан (версия 2): Журнал учета занятий G → 2024/G/data/Журнал.docx"
    assert text[8] == "Скан не подшит: G/скан.pdf: нет документа"
    # the foreign file's line says where scans go to be filed with a checksum
    assert text[9] == ("Архив: чужой файл 2024/G/data/x.txt — не учтен в манифесте; сохранен как есть. Сканы кладите в "
                       "input/scans/<группа>/ (см. docs/archive.md), тогда они подшиваются с контрольной суммой.")


def test_index_and_labels_follow_a_bag_changed_by_something_else(tmp_path):
    """A run that files nothing rewrites the yearly index and labels only when a bag's file is newer."""
    run(tmp_path)
    archive = tmp_path / "archive"
    views = [*index_paths(archive), *label_paths(archive)]
    assert views
    index = index_paths(archive)[0]
    fresh = index.read_bytes()
    index.write_bytes(b"left alone")
    run(tmp_path)
    assert index.read_bytes() == b"left alone"  # newer than every bag file: not rebuilt
    hour_ago = index.stat().st_mtime - 3600
    for view in views:
        os.utime(view, (hour_ago, hour_ago))
    run(tmp_path)
    assert index.read_bytes() == fresh  # a bag's documents.csv is newer now: rebuilt
    # the labels alone behind a bag: the year is behind, so its index is written again too
    index.write_bytes(b"left alone")
    labels = label_paths(archive)[0]
    os.utime(labels, (hour_ago, hour_ago))
    run(tmp_path)
    assert index.read_bytes() == fresh


def test_what_is_not_filed_now_keeps_nothing_else_out_whatever_the_order(tmp_path):
    """A certificate of qualification goes to the learner (Carrier.archived False), a group still in training
    and a year not over yet wait: none of them, wherever it comes in the build's list, keeps a document that is
    due out of the archive. On 31.12.2025: ПК-2024-01 (5 documents) and the 2024 book are filed; ПК-2025-02
    (3 group documents, 2 certificates) and the 2025 book wait; the qualification is neither."""
    ds = dataset()
    docs = rendered(tmp_path / "build", ds)
    given = replace(docs[0], carrier=replace(docs[0].carrier, key="qualification_pk", archived=False),
                    spec=replace(docs[0].spec, doc_id="ПК-2024-01/qualification_pk/L1",
                                 file_name="Удостоверение L1.docx", title="Удостоверение L1"))
    report = archive_documents(ds, [given, *reversed(docs)], tmp_path / "archive", today=D(2025, 12, 31))
    assert sorted(d.doc_id for d in report.new) == sorted(
        [f"ПК-2024-01/{k}" for k in ("journal", "order_graduation", "protocol")]
        + [f"ПК-2024-01/study_certificate/{m}" for m in ("L1", "L2")] + ["2024/issue_register"])
    assert len(report.waiting) == 6 and sum("2025 год еще не закончился" in w for w in report.waiting) == 1
    assert not any("Удостоверение" in w for w in report.waiting)
    assert not [p for p in (tmp_path / "archive").rglob("*") if "Удостоверение" in p.name]


def _docx(text: str, size: int) -> bytes:
    document = docx.Document()
    document.add_paragraph().add_run(text).font.size = Pt(size)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_an_unsigned_document_whose_layout_alone_changed_is_filed_as_a_new_version(tmp_path):
    """Only a signed document is compared by its words (its signed paper must stay the version filed); an
    unsigned one whose layout changed (the same words, other bytes from other inputs) is the next version, as
    any change is."""
    run(tmp_path, overrides={"ПК-2024-01/journal": _docx("Журнал учета занятий", 12)})
    report = run(tmp_path, overrides={"ПК-2024-01/journal": _docx("Журнал учета занятий", 14)})
    assert [(d.doc_id, d.version) for d in report.new_versions] == [("ПК-2024-01/journal", 2)]


def test_every_field_of_a_filed_record_follows_the_nomenclature_the_group_and_the_document(tmp_path):
    """A row of documents.csv is the archive's memory (the index, the labels, `find` and disposal read only
    it), so every field of a first filing is pinned: the case, its term and the date destruction may come from
    the номенклатура row of the carrier's case (03-05: 5 years, closed in 2024, so «не ранее» 1 January 2030);
    the learner of a learner's document; the dates of the document; the hashes of its bytes and inputs, the
    workbooks it was made from with their hashes, sorted; «не подписан» for a group not marked signed."""
    ds = dataset()
    docs = rendered(tmp_path / "build", ds)
    docs = [replace(d, spec=replace(d.spec, first_date=D(2024, 3, 1))) if d.spec.doc_id == "ПК-2024-01/journal"
            else replace(d, spec=replace(d.spec, entries=12)) if d.spec.doc_id == "2024/issue_register" else d
            for d in docs]
    archive_documents(ds, docs, tmp_path / "archive", today=TODAY)
    records = {r.doc_id: dataclasses.asdict(r) for bag in ("2024/ПК-2024-01", f"2024/{YEAR_FOLDER}")
               for r in read_documents(tmp_path / "archive" / bag)}

    def digest(doc_id: str) -> str:
        return hashlib.sha256(f"PK fake docx {doc_id}".encode()).hexdigest()

    group_sources = f"{GROUP_FILE}={'a' * 64}; organization.xlsx={'o' * 64}"
    common = dict(version=1, status="хранится", signed="нет", correction="", filed_on="2026-03-01", disposal_act="",
                  learner_id="", learner_name="", first_date="", entries="", closing_year=2024, article="", epk="нет",
                  approved="да", date="2024-06-30", sources=group_sources)
    expected = {
        "ПК-2024-01/journal": common | dict(
            file="data/Журнал учета занятий ПК-2024-01.docx", carrier="journal", carrier_title="Журнал учета занятий",
            title="Журнал учета занятий ПК-2024-01", case_index="03-05", case_title="Журналы учета занятий групп",
            retention="5", retention_years="5", destroy_not_before="2030-01-01", first_date="2024-03-01"),
        "ПК-2024-01/order_graduation": common | dict(
            file="data/Приказ об окончании обучения и отчислении ПК-2024-01.docx", carrier="order_graduation",
            carrier_title="Приказ об окончании обучения и отчислении",
            title="Приказ об окончании обучения и отчислении ПК-2024-01", case_index="03-01",
            case_title="Приказы по контингенту слушателей", retention="до ликвидации организации",
            retention_years="", article="19 «а»", destroy_not_before=""),
        "ПК-2024-01/protocol": common | dict(
            file="data/Протокол заседания аттестационной комиссии ПК-2024-01.docx", carrier="protocol",
            carrier_title="Протокол заседания аттестационной комиссии",
            title="Протокол заседания аттестационной комиссии ПК-2024-01", case_index="03-07",
            case_title="Протоколы заседаний аттестационных комиссий", retention="50", retention_years="50", epk="да",
            destroy_not_before="2075-01-01"),
        "ПК-2024-01/study_certificate/L2": common | dict(
            file="data/Справка об обучении L2.docx", carrier="study_certificate", carrier_title="Справка об обучении",
            title="Справка об обучении L2", case_index="03-09", case_title="Справки об обучении", retention="5",
            retention_years="5", approved="нет", destroy_not_before="2030-01-01", learner_id="L2",
            learner_name="Пётр Йорн"),
        "2024/issue_register": common | dict(
            file="data/Журнал выдачи документов 2024.docx", carrier="issue_register",
            carrier_title="Журнал выдачи документов об окончании обучения",
            title="Журнал выдачи документов за 2024 год", case_index="03-10",
            case_title="Книга регистрации выданных документов", retention="постоянно", retention_years="",
            destroy_not_before="", date="2024-12-31", entries="12", sources=f"organization.xlsx={'o' * 64}"),
    }
    for doc_id, fields in expected.items():
        assert records[doc_id] == fields | dict(doc_id=doc_id, sha256=digest(doc_id), inputs_hash="in-" + digest(doc_id))


def test_a_document_whose_case_the_nomenclature_lacks_is_filed_without_a_term_and_not_approved(tmp_path):
    """No номенклатура row for the carrier's case: the document is still filed (nothing is lost), with no case,
    «нет в номенклатуре» for its term, no date of destruction (no act may ever list it) and «не утверждено»,
    so the commission has to decide it."""
    ds = dataset()
    ds = replace(ds, nomenclature={k: v for k, v in ds.nomenclature.items() if k != "journal"})
    run(tmp_path, ds=ds)
    [journal] = [r for r in read_documents(bag_of(tmp_path)) if r.carrier == "journal"]
    assert (journal.case_index, journal.case_title, journal.retention, journal.retention_years, journal.article,
            journal.epk, journal.approved, journal.destroy_not_before) == (
        "", "", "нет в номенклатуре", "", "", "нет", "нет", "")


def test_the_learners_of_a_folder_are_its_groups_and_a_year_folders_those_completed_that_year(tmp_path):
    """learners.csv lets `find` reach a learner's documents: a group's folder lists its members with their
    group; a year's folder (its books name learners of every group) lists the members of the groups
    completed that year — ПК-2025-02, still in training, is not yet among them, nor ПК-2024-01 in 2025."""
    autumn = group("ПК-2024-05", D(2024, 9, 1), D(2024, 12, 20))
    ds = dataset(group("ПК-2024-01", D(2024, 3, 1), D(2024, 6, 30)), replace(autumn, members=autumn.members[1:]),
                 group("ПК-2025-02", D(2025, 3, 1), D(2025, 6, 30), completed=False))
    run(tmp_path, ds=ds)
    ivanov = ("L1", "Иванов Иван Иванович", "112-233-445 95")
    pyotr = ("L2", "Пётр Йорн", "123-456-789 64")

    def learners(folder: str) -> list[tuple[str, ...]]:
        return [(r.learner_id, r.name, r.snils, r.group) for r in read_learners(tmp_path / "archive" / folder)]

    assert learners("2024/ПК-2024-01") == [(*ivanov, "ПК-2024-01"), (*pyotr, "ПК-2024-01")]
    assert learners("2024/ПК-2024-05") == [(*pyotr, "ПК-2024-05")]
    assert learners(f"2024/{YEAR_FOLDER}") == [(*ivanov, "ПК-2024-01"), (*pyotr, "ПК-2024-01"), (*pyotr, "ПК-2024-05")]
    assert learners(f"2025/{YEAR_FOLDER}") == []


def test_a_folder_never_moves_when_a_group_filed_later_would_have_had_its_name(tmp_path):
    """Folder names ignore case (Windows and macOS folders do): «пк-1», filed first, keeps its folder when
    «ПК-1», which sorts first and so would take the plain name in a run of both, is filed later; «ПК-1» gets a
    tagged name instead. Nothing of «пк-1» is filed again."""
    lower = group("пк-1", D(2024, 1, 10), D(2024, 2, 20))
    upper = group("ПК-1", D(2024, 3, 10), D(2024, 4, 20))
    run(tmp_path, ds=dataset(lower, replace(upper, orders=upper.orders[:1])))
    assert sorted(p.name for p in (tmp_path / "archive/2024").iterdir()) == ["_год", "пк-1"]
    report = run(tmp_path, ds=dataset(lower, upper))
    folders = {p.name for p in (tmp_path / "archive/2024").iterdir()} - {YEAR_FOLDER, "пк-1"}
    [tagged] = folders
    assert tagged.startswith("ПК-1~") and tagged == folder_names(["ПК-1"], ["пк-1"])["ПК-1"]
    assert sorted(d.path.split("/")[1] for d in report.new) == [tagged] * 5
    assert {d.path.split("/")[1] for d in report.unchanged} == {"пк-1", YEAR_FOLDER}
    assert "Group-Number: пк-1\n" in (tmp_path / "archive/2024/пк-1/bag-info.txt").read_text(encoding="utf-8")


def test_a_folder_of_the_archive_that_is_not_a_year_is_not_read_as_one(tmp_path):
    """Only the year folders («2024») hold bags filing looks at: a copy of a year's folder staff left in the
    archive («копия 2024») does not stop filing, and its bags are never taken for a group's folder."""
    run(tmp_path)
    copy = tmp_path / "archive/копия 2024"
    copy.mkdir()
    (copy / "ПК-2024-01").mkdir()
    (copy / "ПК-2024-01/bag-info.txt").write_text("Group-Number: ПК-2024-01\n", encoding="utf-8")
    (tmp_path / "archive/2024.txt").write_text("заметки", encoding="utf-8")
    report = run(tmp_path, overrides={"ПК-2024-01/journal": b"PK journal changed"})
    assert [d.path for d in report.new_versions] == [
        "2024/ПК-2024-01/data/Журнал учета занятий ПК-2024-01 (версия 2).docx"]


def test_a_hidden_folder_is_never_taken_for_a_groups_folder(tmp_path):
    """Folders whose names start with a dot are the bag writer's own (or hidden by hand): a hidden copy of a
    group's folder is never where the group's documents are filed."""
    hidden = tmp_path / "archive/2024/.ПК-2024-01 копия"
    hidden.mkdir(parents=True)
    (hidden / "bag-info.txt").write_text("Group-Number: ПК-2024-01\n", encoding="utf-8")
    report = run(tmp_path)
    assert {d.path.split("/")[1] for d in report.new} == {"ПК-2024-01", YEAR_FOLDER}
    assert sorted(p.name for p in hidden.iterdir()) == ["bag-info.txt"]


def test_a_groups_documents_go_to_the_year_its_training_ended_whatever_year_a_document_names(tmp_path):
    """Module docstring: a group's documents — learner-scoped ones too — are filed under the year its training
    ended, in its folder: a certificate of a group that ended in December, issued and dated in January, still
    goes to the group's folder of the year before."""
    december = group("ПК-2024-12", D(2024, 10, 1), D(2024, 12, 27))
    ds = dataset(december)
    docs = rendered(tmp_path / "build", ds)
    docs = [replace(d, spec=replace(d.spec, year=2025, date=D(2025, 1, 15))) if d.spec.learner_id else d
            for d in docs]
    report = archive_documents(ds, docs, tmp_path / "archive", today=TODAY)
    assert sorted(d.path for d in report.new if "Справка" in d.path) == [
        "2024/ПК-2024-12/data/Справка об обучении L1.docx", "2024/ПК-2024-12/data/Справка об обучении L2.docx"]


def _documents_with_a_journal_twin(tmp_path):
    """The fixture dataset's documents and a second journal of ПК-2024-01 whose file name differs from the first's
    only in case, with bytes of its own."""
    ds = dataset()
    docs = rendered(tmp_path / "build", ds)
    [journal] = [d for d in docs if d.spec.doc_id == "ПК-2024-01/journal"]
    other = tmp_path / "other.docx"
    other.write_bytes(b"PK another journal")
    digest = hashlib.sha256(b"PK another journal").hexdigest()
    twin = replace(journal, location=other, sha256=digest, inputs_hash="in-" + digest,
                   spec=replace(journal.spec, doc_id="ПК-2024-01/journal/2", file_name=journal.spec.file_name.upper()))
    return ds, docs, twin


def test_two_documents_of_one_run_with_one_file_name_are_filed_apart(tmp_path):
    """Two documents of a folder whose file names differ only in case (Windows and macOS take them for one name)
    are both filed, each under a name of its own, each with its own bytes."""
    ds, docs, twin = _documents_with_a_journal_twin(tmp_path)
    report = archive_documents(ds, [*docs, twin], tmp_path / "archive", today=TODAY)
    paths = {d.doc_id: d.path for d in report.new}
    assert paths["ПК-2024-01/journal"].casefold() != paths["ПК-2024-01/journal/2"].casefold()
    assert (tmp_path / "archive" / paths["ПК-2024-01/journal"]).read_bytes() == "PK fake docx ПК-2024-01/journal".encode()
    assert (tmp_path / "archive" / paths["ПК-2024-01/journal/2"]).read_bytes() == b"PK another journal"


def test_bag_info_of_a_group_whose_program_is_not_in_the_dataset_names_its_code(tmp_path):
    """A group's program missing from the data (validation refuses that, the archive does not rely on it): the
    folder is still described, by the program's code alone."""
    run(tmp_path, ds=dataset(group("ПК-2024-01", D(2024, 3, 1), D(2024, 6, 30), program_code="P9")))
    info = (bag_of(tmp_path) / "bag-info.txt").read_text(encoding="utf-8")
    assert "External-Description: Документы группы ПК-2024-01: P9\n" in info and "Program: P9\n" in info


def test_a_year_folder_whose_documents_carry_no_date_spans_the_whole_year(tmp_path):
    """The year folder's dates come from its documents; when none has a date, the folder spans its year."""
    ds = dataset()
    docs = [replace(d, spec=replace(d.spec, date=None)) if d.spec.group is None else d
            for d in rendered(tmp_path / "build", ds)]
    archive_documents(ds, docs, tmp_path / "archive", today=TODAY)
    info = (tmp_path / "archive/2024" / YEAR_FOLDER / "bag-info.txt").read_text(encoding="utf-8")
    for line in ("Start-Date: 2024-01-01", "End-Date: 2024-12-31", "Bagging-Date: 2024-12-31"):
        assert line + "\n" in info, line


def test_a_document_whose_inputs_changed_but_whose_bytes_did_not_is_not_a_new_version(tmp_path):
    """docs/archive.md «Версии»: a version 2 is filed when the document came out different after a workbook was
    edited; an edit that leaves a document's bytes as they were (another cell of the same workbook) files nothing."""
    ds = dataset()
    docs = rendered(tmp_path / "build", ds)
    archive_documents(ds, docs, tmp_path / "archive", today=TODAY)
    before = tree_hash(tmp_path / "archive")
    report = archive_documents(ds, [replace(d, inputs_hash="in-edited") for d in docs], tmp_path / "archive",
                               today=TODAY)
    assert report.new_versions == [] and len(report.unchanged) == 7
    assert tree_hash(tmp_path / "archive") == before


def test_a_run_settles_what_an_interrupted_run_left_and_says_so_first(tmp_path):
    """docs/archive.md «Сбои»: what an interrupted run left behind (here the unfinished copy of a folder) is
    settled by the next run, which says so loudly before anything else."""
    run(tmp_path)
    bag = bag_of(tmp_path)
    leftover = bag.parent / f".{bag.name}.tmp"
    shutil.copytree(bag, leftover)
    report = run(tmp_path)
    said = "2024/ПК-2024-01: удалена незаконченная копия после прерванного запуска"
    assert report.recovered == [said]
    assert report.lines()[0] == (f"Архив: восстановлено после прерванного запуска — {said}", True)
    assert not leftover.exists() and verify_archive(tmp_path / "archive").clean


def test_after_a_run_cut_between_its_renames_the_index_lists_the_folder_the_next_run_finished(tmp_path):
    """docs/archive.md «Сбои»: the next run finishes a folder an interrupted run was swapping in and updates the
    опись to what is filed. The folder's files may even carry times older than the views (the clock was set back
    between the runs): what recover() settled, in any year, is looked at whatever the file times say."""
    change = {"ПК-2024-01/journal": b"PK journal changed in the interrupted run"}
    archive = tmp_path / "archive"
    run(tmp_path)
    shutil.copytree(archive, tmp_path / "before")
    run(tmp_path, overrides=change)
    shutil.copytree(archive / "2024/ПК-2024-01", tmp_path / "made")  # the folder the interrupted run had made
    shutil.rmtree(archive)
    shutil.move(tmp_path / "before", archive)
    year = archive / "2024"
    os.rename(year / "ПК-2024-01", year / ".ПК-2024-01.old")  # cut after the live folder was moved aside
    shutil.move(tmp_path / "made", year / ".ПК-2024-01.new")
    early = (archive / "index-2024.xlsx").stat().st_mtime - 3600
    for path in [year / ".ПК-2024-01.new", *(year / ".ПК-2024-01.new").rglob("*")]:
        os.utime(path, (early, early))
    report = run(tmp_path, overrides=change)
    assert report.recovered == ["2024/ПК-2024-01: завершена прерванная запись папки",
                                "2024/ПК-2024-01: удалена незаконченная копия после прерванного запуска"]
    assert report.new_versions == [] and verify_archive(archive).clean
    assert "2024/ПК-2024-01/data/Журнал учета занятий ПК-2024-01 (версия 2).docx" in {
        r["path"] for r in find(archive, year=2024)}


def test_the_archive_filed_does_not_depend_on_the_order_the_build_lists_its_documents(tmp_path):
    """The archive is made from the documents, not from the order the build happens to list them in: two
    documents of a folder whose file names differ only in case get the same names (which one keeps the plain
    name) and every file of the archive the same bytes, whichever of them the build lists first."""
    ds, docs, twin = _documents_with_a_journal_twin(tmp_path)
    archive_documents(ds, [*docs, twin], tmp_path / "first", today=TODAY)
    archive_documents(ds, [twin, *reversed(docs)], tmp_path / "second", today=TODAY)
    assert tree_hash(tmp_path / "first") == tree_hash(tmp_path / "second")
