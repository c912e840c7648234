"""The archive's write path at scale (issue 18): an edit writes only what it changed; durability per batch.

- An edit of one group's document rebuilds only that group's bag and only its year's index and labels:
  every other file of the archive keeps its inode and its mtime (it is not even looked at), and the
  bag's documents filed before are carried into the rebuilt bag as the same files (hard links inside
  the archive), not copies.
- A document is copied into the archive, never shared with output/build/: a tool that writes a build
  document in place cannot change a filed record.
- A large batch of bags is made durable by one os.sync before the swaps and one after, not by an fsync
  per file; a small one (a one-group edit) by an fsync per file, which waits for no other program's
  writes. A fault while a batch is staged drops the staged bags whole and keeps the ones swapped in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import unicodedata
from pathlib import Path

import bagit
import pytest
from archive_fixture import dataset, rendered

from pipeline.archive import bag as bag_module
from pipeline.archive.bag import bag_writer, manifest_bytes, place_file, read_manifest
from pipeline.archive.filing import archive_documents
from pipeline.archive.memos import archive_memos
from pipeline.archive.verify import verify_archive
from pipeline.cache import BuildCache
from pipeline.core.errors import UchetError

TODAY = dt.date(2026, 3, 1)  # as tests/test_archive.py: ПК-2024-01 filed in 2024, 2025's year book closed
GROUP_BAG = "2024/ПК-2024-01"


def state(root: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file under root: (inode, mtime, bytes)."""
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            stat = path.stat()
            out[path.relative_to(root).as_posix()] = (stat.st_ino, stat.st_mtime_ns, path.read_bytes())
    return out


def file_all(tmp_path: Path, overrides: dict[str, bytes] | None = None):
    ds = dataset()
    return archive_documents(ds, rendered(tmp_path / "build", ds, overrides), tmp_path / "archive", today=TODAY)


def test_an_edit_of_one_group_rewrites_only_its_bag_and_its_years_index_and_labels(tmp_path):
    assert file_all(tmp_path).ok
    root = tmp_path / "archive"
    before = state(root)
    report = file_all(tmp_path, {"ПК-2024-01/journal": b"PK journal, a lesson topic corrected"})
    assert [d.path.rpartition("/")[0] for d in report.new_versions] == [f"{GROUP_BAG}/data"]
    after = state(root)
    changed = sorted(name for name in after if after.get(name) != before.get(name))
    # The group's bag (its new version and its tag files) and 2024's index and labels; nothing else.
    assert changed and all(name.startswith(f"{GROUP_BAG}/") or name in ("index-2024.xlsx", "labels-2024.docx")
                           for name in changed), changed
    assert "index-2024.xlsx" in changed
    untouched = [name for name in before if not name.startswith(("2024/", "index-2024", "labels-2024"))]
    assert "index-2025.xlsx" in untouched and "labels-2025.docx" in untouched
    assert all(after[name] == before[name] for name in untouched)  # same inode, same mtime: not even utime'd
    # The documents filed before are the same files in the rebuilt bag: linked, not copied again.
    old_payload = [name for name in before if name.startswith(f"{GROUP_BAG}/data/")]
    assert old_payload and all(after[name] == before[name] for name in old_payload)
    assert len([n for n in after if n.startswith(f"{GROUP_BAG}/data/")]) == len(old_payload) + 1
    assert verify_archive(root).clean


def test_a_filed_document_is_a_copy_a_build_file_written_in_place_leaves_it_as_filed(tmp_path):
    ds = dataset()
    docs = rendered(tmp_path / "build", ds)
    assert archive_documents(ds, docs, tmp_path / "archive", today=TODAY).ok
    journal = next(d for d in docs if d.spec.doc_id == "ПК-2024-01/journal")
    filed = next(tmp_path.joinpath("archive", GROUP_BAG).glob("data/Журнал*"))
    assert os.stat(filed).st_ino != os.stat(journal.path).st_ino
    with open(journal.path, "r+b") as fh:  # a tool that writes the build document in place, not by rename
        fh.write(b"XX")
    assert filed.read_bytes() == f"PK fake docx {journal.spec.doc_id}".encode()
    assert verify_archive(tmp_path / "archive").clean


def test_place_file_hashes_what_it_copies(tmp_path):
    src = tmp_path / "a.docx"
    src.write_bytes(os.urandom(3 * (1 << 20) + 17))  # more than one read block
    digest = place_file(src, tmp_path / "b.docx", link=False)
    assert digest == hashlib.sha256(src.read_bytes()).hexdigest()
    assert (tmp_path / "b.docx").read_bytes() == src.read_bytes()


def _bag(root: Path, src: Path, name: str):
    return root / "2024" / name, {"Source-Organization": "ЧОУ ДПО"}, {"doc.docx": (src, None)}, {}


@pytest.mark.skipif(not hasattr(os, "sync"), reason="os.sync: the per-file fsync is used where there is none")
@pytest.mark.parametrize("large", [True, False], ids=["large-batch", "small-batch"])
def test_a_large_batch_costs_two_syncs_a_small_one_an_fsync_per_file(tmp_path, monkeypatch, large):
    calls = {"sync": 0, "fsync": 0}
    real_sync, real_fsync = os.sync, os.fsync
    monkeypatch.setattr(os, "sync", lambda: (calls.__setitem__("sync", calls["sync"] + 1), real_sync())[1])
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.__setitem__("fsync", calls["fsync"] + 1), real_fsync(fd))[1])
    if large:
        monkeypatch.setattr(bag_module, "SYNC_FROM", 10)  # five bags of eight files make a large batch
    src = tmp_path / "doc.docx"
    src.write_bytes(b"document")
    root = tmp_path / "archive"
    with bag_writer(root, batch=10) as write:
        for i in range(5):
            write(*_bag(root, src, f"group-{i}"))
        assert calls["sync"] == calls["fsync"] == 0 and not (root / "2024" / "group-0").exists()  # staged only
    bags = [root / "2024" / f"group-{i}" for i in range(5)]
    files = sum(1 for bag in bags for p in bag.rglob("*") if p.is_file())
    # Large: one sync before the swaps, one after. Small: every file, its bag's two folders, then the year folder.
    assert calls == ({"sync": 2, "fsync": 0} if large else {"sync": 0, "fsync": files + 2 * len(bags) + 1})
    for bag in bags:
        assert read_manifest(bag / "manifest-sha256.txt") == {"data/doc.docx": hashlib.sha256(b"document").hexdigest()}
        assert bagit.Bag(str(bag)).is_valid()
    assert sorted(p.name for p in (root / "2024").iterdir()) == [bag.name for bag in bags]  # no staging left


def test_a_fault_while_a_batch_is_staged_keeps_the_bags_swapped_in_and_drops_the_rest(tmp_path, monkeypatch):
    src = tmp_path / "doc.docx"
    src.write_bytes(b"document")
    root = tmp_path / "archive"
    real = bag_module.place_file
    calls = [0]

    def place(src, dst, link):
        calls[0] += 1
        if calls[0] == 4:
            raise OSError(28, "No space left on device")
        return real(src, dst, link)

    monkeypatch.setattr(bag_module, "place_file", place)
    with pytest.raises(OSError), bag_writer(root, batch=2) as write:
        for i in range(5):
            write(*_bag(root, src, f"group-{i}"))
    # The first batch (two bags) was swapped in; the third bag was staged, the fourth failed: neither is there.
    assert sorted(p.name for p in (root / "2024").iterdir()) == ["group-0", "group-1"]
    assert all(bagit.Bag(str(root / "2024" / name)).is_valid() for name in ("group-0", "group-1"))


def test_an_edit_of_one_bag_rewrites_one_shard_of_each_archive_memo(tmp_path):
    cache = BuildCache(tmp_path)
    cache.commit()  # as a run whose input passed validation
    cache.folder.mkdir()

    def file_with_memos(overrides=None):
        with archive_memos(cache):
            assert file_all(tmp_path, overrides).ok

    file_with_memos()
    kept = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in cache.folder.glob("archive_*.json")}
    assert len(kept) > 4  # several shards of each memo, not one file holding every bag
    file_with_memos({"ПК-2024-01/journal": b"PK journal, a lesson topic corrected"})
    now = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in cache.folder.glob("archive_*.json")}
    changed = sorted(name for name in now if now[name] != kept.get(name))
    # The group's bag lives in one shard of each memo (its lists, its bag-info, its tag hashes); a
    # year's index and labels read the other bags' entries without changing them.
    assert changed and len({name.rpartition("-")[2] for name in changed}) == 1, changed
    assert any(name.startswith("archive_lists-") for name in changed)


def test_a_run_shows_the_folders_it_files_and_the_years_it_rewrites_as_stages_of_their_own(tmp_path, monkeypatch,
                                                                                         capsys):
    """pipeline.core.progress: away from a terminal a stage tells «<stage>: <step> N из M (P %)»; filing counts the
    folders it writes into, then the years whose index and labels it rewrites (a one-group edit: one and one)."""
    assert file_all(tmp_path).ok
    monkeypatch.setattr("pipeline.core.progress.PLAIN_EVERY", 0.0)  # every step told, not one line in 5 s
    capsys.readouterr()
    assert file_all(tmp_path, {"ПК-2024-01/journal": b"PK journal, a lesson topic corrected"}).ok
    assert capsys.readouterr().err.splitlines() == [
        "Подшивка в архив: папка 1 из 1 (100 %)", "Опись и ярлыки архива: год 1 из 1 (100 %)"]


# The bag itself (RFC 8493), written by pipeline.archive.bag and read back by every later run.

H = {c: c * 64 for c in "abcd"}


def test_a_manifest_lists_every_file_once_in_name_order_with_line_breaks_and_percent_signs_encoded(tmp_path):
    """RFC 8493 §2.1.3: a file name's LF is written «%0A», its CR «%0D» and its «%» «%25», so one line holds one
    file; a manifest read back gives the very names. uchet writes «checksum, two spaces, name» in name order, so
    one bag's manifest has the same bytes in every run."""
    entries = {"data/Журнал.docx": H["a"], "data/a\nb.docx": H["b"], "data/c\rd%.docx": H["c"], "data/50%0A.docx": H["d"]}
    written = manifest_bytes(entries)
    assert written == (f"{H['d']}  data/50%250A.docx\n{H['b']}  data/a%0Ab.docx\n{H['c']}  data/c%0Dd%25.docx\n"
                       f"{H['a']}  data/Журнал.docx\n").encode()
    (tmp_path / "manifest-sha256.txt").write_bytes(written)
    assert read_manifest(tmp_path / "manifest-sha256.txt") == entries


def test_a_manifest_written_by_another_bagit_tool_is_read_as_the_rfc_allows(tmp_path):
    """RFC 8493 §2.1.3: a checksum, whitespace, the name; a checksum in upper-case hex is the same checksum;
    Windows line ends and blank lines carry no entry. No manifest at all lists nothing."""
    path = tmp_path / "manifest-sha256.txt"
    assert read_manifest(path) == {}
    path.write_bytes(f"{H['a'].upper()} data/Журнал учета занятий.docx\r\n\r\n   \r\n{H['b']}  data/b.docx  \r\n"
                     .encode())
    assert read_manifest(path) == {"data/Журнал учета занятий.docx": H["a"], "data/b.docx": H["b"]}


def _write(tmp_path: Path, info=None, tags=None, files=None):
    root = tmp_path / "archive"
    final = root / "2024" / "ПК-1"
    payload = {}
    for name, data in (files or {"a.docx": b"abc", "Журнал.docx": b"12345"}).items():
        src = tmp_path / "src" / name
        src.parent.mkdir(parents=True, exist_ok=True)
        src.write_bytes(data)
        payload[name] = (src, hashlib.sha256(data).hexdigest())
    manifest = bag_module.write_bag(final, root, info or {"Source-Organization": "ЧОУ ДПО"}, payload,
                                    tags if tags is not None else {"documents.csv": "doc_id\r\nПК-1/journal\r\n".encode()})
    return final, manifest


def test_a_bag_holds_the_bagit_declaration_its_info_the_payload_oxum_and_both_manifests(tmp_path):
    """RFC 8493 §2.1.1 (bagit.txt, exactly these two lines), §2.2.2 (bag-info.txt: «Label: value» lines; the
    Payload-Oxum is the payload's octet count and file count), §2.1.3 and §2.2.1 (every payload file in
    manifest-sha256.txt, every other tag file in tagmanifest-sha256.txt). uchet writes bag-info one line per
    label, the value's runs of whitespace and line breaks made one space, a control character shown as «\ufffd»,
    and no line for an empty value."""
    info = {"Source-Organization": "ЧОУ ДПО «Пример»", "External-Description": "Группа\nПК-1   за\t2024 год\x01",
            "Contact-Phone": "  ", "Bag-Group-Identifier": 2024}
    final, manifest = _write(tmp_path, info)
    assert (final / "bagit.txt").read_bytes() == b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    assert (final / "bag-info.txt").read_bytes() == (
        "Source-Organization: ЧОУ ДПО «Пример»\nExternal-Description: Группа ПК-1 за 2024 год\ufffd\n"
        "Bag-Group-Identifier: 2024\nPayload-Oxum: 8.2\n").encode("utf-8")
    assert manifest == read_manifest(final / "manifest-sha256.txt") == {
        "data/a.docx": hashlib.sha256(b"abc").hexdigest(), "data/Журнал.docx": hashlib.sha256(b"12345").hexdigest()}
    tags = ("bagit.txt", "bag-info.txt", "manifest-sha256.txt", "documents.csv", "uchet-tags.json")
    assert sorted(p.relative_to(final).as_posix() for p in final.rglob("*") if p.is_file()) == sorted(
        [*tags, "tagmanifest-sha256.txt", "data/a.docx", "data/Журнал.docx"])
    assert read_manifest(final / "tagmanifest-sha256.txt") == {
        name: hashlib.sha256((final / name).read_bytes()).hexdigest() for name in tags}
    # the copy of the tag files (what `uchet verify --repair` restores a damaged one from) holds each as text
    assert json.loads((final / "uchet-tags.json").read_text(encoding="utf-8")) == {
        name: (final / name).read_bytes().decode("utf-8") for name in tags if name != "uchet-tags.json"}
    assert bagit.Bag(str(final)).is_valid()
    assert sorted(p.name for p in final.parent.iterdir()) == ["ПК-1"]  # no staging folder left beside it


def test_the_copy_of_the_tag_files_keeps_the_layout_of_the_archives_already_filed():
    """uchet-tags.json is itself listed in tagmanifest-sha256.txt: `uchet verify --repair` makes a lost copy again
    from the other tag files, and it is accepted only if it has the very bytes filed — in a folder filed by any
    earlier uchet. So its layout stays as it always was: the other tag files' texts by name, «\\n» between the
    entries, the Cyrillic as is; never the copy itself."""
    copy = bag_module.tag_copy_bytes({"bagit.txt": b"BagIt-Version: 1.0\n", "documents.csv": "Журнал\r\n".encode(),
                                      "uchet-tags.json": b"{}"})
    assert copy == '{\n"bagit.txt": "BagIt-Version: 1.0\\n",\n"documents.csv": "Журнал\\r\\n"\n}'.encode()


def test_bag_info_of_another_bagit_tool_is_read_label_by_label(tmp_path):
    """RFC 8493 §2.2.2: «Label: value» lines (the label ends at the first colon), a value may go on in lines that
    start with whitespace, a label may repeat; uchet reads the first value of a label (Source-Organization, the group, the year), with or without a
    byte order mark (Notepad's), and no bag-info.txt gives nothing."""
    bag = tmp_path / "bag"
    bag.mkdir()
    assert bag_module.read_bag_info(bag) == {}
    (bag / "bag-info.txt").write_bytes("\ufeffSource-Organization : ЧОУ ДПО \n  «Пример»\nContact-Name: Иванова\n"
                                       "Contact-Name: Петрова\nno label here\n\tIgnored: continuation\n"
                                       "Internal-Sender-Identifier: 2024/ПК-1\n"
                                       "External-Description: Программа: охрана труда\n".encode("utf-8"))
    assert bag_module.read_bag_info(bag) == {"Source-Organization": "ЧОУ ДПО", "Contact-Name": "Иванова",
                                             "Internal-Sender-Identifier": "2024/ПК-1",
                                             "External-Description": "Программа: охрана труда"}


def test_files_neither_manifest_lists_are_foreign_wherever_in_the_folder_they_lie(tmp_path):
    """bag.foreign_files: a scan staff dropped into data/, a note beside the tag files, a file in a folder of their
    own — each as its «/» path in the bag, in name order; the tag manifest itself is no foreign file, nor is a file
    whose name is stored decomposed (NFD) where the manifest has it composed."""
    final, _ = _write(tmp_path)
    assert bag_module.foreign_files(final) == []
    (final / "data" / "Скан.pdf").write_bytes(b"%PDF")
    (final / "заметка.txt").write_bytes(b"note")
    (final / "data" / "сканы" / "стр. 2").mkdir(parents=True)
    (final / "data" / "сканы" / "стр. 2" / "Скан 2.pdf").write_bytes(b"%PDF 2")
    os.rename(final / "data" / "Журнал.docx", final / "data" / unicodedata.normalize("NFD", "Журнал.docx"))
    assert bag_module.foreign_files(final) == ["data/Скан.pdf", "data/сканы/стр. 2/Скан 2.pdf", "заметка.txt"]
    assert bag_module.foreign_files(tmp_path / "archive" / "2024" / "ПК-2") == []  # no folder, nothing foreign
    # and the other way round: the file's name composed, the manifest's decomposed (another tool wrote it)
    os.rename(final / "data" / unicodedata.normalize("NFD", "Журнал.docx"), final / "data" / "Журнал.docx")
    manifest = read_manifest(final / "manifest-sha256.txt")
    manifest[unicodedata.normalize("NFD", "data/Журнал.docx")] = manifest.pop("data/Журнал.docx")
    (final / "manifest-sha256.txt").write_bytes(manifest_bytes(manifest))
    assert bag_module.foreign_files(final) == ["data/Скан.pdf", "data/сканы/стр. 2/Скан 2.pdf", "заметка.txt"]
    (final / "bagit.txt").unlink()
    (final / "bagit.txt").mkdir()  # a folder where a file was: not a file of the bag at all
    assert bag_module.foreign_files(final) == ["data/Скан.pdf", "data/сканы/стр. 2/Скан 2.pdf", "заметка.txt"]


def test_a_rebuilt_bag_keeps_every_foreign_file_as_it_was_and_never_writes_over_one(tmp_path):
    """bag._keep_foreign: rebuilding a bag never deletes what staff put into it — each foreign file stays at its
    place, the same file (a link, not a copy), a symlink as a symlink; a file of the new bag whose name a foreign
    file holds stops the run, names the folder and the file, and the live bag is left as it was."""
    final, _ = _write(tmp_path)
    scans = final / "data" / "сканы" / "2024"
    scans.mkdir(parents=True)
    (scans / "Скан 1.pdf").write_bytes(b"%PDF 1")
    (scans / "Скан 2.pdf").write_bytes(b"%PDF 2")
    (final / "data" / "Скан.pdf").write_bytes(b"%PDF")
    (final / "заметка.txt").write_bytes(b"note")
    (tmp_path / "elsewhere.txt").write_bytes(b"outside the archive")
    (final / "ссылка").symlink_to(tmp_path / "elsewhere.txt")
    foreign = ["data/Скан.pdf", "data/сканы/2024/Скан 1.pdf", "data/сканы/2024/Скан 2.pdf", "заметка.txt", "ссылка"]
    kept = {name: ((final / name).lstat().st_ino, (final / name).read_bytes()) for name in foreign}
    _write(tmp_path, files={"a.docx": b"abc", "Журнал.docx": b"12345", "b.docx": b"new"})
    assert {name: ((final / name).lstat().st_ino, (final / name).read_bytes()) for name in foreign} == kept
    assert (final / "ссылка").is_symlink() and os.readlink(final / "ссылка") == str(tmp_path / "elsewhere.txt")
    assert bag_module.foreign_files(final) == foreign
    assert sorted(p.name for p in final.parent.iterdir()) == ["ПК-1"]  # the old bag and the staging gone
    (final / "data" / "c.docx").write_bytes(b"dropped by hand")
    before = state(final.parent)
    with pytest.raises(UchetError) as err:
        _write(tmp_path, files={"a.docx": b"abc", "c.docx": b"filed"})
    assert err.value.message == (
        f"В папке архива «{final}» лежит файл «data/c.docx», которого нет в ее манифестах, а новая запись заняла бы "
        "это имя. В архив ничего не записано. Выполните «uchet verify»; если файл — ваш (например, скан), перенесите "
        "его в input/scans/ (см. docs/archive.md, «Сканы подписанных документов»).")
    assert state(final.parent) == before  # and no staging folder left


def test_recover_drops_unfinished_temporary_files_and_says_which(tmp_path):
    """bag.recover: a half-written «.tmp-…» file (an index or labels file cut short) is removed, in any folder of the
    archive, and told; one inside a disposal's «.staging» folder is that step's own to settle, and left. A bag staged
    and never finished («.ПК-3.tmp») is dropped even when no live bag stands beside it (the group's first filing):
    it is incomplete, never a bag."""
    root = tmp_path / "archive"
    assert bag_module.recover(root) == []  # no archive yet: nothing to settle
    (root / "2024" / "acts" / ".staging").mkdir(parents=True)
    (root / ".tmp-abc.xlsx").write_bytes(b"half")
    (root / "2024" / ".tmp-def.docx").write_bytes(b"half")
    (root / "2024" / "acts" / ".staging" / ".tmp-ghi.json").write_bytes(b"half")
    (root / "2024" / ".tmp-folder").mkdir()
    (root / "index-2024.xlsx").write_bytes(b"an index")
    (root / "2024" / ".ПК-1.new").write_bytes(b"a file, not a folder a run left")
    (root / "2024" / ".ПК-2.new" / "data").mkdir(parents=True)  # a whole new folder, its live one gone
    (root / "2024" / ".ПК-3.tmp" / "data").mkdir(parents=True)  # the first filing of ПК-3, cut while staged
    assert bag_module.recover(root) == ["удален незаконченный временный файл .tmp-abc.xlsx",
                                        "удален незаконченный временный файл 2024/.tmp-def.docx",
                                        "2024/ПК-3: удалена незаконченная копия после прерванного запуска",
                                        "2024/ПК-2: завершена прерванная запись папки"]
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == [
        "2024", "2024/.tmp-folder", "2024/.ПК-1.new", "2024/acts", "2024/acts/.staging",
        "2024/acts/.staging/.tmp-ghi.json", "2024/ПК-2", "2024/ПК-2/data", "index-2024.xlsx"]


def test_on_a_disk_without_hard_links_a_rebuilt_bag_copies_what_it_would_have_linked(tmp_path, monkeypatch):
    """An archive on a disk whose file system has no hard links (exFAT, a USB drive): the documents filed before and
    the foreign files are carried into the rebuilt bag as copies with the same bytes, a symlink as a symlink."""
    final, _ = _write(tmp_path)
    (final / "data" / "сканы").mkdir()
    (final / "data" / "сканы" / "Скан.pdf").write_bytes(b"%PDF")
    (tmp_path / "elsewhere.txt").write_bytes(b"outside the archive")
    (final / "ссылка").symlink_to(tmp_path / "elsewhere.txt")

    def no_links(*args, **kwargs):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    root = tmp_path / "archive"
    filed = {"a.docx": (final / "data" / "a.docx", hashlib.sha256(b"abc").hexdigest()),
             "b.docx": (tmp_path / "src" / "a.docx", None)}
    bag_module.write_bag(final, root, {"Source-Organization": "ЧОУ ДПО"}, filed, {})
    assert read_manifest(final / "manifest-sha256.txt") == {
        "data/a.docx": hashlib.sha256(b"abc").hexdigest(), "data/b.docx": hashlib.sha256(b"abc").hexdigest()}
    assert (final / "data" / "a.docx").read_bytes() == b"abc"
    assert (final / "data" / "сканы" / "Скан.pdf").read_bytes() == b"%PDF"
    assert (final / "ссылка").is_symlink() and os.readlink(final / "ссылка") == str(tmp_path / "elsewhere.txt")
    assert bag_module.foreign_files(final) == ["data/сканы/Скан.pdf", "ссылка"]


def test_leftovers_of_an_interrupted_write_beside_a_bag_never_get_into_the_bag_written_next(tmp_path):
    """bag._stage, bag._swap: a staging folder a crashed run left («.ПК-1.tmp», «.ПК-1.new», «.ПК-1.old»), if
    recover() has not settled it, is replaced, not written into: the bag holds its own files only, none is left."""
    final, _ = _write(tmp_path)
    for suffix in ("tmp", "new", "old"):
        leftover = final.parent / f".ПК-1.{suffix}"
        leftover.mkdir()
        (leftover / "от прерванного запуска.txt").write_bytes(b"leftover")
    _write(tmp_path, files={"a.docx": b"abc"})
    assert sorted(p.relative_to(final).as_posix() for p in final.rglob("*") if p.is_file()) == [
        "bag-info.txt", "bagit.txt", "data/a.docx", "documents.csv", "manifest-sha256.txt", "tagmanifest-sha256.txt",
        "uchet-tags.json"]
    assert sorted(p.name for p in final.parent.iterdir()) == ["ПК-1"]


def test_a_bag_or_a_file_name_that_would_land_outside_the_archive_is_refused(tmp_path):
    """A folder or a payload name that leads out of the archive («..») is refused before anything is written."""
    root = tmp_path / "archive"
    src = tmp_path / "doc.docx"
    src.write_bytes(b"document")
    with pytest.raises(UchetError, match="выходит за пределы папки"):
        bag_module.write_bag(tmp_path / "elsewhere" / "ПК-1", root, {}, {"doc.docx": (src, None)}, {})
    with pytest.raises(UchetError, match="выходит за пределы папки"):
        bag_module.write_bag(root / "2024" / "ПК-1", root, {}, {"../../../escaped.docx": (src, None)}, {})
    assert not (tmp_path / "elsewhere").exists() and not (tmp_path / "escaped.docx").exists()
    assert [p.relative_to(root).as_posix() for p in root.rglob("*")] == ["2024"]


def test_a_batch_of_exactly_sync_from_files_is_a_large_one(tmp_path, monkeypatch):
    """bag.SYNC_FROM is the number of files «from which» one os.sync() is cheaper: a batch of exactly that many
    files is made durable by two syncs; one file fewer in the threshold's place, by an fsync per file."""
    counts = {}
    for threshold, name in ((6 * 5, "exactly"), (6 * 5 + 1, "one short")):
        calls = {"sync": 0, "fsync": 0}
        monkeypatch.setattr(os, "sync", lambda c=calls: c.__setitem__("sync", c["sync"] + 1), raising=False)
        monkeypatch.setattr(os, "fsync", lambda fd, c=calls: c.__setitem__("fsync", c["fsync"] + 1))
        monkeypatch.setattr(bag_module, "SYNC_FROM", threshold)
        src = tmp_path / "doc.docx"
        src.write_bytes(b"document")
        root = tmp_path / name
        with bag_writer(root, batch=10) as write:
            for i in range(5):  # five bags of six files: the document and five tag files
                write(*_bag(root, src, f"group-{i}"))
            # staged, not yet swapped in: what a run killed now leaves, and what recover() drops
            assert sorted(p.name for p in (root / "2024").iterdir()) == [f".group-{i}.tmp" for i in range(5)]
        assert sum(1 for p in root.rglob("*") if p.is_file()) == 6 * 5
        counts[name] = calls
    assert counts == {"exactly": {"sync": 2, "fsync": 0}, "one short": {"sync": 0, "fsync": 6 * 5 + 2 * 5 + 1}}
