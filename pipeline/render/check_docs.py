"""`uchet check-docs`: open every built document in LibreOffice (a real client) by converting it to PDF.

One `soffice --headless --convert-to pdf` call per batch of documents: start-up costs about a second,
each document about 0.1 s (PERFORMANCE.md §4). A private LibreOffice profile keeps the run
independent of a desktop LibreOffice the user may have open.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import click

from pipeline.core.errors import UchetError
from pipeline.render.page_check import check_pdf

BATCH = 200


def soffice() -> str:
    """Give the LibreOffice executable, or refuse with how to install it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise UchetError("Не найден LibreOffice (soffice). Установите пакеты libreoffice-writer и fonts-liberation "
                         "(sudo apt-get install --no-install-recommends libreoffice-writer fonts-liberation).")
    return found


def convert(documents: list[Path], pdf_dir: Path, keep: dict[Path, Path] | None = None) -> list[Path]:
    """Convert documents to PDF into pdf_dir, a batch per soffice call; give the documents that failed.

    With `keep` (a dict), the PDFs stay and `keep` maps each document to its PDF; otherwise they are deleted.
    """
    exe = soffice()
    failed = []
    with tempfile.TemporaryDirectory(prefix="uchet-lo-") as profile:
        for start in range(0, len(documents), BATCH):
            batch = documents[start:start + BATCH]
            # Documents of different groups share file names; a folder per batch position keeps them apart.
            out = pdf_dir / f"batch{start // BATCH:03d}"
            out.mkdir(parents=True, exist_ok=True)
            by_stem: dict[str, list[Path]] = {}
            for doc in batch:
                by_stem.setdefault(doc.stem, []).append(doc)
            unique = [docs[0] for docs in by_stem.values()]
            rest = [d for docs in by_stem.values() for d in docs[1:]]
            for chunk in [unique] + [[d] for d in rest]:
                subprocess.run(
                    [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                     "--outdir", str(out), *map(str, chunk)],
                    capture_output=True, timeout=60 + 5 * len(chunk), check=False,
                )
                for doc in chunk:
                    pdf = out / f"{doc.stem}.pdf"
                    if not pdf.is_file() or pdf.stat().st_size == 0:
                        failed.append(doc)
                    elif keep is not None:
                        kept = out / f"{len(keep):05d}.pdf"  # the next chunk may make a PDF of the same name
                        pdf.rename(kept)
                        keep[doc] = kept
                    else:
                        pdf.unlink()
    return failed


def _check_one(item: tuple[Path, Path]) -> tuple[Path, list]:
    doc, pdf = item
    return doc, check_pdf(pdf, doc)


def _check_pages(pdfs: dict[Path, Path]) -> dict[Path, list]:
    """Page checks of every PDF, on every core (reading tables off a page is the slow part)."""
    workers = max(1, min(os.cpu_count() or 1, 8, len(pdfs)))
    if workers == 1:
        return dict(map(_check_one, pdfs.items()))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return dict(pool.map(_check_one, pdfs.items(), chunksize=8))


def check_docs(build_dir: Path) -> int:
    """Give 0 when LibreOffice opens every document under build_dir and its pages need no pen correction
    (pipeline.render.page_check), 2 when one fails or none exist."""
    documents = sorted(build_dir.rglob("*.docx"))
    if not documents:
        raise UchetError(f"В папке «{build_dir}» нет документов. Сначала выполните «make».")
    pdfs: dict[Path, Path] = {}
    with tempfile.TemporaryDirectory(prefix="uchet-pdf-") as tmp:
        failed = convert(documents, Path(tmp), keep=pdfs)
        pages = _check_pages(pdfs)
    for doc in failed:
        click.echo(f"ОШИБКА: LibreOffice не открыл документ «{doc}».", err=True)
    bad = {doc: found for doc, found in pages.items() if found}
    for doc, found in bad.items():
        for problem in found:
            click.echo(f"ОШИБКА: {problem.message(str(doc.relative_to(build_dir)))}", err=True)
    click.echo(f"Проверено документов: {len(documents)}, не открылись: {len(failed)}, "
               f"с ошибками на страницах: {len(bad)}.")
    return 2 if failed or bad else 0
