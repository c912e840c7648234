"""Faults that end a run — a full disk, read-only output, an unreadable file, Ctrl-C — told in Russian (exit 2).

A run that stops half-way must say what it managed to file and what not: the archive is written bag by
bag (each bag swapped in whole, pipeline.archive.bag), so a fault leaves some groups filed and others
not. Files filed by this run are those written into a bag's data/ after it started (a file carried over
from an earlier version is hard-linked and keeps its old time). After a fault the archive's interrupted
writes are settled and its index and labels rebuilt from the bags, so `uchet find` and index.xlsx list
exactly what is filed; when even that cannot be written, the next run does it.

Only faults of the machine's surroundings are caught here; any other OSError is a bug and keeps its
traceback.
"""

from __future__ import annotations

import errno
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ENVIRONMENTAL = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO, errno.EFBIG}
_SLACK_NS = 50_000_000
"""File times come from a coarser clock than time.time_ns(): a file written just after the start may look
up to a few milliseconds older."""


def is_environmental(exc: BaseException | None) -> bool:
    return isinstance(exc, OSError) and exc.errno in ENVIRONMENTAL


def quiet_unraisable(hook_args) -> None:
    """sys.unraisablehook: a full disk also fails the clean-up of objects dropped later (a ZipFile that cannot
    flush in its __del__); Python would print that as a traceback after the run's own clear message."""
    if is_environmental(hook_args.exc_value):
        return
    sys.__unraisablehook__(hook_args)


def _where(exc: OSError) -> str:
    return f" («{exc.filename}»)" if exc.filename else ""


def describe(exc: BaseException) -> str:
    """Give the Russian message for a fault: what happened, where, what to do."""
    if isinstance(exc, KeyboardInterrupt):
        return "Работа прервана (нажато Ctrl-C)."
    assert isinstance(exc, OSError)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return (f"На диске закончилось место{_where(exc)}. Освободите место на диске (или укажите другую папку "
                "результатов: --output ПАПКА) и запустите снова.")
    if exc.errno == errno.EROFS:
        return (f"Диск доступен только для чтения{_where(exc)}: записать результаты нельзя. Укажите папку на "
                "диске с правом записи (--output ПАПКА); проверить архив на таком диске можно командой "
                "«uchet verify».")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return (f"Нет прав на доступ к файлу или папке{_where(exc)}. Попросите администратора открыть доступ "
                "(чтение для рабочих книг, запись для папки результатов) и запустите снова.")
    return (f"Ошибка чтения или записи диска{_where(exc)}: диск или сетевая папка недоступны. Проверьте "
            "подключение диска и запустите снова.")


def unreadable_input(path: Path, exc: OSError) -> str:
    """The message for a workbook the program may not read (no rights, a disk error): not a data problem."""
    if exc.errno in (errno.EACCES, errno.EPERM):
        # On Windows a workbook open in Excel (or locked by a colleague over the network) fails just so.
        return (f"Нет прав на чтение файла «{path}»: он открыт в другой программе, которая не дает его читать, "
                "или у вашей учетной записи нет прав на него. Закройте файл в Excel или другой программе (и у "
                "коллег по сети) или попросите администратора открыть доступ к файлу, затем запустите снова. "
                "Содержимое файла не проверялось.")
    return (f"Файл «{path}» не читается с диска ({exc.strerror or exc}). Проверьте диск или сетевую папку и "
            "запустите снова.")


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
            out.append("Опись архива (index.xlsx) и ярлыки соответствуют тому, что подшито.")
        else:
            out.append("Опись архива (index.xlsx) обновить не удалось: ее обновит следующий запуск; "
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
    # Imported here: the archive stack (pandas, openpyxl) is loaded only when a run really stopped.
    from pipeline.archive import write_index
    from pipeline.archive.bag import archive_lock, recover
    from pipeline.archive.disposal import settle
    from pipeline.archive.labels import write_labels

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


def now_ns() -> int:
    return time.time_ns()


def archive_of(output_dir: Path | None) -> Path | None:
    return Path(output_dir) / "archive" if output_dir is not None else None


__all__ = ["ENVIRONMENTAL", "Outcome", "archive_of", "describe", "filed_since", "is_environmental", "now_ns",
           "settle_archive", "unreadable_input"]
