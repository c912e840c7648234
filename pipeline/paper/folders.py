"""Print the paper archive: one PDF per closed дело, the описи дел and the номенклатура of each closed year.

A дело of year Y is closed once Y is over and every document that belongs to it is filed: an order
of 2025 for a group that is still studying waits in its group's build until the group completes, and
the 2025 orders дело with it. Each closed дело gets `output/cases/<year>/Дело <index> [<group>] (<year>).pdf`:
обложка, внутренняя опись, the documents' PDF/A copies in filing order, лист-заверитель, to be printed
single-sided as one piece. The parts stay beside it as DOCX, for a change by hand.

Without LibreOffice nothing can be converted: the parts are written as DOCX, the опись shows «—» for
the sheets of documents whose PDF/A copy is pending, and the run says which copies are pending.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from pipeline.carriers import CARRIERS
from pipeline.core.dataset import Dataset
from pipeline.core.fsutil import atomic_write, atomic_write_bytes, safe_component
from pipeline.core.paths import TEMPLATES_DIR
from pipeline.paper import papers
from pipeline.paper.cases import (
    Case,
    case_key,
    cases_of,
    filed_records,
    formation_by_index,
    is_scan,
    numbered,
)
from pipeline.paper.renditions import (
    PDFA_FILTER,
    RenditionReport,
    by_source,
    make_renditions,
    soffice_or_none,
)
from pipeline.paper.scan_pages import scan_pages, scan_pdf
from pipeline.render.compile import compile_template

CASES_DIR = "cases"
PART_NAMES = ("1 Обложка", "2 Внутренняя опись", "3 Лист-заверитель")


@dataclass
class PrintReport:
    printed: list[Path] = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)
    """Дела written as DOCX parts only, with why."""
    waiting: list[str] = field(default_factory=list)
    """Дела of past years still waiting for documents that are not filed yet."""
    lists: list[Path] = field(default_factory=list)
    renditions: RenditionReport | None = None
    pending_copies: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = self.renditions.lines() if self.renditions else []
        if self.pending_copies:
            out.append(f"Копии PDF/A ждут LibreOffice: {len(self.pending_copies)} документов (установите "
                       "libreoffice-writer и повторите «make cases»). В описях их листы показаны «—».")
        out += [f"Дело ждет документов (еще не закрыто): {w}" for w in self.waiting]
        out += [f"Дело не собрано в один файл: {w}" for w in self.incomplete]
        out.append(f"Папки дел к печати: {len(self.printed)}; описи и номенклатуры: {len(self.lists)}.")
        return out


def open_keys(ds: Dataset, formation: dict[str, str], today: dt.date) -> dict[tuple[str, int, str], list[str]]:
    """Give {дело key: titles of its documents not filed yet}: of groups still studying, of years not over."""
    out: dict[tuple[str, int, str], list[str]] = defaultdict(list)
    for carrier in CARRIERS:
        rule = ds.nomenclature.get(carrier.case_key)
        if not carrier.archived or rule is None:
            continue
        for spec in carrier.build(ds):
            group = ds.groups.get(spec.group) if spec.group else None
            waiting = (group is None or not group.completed) if spec.group else spec.year >= today.year
            if waiting:
                key = case_key(rule.case_index, formation.get(rule.case_index, ""), spec.year, spec.group, spec.date)
                out[key].append(spec.title)
    return out


def case_label(case: Case) -> str:
    group = f" {case.group}" if case.group else ""
    return f"Дело {case.index}{group} ({case.year})"


def _render(template: str, context: dict) -> bytes:
    return compile_template(TEMPLATES_DIR / f"{template}.docx").render(context)


def _to_pdf(exe: str | None, docs: dict[str, bytes], work: Path) -> dict[str, Path]:
    """Convert DOCX bytes to PDF/A in one soffice call; give {name: pdf} of those converted."""
    if exe is None or not docs:
        return {}
    src = work / f"src{len(list(work.glob('src*')))}"
    src.mkdir(parents=True)
    names = list(docs)
    for n, name in enumerate(names):
        (src / f"{n}.docx").write_bytes(docs[name])
    with tempfile.TemporaryDirectory(prefix="uchet-lo-") as profile:
        subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", PDFA_FILTER,
                        "--outdir", str(src), *(str(src / f"{n}.docx") for n in range(len(names)))],
                       capture_output=True, stdin=subprocess.DEVNULL, timeout=120 + 10 * len(names), check=False)
    return {name: src / f"{n}.pdf" for n, name in enumerate(names) if (src / f"{n}.pdf").is_file()}


def _pages(pdf: Path) -> int:
    return len(PdfReader(pdf).pages)


def _write_pdf(target: Path, parts: list[Path]) -> None:
    writer = PdfWriter()
    for part in parts:
        writer.append(str(part))
    atomic_write(target, lambda tmp: writer.write(str(tmp)))


def print_cases(ds: Dataset, archive_root: Path, out_dir: Path, today: dt.date, *,
                only: tuple[str, int, str | None] | None = None,
                waiting: dict[tuple[str, int, str], list[str]] | None = None) -> PrintReport:
    """Print the closed дела (or the one дело `only` = (index, year, group)), their описи and номенклатуры.

    waiting: {дело key: documents not filed yet}; by default worked out from the dataset (open_keys).
    """
    report = PrintReport()
    exe = soffice_or_none()
    filed = filed_records(archive_root)
    formation = formation_by_index(ds.nomenclature)
    cases = cases_of(filed, formation)
    waiting = open_keys(ds, formation, today) if waiting is None else waiting
    numbers = numbered(cases)

    def wanted(c: Case) -> bool:
        if only is not None:
            return (c.index, c.year) == only[:2] and (only[2] is None or (c.group or "") == only[2])
        return c.year < today.year and c.key not in waiting

    if only is not None:  # one дело: copies of its own documents only, not of the whole archive
        filed = [d.filed for c in cases if wanted(c) for d in c.documents]
    if exe is not None:
        report.renditions = make_renditions(archive_root, filed, exe)
    copies = by_source(archive_root)
    report.pending_copies = [f.path for f in filed if (f.path, f.record.sha256) not in copies and not is_scan(f.record)]

    for c in cases:
        if c.year < today.year and c.key in waiting and (only is None or wanted(c)):
            report.waiting.append(f"{case_label(c)}: не подшито {len(waiting[c.key])} — "
                                  + "; ".join(waiting[c.key][:3]) + ("…" if len(waiting[c.key]) > 3 else ""))
    selected = [c for c in cases if wanted(c)]
    sheets_of: dict[tuple[str, int, str], papers.Sheets] = {}
    for c in selected:
        pages = []
        for d in c.documents:
            if d.scans:  # the signed original's scans take the document's place: their pages are its sheets
                counts = [scan_pages(archive_root / s.path) for s in d.scans]
                pages.append(None if None in counts else sum(counts))
                continue
            copy = copies.get((d.filed.path, d.filed.record.sha256))
            pages.append(copy.pages if copy else None)
        sheets_of[c.key] = papers.Sheets.of(pages)
    with tempfile.TemporaryDirectory(prefix="uchet-cases-") as tmp:
        work = Path(tmp)
        # The опись's own sheets are printed in it: render, count, and render again where the count differs.
        own = {c.key: 1 for c in selected}
        inv_pdf: dict = {}
        for _ in range(3):  # a count that changes the опись's length settles by the second pass
            todo = {c.key: _render("case_inventory", papers.inventory_context(ds, c, sheets_of[c.key], own[c.key], today))
                    for c in selected if c.key not in inv_pdf}
            converted = _to_pdf(exe, todo, work)
            for key, pdf in converted.items():
                n = _pages(pdf)
                if n == own[key]:
                    inv_pdf[key] = pdf
                else:
                    own[key] = n
        parts = {}
        for c in selected:
            cipher = numbers.get(c.key)
            parts[(c.key, 0)] = _render("case_cover", papers.cover_context(ds, c, sheets_of[c.key], cipher, today))
            parts[(c.key, 1)] = _render("case_inventory",
                                        papers.inventory_context(ds, c, sheets_of[c.key], own[c.key], today))
            parts[(c.key, 2)] = _render("case_certifier",
                                        papers.certifier_context(ds, c, sheets_of[c.key], own[c.key], today))
        other = _to_pdf(exe, {k: v for k, v in parts.items() if k[1] != 1}, work)
        for c in selected:
            folder = out_dir / str(c.year) / safe_component(case_label(c))
            for i, name in enumerate(PART_NAMES):
                atomic_write_bytes(folder / f"{name}.docx", parts[(c.key, i)], durable=False)
            sheets = sheets_of[c.key]
            missing = [d.filed.path for d, r in zip(c.documents, sheets.ranges, strict=True) if r is None]
            # (a document with scans counts as missing only when a scan cannot be read)
            if exe is None or missing or c.key not in inv_pdf or (c.key, 0) not in other or (c.key, 2) not in other:
                why = (f"нет копий PDF/A у {len(missing)} документов" if missing
                       else "LibreOffice не установлен" if exe is None else "LibreOffice не преобразовал обложку или опись")
                report.incomplete.append(f"{case_label(c)} — {why}; части дела в DOCX: {folder}")
                continue
            docs = []
            for n, d in enumerate(c.documents):
                if d.scans:
                    docs += [scan_pdf(archive_root / s.path, work / f"scan-{id(c)}-{n}-{k}.pdf")
                             for k, s in enumerate(d.scans)]
                else:
                    docs.append(archive_root / "pdfa" / copies[(d.filed.path, d.filed.record.sha256)].pdf)
            target = out_dir / str(c.year) / f"{safe_component(case_label(c))}.pdf"
            _write_pdf(target, [other[(c.key, 0)], inv_pdf[c.key], *docs, other[(c.key, 2)]])
            report.printed.append(target)
        if only is None:
            report.lists += _print_lists(ds, cases, selected, numbers, sheets_of, out_dir, today, exe, work)
    return report


def _print_lists(ds, cases, selected, numbers, sheets_of, out_dir: Path, today: dt.date, exe, work: Path) -> list[Path]:
    """Write the описи дел of each closed year and the номенклатура of each year (DOCX, and PDF with LibreOffice)."""
    totals = {key: s.total for key, s in sheets_of.items()}
    docs: dict[Path, bytes] = {}
    years = sorted({c.year for c in cases if c.year < today.year})
    for year in years:
        for kind, title in papers.INVENTORY_TITLES.items():
            if any(c.year == year and c.inventory == kind for c in cases):
                ctx = papers.inventory_list_context(ds, kind, year, cases, numbers, totals, today)
                name = f"Опись № {ctx['inventory']['number']} дел {title} за {year} год.docx"
                docs[out_dir / str(year) / safe_component(name)] = _render("case_list", ctx)
        printed = [c for c in selected if c.year == year]
        if printed:
            ctx = papers.labels_context(ds, year, printed, numbers, totals, today)
            docs[out_dir / str(year) / f"Ярлыки дел за {year} год.docx"] = _render("case_labels", ctx)
    for year in [*years, today.year]:
        ctx = papers.nomenclature_context(ds, year, cases, today, closed=year < today.year)
        docs[out_dir / str(year) / f"Номенклатура дел на {year} год.docx"] = _render("nomenclature", ctx)
    written = []
    for path, data in docs.items():
        atomic_write_bytes(path, data, durable=False)
        written.append(path)
    for path, pdf in _to_pdf(exe, {p: d for p, d in docs.items()}, work).items():
        shutil.copyfile(pdf, path.with_suffix(".pdf"))
    return written
