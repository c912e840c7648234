"""A run the archive stops leaves output/build/ as it was: staff print from it.

Rendering comes before filing (the archive files the rendered bytes), so by the time the archive finds
that a signed document changed without a basis, the changed documents are already in output/build/.
Before the render stage writes over a document, the old file is hard-linked into
output/cache/build-before/ (no copy: the atomic write gives the new document a new inode); a document
that did not exist is noted. When the archive stops the run, every old file is put back and every new
one removed; otherwise the links are dropped. What a killed run left there is dropped by the next run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

FOLDER = "build-before"


class BuildBackup:
    """The documents of output/build/ as they were before this run's render stage wrote over them."""

    def __init__(self, build_dir: Path, cache_dir: Path):
        self.build_dir = Path(build_dir).resolve()
        self.folder = Path(cache_dir) / FOLDER
        self.saved: list[str] = []
        self.created: list[str] = []
        if self.folder.is_dir() and not self.folder.is_symlink():
            shutil.rmtree(self.folder)

    def keep(self, paths: Iterable[Path]) -> None:
        """Remember the files about to be written (call before writing them)."""
        for path in paths:
            rel = Path(path).resolve().relative_to(self.build_dir).as_posix()
            target = self.folder / rel
            if os.path.isfile(path):
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(path, target)
                except FileExistsError:
                    continue
                except OSError:
                    shutil.copy2(path, target)
                self.saved.append(rel)
            else:
                self.created.append(rel)

    def restore(self) -> None:
        """Put output/build/ back as it was before the render stage."""
        for rel in self.saved:
            (self.build_dir / rel).parent.mkdir(parents=True, exist_ok=True)  # a stale document's folder went with it
            os.replace(self.folder / rel, self.build_dir / rel)
        for rel in self.created:
            (self.build_dir / rel).unlink(missing_ok=True)
        self.discard()

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
