"""Build the typed Dataset from the loaded sheets: the step between raw rows and every later stage.

Rows that failed a per-sheet check (`bad_rows`) are left out; their own problem is already reported.
What cannot be built from otherwise good rows — a module of an unknown program, two workbooks naming
the same group, a commission whose rows disagree on its order — is reported here. The cross-sheet
rules proper live in `pipeline.intake.crosscheck`.

Each builder reads one workbook's sheets (`pipeline.intake.workbook_check` calls them per workbook);
`pipeline.intake.validate` puts the Dataset together. The Dataset is complete only when validation found no
errors; with errors it is built anyway, from what is usable, so that the cross-sheet rules can run in
the same pass.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

from pipeline.core import dataset as ds
from pipeline.core.problems import Problem
from pipeline.intake.frames import (
    BadRows,
    Loaded,
    as_date,
    as_float,
    as_int,
    is_lesson_column,
    keyvalue,
    raw_column,
    records,
    shown,
    text,
)
from pipeline.paper.formation import formation_of
from schemas import LEARNERS_FILE, ORGANIZATION_FILE, headers
from schemas import group as group_sheets
from schemas.learners import AwardsSheet, LearnersSheet
from schemas.organization import (
    CommissionsSheet,
    ModulesSheet,
    NomenclatureSheet,
    OrganizationSheet,
    ProgramsSheet,
    StaffSheet,
)

# --- reading a row into a record's fields ------------------------------------------------------------
# A record's fields are named as its sheet's columns in schemas/ (`headers(...)`), so most of a record
# is declared as field → reader and read by `_fields`; what needs more than one cell is built by hand.

Reader = Callable[[Any], Any]


def _blank(value: Any) -> str:
    """A text cell that may be left empty: «» rather than None."""
    return text(value) or ""


def _yes(value: Any) -> bool:
    return text(value) == "да"


def _fields(columns: SimpleNamespace, readers: dict[str, Reader]) -> Callable[[dict], dict[str, Any]]:
    """A function giving a row's fields of `readers`, each read by its reader from the column of the same
    name (the headers are looked up once per sheet, not per row)."""
    cells = [(field, getattr(columns, field), read) for field, read in readers.items()]
    return lambda row: {field: read(row.get(header)) for field, header, read in cells}


def _result(value: Any) -> ds.Result | None:
    """An attestation result cell; None when empty."""
    result = text(value)
    return None if result is None else ds.Result(result)


def _person(row: dict, columns: SimpleNamespace) -> ds.Person:
    """The name and sex of a learner or a member of staff."""
    return ds.Person(_blank(row.get(columns.surname)), _blank(row.get(columns.name)),
                     text(row.get(columns.patronymic)), _blank(row.get(columns.sex)))


Row = tuple[str, dict[str, Any], ds.Source, dict]
"""A usable row: its key, its fields as `_fields` reads them, where it stands, the row itself."""


def _usable(loaded: Loaded, file: str, sheet: str, bad_rows: BadRows, columns: SimpleNamespace, key: str,
            readers: dict[str, Reader], required: tuple[str, ...] = ()) -> Iterator[Row]:
    """Each row of `sheet` that names its `key` column and has every `required` field of `readers`; the
    other fields may be empty. The row itself comes along for what is built from more than one cell."""
    read = _fields(columns, readers)
    for src, r in records(loaded, file, sheet, bad_rows):
        k, fields = text(r.get(getattr(columns, key))), read(r)
        if k is not None and all(fields[f] is not None for f in required):
            yield k, fields, src, r


def _first_per_key(rows: Iterable[Row], make: Callable[[str, dict[str, Any], ds.Source, dict], Any]) -> dict:
    """The record `make(key, fields, src, row)` of the first row of each key, in the order of the sheet. A
    later row repeating a key is passed over: the key columns are `unique` in schemas/, so the sheet check
    reports that row («not_unique»)."""
    out: dict[str, Any] = {}
    for key, fields, src, r in rows:
        if key not in out:
            out[key] = make(key, fields, src, r)
    return out


ORGANIZATION_FIELDS: dict[str, Reader] = {
    **dict.fromkeys(("full_name", "short_name", "address", "city", "inn", "ogrn", "licence", "head_id",
                     "legal_basis"), _blank),
    **dict.fromkeys(("archive_fund", "phone", "basis_dpp", "basis_po", "records_id", "archivist_id"), text),
}
PROGRAM_FIELDS: dict[str, Reader] = {
    "name": _blank, "kind": _blank, "po_kind": text, "hours": as_int, "study_form": _blank, "distance": _yes,
    "prof_standard": text, "qualification": text, "rank": text, "document": _blank, "final_form": _blank,
    "min_attendance": lambda v: as_int(v) or 0, "prof_area": text, "ugs": text,
}
LEARNER_FIELDS: dict[str, Reader] = {
    "birth_date": as_date, "snils": _blank, "citizenship": _blank, "education_level": _blank,
    **dict.fromkeys(("edu_surname", "edu_series", "edu_number", "workplace", "position", "phone", "email",
                     "dative"), text),
}
MEMBER_FIELDS: dict[str, Reader] = {
    "contract_no": _blank, "contract_date": as_date, "funding": _blank, "status": _blank, "expelled_on": as_date,
    "expel_reason": text, "expel_order": text, "expel_ground": text,
}
ISSUED_FIELDS: dict[str, Reader] = {
    "document": text, "series": text, "number": text, "reg_no": text, "issued_on": as_date, "receipt": _blank,
    "status": lambda v: text(v) or "Оригинал", "lost": text, "exchanged": text, "destroyed": text,
    "replaces": text,
}
ORDER_FIELDS: dict[str, Reader] = {"number": text, "date": as_date, "signatory": _blank}
INTERIM_FIELDS: dict[str, Reader] = {"module": as_int, "date": as_date, "result": _result, "examiner": _blank}
FINAL_FIELDS: dict[str, Reader] = {"date": as_date, "result": _result, "topic": text}
TESTING_FIELDS: dict[str, Reader] = {
    "test": _blank, "date": as_date, "score": as_float, "max_score": as_float, "threshold": as_float,
}


# --- organization.xlsx -----------------------------------------------------------------------------


def build_organization(loaded: Loaded, bad_rows: BadRows) -> ds.Organization | None:
    """Give the organization; its fields are plain text, so a bad parameter only leaves it blank."""
    found = keyvalue(loaded, ORGANIZATION_FILE, "Организация", bad_rows)
    if found is None:
        return None
    src, r = found
    return ds.Organization(**_fields(headers(OrganizationSheet), ORGANIZATION_FIELDS)(r), src=src)


def build_modules(loaded: Loaded, bad_rows: BadRows, problems: list[Problem]) -> dict[str, list[ds.Module]]:
    """Give the modules of each program code, reporting a module number used twice in one program."""
    s = headers(ModulesSheet)
    by_program: dict[str, list[ds.Module]] = defaultdict(list)
    seen: dict[tuple[str, int], ds.Source] = {}
    for src, r in records(loaded, ORGANIZATION_FILE, "Модули", bad_rows):
        program, number, hours = text(r.get(s.program)), as_int(r.get(s.number)), as_int(r.get(s.hours))
        if program is None or number is None or hours is None:
            continue
        if (program, number) in seen:
            first = seen[(program, number)]
            problems.append(Problem(src.file, src.sheet, src.row, s.number, "module_duplicate", "error",
                                    number, {"program": program, "first_row": first.row}))
            continue
        seen[(program, number)] = src
        by_program[program].append(
            ds.Module(program, number, text(r.get(s.name)) or "", hours, text(r.get(s.form)) or "нет", src)
        )
    return by_program


def build_programs(loaded: Loaded, bad_rows: BadRows, problems: list[Problem]) -> dict[str, ds.Program]:
    s = headers(ProgramsSheet)
    modules = build_modules(loaded, bad_rows, problems)

    def program(code: str, fields: dict[str, Any], src: ds.Source, _row: dict) -> ds.Program:
        modules_of = tuple(sorted(modules.get(code, ()), key=lambda m: m.number))
        return ds.Program(code=code, **fields, modules=modules_of, src=src)

    rows = _usable(loaded, ORGANIZATION_FILE, "Программы", bad_rows, s, "code", PROGRAM_FIELDS, ("hours",))
    programs: dict[str, ds.Program] = _first_per_key(rows, program)
    # A module of a program nobody defined is not attached anywhere; say so unless that program's
    # own row was skipped for a problem of its own.
    known = raw_column(loaded, ORGANIZATION_FILE, "Программы", s.code) or set()
    for code, orphans in modules.items():
        if code not in programs and code not in known:
            for m in orphans:
                problems.append(Problem(m.src.file, m.src.sheet, m.src.row, ModulesSheet.program,
                                        "module_program_unknown", "error", code))
    return programs


def build_staff(loaded: Loaded, bad_rows: BadRows) -> dict[str, ds.Staff]:
    s = headers(StaffSheet)
    rows = _usable(loaded, ORGANIZATION_FILE, "Сотрудники", bad_rows, s, "id", {"position": _blank})
    return _first_per_key(rows, lambda sid, fields, src, r: ds.Staff(sid, _person(r, s), fields["position"], src))


def build_commissions(loaded: Loaded, bad_rows: BadRows, problems: list[Problem]) -> dict[str, ds.Commission]:
    """Give commissions from their member rows; the order is the first row's, others must agree."""
    s = headers(CommissionsSheet)
    rows: dict[str, list[tuple[ds.Source, dict]]] = defaultdict(list)
    for src, r in records(loaded, ORGANIZATION_FILE, "Комиссии", bad_rows):
        cid = text(r.get(s.commission))
        if cid is not None:
            rows[cid].append((src, r))
    commissions: dict[str, ds.Commission] = {}
    for cid, members in rows.items():
        order_no, order_date = None, None
        for src, r in members:
            no, date = text(r.get(s.order_no)), as_date(r.get(s.order_date))
            if order_no is None:
                order_no, order_date = no, date
                continue
            for header, value, expected in ((s.order_no, no, order_no), (s.order_date, date, order_date)):
                if value != expected:
                    problems.append(Problem(src.file, src.sheet, src.row, header, "commission_order_mismatch",
                                            "error", shown(value),
                                            {"commission": cid, "expected": shown(expected)}))
        if order_no is None or order_date is None:
            continue
        commissions[cid] = ds.Commission(
            id=cid,
            order_no=order_no,
            order_date=order_date,
            members=tuple(
                ds.CommissionMember(text(r.get(s.staff)) or "", text(r.get(s.role)) or "", src)
                for src, r in members
            ),
        )
    return commissions


def build_nomenclature(loaded: Loaded, bad_rows: BadRows) -> dict[str, ds.CaseRule]:
    s = headers(NomenclatureSheet)

    def rule(carrier: str, fields: dict[str, Any], src: ds.Source, r: dict) -> ds.CaseRule:
        retention = fields["retention"]
        return ds.CaseRule(
            carrier=carrier,
            case_index=text(r.get(s.case_index)) or "",
            case_title=text(r.get(s.case_title)) or "",
            retention_years=int(retention) if retention.isdigit() else None,
            retention_text=retention,
            article=text(r.get(s.article)),
            epk=text(r.get(s.epk)) == "да",
            approved=text(r.get(s.status)) == "утверждено",
            note=text(r.get(s.note)),
            src=src,
            formation=formation_of(carrier, text(r.get(s.formation))),
        )

    rows = _usable(loaded, ORGANIZATION_FILE, "Номенклатура дел", bad_rows, s, "carrier", {"retention": text},
                   ("retention",))
    return _first_per_key(rows, rule)


# --- learners.xlsx ---------------------------------------------------------------------------------


def build_learners(loaded: Loaded, bad_rows: BadRows) -> dict[str, ds.Learner]:
    s = headers(LearnersSheet)
    rows = _usable(loaded, LEARNERS_FILE, "Слушатели", bad_rows, s, "id", LEARNER_FIELDS, ("birth_date",))
    return _first_per_key(rows, lambda lid, fields, src, r: ds.Learner(id=lid, person=_person(r, s), **fields, src=src))


def build_awards(loaded: Loaded, bad_rows: BadRows) -> tuple[ds.Award, ...]:
    """Give the rows of «Поощрения» (an optional sheet), by date and sheet row."""
    s = headers(AwardsSheet)
    out = []
    for src, r in records(loaded, LEARNERS_FILE, "Поощрения", bad_rows):
        lid, kind, on = text(r.get(s.learner)), text(r.get(s.kind)), as_date(r.get(s.date))
        basis_no, basis_date = text(r.get(s.basis_no)), as_date(r.get(s.basis_date))
        if lid and kind and on and basis_no and basis_date:
            out.append(
                ds.Award(lid, kind, text(r.get(s.reason)), on, basis_no, basis_date, text(r.get(s.group)), src)
            )
    return tuple(sorted(out, key=lambda a: (a.date, a.src.row)))


def with_awards(learners: dict[str, ds.Learner], awards: tuple[ds.Award, ...]) -> dict[str, ds.Learner]:
    """The learners, each carrying his or her поощрения."""
    mine: dict[str, list[ds.Award]] = defaultdict(list)
    for award in awards:
        mine[award.learner_id].append(award)
    return {lid: replace(learner, awards=tuple(mine[lid])) if lid in mine else learner
            for lid, learner in learners.items()}


# --- groups/*.xlsx ---------------------------------------------------------------------------------


def _orders(loaded, file, bad_rows) -> tuple[ds.Order, ...]:
    rows = _usable(loaded, file, "Приказы", bad_rows, headers(group_sheets.OrdersSheet), "kind", ORDER_FIELDS,
                   ("number", "date"))
    return tuple(ds.Order(kind, f["number"], f["date"], f["signatory"], src) for kind, f, src, _ in rows)


def _per_learner(loaded, file, bad_rows, sheet: str, schema, make: Callable, readers: dict[str, Reader],
                 required: tuple[str, ...]) -> tuple:
    """A record `make(learner_id=…, **fields, src=…)` for each row of `sheet` that names its learner and has
    every `required` field; the other fields may be empty."""
    rows = _usable(loaded, file, sheet, bad_rows, headers(schema), "learner", readers, required)
    return tuple(make(learner_id=lid, **fields, src=src) for lid, fields, src, _ in rows)


def _members(loaded, file, bad_rows) -> tuple[ds.Member, ...]:
    return _per_learner(loaded, file, bad_rows, "Состав", group_sheets.MembersSheet, ds.Member, MEMBER_FIELDS,
                        ("contract_date",))


def _lessons(loaded, file, bad_rows) -> tuple[ds.Lesson, ...]:
    s = headers(group_sheets.LessonsSheet)
    out = []
    for src, r in records(loaded, file, "Занятия", bad_rows):
        number, date = as_int(r.get(s.number)), as_date(r.get(s.date))
        hours, module = as_int(r.get(s.hours)), as_int(r.get(s.module))
        if number is None or date is None or hours is None or module is None:
            continue
        topic, kind, teacher = text(r.get(s.topic)) or "", text(r.get(s.kind)) or "", text(r.get(s.teacher)) or ""
        out.append(ds.Lesson(number, date, hours, module, topic, kind, teacher, src))
    return tuple(sorted(out, key=lambda lesson: lesson.number))


def _marks(loaded, file, bad_rows) -> tuple[ds.Mark, ...]:
    frame = loaded.frames.get((file, "Посещаемость"))
    if frame is None:
        return ()
    lesson_columns = [c for c in frame.columns if is_lesson_column(c)]
    learner = headers(group_sheets.AttendanceSheet).learner
    out = []
    for src, r in records(loaded, file, "Посещаемость", bad_rows):
        lid = text(r.get(learner))
        if lid is None:
            continue
        for column in lesson_columns:
            mark = text(r.get(column))
            if mark is not None:
                out.append(ds.Mark(lid, int(column), mark, src))
    return tuple(out)


def _interim(loaded, file, bad_rows) -> tuple[ds.InterimResult, ...]:
    rows = _usable(loaded, file, "Промежуточная аттестация", bad_rows, headers(group_sheets.InterimSheet), "learner",
                   INTERIM_FIELDS, ("module", "date", "result"))
    return tuple(ds.InterimResult(lid, f["module"], f["date"], f["result"], f["examiner"], src)
                 for lid, f, src, _ in rows)


def _final(loaded, file, bad_rows) -> tuple[ds.FinalResult, ...]:
    return _per_learner(loaded, file, bad_rows, "Итоговая аттестация", group_sheets.FinalSheet, ds.FinalResult,
                        FINAL_FIELDS, ("date", "result"))


def _issued(loaded, file, bad_rows) -> tuple[ds.IssuedDocument, ...]:
    return _per_learner(loaded, file, bad_rows, "Выдача документов", group_sheets.IssuedSheet, ds.IssuedDocument,
                        ISSUED_FIELDS, ("document", "number", "reg_no", "issued_on"))


def _tests(loaded, file, bad_rows) -> tuple[ds.TestResult, ...]:
    return _per_learner(loaded, file, bad_rows, "Тестирование", group_sheets.TestingSheet, ds.TestResult,
                        TESTING_FIELDS, ("date", "score", "max_score", "threshold"))


def build_group(loaded: Loaded, file: str, bad_rows: BadRows) -> ds.Group | None:
    """Give one group workbook as a Group; None when its «Группа» sheet lacks what a group needs."""
    found = keyvalue(loaded, file, "Группа", bad_rows)
    if found is None:
        return None
    _src, r = found
    s = headers(group_sheets.GroupSheet)
    number, program, curator = text(r.get(s.number)), text(r.get(s.program)), text(r.get(s.curator))
    start, end = as_date(r.get(s.start)), as_date(r.get(s.end))
    if not (number and program and curator and start and end):
        return None
    return ds.Group(
        number=number,
        program_code=program,
        start=start,
        end=end,
        curator_id=curator,
        commission_id=text(r.get(s.commission)),
        final_date=as_date(r.get(s.final_date)),
        protocol_no=text(r.get(s.protocol_no)),
        signed=text(r.get(s.signed)) == "да",
        correction=text(r.get(s.correction)),
        orders=_orders(loaded, file, bad_rows),
        members=_members(loaded, file, bad_rows),
        lessons=_lessons(loaded, file, bad_rows),
        marks=_marks(loaded, file, bad_rows),
        interim=_interim(loaded, file, bad_rows),
        final=_final(loaded, file, bad_rows),
        issued=_issued(loaded, file, bad_rows),
        tests=_tests(loaded, file, bad_rows),
        file=file,
        file_sha256=loaded.hashes.get(file, ""),
    )
