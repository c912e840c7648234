"""What the last render wrote (output/cache/render.json), and which documents a new run must rebuild.

The manifest lists every document of the last run: its carrier, its spec without the context, its
path under output/build/, the hash of its bytes and of its inputs (template + context), and the file's
size and mtime as written. A document is rendered again only when its inputs hash differs or its file
is not what the run left there.

Building contexts costs time too (a learner card walks the person's whole history), so the plan also
says which documents need their contexts built at all, from which input workbooks changed:
- nothing changed (inputs, templates, code): no context is built, the manifest is the result;
- only group workbooks changed: group- and module-scoped documents of those groups, learner-scoped
  documents of their learners (before and after the edit), and every year-scoped document;
- anything else (the reference workbooks, the learners, a Moodle export, a template, the code): that
  carrier in full (its unchanged documents are still not rendered again).
A document's `sources` (DocumentSpec) name the workbooks it is built from; tests compare an
incremental build with a full one byte for byte.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline import cache
from pipeline.carriers.registry import Carrier, DocumentSpec, RenderedDocument
from pipeline.dataset import Dataset
from schemas import GROUPS_DIR

MANIFEST = "render.json"


@dataclass(frozen=True)
class Entry:
    """One document of the last run, as the manifest keeps it."""

    carrier: str
    spec: dict[str, Any]
    path: str  # relative to the build folder, with «/»
    sha256: str
    inputs_hash: str
    size: int
    mtime_ns: int

    def still_there(self, build_dir: Path) -> bool:
        """Tell whether the file is as the run left it (size and mtime; a deleted or edited file is not)."""
        try:
            stat = (build_dir / self.path).stat()
        except OSError:
            return False
        return stat.st_size == self.size and stat.st_mtime_ns == self.mtime_ns

    def document(self, carrier: Carrier, build_dir: Path, spec: DocumentSpec | None = None) -> RenderedDocument:
        """The RenderedDocument this entry stands for; without a fresh spec, its context is empty."""
        return RenderedDocument(carrier, spec or spec_from_json(self.spec), build_dir / self.path,
                                self.sha256, self.inputs_hash, fresh=False)


@dataclass(frozen=True)
class Manifest:
    sources: dict[str, str]
    templates: dict[str, str]
    entries: dict[str, Entry]  # by doc_id


def spec_to_json(spec: DocumentSpec) -> dict[str, Any]:
    data = {f.name: getattr(spec, f.name) for f in dataclasses.fields(spec) if f.name != "context"}
    data["date"] = spec.date.isoformat() if spec.date else None
    data["sources"] = list(spec.sources)
    return data


def spec_from_json(data: dict[str, Any]) -> DocumentSpec:
    date = dt.date.fromisoformat(data["date"]) if data.get("date") else None
    return DocumentSpec(**{**data, "context": {}, "date": date, "sources": tuple(data["sources"])})


def read_manifest(cache_dir: Path) -> Manifest | None:
    """Give the last run's manifest, or None (first run, cache deleted, other code version)."""
    data = cache.read_json(cache_dir / MANIFEST)
    if data is None:
        return None
    try:
        entries = {e["spec"]["doc_id"]: Entry(**e) for e in data["documents"]}
        return Manifest(dict(data["sources"]), dict(data["templates"]), entries)
    except (KeyError, TypeError):
        return None


def write_manifest(cache_dir: Path, build_dir: Path, sources: dict[str, str], templates: dict[str, str],
                   documents: Sequence[RenderedDocument]) -> None:
    """Record this run's documents, with each file's size and mtime as it is now."""
    rows = []
    for doc in documents:
        stat = Path(doc.path).stat()
        rows.append({
            "carrier": doc.carrier.key, "spec": spec_to_json(doc.spec),
            "path": Path(doc.path).relative_to(build_dir.resolve()).as_posix(), "sha256": doc.sha256,
            "inputs_hash": doc.inputs_hash, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
        })
    cache.write_json(cache_dir / MANIFEST, {"sources": sources, "templates": templates, "documents": rows})


@dataclass(frozen=True)
class CarrierPlan:
    """For one carrier: the dataset to build contexts from (None: build none) and which old documents stand."""

    view: Dataset | None
    kept: list[Entry]


def plan(carrier: Carrier, dataset: Dataset, template_sha: str, previous: Manifest | None,
         build_dir: Path) -> CarrierPlan:
    """Give what this run must build for one carrier, given the last run's manifest."""
    if previous is None or previous.templates.get(carrier.key) != template_sha:
        return CarrierPlan(dataset, [])
    old = [e for e in previous.entries.values() if e.carrier == carrier.key]
    changed = {s for s in previous.sources.keys() | dataset.source_hashes.keys()
               if previous.sources.get(s) != dataset.source_hashes.get(s)}
    if not changed:
        return CarrierPlan(None, old)
    # Only a change confined to group workbooks (present now or read last time) can be traced to groups;
    # anything else (a reference workbook, a Moodle export beside a group) rebuilds the carrier.
    group_files = {g.file for g in dataset.groups.values()}
    group_files |= {s for e in previous.entries.values() for s in e.spec["sources"] if s.startswith(f"{GROUPS_DIR}/")}
    if carrier.scope == "year" or not changed <= group_files:
        return CarrierPlan(dataset, [])
    groups = {n: g for n, g in dataset.groups.items() if g.file in changed}
    if carrier.scope in ("group", "module"):
        kept = [e for e in old if e.spec["group"] not in groups and not changed & set(e.spec["sources"])]
        return CarrierPlan(dataclasses.replace(dataset, groups=groups), kept)
    # Learner-scoped: the learners of the changed groups now, and those whose documents came from them.
    learners = {m.learner_id for g in groups.values() for m in g.members}
    learners |= {e.spec["learner_id"] for e in old if changed & set(e.spec["sources"])}
    view = dataclasses.replace(
        dataset,
        learners={i: lr for i, lr in dataset.learners.items() if i in learners},
        groups={n: g for n, g in dataset.groups.items() if any(m.learner_id in learners for m in g.members)},
    )
    return CarrierPlan(view, [e for e in old if e.spec["learner_id"] not in learners])
