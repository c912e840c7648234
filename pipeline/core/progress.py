"""Progress of the long stages: a rich bar on a terminal, plain occasional lines anywhere else.

On a terminal (stderr is a TTY) rich draws a bar that disappears when the stage ends. When output goes
to a file or a CI log, there is no ANSI at all: a plain line «… 1200 из 13854 (9 %)» at most every
PLAIN_EVERY seconds, so a stage that finishes quickly prints nothing and a long one shows it is alive.

The time left is told only where the steps cost about the same (documents of one carrier, workbooks,
archive folders): then the pace so far is an honest guide. A stage whose steps differ tenfold (the
carriers of the render stage) is shown with eta=False: its count, and the inner bar's time left.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

PLAIN_EVERY = 5.0


@contextmanager
def progress(description: str, total: int, *, what: str = "",
             detail: Callable[[], str] | None = None, eta: bool = True) -> Iterator[Callable[[int], None]]:
    """Give `advance(n)` for a stage of `total` steps, shown as a bar or as plain lines.

    A plain line says what its numbers count: `what` names a step («носитель 4 из 12») and `detail`
    adds what the steps hold so far («готово документов: 4 157»).
    """
    stream = sys.stderr
    if total <= 0:
        yield lambda n: None
        return
    if stream.isatty():
        yield from _bar(description, total, eta)
        return
    started = time.monotonic()
    state = {"done": 0, "shown": started}

    def advance(n: int) -> None:
        state["done"] += n
        now = time.monotonic()
        if now - state["shown"] >= PLAIN_EVERY:
            state["shown"] = now
            done = state["done"]
            counted = f"{what} {done} из {total}" if what else f"{done} из {total}"
            more = f", {detail()}" if detail else ""
            # Not from the first few steps: the first workbook (learners.xlsx) alone is twenty groups' worth.
            if eta and total // 20 <= done < total and done > 0:
                more += f", осталось около {remaining((now - started) * (total - done) / done)}"
            print(f"{description}: {counted} ({100 * done // total} %){more}", file=stream, flush=True)

    yield advance


def remaining(seconds: float) -> str:
    """«40 с», «3 мин 10 с»: the time left, to ten seconds past the first minute."""
    if seconds < 60:
        return f"{max(1, round(seconds))} с"
    minutes, rest = divmod(int(round(seconds / 10) * 10), 60)
    return f"{minutes} мин {rest} с" if rest else f"{minutes} мин"


_LIVE: list = []  # the rich Progress on screen, so a stage inside a stage adds a line instead of a second display


def _bar(description: str, total: int, eta: bool = True) -> Iterator[Callable[[int], None]]:
    # lazy: start-up — rich (70 ms) only when the console is a terminal
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    if _LIVE:
        bar = _LIVE[-1]
        task = bar.add_task(description, total=total, eta=eta)
        try:
            yield lambda n: bar.advance(task, n)
        finally:
            bar.remove_task(task)
        return
    # The time left only for a task whose steps cost alike (its `eta` field); elapsed time for all.
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               _remaining_column()())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        _LIVE.append(bar)
        try:
            task = bar.add_task(description, total=total, eta=eta)
            yield lambda n: bar.advance(task, n)
        finally:
            _LIVE.pop()


def _remaining_column():
    # lazy: start-up — rich (70 ms) only when the console is a terminal
    from rich.progress import TimeRemainingColumn
    from rich.text import Text

    class Remaining(TimeRemainingColumn):
        """rich's time left, blank for a task whose steps differ too much for the pace to tell it."""

        def render(self, task):
            return super().render(task) if task.fields.get("eta", True) else Text("")

    return Remaining
