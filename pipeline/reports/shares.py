"""Each group's share of the reports, kept between runs (output/cache/report_groups-NN.json).

The reports count every learner of every group, but an edit changes one group. A group's share is
each member's row of learners.xlsx, each member's Verdict, the teachers' counts on its lessons
(figures.teacher_counts) and what status.xlsx needs of its records (status.Completeness). It is made from the group's own records, its program, the staff, the
records of the learners it names and the date, and is worked out again only when one of them
changed: the group's input key (Dataset.group_inputs, from validation: its workbook, its Moodle
export, the reference workbooks, the named learners' records) and the date key it. Every report is
then counted from the shares, old and new alike, so a kept share gives what assessing the group
again would. A Dataset not read from workbooks has no keys: its shares are worked out and not kept.
The shares are kept in SHARDS files by group number, so that a one-group edit rewrites one of them
(the rows of 10,000 learners take 0.15 s to write). The files are safe to delete.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline import cache
from pipeline.assessment.expectations import Verdict, assess_group, in_assessment_order
from pipeline.carriers import CARRIERS
from pipeline.core.dataset import Dataset, Group
from pipeline.reports.digests import digest
from pipeline.reports.figures import TeacherCounts, teacher_counts
from pipeline.reports.learners import learner_row
from pipeline.reports.status import Completeness, completeness

SHARES = "report_groups"
SHARDS = 16


@dataclass(frozen=True)
class GroupShare:
    """What one group gives the reports."""

    group: Group
    rows: list[list]
    """learners.xlsx's row of each member (learners.learner_row), in sheet order."""
    verdicts: list[Verdict]
    """Each member's verdict, in the same order."""
    teachers: TeacherCounts
    rows_digest: str
    """digests.digest of `rows`: learners.xlsx's content key is taken over these, group by group, so a
    run does not hash 10,000 kept rows again (0.05 s at 10,000 learners, 0.25 s at 50,000)."""
    completeness: Completeness
    """What status.xlsx needs of the group's records (its members, why a document cannot be made)."""


def shard_name(index: int) -> str:
    """The cache file of one shard of the shares."""
    return f"{SHARES}-{index:02d}.json"


def shard_of(number: str) -> int:
    """The shard that keeps a group's share."""
    return zlib.crc32(number.encode("utf-8", "surrogatepass")) % SHARDS


def group_shares(dataset: Dataset, today: dt.date, output_dir: Path) -> list[GroupShare]:
    """Give every group's share, groups in assessment order; those whose key is unchanged since the last
    run are read back from the cache, the others worked out (and kept for the next run)."""
    folder = cache.cache_dir(output_dir)
    stored = [_stored(folder / shard_name(i), shard_name(i)) for i in range(SHARDS)]
    kept: list[dict[str, list]] = [{} for _ in range(SHARDS)]
    shares = []
    for group in in_assessment_order(dataset.groups.values()):
        key = share_key(dataset, group, today)
        shard = shard_of(group.number)
        found = stored[shard].get(group.number)
        share = _read(dataset, group, found, key) if key else None
        if share is not None:
            # Kept as read: the shard then compares equal item by item without the members' verdicts
            # being listed again (50,000 at 2,000 groups: 0.4 s of every edit).
            kept[shard][group.number] = found
        else:
            share = work_out(dataset, group, today)
            if key:
                facts = share.completeness
                kept[shard][group.number] = [
                    key, share.rows, [[v.state, v.hours_held, v.hours_missed, v.final_grade] for v in share.verdicts],
                    share.teachers, share.rows_digest, list(facts.members),
                    {k: [state, list(why)] for k, (state, why) in facts.reasons.items()}]
        shares.append(share)
    for index, (now, before) in enumerate(zip(kept, stored, strict=True)):
        if now != before:
            cache.write_value(folder / shard_name(index), shard_name(index), now)
    return shares


def _stored(path: Path, name: str) -> dict:
    found = cache.read_value(path, name)
    return found if isinstance(found, dict) else {}


def share_key(dataset: Dataset, group: Group, today: dt.date) -> str | None:
    """The key of a group's share: its input key and the date (None: the Dataset has no input keys)."""
    inputs = dataset.group_inputs.get(group.number)
    if inputs is None:
        return None
    return hashlib.sha256(f"{inputs}\0{today.isoformat()}".encode()).hexdigest()


def work_out(dataset: Dataset, group: Group, today: dt.date) -> GroupShare:
    """Assess the group's members on `today` and count its share."""
    progress = assess_group(dataset, group, today)
    rows = [learner_row(dataset, p) for p in progress]
    return GroupShare(group, rows, [p.verdict for p in progress], teacher_counts(group, today), digest(rows),
                      completeness(dataset, group, CARRIERS))


def _read(dataset: Dataset, group: Group, found: Any, key: str) -> GroupShare | None:
    """The share kept under `key`, with the group and program of this run; None when not kept, or kept
    in another shape than this code writes."""
    if not isinstance(found, list) or len(found) != 7 or found[0] != key:
        return None
    _, rows, verdicts, teachers, rows_digest, members, reasons = found
    # The group's members are not read: its rows are those of the members kept with them (pipeline.core.deferred).
    if not (isinstance(rows, list) and isinstance(verdicts, list) and isinstance(teachers, dict)
            and isinstance(rows_digest, str) and isinstance(members, list) and isinstance(reasons, dict)
            and len(rows) == len(verdicts) == len(members)):
        return None
    program = dataset.program_of(group)
    try:
        made = [Verdict(group, program, *v) for v in verdicts]
        facts = Completeness(tuple(members), {k: (state, tuple(why)) for k, (state, why) in reasons.items()})
    except (TypeError, ValueError):
        return None
    return GroupShare(group, rows, made, teachers, rows_digest, facts)
