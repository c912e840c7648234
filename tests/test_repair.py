"""`uchet verify --repair` (pipeline/archive/repair.py): what it may take a damaged tag file back from, and what not.

The rule (the module's docstring): a tag file is written back only with bytes whose SHA-256 is the one the tag
manifest holds; the candidates are the bag's copy (uchet-tags.json), the damaged file read leniently (as a
Russian Excel saves a CSV: «;», Windows-1251, dates as ДД.ММ.ГГГГ) and, for the payload manifest, the manifest
computed again from the files documents.csv lists; the copy is made last, from the others. A lost tag manifest
is written again only from a bag that agrees with itself. Never from the workbooks.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import json

import pytest
from archive_fixture import dataset, rendered

from pipeline.archive.filing import archive_documents
from pipeline.archive.integrity import Damage
from pipeline.archive.records import (
    DOCUMENTS,
    FIELDS,
    LEARNER_FIELDS,
    LEARNERS,
    LearnerRow,
    Record,
    documents_bytes,
    learners_bytes,
)
from pipeline.archive.repair import RepairReport, documents_from, learners_from, lenient_rows, repair_archive
from pipeline.archive.verify import verify_archive

BAG = "2024/ПК-2024-01"
COPY = "uchet-tags.json"
MANIFEST = "manifest-sha256.txt"
TAGMANIFEST = "tagmanifest-sha256.txt"


def excel(data: bytes, *, delimiter: str = ";", encoding: str = "cp1251", dates: bool = True) -> bytes:
    """A CSV as a Russian Excel saves it: «;», Windows-1251, ISO dates shown and saved as ДД.ММ.ГГГГ."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow([f"{c[8:10]}.{c[5:7]}.{c[:4]}" if dates and len(c) == 10 and c[4] == "-" and c[7] == "-"
                         else c for c in row])
    return out.getvalue().encode(encoding)


# --- lenient_rows: a CSV as Excel may have saved it -------------------------------------------------------------

ROWS = [{"doc_id": "ПК-2024-01/journal", "title": "Журнал, том 1", "note": "Акт; опись"},
        {"doc_id": "ПК-2024-01/order", "title": "Приказ\r\nо зачислении", "note": ""}]


def _csv(delimiter: str) -> str:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(ROWS[0]), delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(ROWS)
    return out.getvalue()


@pytest.mark.parametrize("delimiter", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
def test_a_list_is_read_whatever_delimiter_and_encoding_excel_saved_it_with(delimiter, encoding):
    # a field holding the other delimiters, and a line break inside a quoted field, come back as written
    assert lenient_rows(_csv(delimiter).encode(encoding)) == ROWS


def test_the_delimiter_is_judged_by_the_header_line_alone():
    # the rows below the header hold «;» in plenty; the header has «,» only
    data = "file,title\r\ndata/a.docx,Акт; опись; реестр; книга\r\n".encode()
    assert lenient_rows(data) == [{"file": "data/a.docx", "title": "Акт; опись; реестр; книга"}]
    # titles holding «;» as often as not (Excel quotes them) leave the whole text with no clear delimiter
    rows = [{"doc_id": f"d{i}", "title": "Акт; опись, реестр" + "; том" * (i % 3)} for i in range(6)]
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=["doc_id", "title"], delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    assert lenient_rows(out.getvalue().encode("cp1251")) == rows


def test_a_list_of_one_column_is_read_with_the_comma():
    # the header names one field: no delimiter to judge by
    assert lenient_rows(b"file\r\ndata/a.docx\r\n") == [{"file": "data/a.docx"}]


def test_bytes_neither_utf8_nor_windows_1251_are_read_with_the_odd_byte_replaced():
    # 0x98 is the one byte Windows-1251 leaves undefined: the text is still read, the byte replaced
    assert lenient_rows(b"file,title\r\ndata/a.docx,x\x98y\r\n") == [{"file": "data/a.docx", "title": "x\ufffdy"}]


# --- the document list read back into the archive's format -----------------------------------------------------

def record(**changes) -> Record:
    base = {name: "" for name in FIELDS} | {
        "doc_id": "ПК-2024-01/journal", "version": 2, "file": "data/Журнал (версия 2).docx", "status": "хранится",
        "carrier": "journal", "carrier_title": "Журнал учета занятий", "title": "=СУММ(A1) — не формула",
        "date": "2024-03-05", "case_index": "03-05", "retention": "5", "retention_years": "5", "approved": "да",
        "closing_year": 2024, "destroy_not_before": "2030-01-01", "sha256": "ab" * 32, "signed": "да",
        "filed_on": "2024-12-09", "learner_name": "Иванов Иван", "first_date": "2024-01-09", "entries": "12"}
    return Record(**(base | changes))


RECORDS = [record(), record(doc_id="ПК-2024-01/protocol", version=1, file="data/Протокол.docx", status="уничтожен",
                            date="2024-12-01", destroy_not_before="2075-01-01", disposal_act="№ 1 от 02.03.2026",
                            title="Протокол, том 1")]


def test_a_document_list_excel_saved_is_written_back_byte_for_byte():
    original = documents_bytes(RECORDS)
    assert documents_from(excel(original)) == original
    assert documents_from(original) == original  # and the list as filed is its own candidate


def test_a_day_and_month_saved_without_their_zeros_are_read_as_the_iso_date():
    original = documents_bytes([record(date="2024-03-05", filed_on="2024-12-09", destroy_not_before="2030-01-01")])
    shown = original.replace(b"2024-03-05", b"5.3.2024").replace(b"2024-12-09", b"9.12.2024") \
                    .replace(b"2030-01-01", b"1.1.2030")
    assert documents_from(shown) == original


def test_only_the_date_columns_are_read_as_dates():
    # a title that looks like a date stays as typed; the entries count is no date either
    original = documents_bytes([record(title="01.02.2024", learner_name="03.04.2025")])
    assert documents_from(excel(original, dates=False)) == original


def test_cells_with_spaces_around_them_are_read_trimmed():
    text = documents_bytes([record()]).decode("utf-8-sig")
    header, row = text.rstrip("\r\n").split("\r\n")
    spaced = ",".join(f" {c} " if c and not c.startswith('"') else c for c in row.split(","))
    assert documents_from(f"{header}\r\n{spaced}\r\n".encode()) == documents_bytes([record()])


def test_a_row_cut_short_reads_its_missing_cells_as_empty_and_the_version_as_the_first():
    # a copy stopped in the middle of the last row: the fields after the document id are missing
    header = ",".join(FIELDS)
    data = f"{header}\r\nПК-2024-01/journal\r\n".encode()
    assert documents_from(data) == documents_bytes([Record(**({n: "" for n in FIELDS}
                                                             | {"doc_id": "ПК-2024-01/journal", "version": 1,
                                                                "closing_year": 0}))])


@pytest.mark.parametrize("damage", ["no_rows", "column_missing", "version_not_a_number", "closing_year_not_a_number"])
def test_a_document_list_that_cannot_be_read_back_gives_no_candidate(damage):
    original = documents_bytes([record()])
    header, row = original.decode("utf-8-sig").rstrip("\r\n").split("\r\n")
    data = {
        "no_rows": f"{header}\r\n",
        "column_missing": original.decode("utf-8-sig").replace("sha256,", "", 1),
        "version_not_a_number": f"{header}\r\n" + row.replace(",2,data/", ",два,data/") + "\r\n",
        "closing_year_not_a_number": f"{header}\r\n" + row.replace(",2024,2030-01-01,", ",год,2030-01-01,") + "\r\n",
    }[damage]
    assert data != original.decode("utf-8-sig")
    assert documents_from(data.encode()) is None


# --- the learners' list ----------------------------------------------------------------------------------------

LEARNER_ROWS = [LearnerRow("L2", "Петров Петр", "123-456-789 01", "ПК-2024-01"),
                LearnerRow("L1", "=Сидоров, Сидор", "", "ПК-2024-01")]


def test_a_learners_list_excel_saved_is_written_back_byte_for_byte():
    original = learners_bytes(LEARNER_ROWS)
    assert learners_from(excel(original)) == original
    spaced = excel(original).replace(b";\xcf", b"; \xcf")  # a space before «Петров»
    assert spaced != excel(original) and learners_from(spaced) == original


def test_a_learners_list_without_learners_is_its_own_header():
    assert learners_from(learners_bytes([])) == learners_bytes([])
    assert learners_from(b"") == learners_bytes([])


def test_a_learners_list_missing_a_column_gives_no_candidate():
    assert set(LEARNER_FIELDS) == {"learner_id", "name", "snils", "group"}
    assert learners_from("learner_id;name;group\r\nL1;Иванов;ПК-2024-01\r\n".encode("cp1251")) is None


def test_a_learners_list_cut_short_reads_its_missing_cells_as_empty():
    assert learners_from(b"learner_id,name,snils,group\r\nL1\r\n") == learners_bytes([LearnerRow("L1", "", "", "")])


# --- the whole repair, on a filed archive ----------------------------------------------------------------------

@pytest.fixture
def archive(tmp_path):
    ds = dataset()
    archive_documents(ds, rendered(tmp_path / "build", ds), tmp_path / "archive", today=dt.date(2026, 3, 1))
    return tmp_path / "archive"


def tagged(bag, name: str) -> str:
    return next(line.split()[0] for line in (bag / TAGMANIFEST).read_text(encoding="utf-8").splitlines()
                if line.endswith(f"  {name}"))


@pytest.mark.parametrize("name", [DOCUMENTS, LEARNERS])
def test_with_the_copy_lost_an_excel_saved_list_is_read_back_and_the_copy_made_again_last(archive, name):
    bag = archive / BAG
    originals = {n: (bag / n).read_bytes() for n in (name, COPY)}
    (bag / COPY).unlink()
    (bag / name).write_bytes(excel((bag / name).read_bytes()))
    report = repair_archive(archive)
    assert report.restored == [f"{BAG}/{name}", f"{BAG}/{COPY}"] and report.left == []
    assert {n: (bag / n).read_bytes() for n in (name, COPY)} == originals
    assert verify_archive(archive).clean


@pytest.mark.parametrize("copy", ["not json {", "[1, 2]", '{"documents.csv": 1}'], ids=["not_json", "a_list", "no_text"])
def test_a_copy_that_holds_no_texts_is_no_candidate_and_is_made_again(archive, copy):
    bag = archive / BAG
    originals = {n: (bag / n).read_bytes() for n in (DOCUMENTS, COPY)}
    (bag / COPY).write_text(copy, encoding="utf-8")
    (bag / DOCUMENTS).write_bytes(excel((bag / DOCUMENTS).read_bytes()))
    report = repair_archive(archive)
    assert report.restored == [f"{BAG}/{DOCUMENTS}", f"{BAG}/{COPY}"] and report.left == []
    assert {n: (bag / n).read_bytes() for n in (DOCUMENTS, COPY)} == originals


def test_a_copy_keeps_its_texts_when_some_other_entry_is_no_text(archive):
    bag = archive / BAG
    original = (bag / DOCUMENTS).read_bytes()
    texts = json.loads((bag / COPY).read_text(encoding="utf-8"))
    (bag / COPY).write_text(json.dumps(texts | {"lost.txt": None, "1": 2}), encoding="utf-8")
    (bag / DOCUMENTS).write_bytes(b"damaged beyond any lenient reading")
    report = repair_archive(archive)
    assert report.restored == [f"{BAG}/{DOCUMENTS}", f"{BAG}/{COPY}"]
    assert (bag / DOCUMENTS).read_bytes() == original


def test_a_payload_manifest_is_computed_again_from_the_files_the_document_list_keeps(archive):
    # the copy lost too, and the document list saved by Excel: the manifest comes first, from the lenient list
    bag = archive / BAG
    originals = {n: (bag / n).read_bytes() for n in (MANIFEST, DOCUMENTS, COPY)}
    (bag / COPY).unlink()
    (bag / MANIFEST).write_bytes(b"".join(originals[MANIFEST].splitlines(keepends=True)[1:]))  # a line lost
    (bag / DOCUMENTS).write_bytes(excel(originals[DOCUMENTS]))
    report = repair_archive(archive)
    assert report.restored == [f"{BAG}/{MANIFEST}", f"{BAG}/{DOCUMENTS}", f"{BAG}/{COPY}"]
    assert {n: (bag / n).read_bytes() for n in originals} == originals
    assert verify_archive(archive).clean


def test_a_lost_payload_manifest_is_computed_again_when_the_copy_is_lost_too(archive):
    bag = archive / BAG
    original = (bag / MANIFEST).read_bytes()
    (bag / COPY).unlink()
    (bag / MANIFEST).unlink()
    report = repair_archive(archive)
    assert report.restored == [f"{BAG}/{MANIFEST}", f"{BAG}/{COPY}"] and (bag / MANIFEST).read_bytes() == original


def test_a_payload_manifest_is_not_computed_from_a_list_whose_kept_file_is_gone(archive):
    bag = archive / BAG
    (bag / COPY).unlink()
    (bag / MANIFEST).unlink()
    gone = sorted((bag / "data").iterdir())[0]
    gone.unlink()
    report = repair_archive(archive)
    assert report.restored == [] and not (bag / MANIFEST).exists()
    assert {d.file for d in report.left} >= {MANIFEST, COPY}


def test_a_tombstone_is_no_file_of_the_computed_manifest(archive):
    # a document destroyed by an act has its row («уничтожен») and no file: the manifest lists only the kept ones
    bag = archive / BAG
    journal = "data/Журнал учета занятий ПК-2024-01.docx"
    lines = (bag / DOCUMENTS).read_bytes().decode("utf-8-sig").split("\r\n")
    lines = [line.replace(",хранится,", ",уничтожен,") if f",{journal}," in line else line for line in lines]
    (bag / DOCUMENTS).write_bytes("\r\n".join(lines).encode("utf-8-sig"))
    (bag / journal).unlink()
    manifest = "".join(line for line in (bag / MANIFEST).read_text(encoding="utf-8").splitlines(keepends=True)
                       if not line.endswith(f"  {journal}\n"))
    (bag / MANIFEST).write_text("not a manifest", encoding="utf-8")
    (bag / COPY).unlink()
    tags = (bag / TAGMANIFEST).read_text(encoding="utf-8")
    tags = tags.replace(tagged(bag, MANIFEST), hashlib.sha256(manifest.encode()).hexdigest())
    tags = tags.replace(tagged(bag, DOCUMENTS), hashlib.sha256((bag / DOCUMENTS).read_bytes()).hexdigest())
    (bag / TAGMANIFEST).write_text(tags, encoding="utf-8")
    report = repair_archive(archive)
    assert report.restored[0] == f"{BAG}/{MANIFEST}" and (bag / MANIFEST).read_text(encoding="utf-8") == manifest


def test_bag_info_with_its_copy_lost_is_left_to_the_backup(archive):
    # bag-info.txt has no lenient reading: the copy is its only source
    bag = archive / BAG
    (bag / COPY).unlink()
    (bag / "bag-info.txt").write_text("Source-Organization: edited\n", encoding="utf-8")
    report = repair_archive(archive)
    assert report.restored == []
    assert [(d.bag, d.file) for d in report.left] == [(BAG, "bag-info.txt"), (BAG, COPY)]


def test_a_sound_file_is_never_rewritten(archive):
    bag = archive / BAG
    (bag / DOCUMENTS).write_bytes(excel((bag / DOCUMENTS).read_bytes()))
    before = {p.name: p.stat().st_ino for p in bag.iterdir() if p.is_file()}
    report = repair_archive(archive)
    assert report.restored == [f"{BAG}/{DOCUMENTS}"]
    after = {p.name: p.stat().st_ino for p in bag.iterdir() if p.is_file()}
    assert {n for n in before if before[n] != after[n]} == {DOCUMENTS}


# --- a lost tag manifest ---------------------------------------------------------------------------------------

def test_a_lost_tag_manifest_is_written_again_without_the_copy_when_the_copy_is_lost_too(archive):
    bag = archive / BAG
    (bag / TAGMANIFEST).unlink()
    (bag / COPY).unlink()
    report = repair_archive(archive)
    assert report.restored == [f"{BAG}/{TAGMANIFEST}"]
    names = ("bagit.txt", "bag-info.txt", MANIFEST, DOCUMENTS, LEARNERS)
    assert (bag / TAGMANIFEST).read_text(encoding="utf-8") == "".join(
        f"{hashlib.sha256((bag / n).read_bytes()).hexdigest()}  {n}\n" for n in sorted(names))


@pytest.mark.parametrize("damage", ["bag_info_edited", "payload_changed", "documents_lost", "manifest_lost",
                                    "list_disagrees"])
def test_a_lost_tag_manifest_is_not_written_from_a_bag_that_disagrees_with_itself(archive, damage):
    bag = archive / BAG
    (bag / TAGMANIFEST).unlink()
    if damage == "bag_info_edited":  # the copy says another text
        (bag / "bag-info.txt").write_text("Source-Organization: edited\n", encoding="utf-8")
    elif damage == "payload_changed":
        path = sorted((bag / "data").iterdir())[0]
        path.write_bytes(path.read_bytes() + b"\0")
    elif damage == "documents_lost":
        (bag / DOCUMENTS).unlink()
        (bag / COPY).unlink()
    elif damage == "manifest_lost":
        (bag / MANIFEST).unlink()
        (bag / COPY).unlink()
    else:  # a row says «уничтожен» for a file the manifest keeps; the copy gone, nothing else tells
        (bag / COPY).unlink()
        text = (bag / DOCUMENTS).read_bytes().decode("utf-8-sig").replace(",хранится,", ",уничтожен,", 1)
        (bag / DOCUMENTS).write_bytes(text.encode("utf-8-sig"))
    report = repair_archive(archive)
    assert report.restored == [] and not (bag / TAGMANIFEST).exists()
    assert (BAG, TAGMANIFEST) in {(d.bag, d.file) for d in report.left}


@pytest.mark.parametrize("emptied", [False, True], ids=["kept", "emptied"])
def test_a_lost_tag_manifest_is_not_written_when_the_copy_lacks_one_of_the_files(archive, emptied):
    # a copy that does not hold every tag file the bag has is no copy of this bag's files, even of an empty one
    bag = archive / BAG
    (bag / TAGMANIFEST).unlink()
    texts = json.loads((bag / COPY).read_text(encoding="utf-8"))
    del texts[LEARNERS]
    (bag / COPY).write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    (bag / LEARNERS).write_bytes(b"" if emptied else (bag / LEARNERS).read_bytes())
    report = repair_archive(archive)
    assert report.restored == [] and not (bag / TAGMANIFEST).exists()


def test_a_lost_tag_manifest_is_not_written_for_a_bag_whose_payload_manifest_is_lost_too(archive):
    # every document destroyed by an act: nothing in data/, so nothing disagrees — but the manifest is gone
    bag = archive / BAG
    text = (bag / DOCUMENTS).read_bytes().decode("utf-8-sig").replace(",хранится,", ",уничтожен,")
    (bag / DOCUMENTS).write_bytes(text.encode("utf-8-sig"))
    for path in (bag / "data").iterdir():
        path.unlink()
    for name in (TAGMANIFEST, MANIFEST, COPY):
        (bag / name).unlink()
    report = repair_archive(archive)
    assert report.restored == [] and not (bag / TAGMANIFEST).exists()


# --- the report ------------------------------------------------------------------------------------------------

def test_the_report_names_each_file_restored_and_left_and_what_to_do():
    report = RepairReport(restored=[f"{BAG}/{DOCUMENTS}"],
                          left=[Damage(BAG, "data/Журнал.docx", "контрольная сумма не совпадает")])
    assert report.lines() == [
        f"ВОССТАНОВЛЕН: {BAG}/{DOCUMENTS} — содержимое совпадает с контрольной суммой в манифесте папки.",
        f"НЕ ВОССТАНОВЛЕН: {BAG}/data/Журнал.docx — контрольная сумма не совпадает. Возьмите файл из резервной "
        "копии архива."]
    assert RepairReport().lines() == ["Восстанавливать нечего: служебные файлы всех папок совпадают с манифестами."]


def test_repair_of_a_folder_that_is_no_archive_does_nothing(tmp_path):
    assert repair_archive(tmp_path / "no archive") == RepairReport()
    assert not (tmp_path / "no archive").exists()


def test_a_record_has_the_fields_the_tests_build():
    assert dataclasses.fields(Record)[0].name == "doc_id" and "closing_year" in FIELDS
