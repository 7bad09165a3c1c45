"""The sample's texts are the witness: each is, word for word, a run of the
raw archive copy it was made from (/work/shared/seeds), and every correction
in the manifest records a reading that copy really has."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from .conftest import REPO


def shared_dir() -> Path | None:
    """The shared folder: $EDITION_SHARED, or beside the repository, or /work/shared."""
    candidates = [os.environ.get("EDITION_SHARED", ""), REPO.parent / "shared", "/work/shared"]
    return next((Path(c) for c in candidates if c and (Path(c) / "seeds").is_dir()), None)


SHARED = shared_dir()
pytestmark = pytest.mark.skipif(SHARED is None, reason="the seeds (shared/seeds) are not available here")


def text_words(markdown: str) -> list[str]:
    """A text's body words, with the Markdown markup taken off."""
    body = markdown.split("\n---\n", 1)[1]
    body = re.sub(r"^(::: ?\w*|#+ |> ?|\d+\. )", "", body, flags=re.MULTILINE)
    body = body.replace("]{.smallcaps}", "").replace("*", "")
    body = re.sub(r"\[(?=[A-Z])", "", body)
    return re.sub(r"\\(.)", r"\1", body).split()


def seed_words(raw: str) -> list[str]:
    return re.sub(r"^\s*\d+\. ", "", raw, flags=re.MULTILINE).split()


def seed_run(words: list[str]) -> list[str] | None:
    """The run of some seed's words that starts as `words` starts, as long as `words`."""
    for path in sorted((SHARED / "seeds").glob("*.txt")):
        seed = seed_words(path.read_text(encoding="utf-8"))
        for i in range(len(seed)):
            if seed[i:i + 12] == words[:12]:
                return seed[i:i + len(words)]
    return None


SAMPLE_TEXTS = sorted((REPO / "texts").glob("19*.md"))


@pytest.mark.parametrize("path", SAMPLE_TEXTS, ids=lambda p: p.stem)
def test_text_is_word_for_word_its_seed(path):
    words = text_words(path.read_text(encoding="utf-8"))
    run = seed_run(words)
    assert run is not None, f"{path.name}: no seed begins as this text begins"
    first_difference = next((i for i, (a, b) in enumerate(zip(words, run)) if a != b), None)
    assert first_difference is None, (
        f"{path.name}: word {first_difference}: text has {words[first_difference:first_difference + 6]}, "
        f"seed has {run[first_difference:first_difference + 6]}")
    assert len(run) == len(words), f"{path.name}: the text runs past the end of its seed"


def test_every_correction_records_a_reading_of_the_seed(sample_edition):
    seeds = " ".join(" ".join(seed_words(p.read_text(encoding="utf-8")))
                     for p in sorted((SHARED / "seeds").glob("*.txt")))
    for text in sample_edition.texts:
        for correction in text.corrections:
            assert " ".join(correction.find.split()) in seeds, correction.find
