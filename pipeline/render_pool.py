"""Render documents on several processes when there are enough of them to pay for starting the workers.

Each job is (template path, context, output path); a worker compiles each template once
(`compile_template` caches it), renders, and writes the file only when its bytes changed. Jobs go out
in order and results come back in order, and a document's bytes depend only on its template and its
context, so the files equal a single-process run's byte for byte. Fork is used where the platform has
it (the parent's imports and compiled templates are inherited); elsewhere (Windows) spawn, for which
everything here is importable and picklable.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from pipeline.fsutil import atomic_write_bytes
from pipeline.render import compile_template

PARALLEL_FROM = 200
"""Fewer documents than this render in this process: starting workers costs more than they save."""
BATCH = 25
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


def render_one(template_path: str, context: dict[str, Any], out_path: str) -> str:
    """Render one document, write it if its bytes changed, give the sha256 of its bytes."""
    data = compile_template(template_path).render(context)
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
    return [render_one(*job) for job in jobs]


def _context(method: str | None):
    if method is None:
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method)


def render_jobs(jobs: Sequence[Job], workers: int | None = None,
                advance: Callable[[int], None] = lambda n: None, start_method: str | None = None) -> list[str]:
    """Give the sha256 of every job's document, in job order; `advance(n)` is told as documents finish.

    `start_method`: "fork" or "spawn" (default: fork where the platform has it).
    """
    workers = worker_count(len(jobs)) if workers is None else workers
    if workers <= 1:
        out = []
        for job in jobs:
            out.append(render_one(*job))
            advance(1)
        return out
    batches = [jobs[i:i + BATCH] for i in range(0, len(jobs), BATCH)]
    out = []
    # Forked workers share the parent's memory until they touch it; the garbage collector's bookkeeping
    # touches every object, so the objects alive now are frozen out of its reach while the pool runs.
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=_context(start_method)) as pool:
            for shas in pool.map(_render_batch, batches):  # map keeps job order
                out += shas
                advance(len(shas))
    finally:
        gc.unfreeze()
    return out
