"""The cyclic garbage collector's tuning, in one place: when it is paused and what it never walks again.

A run allocates millions of small objects (cells, frames, model objects, unpickled cache entries) and
almost no reference cycles. The collector, walking them again and again as they age through its
generations, took a fifth of a large validation and a tenth of a second of a one-group edit for
nothing. So the stages that allocate in bulk run with it paused, and what lives to the end of the run
is frozen out of later collections. The cost: a reference cycle among frozen objects is never
collected, which a run that ends soon does not notice.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run the body without the cyclic garbage collector, then leave what it allocated out of later collections."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def keep_to_the_end() -> None:
    """Leave every object alive now out of later collections (the Dataset, the documents, a worker's template)."""
    gc.freeze()


@contextmanager
def frozen_while_forked() -> Iterator[None]:
    """Leave the objects alive now out of the collector's reach while forked workers run, then thaw them.

    Forked workers share the parent's memory until they touch it; the collector's bookkeeping touches
    every object it walks, which would copy the whole heap into each worker.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _trim():
    # glibc keeps freed small blocks in its arenas; malloc_trim hands whole free pages back to the system.
    # Elsewhere (macOS, Windows, musl without it) there is nothing to call, and nothing is lost but memory.
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_MALLOC_TRIM = _trim()


def give_back_freed_memory() -> None:
    """Return the pages a finished bulk step (one carrier's contexts) freed to the system, where the C
    library allows it: freed but scattered, they would stay counted in the run's memory to its end."""
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)
