"""A large year's index: written piece by piece, the same workbook and the same content key as written whole."""

from __future__ import annotations

import hashlib
import io
import tracemalloc

import openpyxl

from pipeline.archive.index import COLUMNS, LEARNER_COLUMNS, content_key, index_bytes


def _rows(count: int) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    docs = [("2025", f"ПК-2025-{i // 25:03d}", f"2025/ПК-2025-{i // 25:03d}/data/Удостоверение {i}.docx",
             *(f"«Значение» {i}-{k} & <текст>" if k % 3 else "" for k in range(len(COLUMNS) - 3)))
            for i in range(count)]
    learners = [("2025", f"ПК-2025-{i // 25:03d}", f"2025/ПК-2025-{i // 25:03d}", f"{i:05d}",
                 f"Иванова-Петрова Мария {i}", "112-233-445 95") for i in range(count // 2)]
    return docs, learners


def test_the_content_key_is_the_hash_of_the_whole_repr_however_it_is_nested():
    docs, learners = _rows(30)
    cases = [
        ("layout", COLUMNS, LEARNER_COLUMNS, docs, learners),
        ([], [()], [("one",)], ((1, "a"),), [[["deep", ("x", 'y"\'')]]], "", None),
        (("single",),),
        ([("тире — «кавычки»", "\ud800"), ("", "0")],),
        # longer than a piece (a thousand items), at the top and nested, lists and tuples
        (*_rows(2500), tuple(range(2001)), [list(range(1500)), (("x",),) * 1001, [()] * 3000]),
        ([[i] for i in range(2000)], ([1] * 1000,), [[[1] * 1001]]),
    ]
    for parts in cases:
        assert content_key(*parts) == hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def test_a_year_of_thousands_of_rows_reads_back_whole_and_is_never_held_as_one_text():
    docs, learners = _rows(6000)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        data = index_bytes(docs, learners, "2025")
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    sheets = book.worksheets
    got_docs = [tuple(v or "" for v in row) for row in sheets[0].iter_rows(min_row=2, values_only=True)]
    got_learners = [tuple(v or "" for v in row) for row in sheets[1].iter_rows(min_row=2, values_only=True)]
    assert [h for h, _, _ in COLUMNS] == [c.value for c in next(sheets[0].iter_rows(max_row=1))]
    assert got_docs == [tuple(r) + ("",) * (len(COLUMNS) - len(r)) for r in docs]
    assert got_learners == learners
    # The sheet's XML is about 20 MB of text for these rows; written whole it was held three times over.
    text = sum(len(str(v)) + 80 for row in docs for v in row)
    assert peak < text
