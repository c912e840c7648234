"""`uchet verify`: a flipped byte, a deleted file, an extra file, an edited tag file; OS junk apart."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from archive_fixture import dataset, rendered
from click.testing import CliRunner

from pipeline.archive.filing import archive_documents
from pipeline.archive.verify import (
    BAGIT_TXT_UNREADABLE,
    FOREIGN,
    FOREIGN_IN_YEAR,
    NO_DATA_DIR,
    NOT_BAGIT,
    verify_archive,
)
from pipeline.cli import main

BAG = "2024/ПК-2024-01"
JOURNAL = f"{BAG}/data/Журнал учета занятий ПК-2024-01.docx"


@pytest.fixture
def archive(tmp_path):
    ds = dataset()
    archive_documents(ds, rendered(tmp_path / "build", ds), tmp_path / "output/archive", today=dt.date(2026, 3, 1))
    return tmp_path / "output/archive"


def verify_cli(archive):
    return CliRunner().invoke(main, ["verify", "--output", str(archive.parent)])


def test_clean_archive_verifies_with_exit_0(archive):
    report = verify_archive(archive)
    assert report.clean and report.bags == 3 and report.files == 3 * 6 + 5 + 1 + 1  # uchet-tags.json is one more tag file per bag
    result = verify_cli(archive)
    assert result.exit_code == 0 and "архив в порядке" in result.output


def test_flipped_byte_is_a_changed_file(archive):
    path = archive / JOURNAL
    data = bytearray(path.read_bytes())
    data[3] ^= 0x01
    path.write_bytes(bytes(data))
    report = verify_archive(archive)
    assert report.changed == [(JOURNAL, "контрольная сумма SHA-256 не совпадает с манифестом")]
    assert not report.missing and not report.extra
    result = verify_cli(archive)
    assert result.exit_code == 1 and f"ИЗМЕНЕН: {JOURNAL}" in result.output


def test_deleted_file_is_missing(archive):
    (archive / JOURNAL).unlink()
    report = verify_archive(archive)
    assert (JOURNAL, "указан в манифесте, но файла нет") in report.missing
    assert not report.changed and verify_cli(archive).exit_code == 1


def test_extra_file_in_a_bag_and_outside_the_bags(archive):
    (archive / BAG / "data/подложенный.docx").write_bytes(b"x")
    (archive / "2024/заметки.txt").write_text("x")
    report = verify_archive(archive)
    assert report.extra == [(f"{BAG}/data/подложенный.docx", FOREIGN.format(scans="input/scans/ПК-2024-01/")),
                            ("2024/заметки.txt", "файл вне папок архива")]
    assert not report.changed and not report.missing  # the bag is as its manifests say, but for the extra file
    assert report.files == 3 * 6 + 5 + 1 + 1
    assert verify_cli(archive).exit_code == 1


def test_edited_tag_file_is_caught_by_the_tag_manifest(archive):
    info = archive / BAG / "bag-info.txt"
    info.write_text(info.read_text(encoding="utf-8").replace("ПК-2024-01", "ПК-2024-99"), encoding="utf-8")
    csv = archive / BAG / "documents.csv"
    csv.write_bytes(csv.read_bytes().replace(b"2030-01-01", b"2029-01-01"))
    report = verify_archive(archive)
    assert {p for p, _ in report.changed} == {f"{BAG}/bag-info.txt", f"{BAG}/documents.csv"}


def test_deleted_tag_manifest_is_reported(archive):
    (archive / BAG / "tagmanifest-sha256.txt").unlink()
    report = verify_archive(archive)
    assert (f"{BAG}/tagmanifest-sha256.txt", "обязательный файл BagIt отсутствует") in report.missing
    assert not report.clean


def test_os_junk_is_reported_apart_and_is_not_a_discrepancy(archive):
    for rel in (f"{BAG}/data/Thumbs.db", f"{BAG}/desktop.ini", "2024/.DS_Store", f"{BAG}/data/._Журнал.docx"):
        (archive / rel).write_bytes(b"junk")
    report = verify_archive(archive)
    assert report.clean
    assert sorted(report.junk) == sorted([f"{BAG}/data/Thumbs.db", f"{BAG}/desktop.ini", "2024/.DS_Store",
                                          f"{BAG}/data/._Журнал.docx"])
    result = verify_cli(archive)
    assert result.exit_code == 0 and "Служебный файл системы" in result.output


def test_nfd_file_names_verify_the_same(tmp_path):
    # a folder copied through macOS comes back with decomposed names («й» as «и» + breve)
    import unicodedata

    from archive_fixture import replace

    ds = dataset()
    docs = rendered(tmp_path / "build", ds)
    name = "Книга учёта выданных удостоверений (й).docx"
    docs = [replace(d, spec=replace(d.spec, file_name=name)) if d.carrier.key == "issue_register" else d for d in docs]
    archive = tmp_path / "archive"
    archive_documents(ds, docs, archive, today=dt.date(2026, 3, 1))
    path = archive / "2024/_год/data" / name
    assert path.is_file()
    nfd = unicodedata.normalize("NFD", name)
    assert nfd != name
    path.rename(path.with_name(nfd))
    report = verify_archive(archive)
    assert report.clean and report.files == 3 * 6 + 5 + 1 + 1  # uchet-tags.json is one more tag file per bag


def test_every_damage_of_one_bag_is_named_not_only_the_first_kind(archive):
    # bagit stops at its first failing step (Payload-Oxum, completeness, checksums); verify names all
    bag = archive / BAG
    payload = sorted(p for p in (bag / "data").iterdir() if p.name != JOURNAL.rsplit("/", 1)[1])
    gone, flipped = payload[0], payload[1]
    gone.unlink()
    flipped.write_bytes(flipped.read_bytes()[:-1] + b"\0")
    (bag / "data/Thumbs.db").write_bytes(b"junk")
    (bag / "data/подложенный.docx").write_bytes(b"x")
    report = verify_archive(archive)
    rel = lambda p: f"{BAG}/data/{p.name}"  # noqa: E731
    assert (rel(gone), "указан в манифесте, но файла нет") in report.missing
    assert report.changed == [(rel(flipped), "контрольная сумма SHA-256 не совпадает с манифестом")]
    assert report.extra == [(f"{BAG}/data/подложенный.docx", FOREIGN.format(scans="input/scans/ПК-2024-01/"))]
    assert report.junk == [f"{BAG}/data/Thumbs.db"]


def test_os_junk_does_not_stop_the_checksums(archive):
    (archive / BAG / "data/Thumbs.db").write_bytes(b"junk")
    path = archive / JOURNAL
    path.write_bytes(path.read_bytes()[:-1] + b"\0")
    report = verify_archive(archive)
    assert report.changed == [(JOURNAL, "контрольная сумма SHA-256 не совпадает с манифестом")]
    assert report.junk == [f"{BAG}/data/Thumbs.db"] and not report.extra


def test_a_bag_without_bagit_txt_is_still_checked_file_by_file(archive):
    (archive / BAG / "bagit.txt").unlink()
    path = archive / JOURNAL
    path.write_bytes(path.read_bytes()[:-1] + b"\0")
    report = verify_archive(archive)
    assert (f"{BAG}/bagit.txt", "обязательный файл BagIt отсутствует") in report.missing
    assert report.changed == [(JOURNAL, "контрольная сумма SHA-256 не совпадает с манифестом")]


def test_a_version_listed_twice_is_caught_even_with_the_tag_manifest_made_to_agree(archive):
    # what only the archive knows: documents.csv, beyond its checksum, must list each version once
    import hashlib

    bag = archive / BAG
    csv = bag / "documents.csv"
    lines = csv.read_bytes().splitlines(keepends=True)
    csv.write_bytes(b"".join([*lines, lines[1]]))
    tags = bag / "tagmanifest-sha256.txt"
    digest = hashlib.sha256(csv.read_bytes()).hexdigest()
    tags.write_text("".join(f"{digest}  documents.csv\n" if line.endswith("  documents.csv") else f"{line}\n"
                            for line in tags.read_text(encoding="utf-8").splitlines()), encoding="utf-8")
    report = verify_archive(archive)
    assert [p for p, d in report.changed] == [f"{BAG}/documents.csv"]
    assert "записана дважды" in report.changed[0][1]


def test_a_lost_payload_manifest_is_told_once_as_the_root_cause(archive):
    (archive / BAG / "manifest-sha256.txt").unlink()
    report = verify_archive(archive)
    assert report.missing == [(f"{BAG}/manifest-sha256.txt", "обязательный файл BagIt отсутствует")]
    assert not report.extra and not report.changed  # its documents are not foreign files


CHANGED = "контрольная сумма SHA-256 не совпадает с манифестом"


def flip_journal(archive):
    path = archive / JOURNAL
    path.write_bytes(path.read_bytes()[:-1] + b"\0")


def test_a_byte_order_mark_in_bagit_txt_never_hides_a_changed_document(archive):
    # Notepad and Excel save UTF-8 with a byte-order mark; BagIt forbids one in bagit.txt (RFC 8493 §2.1.1) and
    # bagit refuses the whole bag for it before any checksum. The mark changes bagit.txt's bytes, so the tag
    # manifest names that file, once, with the cause; the changed document is named as in any other bag.
    bagit_txt = archive / BAG / "bagit.txt"
    bagit_txt.write_bytes(b"\xef\xbb\xbf" + bagit_txt.read_bytes())
    flip_journal(archive)
    report = verify_archive(archive)
    assert sorted(report.changed) == sorted([
        (JOURNAL, CHANGED),
        (f"{BAG}/bagit.txt", f"{CHANGED}: файл сохранен с меткой порядка байтов (BOM) в начале, как его сохраняют "
                             "Блокнот и Excel, а BagIt ее не допускает. Выполните «uchet verify --repair»: файл "
                             "будет взят из копии в папке")])
    assert not report.missing and not report.extra
    assert report.files == 3 * 6 + 5 + 1 + 1  # every file of every bag hashed

    # and --repair takes bagit.txt back from the bag's copy; the document is left to the backup
    result = CliRunner().invoke(main, ["verify", "--repair", "--output", str(archive.parent)])
    assert f"ВОССТАНОВЛЕН: {BAG}/bagit.txt" in result.output
    assert verify_archive(archive).changed == [(JOURNAL, CHANGED)]


@pytest.mark.parametrize("fetch", [
    "file-server/Журнал.docx 1024 data/Журнал.docx\n",  # no URL scheme: bagit refuses the bag
    "data/Журнал.docx\n",  # a line without its URL and size: bagit cannot split it
], ids=["no_url_scheme", "no_url"])
def test_a_fetch_txt_never_hides_a_changed_document(archive, fetch):
    # uchet never writes fetch.txt (every file of the archive is in its folder): one in a bag is a file no
    # manifest lists. Whatever it holds, the bag's documents are still checked.
    (archive / BAG / "fetch.txt").write_text(fetch, encoding="utf-8")
    flip_journal(archive)
    report = verify_archive(archive)
    assert report.changed == [(JOURNAL, CHANGED)]
    assert [p for p, _ in report.extra] == [f"{BAG}/fetch.txt"] and not report.missing


def test_a_lost_payload_manifest_never_hides_an_edited_tag_file(archive):
    # bagit refuses a bag without a payload manifest before any checksum; the tag manifest still holds the rest
    (archive / BAG / "manifest-sha256.txt").unlink()
    info = archive / BAG / "bag-info.txt"
    info.write_text(info.read_text(encoding="utf-8").replace("ПК-2024-01", "ПК-2024-99"), encoding="utf-8")
    report = verify_archive(archive)
    assert report.missing == [(f"{BAG}/manifest-sha256.txt", "обязательный файл BagIt отсутствует")]
    assert report.changed == [(f"{BAG}/bag-info.txt", CHANGED)] and not report.extra


UNTAGGED = ("не учтен в tagmanifest-sha256.txt: из списка контрольных сумм служебных файлов удалили его строку, и "
            "изменения файла больше не видны. Возьмите tagmanifest-sha256.txt из резервной копии архива")


@pytest.mark.parametrize("name", ["bag-info.txt", "documents.csv", "learners.csv", "uchet-tags.json"])
def test_a_tag_file_of_uchet_missing_from_the_tag_manifest_is_told_once_as_untagged(archive, name):
    # the root cause is the tag manifest's lost line: the file is uchet's own, never a scan staff put there
    tags = archive / BAG / "tagmanifest-sha256.txt"
    tags.write_text("".join(f"{line}\n" for line in tags.read_text(encoding="utf-8").splitlines()
                            if not line.endswith(f"  {name}")), encoding="utf-8")
    report = verify_archive(archive)
    assert report.changed == [(f"{BAG}/{name}", UNTAGGED)]
    assert not report.extra and not report.missing


SCAN = "Протокол заседания аттестационной комиссии ПК-2024-01 скан.pdf"


def test_a_scan_dropped_into_a_bag_is_told_the_group_folder_of_input_scans_that_files_it(archive, tmp_path):
    # scans.py: a scan lies in input/scans/<группа>/, named like its document; following the advice files it
    (archive / BAG / "data" / SCAN).write_bytes(b"%PDF scan of the signed protocol")
    report = verify_archive(archive)
    assert report.extra == [(f"{BAG}/data/{SCAN}", FOREIGN.format(scans="input/scans/ПК-2024-01/"))]
    assert "перенесите его в input/scans/ПК-2024-01/ и назовите так же, как документ" in report.extra[0][1]
    scans = tmp_path / "input/scans/ПК-2024-01"
    scans.mkdir(parents=True)
    (archive / BAG / "data" / SCAN).rename(scans / SCAN)
    ds = dataset()
    archive_documents(ds, rendered(tmp_path / "build", ds), archive, today=dt.date(2026, 3, 1),
                      scans_dir=tmp_path / "input/scans")
    report = verify_archive(archive)
    assert report.clean and not report.extra
    assert (archive / BAG / "data" / SCAN).read_bytes() == b"%PDF scan of the signed protocol"


def test_a_file_dropped_into_the_year_folder_is_not_sent_to_input_scans(archive):
    # scans are filed only into a group's folder (filing._plan_scans): the year folder's advice says so
    (archive / "2024/_год/data/заметка.pdf").write_bytes(b"x")
    report = verify_archive(archive)
    assert report.extra == [("2024/_год/data/заметка.pdf", FOREIGN_IN_YEAR)]
    assert "input/scans/<номер группы>/" in FOREIGN_IN_YEAR and "перенесите файл из архива" in FOREIGN_IN_YEAR


ALL_FILES = 3 * 6 + 5 + 1 + 1  # every file of the three bags, tag files and the copy included


def test_the_last_line_counts_what_was_checked_and_gives_the_verdict(archive):
    assert verify_archive(archive).lines() == [f"Проверено папок: 3, файлов: {ALL_FILES} — архив в порядке."]
    flip_journal(archive)
    assert verify_archive(archive).lines() == [
        f"ИЗМЕНЕН: {JOURNAL} — {CHANGED}",
        f"Проверено папок: 3, файлов: {ALL_FILES} — НАЙДЕНЫ РАСХОЖДЕНИЯ."]


def test_a_garbled_bagit_txt_is_told_once_and_every_file_is_still_hashed(archive):
    # bagit cannot open a bag whose bagit.txt lost its lines (a file overwritten); verify hashes each file itself
    (archive / BAG / "bagit.txt").write_text("сохранено поверх\n", encoding="utf-8")
    flip_journal(archive)
    report = verify_archive(archive)
    [(path, detail), journal] = report.changed  # the cause first
    assert (path, detail) == (f"{BAG}/bagit.txt", BAGIT_TXT_UNREADABLE)
    assert journal == (JOURNAL, CHANGED)
    assert report.files == ALL_FILES and not report.missing and not report.extra
    CliRunner().invoke(main, ["verify", "--repair", "--output", str(archive.parent)])
    assert verify_archive(archive).changed == [(JOURNAL, CHANGED)]  # bagit.txt taken back from the bag's copy


def test_a_bag_without_bagit_txt_names_every_other_file_missing_or_changed(archive):
    (archive / BAG / "bagit.txt").unlink()
    gone = sorted((archive / BAG / "data").iterdir())[0]
    gone.unlink()
    report = verify_archive(archive)
    assert sorted(report.missing) == sorted([(f"{BAG}/bagit.txt", "обязательный файл BagIt отсутствует"),
                                             (f"{BAG}/data/{gone.name}", "указан в манифесте, но файла нет")])
    assert report.files == ALL_FILES - 2


def test_a_byte_order_mark_is_named_in_a_bag_bagit_refuses_for_another_reason_too(archive):
    # the payload manifest lost: bagit refuses the bag, and bagit.txt's mark is still told as its cause
    bagit_txt = archive / BAG / "bagit.txt"
    bagit_txt.write_bytes(b"\xef\xbb\xbf" + bagit_txt.read_bytes())
    (archive / BAG / "manifest-sha256.txt").unlink()
    report = verify_archive(archive)
    assert report.missing == [(f"{BAG}/manifest-sha256.txt", "обязательный файл BagIt отсутствует")]
    [(path, detail)] = report.changed
    assert path == f"{BAG}/bagit.txt" and "меткой порядка байтов (BOM)" in detail


def test_a_document_of_another_size_is_told_once_not_again_as_the_payload_oxum_of_bag_info(archive):
    # Payload-Oxum (bytes and files in data/) no longer matches because the document changed: bag-info.txt is
    # intact, and the one cause is the document
    (archive / JOURNAL).write_bytes(b"edited by hand")
    assert verify_archive(archive).lines() == [
        f"ИЗМЕНЕН: {JOURNAL} — {CHANGED}", f"Проверено папок: 3, файлов: {ALL_FILES} — НАЙДЕНЫ РАСХОЖДЕНИЯ."]


def test_a_payload_oxum_edited_in_an_untagged_bag_info_is_told(archive):
    # the tag manifest lost bag-info.txt's line, so only the Payload-Oxum tells the edit
    info = archive / BAG / "bag-info.txt"
    info.write_text(re.sub(r"Payload-Oxum: \d+", "Payload-Oxum: 1", info.read_text(encoding="utf-8")), encoding="utf-8")
    tags = archive / BAG / "tagmanifest-sha256.txt"
    tags.write_text("".join(f"{line}\n" for line in tags.read_text(encoding="utf-8").splitlines()
                            if not line.endswith("  bag-info.txt")), encoding="utf-8")
    assert verify_archive(archive).changed == [
        (f"{BAG}/bag-info.txt", "Payload-Oxum (число и объем файлов в data/) не совпадает с содержимым"),
        (f"{BAG}/bag-info.txt", UNTAGGED)]


def test_a_lost_payload_manifest_still_names_a_foreign_file_beside_the_documents(archive):
    # the documents are not foreign when their list is lost, but a staff note beside data/ still is
    (archive / BAG / "manifest-sha256.txt").unlink()
    (archive / BAG / "заметка.txt").write_bytes(b"staff note")
    report = verify_archive(archive)
    assert report.extra == [(f"{BAG}/заметка.txt", FOREIGN.format(scans="input/scans/ПК-2024-01/"))]


@pytest.mark.parametrize("detail", [BAGIT_TXT_UNREADABLE, NO_DATA_DIR, NOT_BAGIT])
def test_a_bag_bagit_refuses_is_told_in_russian_without_bagits_english_reason_or_a_full_path(detail):
    # bagit's reasons («Expected data directory /home/… does not exist») are English and hold the machine's path
    rest = detail.replace("BagIt", "").replace("uchet verify --repair", "").replace("data/", "")
    assert not re.search("[A-Za-z]", rest) and "/" not in rest


def test_a_manifest_line_out_of_the_bag_blames_the_manifest_not_an_intact_bagit_txt(archive):
    """A manifest line bagit refuses to follow («../outside.txt») stops bagit before it reads the bag: the
    manifest is what changed, bagit.txt is intact and is not named; nothing outside the bag is read."""
    (archive.parent / "outside.txt").write_text("не из архива", encoding="utf-8")
    manifest = archive / BAG / "manifest-sha256.txt"
    manifest.write_bytes(manifest.read_bytes() + b"0" * 64 + b"  ../../../outside.txt\n")
    flip_journal(archive)
    report = verify_archive(archive)
    assert sorted(report.changed) == sorted([(f"{BAG}/manifest-sha256.txt", CHANGED), (JOURNAL, CHANGED)])
    assert report.missing == [(f"{BAG}/../../../outside.txt", "указан в манифесте, но файла нет")]
    CliRunner().invoke(main, ["verify", "--repair", "--output", str(archive.parent)])
    after = verify_archive(archive)
    assert (after.changed, after.missing) == ([(JOURNAL, CHANGED)], [])  # the manifest back from the folder's copy


def test_a_bag_without_its_data_folder_and_with_an_empty_manifest_says_the_folder_is_gone(archive):
    bag = archive / BAG
    for document in (bag / "data").iterdir():
        document.unlink()
    (bag / "data").rmdir()
    (bag / "manifest-sha256.txt").write_bytes(b"")
    report = verify_archive(archive)
    assert (BAG, NO_DATA_DIR) in report.changed
    assert (f"{BAG}/manifest-sha256.txt", CHANGED) in report.changed
