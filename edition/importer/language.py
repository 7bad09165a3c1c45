"""The text's language, from counts of its commonest words (no dictionary, no model).

Each language has a short list of very frequent function words; the language whose words make
up the largest share of the text wins, if the share is large enough and clearly ahead of the
next. A text in Cyrillic script is Russian (Ukrainian and Bulgarian letters are told apart)."""

from __future__ import annotations

import re

STOP_WORDS = {
    "en": "the of and to in a is that it was for on as with by not be are which this but from at have they his "
          "we their has an or all were been would its".split(),
    "de": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an werden "
          "aus er hat daß dass sie nach wird bei einer um".split(),
    "fr": "de la le et les des en du un une est que dans qui pour par pas au sur plus ne se il sont ce avec "
          "nous mais ont cette aux leur".split(),
    "es": "de la que el en y los del se las por un una para con no es al lo como más pero sus le ha su "
          "este esta son fue".split(),
    "it": "di e il la che in un per non una del della è le si con da al dei delle gli sono ma come anche "
          "nel alla più questo".split(),
    "pt": "de a o que e do da em um para é com não uma os no se na por mais as dos como mas foi ao ele das "
          "à seu sua ou".split(),
    "nl": "de het een en van in is dat op te zijn die met voor niet aan er ook als bij door maar uit om "
          "naar wordt worden".split(),
}
_WEIGHTS = {lang: set(words) for lang, words in STOP_WORDS.items()}


def detect_language(text: str) -> tuple[str | None, float]:
    """(language code, confidence 0..1), or (None, 0) when the text is too short or unclear."""
    cyrillic = len(re.findall(r"[\u0400-\u04ff]", text))
    latin = len(re.findall(r"[A-Za-zÀ-ÿ]", text))
    if cyrillic > latin and cyrillic >= 100:
        if re.search(r"[іїєґ]", text):
            return "uk", 0.9
        return "ru", 0.9
    words = re.findall(r"[a-zà-ÿß]+", text.lower())
    if len(words) < 30:
        return None, 0.0
    shares = {lang: sum(w in stop for w in words) / len(words) for lang, stop in _WEIGHTS.items()}
    ranked = sorted(shares.items(), key=lambda item: -item[1])
    (best, share), (_, second) = ranked[0], ranked[1]
    if share < 0.15 or share < 1.5 * second:
        return None, share
    return best, min(1.0, share / (share + second))
