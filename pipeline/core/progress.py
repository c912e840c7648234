"""Progress of the long stages: a rich bar on a terminal, plain occasional lines anywhere else.

On a terminal (stderr is a TTY) rich draws a bar that disappears when the stage ends. When output goes
to a file or a CI log, there is no ANSI at all: a plain line «… 1200 из 13854 (9 %)» at most every
PLAIN_EVERY seconds, so a stage that finishes quickly prints nothing and a long one shows it is alive.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

PLAIN_EVERY = 5.0


@contextmanager
def progress(description: str, total: int, *, what: str = "",
             detail: Callable[[], str] | None = None) -> Iterator[Callable[[int], None]]:
    """Give `advance(n)` for a stage of `total` steps, shown as a bar or as plain lines.

    A plain line says what its numbers count: `what` names a step («носитель 4 из 12») and `detail`
    adds what the steps hold so far («готово документов: 4 157»).
    """
    stream = sys.stderr
    if total <= 0:
        yield lambda n: None
        return
    if stream.isatty():
        yield from _bar(description, total)
        return
    state = {"done": 0, "shown": time.monotonic()}

    def advance(n: int) -> None:
        state["done"] += n
        now = time.monotonic()
        if now - state["shown"] >= PLAIN_EVERY:
            state["shown"] = now
            done = state["done"]
            counted = f"{what} {done} из {total}" if what else f"{done} из {total}"
            more = f", {detail()}" if detail else ""
            print(f"{description}: {counted} ({100 * done // total} %){more}", file=stream, flush=True)

    yield advance


_LIVE: list = []  # the rich Progress on screen, so a stage inside a stage adds a line instead of a second display


def _bar(description: str, total: int) -> Iterator[Callable[[int], None]]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    if _LIVE:
        bar = _LIVE[-1]
        task = bar.add_task(description, total=total)
        try:
            yield lambda n: bar.advance(task, n)
        finally:
            bar.remove_task(task)
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        _LIVE.append(bar)
        try:
            task = bar.add_task(description, total=total)
            yield lambda n: bar.advance(task, n)
        finally:
            _LIVE.pop()
