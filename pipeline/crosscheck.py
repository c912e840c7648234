"""Cross-sheet rules: what no single sheet can tell — ids that name nothing, dates, hours and
documents that disagree across sheets and workbooks.

The rules live in `pipeline.rules` (one module per subject); each takes a Context and reports into
it. Their codes, severities and Russian messages are listed in `pipeline.messages`.
"""

from __future__ import annotations

from pipeline.dataset import Dataset
from pipeline.frames import Loaded
from pipeline.problems import Problem
from pipeline.rules import RULES
from pipeline.rules.context import Context


def check(dataset: Dataset, loaded: Loaded) -> list[Problem]:
    """Give every cross-sheet problem of the dataset, in rule order; never stops at the first."""
    ctx = Context(dataset, loaded)
    for rule in RULES:
        rule(ctx)
    return ctx.problems
