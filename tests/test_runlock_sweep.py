"""A run killed while writing leaves «.tmp-…» files; the next run, holding the lock, removes them from
every output folder but the archive (whose own recovery tells what it removed: pipeline.archive.bag)."""

from __future__ import annotations

import os

from pipeline.core.runlock import sweep_temporary_files


def test_half_written_files_are_swept_everywhere_but_the_archive(tmp_path):
    out = tmp_path / "output"
    (out / "build" / "ПК-2026-01").mkdir(parents=True)
    (out / "reports").mkdir()
    (out / "archive" / "2024").mkdir(parents=True)
    (out / "cache" / "checked").mkdir(parents=True)
    half = [out / "build" / "ПК-2026-01" / ".tmp-journal.docx", out / "reports" / ".tmp-summary.xlsx",
            out / "cache" / "checked" / ".tmp-1.json", out / ".tmp-errors.xlsx"]
    kept = [out / "build" / "ПК-2026-01" / "Журнал.docx", out / "archive" / "2024" / ".tmp-index.xlsx",
            out / "reports" / "summary.xlsx"]
    for path in half + kept:
        path.write_bytes(b"x")
    (out / "build" / ".tmp-folder").mkdir()  # a folder is not a file a write left behind
    outside = tmp_path / "elsewhere.docx"
    outside.write_bytes(b"not ours")
    os.symlink(outside, out / "reports" / ".tmp-link.docx")  # nor is a link (its target is not ours)

    swept = sweep_temporary_files(out)

    assert sorted(swept) == sorted(half)
    assert not any(path.exists() for path in half)
    assert all(path.exists() for path in kept)
    assert (out / "build" / ".tmp-folder").is_dir() and outside.exists()
    assert (out / "reports" / ".tmp-link.docx").is_symlink()
