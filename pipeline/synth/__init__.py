"""A deterministic synthetic ЧОУ ДПО «Эко-Образование & Партнеры»: the sample data and the benchmark data.

`generate` builds the Dataset in memory from a seed alone (no clock, no global random state);
`pipeline.intake.workbooks.write_input` turns it into the staff workbooks. The same generator makes the
committed sample in `input/` (defaults) and the large benchmark input (`learners=10_000, groups=400`).
"""

from __future__ import annotations

import datetime as dt
import random

from pipeline.core.dataset import Dataset
from pipeline.intake.model import with_awards
from pipeline.synth import awards as award_builder
from pipeline.synth import groups as group_builder
from pipeline.synth import numbering, people, reference
from pipeline.synth.moodle import from_moodle, moodle_group

DEFAULT_SEED = 2025


def default_as_of(years: tuple[int, int]) -> dt.date:
    """The date the sample is «as of»: mid-June of the last year, so a couple of groups are still studying."""
    return dt.date(years[1], 6, 15)


def generate(
    seed: int = DEFAULT_SEED,
    learners: int = 130,
    groups: int = 10,
    years: tuple[int, int] = (2025, 2026),
    as_of: dt.date | None = None,
) -> Dataset:
    """Give a complete, valid Dataset of a fictional institution; the same arguments give the same data.

    Groups run from January of the first year to `as_of` (default: 15 June of the last year); the last
    few are still in training then (lessons only up to `as_of`, no final results, no graduation order).
    """
    if learners < 10 or groups < 1:
        raise ValueError("need at least 10 learners and 1 group")
    if years[1] < years[0]:
        raise ValueError("years must be (first, last)")
    as_of = as_of or default_as_of(years)
    rng = random.Random(seed)
    plans = reference.programs()
    staff, teacher_ids = people.staff(rng, teachers=max(8, groups // 8))
    roster = people.learners(rng, learners)
    drafts = group_builder.plan_groups(plans, groups, years, as_of)
    group_builder.assign_learners(rng, drafts, list(roster), years)
    group_builder.sort_members(drafts, roster)
    group_builder.pick_special_cases(rng, drafts)
    built = [group_builder.build(rng, d, teacher_ids, as_of) for d in drafts]
    group_records, commissions = numbering.freeze(rng, drafts, built)
    if (number := moodle_group(group_records)) is not None:
        group_records[number] = from_moodle(group_records[number])
    given = award_builder.awards(group_records)
    expert_orders, expert_meetings = numbering.expert_commission()
    return Dataset(
        organization=reference.organization(people.HEAD_ID, people.RECORDS_ID),
        programs={p.program.code: p.program for p in plans},
        staff=staff,
        commissions=commissions,
        nomenclature=reference.nomenclature(),
        learners=with_awards(roster, given),
        groups=group_records,
        awards=given,
        expert_orders=expert_orders,
        expert_meetings=expert_meetings,
    )


__all__ = ["DEFAULT_SEED", "default_as_of", "generate"]
