"""kill -9 at random moments of `uchet build`: the archive always verifies, and the next build finishes.

The input is one completed group of the committed sample (one bag, the year folder, the index). A baseline build measures when each stage
lasts (start-up and validation, render, archive, reports); each trial starts a build into a fresh output
folder, so every stage really writes, waits for the console line that opens one stage (a quarter of
the trials each), and kills it with SIGKILL after a delay drawn by a seeded RNG within that stage's
length (the archive stage is where bags are staged and swapped into place). After each
kill: `verify_archive` is clean (after settling what the killed run left, as `uchet verify` does); the
next build (in this process, to save a Python start-up) exits 0; verify is clean again and no
temporary file is left anywhere under the output folder. Run with -s to see what each kill left behind.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import signal
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sample_run import ROOT, build_command, sample_input

from pipeline import build
from pipeline.archive.verify import verify_archive

SAMPLE_GROUPS = ("ПК-2025-01.xlsx",)
TRIALS = 20
SEED = 20260615

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL")


_IN_PROCESS = threading.Lock()


def _rebuild(input_dir: Path, output_dir: Path) -> int:
    """The next `make` after the crash, in this process (one at a time: it saves a Python start-up per trial)."""
    with _IN_PROCESS:
        return build.run(input_dir, output_dir, today=dt.date(2026, 6, 15))


MARKS = (("validated", "Данные проверены"), ("rendered", "Документы сформированы"), ("archived", "Архив:"))


def _timeline(input_dir: Path, output_dir: Path) -> dict[str, float]:
    """Run one build to the end; give the second at which each stage's console line appeared."""
    seen: dict[str, float] = {}
    started = time.perf_counter()
    with subprocess.Popen(build_command(input_dir, output_dir), cwd=ROOT, stdout=subprocess.PIPE, text=True) as proc:
        for line in proc.stdout:
            for key, prefix in MARKS:
                if line.startswith(prefix) and key not in seen:
                    seen[key] = time.perf_counter() - started
        assert proc.wait() == 0
    seen["end"] = time.perf_counter() - started
    assert {k for k, _ in MARKS} <= set(seen), seen
    return seen


def _kill_during(input_dir: Path, output_dir: Path, after: str | None, delay: float) -> bool:
    """Start a build, wait for the console line of stage `after` (None: the start), sleep, SIGKILL it.

    Waiting for the stage's own line keeps the kill inside that stage however loaded the machine is.
    Give whether the build was still running when killed.
    """
    proc = subprocess.Popen(build_command(input_dir, output_dir), cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    prefix = dict(MARKS).get(after)
    if prefix is not None:
        for line in proc.stdout:
            if line.startswith(prefix):
                break
    time.sleep(delay)
    alive = proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    return alive


def _trial(input_dir: Path, output_dir: Path, after: str | None, delay: float, baseline: list[str]) -> tuple:
    alive = _kill_during(input_dir, output_dir, after, delay)
    when = f"{output_dir.name}: killed {delay:.2f} s after {after or 'the start'}"
    leftovers = _leftovers(output_dir)
    recovered = _assert_clean(output_dir, when)
    assert _rebuild(input_dir, output_dir) == 0, when
    _assert_clean(output_dir, when + ", after the next build")
    assert _leftovers(output_dir) == [], when
    assert sorted(p.name for p in (output_dir / "reports").iterdir()) == baseline, when
    shutil.rmtree(output_dir)
    return alive, leftovers, recovered


def _leftovers(output_dir: Path) -> list[str]:
    return sorted(str(p.relative_to(output_dir)) for p in output_dir.rglob("*")
                  if p.name.startswith(".tmp-") or p.name.endswith((".tmp", ".new", ".old")))


def _assert_clean(output_dir: Path, when: str) -> list[str]:
    """Verify the archive; give what verify had to settle first (what the killed run left half-done)."""
    report = verify_archive(output_dir / "archive")
    assert report.clean, (when, report.lines())
    return report.recovered


def test_kill_9_at_random_moments_never_corrupts_the_archive(tmp_path):
    input_dir = sample_input(tmp_path, SAMPLE_GROUPS)
    times = _timeline(input_dir, tmp_path / "baseline")
    _assert_clean(tmp_path / "baseline", "baseline")
    baseline = sorted(p.name for p in (tmp_path / "baseline" / "reports").iterdir())
    # (stage whose line starts the clock, how long the next stage lasted in the baseline)
    stages = [
        (None, times["validated"]),  # start-up, loading, validation
        ("validated", times["rendered"] - times["validated"]),  # render into build/
        ("rendered", times["archived"] - times["rendered"]),  # archive: bags, index, labels
        ("archived", times["end"] - times["archived"]),  # reports
    ]
    rng = random.Random(SEED)
    plan = []
    for trial in range(TRIALS):
        after, length = stages[trial % len(stages)]
        plan.append((tmp_path / f"out{trial:02d}", after, rng.uniform(0, length)))
    # Two trials at a time (each in its own output folder): the kills wait for their stage's line anyway.
    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(lambda p: _trial(input_dir, *p, baseline), plan))
    for (folder, after, delay), (alive, leftovers, recovered) in zip(plan, outcomes, strict=True):
        print(f"{folder.name} after {after}: +{delay:.2f} s, killed={alive}, half-written={leftovers}, "
              f"recovered={recovered}")
    # Most trials must really interrupt the run, or the test proves nothing.
    assert sum(alive for alive, _l, _r in outcomes) >= TRIALS * 3 // 4, outcomes
