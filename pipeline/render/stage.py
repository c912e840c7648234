"""Render stage: every document of every carrier in the registry, into output/build/<year>/<group>/.

Each template is compiled once per run (pipeline.render.compile) and reused for all its documents. Output is
deterministic (fixed zip timestamps; template properties are fixed when the template is built), and a file whose
bytes did not change is not rewritten, so its mtime stays put. With a cache folder, documents whose inputs did
not change are not even rendered (pipeline.cache.render_cache); many documents render on several processes
(pipeline.render.pool). A carrier's documents are built and rendered RENDER_BATCH at a time, so that the
contexts of 10,000 learner cards are never all held at once.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from pipeline.cache import BuildCache, render_cache
from pipeline.cache.build_backup import BuildBackup
from pipeline.cache.collector import give_back_freed_memory
from pipeline.carriers import CARRIERS
from pipeline.carriers.registry import Carrier, DocumentSpec, RenderedDocument
from pipeline.core.dataset import Dataset
from pipeline.core.errors import UchetError
from pipeline.core.fsutil import inside, safe_component, sha256_file
from pipeline.core.progress import progress
from pipeline.render.compile import compile_template
from pipeline.render.pool import render_jobs, render_one

RENDER_BATCH = 2000
"""Documents of one carrier whose contexts are built and handed to the workers at a time. A carrier built
whole held every context of 10,000 learner cards at once (a peak of about 100 MiB of Python objects inside
one carrier at 10,000 learners), and what it freed stayed scattered in the process; a batch is still large enough that starting the
workers again for it costs well under a percent of its render."""


def _compile(path: Path):
    """Give the compiled template, or a Russian refusal naming the missing file."""
    if not path.is_file():
        raise UchetError(f"Нет шаблона «{path}». Верните файл из резервной копии; шаблон, который поставляется с "
                         f"программой, команда «make templates» запишет заново (существующие она не трогает).")
    return compile_template(path)


def canonical_json(context: dict[str, Any]) -> str:
    """The context as canonical JSON (sorted keys, no whitespace); dates and other values as text."""
    return json.dumps(context, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def inputs_hash(template_sha256: str, context: dict[str, Any]) -> str:
    """sha256 over the template's hash and the canonical context: equal inputs, equal document."""
    digest = hashlib.sha256(template_sha256.encode("ascii"))
    digest.update(canonical_json(context).encode("utf-8"))
    return digest.hexdigest()


def document_path(build_dir: Path, spec: DocumentSpec, folders: dict[tuple, Path] | None = None) -> Path:
    """build/<year>/<group>/<file name>, or build/<year>/<file name> for year-scoped documents.

    `folders`: the folders already resolved in this run, by (year, group). Resolving every document's
    real path asked the file system about each of its folders once per document (14,000 documents at
    400 groups); the folder is resolved once, and a file name of safe components cannot leave it.
    """
    key = (spec.year, spec.group)
    folder = folders.get(key) if folders is not None else None
    if folder is None:
        folder = build_dir / str(spec.year)
        if spec.group:
            folder = folder / safe_component(spec.group)
        folder = inside(build_dir, folder)
        if folders is not None:
            folders[key] = folder
    name = Path(spec.file_name)
    path = folder / (safe_component(name.stem) + name.suffix)
    return path if not path.is_symlink() else inside(build_dir, path)


def render_carrier(carrier: Carrier, specs: Iterable[DocumentSpec], build_dir: Path,
                   templates_dir: Path) -> list[RenderedDocument]:
    """Render one carrier's documents with its template compiled once (in this process)."""
    template = _compile(templates_dir / carrier.template)
    rendered = []
    folders: dict[tuple, Path] = {}
    for spec in specs:
        path = document_path(build_dir, spec, folders)
        sha = render_one(str(template.path), spec.context, str(path), template)
        rendered.append(RenderedDocument(carrier, spec, path, sha, inputs_hash(template.sha256, spec.context)))
    return rendered


def render_learner_cards(dataset: Dataset, build_dir: Path, templates_dir: Path) -> list[RenderedDocument]:
    """Render every learner's card as of the dataset (what `uchet report` refreshes before the reports)."""
    card = next(c for c in CARRIERS if c.key == "learner_card")
    return render_carrier(card, list(card.build(dataset)), build_dir, templates_dir)


def render_all(dataset: Dataset, build_dir: Path, templates_dir: Path,
               carriers: Iterable[Carrier] = CARRIERS, *, cache: BuildCache | None = None,
               workers: int | None = None, backup: BuildBackup | None = None) -> list[RenderedDocument]:
    """Render every document of every carrier; give them in registry order, then by document id.

    The documents handed on carry their specs without the context (only rendering reads it).

    With the build's `cache`, a document whose template and context did not change since the
    last run, and whose file is still as that run left it, is neither rendered nor written, and no
    context is built for documents whose input workbooks did not change (pipeline.cache.render_cache).
    Enough documents to render go to `workers` processes (default: pipeline.render.pool.worker_count).
    """
    carriers = list(carriers)
    build_dir = Path(build_dir).resolve()  # document_path gives resolved paths; kept ones must compare equal
    build_dir.mkdir(parents=True, exist_ok=True)
    previous = render_cache.read_manifest(cache.folder) if cache is not None else None
    templates = {c.key: _template_sha(templates_dir / c.template) for c in carriers}
    found = render_cache.changes(dataset, previous) if previous is not None else None
    folders: dict[tuple, Path] = {}

    done: dict[str, RenderedDocument] = {}  # by doc_id
    with progress("Формирование документов", len(carriers), what="носитель", eta=False,  # carriers differ tenfold
                  detail=lambda: f"готово документов: {len(done):,}".replace(",", "\u00a0")) as advance:
        for carrier in carriers:
            step = render_cache.plan(carrier, dataset, templates[carrier.key], previous, build_dir, found)
            if not all(e.still_there(build_dir) for e in step.kept):
                step = render_cache.CarrierPlan(dataset, [])  # a file was edited or deleted by hand
            for entry in step.kept:
                done[entry.spec.doc_id] = entry.document(carrier, build_dir)
            specs = carrier.build(step.view) if step.view is not None else ()
            if step.view is not None and carrier.count is not None:
                total = carrier.count(step.view)
            else:
                specs = list(specs)
                total = len(specs)
            template = ""
            with progress(f"  {carrier.title}", total, what="документ") as advance_docs:
                for batch in _batches(specs, RENDER_BATCH):
                    pending: list[tuple[DocumentSpec, Path, str]] = []  # to render: spec, path, inputs hash
                    for spec in batch:
                        path = document_path(build_dir, spec, folders)
                        digest = inputs_hash(templates[carrier.key], spec.context)
                        old = previous.entries.get(spec.doc_id) if previous else None
                        if (old and old.inputs_hash == digest and build_dir / old.path == path
                                and old.still_there(build_dir)):
                            done[spec.doc_id] = old.document(carrier, build_dir, _without_context(spec))
                            advance_docs(1)
                        else:
                            pending.append((spec, path, digest))
                    if not pending:
                        continue
                    if backup is not None:  # the files about to be written, for a run the archive stops
                        backup.keep(path for _, path, _ in pending)
                    template = template or str(_compile(templates_dir / carrier.template).path)
                    jobs = [(template, spec.context, str(path)) for spec, path, _ in pending]
                    shas = render_jobs(jobs, workers, advance_docs)
                    del jobs
                    for (spec, path, digest), sha in zip(pending, shas, strict=True):
                        done[spec.doc_id] = RenderedDocument(carrier, _without_context(spec), path, sha, digest)
            del specs
            give_back_freed_memory()
            advance(1)

    order = {c.key: i for i, c in enumerate(carriers)}
    rendered = sorted(done.values(), key=lambda d: (order[d.carrier.key], d.spec.doc_id))
    _refuse_shared_paths(rendered)
    if previous is not None:
        # As the manifest names them (relative, «/»): a kept document is at its entry's path, so only the
        # fresh ones need a path worked out (a Path per document of the last run costs more than the rest
        # of a render that finds little changed).
        current = {previous.entries[doc.spec.doc_id].path if not doc.fresh
                   else Path(doc.path).relative_to(build_dir).as_posix() for doc in rendered}
        written = ((e.carrier, e.path, e.size, e.mtime_ns) for e in previous.entries.values())
        _remove_stale(written, build_dir, current, {c.key for c in carriers}, backup)
    elif cache is not None:
        # No manifest to read (the program was upgraded since, or the cache damaged): every document was
        # rendered, and the plain listing of the last run still names the files it wrote.
        current = {Path(doc.path).relative_to(build_dir).as_posix() for doc in rendered}
        _remove_stale(render_cache.read_written(cache.folder), build_dir, current, {c.key for c in carriers}, backup)
    if cache is not None:
        cache.file_states.update(render_cache.write_manifest(
            cache.folder, build_dir, dict(dataset.source_hashes), templates, rendered, previous, dataset))
    return rendered


def _batches(specs: Iterable[DocumentSpec], size: int) -> Iterator[list[DocumentSpec]]:
    """Give the specs in lists of at most `size`, building each list only when the last one was rendered."""
    batch: list[DocumentSpec] = []
    for spec in specs:
        batch.append(spec)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _remove_stale(written: Iterable[tuple[str, str, int, int]], build_dir: Path, current: set[str],
                  carriers: set[str], backup: BuildBackup | None) -> None:
    """Remove the documents the last run wrote that this run no longer gives under that name (a diploma
    whose file name carries the learner's old surname, a group that left the input), so nothing printed
    from output/build/ shows what the data no longer says. `written`: (carrier, path relative to the build
    folder, size, mtime_ns) of each file as the last run left it. A file changed by hand since is left
    alone, and so are the documents of carriers this run was not asked to render."""
    stale = [build_dir / path for carrier, path, size, mtime_ns in written
             if path not in current and carrier in carriers and render_cache.as_left(build_dir, path, size, mtime_ns)]
    if backup is not None:
        backup.keep(stale)
    for path in stale:
        path.unlink(missing_ok=True)
        try:
            path.parent.rmdir()  # only when it was the folder's last file
        except OSError:
            pass


def _without_context(spec: DocumentSpec) -> DocumentSpec:
    # Only rendering reads a context; 13,000 of them kept alive for the archive and the reports would
    # double the memory of a large build.
    return dataclasses.replace(spec, context={})


def _template_sha(path: Path) -> str:
    """The template file's hash, as CompiledTemplate.sha256 gives it, without compiling it."""
    try:
        return sha256_file(path)
    except OSError:
        return _compile(path).sha256  # gives the Russian refusal


def _refuse_shared_paths(rendered: list[RenderedDocument]) -> None:
    seen: dict[str, str] = {}
    for doc in rendered:
        key = str(doc.location)  # as text: a kept document has no Path made for it (RenderedDocument.location)
        if key in seen:
            raise UchetError(
                f"Два документа получили одно имя файла «{doc.path.name}» ({seen[key]} и {doc.spec.doc_id})."
            )
        seen[key] = doc.spec.doc_id


def docx_text(data: bytes) -> str:
    """Give a document's text: paragraphs, and table rows as «cell | cell», in body order (for tests and proofs)."""
    doc = Document(io.BytesIO(data))
    lines = []
    for block in doc.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(block, doc).text
            if text.strip():
                lines.append(text)
        elif tag == "tbl":
            for row in Table(block, doc).rows:
                cells = [c.text.replace("\n", " / ") for c in row.cells]
                if any(c.strip() for c in cells):
                    lines.append(" | ".join(cells))
    return "\n".join(lines) + "\n"
