"""Issue 13: the archive's promise under random sequences of what staff and faults do.

Hypothesis drives edits of documents, ticking and unticking «Документы подписаны», bases, builds,
runs killed at a random rename, scans of signed originals, Excel re-saves and deletions of documents.csv (then `verify --repair`),
and files dropped into bags. After every step: every file ever filed (and every file staff dropped into a
bag) still exists with the same bytes, and nothing was written outside the test's folders.
Few examples with a short run each keep it to seconds; STATS holds the figures for the closing note.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from unittest import mock

from archive_fixture import GROUP_FILE, dataset, group
from archive_fixture import rendered as fake_rendered
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from test_archive_keeps import excel_resave, mark_destroyed, remove_row

from pipeline.archive import bag as bag_module
from pipeline.archive.bag import recover
from pipeline.archive.filing import archive_documents
from pipeline.archive.records import DOCUMENTS
from pipeline.archive.repair import repair_archive
from pipeline.core.errors import UchetError

D = dt.date
TODAY = dt.date(2026, 3, 1)
BAG = "2024/ПК-2024-01"
DOCS = ("ПК-2024-01/journal", "ПК-2024-01/protocol", "ПК-2024-01/order_graduation",
        "ПК-2024-01/study_certificate/L1")
STATS = {"steps": 0, "builds": 0, "kills": 0, "damages": 0, "stopped": 0, "lost": 0, "changed": 0, "outside": 0}


class _Killed(BaseException):
    """A run killed (SIGKILL, power cut) at one of the archive's renames."""


def _files(archive: Path) -> dict[str, str]:
    out = {}
    for path in archive.rglob("*"):
        rel = path.relative_to(archive)
        if path.is_file() and len(rel.parts) > 2 and not any(p.startswith(".") for p in rel.parts):
            if "data" in rel.parts or rel.parts[2] == "foreign.txt":
                out[rel.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


class ArchiveMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="uchet-stateful-"))
        self.archive = self.root / "archive"
        (self.root / "tmp").mkdir()  # the temporary folder of the runs: must stay empty
        self.bytes = {doc: f"PK {doc} v0".encode() for doc in DOCS}
        self.group_hash = "a" * 64
        self.signed = False
        self.basis: str | None = None
        self.filed: dict[str, str] = {}  # every payload or foreign file ever seen in a bag: its hash
        self.edits = 0

    def teardown(self):
        shutil.rmtree(self.root, ignore_errors=True)

    def _dataset(self):
        g = group("ПК-2024-01", D(2024, 3, 1), D(2024, 6, 30), signed=self.signed, correction=self.basis)
        return dataset(g, hashes={"organization.xlsx": "o" * 64, GROUP_FILE: self.group_hash})

    def _file(self):
        data = self._dataset()
        docs = fake_rendered(self.root / "build", data, dict(self.bytes))
        try:
            with mock.patch.object(tempfile, "tempdir", str(self.root / "tmp")):
                archive_documents(data, docs, self.archive, today=TODAY, scans_dir=self.root / "input" / "scans")
        except UchetError:
            STATS["stopped"] += 1
        STATS["builds"] += 1

    @rule(doc=st.sampled_from(DOCS))
    def edit(self, doc):
        self.edits += 1
        self.bytes[doc] = f"PK {doc} edit {self.edits}".encode()
        self.group_hash = hashlib.sha256(str(self.edits).encode()).hexdigest()

    @rule(flag=st.booleans())
    def tick_signed(self, flag):
        self.signed = flag

    @rule(basis=st.sampled_from([None, "приказ № 15-о", "приказ № 16-о"]))
    def set_basis(self, basis):
        self.basis = basis

    @rule()
    def build(self):
        self._file()

    @rule(at=st.integers(min_value=1, max_value=4))
    def killed_build(self, at):
        calls = {"n": 0}
        real = os.rename

        def rename(src, dst):
            calls["n"] += 1
            if calls["n"] == at:
                raise _Killed
            return real(src, dst)

        with mock.patch.object(bag_module.os, "rename", rename):
            try:
                self._file()
            except _Killed:
                STATS["kills"] += 1
        recover(self.archive)  # what the next command does first

    @rule(how=st.sampled_from(["excel", "deleted", "row", "status"]))
    def damage_document_list(self, how):
        path = self.archive / BAG / DOCUMENTS
        if not path.is_file():
            return
        {"excel": excel_resave, "deleted": Path.unlink, "row": remove_row, "status": mark_destroyed}[how](path)
        STATS["damages"] += 1
        self._file()  # the build that once lost documents here
        repair_archive(self.archive)

    @rule(doc=st.sampled_from(["Протокол заседания аттестационной комиссии", "Журнал учета занятий"]),
          page=st.integers(min_value=1, max_value=2))
    def scan_signed_original(self, doc, page):
        folder = self.root / "input" / "scans" / "ПК-2024-01"
        folder.mkdir(parents=True, exist_ok=True)
        self.edits += 1
        (folder / f"{doc} ПК-2024-01 стр. {page}.pdf").write_bytes(f"%PDF scan {self.edits}".encode())

    @rule()
    def drop_foreign_file(self):
        bag = self.archive / BAG
        if bag.is_dir() and not (bag / "foreign.txt").exists():
            (bag / "foreign.txt").write_bytes(b"a note staff left in the folder")

    @invariant()
    def nothing_filed_is_lost_or_changed(self):
        STATS["steps"] += 1
        now = _files(self.archive)
        lost = [k for k in self.filed if k not in now]
        changed = [k for k in self.filed if k in now and now[k] != self.filed[k]]
        STATS["lost"] += len(lost)
        STATS["changed"] += len(changed)
        assert (lost, changed) == ([], [])
        self.filed.update(now)

    @invariant()
    def nothing_is_written_outside(self):
        stray = [p for p in (self.root / "tmp").rglob("*")]
        stray += [p for p in self.root.iterdir() if p.name not in {"archive", "build", "tmp", "input"}]
        STATS["outside"] += len(stray)
        assert stray == []

ArchiveMachine.TestCase.settings = settings(
    max_examples=int(os.environ.get("UCHET_STATEFUL_EXAMPLES", "15")), stateful_step_count=12, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestArchiveMachine = ArchiveMachine.TestCase
