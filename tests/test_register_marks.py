"""The issue register notes what became of a document: a lost or exchanged original, a destroyed blank,
an original replaced by a duplicate (issue 17: «a replaced or lost original is shown as such»)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from pipeline.carriers.register import original_fate
from pipeline.core.dataset import IssuedDocument, Source

NB = "\u00a0"


def _doc(**changes) -> IssuedDocument:
    base = IssuedDocument(
        learner_id="00001", document="Удостоверение о повышении квалификации", series=None, number="0001000",
        reg_no="2025-0001", issued_on=dt.date(2025, 1, 23), receipt="лично", status="Оригинал", lost=None,
        exchanged=None, destroyed=None, replaces=None, src=Source("groups/ПК-2025-01.xlsx", "Выдача документов", 2))
    return dataclasses.replace(base, **changes)


def test_a_document_in_force_has_no_note():
    assert original_fate(_doc(lost="Нет", exchanged="Нет", destroyed="Нет"), None) == ""


def test_an_original_replaced_by_a_duplicate_names_the_duplicate():
    assert original_fate(_doc(), "2026-0007") == f" (заменен дубликатом рег.{NB}№{NB}2026-0007)"


def test_a_lost_original_says_lost_with_the_proof_and_its_replacement():
    note = original_fate(_doc(lost="Справка из органов внутренних дел", destroyed="Да"), "2026-0007")
    assert note.startswith(" (утрачен: справка из органов внутренних дел; бланк уничтожен; заменен дубликатом")


def test_an_exchanged_original_says_why():
    assert original_fate(_doc(exchanged="Обмен по причине порчи"), None) == " (обмен по причине порчи)"
