"""The validated, typed model every later stage reads. No later stage reads Excel.

Built by `pipeline.intake.validate` only from rows that passed every check; each record keeps `src`, the
file, sheet and Excel row it came from, so a later stage can still point staff at the cell.
Records are frozen: no stage mutates what it received.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from pipeline.core.deferred import DeferredFields
from schemas import codes


@dataclass(frozen=True, order=True)
class Source:
    """Where a record came from: the workbook (relative to the input folder), sheet and Excel row."""

    file: str
    sheet: str
    row: int


@dataclass(frozen=True)
class Person:
    """A name as three parts, with the sex that declension needs."""

    surname: str
    name: str
    patronymic: str | None
    sex: str  # «Муж» or «Жен»

    @property
    def full_name(self) -> str:
        """«Фамилия Имя Отчество»."""
        return " ".join(p for p in (self.surname, self.name, self.patronymic) if p)


@dataclass(frozen=True)
class Organization:
    full_name: str
    short_name: str
    address: str
    city: str
    inn: str
    ogrn: str
    licence: str
    head_id: str
    legal_basis: str
    archive_fund: str | None
    phone: str | None
    src: Source
    basis_dpp: str | None = None
    """The Порядок of ДПП (ПК, ПП) the orders of such groups cite after `legal_basis`."""
    basis_po: str | None = None
    """The Порядок of профессиональное обучение the orders of ПО groups cite."""
    records_id: str | None = None  # «Ответственный за учет»; the head when empty
    archivist_id: str | None = None
    """Who compiles the описи and certifies the дела (pipeline.paper); None: blank lines to sign by hand."""


@dataclass(frozen=True)
class Module:
    program: str
    number: int
    name: str
    hours: int
    form: str  # codes.MODULE_FORM
    src: Source


@dataclass(frozen=True)
class Program:
    code: str
    name: str
    kind: str  # ПК, ПП, ПО
    po_kind: str | None
    hours: int
    study_form: str
    distance: bool
    prof_standard: str | None
    qualification: str | None
    rank: str | None
    document: str  # the qualification document a graduate receives
    final_form: str
    min_attendance: int  # percent of planned hours
    prof_area: str | None
    ugs: str | None
    modules: tuple[Module, ...]
    src: Source

    @property
    def kind_title(self) -> str:
        """«Повышение квалификации», «Профессиональная переподготовка» or «Профессиональное обучение»."""
        return codes.PROGRAM_KIND_TITLE[self.kind]

    def module(self, number: int) -> Module | None:
        return next((m for m in self.modules if m.number == number), None)


@dataclass(frozen=True)
class Staff:
    id: str
    person: Person
    position: str
    src: Source


@dataclass(frozen=True)
class CommissionMember:
    staff_id: str
    role: str  # codes.COMMISSION_ROLE
    src: Source


@dataclass(frozen=True)
class Commission:
    id: str
    order_no: str
    order_date: dt.date
    members: tuple[CommissionMember, ...]


@dataclass(frozen=True)
class ExpertOrder:
    """One composition of the expert commission (ЭК), as the director's order appointed it."""

    order_no: str
    order_date: dt.date
    members: tuple[CommissionMember, ...]
    src: Source
    """The first row of the order on «Экспертная комиссия»."""


@dataclass(frozen=True)
class ExpertMeeting:
    """One meeting of the ЭК, recorded on «Заседания ЭК»: its протокол and what it approved."""

    protocol_no: str
    date: dt.date
    acts: tuple[int, ...]
    """Numbers of the disposal acts the протокол approves."""
    case_indexes: tuple[str, ...]
    """Номенклатура indexes whose periods «требует решения ЭК» it approves."""
    src: Source


@dataclass(frozen=True)
class CaseRule:
    """One row of the номенклатура дел: where a carrier is filed and for how long."""

    carrier: str
    case_index: str
    case_title: str
    retention_years: int | None  # None when kept permanently
    retention_text: str  # as staff wrote it: «5», «постоянно», «до ликвидации организации»
    article: str | None
    epk: bool
    approved: bool  # False: «требует решения ЭК»
    note: str | None
    src: Source
    formation: str = "за год"
    """«за год»: one дело per year; «по группам»: one дело per group within the year (pipeline.paper.cases)."""


@dataclass(frozen=True)
class Award:
    """A поощрение (благодарность, грамота …) of a learner, by an order or decision."""

    learner_id: str
    kind: str  # codes.AWARD_KIND
    reason: str | None
    date: dt.date
    basis_no: str
    basis_date: dt.date
    group: str | None
    src: Source

    @property
    def basis(self) -> str:
        """«приказ (решение) от 10.02.2026 № 15-о»."""
        return f"приказ (решение) от {self.basis_date:%d.%m.%Y} №\u00a0{self.basis_no}"


@dataclass(frozen=True)
class Learner:
    id: str
    person: Person
    birth_date: dt.date
    snils: str  # «XXX-XXX-XXX YY»
    citizenship: str  # ОКСМ code
    education_level: str
    edu_surname: str | None
    edu_series: str | None
    edu_number: str | None
    workplace: str | None
    position: str | None
    phone: str | None
    email: str | None
    src: Source
    dative: str | None = None
    """«Иванову Ивану Ивановичу» as staff wrote it, for a name the declension library gets wrong."""
    awards: tuple[Award, ...] = ()  # «Поощрения» of learners.xlsx, by date


@dataclass(frozen=True)
class Order:
    kind: str  # codes.ORDER_KIND
    number: str
    date: dt.date
    signatory_id: str
    src: Source


@dataclass(frozen=True)
class Member:
    """A learner's enrolment in one group."""

    learner_id: str
    contract_no: str
    contract_date: dt.date
    funding: str
    status: str  # codes.ENROLMENT_STATUS
    expelled_on: dt.date | None
    expel_reason: str | None
    expel_order: str | None
    src: Source
    expel_ground: str | None = None
    """The document the early expulsion rests on, as staff wrote it («заявление от 20.12.2025»)."""

    @property
    def expelled_early(self) -> bool:
        return self.status == "отчислен досрочно"


@dataclass(frozen=True)
class Lesson:
    number: int
    date: dt.date
    hours: int
    module: int
    topic: str
    kind: str
    teacher_id: str
    src: Source


@dataclass(frozen=True)
class Mark:
    """A non-empty attendance cell; an empty cell means present and is not stored."""

    learner_id: str
    lesson: int
    mark: str  # a key of codes.ATTENDANCE_MARK
    src: Source


@dataclass(frozen=True)
class Result:
    """An attestation result as written: «5».. «2», «зачтено», «не зачтено», «н/я»."""

    value: str

    @property
    def positive(self) -> bool:
        return self.value in codes.POSITIVE_RESULT

    @property
    def absent(self) -> bool:
        return self.value == "н/я"

    @property
    def grade(self) -> int | None:
        """The numeric grade, for averages; None for pass/fail results."""
        return int(self.value) if self.value.isdigit() else None

    @property
    def words(self) -> str:
        """«5 (отлично)», «зачтено», «не явился»."""
        if self.value in codes.GRADE_WORDS:
            return f"{self.value} ({codes.GRADE_WORDS[self.value]})"
        return "не явился" if self.absent else self.value


@dataclass(frozen=True)
class InterimResult:
    learner_id: str
    module: int
    date: dt.date
    result: Result
    examiner_id: str
    src: Source


@dataclass(frozen=True)
class FinalResult:
    learner_id: str
    date: dt.date
    result: Result
    topic: str | None
    src: Source


@dataclass(frozen=True)
class IssuedDocument:
    learner_id: str
    document: str  # codes.DOCUMENT_KIND
    series: str | None
    number: str  # blank number
    reg_no: str
    issued_on: dt.date
    receipt: str
    status: str  # «Оригинал» or «Дубликат»
    lost: str | None
    exchanged: str | None
    destroyed: str | None
    replaces: str | None  # reg. no of the document this one replaces
    src: Source


@dataclass(frozen=True)
class TestResult:
    """A test result: from the sheet «Тестирование» (every field set) or a Moodle grade export.

    A Moodle gradebook carries no attempt date and no pass mark, and a maximum only for a percentage
    (100): those fields are None there, and `exported` is the date the export was made.
    """

    learner_id: str
    test: str
    date: dt.date | None
    score: float
    max_score: float | None
    threshold: float | None
    src: Source
    exported: dt.date | None = None

    @property
    def passed(self) -> bool | None:
        """Whether the score reaches the threshold; None when the threshold is not known."""
        return None if self.threshold is None else self.score >= self.threshold


UNGRADED_STATE = "не оценено"
ABSENT_STATE = "нет в выгрузке"


@dataclass(frozen=True)
class TestGap:
    """A member a Moodle export gives no result for: every grade «-» (UNGRADED_STATE) or no row (ABSENT_STATE)."""

    learner_id: str
    state: str
    exported: dt.date | None
    src: Source
    """The export's row (ungraded) or the member's «Состав» row (absent)."""


@dataclass(frozen=True)
class Group(DeferredFields):
    number: str
    program_code: str
    start: dt.date
    end: dt.date
    curator_id: str
    commission_id: str | None
    final_date: dt.date | None
    protocol_no: str | None
    signed: bool
    correction: str | None
    orders: tuple[Order, ...]
    members: tuple[Member, ...]
    lessons: tuple[Lesson, ...]
    marks: tuple[Mark, ...]
    interim: tuple[InterimResult, ...]
    final: tuple[FinalResult, ...]
    issued: tuple[IssuedDocument, ...]
    tests: tuple[TestResult, ...]
    file: str  # the group workbook, relative to the input folder
    file_sha256: str  # hash of the workbook's bytes, for manifests
    test_gaps: tuple[TestGap, ...] = ()  # members a Moodle export has no result for (shown, not dropped)

    # What the build cache reads back only when asked for (pipeline.core.deferred): an edit of one group
    # never looks at the others' members, lessons, marks and results, most of the objects of 400
    # workbooks. The rules across groups read members, final results and issued documents of every
    # group; their findings are kept while no group's facts change (pipeline.core.group_facts).
    # Orders are read for every group (is it completed?) and stay.
    __deferred_fields__ = ("members", "lessons", "marks", "interim", "final", "issued", "tests")

    def order(self, kind: str) -> Order | None:
        """The first order of a kind, or None when the group does not have it yet."""
        return self._first_orders.get(kind)

    @cached_property
    def _first_orders(self) -> dict[str, Order]:
        # Asked for tens of thousands of times per run (is the group completed?), always the same answer.
        first: dict[str, Order] = {}
        for o in self.orders:
            first.setdefault(o.kind, o)
        return first

    @property
    def year(self) -> int:
        """The archive year: the year training ended (a group across New Year files under its end)."""
        return self.end.year

    @property
    def completed(self) -> bool:
        """A group is complete, and its documents go to the archive, once its graduation order exists."""
        return self.order("об окончании обучения и отчислении") is not None

    def member(self, learner_id: str) -> Member | None:
        return next((m for m in self.members if m.learner_id == learner_id), None)

    def final_of(self, learner_id: str) -> FinalResult | None:
        return next((f for f in self.final if f.learner_id == learner_id), None)

    def hours_missed(self, learner_id: str) -> int:
        """Hours of lessons the learner missed (any mark but «д»)."""
        hours = {lesson.number: lesson.hours for lesson in self.lessons}
        return sum(
            hours.get(m.lesson, 0)
            for m in self.marks
            if m.learner_id == learner_id and m.mark in codes.ABSENCE_MARKS
        )


@dataclass(frozen=True)
class Dataset:
    organization: Organization | None  # None only for blank workbooks (see empty())
    programs: dict[str, Program]
    staff: dict[str, Staff]
    commissions: dict[str, Commission]
    nomenclature: dict[str, CaseRule]
    learners: dict[str, Learner]
    groups: dict[str, Group]  # by group number
    source_hashes: dict[str, str] = field(default_factory=dict)  # workbook path -> sha256
    awards: tuple[Award, ...] = ()  # every row of «Поощрения»; those of known learners are also on Learner.awards
    expert_orders: tuple[ExpertOrder, ...] = ()  # «Экспертная комиссия», by order date
    expert_meetings: tuple[ExpertMeeting, ...] = ()  # «Заседания ЭК», by date
    learner_digests: dict[str, str] = field(default_factory=dict)
    """By learner id: a digest of the learner's record as read from learners.xlsx
    (pipeline.cache.learner_digests), from validation; empty for a Dataset not read from workbooks."""
    group_inputs: dict[str, str] = field(default_factory=dict)
    """By group number: a digest of every input the group's records depend on (its workbook, its Moodle
    export, the reference workbooks, the records of the learners it names), from validation. Empty for a
    Dataset not read from workbooks; what is kept per group between runs is then worked out again."""
    group_learners: dict[str, frozenset[str]] = field(default_factory=dict)
    """By group number: every learner id the group names (its sheets, its Moodle export), from validation,
    which keeps it per workbook; empty for a Dataset not read from workbooks (worked out from the group:
    pipeline.cache.learner_digests.named_of)."""
    group_facts: dict[str, str] = field(default_factory=dict)
    """By group number: the digest of the group's facts (pipeline.core.group_facts), from validation, which
    keeps it with the workbook's check. A group with a Moodle export has none (the export adds to the
    group after the digest is made), nor has any group of a Dataset not read from workbooks."""

    @classmethod
    def empty(cls) -> Dataset:
        """The dataset of freshly initialised, still blank workbooks."""
        return cls(None, {}, {}, {}, {}, {}, {})

    @property
    def is_empty(self) -> bool:
        return self.organization is None and not self.groups and not self.learners

    def program_of(self, group: Group) -> Program:
        return self.programs[group.program_code]

    @cached_property
    def head(self) -> Staff:
        """The director who signs orders."""
        return self.staff[self.organization.head_id]
