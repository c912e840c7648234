"""Reports: expected vs achieved with reasons, at-risk by date, completeness, summary figures, charts."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest
import reports_fixture

from pipeline.assessment import expectations as ex
from pipeline.assessment.dynamics import find_learner, history
from pipeline.carriers import carrier
from pipeline.carriers.registry import DocumentSpec, RenderedDocument
from pipeline.intake.workbooks import write_input
from pipeline.reports.stage import run_reports
from pipeline.synth import generate

D = dt.date
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def small():
    return reports_fixture.build()


def _by(progress, group, learner):
    return next(p for p in progress if p.group.number == group and p.learner_id == learner)


def test_verdicts_and_reasons(small):
    progress = ex.assess_all(small, D(2025, 5, 7))
    assert _by(progress, "ПК-2024-01", "L1").state == ex.MET
    failed = _by(progress, "ПК-2024-01", "L2")
    assert failed.state == ex.NOT_MET
    assert failed.reasons == (
        "посещаемость 75,0 % ниже минимума 80 %: пропущено 4 ак. ч. из 16",
        "итоговая аттестация: 2 (неудовлетворительно)",
    )
    expelled = _by(progress, "ПК-2024-01", "L3")
    assert (expelled.state, expelled.hours_held) == (ex.EXPELLED, 8)  # counted up to the expulsion date
    module_failed = _by(progress, "ПП-2025-01", "L4")
    assert module_failed.reasons[1] == "модуль 2 «Кадры»: 2 (неудовлетворительно)"
    # «д» (studied remotely) is attendance, module 3 («нет») needs no result.
    assert _by(progress, "ПП-2025-01", "L1").attendance == 100.0


def test_at_risk_depends_on_the_date(small):
    before = ex.assess_all(small, D(2025, 5, 5))  # after the first lesson
    during = ex.assess_all(small, D(2025, 5, 7))
    assert [(p.group.number, p.learner_id) for p in ex.at_risk(during)] == [("ПК-2025-02", "L2")]
    assert _by(during, "ПК-2025-02", "L2").reasons == ("пропущено 8 ак. ч. — больше допустимых 3 из 16 по плану",)
    assert _by(during, "ПК-2025-02", "L4").state == ex.STUDYING
    assert _by(before, "ПК-2025-02", "L2").state == ex.AT_RISK  # 4 h missed of 3 allowed already
    assert _by(ex.assess_all(small, D(2025, 5, 1)), "ПК-2025-02", "L2").state == ex.NOT_STARTED


def test_history_in_date_order_and_lookup_by_snils(small):
    assert find_learner(small, "11223344595").id == "L1"
    assert find_learner(small, " 112-233-445 95 ").id == "L1"
    assert find_learner(small, "L2").id == "L2"
    assert find_learner(small, "999-999-999 99") is None
    rows = history(small, "L1", D(2025, 6, 1))
    assert [r.progress.group.number for r in rows] == ["ПК-2024-01", "ПП-2025-01"]
    assert rows[0].cells()[4:7] == ["2 из 2", "5,0", "5 (отлично)"]


def _fake_rendered(tmp_path, *items):
    """RenderedDocuments for (carrier key, doc id, group, learner id): what the render stage hands on."""
    docs = []
    for key, doc_id, group, learner_id in items:
        spec = DocumentSpec(doc_id, f"{doc_id.replace('/', '_')}.docx", doc_id, {}, 2025, group, learner_id, None, ())
        docs.append(RenderedDocument(carrier(key), spec, tmp_path / spec.file_name, "0" * 64, "1" * 64))
    return docs


def test_status_reasons_and_archive(small, tmp_path):
    # A learner card counts for every group of its learner (L1: ПК-2024-01 and ПП-2025-01; L2: ПК-2024-01
    # and ПК-2025-02); «Архив» says how many of a row's documents the archive index holds.
    rendered = _fake_rendered(
        tmp_path,
        ("learner_card", "learner/L1/learner_card", "ПП-2025-01", "L1"),
        ("learner_card", "learner/L2/learner_card", "ПК-2025-02", "L2"),
        ("journal", "ПК-2024-01/journal", "ПК-2024-01", None),
    )
    result = run_reports(small, tmp_path, today=D(2025, 5, 7), rendered=rendered,
                         archive_index=[("learner/L1/learner_card", "2025/ПП-2025-01/x.docx"),
                                        ("ПК-2024-01/journal", "2024/ПК-2024-01/j.docx")])
    wb = openpyxl.load_workbook(tmp_path / "reports" / "status.xlsx")
    rows = {(r[0], r[2]): r[3:] for r in wb["По группам"].iter_rows(min_row=2, values_only=True)}
    assert rows[("ПК-2024-01", "learner_card")] == ("сформирован", 2, "в архиве 1 из 2", None)
    assert rows[("ПП-2025-01", "learner_card")] == ("сформирован", 1, "в архиве", None)
    assert rows[("ПК-2025-02", "learner_card")] == ("сформирован", 1, "не в архиве", None)
    assert rows[("ПК-2024-01", "journal")] == ("сформирован", 1, "в архиве", None)
    # nothing rendered for a carrier: its own reason check says whether anything is missing
    # The group's graduation order exists on «Приказы», but L2's document is not registered: printed now,
    # the order would carry a blank registration number, so status names what is missing.
    assert rows[("ПК-2024-01", "order_graduation")] == (
        "нельзя сформировать", 0, "—", "нет записи о выданном документе на листе «Выдача документов» (слушатели L2)")
    assert rows[("ПК-2025-02", "protocol")] == (
        "нельзя сформировать", 0, "—", "нет результатов на листе «Итоговая аттестация»")
    summary = {r[0]: r[1:] for r in wb["Сводка"].iter_rows(min_row=4, values_only=True) if r[0]}
    assert summary["ПК-2024-01"][0] == 2 and summary["ПК-2024-01"][3:] == (3, 2)
    assert any("Полнота документов" in line for line in result.summary_lines())


def test_formula_like_text_is_written_as_text(small, tmp_path):
    from pipeline.core.xlsx_writer import new_workbook, put
    from pipeline.reports.workbook import save

    wb = new_workbook()
    ws = wb.create_sheet("x")
    put(ws, 1, 1, "=HYPERLINK(\"http://x\")")
    put(ws, 2, 1, "-5 ак. ч.")
    save(wb, tmp_path / "x.xlsx")
    with zipfile.ZipFile(tmp_path / "x.xlsx") as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    cells = [c for row in openpyxl.load_workbook(tmp_path / "x.xlsx")["x"].iter_rows() for c in row]
    assert [(c.value, c.data_type) for c in cells] == [("=HYPERLINK(\"http://x\")", "s"), ("-5 ак. ч.", "s")]


def test_a_streamed_table_looks_like_a_table_written_cell_by_cell(tmp_path):
    from pipeline.core.xlsx_writer import new_workbook, put
    from pipeline.reports.workbook import save, stream_sheet, table, write_sheets

    rows = [["=HYPERLINK(\"http://x\")", 87.54, "долгий текст " * 5], ["-5 ак. ч.", None, "коротко"]]
    kept = new_workbook()
    ws = kept.create_sheet("Т")
    put(ws, 1, 1, "Заголовок")
    table(ws, ["А", "Б", "В"], rows, widths=[10, 12, 30], formats={1: "0.0"}, first_row=3)
    ws.freeze_panes = "A4"
    table(kept.create_sheet("Все"), ["А", "Б", "В"], rows, widths=[10, 12, 30], formats={1: "0.0"})
    save(kept, tmp_path / "kept.xlsx")
    write_sheets(tmp_path / "streamed.xlsx",
                 [stream_sheet("Т", ["А", "Б", "В"], rows, widths=[10, 12, 30], formats={1: "0.0"}, title="Заголовок"),
                  stream_sheet("Все", ["А", "Б", "В"], rows, widths=[10, 12, 30], formats={1: "0.0"})], title="Т")

    def looks(path):
        book = openpyxl.load_workbook(path)
        return [(ws.title, ws.freeze_panes, ws.auto_filter.ref, ws.column_dimensions["C"].width,
                 ws.page_setup.orientation, ws.sheet_properties.pageSetUpPr.fitToPage,
                 [[(c.value, c.data_type, c.number_format, c.font.b, c.fill.fgColor.rgb, c.alignment.wrap_text,
                    c.alignment.vertical, c.quotePrefix) for c in row] for row in ws.iter_rows()]) for ws in book]

    assert looks(tmp_path / "streamed.xlsx") == looks(tmp_path / "kept.xlsx")
    with zipfile.ZipFile(tmp_path / "streamed.xlsx") as z:
        assert all("<f>" not in z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))


# ---------------------------------------------------------------- the sample: every figure from the raw sheets

def _date(value):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if "." in text:
        d, m, y = text.split(".")
        return D(int(y), int(m), int(d))
    return dt.date.fromisoformat(text[:10])


def _rows(ws):
    values = list(ws.iter_rows(values_only=True))
    header = [str(h).strip() if h is not None else "" for h in values[0]]
    return [dict(zip(header, r, strict=False)) for r in values[1:] if any(v not in (None, "") for v in r)]


def _kv(ws):
    return {str(r[0]).strip(): r[1] for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}


def _sample_input(tmp_path_factory) -> Path:
    """The committed sample, or the same data written from the generator."""
    if (ROOT / "input" / "learners.xlsx").is_file():
        return ROOT / "input"
    folder = tmp_path_factory.mktemp("sample")
    write_input(generate(), folder)
    return folder


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    from pipeline.intake.validate import validate_input

    folder = _sample_input(tmp_path_factory)
    result = validate_input(folder)
    # The committed sample must validate; were it broken, these report tests must fail, not skip.
    assert result.dataset is not None, [(p.code, p.file, p.sheet, p.row) for p in result.errors][:10]
    out = tmp_path_factory.mktemp("out")
    today = D(2026, 6, 15)
    run_reports(result.dataset, out, today=today, rendered=[])
    return folder, out, today


POSITIVE = {"5", "4", "3", "зачтено"}


def _recompute(folder: Path, today: dt.date):
    """Every learner's outcome from the workbooks alone (openpyxl, no project code)."""
    org = openpyxl.load_workbook(folder / "organization.xlsx", read_only=True)
    programs = {str(r["Код программы"]): r for r in _rows(org["Программы"])}
    required = defaultdict(set)
    for r in _rows(org["Модули"]):
        if r["Форма промежуточной аттестации"] != "нет":
            required[str(r["Код программы"])].add(int(r["№ модуля"]))
    people, teachers = [], defaultdict(lambda: defaultdict(int))
    for path in sorted((folder / "groups").glob("*.xlsx")):
        wb = openpyxl.load_workbook(path, read_only=True)
        head = _kv(wb["Группа"])
        code, number, end = str(head["Код программы"]), str(head["Номер группы"]), _date(head["Дата окончания"])
        graduated = any(r["Вид приказа"] == "об окончании обучения и отчислении" for r in _rows(wb["Приказы"]))
        lessons = {int(r["№ занятия"]): (_date(r["Дата"]), int(r["Часы"]), str(r["Преподаватель (табельный №)"]))
                   for r in _rows(wb["Занятия"])}
        absent = set()
        for r in _rows(wb["Посещаемость"]):
            for key, mark in r.items():
                if key.isdigit() and mark in ("н", "б", "у"):
                    absent.add((str(r["ID слушателя"]), int(key)))
        interim = defaultdict(list)
        for r in _rows(wb["Промежуточная аттестация"]):
            interim[(str(r["ID слушателя"]), int(r["№ модуля"]))].append((_date(r["Дата"]), str(r["Результат"])))
        final = {str(r["ID слушателя"]): str(r["Результат"]) for r in _rows(wb["Итоговая аттестация"])}
        members = _rows(wb["Состав"])
        for n, (d, h, teacher) in lessons.items():
            if d > today:
                continue
            t = teachers[teacher]
            t["groups:" + number] = 1
            t["lessons"] += 1
            t["hours"] += h
            for r in members:
                gone = r["Статус"] == "отчислен досрочно" and r.get("Дата отчисления") and d > _date(r["Дата отчисления"])
                if not gone:
                    t["held"] += h
                    t["missed"] += h if (str(r["ID слушателя"]), n) in absent else 0
        for r in _rows(wb["Промежуточная аттестация"]):
            t = teachers[str(r["Экзаменатор (табельный №)"])]
            t["results"] += 1
            t["positive"] += str(r["Результат"]) in POSITIVE
            if str(r["Результат"]).isdigit():
                t["grades"] += int(r["Результат"])
                t["graded"] += 1
        planned = max(int(programs[code]["Объем, ак. ч"]), sum(h for _, h, _ in lessons.values()))
        for r in members:
            lid, status = str(r["ID слушателя"]), r["Статус"]
            until = today
            if status == "отчислен досрочно" and r.get("Дата отчисления"):
                until = min(today, _date(r["Дата отчисления"]))
            held = sum(h for d, h, _ in lessons.values() if d <= until)
            missed = sum(h for n, (d, h, _) in lessons.items() if d <= until and (lid, n) in absent)
            if status == "отчислен досрочно":
                state = "expelled"
            elif graduated or status == "завершил обучение" or lid in final:
                modules_ok = all(
                    interim[(lid, m)] and max(interim[(lid, m)])[1] in POSITIVE for m in required[code]
                )
                attendance_ok = not held or 100 * (held - missed) / held >= int(programs[code]["Мин. посещаемость, %"])
                state = "met" if modules_ok and attendance_ok and final.get(lid) in POSITIVE else "not_met"
            else:
                state = "studying"
                minimum = int(programs[code]["Мин. посещаемость, %"])
                failed = any(
                    interim[(lid, m)] and max(interim[(lid, m)])[1] not in POSITIVE for m in required[code]
                )
                risk = (missed > (planned * (100 - minimum)) // 100
                        or (held and 100 * (held - missed) / held < minimum) or failed)
                state = "at_risk" if risk and _date(head["Дата начала"]) <= today else "studying"
            grade = int(final[lid]) if final.get(lid, "").isdigit() else None
            people.append({"program": code, "year": end.year, "group": number, "state": state,
                           "held": held, "attended": held - missed, "grade": grade})
    return people, teachers


def _expected_row(items):
    count = defaultdict(int)
    for p in items:
        count[p["state"]] += 1
    finished = count["met"] + count["not_met"] + count["expelled"]
    grades = [p["grade"] for p in items if p["grade"] is not None]
    held = sum(p["held"] for p in items)
    return [
        len(items), count["studying"] + count["at_risk"], count["at_risk"], count["met"], count["not_met"], count["expelled"],
        round(100 * count["met"] / finished, 1) if finished else None,
        round(sum(grades) / len(grades), 2) if grades else None,
        round(100 * sum(p["attended"] for p in items) / held, 1) if held else None,
    ]


def _sheet_row(values, offset):
    return list(values[offset:offset + 9])


def test_every_summary_figure_recomputed_from_the_sheets(sample):
    folder, out, today = sample
    people, teachers = _recompute(folder, today)
    wb = openpyxl.load_workbook(out / "reports" / "summary.xlsx")

    by_year = defaultdict(list)
    for p in people:
        by_year[p["year"]].append(p)
    rows = [r for r in wb["Сводка"].iter_rows(min_row=4, values_only=True) if r[0]]
    got = {r[0]: _sheet_row(r, 1) for r in rows}
    assert got == {**{str(y): _expected_row(v) for y, v in by_year.items()}, "Всего": _expected_row(people)}

    by_program = defaultdict(list)
    for p in people:
        by_program[(p["program"], str(p["year"]))].append(p)
    rows = list(wb["Программы и годы"].iter_rows(min_row=2, values_only=True))
    assert {(r[0], r[3]): _sheet_row(r, 4) for r in rows} == {k: _expected_row(v) for k, v in by_program.items()}

    by_group = defaultdict(list)
    for p in people:
        by_group[p["group"]].append(p)
    rows = list(wb["Группы"].iter_rows(min_row=2, values_only=True))
    assert {r[0]: _sheet_row(r, 5) for r in rows} == {k: _expected_row(v) for k, v in by_group.items()}

    rows = list(wb["Преподаватели"].iter_rows(min_row=2, values_only=True))
    expected = {}
    for staff_id, t in teachers.items():
        expected[staff_id] = [
            sum(1 for k in t if k.startswith("groups:")), t["lessons"], t["hours"],
            round(100 * (t["held"] - t["missed"]) / t["held"], 1) if t["held"] else None,
            t["results"], round(100 * t["positive"] / t["results"], 1) if t["results"] else None,
            round(t["grades"] / t["graded"], 2) if t["graded"] else None,
        ]
    assert {str(r[0]): list(r[3:10]) for r in rows} == expected


def test_summary_has_native_charts(sample):
    _, out, _ = sample
    with zipfile.ZipFile(out / "reports" / "summary.xlsx") as z:
        charts = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        xml = [z.read(n).decode() for n in charts]
    assert len(charts) == 3
    assert "<barChart>" in xml[0] and "<lineChart>" in xml[1] and "<barChart>" in xml[2]
    assert "Доля освоивших программу" in xml[0]


def test_director_page_has_figures_and_a_picture(sample):
    from docx import Document

    _, out, today = sample
    doc = Document(str(out / "reports" / "director.docx"))
    text = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "Доля освоивших программу, %" in text
    assert len(doc.inline_shapes) == 1
    assert (out / "reports" / "director.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_status_states_are_coloured_and_the_summary_sheet_comes_first(small, tmp_path):
    run_reports(small, tmp_path, today=D(2025, 5, 7), rendered=_fake_rendered(
        tmp_path, ("journal", "ПК-2024-01/journal", "ПК-2024-01", None)), archive_index=[])
    wb = openpyxl.load_workbook(tmp_path / "reports" / "status.xlsx")
    assert wb.sheetnames == ["Сводка", "По группам", "По годам"]
    assert wb["Сводка"]["A1"].value.startswith("Полнота документов на 07.05.2025")
    ws = wb["По группам"]
    assert [c.value for c in ws[1]][:4] == ["Группа", "Носитель", "Ключ", "Состояние"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:G")
    colours = {c.value: c.fill.fgColor.rgb[-6:] for c in ws["D"][1:] if c.fill.fill_type == "solid"}
    # the rule of the sheet: what exists is green, what cannot be produced yet is orange, the rest plain
    assert colours == {"сформирован": "E2EFDA", "нельзя сформировать": "FCE4D6"}
    assert all(c.fill.fill_type is None for c in ws["D"][1:] if c.value == "не требуется")


def test_the_large_report_tables_print_landscape_a_page_wide_their_header_on_every_page(small, tmp_path):
    run_reports(small, tmp_path, today=D(2025, 5, 7), rendered=_fake_rendered(
        tmp_path, ("journal", "ПК-2024-01/journal", "ПК-2024-01", None)), archive_index=[])
    for name, headers in (("status.xlsx", {"Сводка": 3, "По группам": 1, "По годам": 1}),
                          ("learners.xlsx", {"Группа риска": 3, "Результаты обучения": 1})):
        wb = openpyxl.load_workbook(tmp_path / "reports" / name)
        assert {ws.title: int(ws.print_title_rows.split(":")[0].strip("$")) for ws in wb} == headers, name
        for ws in wb:
            assert ws.cell(headers[ws.title], 1).value == ("Год" if ws.title == "По годам" else "Группа")
            assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
            assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
    # every carrier's key is printed whole in its column of status.xlsx
    from pipeline.carriers import CARRIERS

    wb = openpyxl.load_workbook(tmp_path / "reports" / "status.xlsx")
    for sheet in ("По группам", "По годам"):
        assert wb[sheet]["C1"].value == "Ключ"
        assert wb[sheet].column_dimensions["C"].width >= max(len(c.key) for c in CARRIERS) + 1


def test_the_report_stage_counts_its_rows_and_tells_the_time_left(small, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("pipeline.core.progress.PLAIN_EVERY", 0)
    rendered = _fake_rendered(tmp_path, ("journal", "ПК-2024-01/journal", "ПК-2024-01", None))
    run_reports(small, tmp_path, today=D(2025, 5, 7), rendered=rendered, archive_index=[])
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("Отчеты: строка")]
    counts = [tuple(int(n) for n in line.split("строка ")[1].split(" (")[0].split(" из ")) for line in lines]
    total = counts[0][1]
    wb = openpyxl.load_workbook(tmp_path / "reports" / "learners.xlsx")
    written = sum(ws.max_row for ws in wb) - 3 - 1  # less the title, blank and header rows, and one header
    assert total >= written  # every streamed row is counted
    assert [done for done, _ in counts] == sorted({done for done, _ in counts})  # only forward
    assert counts[-1][0] == total
    assert any("осталось около" in line for line in lines)
    # Nothing changed: nothing is written, so no bar at all.
    run_reports(small, tmp_path, today=D(2025, 5, 7), rendered=rendered, archive_index=[])
    assert "Отчеты:" not in capsys.readouterr().err


def test_printed_report_headers_keep_every_word_whole(small, tmp_path, libreoffice):
    """Printed (LibreOffice's PDF), a wrapped header shows each of its words whole and all of its lines:
    status.xlsx once printed «Сформирован / о носителей» with the second line under the first data row."""
    import subprocess

    run_reports(small, tmp_path, today=D(2025, 5, 7), rendered=_fake_rendered(
        tmp_path, ("journal", "ПК-2024-01/journal", "ПК-2024-01", None)), archive_index=[])
    pdf_dir = tmp_path / "pdf"
    for name in ("status.xlsx", "summary.xlsx", "learners.xlsx"):
        subprocess.run([libreoffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                        "pdf", "--outdir", str(pdf_dir), str(tmp_path / "reports" / name)],
                       capture_output=True, timeout=180, check=True)
        printed = subprocess.run(["pdftotext", str(pdf_dir / name.replace(".xlsx", ".pdf")), "-"],
                                 capture_output=True, text=True, check=True).stdout
        words = set(printed.split())
        book = openpyxl.load_workbook(tmp_path / "reports" / name)
        for ws in book:
            header = next((row for row in ws.iter_rows(max_row=3, values_only=True) if row and row[0] and len(
                [v for v in row if v]) > 2), ())
            for title in filter(None, header):
                for word in str(title).split():
                    if len(word) > 3 and word.isalpha():
                        assert word in words, (name, ws.title, title, word)


def test_the_directors_chart_is_drawn_again_only_when_its_figures_change(tmp_path, monkeypatch):
    import sys

    from PIL import Image

    from pipeline.reports import director
    from pipeline.reports.figures import Outcome

    path = tmp_path / "director.png"
    yearly = [(2025, Outcome(enrolled=10, met=9, not_met=1, hours_held=100, hours_attended=95)),
              (2026, Outcome(enrolled=4, studying=4, hours_held=40, hours_attended=31))]
    path.write_bytes(director.chart_png(yearly, reuse=path))
    with Image.open(path) as image:
        assert image.info[director.CHART_KEY] == director.chart_key(director.chart_values(yearly))
    drawn = path.read_bytes()
    # the same figures as printed (one decimal: 95.0 % and 77.5 %) are not drawn again: matplotlib is not loaded
    with monkeypatch.context() as without_matplotlib:
        without_matplotlib.setitem(sys.modules, "matplotlib", None)
        same = [(2025, yearly[0][1]), (2026, Outcome(enrolled=5, studying=5, hours_held=400, hours_attended=310))]
        assert director.chart_png(same, reuse=path) == drawn
        with pytest.raises(ImportError):  # a figure that prints differently is drawn again
            director.chart_png([(2025, yearly[0][1]), (2026, Outcome(hours_held=40, hours_attended=32))], reuse=path)
        path.write_bytes(drawn.replace(director.CHART_KEY.encode(), b"uchet-other"))  # a picture not drawn here
        with pytest.raises(ImportError):
            director.chart_png(yearly, reuse=path)
    assert director.chart_png(yearly, reuse=path) == drawn  # drawn again, the same bytes
