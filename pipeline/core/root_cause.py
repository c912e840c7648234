"""Root cause first: a problem that makes many others is told first, and those others are folded under it.

With learners.xlsx missing, empty or unreadable, every learner ID of every group «names nobody» and
every Moodle row «matches nobody»: dozens of messages about one cause, the real one lost among them.
Such consequences are not listed; the root problem says how many there are and that they go away with
it. What stays is ordered: problems with a whole file or sheet before problems in cells.
"""

from __future__ import annotations

import dataclasses
from collections import Counter

from pipeline.core.problems import Problem
from pipeline.core.ru import plural
from schemas import LEARNERS_FILE, ORGANIZATION_FILE

# Problems with a whole file or sheet: nothing in it could be read as it should.
ROOT_CODES = frozenset({
    "workbook_missing", "workbook_unreadable", "workbook_protected", "file_locked", "workbook_too_large",
    "missing_sheet", "sheet_no_header", "header_not_first_row", "learners_empty", "id_leading_zeros",
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
        note = _note(len(folded)).replace("в других местах", f"({files})")
        params = {**root.params, "consequences": note}
        out = [dataclasses.replace(p, params=params) if p is root else p for p in out if id(p) not in gone]
    return out


def learners_empty(groups, learner_count: int, learners_blank: bool) -> list[Problem]:
    """A learners' list with nobody in it while groups have members: one error, not one per member."""
    if learner_count or not learners_blank:
        return []  # the common case, told without reading every group's members
    members = sum(len(g.members) for g in groups)
    if not members:
        return []
    return [Problem(LEARNERS_FILE, "Слушатели", 2, None, "learners_empty", params={"members": members})]


ID_CODES = frozenset({"ref_learner_unknown", "ref_not_member"})


def fold_ids(problems: list[Problem], learners, groups) -> list[Problem]:
    """Give the problems with IDs that lost their leading zeros told once, at the cell that lost them.

    Excel turns «00063» typed into a number cell into 63. The ID then names nobody in every sheet that
    has it right (or everybody else names nobody): many «not found» errors and no word of why. Each
    such error whose ID differs from a known one only by leading zeros is folded under one error at
    the cell holding the short form: in learners.xlsx, on «Состав», or where it was typed.
    """
    if not any(p.code in ID_CODES for p in problems):
        return problems  # nothing to fold: every group's members stay unread (pipeline.core.deferred)
    known: dict[str, list[tuple[str, object]]] = {}  # zero-stripped id -> (id, source) of learners and members
    for learner in learners.values():
        known.setdefault(learner.id.lstrip("0"), []).append((learner.id, learner.src))
    for group in groups:
        for member in group.members:
            known.setdefault(member.learner_id.lstrip("0"), []).append((member.learner_id, member.src))
    roots: dict[tuple, Problem] = {}
    folded: dict[tuple, int] = {}
    out: list[Problem] = []
    for p in problems:
        value = str(p.value or "")
        twins = known.get(value.lstrip("0"), []) if p.code in ID_CODES and value.isdigit() else []
        other = [(i, src) for i, src in twins if i != value]
        if not other:
            out.append(p)
            continue
        longest = max([value, *(i for i, _src in other)], key=len)
        if len(value) < len(longest):  # this cell lost the zeros
            where = (p.file, p.sheet, p.row, p.column, p.params.get("col"))
        else:  # the learner's or member's own ID lost them
            short, src = min(other, key=lambda x: len(x[0]))
            column = "ID слушателя"
            where = (src.file, src.sheet, src.row, column, None)
            value = short
        key = where[:3]
        if key not in roots:
            params = {"expected": longest}
            if where[4] is not None:
                params["col"] = where[4]
            roots[key] = Problem(where[0], where[1], where[2], where[3], "id_leading_zeros", "error", value, params)
            folded[key] = 0
        if key != (p.file, p.sheet, p.row):
            folded[key] += 1  # a consequence elsewhere (the root's own cell is the root)
    # The member with the short ID also «misses» its rows on the other sheets: the same cause.
    shorts = {root.value: key for key, root in roots.items()}
    kept = []
    for p in out:
        key = shorts.get(p.value) if p.code in MEMBER_CODES else None
        if key is None:
            kept.append(p)
        else:
            folded[key] += 1
    for key, root in roots.items():
        extra = folded[key]
        if extra:
            root = dataclasses.replace(root, params={**root.params, "consequences": _note(extra)})
        kept.append(root)
    return kept


MEMBER_CODES = frozenset({"attendance_member_missing", "final_missing", "moodle_member_missing"})


def _note(count: int) -> str:
    return (f" Из-за этого же — еще {count} {plural(count, 'замечание', 'замечания', 'замечаний')} в других "
            f"местах; они исчезнут, когда это будет исправлено.")
