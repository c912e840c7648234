"""Shared fixtures. Keep this small: stage-specific builders live in their own modules (builders.py)."""

from __future__ import annotations

import os
import shutil

import pytest
from builders import write_input


@pytest.fixture
def make_input(tmp_path):
    """Write an input folder (default: the minimal valid one from builders.py) and give its path."""

    def make(data=None, name="input"):
        return write_input(tmp_path / name, data)

    return make


def _office_missing() -> bool:
    return shutil.which("soffice") is None or shutil.which("pdftotext") is None


def pytest_sessionstart(session):
    """Under CI, checks that need LibreOffice or poppler must run: refuse to skip them silently."""
    if os.environ.get("CI") and _office_missing():
        pytest.exit("CI: LibreOffice (soffice) or poppler-utils is missing; run .ci/system-packages first", returncode=3)


def pytest_terminal_summary(terminalreporter):
    """Name the skipped page checks loudly when LibreOffice or poppler is missing on a developer's machine."""
    if _office_missing():
        terminalreporter.write_line(
            "!!! LibreOffice/poppler не установлены: тесты, открывающие документы в LibreOffice, пропущены. "
            "Включить: sudo apt-get install libreoffice-writer libreoffice-calc fonts-liberation poppler-utils",
            red=True, bold=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI no check is skipped silently: a skip (a missing tool, no root for the tmpfs of the full-disk
    tests, a build that finished before its interrupt) fails the test with the skip's reason. On a
    developer's machine the skip stays a skip and the summary lists it."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"CI: this check must run, but it was skipped: {reason}"


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    """Jinja's compiled code kept in tmp_path (not the user's cache folder): give that folder."""
    # lazy: the fixture is used by two files; conftest is imported by every test run
    from jinja2 import FileSystemBytecodeCache

    import pipeline.render.compile as render

    cache = FileSystemBytecodeCache(str(tmp_path), pattern="uchet-jinja-%s.cache")
    monkeypatch.setattr(render, "jinja_bytecode_cache", lambda: cache)
    return tmp_path


@pytest.fixture
def libreoffice() -> str:
    """The path of LibreOffice's soffice. Under CI a missing LibreOffice fails the run (pytest_sessionstart);
    on a developer's machine without it the test is skipped and the summary names it loudly."""
    path = shutil.which("soffice")
    if path is None:
        pytest.skip("LibreOffice is not installed: apt-get install libreoffice-writer libreoffice-calc")
    return path
