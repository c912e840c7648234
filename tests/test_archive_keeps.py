"""Issue 13: staff actions that once lost filed documents. Each reproduces the action first, then files
again and asserts that every file filed before still exists with the same bytes (a SHA-256 snapshot)."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import os
import unicodedata
from pathlib import Path

import pytest
from archive_fixture import dataset, group, rendered, replace
from click.testing import CliRunner

from pipeline.archive import integrity
from pipeline.archive.bag import manifest_bytes, read_manifest
from pipeline.archive.filing import archive_documents
from pipeline.archive.integrity import Damage, bag_damage, payload_damage, tag_damage
from pipeline.archive.names import unique_payload_name
from pipeline.archive.records import (
    DOCUMENTS,
    FIELDS,
    LEARNERS,
    LearnerRow,
    csv_bytes,
    documents_bytes,
    learners_bytes,
    read_documents,
    read_learners,
)
from pipeline.archive.repair import repair_archive
from pipeline.archive.verify import verify_archive
from pipeline.cli import main
from pipeline.core.errors import UchetError
from pipeline.core.fsutil import safe_component

TODAY = dt.date(2026, 3, 1)
D = dt.date
BAG = "2024/ПК-2024-01"
JOURNAL = "data/Журнал учета занятий ПК-2024-01.docx"
JOURNAL_V2 = "data/Журнал учета занятий ПК-2024-01 (версия 2).docx"
CHANGE = {"ПК-2024-01/journal": b"PK journal with one grade changed"}


def snapshot(archive: Path) -> dict[str, str]:
    """SHA-256 of every file in every bag (payload, tag files and anything staff put there)."""
    return {p.relative_to(archive).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(archive.glob("*/*/**/*")) if p.is_file() and not p.name.startswith(".")}


TAG_FILES = {"bagit.txt", "bag-info.txt", "manifest-sha256.txt", "tagmanifest-sha256.txt", "documents.csv",
             "learners.csv", "uchet-tags.json"}


def payload(snap: dict[str, str]) -> dict[str, str]:
    """Filed documents and anything else in a bag but its tag files (which a new version rewrites)."""
    return {k: v for k, v in snap.items() if "/data/" in k or k.rpartition("/")[2] not in TAG_FILES}


def assert_kept(before: dict[str, str], after: dict[str, str], only=payload) -> None:
    """Nothing filed before is lost or changed in place."""
    lost = sorted(set(only(before)) - set(after))
    changed = sorted(k for k in only(before) if k in after and after[k] != before[k])
    assert (lost, changed) == ([], [])


def file_(tmp_path: Path, overrides=None):
    ds = dataset()
    return archive_documents(ds, rendered(tmp_path / "build", ds, overrides), tmp_path / "archive", today=TODAY)


@pytest.fixture
def archive(tmp_path):
    file_(tmp_path)
    return tmp_path / "archive"


def excel_resave(path: Path) -> None:
    """What a Russian Excel does to a CSV it opened and saved: «;», Windows-1251, dates as ДД.ММ.ГГГГ."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([f"{c[8:10]}.{c[5:7]}.{c[:4]}" if len(c) == 10 and c[4] == "-" and c[7] == "-" else c
                         for c in row])
    path.write_bytes(out.getvalue().encode("cp1251", errors="replace"))


def remove_row(path: Path) -> None:
    lines = path.read_bytes().split(b"\r\n")
    path.write_bytes(b"\r\n".join(line for line in lines if b"journal" not in line))


def mark_destroyed(path: Path, carrier: str = "protocol") -> None:
    lines = path.read_bytes().decode("utf-8-sig").split("\r\n")
    lines = [line.replace("хранится", "уничтожен") if line.lstrip("\ufeff").startswith(f"ПК-2024-01/{carrier},") else line for line in lines]
    path.write_bytes("\r\n".join(lines).encode("utf-8-sig"))


def cut_short(path: Path) -> None:
    """A copy that stopped in the middle of the last row (a full disk, a copy interrupted): the row ends
    after its document id, every later field of it is missing."""
    lines = path.read_bytes().rstrip(b"\r\n").split(b"\r\n")
    path.write_bytes(b"\r\n".join([*lines[:-1], lines[-1].split(b",")[0] + b","]))


DAMAGE = {
    "cut_short": cut_short,
    "excel_resave": excel_resave,
    "deleted": lambda p: p.unlink(),
    "row_removed": remove_row,
    "status_destroyed": mark_destroyed,
}


@pytest.mark.parametrize("how", sorted(DAMAGE))
def test_damaged_document_list_stops_filing_and_repair_restores_it(archive, tmp_path, how):
    bag = archive / BAG
    original = (bag / DOCUMENTS).read_bytes()
    DAMAGE[how](bag / DOCUMENTS)
    before = snapshot(archive)
    with pytest.raises(UchetError) as err:
        file_(tmp_path, CHANGE)  # a changed journal: the build would write a version 2 into this bag
    message = err.value.message
    assert BAG in message and DOCUMENTS in message and "ничего не записано" in message
    assert "uchet verify --repair" in message
    assert snapshot(archive) == before  # nothing at all was written
    assert not verify_archive(archive).clean

    report = repair_archive(archive)
    assert report.restored == [f"{BAG}/{DOCUMENTS}"] and report.left == []
    assert (bag / DOCUMENTS).read_bytes() == original
    assert verify_archive(archive).clean

    result = file_(tmp_path, CHANGE)
    assert [d.version for d in result.new_versions] == [2]
    assert_kept(before, snapshot(archive))
    assert (bag / JOURNAL_V2).read_bytes() == CHANGE["ПК-2024-01/journal"]


def test_status_edited_to_destroyed_never_deletes_the_file(archive, tmp_path):
    bag = archive / BAG
    mark_destroyed(bag / DOCUMENTS, "journal")
    before = snapshot(archive)
    file_(tmp_path)  # nothing to file: the bag is not written, and nothing is deleted
    assert snapshot(archive) == before
    assert (f"{BAG}/{DOCUMENTS}", "контрольная сумма SHA-256 не совпадает с манифестом") in verify_archive(archive).changed
    report = file_(tmp_path, CHANGE)  # the journal «уничтожен» by hand is not filed again either
    assert report.new_versions == [] and snapshot(archive) == before
    assert (bag / JOURNAL).is_file()


def test_repair_never_reads_the_workbooks_and_refuses_what_no_copy_matches(archive):
    bag = archive / BAG
    (bag / "uchet-tags.json").unlink()
    remove_row(bag / DOCUMENTS)  # the copy is gone too: no source of the right bytes is left
    report = repair_archive(archive)
    assert report.restored == []
    assert {(d.bag, d.file) for d in report.left} >= {(BAG, DOCUMENTS)}
    assert any("резервной копии" in line for line in report.lines())


def test_lost_tag_manifest_is_written_again_only_from_a_consistent_bag(archive):
    bag = archive / BAG
    manifest = (bag / "tagmanifest-sha256.txt").read_bytes()
    (bag / "tagmanifest-sha256.txt").unlink()
    assert repair_archive(archive).restored == [f"{BAG}/tagmanifest-sha256.txt"]
    assert (bag / "tagmanifest-sha256.txt").read_bytes() == manifest
    (bag / "tagmanifest-sha256.txt").unlink()
    mark_destroyed(bag / DOCUMENTS)  # and the list disagrees with the payload manifest
    assert repair_archive(archive).restored == []


def test_damaged_payload_file_is_named_and_left_to_the_backup(archive, tmp_path):
    journal = archive / BAG / JOURNAL
    journal.write_bytes(b"edited by hand")
    with pytest.raises(UchetError) as err:
        file_(tmp_path, CHANGE)
    assert JOURNAL in err.value.message and "резервной копии" in err.value.message
    assert journal.read_bytes() == b"edited by hand"
    assert [d.file for d in repair_archive(archive).left] == [JOURNAL]


def test_foreign_files_are_kept_and_reported_by_build_and_verify(archive, tmp_path):
    bag = archive / BAG
    (bag / "data/Скан протокола.pdf").write_bytes(b"%PDF scan of the signed protocol")
    (bag / "заметка.txt").write_bytes(b"staff note")
    before = snapshot(archive)
    report = file_(tmp_path, CHANGE)  # rewrites the bag with a version 2
    assert [d.version for d in report.new_versions] == [2]
    after = snapshot(archive)
    assert_kept(before, after)
    assert {f"{BAG}/data/Скан протокола.pdf", f"{BAG}/заметка.txt"} <= set(report.foreign)
    assert any("чужой файл" in line and "Скан протокола" in line for line, loud in report.lines() if loud)
    extra = {p for p, _ in verify_archive(archive).extra}
    assert extra == {f"{BAG}/data/Скан протокола.pdf", f"{BAG}/заметка.txt"}
    result = CliRunner().invoke(main, ["verify", "--output", str(archive.parent)])
    assert result.exit_code == 1 and "сохраняет и не удаляет" in result.output


def test_a_file_staff_put_under_the_next_versions_name_is_never_replaced(archive, tmp_path):
    bag = archive / BAG
    (bag / JOURNAL_V2).write_bytes(b"staff copy under the name version 2 would take")
    before = snapshot(archive)
    report = file_(tmp_path, CHANGE)
    [v2] = report.new_versions
    assert v2.path != f"{BAG}/{JOURNAL_V2}"
    assert_kept(before, snapshot(archive))
    assert (archive / v2.path).read_bytes() == CHANGE["ПК-2024-01/journal"]
    assert {r.file for r in read_documents(bag) if r.version == 2} == {v2.path[len(BAG) + 1:]}


def test_when_both_names_a_version_could_take_hold_staff_files_filing_stops_and_writes_nothing(archive, tmp_path):
    """The next version's name and its tagged name both hold files staff put there: no name is left that
    replaces nothing, so the run stops, names the folder and the name, says nothing was written and that
    «uchet verify» shows what is in the folder."""
    bag = archive / BAG
    tagged = unique_payload_name("Журнал учета занятий ПК-2024-01.docx", 2, "ПК-2024-01/journal",
                                 {JOURNAL_V2[len("data/"):].casefold()})
    (bag / JOURNAL_V2).write_bytes(b"staff copy under the name version 2 would take")
    (bag / "data" / tagged).write_bytes(b"staff copy under the tagged name")
    before = snapshot(archive)
    with pytest.raises(UchetError) as caught:
        file_(tmp_path, CHANGE)
    assert str(caught.value) == (f"Папка архива «{BAG}»: имя «{tagged}» уже занято. В архив ничего не записано; "
                                 "выполните «uchet verify».")
    assert snapshot(archive) == before


def test_repair_cli_restores_and_verifies(archive):
    excel_resave(archive / BAG / DOCUMENTS)
    result = CliRunner().invoke(main, ["verify", "--output", str(archive.parent)])
    assert result.exit_code == 1 and "uchet verify --repair" in result.output
    result = CliRunner().invoke(main, ["verify", "--repair", "--output", str(archive.parent)])
    assert result.exit_code == 0, result.output
    assert f"ВОССТАНОВЛЕН: {BAG}/{DOCUMENTS}" in result.output and "архив в порядке" in result.output


PROTOCOL_SCAN = "Протокол заседания аттестационной комиссии ПК-2024-01.pdf"


def file_with_scans(tmp_path: Path, overrides=None):
    ds = dataset()
    return archive_documents(ds, rendered(tmp_path / "build", ds, overrides), tmp_path / "archive", today=TODAY,
                             scans_dir=tmp_path / "input/scans")


def test_scan_of_a_signed_original_is_filed_next_to_its_document_and_in_the_manifest(archive, tmp_path):
    scans = tmp_path / "input/scans/ПК-2024-01"
    scans.mkdir(parents=True)
    (scans / PROTOCOL_SCAN).write_bytes(b"%PDF signed protocol")
    (scans / "Справка об обучении L1 стр. 2.jpg").write_bytes(b"JPEG page 2")
    (scans / "Справка об обучении L10.pdf").write_bytes(b"no such document")
    before = snapshot(archive)
    report = file_with_scans(tmp_path)
    bag = archive / BAG
    assert sorted(d.path for d in report.scans) == [f"{BAG}/data/{PROTOCOL_SCAN}",
                                                     f"{BAG}/data/Справка об обучении L1 стр. 2.jpg"]
    assert (bag / "data" / PROTOCOL_SCAN).read_bytes() == b"%PDF signed protocol"
    manifest = (bag / "manifest-sha256.txt").read_text(encoding="utf-8")
    assert f"data/{PROTOCOL_SCAN}" in manifest
    rows = {r.doc_id: r for r in read_documents(bag)}
    scan = rows[f"ПК-2024-01/protocol/скан/{PROTOCOL_SCAN}"]
    protocol = rows["ПК-2024-01/protocol"]
    # the scan is its document's signed paper: filed in the same case, kept as long, dated as it; its own
    # bytes and source; signed, and no correction of its own (a scan spends no «Основание исправления»)
    sha = hashlib.sha256(b"%PDF signed protocol").hexdigest()
    assert dataclasses.asdict(scan) == dataclasses.asdict(protocol) | dict(
        doc_id=f"ПК-2024-01/protocol/скан/{PROTOCOL_SCAN}", file=f"data/{PROTOCOL_SCAN}",
        title=f"Скан подписанного экземпляра: {protocol.title} (версия 1)", sha256=sha, inputs_hash="",
        sources=f"scans/ПК-2024-01/{PROTOCOL_SCAN}={sha}", signed="да")
    assert (protocol.correction, protocol.signed) == ("", "нет")
    assert scan.sources.startswith(f"scans/ПК-2024-01/{PROTOCOL_SCAN}=")
    assert [line for line in report.scans_not_filed if "L10" in line]
    assert verify_archive(archive).clean
    assert_kept(before, snapshot(archive))
    # unchanged scans are not filed again; a changed one becomes its version 2; a removed one stays
    assert file_with_scans(tmp_path).scans == []
    (scans / PROTOCOL_SCAN).write_bytes(b"%PDF signed protocol, better scan")
    (scans / "Справка об обучении L1 стр. 2.jpg").unlink()
    before = snapshot(archive)
    [v2] = file_with_scans(tmp_path).scans
    assert v2.version == 2 and v2.path.endswith("ПК-2024-01 (версия 2).pdf")
    assert_kept(before, snapshot(archive))
    assert verify_archive(archive).clean


def test_a_scan_never_replaces_a_file_staff_dropped_into_the_bag(archive, tmp_path):
    """No write may replace a file of the bag: a scan whose name a file staff dropped into data/ holds is filed
    under a name of its own, and the dropped file keeps its bytes."""
    bag = archive / BAG
    scans = tmp_path / "input/scans/ПК-2024-01"
    scans.mkdir(parents=True)
    (scans / PROTOCOL_SCAN).write_bytes(b"%PDF signed protocol")
    (bag / "data" / PROTOCOL_SCAN).write_bytes(b"dropped by hand")
    [scan] = file_with_scans(tmp_path).scans
    assert scan.path != f"{BAG}/data/{PROTOCOL_SCAN}"
    assert (archive / scan.path).read_bytes() == b"%PDF signed protocol"
    assert (bag / "data" / PROTOCOL_SCAN).read_bytes() == b"dropped by hand"


def test_scans_of_a_group_whose_number_is_no_folder_name_are_taken_from_the_folder_named_as_build_names_it(tmp_path):
    """A group number with «/» cannot name a folder: its scans lie in the folder named as output/build/ names
    the group («ПК_1»), are filed, and that folder is not told as a group not found."""
    odd = group("ПК/1", D(2024, 1, 10), D(2024, 2, 20))
    ds = dataset(odd)
    scans = tmp_path / "input/scans"
    (scans / safe_component("ПК/1")).mkdir(parents=True)
    (scans / safe_component("ПК/1") / "Протокол заседания аттестационной комиссии ПК_1.pdf").write_bytes(b"%PDF")
    docs = rendered(tmp_path / "build", ds)
    docs = [replace(d, spec=replace(d.spec, file_name=d.spec.file_name.replace("ПК/1", "ПК_1"))) for d in docs]
    report = archive_documents(ds, docs, tmp_path / "archive", today=TODAY, scans_dir=scans)
    assert [Path(d.path).name for d in report.scans] == ["Протокол заседания аттестационной комиссии ПК_1.pdf"]
    assert report.scans_not_filed == []


def test_scans_of_a_group_not_yet_filed_wait_and_a_symlinked_scan_is_refused(archive, tmp_path):
    waiting = tmp_path / "input/scans/ПК-2025-02"
    waiting.mkdir(parents=True)
    (waiting / "Журнал.pdf").write_bytes(b"%PDF")
    report = file_with_scans(tmp_path)
    assert report.scans == [] and report.scans_not_filed == [
        "scans/ПК-2025-02/ — группа не найдена или еще не завершена (сканы подошьются, когда группа попадет в архив)"]
    scans = tmp_path / "input/scans/ПК-2024-01"
    scans.mkdir()
    (scans / PROTOCOL_SCAN).symlink_to(tmp_path / "elsewhere.pdf")
    before = snapshot(archive)
    with pytest.raises(UchetError, match="symlink"):
        file_with_scans(tmp_path)
    assert snapshot(archive) == before


def test_a_document_list_written_before_first_date_and_entries_existed_is_read_whole(archive):
    """An archive filed by an earlier uchet keeps lists without the «first_date» and «entries» columns (the
    tag manifest vouches for those bytes): every record reads back as filed, the two new fields empty."""
    bag = archive / BAG
    filed = read_documents(bag)
    old = tuple(name for name in FIELDS if name not in ("first_date", "entries"))
    rows = [{k: v for k, v in dataclasses.asdict(r).items() if k in old} for r in filed]
    (bag / DOCUMENTS).write_bytes(csv_bytes(old, rows))
    assert read_documents(bag) == [dataclasses.replace(r, first_date="", entries="") for r in filed]
    assert [r.version for r in read_documents(bag)] == [r.version for r in filed]


FORMULA_LIKE = ("=HYPERLINK(\"http://x\")", "+7 (495) 000-00-00", "-1", "@SUM(A1)", "'в кавычках", "\tс табуляцией")


def test_text_that_excel_would_take_for_a_formula_is_read_back_exactly_as_filed(archive):
    """The lists guard titles and names against CSV injection with a leading «'» (pipeline.core.xlsx_safe); the
    archive's memory must give back the very text filed, never the guard, or a record would change in place."""
    bag = archive / BAG
    filed = read_documents(bag)
    assert len(filed) == len(FORMULA_LIKE) - 1  # a journal, an order, a protocol, two certificates
    records = [dataclasses.replace(r, title=FORMULA_LIKE[i], learner_name=FORMULA_LIKE[i + 1])
               for i, r in enumerate(filed)]
    (bag / DOCUMENTS).write_bytes(documents_bytes(records))
    assert read_documents(bag) == records
    assert b"'=HYPERLINK" in (bag / DOCUMENTS).read_bytes()  # and Excel shows it as text
    learners = [LearnerRow(f"L{i}", t, "", "ПК-2024-01") for i, t in enumerate(FORMULA_LIKE)]
    (bag / LEARNERS).write_bytes(learners_bytes(learners))
    assert read_learners(bag) == learners


TWO_GROUPS = ("ПК-2024-01", "ПК-2024-03")


def _two_groups(tmp_path: Path, overrides=None):
    ds = dataset(group("ПК-2024-01", D(2024, 3, 1), D(2024, 6, 30)), group("ПК-2024-03", D(2024, 4, 1), D(2024, 7, 31)))
    return archive_documents(ds, rendered(tmp_path / "build", ds, overrides), tmp_path / "archive", today=TODAY)


BOTH_CHANGED = {f"{g}/journal": f"PK journal of {g}, a lesson topic corrected".encode() for g in TWO_GROUPS}


def test_a_damaged_folder_stops_the_run_whatever_sound_folders_are_written_before_or_after_it(tmp_path):
    """docs/archive.md «Служебные файлы папок сверяются до записи»: every folder about to be written is checked
    first, and one damaged folder stops the whole run with nothing written — here the damaged ПК-2024-01 comes
    between the year folder, which files nothing this run, and ПК-2024-03, which is sound and files a version 2."""
    _two_groups(tmp_path)
    archive = tmp_path / "archive"
    excel_resave(archive / BAG / DOCUMENTS)
    before = snapshot(archive)
    with pytest.raises(UchetError) as err:
        _two_groups(tmp_path, BOTH_CHANGED)
    assert err.value.message.startswith("Архив поврежден (1 папка): в архив ничего не записано.\n"
                                        f"Папка архива «{BAG}»: файл «{DOCUMENTS}» — ")
    assert snapshot(archive) == before


def test_foreign_files_of_every_folder_written_are_reported(tmp_path):
    """docs/archive.md «Чужие файлы …»: `make` names a foreign file of each folder it files something into —
    of both groups written in one run, not only of the last."""
    _two_groups(tmp_path)
    archive = tmp_path / "archive"
    for number in TWO_GROUPS:
        (archive / "2024" / number / "заметка.txt").write_bytes(b"staff note")
    before = snapshot(archive)
    report = _two_groups(tmp_path, BOTH_CHANGED)
    assert sorted(report.foreign) == [f"2024/{g}/заметка.txt" for g in TWO_GROUPS]
    assert_kept(before, snapshot(archive))


def test_a_build_document_changed_after_it_was_rendered_is_not_filed(archive, tmp_path):
    """documents.csv records the SHA-256 of the document the build rendered; a build file changed after that
    (a tool writing into output/build/ while make runs) is never filed under it: the run stops, nothing written."""
    ds = dataset()
    docs = rendered(tmp_path / "build", ds, CHANGE)
    journal = next(d for d in docs if d.spec.doc_id == "ПК-2024-01/journal")
    Path(journal.path).write_bytes(b"PK journal overwritten after rendering")
    before = snapshot(archive)
    with pytest.raises(UchetError) as err:
        archive_documents(ds, docs, archive, today=TODAY)
    # the archive is sound: staff are told so and to run make again, not to restore anything from a backup
    assert err.value.message == (
        f"Файл «{journal.path}» изменился после того, как make его подготовил (контрольная сумма не совпадает). "
        "Архив не поврежден; папка, в которую он шел, не записана. Не меняйте файлы в output/build/ и "
        "input/scans/, пока идет make, и запустите make снова.")
    assert snapshot(archive) == before
    assert verify_archive(archive).clean


def test_a_filed_document_changed_on_disk_is_never_carried_into_a_new_manifest(archive, tmp_path, monkeypatch):
    """pipeline.archive.bag.write_bag: rebuilding a bag never launders a damaged or edited archived file into a
    fresh manifest — the rebuild checks each filed document against its recorded SHA-256 itself, even when the
    check of the whole folder before writing (here switched off) has not caught the damage."""
    monkeypatch.setattr("pipeline.archive.filing.bag_damage", lambda bag, root: [])
    (archive / BAG / JOURNAL).write_bytes(b"edited by hand")
    before = snapshot(archive)
    with pytest.raises(UchetError) as err:
        file_(tmp_path, CHANGE)
    assert err.value.message == (
        f"Файл «{archive / BAG / JOURNAL}» изменился (контрольная сумма не совпадает с записанной). "
        "Архив поврежден или файл правили вручную: выполните «uchet verify» и восстановите файл из копии.")
    assert snapshot(archive) == before


def test_when_both_names_a_scan_could_take_hold_staff_files_filing_stops_and_names_the_folder(archive, tmp_path):
    """As for a document's version: a scan whose name and tagged name both hold files staff dropped into the bag
    replaces neither; the run stops, names the folder and the name, and writes nothing."""
    bag = archive / BAG
    scans = tmp_path / "input/scans/ПК-2024-01"
    scans.mkdir(parents=True)
    (scans / PROTOCOL_SCAN).write_bytes(b"%PDF signed protocol")
    tagged = unique_payload_name(PROTOCOL_SCAN, 1, f"ПК-2024-01/protocol/скан/{PROTOCOL_SCAN}",
                                 {PROTOCOL_SCAN.casefold()})
    (bag / "data" / PROTOCOL_SCAN).write_bytes(b"dropped by hand")
    (bag / "data" / tagged).write_bytes(b"dropped by hand under the tagged name")
    before = snapshot(archive)
    with pytest.raises(UchetError) as caught:
        file_with_scans(tmp_path)
    assert str(caught.value) == (f"Папка архива «{BAG}»: имя «{tagged}» уже занято. В архив ничего не записано; "
                                 "выполните «uchet verify».")
    assert snapshot(archive) == before


# pipeline.archive.integrity: the check before writing names every file of a folder that differs from the folder's
# own manifests, and how — the module's rule: every tag file against tagmanifest-sha256.txt (which must list
# bagit.txt, bag-info.txt, manifest-sha256.txt and documents.csv), every payload file against manifest-sha256.txt,
# and the document list against the payload manifest.

TAG_CHANGED = "изменен после записи (контрольная сумма не совпадает; например, файл открыли в Excel и сохранили)"


def _rewrite_tag_manifest(bag: Path, drop: tuple[str, ...] = ()) -> None:
    """tagmanifest-sha256.txt as uchet writes it, listing every tag file of the bag as it is now, less `drop`."""
    names = (p.name for p in bag.iterdir() if p.is_file() and p.name != "tagmanifest-sha256.txt")
    tags = {name: hashlib.sha256((bag / name).read_bytes()).hexdigest() for name in names if name not in drop}
    (bag / "tagmanifest-sha256.txt").write_bytes(manifest_bytes(tags))


def test_every_tag_file_that_differs_from_the_tag_manifest_is_named_with_how(archive):
    bag = archive / BAG
    _rewrite_tag_manifest(bag, drop=("bagit.txt", DOCUMENTS))  # two required tag files no longer listed
    (bag / LEARNERS).unlink()  # listed, gone
    with open(bag / "bag-info.txt", "ab") as info:  # listed, changed
        info.write(b"Contact-Name: edited by hand\n")
    assert set(tag_damage(bag, BAG)) == {
        Damage(BAG, "bagit.txt", "не учтен в tagmanifest-sha256.txt"),
        Damage(BAG, DOCUMENTS, "не учтен в tagmanifest-sha256.txt"),
        Damage(BAG, LEARNERS, "указан в tagmanifest-sha256.txt, но файла нет (удален?)"),
        Damage(BAG, "bag-info.txt", TAG_CHANGED),
    }
    # Without the tag manifest nothing can be checked against it: that alone is told.
    (bag / "tagmanifest-sha256.txt").unlink()
    assert tag_damage(bag, BAG) == [Damage(BAG, "tagmanifest-sha256.txt", "нет файла tagmanifest-sha256.txt")]


def test_each_required_tag_file_missing_from_the_tag_manifest_is_named(archive):
    bag = archive / BAG
    for name in ("bagit.txt", "bag-info.txt", "manifest-sha256.txt", DOCUMENTS):
        _rewrite_tag_manifest(bag, drop=(name,))
        assert tag_damage(bag, BAG) == [Damage(BAG, name, "не учтен в tagmanifest-sha256.txt")], name
    _rewrite_tag_manifest(bag)  # every file listed again: a sound folder
    assert tag_damage(bag, BAG) == []


def test_every_payload_file_and_document_row_that_differs_from_the_manifest_is_named_with_how(archive):
    bag = archive / BAG
    rows = {r.doc_id: r for r in read_documents(bag)}
    journal, order = rows["ПК-2024-01/journal"], rows["ПК-2024-01/order_graduation"]
    protocol, cert = rows["ПК-2024-01/protocol"], rows["ПК-2024-01/study_certificate/L1"]
    (bag / journal.file).write_bytes(b"edited by hand")  # changed
    (bag / order.file).unlink()  # listed, gone
    (bag / "data" / "Скан.pdf").write_bytes(b"%PDF dropped in by staff")  # a foreign file is no damage
    extra = dataclasses.replace(journal, doc_id="ПК-2024-01/extra", file="data/Лишний.docx")
    edited = {protocol.doc_id: dataclasses.replace(protocol, sha256="0" * 64),
              cert.doc_id: dataclasses.replace(cert, status="уничтожен")}
    (bag / DOCUMENTS).write_bytes(documents_bytes([edited.get(r.doc_id, r) for r in rows.values()] + [extra]))
    assert set(payload_damage(bag, BAG)) == {
        Damage(BAG, journal.file, "контрольная сумма не совпадает с manifest-sha256.txt (файл изменен)"),
        Damage(BAG, order.file, "указан в manifest-sha256.txt, но файла нет"),
        Damage(BAG, protocol.file, "SHA-256 в documents.csv и в manifest-sha256.txt различаются"),
        Damage(BAG, cert.file, "есть в manifest-sha256.txt, но не числится в documents.csv как хранящийся"),
        Damage(BAG, "data/Лишний.docx", "числится в documents.csv, но не в manifest-sha256.txt"),
    }


def test_a_folder_whose_names_are_stored_decomposed_is_not_damaged(archive):
    """A folder copied through a file system or a BagIt tool that stores names decomposed (NFD: «й» as «и» and a
    breve, as macOS does) holds the same files under the same names: no damage."""
    bag = archive / BAG
    nfd = unicodedata.normalize("NFD", JOURNAL)
    assert nfd != JOURNAL
    os.rename(bag / JOURNAL, bag / nfd)
    assert bag_damage(bag, archive) == []
    manifest = read_manifest(bag / "manifest-sha256.txt")
    manifest[nfd] = manifest.pop(JOURNAL)
    (bag / "manifest-sha256.txt").write_bytes(manifest_bytes(manifest))
    _rewrite_tag_manifest(bag)
    assert bag_damage(bag, archive) == []
    decomposed = archive / unicodedata.normalize("NFD", BAG)
    os.rename(bag, decomposed)
    (decomposed / nfd).write_bytes(b"edited by hand")  # the folder is named as staff know it, composed
    assert bag_damage(decomposed, archive) == [
        Damage(BAG, JOURNAL, "контрольная сумма не совпадает с manifest-sha256.txt (файл изменен)")]


def test_a_folders_damage_names_its_tag_files_first_then_its_documents(archive):
    """integrity.bag_damage: tag files first, then the payload; every entry names the folder from the archive's root."""
    bag = archive / BAG
    (bag / JOURNAL).write_bytes(b"edited by hand")
    with open(bag / "bag-info.txt", "ab") as info:
        info.write(b"Contact-Name: edited by hand\n")
    damage = bag_damage(bag, archive)
    assert damage == [Damage(BAG, "bag-info.txt", TAG_CHANGED),
                      Damage(BAG, JOURNAL, "контрольная сумма не совпадает с manifest-sha256.txt (файл изменен)")]
    assert [d.payload for d in damage] == [False, True]


def _damage(bags: int, per_bag: int = 1, payload: bool = False) -> list[Damage]:
    return [Damage(f"2024/Г-{b + 1}", f"data/Документ {i + 1}.docx" if payload else f"файл-{i + 1}.txt", "изменен")
            for b in range(bags) for i in range(per_bag)]


def test_the_damage_message_counts_folders_in_words_that_agree_with_the_number():
    """Russian counts its nouns: 1, 21 папка; 2–4, 22 папки; 5–20, 25 папок."""
    heads = {n: integrity.damage_message(_damage(n)).split("\n")[0] for n in (1, 2, 4, 5, 11, 12, 14, 20, 21, 22, 25)}
    assert heads == {n: f"Архив поврежден ({n} {word}): в архив ничего не записано." for n, word in (
        (1, "папка"), (2, "папки"), (4, "папки"), (5, "папок"), (11, "папок"), (12, "папок"), (14, "папок"),
        (20, "папок"), (21, "папка"), (22, "папки"), (25, "папок"))}


def test_the_damage_message_names_the_first_twelve_files_counts_the_rest_and_says_how_to_restore():
    """integrity.damage_message: which folder, which file and how; past twelve files the rest only counted; the
    service files are repaired by «uchet verify --repair» from the folder itself, documents of data/ only from a
    backup (said only when one is damaged)."""
    tags_only = integrity.damage_message(_damage(1, per_bag=2))
    assert tags_only == (
        "Архив поврежден (1 папка): в архив ничего не записано.\n"
        "Папка архива «2024/Г-1»: файл «файл-1.txt» — изменен.\n"
        "Папка архива «2024/Г-1»: файл «файл-2.txt» — изменен.\n"
        "Не открывайте и не сохраняйте файлы папок архива в Excel. Служебные файлы папки можно восстановить командой "
        "«uchet verify --repair»: она берет их из самой папки (копия uchet-tags.json и манифесты), а не из рабочих "
        "книг, и сверяет с контрольными суммами. Затем выполните «uchet verify» и запустите make снова.")
    thirteen = _damage(1, per_bag=12) + _damage(1, per_bag=1, payload=True)  # the one document is the 13th
    lines = integrity.damage_message(thirteen).split("\n")
    assert lines[1:13] == [f"Папка архива «2024/Г-1»: файл «файл-{i}.txt» — изменен." for i in range(1, 13)]
    assert lines[13] == "… и еще расхождений: 1."
    assert lines[14].endswith(
        "сверяет с контрольными суммами. Измененные или пропавшие документы из data/ восстановите из резервной копии "
        "архива (имя и контрольная сумма — в manifest-sha256.txt). Затем выполните «uchet verify» и запустите make "
        "снова.")
    assert len(lines) == 15
    assert "… и еще" not in integrity.damage_message(_damage(1, per_bag=12))
    assert integrity.damage_message(thirteen, limit=13).split("\n")[13] == (
        "Папка архива «2024/Г-1»: файл «data/Документ 1.docx» — изменен.")
def test_repair_of_a_list_excel_saved_in_windows_1251_with_the_copy_lost_reports_in_russian(archive):
    # uchet-tags.json is made from the other tag files: with one of them damaged beyond repair (a row removed,
    # then saved by Excel in Windows-1251) the copy cannot be made again, and both are left to the backup
    bag = archive / BAG
    (bag / "uchet-tags.json").unlink()
    remove_row(bag / DOCUMENTS)
    excel_resave(bag / DOCUMENTS)
    damaged = (bag / DOCUMENTS).read_bytes()
    report = repair_archive(archive)
    assert report.restored == []
    # the two tag files alone: the damaged list is the cause, the documents it no longer lists are not named
    assert sorted((d.bag, d.file) for d in report.left) == [(BAG, DOCUMENTS), (BAG, "uchet-tags.json")]
    assert (bag / DOCUMENTS).read_bytes() == damaged and not (bag / "uchet-tags.json").exists()
    result = CliRunner().invoke(main, ["verify", "--repair", "--output", str(archive.parent)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)  # a report, not a traceback
    assert f"НЕ ВОССТАНОВЛЕН: {BAG}/{DOCUMENTS}" in result.output and "резервной копии" in result.output


def test_a_document_list_emptied_with_its_copy_lost_is_the_one_cause_not_every_sound_document(archive):
    """documents.csv cut to its header (rows deleted by hand) and uchet-tags.json deleted: the list cannot come back
    from the folder. The damaged list is what staff must take from the backup; the documents, each as its manifest
    says, are not named — compared with an emptied list, every one of them would be sent to the backup too."""
    bag = archive / BAG
    header = (bag / DOCUMENTS).read_bytes().splitlines(keepends=True)[0]
    (bag / DOCUMENTS).write_bytes(header)
    (bag / "uchet-tags.json").unlink()
    expected = [Damage(BAG, DOCUMENTS, TAG_CHANGED),
                Damage(BAG, "uchet-tags.json", "указан в tagmanifest-sha256.txt, но файла нет (удален?)")]
    assert sorted(bag_damage(bag, archive), key=lambda d: d.file) == expected
    assert {d.detail for d in payload_damage(bag, BAG)} == {
        "есть в manifest-sha256.txt, но не числится в documents.csv как хранящийся"}  # the list itself still differs
    report = repair_archive(archive)
    assert report.restored == [] and sorted(report.left, key=lambda d: d.file) == expected
    found = verify_archive(archive)
    assert found.changed == [(f"{BAG}/{DOCUMENTS}", "контрольная сумма SHA-256 не совпадает с манифестом")]
    assert found.missing == [(f"{BAG}/uchet-tags.json", "указан в манифесте, но файла нет")] and found.extra == []


def test_a_document_list_edited_with_its_tag_manifest_made_to_match_is_still_held_to_the_payload_manifest(archive):
    """documents.csv edited and the tag manifest rewritten to match it (by a tool, or to hide the edit): the list
    itself is then not «changed», and each of its rows is still compared with manifest-sha256.txt — beside a
    document whose own bytes changed."""
    bag = archive / BAG
    rows = {r.doc_id: r for r in read_documents(bag)}
    journal, order = rows["ПК-2024-01/journal"], rows["ПК-2024-01/order_graduation"]
    protocol, cert = rows["ПК-2024-01/protocol"], rows["ПК-2024-01/study_certificate/L1"]
    extra = dataclasses.replace(journal, doc_id="ПК-2024-01/extra", file="data/Лишний.docx")
    edited = {protocol.doc_id: dataclasses.replace(protocol, sha256="0" * 64),
              cert.doc_id: dataclasses.replace(cert, status="уничтожен")}
    (bag / DOCUMENTS).write_bytes(documents_bytes([edited.get(r.doc_id, r) for r in rows.values()] + [extra]))
    (bag / order.file).write_bytes(b"edited by hand")
    _rewrite_tag_manifest(bag)
    found = verify_archive(archive)
    assert sorted(found.changed) == sorted([
        (f"{BAG}/{order.file}", "контрольная сумма SHA-256 не совпадает с манифестом"),
        (f"{BAG}/{protocol.file}", "SHA-256 в documents.csv и в manifest-sha256.txt различаются")])
    assert sorted(found.missing) == [
        (f"{BAG}/data/Лишний.docx", "числится в documents.csv, но не в манифесте"),
        ("disposal_register.csv", f"{BAG}/{cert.file} отмечен уничтоженным (без акта), но в реестре уничтожения записи нет")]
    assert found.extra == [(f"{BAG}/{cert.file}", "в манифесте, но не числится в documents.csv как хранящийся")]


def test_a_payload_manifest_emptied_with_its_tag_manifest_made_to_match_names_every_document_the_list_keeps(archive):
    bag = archive / BAG
    kept = sorted(r.file for r in read_documents(bag) if r.kept)
    (bag / "manifest-sha256.txt").write_bytes(b"")
    _rewrite_tag_manifest(bag)
    found = verify_archive(archive)
    assert found.missing == [(f"{BAG}/{name}", "числится в documents.csv, но не в манифесте") for name in kept]
    assert len(kept) == 5


def test_a_file_left_at_the_top_of_the_archive_is_named(archive):
    (archive / "заметка.txt").write_text("оставлено", encoding="utf-8")
    found = verify_archive(archive)
    assert found.extra == [("заметка.txt", "файл вне папок архива")] and not found.clean


def test_a_damaged_tag_file_other_than_the_list_leaves_the_list_compared_with_the_manifest(archive):
    """Only a changed or lost documents.csv stops its rows being compared: with bag-info.txt edited, a row the
    tag manifest was made to match is still held to manifest-sha256.txt."""
    bag = archive / BAG
    rows = {r.doc_id: r for r in read_documents(bag)}
    cert = rows["ПК-2024-01/study_certificate/L1"]
    edited = dataclasses.replace(cert, sha256="0" * 64)
    (bag / DOCUMENTS).write_bytes(documents_bytes([edited if r.doc_id == cert.doc_id else r for r in rows.values()]))
    _rewrite_tag_manifest(bag)
    with open(bag / "bag-info.txt", "ab") as info:
        info.write(b"Contact-Name: edited by hand\n")
    assert bag_damage(bag, archive) == [Damage(BAG, "bag-info.txt", TAG_CHANGED),
                                        Damage(BAG, cert.file, "SHA-256 в documents.csv и в manifest-sha256.txt различаются")]
