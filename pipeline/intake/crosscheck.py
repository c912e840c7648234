"""Cross-sheet rules: what no single sheet can tell — ids that name nothing, dates, hours and
documents that disagree across sheets and workbooks.

The rules live in `pipeline.intake.rules` (one module per subject); each takes a Context and reports into
it. Their codes, severities and Russian messages are listed in `pipeline.core.messages`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from pipeline.core.dataset import Dataset, Group
from pipeline.core.problems import Problem
from pipeline.intake.frames import Loaded
from pipeline.intake.rules import GLOBAL_RULES, GROUP_RULES
from pipeline.intake.rules.context import Context


def check_group(dataset: Dataset, group: Group, loaded: Loaded, raw_cache: dict | None = None) -> list[Problem]:
    """Give the problems the per-group rules find in one group of the dataset.

    `loaded` needs the sheets of the reference workbooks and of this group's workbook only;
    `raw_cache` may be shared by the checks of all groups of one input.
    """
    ctx = Context(dataclasses.replace(dataset, groups={group.number: group}), loaded,
                  raw_cache={} if raw_cache is None else raw_cache)
    for rule in GROUP_RULES:
        rule(ctx)
    return ctx.problems


def check_global(dataset: Dataset, loaded: Loaded, columns: Mapping[tuple[str, str], Mapping[str, int]],
                 raw_cache: dict | None = None) -> list[Problem]:
    """Give the problems of the rules that compare groups with each other or check the reference workbooks.

    `loaded` needs the reference workbooks' sheets only; `columns` gives the cell addresses in the others.
    """
    ctx = Context(dataset, loaded, raw_cache={} if raw_cache is None else raw_cache, columns=columns)
    for rule in GLOBAL_RULES:
        rule(ctx)
    return ctx.problems
