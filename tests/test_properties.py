"""Arbitrary Unicode in free-text fields: rendered literally into a valid DOCX, or refused with a clear problem.

Two properties. (1) On the typed model: any text that survives the loader's cleaning (`clean_text`)
and carries no XML-forbidden character, put into a free-text field of a synthetic Dataset, appears
literally in the extracted text of a real rendered carrier, `& < > " '`, `{{ }}`, `{% %}`, right-to-left
marks and emoji included; text with a forbidden control character is refused by `normalise` as
`control_character`. (2) Through the whole validate path: the value typed into a workbook cell comes
out of validation as that cleaned text, or as that problem at that cell.
"""

from __future__ import annotations

import dataclasses as dc
import io
import re
import tempfile
import zipfile
from pathlib import Path

import pytest
from builders import GROUP, write_input
from corpus.cases import xml_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import synth
from pipeline.carriers import carrier
from pipeline.core.messages import render
from pipeline.core.problems import Problem
from pipeline.core.ru import upper_first
from pipeline.intake.normalise import clean_text, normalise
from pipeline.intake.validate import validate_input
from pipeline.render.stage import docx_text, render_carrier

TEMPLATES = Path(__file__).resolve().parents[1] / "templates_docx"
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
TOKENS = (
    "&", "<", ">", '"', "'", "{{", "}}", "{%", "%}", "{#", "#}", "{{ x }}", "{% if %}", "\\", "«", "»", "№",
    "\u200f", "\u200e", "\u202e", "\u202c", "\u00a0", "\u200b", "\t", "\n", "\r", " ", "\x07", "\x00", "\x1b",
    "ё", "Й", "a", "1", "🔥", "👩‍👩‍👧", "\u0301", "=1+1", "+7", "-", "@", "%", "_x0041", "]]>", "<w:t>",
)
TEXT = st.one_of(
    st.text(min_size=1, max_size=30),
    st.lists(st.sampled_from(TOKENS), min_size=1, max_size=8).map("".join),
    st.tuples(st.text(max_size=10), st.sampled_from(TOKENS), st.text(max_size=10)).map("".join),
)
PROFILE = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def _base():
    dataset = synth.generate(learners=12, groups=2)
    group = next(g for g in dataset.groups.values() if g.completed)
    return dataset, group


DATASET, GROUP_DS = _base()


def _in_group(ds, group):
    return dc.replace(ds, groups={**ds.groups, group.number: group})


def _org(**fields):
    return lambda ds: dc.replace(ds, organization=dc.replace(ds.organization, **fields))


def _program(value):
    code = GROUP_DS.program_code
    return lambda ds: dc.replace(ds, programs={**ds.programs, code: dc.replace(ds.programs[code], name=value)})


def _topic(value):
    g = GROUP_DS
    return lambda ds: _in_group(ds, dc.replace(g, lessons=(dc.replace(g.lessons[0], topic=value), *g.lessons[1:])))


def _final_topic(value):
    g = GROUP_DS
    return lambda ds: _in_group(ds, dc.replace(g, final=(dc.replace(g.final[0], topic=value), *g.final[1:])))


def _head_position(value):
    head = DATASET.organization.head_id
    return lambda ds: dc.replace(ds, staff={**ds.staff, head: dc.replace(ds.staff[head], position=value)})


def _surname(value):
    lid = GROUP_DS.members[0].learner_id
    learner = DATASET.learners[lid]
    person = dc.replace(learner.person, surname=value)
    return lambda ds: dc.replace(ds, learners={**ds.learners, lid: dc.replace(learner, person=person)})


# field -> (change of the dataset, carrier whose document shows the field as typed)
# A signature's position is printed with its first letter capitalised (ru.upper_first), on purpose.
SHOWN = {"Должность руководителя": upper_first}
FIELDS = {
    "Полное наименование": (lambda v: _org(full_name=v), "order_enrolment"),
    "Сокращенное наименование": (lambda v: _org(short_name=v), "journal"),
    "Адрес": (lambda v: _org(address=v), "study_certificate"),
    "Нормативное основание": (lambda v: _org(legal_basis=v), "order_enrolment"),
    "Наименование программы": (_program, "protocol"),
    "Тема занятия": (_topic, "journal"),
    "Тема итоговой работы": (_final_topic, "protocol"),
    "Должность руководителя": (_head_position, "order_graduation"),
    "Фамилия слушателя": (_surname, "protocol"),
}


def _rendered_text(dataset, key: str, folder: Path) -> str:
    entry = carrier(key)
    specs = [s for s in entry.build(dataset) if s.group in (None, GROUP_DS.number)]
    assert specs, key
    docs = render_carrier(entry, specs, folder, TEMPLATES)
    texts = []
    for doc in docs:
        data = doc.path.read_bytes()
        assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
        texts.append(docx_text(data))
    return "\n".join(texts)


@pytest.mark.parametrize("field", list(FIELDS))
def test_every_field_reaches_its_document(field, tmp_path):
    change, key = FIELDS[field]
    marker = "Маркер & <поля> «{{ x }}» {% y %}"
    # Typography only: a short name in quotes is glued with U+00A0 / U+2011 so it never breaks.
    text = _rendered_text(change(marker)(DATASET), key, tmp_path).replace("\u00a0", " ").replace("\u2011", "-")
    assert marker in text


@PROFILE
@given(field=st.sampled_from(list(FIELDS)), raw=TEXT)
def test_free_text_renders_literally_or_is_refused(field, raw):
    value, issue = normalise(raw, "text")
    if FORBIDDEN.search(raw):
        assert issue is not None and issue.code == "control_character"
        what, _fix = render(Problem("f.xlsx", "Лист", 2, "Тема", issue.code, params=issue.params))
        assert "U+" in what
        return
    assert issue is None
    if value is None:
        return  # an empty cell: the required check speaks for it
    change, key = FIELDS[field]
    with tempfile.TemporaryDirectory() as folder:
        text = _rendered_text(change(value)(DATASET), key, Path(folder))
    assert SHOWN.get(field, str)(value) in text


# --- the same through workbooks and validation ---------------------------------------------------

_ESCAPED = re.compile(r"_x[0-9A-Fa-f]{4}_")


def _xml_cell_text(value: str) -> bytes:
    """Text as it is stored in sheet XML: XML-escaped, forbidden characters as Excel's «_xHHHH_»."""
    out = []
    for ch in value:
        if FORBIDDEN.match(ch) or ch == "\r":
            out.append(f"_x{ord(ch):04X}_")
        elif ch in "&<>":
            out.append({"&": "&amp;", "<": "&lt;", ">": "&gt;"}[ch])
        else:
            out.append(ch)
    return "".join(out).encode("utf-8")


def _write_topic(folder: Path, value: str) -> None:
    """The minimal input with lesson 1's topic set to value, written as Excel writes a text cell."""
    write_input(folder)
    path = folder / GROUP
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    needle = xml_text("Тема 1")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet4.xml":  # «Занятия», the fourth sheet
                assert b"<t>" + needle + b"</t>" in content
                content = content.replace(
                    b"<t>" + needle + b"</t>", b'<t xml:space="preserve">' + _xml_cell_text(value) + b"</t>"
                )
            target.writestr(info.filename, content)
    path.write_bytes(out.getvalue())


@settings(max_examples=15, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(raw=TEXT.filter(lambda t: not _ESCAPED.search(t)))
def test_cell_text_survives_validation_or_is_refused_at_its_cell(raw):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _write_topic(folder, raw)
        result = validate_input(folder)
    at_cell = {(p.code, p.row, p.column) for p in result.errors if p.sheet == "Занятия"}
    if FORBIDDEN.search(raw):
        assert ("control_character", 2, "Тема") in at_cell
        return
    cleaned = clean_text(raw.replace("\r", "\n"))
    if cleaned is None:
        assert ("required", 2, "Тема") in at_cell
        return
    assert result.errors == []
    group = next(iter(result.dataset.groups.values()))
    assert group.lessons[0].topic == cleaned
