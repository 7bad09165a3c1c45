"""Words and names: what looks like a person's name, a title, a sentence's end."""

from __future__ import annotations

import re


# --------------------------------------------------------------------------
# Words and names

SMALL_WORDS = {
    "a", "an", "the", "and", "or", "nor", "but", "of", "to", "in", "on", "at", "for", "by",
    "with", "from", "as", "into", "upon", "onto", "vs", "vs.", "via", "per", "than", "its",
    "de", "la", "le", "du", "des", "der", "die", "das", "und", "von", "van", "y", "el",
}
PARTICLES = {"de", "da", "del", "della", "van", "von", "der", "den", "la", "le", "du", "y", "e", "di", "ten", "ter"}
# Capitalised words that start titles and slogans, never names.
TITLE_WORDS = {
    "The", "A", "An", "On", "To", "For", "Of", "In", "And", "Or", "At", "By", "With", "From",
    "Letter", "Letters", "Open", "Speech", "Report", "Reply", "Answer", "Notes", "Note",
    "Against", "Why", "What", "Whither", "How", "Where", "Who", "When", "Is", "Are", "Was",
    "Our", "My", "Your", "Its", "Their", "Toward", "Towards", "About", "Once", "Again",
    "More", "Some", "Two", "Three", "New", "Long", "Live", "Down", "Forward", "Onward",
    "Victory", "Workers", "Party", "War", "Revolution", "Soviet", "Socialism", "Communism",
    "Communist", "Socialist", "Fourth", "Third", "Second", "First", "International",
    "Union", "State", "Congress", "Conference", "Program", "Programme", "Theses",
    "Resolution", "Declaration", "Manifesto", "Statement", "Appeal", "Interview", "Article",
    "Introduction", "Preface", "Conclusion", "Postscript", "Appendix", "Chapter", "Part",
    "Section", "Book", "Volume", "Archive", "Index", "Page", "Contents", "Dear", "Comrades",
    "Comrade", "Friends", "Yours", "Regards", "Greetings", "Written", "Source", "Extract",
}
# Authors whose signatures archives print with initials ("L. Trotsky").
KNOWN_AUTHORS = {
    ("l", "trotsky"): "Leon Trotsky", ("n", "lenin"): "V. I. Lenin", ("v", "lenin"): "V. I. Lenin",
    ("k", "marx"): "Karl Marx", ("f", "engels"): "Frederick Engels",
    ("r", "luxemburg"): "Rosa Luxemburg", ("n", "sedova"): "Natalia Sedova",
    ("j", "cannon"): "James P. Cannon", ("m", "shachtman"): "Max Shachtman",
}


def _is_name_word(word: str) -> bool:
    if re.fullmatch(r"(?:[A-Z]\.){1,3}|[A-Z][a-z]?\.", word):
        return True  # initials: "L.", "L.D.", "Wm."
    parts = [p for p in re.split(r"[-’']", word) if p]
    return bool(parts) and all(p[0].isupper() and p.isalpha() for p in parts)


def is_name_like(text: str, max_words: int = 5) -> bool:
    """Looks like a person's name: "Leon Trotsky", "John G. Wright", "L.D."."""
    words = text.strip().rstrip(",").split()
    if not 1 <= len(words) <= max_words:
        return False
    if len(words) == 1 and not re.fullmatch(r"(?:[A-Z]\.){2,3}", words[0]):
        return False
    named = 0
    for word in words:
        if word in PARTICLES:
            continue
        if word in TITLE_WORDS or not _is_name_word(word):
            return False
        named += 1
    return named >= 1


def is_title_case(text: str) -> bool:
    """Every significant word capitalised ("What the Nazis Failed to Understand")."""
    words = [w.strip("“”\"‘’'()[],:;.!?") for w in text.split()]
    words = [w for w in words if w and any(c.isalpha() for c in w)]
    if not words:
        return False
    for index, word in enumerate(words):
        if index > 0 and word.lower() in SMALL_WORDS:
            continue
        if not word[0].isupper():
            return False
    return True


def is_all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def ends_sentence(text: str) -> bool:
    """Ends with a full stop, colon … (closing quotes and note markers after it allowed)."""
    text = re.sub(r"(?:\s?(?:\[\d{1,3}\]|\*\d{1,3}|\(\d{1,3}\)|[⁰¹²³⁴⁵⁶⁷⁸⁹]+))+$", "", text)
    return bool(re.search(r"[.!?:;…][”’\"')\]]*$", text))
