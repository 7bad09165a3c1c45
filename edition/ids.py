"""Stable identifiers derived from content (never random, never counters of
the run): the same edition gives the same ids on every build."""

from __future__ import annotations

import re
import unicodedata


def slugify(words: str, max_length: int = 60) -> str:
    """'What Stalin Destroyed' -> 'what-stalin-destroyed' (ASCII, lower case)."""
    ascii_words = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_words.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug or "x"


def text_id(file_stem: str) -> str:
    """An XML-safe id for a text (ids may not start with a digit)."""
    return "text-" + slugify(file_stem, max_length=80)


def unique(candidate: str, taken: set[str]) -> str:
    """`candidate`, or `candidate-2`, `-3` … the first not in `taken`; adds it."""
    result, n = candidate, 1
    while result in taken:
        n += 1
        result = f"{candidate}-{n}"
    taken.add(result)
    return result
