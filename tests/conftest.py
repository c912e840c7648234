"""Shared fixtures. Keep this small: stage-specific builders live in their own modules (builders.py)."""

from __future__ import annotations

import pytest
from builders import write_input


@pytest.fixture
def make_input(tmp_path):
    """Write an input folder (default: the minimal valid one from builders.py) and give its path."""

    def make(data=None, name="input"):
        return write_input(tmp_path / name, data)

    return make
