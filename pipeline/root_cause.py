"""Root cause first: a problem that makes many others is told first, and those others are folded under it.

With learners.xlsx missing, empty or unreadable, every learner ID of every group «names nobody» and
every Moodle row «matches nobody»: dozens of messages about one cause, the real one lost among them.
Such consequences are not listed; the root problem says how many there are and that they go away with
it. What stays is ordered: problems with a whole file or sheet before problems in cells.
"""

from __future__ import annotations

import dataclasses
from collections import Counter

from pipeline.problems import Problem
from pipeline.ru import plural
from schemas import LEARNERS_FILE, ORGANIZATION_FILE

# Problems with a whole file or sheet: nothing in it could be read as it should.
ROOT_CODES = frozenset({
    "workbook_missing", "workbook_unreadable", "workbook_protected", "file_locked", "workbook_too_large",
    "missing_sheet", "sheet_no_header", "header_not_first_row", "learners_empty",
})
# What a broken reference workbook makes the groups report: ids and names that look up nothing.
CONSEQUENCES = {
    LEARNERS_FILE: frozenset({
        "ref_learner_unknown", "name_mismatch", "name_yo_mismatch", "moodle_unmatched", "moodle_ambiguous",
        "moodle_member_missing", "moodle_ungraded", "moodle_duplicate",
    }),
    ORGANIZATION_FILE: frozenset({
        "ref_program_unknown", "ref_staff_unknown", "ref_commission_unknown", "ref_head_unknown",
        "ref_module_unknown",
    }),
}


def is_root(problem: Problem) -> bool:
    return problem.is_error and problem.code in ROOT_CODES


def fold(problems: list[Problem]) -> list[Problem]:
    """Give the problems with the consequences of a broken reference workbook folded under its first root problem."""
    out = list(problems)
    for workbook, codes in CONSEQUENCES.items():
        root = next((p for p in out if p.file == workbook and is_root(p)), None)
        if root is None:
            continue
        folded = [p for p in out if p.code in codes and p.file != workbook]
        if not folded:
            continue
        gone = set(map(id, folded))
        by_file = Counter(p.file for p in folded)
        files = ", ".join(f"«{f}»" for f in sorted(by_file))
        note = (f" Из-за этого не проверены еще {len(folded)} {plural(len(folded), 'запись', 'записи', 'записей')} "
                f"({files}): они будут проверены, когда это будет исправлено.")
        params = {**root.params, "consequences": note}
        out = [dataclasses.replace(p, params=params) if p is root else p for p in out if id(p) not in gone]
    return out


def learners_empty(groups, learner_count: int, learners_blank: bool) -> list[Problem]:
    """A learners' list with nobody in it while groups have members: one error, not one per member."""
    members = sum(len(g.members) for g in groups)
    if learner_count or not learners_blank or not members:
        return []
    return [Problem(LEARNERS_FILE, "Слушатели", 2, None, "learners_empty", params={"members": members})]
