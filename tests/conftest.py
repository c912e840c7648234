"""Shared fixtures. Keep this small: stage-specific builders live in their own modules (builders.py)."""

from __future__ import annotations

import shutil

import pytest
from builders import write_input


@pytest.fixture
def make_input(tmp_path):
    """Write an input folder (default: the minimal valid one from builders.py) and give its path."""

    def make(data=None, name="input"):
        return write_input(tmp_path / name, data)

    return make


@pytest.fixture
def libreoffice() -> str:
    """The path of LibreOffice's soffice. The suite needs it (.ci/run installs it; `make test` opens every
    document with it), so a machine without it fails these tests instead of skipping them silently."""
    path = shutil.which("soffice")
    assert path is not None, "LibreOffice is not installed: apt-get install libreoffice-writer libreoffice-calc"
    return path
