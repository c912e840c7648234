"""One run at a time per output folder: a second `make` waits briefly, then refuses with a clear message."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from pipeline.core.errors import UchetError
from pipeline.core.links import output_link_message, refuse_top_level

LOCK_NAME = ".uchet.lock"
WAIT_SECONDS = 10.0
WAIT_ENV = "UCHET_LOCK_WAIT"  # seconds; lets tests and impatient scripts shorten the wait
TEMP_FOLDER = "tmp"  # output/cache/tmp/: the run's temporary files (private_temp_folder)
TEMP_PREFIX = ".tmp-"  # pipeline.core.fsutil.atomic_write's temporary files
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
        refuse_top_level(output_dir)  # deeper links: refused by the walk of pipeline.cache.build_stamp
        sweep_temporary_files(output_dir)
        with private_temp_folder(output_dir):
            yield
    finally:
        lock.release()
        (output_dir / LOCK_NAME).unlink(missing_ok=True)


@contextmanager
def private_temp_folder(output_dir: Path, name: str = "") -> Iterator[Path]:
    """Point Python's temporary files (openpyxl writes each sheet to one) into output/cache/tmp/ for the run.

    The system temp folder is shared by every user of the machine, and a killed run left openpyxl.*
    files with learners' names there. Here they are private (the umask, pipeline.core.private), removed at
    the end of the run, and whatever a killed run left is removed by the next one. `name`: a folder of
    its own for a command that runs without the output folder's lock (check-docs).
    """
    folder = output_dir / "cache" / (name or TEMP_FOLDER)
    _remove_tree(folder)
    made_cache = not folder.parent.exists()  # `uchet validate` writes nothing but its report: leave no cache/
    folder.mkdir(parents=True, exist_ok=True)
    old, old_env = tempfile.tempdir, os.environ.get("TMPDIR")
    tempfile.tempdir = os.environ["TMPDIR"] = str(folder.resolve())  # TMPDIR: for the render workers too
    try:
        yield folder
    finally:
        tempfile.tempdir = old
        if old_env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = old_env
        _remove_tree(folder)
        if made_cache:
            try:
                folder.parent.rmdir()
            except OSError:
                pass  # the run kept something there


def _remove_tree(folder: Path) -> None:
    if folder.is_symlink():
        raise UchetError(output_link_message(folder))
    shutil.rmtree(folder, ignore_errors=True)


def sweep_temporary_files(output_dir: Path) -> list[Path]:
    """Delete the temporary files a killed run left half-written; give them.

    Safe only while holding the lock: no other run is writing into this output folder then.
    """
    swept = []
    for child in output_dir.iterdir():
        if child.name in NOT_SWEPT or child.is_symlink():
            continue
        if child.is_file():
            candidates = [child]
        else:  # os.walk rather than Path.rglob: 25,000 documents at 400 groups, 0.1 s of pathlib objects
            candidates = [Path(folder, name) for folder, _, names in os.walk(child) for name in names
                          if name.startswith(TEMP_PREFIX)]
        for path in candidates:
            if path.name.startswith(TEMP_PREFIX) and path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)
                swept.append(path)
    return swept
