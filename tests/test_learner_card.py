"""Личная карточка слушателя: one card per person, programs in date order, filed with the last group."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import reports_fixture
from docx import Document

from pipeline.carriers import carrier
from pipeline.render.compile import compile_template

TEMPLATE = Path(__file__).resolve().parents[1] / "templates_docx" / "learner_card.docx"


@pytest.fixture(scope="module")
def cards():
    ds = reports_fixture.build()
    return {spec.learner_id: spec for spec in carrier("learner_card").build(ds)}


def _text(data: bytes) -> tuple[list[str], list[list[str]]]:
    doc = Document(io.BytesIO(data))
    paragraphs = [p.text for p in doc.paragraphs if p.text.strip()]
    cells = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    return paragraphs, cells


def test_registry_entry_and_filing(cards):
    entry = carrier("learner_card")
    assert (entry.scope, entry.case_key, entry.template) == ("learner", "learner_card", "learner_card.docx")
    spec = cards["L1"]
    # Filed with the person's last group: the ПП group of 2025, not the ПК group of 2024.
    assert (spec.doc_id, spec.group, spec.year, spec.learner_id) == (
        "learner/L1/learner_card", "ПП-2025-01", 2025, "L1")
    assert sorted(cards) == ["L1", "L2", "L3", "L4"]


def test_two_programs_in_date_order(cards):
    paragraphs, cells = _text(compile_template(TEMPLATE).render(cards["L1"].context))
    headings = [p for p in paragraphs if p.startswith("2.") and p != "2. Обучение"]
    assert headings == [
        "2.1. Повышение квалификации: «Охрана труда»",
        "2.2. Профессиональная переподготовка: «Управление персоналом»",
    ]
    assert ["Фамилия, имя, отчество", "Иванова Мария Петровна"] in cells
    assert ["Группа", "ПК-2024-01"] in cells and ["Группа", "ПП-2025-01"] in cells
    assert ["Выданный документ",
            "Удостоверение о повышении квалификации № 000101, рег. № 24-001 от 11.03.2024"] in cells
    dynamics = [row for row in cells if row[0] in ("1", "2") and len(row) == 7]
    assert [row[1] for row in dynamics] == ["01.03.2024 – 10.03.2024", "01.02.2025 – 20.02.2025"]
    assert [row[6] for row in dynamics] == ["выполнены", "выполнены"]


def test_card_states_why_an_expectation_was_not_met(cards):
    _, cells = _text(compile_template(TEMPLATE).render(cards["L4"].context))
    verdicts = [row[1] for row in cells if row[0] == "Выполнение требований"]
    assert verdicts[0] == (
        "не выполнены: посещаемость 66,7 % ниже минимума 90 %: пропущено 8 ак. ч. из 24; "
        "модуль 2 «Кадры»: 2 (неудовлетворительно)"
    )
    # The group still in training is judged by the last lesson on record, not by the clock.
    assert verdicts[1] == "обучается"


def test_card_context_is_text_only(cards):
    def walk(value):
        if isinstance(value, dict):
            return all(isinstance(k, str) and walk(v) for k, v in value.items())
        if isinstance(value, list):
            return all(walk(v) for v in value)
        return isinstance(value, str)

    assert all(walk(spec.context) for spec in cards.values())
