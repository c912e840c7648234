"""Shared fixtures. Keep this small: stage-specific builders live in their own modules (builders.py)."""

from __future__ import annotations

import os

import pytest
from builders import write_input


@pytest.fixture(scope="session", autouse=True)
def cache_key(tmp_path_factory):
    """The cache's HMAC key (pipeline.cache_key) lives in the test session's folder, not in the home folder."""
    path = tmp_path_factory.mktemp("key") / "cache.key"
    old = os.environ.get("UCHET_CACHE_KEY")
    os.environ["UCHET_CACHE_KEY"] = str(path)
    yield path
    if old is None:
        os.environ.pop("UCHET_CACHE_KEY", None)
    else:
        os.environ["UCHET_CACHE_KEY"] = old


@pytest.fixture
def make_input(tmp_path):
    """Write an input folder (default: the minimal valid one from builders.py) and give its path."""

    def make(data=None, name="input"):
        return write_input(tmp_path / name, data)

    return make
