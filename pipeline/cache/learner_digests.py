"""Per-learner digests of learners.xlsx, so a change there is traced to the learners whose rows changed.

A change to learners.xlsx (a phone, a name) concerns the learners whose rows changed, the groups that
name them and the year books those groups are in — not all 10,000 learners. The digest of a learner is
a hash of the whole record as the model built it (`repr` of the frozen dataclass's fields: every field,
the поощрения and the row it came from), so any change that could reach a document changes it.

It is made of two halves: the learner's facts (every field but CONTACTS), then the contacts. A phone or
an e-mail is printed on the learner's own card only; what gathers learners of many groups (the rules
across groups, the year books) reads their facts, and a new phone number keeps its work (facts_changed).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Mapping
from operator import attrgetter

from pipeline.core.dataset import Dataset, Group, Learner

CONTACTS = ("phone", "email")
"""The Learner fields a learner's facts leave out. What keeps work under the facts reads none of them, and
a test holds each reader to it (the rules across groups; the carriers marked `facts_only`)."""
_FACTS = attrgetter(*(f.name for f in dataclasses.fields(Learner) if f.name not in CONTACTS))
_CONTACTS = attrgetter(*CONTACTS)
HALF = 16
"""Hex digits of each half of a digest (64 bits: a change is told from the record before it)."""


def learner_digest(learner: Learner) -> str:
    """Give the digest of a learner's record: the digest of its facts, then that of its contacts."""
    facts = hashlib.blake2b(repr(_FACTS(learner)).encode("utf-8"), digest_size=HALF // 2).hexdigest()
    return facts + hashlib.blake2b(repr(_CONTACTS(learner)).encode("utf-8"), digest_size=HALF // 2).hexdigest()


def facts_of(digest: str) -> str:
    """The half of a learner's digest that tells its facts (CONTACTS left out)."""
    return digest[:HALF]


def facts_changed(before: Mapping[str, str], now: Mapping[str, str], learners: Iterable[str]) -> frozenset[str]:
    """Of `learners` (whose digests differ), those whose facts differ too (added and removed ones among them)."""
    return frozenset(i for i in learners if facts_of(before.get(i, "")) != facts_of(now.get(i, "")))


def learner_digests(learners: Mapping[str, Learner]) -> dict[str, str]:
    """Give {learner id: digest}."""
    return {lid: learner_digest(learner) for lid, learner in learners.items()}


def digests_of(dataset: Dataset) -> dict[str, str]:
    """The dataset's learner digests: as validation gave them, else worked out."""
    return dataset.learner_digests or learner_digests(dataset.learners)


def other_rows_digest(dataset: Dataset) -> str:
    """A digest of what learners.xlsx gives besides the learners' own records: поощрения of unknown ids."""
    loose = [a for a in dataset.awards if a.learner_id not in dataset.learners]
    return hashlib.blake2b(repr(loose).encode("utf-8"), digest_size=16).hexdigest()


def named_learners(group: Group) -> set[str]:
    """Every learner id a group's workbook (and its Moodle export) names, on any sheet."""
    ids = {m.learner_id for m in group.members}
    for rows in (group.marks, group.interim, group.final, group.issued, group.tests, group.test_gaps):
        ids.update(r.learner_id for r in rows)
    return ids


def named_of(dataset: Dataset, number: str) -> frozenset[str] | set[str]:
    """Every learner id group `number` names: as validation kept it, else read from the group's rows."""
    found = dataset.group_learners.get(number)
    return found if found is not None else named_learners(dataset.groups[number])


def group_learners_digest(named: Iterable[str], digests: Mapping[str, str]) -> tuple[str, bool]:
    """Give (a digest of the records of the learners a group names, whether all of them are known)."""
    ids = sorted(named)
    found = [digests.get(lid, "") for lid in ids]
    text = "\0".join(f"{lid}={d}" for lid, d in zip(ids, found, strict=True))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest(), all(found)
