"""What a stopped run (full disk, Ctrl-C, …) left in the archive: settled, indexed and told to staff.

The CLI calls this only after a fault ended a run, so the archive stack is never loaded otherwise.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pipeline.archive.bag import archive_lock, recover
from pipeline.archive.disposal import settle
from pipeline.archive.index import write_index
from pipeline.archive.labels import write_labels

_SLACK_NS = 50_000_000
"""File times come from a coarser clock than time.time_ns(): a file written just after the start may look
up to a few milliseconds older."""


@dataclass
class Outcome:
    """What a stopped run left in the archive."""

    filed: Counter
    """Bag (relative path) → files this run filed there."""
    index_current: bool
    settled: list[str]

    def lines(self) -> list[str]:
        out = [f"Архив: {line}" for line in self.settled]
        total = sum(self.filed.values())
        if total:
            folders = ", ".join(sorted(self.filed))
            out.append(f"Подшито в архив до остановки файлов: {total} (папки: {folders}); они сохранены полностью.")
            out.append("Не подшито: остальные документы этого запуска — их подошьет следующий запуск «make».")
        else:
            out.append("В архив в этом запуске ничего не подшито; прежние документы архива не затронуты.")
        if self.index_current:
            out.append("Описи архива (index-<год>.xlsx) и ярлыки соответствуют тому, что подшито.")
        else:
            out.append("Описи архива (index-<год>.xlsx) обновить не удалось: их обновит следующий запуск; "
                       "до того ищите документы по папкам архива.")
        return out


def filed_since(archive_root: Path, started_ns: int) -> Counter:
    """Count the payload files written into each bag since started_ns."""
    found: Counter = Counter()
    if not archive_root.is_dir():
        return found
    for path in archive_root.glob("*/*/data/**/*"):
        try:
            if path.is_file() and path.stat().st_mtime_ns >= started_ns - _SLACK_NS:
                found[path.parent.parent.relative_to(archive_root).as_posix()] += 1
        except OSError:
            continue
    return found


def settle_archive(archive_root: Path, started_ns: int) -> Outcome:
    """Settle what the stopped run left in the archive and rebuild its index; give what was filed."""
    settled: list[str] = []
    current = False
    if archive_root.is_dir():
        try:
            with archive_lock(archive_root):
                settled = recover(archive_root) + settle(archive_root, finish=False)
                write_index(archive_root)
                write_labels(archive_root)
                current = True
        except Exception:  # a second fault while tidying up (the disk is still full) must not hide the first
            current = False
    return Outcome(filed_since(archive_root, started_ns), current, settled)
