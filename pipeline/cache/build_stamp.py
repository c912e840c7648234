"""The stamp of the last clean build: when nothing it depended on changed, a repeated `make` is done at once.

A build depends on the input folder (every file's bytes), the templates, the program's own code, the
date it runs for, --strict, and what it left under output/ (build/, archive/, reports/: every file's
path, size and mtime, so a file deleted or edited by hand, or an archive changed by `uchet dispose`,
means work to do). The stamp is written only after a run that ended with exit code 0 and no problem
at all (warnings are shown again on every run until they are fixed), into output/cache/build.json.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pipeline import cache
from pipeline.cache import BuildCache
from pipeline.cache.input_cache import input_fingerprint
from pipeline.core.errors import UchetError
from pipeline.core.fsutil import sha256_file
from pipeline.core.links import output_link_message
from pipeline.core.paths import ERRORS_FILE
from pipeline.core.tree_state import archive_state

STAMP = "build.json"
OUTPUTS = ("build", "reports")
"""Walked here; the archive is measured as pipeline.archive.settled measures it (archive_state), so a run
that measured it there and wrote nothing into it since hands that measure over."""


def outputs_state(output_dir: Path, known: Mapping[str, tuple[int, int]] | None = None,
                  archive: str | None = None) -> str:
    """Give a hash of every file under the build's output folders, and of the error report: relative path,
    size, mtime. (A run stopped by bad input leaves its error report: the next run must tell again.)

    `known`: (size, mtime_ns) by absolute resolved path, for files whose state the caller knows as it is
    now (BuildCache.file_states); every other file found is asked for its own. A known state that is no
    longer true can only make the next run do its work, never skip it: the next run asks every file.
    `archive`: the archive's archive_state, when the caller measured it and nothing wrote into it since
    (80,000 files at 50,000 learners: half a second of an edit that files nothing); else measured here.
    """
    lines: list[str] = []
    root = os.path.realpath(output_dir)
    for name in OUTPUTS:
        _walk(os.path.join(root, name), name, lines, known or {})
    try:
        stat = os.stat(os.path.join(output_dir, ERRORS_FILE))
        lines.append(f"{ERRORS_FILE}\0{stat.st_size}\0{stat.st_mtime_ns}\n")
    except OSError:
        pass
    archive = archive or _archive_part(root)
    return hashlib.sha256(f"{''.join(sorted(lines))}\0archive\0{archive}".encode()).hexdigest()


def _archive_part(root: str) -> str:
    state = archive_state(os.path.join(root, "archive"))
    if state is not None:
        return state
    # No archive yet, a folder that cannot be read, or a link: the walk names the link and stops the run.
    lines: list[str] = []
    _walk(os.path.join(root, "archive"), "archive", lines, {})
    return "walked\0" + "".join(sorted(lines))


def _walk(folder: str, relative: str, lines: list[str], known: Mapping[str, tuple[int, int]]) -> None:
    # os.scandir rather than Path.rglob: 14,000 files at 400 groups, where pathlib's objects cost a second.
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        path = f"{relative}/{entry.name}"
        if entry.is_symlink():  # free: the directory entry's type; a link would lead writes out of output/
            raise UchetError(output_link_message(entry.path))
        if entry.is_dir(follow_symlinks=False):
            _walk(entry.path, path, lines, known)
        elif entry.is_file():
            state = known.get(entry.path)  # 25,000 documents at 400 groups: a stat each cost 0.07 s of every run
            if state is None:
                stat = entry.stat()
                state = (stat.st_size, stat.st_mtime_ns)
            lines.append(f"{path}\0{state[0]}\0{state[1]}\n")


@dataclass(frozen=True)
class BuildStamp:
    """What a build of `input_dir` into `output_dir` depends on, before looking at its outputs."""

    output_dir: Path
    inputs: str
    path: Path
    """Where the stamp is kept: the build cache's STAMP."""

    @classmethod
    def of(cls, input_dir: Path, output_dir: Path, build_cache: BuildCache, templates_dir: Path, *,
           today: dt.date, strict: bool) -> BuildStamp:
        digest = hashlib.sha256(f"{today.isoformat()}\0{strict}\0{input_fingerprint(input_dir)}\0".encode())
        for template in sorted(templates_dir.glob("*.docx")):
            digest.update(template.name.encode("utf-8") + bytes.fromhex(sha256_file(template)))
        return cls(Path(output_dir), digest.hexdigest(), build_cache.folder / STAMP)

    def unchanged(self) -> bool:
        """Tell whether the last clean build had these inputs and left the outputs as they are now."""
        stored = cache.read_value(self.path, STAMP)  # None also when the code changed
        return (isinstance(stored, dict) and stored.get("inputs") == self.inputs
                and stored.get("outputs") == outputs_state(self.output_dir))

    def record(self, known: Mapping[str, tuple[int, int]] | None = None, archive: str | None = None) -> None:
        """Remember this clean build (call after its last write); `known` and `archive` as for outputs_state."""
        cache.write_value(self.path, STAMP, {"inputs": self.inputs,
                                             "outputs": outputs_state(self.output_dir, known, archive)})

    def forget(self) -> None:
        """A run that did not end clean must not be skipped next time."""
        self.path.unlink(missing_ok=True)
