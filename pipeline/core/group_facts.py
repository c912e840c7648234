"""A group's facts: a digest of everything its workbook says but its day-to-day results.

A lesson's topic corrected, a mark or a test result added: staff do this every day, and it changes only
what a group's own journal, ведомости and learners' cards print. What compares groups with each other
(the rules across groups) or gathers every group of a year (the book of issued documents) reads the
group's facts: its members, orders, commission, final results and issued documents. One digest of
those, made when the workbook is checked and kept with its check, tells that no such fact changed
without reading any group's results back.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping

from pipeline.core.dataset import Group

NOT_FACTS = frozenset({"lessons", "marks", "interim", "tests", "file_sha256"})
"""The Group fields a group's facts leave out: its lessons, marks, module and test results, compared within
the group only, and its workbook's hash (not a fact). What keeps work under the facts' digest reads none of
them, and a test holds each reader to it (the global rules; the carriers marked `facts_only`)."""


def group_facts(group: Group, columns: Mapping[tuple[str, str], Mapping[str, int]]) -> str:
    """Give the digest of one group's facts: every field but NOT_FACTS, and the cell addresses of its
    workbook's sheets (`columns`: a rule names the cell it found a problem in)."""
    values = [(f.name, getattr(group, f.name)) for f in dataclasses.fields(group) if f.name not in NOT_FACTS]
    cells = sorted((key, sorted(cols.items())) for key, cols in columns.items())
    # repr is complete and stable for the model's frozen dataclasses (dates, tuples, text, numbers).
    return hashlib.sha256(repr((values, cells)).encode("utf-8")).hexdigest()
