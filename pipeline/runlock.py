"""One run at a time per output folder: a second `make` waits briefly, then refuses with a clear message."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from pipeline.errors import UchetError

LOCK_NAME = ".uchet.lock"
WAIT_SECONDS = 10.0
WAIT_ENV = "UCHET_LOCK_WAIT"  # seconds; lets tests and impatient scripts shorten the wait
TEMP_PREFIX = ".tmp-"  # pipeline.fsutil.atomic_write's temporary files
# The archive settles its own leftovers under its own lock (pipeline.archive.bag.recover); `uchet proof`
# writes without this lock.
NOT_SWEPT = ("archive", "proof")


@contextmanager
def exclusive(output_dir: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the output folder's lock for the duration of a run."""
    if wait is None:
        wait = float(os.environ.get(WAIT_ENV) or WAIT_SECONDS)
    output_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(output_dir / LOCK_NAME, timeout=wait)
    try:
        lock.acquire()
    except Timeout:
        raise UchetError(
            f"Папка результатов «{output_dir}» занята другим запуском uchet. "
            "Дождитесь его окончания и запустите снова."
        ) from None
    try:
        sweep_temporary_files(output_dir)
        yield
    finally:
        lock.release()
        (output_dir / LOCK_NAME).unlink(missing_ok=True)


def sweep_temporary_files(output_dir: Path) -> list[Path]:
    """Delete the temporary files a killed run left half-written; give them.

    Safe only while holding the lock: no other run is writing into this output folder then.
    """
    swept = []
    for child in output_dir.iterdir():
        if child.name in NOT_SWEPT or child.is_symlink():
            continue
        candidates = [child] if child.is_file() else child.rglob(f"{TEMP_PREFIX}*")
        for path in candidates:
            if path.name.startswith(TEMP_PREFIX) and path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)
                swept.append(path)
    return swept
