"""Moodle grade exports beside a group workbook: read them, and match their rows to the group's learners.

Rules (the README's «Результаты тестирования» section repeats them for staff):
- Placement: the export of group workbook `groups/<имя>.xlsx` is `groups/<имя>.moodle.csv`, `.xlsx` or
  `.ods`, saved as Moodle gives it (course gradebook → «Экспорт»). An export whose group workbook is
  missing, or a second export of the same group, is an error.
- Format: the first sheet of an .xlsx/.ods; a .csv in UTF-8 (with or without BOM; Windows-1251 is
  accepted too) separated by commas, semicolons, tabs or colons (whichever makes the header row read as
  Moodle's). Headers in Russian or English: «Фамилия»/«Surname», «Имя»/«First name», «Адрес электронной
  почты»/«Email address», then one column per graded item «<Тип>:<Название> (Значение)» /
  «… (Real)», or «(Процент)»/«(Percentage)». Category and course totals, letters and feedback columns are
  not read. «-» means not graded (no result). Decimal commas and «85,00 %» are read.
- Score: Moodle exports neither the maximum of an item nor its pass mark. A points column gives the
  points with no maximum; an item exported only as a percentage gives «N из 100». The pass threshold is
  unknown, so the document states the score and leaves «сдан / не сдан» empty rather than guess.
  When an item has both a points and a percentage column, the points are taken.
- Date: the gradebook holds no attempt dates; «Последние загруженные из этого курса» (a Unix time,
  read in Moscow time, UTC+3) is the date the results are «as of».
- Matching, among the members of the group only: by e-mail (ignoring case) when exactly one member has
  it; otherwise by «Фамилия» + «Имя» against the learner's surname + name, or surname + name +
  patronymic (Moodle often keeps the patronymic in «Имя»), ignoring case, «ё»/«е» and extra spaces.
  A row that matches nobody, or several people, or a learner already matched by an earlier row is a
  warning naming the file and row; its grades are not used. Nothing is dropped silently.
- A group with both a sheet «Тестирование» and a Moodle export gets both sets of results (offline
  tests in the sheet, online ones from Moodle); the document lists them together.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import python_calamine

from pipeline.core import faults
from pipeline.core.dataset import ABSENT_STATE, UNGRADED_STATE, Group, Learner, Source, TestGap, TestResult
from pipeline.core.errors import UchetError
from pipeline.core.problems import Problem
from pipeline.intake import xlsx_guard
from pipeline.intake.normalise import clean_text
from schemas import GROUPS_DIR

MARK = ".moodle"
SUFFIXES = (".csv", ".xlsx", ".ods")
DELIMITERS = (",", ";", "\t", ":")
MOSCOW = dt.timezone(dt.timedelta(hours=3))
UNGRADED = "-"

# Headers as Moodle writes them, compared after _key(): profile fields in both interface languages.
SURNAME = ("фамилия", "surname", "last name")
FIRST_NAME = ("имя", "first name")
EMAIL = ("адрес электронной почты", "email address", "электронная почта", "email", "e-mail")
EXPORTED = ("последние загруженные из этого курса", "last downloaded from this course")
POINTS = ("значение", "real")
PERCENT = ("процент", "percentage")
TOTALS = re.compile(r"^(итоговая оценка за курс|course total|итого в категории|category total)", re.IGNORECASE)
ITEM = re.compile(r"^(?P<item>.+?)\s*\((?P<kind>[^()]+)\)$")
TYPE_PREFIX = re.compile(r"^([^:\s][^:]{0,40}):(?=\S)")


@dataclass(frozen=True)
class Grade:
    item: str
    """The graded item as Moodle names it, «Тест: Итоговое тестирование»."""
    score: float
    max_score: float | None
    """100 for a percentage; None for points (the export does not say the maximum)."""


@dataclass(frozen=True)
class ExportRow:
    """One learner's row of an export, as read."""

    row: int
    """The row number as a spreadsheet shows it (the header is row 1)."""
    surname: str | None
    first_name: str | None
    email: str | None
    grades: tuple[Grade, ...]
    exported: dt.date | None
    graded_items: int = 0
    """How many graded items the export has; a row with items but no grade is «не оценено»."""

    @property
    def shown(self) -> str:
        """The row's person as staff can find it in the export: «Иванов Иван, ivanov@example.ru»."""
        name = " ".join(p for p in (self.surname, self.first_name) if p)
        return ", ".join(p for p in (name, self.email) if p) or "(пустые ФИО и e-mail)"


@dataclass(frozen=True)
class MoodleExport:
    file: str
    """The export, relative to the input folder: «groups/ПК-2026-01.moodle.csv»."""
    sheet: str | None
    """The sheet read (.xlsx/.ods); None for a .csv."""
    columns: Mapping[str, str]
    """Which header was read as the surname, first name and e-mail (keys «surname», «first_name», «email»)."""
    rows: tuple[ExportRow, ...]


# --- placement -------------------------------------------------------------------------------------


def group_workbook_of(name: str) -> str | None:
    """Give the group workbook file name a Moodle export belongs to («X.moodle.csv» → «X.xlsx»); None if not an export."""
    lower = name.lower()
    for suffix in SUFFIXES:
        if lower.endswith(MARK + suffix) and len(name) > len(MARK + suffix):
            return name[: -len(MARK + suffix)] + ".xlsx"
    return None


def read_exports(
    input_dir: Path, group_files: Iterable[str], hashes: dict[str, str]
) -> tuple[dict[str, MoodleExport], list[Problem]]:
    """Give the Moodle export of each group workbook (by the workbook's relative path), and the problems met.

    `group_files` are the group workbooks found (relative paths); the export's hash goes into `hashes`
    so that a document built from it is re-filed when the export changes.
    """
    folder = Path(input_dir) / GROUPS_DIR
    if not folder.is_dir():
        return {}, []
    workbooks = set(group_files)
    found: dict[str, list[str]] = {}
    problems: list[Problem] = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        target = group_workbook_of(path.name)
        if not path.is_file() or target is None or path.name.startswith(("~$", ".~lock.", ".")):
            continue
        rel, owner = f"{GROUPS_DIR}/{path.name}", f"{GROUPS_DIR}/{target}"
        if owner not in workbooks:
            problems.append(Problem(rel, None, None, None, "moodle_orphan", params={"workbook": target}))
            continue
        found.setdefault(owner, []).append(rel)

    exports: dict[str, MoodleExport] = {}
    for owner, rels in found.items():
        if len(rels) > 1:
            for rel in rels:
                others = ", ".join(f"«{r}»" for r in rels if r != rel)
                problems.append(Problem(rel, None, None, None, "moodle_several", params={"others": others}))
            continue
        [rel] = rels
        try:
            data = (Path(input_dir) / rel).read_bytes()
        except OSError as exc:
            if faults.is_environmental(exc):  # locked, no rights, a disk error: operational, as for a workbook
                raise UchetError(faults.unreadable_input(Path(input_dir) / rel, exc)) from exc
            problems.append(Problem(rel, None, None, None, "moodle_unreadable", params={"reason": exc.strerror or ""}))
            continue
        hashes[rel] = hashlib.sha256(data).hexdigest()
        export, found_problems = read_export(data, rel)
        problems += found_problems
        if export is not None:
            exports[owner] = export
    return exports, problems


# --- reading ---------------------------------------------------------------------------------------


def read_export(data: bytes, rel: str) -> tuple[MoodleExport | None, list[Problem]]:
    """Give the export in `data` (its format told by the suffix of `rel`) and the problems met reading it."""
    try:
        if rel.lower().endswith(".csv"):
            sheet, rows = None, _csv_rows(data)
        else:
            refused = xlsx_guard.refusal(data)
            if refused is not None:
                return None, [Problem(rel, None, None, None, "workbook_too_large", params={"reason": refused})]
            book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            sheet = book.sheet_names[0]
            rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (python_calamine.CalamineError, ValueError, IndexError, csv.Error):
        # The reader's own (English) words are no use to staff.
        reason = "файл поврежден или это не выгрузка в формате .csv, .xlsx или .ods"
        return None, [Problem(rel, None, None, None, "moodle_unreadable", params={"reason": reason})]
    return _parse(rows, rel, sheet)


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1251")  # an export re-saved by Excel on a Russian Windows
    lines = text.splitlines()
    if not lines:
        return []
    # The delimiter that makes the header row read as Moodle's profile columns; item names carry
    # colons and commas of their own, so csv.Sniffer's character counting is not enough.
    delimiter = max(DELIMITERS, key=lambda d: (_known_headers(next(csv.reader([lines[0]], delimiter=d))), d == ","))
    return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _known_headers(cells: Sequence[str]) -> int:
    keys = {_key(c) for c in cells}
    known = sum(1 for names in (SURNAME, FIRST_NAME, EMAIL, EXPORTED) if keys & set(names))
    return known + sum(1 for c in cells if ITEM.match(str(c).strip()))


def _parse(rows: list[list], rel: str, sheet: str | None) -> tuple[MoodleExport | None, list[Problem]]:
    header = [clean_text(v) or "" for v in rows[0]] if rows else []
    keys = [_key(h) for h in header]

    def position(names: tuple[str, ...]) -> int | None:
        return next((i for i, k in enumerate(keys) if k in names), None)

    surname, first, email, exported = position(SURNAME), position(FIRST_NAME), position(EMAIL), position(EXPORTED)
    if email is None and (surname is None or first is None):
        return None, [Problem(rel, sheet, 1 if rows else None, None, "moodle_no_people")]

    points: dict[str, int] = {}
    percent: dict[str, int] = {}
    for index, text in enumerate(header):
        match = ITEM.match(text)
        if not match or TOTALS.match(text):
            continue
        kind, item = _key(match["kind"]), _item_name(match["item"])
        if kind in POINTS:
            points.setdefault(item, index)
        elif kind in PERCENT:
            percent.setdefault(item, index)
    items = [(item, index, None) for item, index in points.items()]
    items += [(item, index, 100.0) for item, index in percent.items() if item not in points]
    items.sort(key=lambda x: x[1])

    problems: list[Problem] = []
    if not items:
        problems.append(Problem(rel, sheet, 1, None, "moodle_no_items", "warning"))
    if exported is None:
        # The document states when the data were exported; without the date it would have to guess.
        problems.append(Problem(rel, sheet, 1, None, "moodle_no_date", params={"header": EXPORTED[0].capitalize()}))
    out: list[ExportRow] = []
    for number, raw in enumerate(rows[1:], start=2):
        cells = [clean_text(v) for v in raw]
        if not any(c is not None for c in cells):
            continue

        def cell(index: int | None, cells=cells):
            return cells[index] if index is not None and index < len(cells) else None

        grades = []
        for item, index, top in items:
            value = cell(index)
            if value is None or value == UNGRADED:
                continue
            score = _number(raw[index] if index < len(raw) else None)
            if score is None:
                problems.append(Problem(rel, sheet, number, header[index], "moodle_value", "warning", value,
                                        {"col": index + 1}))
                continue
            grades.append(Grade(item, score, top))
        stamp = raw[exported] if exported is not None and exported < len(raw) else None
        when = _exported(stamp)
        if when is None and exported is not None:
            problems.append(Problem(rel, sheet, number, header[exported], "moodle_date", "error",
                                    clean_text(stamp), {"col": exported + 1}))
        out.append(ExportRow(number, cell(surname), cell(first), cell(email), tuple(grades), when,
                             graded_items=len(items)))
    columns = {k: header[i] for k, i in (("surname", surname), ("first_name", first), ("email", email)) if i is not None}
    return MoodleExport(rel, sheet, columns, tuple(out)), problems


def _item_name(text: str) -> str:
    """«Тест:Итоговое тестирование» → «Тест: Итоговое тестирование» (Moodle's separator, made readable)."""
    return TYPE_PREFIX.sub(r"\1: ", " ".join(text.split()), count=1)


def _number(raw) -> float | None:
    """A grade as Moodle writes it: 17.5, «17,50», «85,00 %»; None when it is not a number (a scale word)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        return float(raw)
    text = "".join(str(raw or "").split()).removesuffix("%").replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


# Month names as Moodle prints them in either interface language (Russian in the genitive, «2 декабря
# 2026»; the nominative and three-letter forms are read too), by the first three letters.
MONTHS = {
    "янв": 1, "фев": 2, "мар": 3, "апр": 4, "мая": 5, "май": 5, "июн": 6, "июл": 7, "авг": 8, "сен": 9,
    "окт": 10, "ноя": 11, "дек": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7,
    "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
DAY_MONTH_YEAR = re.compile(r"(?<!\d)(\d{1,2})\s+([^\W\d_]{3,})\.?,?\s+(\d{4})(?!\d)")
MONTH_DAY_YEAR = re.compile(r"([^\W\d_]{3,})\.?\s+(\d{1,2}),?\s+(\d{4})(?!\d)")
NUMERIC_DATE = re.compile(r"(?<!\d)(?:(\d{1,2})[./](\d{1,2})[./](\d{4})|(\d{4})-(\d{2})-(\d{2}))(?!\d)")
UNIX_RANGE = (946_684_800, 4_102_444_800)  # 2000-01-01 … 2100-01-01: a Unix time, not some other number
EXCEL_SERIAL_RANGE = (36_526, 73_051)  # the same years as Excel day numbers (a cell formatted as a number)
EXCEL_EPOCH = dt.date(1899, 12, 30)


def _exported(raw) -> dt.date | None:
    """The export date in any form Moodle writes «Последние загруженные из этого курса»; None if unreadable.

    Forms: a Unix time («1771318800», Moscow time), an .xlsx/.ods date cell, «2 декабря 2026, 14:05»,
    «среда, 2 декабря 2026, 14:05», «Wednesday, 2 December 2026, 2:05 PM», «December 2, 2026»,
    «02.12.2026 14:05», «2026-12-02 14:05:00», and an Excel day number.
    """
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, bool):
        return None
    text = clean_text(raw)
    if text is None:
        return None
    number = _number(text) if isinstance(raw, str) else (float(raw) if isinstance(raw, (int, float)) else None)
    if number is not None:
        if UNIX_RANGE[0] <= number < UNIX_RANGE[1]:
            return dt.datetime.fromtimestamp(int(number), MOSCOW).date()
        if EXCEL_SERIAL_RANGE[0] <= number < EXCEL_SERIAL_RANGE[1]:
            return EXCEL_EPOCH + dt.timedelta(days=int(number))
        return None
    lower = text.casefold()
    for match in DAY_MONTH_YEAR.finditer(lower):
        found = _calendar(int(match[3]), MONTHS.get(match[2][:3]), int(match[1]))
        if found:
            return found
    for match in MONTH_DAY_YEAR.finditer(lower):
        found = _calendar(int(match[3]), MONTHS.get(match[1][:3]), int(match[2]))
        if found:
            return found
    match = NUMERIC_DATE.search(lower)
    if match:
        if match[1]:
            return _calendar(int(match[3]), int(match[2]), int(match[1]))
        return _calendar(int(match[4]), int(match[5]), int(match[6]))
    return None


def _calendar(year: int, month: int | None, day: int) -> dt.date | None:
    if month is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _key(text) -> str:
    """Compare headers and names ignoring case, «ё» and spacing."""
    return " ".join(str(text or "").casefold().replace("ё", "е").split())


# --- matching --------------------------------------------------------------------------------------


def attach(
    groups: Mapping[str, Group], learners: Mapping[str, Learner], exports: Mapping[str, MoodleExport]
) -> tuple[dict[str, Group], list[Problem]]:
    """Give the groups with their Moodle results added to `tests` (and to `test_gaps` the members without
    one), and the rows that could not be matched."""
    out = dict(groups)
    problems: list[Problem] = []
    for number, group in groups.items():
        export = exports.get(group.file)
        if export is None:
            continue
        tests, found = match(export, group, learners)
        problems += found
        out[number] = replace(group, tests=group.tests + tests, test_gaps=gaps(export, group, learners))
    return out, problems


def gaps(export: MoodleExport, group: Group, learners: Mapping[str, Learner]) -> tuple[TestGap, ...]:
    """Members the export gives no result for: matched but every grade «-», or not in the export at all.

    Members expelled early are not expected in the export, nor members with results on the sheet
    «Тестирование» (tests taken offline). An export with no graded item says nothing
    about anyone (a warning of its own), so it gives no gaps.
    """
    if not any(row.graded_items for row in export.rows):
        return ()
    matched = _matched_rows(export, group, learners)
    on_sheet = {t.learner_id for t in group.tests}  # results typed on «Тестирование» (offline tests)
    out = []
    for member in group.members:
        row = matched.get(member.learner_id)
        if row is not None and not row.grades:
            out.append(TestGap(member.learner_id, UNGRADED_STATE, row.exported, Source(export.file, export.sheet or "", row.row)))
        elif row is None and not member.expelled_early and member.learner_id not in on_sheet:
            out.append(TestGap(member.learner_id, ABSENT_STATE, None, member.src))
    return tuple(out)


def gap_problems(export: MoodleExport, group: Group, learners: Mapping[str, Learner]) -> list[Problem]:
    """A warning per member without a result: at the export's row («не оценено») or the «Состав» row."""
    out = []
    shown = {row.row: row.shown for row in export.rows}
    for gap in gaps(export, group, learners):
        if gap.state == UNGRADED_STATE:
            column = export.columns.get("surname", export.columns.get("email"))
            out.append(Problem(export.file, export.sheet, gap.src.row, column, "moodle_ungraded", "warning",
                               shown.get(gap.src.row, gap.learner_id)))
        else:
            out.append(Problem(group.file, gap.src.sheet, gap.src.row, "ID слушателя", "moodle_member_missing",
                               "warning", gap.learner_id, {"export": export.file}))
    return out


def _matched_rows(export: MoodleExport, group: Group, learners: Mapping[str, Learner]) -> dict[str, ExportRow]:
    """The export row of each member it was matched to (the first one; see match())."""
    rows: dict[str, ExportRow] = {}
    for row, found, _ in _candidates(export, group, learners):
        if len(found) == 1:
            rows.setdefault(found[0], row)
    return rows


def _candidates(export: MoodleExport, group: Group, learners: Mapping[str, Learner]):
    """Each export row with the members it may be, and the column that told."""
    by_email: dict[str, list[str]] = {}
    by_name: dict[str, list[str]] = {}
    for member in group.members:
        learner = learners.get(member.learner_id)
        if learner is None:
            continue
        if learner.email:
            by_email.setdefault(_key(learner.email), []).append(learner.id)
        p = learner.person
        for name in {_key(f"{p.surname} {p.name}"), _key(p.full_name)}:
            by_name.setdefault(name, []).append(learner.id)
    for row in export.rows:
        found = by_email.get(_key(row.email), []) if row.email else []
        told_by = "email"
        if len(found) != 1:
            found = by_name.get(_key(f"{row.surname or ''} {row.first_name or ''}"), []) if row.surname else []
            told_by = "surname"
        yield row, found, told_by


def match(export: MoodleExport, group: Group, learners: Mapping[str, Learner]) -> tuple[tuple[TestResult, ...], list[Problem]]:
    """Give the test results of the export's rows matched to members of `group`, and a warning per other row."""
    results: list[TestResult] = []
    problems: list[Problem] = []
    first_row: dict[str, int] = {}
    for row, found, told_by in _candidates(export, group, learners):
        column = export.columns.get("email")
        if told_by == "surname":
            column = export.columns.get("surname", column)
        if len(found) != 1:
            code = "moodle_ambiguous" if found else "moodle_unmatched"
            params = {"count": len(found)} if found else {}
            problems.append(Problem(export.file, export.sheet, row.row, column, code, "warning", row.shown, params))
            continue
        [learner_id] = found
        if learner_id in first_row:
            problems.append(Problem(export.file, export.sheet, row.row, column, "moodle_duplicate", "warning",
                                    row.shown, {"first_row": first_row[learner_id]}))
            continue
        first_row[learner_id] = row.row
        src = Source(export.file, export.sheet or "", row.row)
        results += [
            TestResult(learner_id, g.item, None, g.score, g.max_score, None, src, exported=row.exported)
            for g in row.grades
        ]
    return tuple(results), problems + gap_problems(export, group, learners)


# --- writing (the synthetic sample and the tests) --------------------------------------------------

RU_PROFILE = ("Имя", "Фамилия", "Индивидуальный номер", "Учреждение (организация)", "Отдел",
              "Адрес электронной почты")
RU_TOTAL, RU_EXPORTED = "Итоговая оценка за курс (Значение)", "Последние загруженные из этого курса"


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]], delimiter: str = ",") -> bytes:
    """Give a CSV as Moodle's «Файл с данными, разделенными запятыми» is written: UTF-8, quoted where needed."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def export_csv(group: Group, tests: Sequence[TestResult], learners: Mapping[str, Learner]) -> bytes:
    """Give the Russian gradebook export Moodle would write for these results of the group's members.

    One row per member in the group's order (the results' `src.row` must follow it), one points column
    per test in order of first appearance, the course total and the export time (noon, Moscow time).
    """
    items = list(dict.fromkeys(t.test for t in tests))
    scores = {(t.learner_id, t.test): t.score for t in tests}
    exported = max((t.exported for t in tests if t.exported), default=group.end)
    stamp = int(dt.datetime.combine(exported, dt.time(12), MOSCOW).timestamp())
    rows = []
    for member in group.members:
        learner = learners[member.learner_id]
        grades = [scores.get((learner.id, item)) for item in items]
        graded = [g for g in grades if g is not None]
        rows.append([
            learner.person.name, learner.person.surname, "", learner.workplace or "", "", learner.email or "",
            *(UNGRADED if g is None else f"{g:.2f}" for g in grades),
            f"{sum(graded):.2f}" if graded else UNGRADED, str(stamp),
        ])
    header = [*RU_PROFILE, *(f"{item} (Значение)" for item in items), RU_TOTAL, RU_EXPORTED]
    return to_csv(header, rows)
