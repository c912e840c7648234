"""One run at a time per output folder: a second `make` waits briefly, then refuses with a clear message."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from pipeline.errors import UchetError

LOCK_NAME = ".uchet.lock"
WAIT_SECONDS = 10.0


@contextmanager
def exclusive(output_dir: Path, wait: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold the output folder's lock for the duration of a run."""
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
        yield
    finally:
        lock.release()
        (output_dir / LOCK_NAME).unlink(missing_ok=True)
