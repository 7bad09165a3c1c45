"""Tests for edition.importer: the five seed texts and small synthetic raw texts."""

from __future__ import annotations

import datetime
import os
import re
import sys
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from edition.importer import find_date, import_text, suggest_filename  # noqa: E402



def _shared() -> Path:
    """/work/shared or wherever EDITION_SHARED points (the repository may be a worktree)."""
    candidates = [os.environ.get("EDITION_SHARED"), ROOT.parent / "shared", "/work/shared"]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return ROOT.parent / "shared"


SEEDS = _shared() / "seeds"
ALLOWED_KEYS = {"title", "author", "date", "date_text", "source", "transcription", "language", "extract"}
ISO_DATE = re.compile(r"^\d{4}(-\d\d(-\d\d)?)?$")
COMMONMARK = MarkdownIt("commonmark")


# --------------------------------------------------------------------------
# helpers

def split(markdown: str) -> tuple[dict, str]:
    """(front matter, body) of an imported file."""
    assert markdown.startswith("---\n")
    front, body = markdown[4:].split("\n---\n", 1)
    return yaml.safe_load(front), body


def tokens(markdown: str):
    return COMMONMARK.parse(split(markdown)[1])


def types(markdown: str) -> list[str]:
    return [t.type for t in tokens(markdown)]


def headings(markdown: str) -> list[str]:
    toks = tokens(markdown)
    return [toks[i + 1].content for i, t in enumerate(toks) if t.type == "heading_open" and t.tag == "h2"]


def paragraphs(markdown: str) -> list[str]:
    """The text of top-level paragraphs outside the ::: divs, as CommonMark reads it (escapes resolved)."""
    body = re.sub(r"^::: \w+\n.*?\n:::$", "", split(markdown)[1], flags=re.MULTILINE | re.DOTALL)
    toks = COMMONMARK.parse(body)
    out = []
    for i, t in enumerate(toks):
        if t.type == "paragraph_open" and t.level == 0:
            out.append("".join(c.content for c in toks[i + 1].children if c.type in ("text", "text_special")))
    return out


def div(markdown: str, name: str) -> list[str]:
    """The paragraphs inside `::: name` … `:::`."""
    match = re.search(rf"^::: {name}\n(.*?)\n:::$", markdown, re.MULTILINE | re.DOTALL)
    assert match, f"no ::: {name} div"
    return match.group(1).split("\n\n")


def seed(prefix: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip("seeds not available")
    found = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not found:
        pytest.skip(f"seed {prefix} not available")
    return found[0].read_text(encoding="utf-8")


def words_of_output(body: str) -> list[str]:
    """The body's words with the Markdown markup taken off (for faithfulness checks)."""
    text = re.sub(r"^(::: ?\w*|## |> ?)", "", body, flags=re.MULTILINE)
    text = text.replace("]{.smallcaps}", "")
    text = re.sub(r"\[(?=[A-Z])", "", text)
    text = re.sub(r"\\(.)", r"\1", text)
    return text.split()


# --------------------------------------------------------------------------
# the seeds

SEED_FACTS = {
    "000": ("Letter from Natalia", "Natalia Sedova Trotsky", "1944-11-06"),
    "001": ("The Soviet Union at War", "John G. Wright", "1941-08"),
    "002": ("Open Letter to the C.E.C. of the U.S.S.R.", "Leon Trotsky", "1932-03-01"),
    "003": ("Letter to the Bulgarian Comrades", "Leon Trotsky", "1930-10-04"),
    "004": ("Letter to Nikolai Bukharin", "Leon Trotsky", "1926-01-09"),
}


@pytest.mark.parametrize("prefix", sorted(SEED_FACTS))
def test_seed_title_author_date(prefix):
    result = import_text(seed(prefix))
    title, author, date = SEED_FACTS[prefix]
    assert result.front_matter["title"] == title
    assert result.front_matter["author"] == author
    assert result.front_matter["date"] == date
    assert result.front_matter["language"] == "en"
    assert set(result.front_matter) <= ALLOWED_KEYS


@pytest.mark.parametrize("prefix", sorted(SEED_FACTS))
def test_seed_front_matter_round_trips(prefix):
    result = import_text(seed(prefix))
    front, body = split(result.markdown)
    assert set(front) <= ALLOWED_KEYS
    assert front["title"] == result.front_matter["title"]
    assert ISO_DATE.match(str(front["date"]))
    assert str(front["date"]) == result.front_matter["date"]
    assert body.startswith("\n") and body.strip()


@pytest.mark.parametrize("prefix", sorted(SEED_FACTS))
def test_seed_keeps_words_in_order(prefix):
    """The body is the raw text's words in the raw order (header and navigation taken off)."""
    raw = seed(prefix)
    result = import_text(raw)
    out = words_of_output(split(result.markdown)[1])
    raw_words = raw.split()
    first = out[0]
    starts = [i for i, w in enumerate(raw_words) if w == first]
    assert any(raw_words[i:i + len(out)] == out for i in starts), "body words differ from the raw text"


@pytest.mark.parametrize("prefix", sorted(SEED_FACTS))
def test_seed_parses_as_commonmark(prefix):
    kinds = types(import_text(seed(prefix)).markdown)
    assert "paragraph_open" in kinds
    assert "code_block" not in kinds and "html_block" not in kinds


def test_seed_000_letter_furniture_and_quotes():
    result = import_text(seed("000"))
    assert div(result.markdown, "dateline") == ["November 6, 1944"]
    assert div(result.markdown, "signature") == ["With friendly greetings,"]
    assert result.markdown.rstrip().endswith(":::")
    assert result.front_matter["date_text"] == "6 November 1944"
    assert "source" not in result.front_matter
    assert any("no source" in r for r in result.review)
    # the quotations introduced by a colon are block quotes, and reported
    assert types(result.markdown).count("blockquote_open") == 4
    assert sum("block quote" in r for r in result.review) >= 4
    assert "Dear Friends," in paragraphs(result.markdown)
    assert "Written:" not in result.markdown


def test_seed_001_headings_list_leadins_nav():
    result = import_text(seed("001"))
    md = result.markdown
    assert headings(md) == ["What Stalin Destroyed", "The Morale of the Rank-and-File",
                            "What the Nazis Failed to Understand", "Why A Political Revolution Is Necessary"]
    kinds = types(md)
    assert kinds.count("ordered_list_open") == 1
    assert kinds.count("list_item_open") == 4
    assert "1. a decimated working class;\n2. a ravaged and backward country;" in md
    assert "[THE BOLSHEVIK PARTY.]{.smallcaps} Lenin attached" in md
    assert "[THE TRADE UNIONS.]{.smallcaps}" in md
    assert "Trotskyist Writers Index" not in md and "ETOL Main Page" not in md
    assert "Last updated" not in md
    front = result.front_matter
    assert front["source"].startswith("Fourth International, Vol. 2 No. 7, August 1941")
    assert front["transcription"].startswith("Transcribed & marked up by Einde O’Callaghan")
    assert front["date_text"] == "August 1941"
    assert any(g.startswith("heading at line") for g in result.guesses)


def test_seed_002_signature_place_date():
    result = import_text(seed("002"))
    assert div(result.markdown, "signature") == ["Prinkipo, March 1, 1932"]
    assert "Bolshevik-Leninists, forward!" in paragraphs(result.markdown)
    assert result.front_matter["source"].startswith("The Militant, Vol. V No. 15")
    assert "Written:" not in result.markdown and "Source:" not in result.markdown


def test_seed_003_extract_and_bracketed_source():
    result = import_text(seed("003"))
    front = result.front_matter
    assert front["extract"] is True
    assert front["date_text"] == "October 4, 1930"
    assert front["source"] == "Writing of Leon Trotsky, Vol. 3, 1930-1931, New York 1973, p. 44-46"
    # "(a) … (b) …" inside a sentence is not a list
    assert "ordered_list_open" not in types(result.markdown)
    assert "(a) the Soviet system" in split(result.markdown)[1]


def test_seed_004_signature_nav_and_brackets():
    result = import_text(seed("004"))
    md = result.markdown
    assert div(md, "signature") == ["Regards!", "Yours,", "L. Trotsky"]
    assert "From Marxists-en" not in md and "Jump to" not in md
    assert "\\[right after the Fourteenth Congress\\]" in md
    assert "meeting [right after the Fourteenth Congress] with" in paragraphs(md)[2]
    assert paragraphs(md)[0] == "Dear Nikolai Ivanovich:"
    assert any("author taken from the signature" in r for r in result.review)
    assert suggest_filename(result.front_matter) == "1926-01-09-trotsky-letter-to-nikolai-bukharin.md"


# --------------------------------------------------------------------------
# synthetic texts

MIA = """\
MIA  >  Archive  >  Trotsky  >  Works  >  1933

Leon Trotsky

The Class Nature of the Soviet State

(October 1933)

Written: 1 October 1933.
First Published: The Militant, 21 October 1933.
Source: Writings of Leon Trotsky 1933-34, Pathfinder Press 1972, pp. 101-122.
Translated: Unknown.
Transcription/Markup: Einde O'Callaghan.
HTML Markup: David Walters.
Public Domain: Leon Trotsky Internet Archive 2005. You can freely copy, distribute, display and perform this work.

The Soviet state is a workers' state. It is so because of the property relations established by the revolution.

Trotsky Internet Archive  |  Writings 1933
"""


def test_mia_header_block():
    result = import_text(MIA)
    front = result.front_matter
    assert front["title"] == "The Class Nature of the Soviet State"
    assert front["author"] == "Leon Trotsky"
    assert front["date"] == "1933-10-01"
    assert front["date_text"] == "1 October 1933"
    assert front["source"] == "Writings of Leon Trotsky 1933-34, Pathfinder Press 1972, pp. 101-122."
    assert "Einde O'Callaghan" in front["transcription"]
    assert "David Walters" in front["transcription"]
    assert "extract" not in front
    body = split(result.markdown)[1]
    for gone in ("Written:", "Source:", "Public Domain", "MIA", "Internet Archive", "Transcription"):
        assert gone not in body
    assert body.strip() == ("The Soviet state is a workers' state. It is so because of the property "
                            "relations established by the revolution.")
    assert any(g.startswith("title from line 5") for g in result.guesses)
    assert suggest_filename(front) == "1933-10-01-trotsky-the-class-nature-of-the-soviet-state.md"


def test_front_matter_yaml_is_plain():
    front, _ = split(import_text(MIA).markdown)
    assert front["date"] == datetime.date(1933, 10, 1)  # written unquoted, as FORMATS.md shows it
    assert list(front)[:3] == ["title", "author", "date"]
    assert front["language"] == "en"


NOTES = """\
Leon Trotsky

On Notes

(May 1932)

The workers' state[1] is not a class society in the full sense.[2] So much for that.

The bureaucracy is a caste [3] and not a class.

Notes

[1] As defined in The Revolution Betrayed.

[2] Compare Lenin,
State and Revolution, chapter 5.

[3] See the resolution of 1931.
"""


def test_notes_section_with_bracket_markers():
    result = import_text(NOTES)
    md = result.markdown
    body = split(md)[1]
    assert "The workers' state[^1] is not a class society in the full sense.[^2] So much" in body
    assert "a caste[^3] and not a class." in body  # the space before a marker goes
    assert "[^1]: As defined in The Revolution Betrayed." in body
    assert "[^2]: Compare Lenin, State and Revolution, chapter 5." in body
    assert "[^3]: See the resolution of 1931." in body
    assert "Notes" not in headings(md) and "\nNotes\n" not in body
    assert any("notes section" in g for g in result.guesses)
    assert not any("note" in r and "marker" in r for r in result.review)


def test_notes_parse_as_footnotes():
    footnote = pytest.importorskip("mdit_py_plugins.footnote")
    md = MarkdownIt("commonmark").use(footnote.footnote_plugin)
    toks = md.parse(split(import_text(NOTES).markdown)[1])
    refs = [c for t in toks if t.type == "inline" for c in t.children if c.type == "footnote_ref"]
    assert [r.meta["label"] for r in refs] == ["1", "2", "3"]
    assert sum(t.type == "footnote_open" for t in toks) == 3


def test_superscript_and_star_markers():
    raw = ("A Title Here\n\n(1935)\n\nThe first claim.¹ The second claim.² The end of it all, "
           "with enough words to be a paragraph.\n\nFootnotes\n\n¹ First note.\n² Second note.\n")
    body = split(import_text(raw).markdown)[1]
    assert "The first claim.[^1] The second claim.[^2]" in body
    assert "[^1]: First note." in body and "[^2]: Second note." in body
    raw = ("A Title Here\n\n(1935)\n\nThe first claim.*1 And then the text goes on for a while "
           "with enough words.\n\nEndnotes\n\n*1 First note.\n")
    body = split(import_text(raw).markdown)[1]
    assert "The first claim.[^1] And" in body and "[^1]: First note." in body


def test_note_without_marker_is_reported():
    raw = "Title Line\n\n(1935)\n\nA paragraph that never marks its note at all, in any way.\n\nNotes\n\n1. A note.\n"
    result = import_text(raw)
    assert "[^1]: A note." in result.markdown
    assert any("note 1 has no marker" in r for r in result.review)


WRAPPED = """\
Leon Trotsky

On Hard-Wrapped Lines

(1934)

This paragraph was hard-wrapped by the archive at about seventy
characters, so that its lines must be joined again into a single line
of text. The sentence goes on to cite article 58, paragraph
1. The court did not hesitate. It continues for another line and
ends here.

1. This paragraph starts with a number but it is not a list at all,
since no second item follows it.

1941. The year of the invasion began with a long silence in Moscow.
"""


def test_hard_wrapped_paragraph_is_joined():
    result = import_text(WRAPPED)
    body = split(result.markdown)[1]
    assert ("This paragraph was hard-wrapped by the archive at about seventy characters, so that its lines "
            "must be joined again into a single line of text. The sentence goes on to cite article 58, "
            "paragraph 1. The court did not hesitate. It continues for another line and ends here.") in body
    assert len(paragraphs(result.markdown)) == 3


def test_number_at_line_start_is_escaped_not_a_list():
    result = import_text(WRAPPED)
    body = split(result.markdown)[1]
    assert "ordered_list_open" not in types(result.markdown)
    assert "\n1\\. This paragraph starts with a number" in body
    assert "\n1941\\. The year of the invasion" in body
    paras = paragraphs(result.markdown)
    assert paras[1].startswith("1. This paragraph starts with a number")
    assert paras[2].startswith("1941. The year")


def test_markdown_specials_are_escaped():
    raw = ("Some Title\n\n(1936)\n\n"
           "# is how the paper marked its corrections, said the editor of the day.\n\n"
           "> was printed in the margin of the typescript by the author himself.\n\n"
           "- a dash opens this paragraph, as in the typescript of the original.\n\n"
           "+ a plus sign opens this one, as in the typescript of the original.\n\n"
           "* a star opens this one, and a *stray* star and an _underscore_ follow.\n\n"
           "The editor wrote [sic] and [right after the congress] into the text (c) 1936.\n")
    result = import_text(raw)
    kinds = types(result.markdown)
    for unwanted in ("heading_open", "blockquote_open", "bullet_list_open", "ordered_list_open"):
        assert unwanted not in kinds
    inline = [c.type for t in tokens(result.markdown) if t.type == "inline" for c in t.children]
    assert "em_open" not in inline and "link_open" not in inline
    paras = paragraphs(result.markdown)
    assert paras[0].startswith("# is how the paper")
    assert paras[1].startswith("> was printed")
    assert paras[2].startswith("- a dash")
    assert paras[3].startswith("+ a plus")
    assert paras[4] == "* a star opens this one, and a *stray* star and an _underscore_ follow."
    assert paras[5] == "The editor wrote [sic] and [right after the congress] into the text (c) 1936."
    assert "\\[sic\\]" in result.markdown and "\\(c)" in result.markdown


def test_numbered_list():
    raw = ("A Program\n\n(1938)\n\nOur demands are these:\n\n"
           "1. The sliding scale of wages.\n\n2. The sliding scale of hours.\n\n3. Workers' control of industry.\n\n"
           "These demands are transitional, and they lead to the question of power in the end.\n")
    result = import_text(raw)
    kinds = types(result.markdown)
    assert kinds.count("ordered_list_open") == 1 and kinds.count("list_item_open") == 3
    assert "1. The sliding scale of wages." in result.markdown
    assert any(g.startswith("numbered list at lines") for g in result.guesses)


def test_lettered_list_in_one_block():
    raw = ("A Program\n\n(1938)\n\nOur tasks are these:\n\n(a) to defend the Soviet Union;\n"
           "(b) to fight the bureaucracy;\n(c) to build the Fourth International.\n\nThat is all for today, comrades.\n")
    result = import_text(raw)
    # Markdown numbers lists with digits only: the items stay paragraphs that begin with their labels
    assert types(result.markdown).count("list_item_open") == 0
    assert "\\(a) to defend the Soviet Union;\n\n\\(b) to fight the bureaucracy;" in result.markdown
    assert paragraphs(result.markdown)[1:4] == ["(a) to defend the Soviet Union;", "(b) to fight the bureaucracy;",
                                                "(c) to build the Fourth International."]
    assert any("letters" in g and "kept as paragraphs" in g for g in result.guesses)


def test_headings_and_doubtful_headings():
    raw = ("Leon Trotsky\n\nAn Article\n\n(1937)\n\n"
           "The first paragraph of the article ends with a full stop, as paragraphs do.\n\n"
           "The Role of the Party\n\n"
           "The second paragraph follows the heading and it goes on for a while.\n\n"
           "and then a short line\n\n"
           "The third paragraph closes the article, as it should, with a full stop.\n")
    result = import_text(raw)
    assert headings(result.markdown) == ["The Role of the Party"]
    assert any(g == "heading at line 9: The Role of the Party" for g in result.guesses)
    assert "and then a short line" in paragraphs(result.markdown)


def test_doubtful_heading_goes_to_review():
    raw = ("Leon Trotsky\n\nAn Article\n\n(1937)\n\n"
           "The first paragraph of the article ends with a full stop, as paragraphs do.\n\n"
           "The question of the party\n\n"
           "The second paragraph closes the article, as it should, with a full stop.\n")
    result = import_text(raw)
    assert headings(result.markdown) == []
    assert any(r.startswith("line 9 may be a heading") for r in result.review)


def test_lead_in_small_caps():
    raw = ("Title Line\n\n(1941)\n\nTHE SOVIETS. The Soviets were the councils of the workers.\n\n"
           "USSR. This is not a lead-in, only an abbreviation at the start.\n")
    md = import_text(raw).markdown
    assert "[THE SOVIETS.]{.smallcaps} The Soviets were" in md
    assert "[USSR.]" not in md


def test_block_quote_after_colon_is_reported():
    raw = ("Title Line\n\n(1941)\n\nLenin wrote in 1917:\n\n"
           "“The state is a product and a manifestation of the irreconcilability of class antagonisms.” (p. 7)\n\n"
           "That settles it, and we go on with the argument from here.\n\n"
           "“A quoted paragraph without a colon before it stays a paragraph.”\n\n"
           "The end of the article comes here, after the quotations.\n")
    result = import_text(raw)
    kinds = types(result.markdown)
    assert kinds.count("blockquote_open") == 1
    assert "> “The state is a product" in result.markdown
    assert any("block quote" in r and "line 7" in r for r in result.review)
    assert any("may be a block quote" in r for r in result.review)


def test_indented_block_quote():
    raw = ("Title Line\n\n(1941)\n\nAs Lenin wrote in his pamphlet of that year, which we have often cited:\n\n"
           "    The state is a product and a manifestation of the\n    irreconcilability of class antagonisms.\n\n"
           "That settles it, and we go on with the argument from here.\n")
    result = import_text(raw)
    assert "> The state is a product and a manifestation of the irreconcilability of class antagonisms." \
        in result.markdown
    assert "code_block" not in types(result.markdown)
    assert any("indented" in r for r in result.review)


LETTER = """\
Letter to James P. Cannon, May 3, 1938

From Marxists-en
Jump to navigation Jump to search

Coyoacan, D.F.
May 3, 1938

Dear Jim:

I received your letter of April 28 and I was very glad to read it, as were the comrades here.

We must also discuss the French turn once more, with all its consequences for the International.

Comradely,
L.T.

P.S. I forgot to mention the pamphlet.

Retrieved from "https://www.marxists.org/wiki/index.php?title=Letter&oldid=1"
Main Page
Index
Next | Previous
Top of page
"""


def test_letter_furniture():
    result = import_text(LETTER)
    md = result.markdown
    assert result.front_matter["title"] == "Letter to James P. Cannon"
    assert result.front_matter["date"] == "1938-05-03"
    assert result.front_matter["date_text"] == "May 3, 1938"
    assert div(md, "dateline") == ["Coyoacan, D.F.", "May 3, 1938"]
    assert div(md, "signature") == ["Comradely,", "L.T."]
    assert md.rstrip().endswith("P.S. I forgot to mention the pamphlet.")
    assert paragraphs(md)[0] == "Dear Jim:"
    assert "no author found: add `author` by hand" in result.review


def test_navigation_lines_dropped():
    md = import_text(LETTER).markdown
    for nav in ("Marxists-en", "Jump to", "Retrieved from", "Main Page", "Index", "Next", "Previous", "Top of page"):
        assert nav not in md
    guesses = import_text(LETTER).guesses
    assert sum(g.startswith("dropped navigation line") for g in guesses) == 7


def test_signature_in_the_last_block():
    raw = ("Title Line\n\n(1940)\n\nThis is the last paragraph of a letter, and it ends properly.\n"
           "With comradely greetings,\nYours,\nL. Trotsky\nCoyoacan, August 1, 1940\n")
    result = import_text(raw)
    assert div(result.markdown, "signature") == ["With comradely greetings,", "Yours,", "L. Trotsky",
                                                 "Coyoacan, August 1, 1940"]
    assert result.front_matter["author"] == "Leon Trotsky"
    # the header's "(1940)" is refined by the closing date line, which agrees with it
    assert (result.front_matter["date"], result.front_matter["date_text"]) == ("1940-08-01", "August 1, 1940")
    assert paragraphs(result.markdown) == ["This is the last paragraph of a letter, and it ends properly."]


def test_wrapped_last_line_is_not_a_signature():
    raw = ("Title Line\n\n(1940)\n\nThis letter was written together with our friend\nLeon Trotsky\n")
    result = import_text(raw)
    assert ":::" not in result.markdown
    assert paragraphs(result.markdown) == ["This letter was written together with our friend Leon Trotsky"]


def test_author_title_line_extract_and_bracket_source():
    raw = ("Leon Trotsky: Letter to the Bulgarian Comrades\n\nExtract, October 4, 1930\n\n"
           "[Writings of Leon Trotsky, Vol. 3, 1930-1931, New York 1973, p. 44-46]\n\n"
           "What constitutes the basis of the regime in the USSR? Let us recount the essential elements.\n")
    front = import_text(raw).front_matter
    assert front == {"title": "Letter to the Bulgarian Comrades", "author": "Leon Trotsky",
                     "date": "1930-10-04", "date_text": "October 4, 1930",
                     "source": "Writings of Leon Trotsky, Vol. 3, 1930-1931, New York 1973, p. 44-46",
                     "language": "en", "extract": True}


def test_etol_header():
    raw = ("Cannon Archive   |   Trotskyist Writers Index   |   ETOL Main Page\n\n\nJames P. Cannon\n\n"
           "The Road to Peace\n\n(March 1945)\n\n\nFrom The Militant, Vol. IX No. 12, 24 March 1945, p. 4.\n"
           "Transcribed & marked up by Einde O’Callaghan for the Encyclopaedia of Trotskyism On-Line (ETOL).\n\n\n"
           "The war has not brought peace. It has brought only a new division of the world.\n\n\nTop of page\n")
    result = import_text(raw)
    assert result.front_matter == {
        "title": "The Road to Peace", "author": "James P. Cannon", "date": "1945-03", "date_text": "March 1945",
        "source": "The Militant, Vol. IX No. 12, 24 March 1945, p. 4.",
        "transcription": "Transcribed & marked up by Einde O’Callaghan for the Encyclopaedia of Trotskyism "
                         "On-Line (ETOL).",
        "language": "en"}
    assert split(result.markdown)[1].strip() == ("The war has not brought peace. It has brought only a new "
                                                 "division of the world.")


def test_missing_metadata_is_reported():
    result = import_text("A paragraph of text that has no header at all, and goes on for a good many words.\n")
    assert {"no title found: add `title` by hand", "no author found: add `author` by hand",
            "no date found: add `date` by hand"} <= set(result.review)
    assert any(r.startswith("no source line") for r in result.review)
    assert result.front_matter == {"language": "en"}


def test_paragraphs_without_blank_lines():
    raw = ("Title Line\n\n(1930)\n\nThe first paragraph is on one line and ends here.\n"
           "The second paragraph is on the next line and ends here.\nThe third one ends the text.\n")
    result = import_text(raw)
    assert paragraphs(result.markdown) == ["The first paragraph is on one line and ends here.",
                                           "The second paragraph is on the next line and ends here.",
                                           "The third one ends the text."]


def test_windows_line_endings_and_nbsp_lines():
    raw = ("Leon Trotsky\r\n\r\nA Title\r\n\r\n(1930)\r\n\r\n"
           "First paragraph, long enough to be text.\r\n\u00a0\r\nSecond.\r\n")
    result = import_text(raw)
    assert result.front_matter["title"] == "A Title"
    assert paragraphs(result.markdown) == ["First paragraph, long enough to be text.", "Second."]


@pytest.mark.parametrize("text, iso, wording", [
    ("6 November 1944", "1944-11-06", "6 November 1944"),
    ("November 6, 1944", "1944-11-06", "November 6, 1944"),
    ("(August 1941)", "1941-08", "August 1941"),
    ("Sept. 3, 1939", "1939-09-03", "Sept. 3, 1939"),
    ("March–April 1932", "1932", "March–April 1932"),
    ("1–5 March 1932", "1932-03", "1–5 March 1932"),
    ("Summer 1932", "1932", "Summer 1932"),
    ("Prinkipo, March 1, 1932", "1932-03-01", "March 1, 1932"),
    ("Written: Late 1932.", "1932", "Late 1932"),
    ("1932", "1932", "1932"),
])
def test_find_date(text, iso, wording):
    found = find_date(text)
    assert found is not None and (found.iso, found.text) == (iso, wording)


def test_suggest_filename():
    assert suggest_filename({"title": "Letter to Bukharin", "author": "Leon Trotsky", "date": "1926-01-09"}) \
        == "1926-01-09-trotsky-letter-to-bukharin.md"
    assert suggest_filename({"title": "Über die Räte", "author": ["Rosa Luxemburg", "K. Liebknecht"],
                             "date": datetime.date(1918, 12, 1)}) == "1918-12-01-luxemburg-uber-die-rate.md"
    assert suggest_filename({"title": "Workers’ State", "author": "Leon Trotsky", "date": 1932}) \
        == "1932-trotsky-workers-state.md"
    assert suggest_filename({}) == "untitled.md"


def test_result_shape():
    result = import_text(MIA, source_name="raw/x.txt")
    assert isinstance(result.markdown, str) and isinstance(result.front_matter, dict)
    assert all(isinstance(g, str) for g in result.guesses + result.review)
    with pytest.raises(Exception):
        result.markdown = ""  # frozen


@pytest.mark.parametrize("prefix", sorted(SEED_FACTS))
def test_seed_output_is_read_by_the_edition_reader(prefix):
    """The imported file (with a source filled in where the raw text has none) reads without problems."""
    reader = pytest.importorskip("edition.reader")
    errors = pytest.importorskip("edition.errors")
    result = import_text(seed(prefix))
    markdown = result.markdown
    if "source" not in result.front_matter:
        markdown = markdown.replace("\nlanguage: en\n", "\nsource: a test source\nlanguage: en\n", 1)
    problems = errors.Collector()
    text = reader.parse_text(markdown, f"texts/{suggest_filename(result.front_matter)}", problems)
    assert [str(d) for d in problems.diagnostics] == []
    assert text is not None


# --------------------------------------------------------------------------
# archives' habits (issue 14): dates, letters, pseudonyms, HTML, languages, --add

@pytest.mark.parametrize("text, iso", [
    ("Coyoacán, 12. Mai 1938", "1938-05-12"),
    ("le 1er mai 1938", "1938-05-01"),
    ("Paris, 3 décembre 1871", "1871-12-03"),
    ("México, 12 de mayo de 1938", "1938-05-12"),
    ("Moskva, 12 maya 1938 g.", "1938-05-12"),
    ("Berlin, den 3. März 1920", "1920-03-03"),
    ("[London,] November 23, 1871", "1871-11-23"),
    ("May 3/44", "1944-05-03"),
])
def test_datelines_in_several_languages(text, iso):
    from edition.importer.dates import is_date_line

    assert is_date_line(text).iso == iso


LETTER_WITH_ADDRESS = """Leon Trotsky

A Letter to the Editor

Source: Writings of Leon Trotsky (1937–38), New York 1976, p. 311.


Coyoacán, D.F.
May 3/44

Mr. John Smith
Editor, The Weekly Review
New York City
Dear Sir:

I have received your letter of April 20 and I thank you for the copy of the review. I regret that I cannot write the article you ask for.

With best regards,

Crux [Trotsky]

Coyoacán, May 3, 1944

P.S. The book will appear in the autumn.
"""


def test_inside_address_signature_with_place_and_two_digit_year():
    result = import_text(LETTER_WITH_ADDRESS)
    assert div(result.markdown, "dateline") == ["Coyoacán, D.F.", "May 3/44"]
    assert paragraphs(result.markdown)[:4] == ["Mr. John Smith", "Editor, The Weekly Review", "New York City",
                                               "Dear Sir:"]
    assert div(result.markdown, "signature") == ["With best regards,", "Crux \\[Trotsky\\]", "Coyoacán, May 3, 1944"]
    assert result.markdown.rstrip().endswith("P.S. The book will appear in the autumn.")
    assert result.front_matter["date"] == "1944-05-03"
    assert any("two-digit year, read as 1944: check the century" in line for line in result.review)
    assert any("inside address" in line for line in result.review)


def test_pseudonym_signature_gives_the_real_name():
    raw = ("Dear Comrades,\n\nThe article you asked for follows in a week; I am finishing the last part of it now "
           "and will send it by the next boat.\n\nComradely,\n\nCrux [Trotsky]\n")
    result = import_text(raw)
    assert result.front_matter["author"] == "Leon Trotsky"
    assert any("pseudonym, Crux" in line for line in result.review)


MIA_PAGE = """<html><head><meta name="author" content="Frederick Engels"></head><body>
<p class="toplink"><a href="../index.htm">MIA</a> &gt; <a href="index.htm">Archive</a> &gt; Engels</p>
<p class="title">Works of Frederick Engels 1890</p>
<h1>On a Point of Tactics<br>
A Reply</h1>
<hr class="end">
<p class="information"><span class="info">Written:</span> 4 March 1890;<br>
<span class="info">Source:</span> Example Selected Works,<br>
Volume Two, Moscow 1962;<br>
<span class="info">Transcribed:</span> A. Volunteer.</p>
<hr class="end">
<p>The question was put to us in a letter, and we answer it here because it concerns every section of the party,
not only the one that asked it. <sup class="enote"><a href="#n1">[1]</a></sup></p>
<blockquote><p>“Every step of the movement,” a friend wrote, “is worth more than a dozen programmes.”</p></blockquote>
<h3>The Answer</h3>
<p>We agree with the friend, and we draw from his sentence a conclusion that he did not draw himself.</p>
<pre class="verse">The first line of a song
the second line of it</pre>
<h3>Notes</h3>
<p class="information"><a name="n1"><span class="info">1.</span></a> The letter came from a section in the provinces.</p>
<p class="footer"><a href="index.htm">1890</a> | <a href="../index.htm">Works Index</a></p>
</body></html>
"""


def test_html_page_reads_info_block_headings_quotes_verse_and_notes():
    from edition.importer import import_html

    result = import_html(MIA_PAGE.encode("utf-8"), source_name="page.html")
    front = result.front_matter
    assert front["title"] == "On a Point of Tactics" and front["subtitle"] == "A Reply"
    assert front["author"] == "Frederick Engels"
    assert front["date"] == "1890-03-04"
    assert front["source"] == "Example Selected Works, Volume Two, Moscow 1962"
    assert front["transcription"] == "Transcribed: A. Volunteer"
    body = split(result.markdown)[1]
    assert "not only the one that asked it.[^1]" in body
    assert "\n> “Every step of the movement,” a friend wrote" in body
    assert "\n## The Answer\n" in body
    assert "The first line of a song\\\nthe second line of it" in body
    assert "[^1]: The letter came from a section in the provinces." in body
    assert "MIA" not in body and "Works Index" not in body


def test_language_from_stop_words():
    from edition.importer.language import detect_language

    german = "Die Arbeiter haben in der Revolution nichts zu verlieren als ihre Ketten. Sie haben eine Welt zu " \
             "gewinnen, und das ist die Lehre, die wir aus der Geschichte der Klassenkämpfe ziehen müssen."
    english = "The workers have nothing to lose in the revolution but their chains. They have a world to win, " \
              "and that is the lesson which we must draw from the history of the class struggles of the past."
    assert detect_language(german)[0] == "de"
    assert detect_language(english)[0] == "en"
    assert detect_language("Too short.")[0] is None


def test_add_texts_keeps_comments_and_refuses_parts():
    from edition.importer.add import ManifestEditError, add_texts

    manifest = ("edition:\n  title: X   # the title\n\ntexts:\n  - file: texts/one.md   # first\n    notes:\n"
                "      - at: foo\n        note: bar\n\n# the end\n")
    edited = add_texts(manifest, ["texts/two.md"])
    assert edited == manifest.replace("        note: bar\n", "        note: bar\n  - file: texts/two.md\n")
    with pytest.raises(ManifestEditError, match="parts"):
        add_texts("edition:\n  title: X\nparts:\n  - title: One\n    texts: []\n", ["texts/two.md"])


SPEECH = """Karl Example

On the Land Question

Speech at the Congress of the League, Geneva, 9 September 1867
Originally published in Der Vorbote, No. 10, October 1867.
Republished in Selected Speeches,
Example Publishers, London 1935.
Original Transcription: A. Volunteer
Re-Marked up by: B. Volunteer
Public Domain: Marxists Internet Archive (2010). You may freely copy this work.

Citizens, the question of the land has been put on the agenda of this congress by the delegates of the
agricultural sections, and it cannot be put off again.

Top of the page
"""


def test_speech_header_occasion_republication_and_credits():
    result = import_text(SPEECH)
    front = result.front_matter
    assert front["subtitle"] == "Speech at the Congress of the League, Geneva"
    assert front["date"] == "1867-09-09"
    assert front["source"] == "Selected Speeches, Example Publishers, London 1935."
    assert front["transcription"] == "Original Transcription: A. Volunteer; Re-Marked up by: B. Volunteer"
    assert paragraphs(result.markdown) == [
        "Citizens, the question of the land has been put on the agenda of this congress by the delegates of the "
        "agricultural sections, and it cannot be put off again."]


def test_no_break_spaces_leave_the_author():
    result = import_text("V. I.\u00a0\u00a0Lenin\n\nA Title of Some Length\n\nSource: Collected Works, Vol. 19.\n\n"
                         "A paragraph that is long enough to be the body of the text and not a header line at all.\n")
    assert result.front_matter["author"] == "V. I. Lenin"


def test_html_note_links_written_as_bare_numbers():
    from edition.importer import import_html

    page = ("<html><body><h2>Anna Sample</h2><h1>A Short Article</h1>"
            "<p class='information'><span class='info'>Source:</span> The Example Review, No. 3, May 1920.</p>"
            "<p>The first sentence of the article, which is long enough to be taken for the body of the text"
            "<sup><a href='#n1' name='r1'>1</a></sup> and goes on for a while.</p>"
            "<h3>Notes</h3><p><a name='n1' href='#r1'>1</a> A note on the first sentence.</p></body></html>")
    result = import_html(page)
    body = split(result.markdown)[1]
    assert "the body of the text[^1] and goes on" in body
    assert "[^1]: A note on the first sentence." in body


def test_reprint_line_spanish_letter_and_signature_as_written():
    reprint = import_text("Jane Doe\n\nA Pamphlet\n\n(1970)\n\n\nPamphlet reprinted from The Example Worker, "
                          "August 1970.\nSecond printing June 1975.\nTranscribed & marked up by A. Volunteer for "
                          "the Marxists’ Internet Archive.\n\n\nThe first paragraph of the pamphlet, which is long "
                          "enough to be taken for the body of the text by any reader.\n")
    assert reprint.front_matter["source"] == "The Example Worker, August 1970. Second printing June 1975."
    assert paragraphs(reprint.markdown)[0].startswith("The first paragraph")
    letter = import_text("Escritos de Ejemplo (1929-1940)\n\nTras la reunión[1]\n\n22 de febrero de 1938\n\n"
                         "Queridos amigos:\n\nRecibimos sus cartas y telegramas, que fueron de un gran valor para "
                         "nosotros en estos días, y les contestamos con esta carta.\n\nEl folleto que les prometí está casi listo; "
                         "lo enviaremos por el correo de la semana que viene, con la traducción del artículo.\n\n"
                         "Con saludos fraternales,\n\n"
                         "León Trotsky\n\n[1] Carta a los camaradas de Nueva York.\n")
    front = letter.front_matter
    assert (front["title"], front["date"], front["language"]) == ("Tras la reunión", "1938-02-22", "es")
    assert front["author"] == "León Trotsky"  # as the signature writes it; only initials are expanded
    assert div(letter.markdown, "signature") == ["Con saludos fraternales,", "León Trotsky"]
    assert paragraphs(letter.markdown)[0] == "Queridos amigos:"  # the note mark goes to the next paragraph
    assert "con esta carta.[^1]" in letter.markdown


def test_mojibake_repaired_and_dateline_under_an_introduction():
    raw = ("Letter to a Friend\n\nFirst Published: Example Review, Vol.1 No.5, October 1940, pp.12-13.\n\n"
           "This letter is one of a series published in this issue under the heading Trotskyâ€™s Last Letters.\n\n"
           "August 3, 1940\n\nDear Mr. ...\n\nMy old friends have told me that your friendship is indefatigable "
           "â€“ and that is more precious now than ever, when so many friends fall away.\n\n"
           "Sincerely yours,\n\nL. TROTSKY\n")
    result = import_text(raw)
    assert "Trotsky’s Last Letters" in result.markdown and "â€" not in result.markdown
    assert "indefatigable – and" in result.markdown
    assert result.front_matter["date"] == "1940-08-03"  # the letter's dateline, not the publication
    assert not any("may be a heading: Dear Mr." in line for line in result.review)


def test_html_notes_keep_their_italics():
    from edition.importer import import_html

    page = ("<html><body><h2>Anna Sample</h2><h1>A Short Article</h1>"
            "<p class='information'><span class='info'>Source:</span> The Example Review, No. 3, May 1920.</p>"
            "<p>The first sentence of the article, which is long enough to be taken for the body of the text "
            "[1] and goes on for a while, as <em>The Review</em> said.</p>"
            "<h3>Notes</h3><p>1. Quoted from <em>Das Kapital</em>, Vol. I.</p>"
            "<p>It was reprinted in <i>Die Neue Zeit</i> — <em>Ed.</em></p></body></html>")
    result = import_html(page)
    body = split(result.markdown)[1]
    assert "as *The Review* said." in body
    assert "[^1]: Quoted from *Das Kapital*, Vol. I.\n\n    It was reprinted in *Die Neue Zeit* — *Ed.*" in body


REPRINT = """Jane Example

On the Docks

(3 May 1911)

First published in The Example Worker, 3 May 1911.
Copied with thanks from the Example Labour History blog.

This article by Jane Example has not been reprinted since it appeared, and we give it here as it was printed.

Example Labour History blog

* * *

The dockers of the port have been out for a week, and the shipowners have not yet found a single man to take their
places at the cranes or in the holds.

They will not find one. Not a man in the port will blackleg on his neighbours.[1]

[1] The strike lasted nine weeks.

* * *

The last sentence of the article reads “on his mates” in the copy we used; we have kept the printed reading.
"""


def test_reprint_introduction_and_archive_remark_become_labelled_notes():
    result = import_text(REPRINT)
    body = split(result.markdown)[1]
    text, notes = body.split("\n[^1]:", 1)
    assert "has not been reprinted" not in text and "we have kept" not in text and "* * *" not in text
    assert text.strip().startswith("The dockers of the port")
    assert "at the cranes or in the holds.[^1*]" in text  # the introduction: marked after the first paragraph
    assert "on his neighbours.[^1][^2*]" in text          # the remark: marked at the end of the text
    assert "[^1*]: *Introduction by the Example Labour History blog.* This article by Jane Example" in notes
    assert "[^2*]: *Note by the archive.* The last sentence of the article" in notes
    assert any("introduction of the site the credits thank" in line and "labelled “Introduction by the Example "
               "Labour History blog.”" in line for line in result.review)
    assert any("taken for a remark of the archive's" in line and "labelled “Note by the archive.”" in line
               for line in result.review)
    assert not any("label them" in line or "label it" in line or "may be a heading" in line for line in result.review)


LETTERS = """Karl Example

Letters to Bebel

Source: Example Letters, Berlin 1960.

London, May 1, 1880

Dear Bebel,

The first letter has a paragraph of its own that says nothing much at all, but says it at length.

Yours,

K. Example

London, June 2, 1880

Dear Bebel,

The second letter has a paragraph too, which runs on for a while and then comes to an end.

With best greetings,

K. Example
"""


def test_letters_without_headings_each_keep_their_furniture():
    result = import_text(LETTERS)
    body = split(result.markdown)[1]
    assert body.count("::: dateline\n") == 2 and body.count("::: signature\n") == 2
    assert "::: signature\nYours,\n\nK. Example\n:::\n\n::: dateline\nLondon, June 2, 1880\n:::\n\nDear Bebel," in body
    assert "##" not in body
    assert "the page holds 2 letters: the date is the first letter's (line 7)" in result.review
