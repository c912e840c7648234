"""Two runs over one output folder: the second waits or refuses with a clear message; nothing is corrupted.

Every test starts real processes (`python -m pipeline build`, or a tiny holder of the same lock), as two
members of staff running `make` at once would.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sample_run import ROOT, build_command, sample_input

from pipeline.archive.verify import verify_archive

pytestmark = pytest.mark.skipif(os.name != "posix", reason="process timing")


def _build(input_dir: Path, output_dir: Path, **env: str) -> subprocess.Popen:
    return subprocess.Popen(build_command(input_dir, output_dir), cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **env})


def _holder(output_dir: Path, seconds: float, wait: float = 30) -> subprocess.Popen:
    """A process that takes the output folder's run lock as a build does, says «held», and keeps it."""
    code = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from pipeline.core.errors import UchetError
        from pipeline.core.runlock import exclusive
        try:
            with exclusive(Path({str(output_dir)!r}), wait={wait}):
                print("held", time.monotonic(), flush=True)
                time.sleep({seconds})
                print("released", time.monotonic(), flush=True)
        except UchetError:
            print("refused", flush=True)
            sys.exit(2)
    """)
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)


def test_second_build_refuses_while_the_folder_is_busy(tmp_path):
    input_dir, output_dir = sample_input(tmp_path), tmp_path / "output"
    holder = _holder(output_dir, seconds=6)
    assert holder.stdout.readline().startswith("held")
    second = _build(input_dir, output_dir, UCHET_LOCK_WAIT="0.5")
    out, err = second.communicate(timeout=60)
    holder.kill()
    holder.wait()
    assert second.returncode == 2, (out, err)
    assert "занята другим запуском uchet" in err
    assert "Traceback" not in out + err
    # The refused run wrote nothing.
    assert not (output_dir / "build").exists() and not (output_dir / "archive").exists()


def test_two_builds_at_once_run_one_after_the_other(tmp_path):
    input_dir, output_dir = sample_input(tmp_path), tmp_path / "output"
    # The second waits for the first whatever the machine's load (the default wait is 10 s; one build of
    # the sample takes longer than that on a busy 2-core machine, and the refusal has its own test).
    first, second = (_build(input_dir, output_dir, UCHET_LOCK_WAIT="100") for _ in range(2))
    results = [p.communicate(timeout=240) for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, results
    archived = sorted(line for out, _err in results for line in out.splitlines() if line.startswith("Архив:"))
    skipped = [out for out, _err in results if out.startswith("Ничего не изменилось")]
    # One run filed the documents, the other found them already filed (or, from the build stamp, found
    # nothing changed at all): no duplicate versions.
    assert len(archived) + len(skipped) == 2
    assert "без изменений 0" in archived[-1], archived
    assert skipped or "новых документов 0" in archived[0], archived
    report = verify_archive(output_dir / "archive")
    assert report.clean and report.bags >= 1, report.lines()


def test_at_most_one_run_holds_the_lock_at_a_time(tmp_path):
    """Three runs in a row: the lock is never held twice at once (a deleted lock file must not split it)."""
    output_dir = tmp_path / "output"
    first = _holder(output_dir, seconds=1.0)
    assert first.stdout.readline().startswith("held")
    second = _holder(output_dir, seconds=2.0)  # waits for the first
    time.sleep(0.2)
    assert first.stdout.readline().startswith("released")
    assert second.stdout.readline().startswith("held")
    third = _holder(output_dir, seconds=0.1, wait=0.5)  # the second still holds it: must be refused
    third_out, _ = third.communicate(timeout=30)
    second_out, _ = second.communicate(timeout=30)
    first.communicate(timeout=30)
    assert third.returncode == 2 and "refused" in third_out, third_out
    assert "released" in second_out
