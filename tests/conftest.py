"""Shared fixtures: the sample edition of this repository, loaded once."""

from __future__ import annotations

import sys
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


# Ace by DAISY is slow and mostly waits on chromium: it starts, in a background
# thread, as soon as its tests are collected (see test_accessibility.AceRun).
ACCESSIBILITY = "tests.test_accessibility"


def pytest_collection_modifyitems(config, items):
    """Starts Ace and moves its tests last, so that it works while the others run."""
    ace = [item for item in items if getattr(item, "module", None) and item.module.__name__ == ACCESSIBILITY]
    if ace:
        items[:] = [item for item in items if item not in ace] + ace
        sys.modules[ACCESSIBILITY].ACE_RUN.start()


def pytest_sessionfinish(session):
    if ACCESSIBILITY in sys.modules:
        sys.modules[ACCESSIBILITY].ACE_RUN.close()
