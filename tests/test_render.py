"""The compile-once renderer (pipeline.render.compile) against docxtpl's own render+save, part by part.

Both ways of finishing a rendered part are compared: the fast one (pipeline.render.fast: string edits,
no lxml, used wherever the template proves it safe) and the reparse one (lxml round trip, as docxtpl).

Templates are built here with python-docx: a protocol-like one (paragraph loop, a table row loop,
header and footer tags, filters) and a one-page certificate-like one. `build_protocol`,
`build_certificate` and the context factories are reused by bench/bench_render.py.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import pickle
import re
import subprocess
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from docx.shared import Pt
from docxtpl import DocxTemplate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.carriers import CARRIERS
from pipeline.core import ru
from pipeline.core.dataset import Person
from pipeline.render import compile as compile_module
from pipeline.render.compile import (
    SAFE_RENDER_ENV,
    CompiledTemplate,
    TemplateRenderError,
    compile_template,
    cut_between_paragraphs,
    deflate_pieces,
    make_env,
)
from pipeline.synth import generate

REPO = Path(__file__).resolve().parents[1]

# --- templates -----------------------------------------------------------------------------------


def _document() -> docx.Document:
    d = docx.Document()
    style = d.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    return d


def build_protocol(path: Path) -> Path:
    """A protocol-like template: header fields, a commission paragraph loop, a 5-column row loop, footer tags."""
    d = _document()
    d.sections[0].header.paragraphs[0].text = "{{ org.short_name }} — протокол № {{ protocol_no }}"
    d.sections[0].footer.paragraphs[0].text = "Протокол № {{ protocol_no }} от {{ date|date_short }}"
    d.add_paragraph("{{ org.full_name }}")
    d.add_paragraph("ПРОТОКОЛ № {{ protocol_no }}")
    d.add_paragraph("заседания аттестационной комиссии от {{ date|date_long }}")
    d.add_paragraph(
        "Программа: «{{ program.name }}», {{ program.hours|hours }} ({{ program.hours|hours_full }})"
    )
    d.add_paragraph("Группа {{ group }}, {{ period_start|date_long }} — {{ period_end|date_long }}")
    d.add_paragraph("Состав комиссии:")
    d.add_paragraph("{%p for m in commission %}")
    d.add_paragraph("{{ m.role|upper_first }}: {{ m.person|short_name }}, {{ m.position }}")
    d.add_paragraph("{%p endfor %}")
    table = d.add_table(rows=4, cols=5)
    for cell, text in zip(
        table.rows[0].cells, ("№", "ФИО", "Результат", "Решение", "Примечание"), strict=True
    ):
        cell.text = text
    table.rows[1].cells[0].text = "{%tr for r in rows %}"
    row = table.rows[2].cells
    row[0].text = "{{ loop.index }}"
    row[1].text = "{{ r.person|full_name }}"
    row[2].text = "{{ r.result }}"
    row[3].text = "Выдать {{ r.person|dative }} {{ r.document }}"
    row[4].text = "{{ r.note }}"
    table.rows[3].cells[0].text = "{%tr endfor %}"
    d.add_paragraph(
        "Слушателей: {{ rows|length|string }} ({{ rows|length|count('человек', 'человека', 'человек') }})."
    )
    d.add_paragraph("{% if remark %}Особое мнение: {{ remark }}{% endif %}")
    d.add_paragraph("{%p for m in commission %}")
    d.add_paragraph("{{ m.position }}\t____________\t{{ m.person|initials_surname }}")
    d.add_paragraph("{%p endfor %}")
    d.save(path)
    return path


def build_certificate(path: Path) -> Path:
    """A one-page certificate-like template with scalar fields only and a footer without tags."""
    d = _document()
    d.sections[0].footer.paragraphs[0].text = "Бланк строгой отчётности"
    d.add_paragraph("{{ org.full_name }}")
    d.add_paragraph("СПРАВКА ОБ ОБУЧЕНИИ № {{ number }}")
    d.add_paragraph("Выдана {{ person|dative }}, {{ birth_date|date_long }} года рождения,")
    d.add_paragraph(
        "в том, что {{ person|full_name }} обучался(ась) {{ start|date_quoted }} — {{ end|date_quoted }}"
    )
    d.add_paragraph("по программе «{{ program }}» в объёме {{ hours|hours }}.")
    d.add_paragraph("Освоено: {{ done }}. Причина: {{ reason }}")
    d.add_paragraph("Руководитель\t\t{{ head|initials_surname }}")
    d.add_paragraph("{{ city }}, {{ issued|date_long }}")
    d.save(path)
    return path


# --- contexts ------------------------------------------------------------------------------------

NASTY = [
    "Охрана труда & <безопасность> {{ x }}",
    "{% if true %}X{% endif %} {# c #} {%p for %}",
    "кавычки \"двойные\" и 'одинарные' и «ёлочки»",
    "д'Артаньян",
    "",
    "Ёжик «ёлка» — №5",
    "строка1\nстрока2\tпосле табуляции",
    "перевод\r\nWindows",
    "<w:p>не тег</w:p> ]]> &amp; &#39;",
    "Я" * 3000,
]


def person(i: int, nasty: str = "") -> Person:
    if i % 3 == 0:
        return Person(f"Иванов{nasty}", "Иван", "Иванович", "Муж")
    if i % 3 == 1:
        return Person(f"Петрова{nasty}", "Анна-Мария", "Сергеевна", "Жен")
    return Person(f"Гусейнов{nasty}", "Эльдар", "Рамиз оглы", "Муж")


def protocol_context(i: int = 0, nasty: str = "", rows: int = 25) -> dict:
    return {
        "org": {
            "short_name": f"ЧОУ ДПО «Учёт» {nasty}",
            "full_name": f"Частное образовательное учреждение {nasty}",
        },
        "protocol_no": f"{i}-А{nasty}",
        "date": dt.date(2025, 3, 5),
        "period_start": dt.date(2025, 1, 10),
        "period_end": dt.date(2025, 3, 4),
        "group": f"ПК-2025-{i:02d}",
        "program": {"name": f"Охрана труда {nasty}", "hours": 72},
        "commission": [
            {"role": "председатель", "person": person(0, nasty), "position": f"директор {nasty}"},
            {"role": "член комиссии", "person": person(1), "position": "методист"},
            {"role": "секретарь", "person": person(2), "position": "специалист"},
        ],
        "rows": [
            {
                "person": person(i + k, nasty if k % 5 == 0 else ""),
                "result": "5 (отлично)" if k % 4 else "не явился",
                "document": "удостоверение о повышении квалификации",
                "note": nasty if k % 2 else None,
            }
            for k in range(rows)
        ],
        "remark": nasty,
    }


def certificate_context(i: int = 0, nasty: str = "") -> dict:
    return {
        "org": {"full_name": f"ЧОУ ДПО «Учёт» {nasty}"},
        "number": f"{i:05d}{nasty}",
        "person": person(i, nasty),
        "birth_date": dt.date(1990, 1, 1 + i % 28),
        "start": dt.date(2025, 1, 10),
        "end": dt.date(2025, 2, 1),
        "program": f"Охрана труда {nasty}",
        "hours": 16 + i % 60,
        "done": 0,
        "reason": None if i % 2 else nasty,
        "head": Person("Сидоров", "Пётр", "Петрович", "Муж"),
        "city": "Москва",
        "issued": dt.date(2025, 2, 3),
    }


# --- helpers -------------------------------------------------------------------------------------


def naive(path: Path, context: dict) -> bytes:
    """docxtpl the obvious way, with the same environment (filters, StrictUndefined, autoescape)."""
    tpl = DocxTemplate(path)
    tpl.render(context, jinja_env=make_env(), autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        return {name: z.read(name) for name in z.namelist()}


def text_of(data: bytes) -> str:
    d = docx.Document(io.BytesIO(data))
    chunks = [p.text for p in d.paragraphs]
    for t in d.tables:
        chunks += [c.text for row in t.rows for c in row.cells]
    for s in d.sections:
        chunks += [p.text for p in s.header.paragraphs] + [p.text for p in s.footer.paragraphs]
    return "\n".join(chunks)


def without_cr(context):
    """The context docxtpl must get to match ours: «\\r\\n» and «\\r» are newlines (see render.py)."""
    if isinstance(context, dict):
        return {k: without_cr(v) for k, v in context.items()}
    if isinstance(context, list):
        return [without_cr(v) for v in context]
    if isinstance(context, str):
        return context.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(context, Person):
        return Person(*(without_cr(getattr(context, f)) for f in ("surname", "name", "patronymic", "sex")))
    return context


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("templates")
    return {
        "protocol": build_protocol(root / "protocol.docx"),
        "certificate": build_certificate(root / "cert.docx"),
    }


CONTEXTS = {"protocol": protocol_context, "certificate": certificate_context}
FINISHES = ["fast", "reparse"]


def compiled_as(path: Path, finish: str) -> CompiledTemplate:
    """The template compiled with the fast finish where it proves safe, or with lxml's round trip everywhere."""
    if finish == "fast":
        return compile_template(path)
    compiled = CompiledTemplate(path, fast=False)
    assert compiled.fast_parts() == []
    return compiled


# --- equality with docxtpl -----------------------------------------------------------------------


@pytest.mark.parametrize("finish", FINISHES)
@pytest.mark.parametrize("kind", ["protocol", "certificate"])
@pytest.mark.parametrize("nasty", range(len(NASTY)))
def test_every_part_equals_docxtpl(templates, kind, nasty, finish):
    path = templates[kind]
    context = CONTEXTS[kind](nasty + 1, NASTY[nasty])
    ours = compiled_as(path, finish).render(context)
    theirs = naive(path, without_cr(context))
    mine, ref = members(ours), members(theirs)
    assert list(mine) == list(ref)  # same members, same order
    for name in ref:
        assert mine[name] == ref[name], name


def test_fast_finish_covers_every_rendered_part_of_the_test_templates(templates):
    assert compile_template(templates["protocol"]).fast_parts() == [
        "word/document.xml", "word/header1.xml", "word/footer1.xml"]
    assert compile_template(templates["certificate"]).fast_parts() == ["word/document.xml"]


def test_safe_render_setting_turns_the_fast_finish_off(templates, monkeypatch):
    monkeypatch.setenv(SAFE_RENDER_ENV, "1")
    assert CompiledTemplate(templates["protocol"]).fast_parts() == []


def _every_string(value, make):
    """The context with every text leaf replaced by make(text)."""
    if isinstance(value, dict):
        return {k: _every_string(v, make) for k, v in value.items()}
    if isinstance(value, list):
        return [_every_string(v, make) for v in value]
    return make(value) if isinstance(value, str) else value


@pytest.fixture(scope="module")
def real_contexts():
    """Two contexts per carrier from a small synthetic dataset: {carrier key: (template path, contexts)}."""
    dataset = generate(learners=60, groups=3)
    out = {}
    for entry in CARRIERS:
        specs = list(entry.build(dataset))
        specs.sort(key=lambda s: -len(repr(s.context)))
        out[entry.key] = (REPO / "templates_docx" / entry.template, [s.context for s in specs[:2]])
    return out


@pytest.mark.parametrize("carrier_key", [c.key for c in CARRIERS])
def test_real_templates_fast_finish_equals_reparse_on_nasty_values(real_contexts, carrier_key):
    path, contexts = real_contexts[carrier_key]
    fast, slow = compile_template(path), CompiledTemplate(path, fast=False)
    assert fast.fast_parts()[0] == "word/document.xml"  # every real template qualifies (a templated header may too)
    edits = [lambda t: t] + [lambda t, n=n: n for n in NASTY if "\r" not in n] + [
        lambda t, n=n: f"{t}{n}" for n in NASTY[:4]] + [lambda t: f"\n{t}\t", lambda t: " "]
    for context in contexts:
        for edit in edits:
            nasty = _every_string(context, edit)
            assert fast.render(nasty) == slow.render(nasty)


def test_an_empty_loop_that_is_a_tables_only_full_row_takes_lxmls_way(real_contexts):
    # The protocol's signature table has no header row: with no signers docxtpl's fix_tables drops its
    # grid columns, which only the lxml round trip reproduces.
    path, contexts = real_contexts["protocol"]
    fast, slow = compile_template(path), CompiledTemplate(path, fast=False)
    context = {**contexts[0], "signers": []}
    assert not fast._parts[0].fast.applies(context) and fast._parts[0].fast.applies(contexts[0])
    assert fast.render(context) == slow.render(context)
    assert members(fast.render(context))["word/document.xml"] == members(naive(path, context))["word/document.xml"]


@pytest.mark.parametrize("kind", ["protocol", "certificate"])
def test_values_come_out_literally(templates, kind):
    compiled = compile_template(templates[kind])
    for i, value in enumerate(NASTY):
        if "\n" in value or "\r" in value or not value:
            continue
        text = text_of(compiled.render(CONTEXTS[kind](i, value)))
        assert value in text
        assert "{{" not in text.replace(value, "") and "{%" not in text.replace(value, "")


def test_newline_and_tab_become_break_and_tab(templates):
    data = compile_template(templates["certificate"]).render(certificate_context(1, "а\r\nб\tв"))
    body = members(data)["word/document.xml"].decode()
    assert 'а</w:t><w:br/><w:t xml:space="preserve">б</w:t></w:r><w:r>' in body
    assert "<w:tab/>" in body
    assert "\r" not in body and "&#13;" not in body


def test_rendered_text(templates):
    text = text_of(compile_template(templates["protocol"]).render(protocol_context(7)))
    assert "None" not in text  # empty optional notes print as nothing
    assert "ПРОТОКОЛ № 7-А" in text
    assert "заседания аттестационной комиссии от 5 марта 2025 г." in text
    assert "72 часа (72 (семьдесят два) часа)" in text
    assert "Председатель: Иванов\u00a0И.И., директор" in text  # ГОСТ Р 7.0.97 initials
    assert "Выдать Петровой Анне-Марии Сергеевне удостоверение" in text
    assert "Слушателей: 25 (25 человек)." in text
    assert "И.И.\u00a0Иванов" in text
    assert "Протокол № 7-А от 05.03.2025" in text  # footer
    assert "ЧОУ ДПО «Учёт»  — протокол № 7-А" in text  # header


# --- determinism ---------------------------------------------------------------------------------


def test_same_context_same_bytes(templates):
    compiled = compile_template(templates["protocol"])
    first = compiled.render(protocol_context(3, "&"))
    assert compiled.render(protocol_context(3, "&")) == first
    assert CompiledTemplate(templates["protocol"]).render(protocol_context(3, "&")) == first
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {info.date_time for info in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_source_date_epoch_sets_zip_time(templates, monkeypatch):
    monkeypatch.setenv(
        "SOURCE_DATE_EPOCH", str(int(dt.datetime(2025, 3, 5, 10, 30, tzinfo=dt.UTC).timestamp()))
    )
    data = CompiledTemplate(templates["certificate"]).render(certificate_context(1))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {info.date_time for info in z.infolist()} == {(2025, 3, 5, 10, 30, 0)}


def test_documents_do_not_leak_into_each_other(templates):
    compiled = compile_template(templates["certificate"])
    a = compiled.render(certificate_context(1, "первый"))
    b = compiled.render(certificate_context(2, "второй"))
    assert "первый" not in text_of(b) and "второй" in text_of(b) and "второй" not in text_of(a)


def test_compile_is_cached_and_pickles_as_its_path(templates):
    compiled = compile_template(templates["protocol"])
    assert compile_template(str(templates["protocol"])) is compiled
    copy = pickle.loads(pickle.dumps(compiled))
    assert copy is compiled  # unpickled through the same cache in this process
    assert copy.render(protocol_context(1)) == compiled.render(protocol_context(1))


def test_variables_are_the_undeclared_names(templates):
    assert compile_template(templates["protocol"]).variables() == {
        "org", "protocol_no", "date", "program", "group", "period_start", "period_end", "commission", "rows", "remark",
    }  # fmt: skip
    expected = set(certificate_context())
    assert compile_template(templates["certificate"]).variables() == expected
    assert DocxTemplate(templates["certificate"]).get_undeclared_template_variables(make_env()) == expected


# --- errors --------------------------------------------------------------------------------------


def test_missing_variable_names_template_variable_and_paragraph(templates):
    context = certificate_context(1)
    del context["program"]
    with pytest.raises(TemplateRenderError) as err:
        compile_template(templates["certificate"]).render(context)
    message = err.value.message
    assert "cert.docx" in message and "«program»" in message and "по программе" in message


def test_missing_attribute_is_named(templates):
    context = protocol_context(1)
    del context["org"]["full_name"]
    with pytest.raises(TemplateRenderError, match="«full_name»"):
        compile_template(templates["protocol"]).render(context)


def test_syntax_error_names_tag_and_paragraph(tmp_path):
    d = _document()
    d.add_paragraph("Первый абзац")
    d.add_paragraph("Сломанный тег {{ learner.name }")
    d.save(tmp_path / "broken.docx")
    with pytest.raises(TemplateRenderError) as err:
        compile_template(tmp_path / "broken.docx")
    assert "broken.docx" in err.value.message and "Сломанный тег" in err.value.message


def test_control_character_is_refused_with_its_path(templates):
    context = protocol_context(1)
    context["rows"][3]["note"] = "вертикальная\x0bтабуляция"
    with pytest.raises(TemplateRenderError, match=r"rows\[3\]\.note"):
        compile_template(templates["protocol"]).render(context)
    context = certificate_context(1)
    context["person"] = Person("Иванов\x07", "Иван", None, "Муж")
    with pytest.raises(TemplateRenderError, match=r"person\.surname"):
        compile_template(templates["certificate"]).render(context)
    for bad in ("\ud800", "\ufffe"):  # not characters any XML document may hold
        context = certificate_context(1, bad)
        with pytest.raises(TemplateRenderError, match=r"program"):
            compile_template(templates["certificate"]).render(context)


def test_missing_template_is_an_operational_error(tmp_path):
    with pytest.raises(TemplateRenderError, match="не найден"):
        compile_template(tmp_path / "nope.docx")


def test_filters_are_registered():
    assert set(ru.FILTERS) <= set(make_env().filters)


# --- a template re-saved by LibreOffice ------------------------------------------------------------


@pytest.mark.usefixtures("libreoffice")
def test_template_resaved_by_libreoffice_still_renders(templates, tmp_path):
    out = tmp_path / "lo"
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "docx",
         "--outdir", str(out), str(templates["protocol"])],
        check=True, capture_output=True, timeout=180, env={**os.environ, "HOME": str(tmp_path)},
    )  # fmt: skip
    resaved = out / "protocol.docx"
    context = protocol_context(2, "&<>")
    ours = compile_template(resaved).render(context)
    mine, ref = members(ours), members(naive(resaved, context))
    # docxtpl misses LibreOffice's core-properties relationship and writes a second, clock-stamped
    # docProps/core.xml; ours keeps the template's own, once. Every other part is equal.
    with zipfile.ZipFile(io.BytesIO(ours)) as z:
        names = z.namelist()
    assert len(names) == len(set(names))
    for name in ref:
        if name not in ("docProps/core.xml", "_rels/.rels"):
            assert mine[name] == ref[name], name
    with zipfile.ZipFile(resaved) as z:
        created = re.search(rb"<dcterms:created[^>]*>([^<]+)<", z.read("docProps/core.xml")).group(1)
    assert re.search(rb"<dcterms:created[^>]*>([^<]+)<", mine["docProps/core.xml"]).group(1) == created
    text = text_of(ours)
    assert "ПРОТОКОЛ № 2-А&<>" in text and "Выдать Петровой Анне-Марии Сергеевне" in text


@pytest.mark.parametrize("lessons", [0, 1, 3, 12])
def test_column_loop_grid_fix_equals_docxtpl(tmp_path, lessons):
    # The column loop changes rows' widths: the fast finish must stand aside for fix_tables.
    # A journal-like grid: the `{%tc %}` loop makes rows wider or narrower than the template's grid,
    # which is where docxtpl's fix_tables rescales the columns.
    d = _document()
    table = d.add_table(rows=5, cols=4)
    for row, cells in zip(
        table.rows,
        [
            ("ФИО", "{%tc for l in lessons %}", "{{ l.date|date_short }}", "{%tc endfor %}"),
            ("{%tr for r in rows %}", "", "", ""),
            ("{{ r.name }}", "{%tc for m in r.marks %}", "{{ m }}", "{%tc endfor %}"),
            ("{%tr endfor %}", "", "", ""),
            ("Итого", "", "", "{{ rows|length }}"),
        ],
        strict=True,
    ):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    path = d.save(tmp_path / "grid.docx") or tmp_path / "grid.docx"
    context = {
        "lessons": [{"date": dt.date(2025, 1, 10 + k)} for k in range(lessons)],
        "rows": [
            {"name": f"Слушатель {i} & <ко>", "marks": ["н" if k % 3 else "" for k in range(lessons)]}
            for i in range(4)
        ],
    }
    compiled = compile_template(path)
    assert compiled.fast_parts() == []
    mine, ref = members(compiled.render(context)), members(naive(path, context))
    assert mine == ref


def test_properties_with_tags_render_per_document(tmp_path):
    d = _document()
    d.core_properties.title = "Протокол № {{ number }}"
    d.add_paragraph("Текст {{ number }}")
    d.save(tmp_path / "props.docx")
    compiled = compile_template(tmp_path / "props.docx")
    assert compiled.fast_parts() == ["word/document.xml"]
    assert compiled.variables() == {"number"}
    for number in ("1", "2 & <3>"):
        assert members(compiled.render({"number": number})) == members(
            naive(tmp_path / "props.docx", {"number": number})
        )


_PRINTABLE = st.characters(
    blacklist_categories=("Cs",),
    blacklist_characters=[chr(c) for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF)],
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(_PRINTABLE, max_size=12), min_size=1, max_size=6))
def test_fast_finish_equals_reparse_on_any_text(real_contexts, values):
    path, contexts = real_contexts["protocol"]
    fast, slow = compile_template(path), CompiledTemplate(path, fast=False)
    texts = iter(values * 1000)
    context = _every_string(contexts[0], lambda t: next(texts, ""))
    assert fast.render(context) == slow.render(context)


# --- a large part rendered in pieces -------------------------------------------------------------------------


@pytest.mark.parametrize("carrier_key", [c.key for c in CARRIERS])
def test_a_part_cut_at_every_paragraph_renders_the_bytes_docxtpls_way_gives(real_contexts, carrier_key, monkeypatch):
    # The year book is rendered in pieces cut between paragraphs; with a piece of one character every
    # boundary between paragraphs is a cut, and the values below put newlines and tabs (resolve_listing),
    # quotes, empty text and markup-like text into some paragraphs and not others.
    monkeypatch.setattr(compile_module, "PIECE", 1)
    path, contexts = real_contexts[carrier_key]
    fast, slow = compile_template(path), CompiledTemplate(path, fast=False)
    edits = [lambda t: t, lambda t: f"{t}\n{t}" if len(t) % 3 == 0 else t, lambda t: f"«{t}»\t'\"" if len(t) % 2 else "",
             lambda t: f"</w:p><w:p>{t}"]
    for context in contexts:
        for edit in edits:
            nasty = _every_string(context, edit)
            assert fast.render(nasty) == slow.render(nasty)


def test_pieces_are_cut_only_right_after_a_paragraph_that_a_tag_follows():
    fragments = ["<w:body><w:p>", "а" * 10, "</w:p>", "<w:p><w:r><w:t>б</w:t></w:r></w:p>\n<w:p>в</w:p>",
                 "<w:tbl><w:tr><w:tc><w:p>г</w:p></w:tc></w:tr></w:tbl><w:sectPr/></w:body>"]
    text = "".join(fragments)
    for size in (1, 5, 20, 10_000):
        pieces = cut_between_paragraphs(iter(fragments), size)
        assert "".join(pieces) == text
        for left, right in zip(pieces, pieces[1:], strict=False):
            assert left.endswith("</w:p>") and right.startswith("<")
    # Cut at the last boundary of what has come so far; never where a newline follows «</w:p>».
    assert cut_between_paragraphs(iter(fragments), 1) == [
        "<w:body><w:p>аааааааааа</w:p>",
        "<w:p><w:r><w:t>б</w:t></w:r></w:p>\n<w:p>в</w:p><w:tbl><w:tr><w:tc><w:p>г</w:p>",
        "</w:tc></w:tr></w:tbl><w:sectPr/></w:body>"]
    assert cut_between_paragraphs(iter(fragments), 10_000) == [text]


def test_a_part_without_a_cut_is_one_piece_and_an_empty_part_is_one_empty_piece():
    assert cut_between_paragraphs(iter(["<w:hdr>", "x" * 50, "</w:hdr>"]), 4) == ["<w:hdr>" + "x" * 50 + "</w:hdr>"]
    assert cut_between_paragraphs(iter([]), 4) == [""]


def test_deflating_in_pieces_gives_the_stream_of_the_whole():
    data = ("<w:p><w:r><w:t>Журнал регистрации выданных документов</w:t></w:r></w:p>" * 3000).encode("utf-8")
    whole = zlib.compressobj(3, zlib.DEFLATED, -15)
    expected = whole.compress(data) + whole.flush()
    for size in (1, 7, 4096, 65_536, len(data)):
        packed, crc, length = deflate_pieces((data[i:i + size] for i in range(0, len(data), size)), 3)
        assert (packed, crc, length) == (expected, zlib.crc32(data), len(data))
        assert zlib.decompress(packed, -15) == data


def test_a_large_year_book_is_rendered_without_holding_its_text_many_times():
    # 5,000 rows rendered whole held five copies of their text at once (130 MiB at 10,000 learners).

    register = next(c for c in CARRIERS if c.key == "issue_register")
    dataset = generate(learners=1500, groups=40)
    spec = max(register.build(dataset), key=lambda s: len(repr(s.context)))
    template = compile_template(REPO / "templates_docx" / register.template)
    text = len(members(template.render(spec.context))["word/document.xml"].decode("utf-8"))
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        data = template.render(spec.context)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert text > 1_000_000 and len(data) > 50_000
    assert peak < 2 * 2 * text  # the pieces (two bytes a Cyrillic character) and at most one more copy
