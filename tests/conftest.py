"""Shared fixtures: the sample edition of this repository, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE_MANIFEST = REPO / "manifest.yaml"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def sample_edition():
    import edition

    return edition.load(SAMPLE_MANIFEST)
