"""The carrier registry's entry type: a carrier (a kind of record the regulation requires) as data.

A carrier is declared once, in the family module that builds its contexts (`orders.py`,
`journal.py`, …). Render, archive, retention, the index, the recommended номенклатура дел (`uchet init`),
the sample data and the proof data read only `pipeline.carriers.CARRIERS`. Adding a carrier is one
template, one entry and its tests; nothing else changes (tests/test_toy_carrier.py proves it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pipeline.core.dataset import Dataset, Group
from schemas.codes import CASE_FORMATION

Scope = Literal["group", "module", "learner", "year"]
BY_YEAR, BY_GROUP = CASE_FORMATION
"""How a case is formed: one дело per year (orders, the register), or one per group within the year."""


@dataclass(frozen=True)
class Case:
    """The row of the номенклатура дел a carrier recommends for its own case.

    `uchet init` prefills «Номенклатура дел» with it, the sample data and the proof data take it, and
    the paper archive forms the case by it unless the institution's row says otherwise.
    """

    index: str
    """Case index, e.g. «03-03»; carriers kept in one дело (the orders) share it."""
    title: str
    """Case title as in the номенклатура and the опись, e.g. «Протоколы заседаний итоговых аттестационных комиссий»."""
    retention: str
    """Years as digits («5», «50»), «постоянно» or «до ликвидации организации»."""
    note: str
    """Where the period comes from (the article of Перечень 236, or the practice the ЭК must approve)."""
    article: str | None = None
    """Article of Перечень 236 (e.g. «ст. 19 «а»»); None when the Перечень does not name it (status «требует решения ЭК»)."""
    epk: bool = False
    """«ЭПК»: the expert commission reviews the case before disposal."""
    formation: str = BY_YEAR
    """BY_YEAR or BY_GROUP, when the institution's row leaves «Формируется» empty."""


@dataclass(frozen=True)
class DocumentSpec:
    """One document a carrier produces: what to render and where it belongs."""

    doc_id: str
    """Stable id, unique across the run, e.g. «ПК-2025-01/order_enrolment»; the archive keys versions on it."""
    file_name: str
    """A self-explaining file name without folders, e.g. «Приказ о зачислении ПК-2025-01.docx»."""
    title: str
    """What a person calls it, e.g. «Приказ о зачислении № 12-к от 10 января 2025 г.»."""
    context: dict[str, Any]
    """Every variable the template receives."""
    year: int
    """The archive year (see Group.year)."""
    group: str | None = None
    """The group number, None for year-scoped documents."""
    learner_id: str | None = None
    """For learner-scoped documents."""
    date: dt.date | None = None
    """The document's own date; the archive takes крайние даты from it."""
    sources: tuple[str, ...] = ()
    """Input workbooks (relative paths) the document is built from."""
    first_date: dt.date | None = None
    """For a document kept over a span (a journal, a register): its first entry; `date` is its last."""
    entries: int | None = None
    """For a register: how many entries it holds (printed on the archive label)."""


@dataclass(frozen=True)
class Carrier:
    """One kind of record: declared once, read by render, archive, retention and the index."""

    key: str
    """Stable English key; the «Носитель» column of the номенклатура дел refers to it."""
    title: str
    """Russian title, as in the номенклатура and the опись."""
    template: str
    """File name of its template in templates_docx/."""
    scope: Scope
    """One document per group, per module of a group, per learner, or per year."""
    case_key: str
    """Which row of the номенклатура дел files it (usually the carrier key itself)."""
    build: Callable[[Dataset], Iterable[DocumentSpec]]
    """Gives (document, context) for every document this carrier has in the dataset."""
    archived: bool = True
    """False for a carrier that is printed but not filed (none so far)."""
    missing: Callable[[Dataset, Group], list[str]] | None = None
    """Why a group has no document of this kind yet: the data still missing, in Russian («нет приказа об
    окончании обучения»); an empty list when the group does not need one. None: the carrier does not say."""
    signed: bool = True
    """Signed by the group's signers, so frozen once the group is marked signed (pipeline.archive.filing).
    False for a running record, such as the learner card, that follows the learner's data."""
    every_group: bool = True
    """Learner scope only: the document counts for every group of the person (the learner card); False: only
    for the group it names (a certificate issued on finishing that group)."""
    case: Case | None = None
    """The recommended номенклатура row of its own case (`case_key == key`); None for a carrier filed in
    another carrier's case (the ведомость выдачи in the register's) or not filed at all."""
    facts_only: bool = False
    """Year scope only: its documents read no group field that a group's facts leave out (lessons, marks,
    module and test results: pipeline.core.group_facts.NOT_FACTS; a test holds the carrier to it). A year's
    book is then kept while the changed groups' facts are what the last run read: a lesson's topic
    corrected in one group does not make the year's 20,000-row book be built again to find it unchanged."""
    count: Callable[[Dataset], int] | None = None
    """How many documents `build` gives for a dataset, without building their contexts. Declared by the
    carriers with thousands of documents (one per learner) so that the render stage can show their progress
    while it hands their documents to the workers in batches, never holding every context at once; None: the
    render stage builds all of the carrier's documents first and counts them."""


@dataclass(frozen=True)
class RenderedDocument:
    """A document the render stage wrote into output/build/, handed on to the archive and the index."""

    carrier: Carrier
    spec: DocumentSpec
    location: Path | str
    """Where the .docx is under output/build/: a Path, or (a document kept from the last run) its absolute
    path as text, made into a Path only when asked for (`path`): a Path per document of the last run,
    25,000 of them at 400 groups, cost 0.15 s of every edit."""
    sha256: str
    """Hash of the document's bytes."""
    inputs_hash: str
    """Hash of its context and its template: unchanged inputs mean an unchanged document."""
    fresh: bool = True
    """Rendered by this run; False when taken unchanged from the last run (pipeline.cache.render_cache)."""

    @cached_property
    def path(self) -> Path:
        """The .docx under output/build/."""
        return self.location if isinstance(self.location, Path) else Path(self.location)
