"""Word breaks for the typeset PDF: which patterns, and the editor's exceptions.

WeasyPrint hyphenates with pyphen, which maps a bare `en` to British
patterns; print.css asks for US patterns (`-weasy-lang: "en-US"` on
`[lang="en"]`) unless the manifest says `en-GB`. The manifest's `hyphenation:` list names words with the breaks a
dictionary allows (`pro-le-tar-i-at`), or without any (`Trotsky`: never
broken). The print renderer wraps each occurrence in a span that allows only
those breaks (soft hyphens under `hyphens: manual`). The EPUB gets none of
this: e-readers break words themselves, and soft hyphens in an EPUB's text
get in the way of searching it in some readers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from markupsafe import Markup, escape

SOFT_HYPHEN = "\xad"
MIN_PART = 3  # no break leaves fewer letters on either side (as hyphenate-limit-chars in print.css)
WORD = re.compile(r"^[^\W\d_]+(?:-[^\W\d_]+)*$")


@dataclass(frozen=True)
class Exceptions:
    """Words with their allowed breaks: {'proletariat': (3, 5, 8)}."""

    breaks: dict

    @classmethod
    def of(cls, words) -> "Exceptions":
        breaks = {}
        for word in words:
            offsets, position = [], 0
            parts = word.split("-")
            whole = "".join(parts)
            for part in parts[:-1]:
                position += len(part)
                if MIN_PART <= position <= len(whole) - MIN_PART:
                    offsets.append(position)
            breaks[whole.lower()] = tuple(offsets)
        return cls(breaks)

    @cached_property
    def pattern(self):
        if not self.breaks:
            return None
        alternatives = "|".join(re.escape(w) for w in sorted(self.breaks, key=len, reverse=True))
        return re.compile(rf"(?<![^\W\d_])(?:{alternatives})(?![^\W\d_])", re.IGNORECASE)

    def mark(self, text: str) -> Markup:
        """`text` escaped, each listed word in a span with only its own breaks."""
        pattern = self.pattern
        if pattern is None:
            return escape(text)
        out, last = [], 0
        for match in pattern.finditer(text):
            word = match.group(0)
            offsets = self.breaks[word.lower()]
            pieces = [word[a:b] for a, b in zip((0, *offsets), (*offsets, len(word)))]
            out.append(escape(text[last:match.start()]))
            out.append(Markup('<span class="hy">%s</span>') % Markup(SOFT_HYPHEN).join(escape(p) for p in pieces))
            last = match.end()
        out.append(escape(text[last:]))
        return Markup("").join(out)
