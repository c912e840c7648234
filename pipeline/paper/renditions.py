"""PDF/A preservation copies of the filed documents, in a sibling folder of the bags with its own list.

Where they live, and why there: `<archive>/pdfa/<year>/<bag folder>/<payload name>.pdf`, listed in
`<archive>/pdfa/renditions.csv` (source path, the source's and the copy's SHA-256, pages, PDF/A level).
Putting them into the bags as payload would need a documents.csv row per copy (verify checks that
every payload file is a kept record), and every later filing into that bag rebuilds it from its records;
the copies would then show in the index, the labels, `find` and the disposal act as documents of their
own. A sibling folder leaves filing, the bags and their manifests exactly as they are, while the list
still fixes each copy by hash and ties it to the exact archived bytes it was made from.

Rules:
- a copy is made once, for the newest kept version of a document, and never rewritten: a source with
  another hash (a new version is a new file) gets its own copy;
- a copy whose source was destroyed by an act is deleted with its row (it is a copy of a destroyed
  document, personal data included);
- LibreOffice writes PDF/A-2b; each copy is checked (XMP pdfaid part 2, conformance B, every font
  embedded) before it is listed, and its page count is what the внутренняя опись numbers sheets by.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from pipeline.archive.bag import archive_lock
from pipeline.archive.names import payload_name
from pipeline.core.fsutil import atomic_write_bytes, inside, sha256_file
from pipeline.paper.cases import FiledRecord, filed_records, is_scan

FOLDER = "pdfa"
LIST = "renditions.csv"
PDFA_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
"""LibreOffice's PDF export with «PDF/A-2b» selected (the JSON filter options need LibreOffice 7.4+)."""
BATCH = 100

_PART = re.compile(rb"<pdfaid:part>\s*(\d)\s*</pdfaid:part>|pdfaid:part=[\"'](\d)[\"']")
_CONFORMANCE = re.compile(rb"<pdfaid:conformance>\s*([ABUabu])\s*</pdfaid:conformance>|pdfaid:conformance=[\"']([ABUabu])[\"']")


@dataclass(frozen=True)
class Rendition:
    """One row of renditions.csv."""
    pdf: str
    """Relative to the pdfa folder: «2025/ПК-2025-01/Приказ о зачислении.pdf»."""
    source: str
    """The archived document, relative to the archive root."""
    source_sha256: str
    sha256: str
    pages: int
    pdfa: str
    """«2B» as read back from the copy's XMP."""


FIELDS = tuple(f.name for f in fields(Rendition))


@dataclass(frozen=True)
class PdfCheck:
    """What a PDF says about itself: pages, PDF/A identification, fonts not embedded."""
    pages: int
    pdfa: str
    unembedded: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.pdfa == "2B" and not self.unembedded


def check_pdf(path: Path) -> PdfCheck:
    """Read the page count, the XMP pdfaid part/conformance and the fonts without an embedded program."""
    # lazy: start-up — pypdf (0.17 s); every build asks how many copies wait, only `uchet pdfa` reads one
    from pypdf import PdfReader

    reader = PdfReader(path)
    meta = reader.trailer["/Root"].get("/Metadata")
    xmp = meta.get_object().get_data() if meta is not None else b""
    part, conf = _PART.search(xmp), _CONFORMANCE.search(xmp)
    level = ((part.group(1) or part.group(2)).decode() if part else "") + \
            ((conf.group(1) or conf.group(2)).decode().upper() if conf else "")
    missing: set[str] = set()
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            described = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for f in described:
                desc = f.get("/FontDescriptor")
                desc = desc.get_object() if desc is not None else None
                if f.get("/Subtype") == "/Type3":
                    continue  # drawn by the PDF's own procedures, nothing to embed
                if desc is None or not any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    missing.add(str(f.get("/BaseFont", "?")))
    return PdfCheck(len(reader.pages), level, tuple(sorted(missing)))


def read_list(archive_root: Path) -> list[Rendition]:
    path = archive_root / FOLDER / LIST
    if not path.is_file():
        return []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [Rendition(**{**row, "pages": int(row["pages"] or 0)}) for row in csv.DictReader(fh)]


def _list_bytes(rows: Iterable[Rendition]) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=FIELDS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(asdict(r) for r in sorted(rows, key=lambda r: r.pdf))
    return buf.getvalue().encode("utf-8-sig")


def by_source(archive_root: Path) -> dict[tuple[str, str], Rendition]:
    """Give {(source path, source sha256): rendition} of the copies listed."""
    return {(r.source, r.source_sha256): r for r in read_list(archive_root)}


def pdf_path(filed: FiledRecord) -> str:
    """Give the copy's path inside the pdfa folder: the bag's path and the payload's name with «.pdf»."""
    stem = Path(filed.record.file).name.rpartition(".")[0] or Path(filed.record.file).name
    return f"{filed.bag}/{payload_name(stem + '.pdf', 1)}"


def pending(archive_root: Path, filed: Iterable[FiledRecord]) -> list[FiledRecord]:
    """Give the kept documents that have no PDF/A copy yet."""
    done = by_source(archive_root)
    return [f for f in filed if (f.path, f.record.sha256) not in done and not is_scan(f.record)]


def pending_copies(archive_root: Path) -> int:
    """Give how many kept documents of the archive still wait for their PDF/A copy (for the build's summary)."""
    return len(pending(archive_root, filed_records(archive_root)))


@dataclass
class RenditionReport:
    made: list[str]
    removed: list[str]
    failed: list[str]

    def lines(self) -> list[str]:
        out = [f"Копии PDF/A: сделано {len(self.made)}, удалено вместе с уничтоженными документами "
               f"{len(self.removed)}, не удалось {len(self.failed)}."]
        out += [f"НЕ УДАЛОСЬ сделать копию PDF/A: {p}" for p in self.failed]
        return out


def soffice_or_none() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _convert(exe: str, sources: list[Path], out_dir: Path) -> None:
    """Convert sources (named 0.docx, 1.docx … in one folder) to PDF/A in out_dir, a batch per soffice call."""
    with tempfile.TemporaryDirectory(prefix="uchet-lo-") as profile:
        for start in range(0, len(sources), BATCH):
            chunk = sources[start:start + BATCH]
            subprocess.run(
                [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", PDFA_FILTER,
                 "--outdir", str(out_dir), *map(str, chunk)],
                capture_output=True, stdin=subprocess.DEVNULL, timeout=120 + 10 * len(chunk), check=False,
            )


def make_renditions(archive_root: Path, filed: list[FiledRecord], exe: str) -> RenditionReport:
    """Make the missing PDF/A copies of the kept documents, drop those of destroyed ones; give what was done."""
    report = RenditionReport([], [], [])
    folder = archive_root / FOLDER
    with archive_lock(archive_root):
        rows = {r.pdf: r for r in read_list(archive_root)}
        kept = {(f.path, f.record.sha256) for f in filed}
        for pdf, row in sorted(rows.items()):
            if (row.source, row.source_sha256) not in kept and not (archive_root / row.source).is_file():
                target = inside(folder, folder / pdf)
                target.unlink(missing_ok=True)
                del rows[pdf]
                report.removed.append(row.source)
        done = {(r.source, r.source_sha256) for r in rows.values()}
        # A scan is the signed paper's own image, not a DOCX to convert: the printed дело takes its pages as they are.
        todo = [f for f in filed if (f.path, f.record.sha256) not in done and not is_scan(f.record)]
        if todo:
            with tempfile.TemporaryDirectory(prefix="uchet-pdfa-") as tmp:
                work = Path(tmp)
                sources = []
                for n, f in enumerate(todo):
                    src = work / f"{n}.docx"
                    shutil.copyfile(archive_root / f.path, src)
                    sources.append(src)
                _convert(exe, sources, work / "out")
                for n, f in enumerate(todo):
                    made = work / "out" / f"{n}.pdf"
                    check = check_pdf(made) if made.is_file() and made.stat().st_size else None
                    if check is None or not check.ok:
                        report.failed.append(f.path + ("" if check is None else f" ({check.pdfa or 'не PDF/A'}"
                                                       f"{'; шрифты не встроены: ' + ', '.join(check.unembedded) if check.unembedded else ''})"))
                        continue
                    rel = pdf_path(f)
                    if rel in rows:  # a payload name reused by another version: keep both apart
                        rel = rel[:-4] + f" ~{f.record.sha256[:8]}.pdf"
                    target = inside(folder, folder / rel)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    atomic_write_bytes(target, made.read_bytes())
                    rows[rel] = Rendition(rel, f.path, f.record.sha256, sha256_file(target), check.pages, check.pdfa)
                    report.made.append(f.path)
        if report.made or report.removed or not (folder / LIST).is_file():
            folder.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(folder / LIST, _list_bytes(rows.values()))
    return report


def verify_renditions(archive_root: Path) -> list[str]:
    """Give a line per copy that is missing, changed, or lies in the folder without a row (empty: all in order)."""
    folder = archive_root / FOLDER
    rows = read_list(archive_root)
    out = []
    listed = set()
    for r in rows:
        path = folder / r.pdf
        listed.add(os.path.normcase(str(path)))
        if not path.is_file():
            out.append(f"НЕТ КОПИИ PDF/A: {FOLDER}/{r.pdf} — указана в {LIST}, но файла нет")
        elif sha256_file(path) != r.sha256:
            out.append(f"ИЗМЕНЕНА КОПИЯ PDF/A: {FOLDER}/{r.pdf} — контрольная сумма не совпадает с {LIST}")
    for path in sorted(folder.rglob("*.pdf")) if folder.is_dir() else ():
        if os.path.normcase(str(path)) not in listed:
            out.append(f"ЛИШНИЙ ФАЙЛ: {path.relative_to(archive_root).as_posix()} — нет в {LIST}")
    return out
