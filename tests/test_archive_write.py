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
import os
from pathlib import Path

import bagit
import pytest
from archive_fixture import dataset, rendered

from pipeline.archive import bag as bag_module
from pipeline.archive.bag import bag_writer, place_file, read_manifest
from pipeline.archive.filing import archive_documents
from pipeline.archive.memos import archive_memos
from pipeline.archive.verify import verify_archive
from pipeline.cache import BuildCache

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
