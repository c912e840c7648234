"""The cyclic garbage collector's tuning, in one place: when it is paused and what it never walks again.

A run allocates millions of small objects (cells, frames, model objects, unpickled cache entries) and
almost no reference cycles. The collector, walking them again and again as they age through its
generations, took a fifth of a large validation and a tenth of a second of a one-group edit for
nothing. So the stages that allocate in bulk run with it paused, and what lives to the end of the run
is frozen out of later collections. The cost: a reference cycle among frozen objects is never
collected, which a run that ends soon does not notice.
"""

from __future__ import annotations

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
