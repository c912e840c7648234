"""Render documents on several processes when there are enough of them to pay for starting the workers.

Each job is (template path, context, output path); a worker compiles each template once
(`compile_template` caches it), renders, and writes the file only when its bytes changed. Jobs go out
in order and results come back in order, and a document's bytes depend only on its template and its
context, so the files equal a single-process run's byte for byte. Fork is used where the platform has
it (the parent's imports and compiled templates are inherited); elsewhere (Windows) spawn, for which
everything here is importable and picklable.

What a job costs to hand over matters as much as the render (under a millisecond for a protocol):
with fork the workers inherit the job list itself and get only index ranges, a few large ones per
worker, and send back only hashes; with spawn the jobs travel pickled, in the same ranges.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from pipeline.core.fsutil import atomic_write_bytes
from pipeline.render.compile import compile_template

PARALLEL_FROM = 200
"""Fewer documents than this render in this process: starting workers costs more than they save."""
BATCH = 25
"""The fewest documents a worker is worth starting for, and the smallest range handed to one."""
LARGEST_RANGE = 100
"""The most documents in one range: the last ranges of a run leave a worker idle for up to one range."""
CHUNKS_PER_WORKER = 12
"""Ranges per worker, within BATCH..LARGEST_RANGE documents each: handing a range out costs a fraction of a
millisecond, while one worker finishing a range after the other is idle costs a range's render time."""
WORKERS_ENV = "UCHET_WORKERS"

Job = tuple[str, dict[str, Any], str]  # template path, context, output path


def worker_count(jobs: int) -> int:
    """Give how many processes to render `jobs` documents on: UCHET_WORKERS, else the CPU count (max 4)."""
    configured = os.environ.get(WORKERS_ENV, "").strip()
    if configured.isdigit() and int(configured) > 0:
        wanted = int(configured)
    else:
        wanted = min(os.cpu_count() or 1, 4)
    return 1 if jobs < PARALLEL_FROM else max(1, min(wanted, jobs // BATCH))


def render_one(template_path: str, context: dict[str, Any], out_path: str, compiled=None) -> str:
    """Render one document, write it if its bytes changed, give the sha256 of its bytes.

    `compiled`: the template already compiled from `template_path` (saves a path lookup per document).
    """
    data = (compiled or compile_template(template_path)).render(context)
    sha = hashlib.sha256(data).hexdigest()
    path = Path(out_path)
    try:
        same = path.stat().st_size == len(data) and hashlib.sha256(path.read_bytes()).hexdigest() == sha
    except OSError:
        same = False
    if not same:
        # output/build/ is rebuilt by the next run; atomic, but not worth an fsync per document.
        atomic_write_bytes(path, data, durable=False)
    return sha


def _render_batch(jobs: Sequence[Job]) -> list[str]:
    templates: dict[str, Any] = {}
    out = []
    for template, context, path in jobs:
        if template not in templates:
            templates[template] = compile_template(template)
        out.append(render_one(template, context, path, templates[template]))
    return out


_INHERITED: Sequence[Job] = ()
"""The jobs of the pool being run, for forked workers to read instead of receiving them pickled."""


def _render_range(bounds: tuple[int, int]) -> list[str]:
    return _render_batch(_INHERITED[bounds[0]:bounds[1]])


def _ranges(count: int, workers: int) -> list[tuple[int, int]]:
    """Give consecutive index ranges covering 0..count: CHUNKS_PER_WORKER per worker, BATCH..LARGEST_RANGE jobs each."""
    size = min(max(count // (workers * CHUNKS_PER_WORKER), BATCH), LARGEST_RANGE)
    chunks = max(1, count // size)
    edges = [count * k // chunks for k in range(chunks + 1)]
    return list(zip(edges, edges[1:], strict=False))


def _ignore_ctrl_c() -> None:
    """Ctrl-C reaches every process of the run: the parent stops the pool and tells staff; workers stay quiet."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _context(method: str | None):
    if method is None:
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method)


def render_jobs(jobs: Sequence[Job], workers: int | None = None,
                advance: Callable[[int], None] = lambda n: None, start_method: str | None = None) -> list[str]:
    """Give the sha256 of every job's document, in job order; `advance(n)` is told as documents finish.

    `start_method`: "fork" or "spawn" (default: fork where the platform has it).
    """
    global _INHERITED
    workers = worker_count(len(jobs)) if workers is None else workers
    if workers <= 1:
        out = []
        for i in range(0, len(jobs), BATCH):
            out += _render_batch(jobs[i:i + BATCH])
            advance(len(out) - i)
        return out
    context = _context(start_method)
    ranges = _ranges(len(jobs), workers)
    if context.get_start_method() == "fork":
        _INHERITED, work, items = jobs, _render_range, ranges
    else:
        work, items = _render_batch, [jobs[a:b] for a, b in ranges]
    out = []
    # Forked workers share the parent's memory until they touch it; the garbage collector's bookkeeping
    # touches every object, so the objects alive now are frozen out of its reach while the pool runs.
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_ignore_ctrl_c) as pool:
            for shas in pool.map(work, items):  # map keeps job order
                out += shas
                advance(len(shas))
    finally:
        gc.unfreeze()
        _INHERITED = ()
    return out
