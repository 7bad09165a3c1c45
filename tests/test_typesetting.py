"""The PDF as a typesetter and a printer see it (issue 11): the sample built
once in the print profile and measured with `edition.typeset_check`, plus
the small test edition (6×9 in, bleed, tagged) in the print profile."""

from __future__ import annotations

import html as htmllib
import io
import re
import shutil
import string
from pathlib import Path

import pytest

import edition
from edition.builders import BuildOptions
from edition.builders.pdf import PdfBuilder
from edition.hyphenation import SOFT_HYPHEN, Exceptions
from edition.typeset_check import known_breaks, measure

from .helpers import MANIFEST, diagnostics_of, write_project
from .test_pdf import no_weasyprint_warnings

REPO = Path(__file__).resolve().parents[1]
STYLES = REPO / "styles"
# The bundled faces as "G", for small documents laid out with base_url=STYLES
FACES = "".join(f"@font-face {{ font-family: G; font-style: {face}; src: url(fonts/EBGaramond12-{name}.otf) }}"
                for face, name in (("normal", "Regular"), ("italic", "Italic")))


def build(manifest: Path, out: Path, profile: str = "print"):
    loaded = edition.load(manifest)
    with no_weasyprint_warnings():
        path = PdfBuilder().build(loaded, out, BuildOptions(profile=profile, styles_dir=STYLES))
    return loaded, path, measure(path, loaded.metadata.trim)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return build(REPO / "manifest.yaml", tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="module")
def parts(tmp_path_factory):
    return build(REPO / "tests" / "roots" / "pdf-parts" / "manifest.yaml", tmp_path_factory.mktemp("parts"))


# --- word breaks ----------------------------------------------------------------


def test_words_break_only_where_a_us_dictionary_allows(sample):
    _, _, report = sample
    assert len(report.hyphenated) > 50  # the text is hyphenated at all
    assert report.wrong_breaks == []
    # the manifest's exceptions hold: proletariat never breaks as prolet-ariat
    assert all(word.lower() not in ("prolet-ariat", "appar-atus", "theor-etician") for _, word in report.hyphenated)


def test_the_check_knows_a_wrong_break():
    table = known_breaks(("bu-reau-cra-cy",))
    assert table == {"bureaucracy": {2, 6, 9}}


def test_exceptions_allow_only_their_own_breaks_and_none_near_the_ends():
    exceptions = Exceptions.of(["pro-le-tar-i-at", "Trotsky", "a-part"])
    marked = exceptions.mark("The Proletariat & proletarians; Trotsky's apart.")
    assert marked == (f'The <span class="hy">Pro{SOFT_HYPHEN}le{SOFT_HYPHEN}tar{SOFT_HYPHEN}iat</span> &amp; '
                      f'proletarians; <span class="hy">Trotsky</span>&#39;s <span class="hy">apart</span>.')


def test_a_bad_hyphenation_entry_is_reported_with_its_line(tmp_path):
    manifest = MANIFEST.replace("  date: 2026-01-01\n", "  date: 2026-01-01\n  hyphenation: [pro-le-tar-i-at, 12-b]\n")
    problems = diagnostics_of(write_project(tmp_path, manifest))
    assert len(problems) == 1
    assert problems[0].startswith("manifest.yaml:6:")
    assert '"12-b"' in problems[0]


# --- fixed words, dates and text slips ------------------------------------------------


def test_every_language_has_every_fixed_word_with_the_same_placeholders():
    import string

    from edition.locale import CATALOGUE

    def fields(text):
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    english = CATALOGUE["en"]
    assert {"en", "de", "fr", "es", "it", "ru"} <= CATALOGUE.keys()
    for language, table in CATALOGUE.items():
        assert table.keys() == english.keys(), language
        for key, text in table.items():
            assert fields(text) == fields(english[key]), (language, key)


def test_dates_take_the_style_of_the_edition_language():
    from edition.locale import long_date, shown_date

    assert long_date("1926-01-09", "en") == "January 9, 1926"
    assert long_date("1926-01-09", "en-GB") == "9 January 1926"
    assert long_date("1926-01-09", "de") == "9. Januar 1926"
    assert long_date("1941-08", "fr") == "août 1941"
    assert long_date("1941", "en") == "1941"
    assert shown_date("1932-03-01", "1 March 1932", "en") == "March 1, 1932"  # a full date: the edition's style
    assert shown_date("1941", "Summer 1941", "en") == "Summer 1941"  # a vague one: the source's words


def test_page_ranges_in_source_lines():
    from edition.locale import page_ranges, words

    assert page_ranges("Vol. 3, 1930-1931, p. 44-46", words("en")) == "Vol. 3, 1930-1931, pp.\xa044\u201346"
    assert page_ranges("Vol. 5-6, pp. 1 & 2", words("en")) == "Vol. 5-6, pp. 1 & 2"
    assert page_ranges("S. 4-6", words("de")) == "S.\xa04\u20136"
    quoted = "as the copy cites it (“New York 1973, p. 44-46”)"  # a quotation is the witness's own words
    assert page_ranges(f"p. 1-2, {quoted}", words("en")) == f"pp.\xa01\u20132, {quoted}"


def _page_text(path, index):
    import pypdf

    return " ".join(pypdf.PdfReader(path).pages[index].extract_text().replace("\xa0", " ").split())


def test_no_doubled_full_stops_and_one_date_style(sample):
    loaded, path, report = sample
    import pypdf

    reader = pypdf.PdfReader(path)
    words = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Ed.." not in words and "Ed. ." not in words
    assert "All the notes are this edition’s." in words  # the sample has no notes of the authors'
    contents = _page_text(path, reader.get_destination_page_number(reader.named_destinations["contents"]))
    assert "March 1, 1932" in contents and "1 March 1932" not in contents  # the edition's one style


def test_notes_pages_running_heads_cover_every_note_on_the_page(sample):
    import re

    import pypdf

    _, path, _ = sample
    reader = pypdf.PdfReader(path)
    destinations = reader.named_destinations
    labels = reader.page_labels
    page_of = {name: reader.get_destination_page_number(dest) for name, dest in destinations.items()}
    marks_on: dict[int, list[str]] = {}
    for name, page in page_of.items():
        if re.search(r"-note-\d+$", name):
            marks_on.setdefault(page, []).append(labels[page_of[name.replace("-note-", "-noteref-")]])
    checked = 0
    for page, marks in marks_on.items():
        if page % 2 == 1 or page == page_of["notes"]:  # versos carry the book's title; an opening none
            continue
        numbers = [int(mark) for mark in marks]
        first, last = min(numbers), max(numbers)
        head = f"Notes to pages {first}\u2013{last}" if last > first else f"Notes to page {first}"
        assert head in _page_text(path, page), labels[page]
        checked += 1
    assert checked >= 2


def test_tracked_small_caps_keep_the_apostrophe_close(sample):
    import pdfplumber

    _, path, _ = sample
    with pdfplumber.open(path) as pdf:
        chars = pdf.pages[2].chars  # the title page: "The Degenerated Workers’ State"
    index = next(i for i, c in enumerate(chars) if c["text"] == "\u2019")
    before, apostrophe, after_s = chars[index - 1], chars[index], chars[index - 2]
    assert apostrophe["x0"] - before["x1"] < 0.3  # no tracking before the apostrophe
    assert before["x0"] - after_s["x1"] > 0.5  # but between the letters


def test_no_note_mark_opens_a_line(sample):
    """A note mark (a link to a note) stays with the word or punctuation
    before it: some of the line's text stands to its left."""
    import re

    import pdfplumber

    _, path, _ = sample
    marks = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            chars = [c for c in page.chars if c["text"].strip()]
            for link in page.annots:
                if not re.search(rb"-note-\d+$", link["data"].get("Dest") or b""):
                    continue
                inside = [c for c in chars if c["x0"] >= link["x0"] - 0.5 and c["x1"] <= link["x1"] + 0.5
                          and c["top"] >= link["top"] - 0.5 and c["bottom"] <= link["bottom"] + 0.5]
                if not inside:
                    continue
                marks += 1
                left = [c for c in chars if c["x1"] <= link["x0"] + 0.5
                        and abs(c["bottom"] - inside[0]["bottom"]) < 0.5 * inside[0]["size"]]
                assert left, f"page {page.page_number}: note mark {''.join(c['text'] for c in inside)} opens a line"
    assert marks > 100  # the sample's marks were found


def test_no_word_is_stranded_on_a_line_of_its_own_in_mid_paragraph(sample, parts):
    """WeasyPrint 70 hyphenated the first word of a run that overflowed only by
    its trailing space, leaving "lution" alone on a line ("revo-" / "lution" /
    "against the bureaucracy …"): builders/line_breaking.py mends it."""
    for _, _, report in (sample, parts):
        assert report.stranded == []


def test_a_long_emendation_group_repeats_its_heading(sample):
    _, path, _ = sample
    import pypdf

    reader = pypdf.PdfReader(path)
    start = reader.get_destination_page_number(reader.named_destinations["emendations"])
    titles = [typo for typo in ("Letter to the Bulgarian Comrades",)]
    pages = [i for i in range(start, len(reader.pages)) if titles[0] in _page_text(path, i)]
    assert len(pages) == 2  # the group runs over a page and its heading is set again


# --- print readiness ------------------------------------------------------------------


def test_the_book_ends_on_a_verso(sample, parts):
    assert sample[2].pages % 2 == 0 and parts[2].pages % 2 == 0


def test_crop_marks_stand_outside_the_bleed(parts):
    report = parts[2]
    assert report.has_bleed and report.boxes_nested  # MediaBox > BleedBox > TrimBox
    assert report.marks == 8 * report.pages  # two strokes at each corner of every page
    assert report.marks_in_bleed == 0


def test_print_text_is_k_only_black(sample, parts):
    assert sample[2].k_only, sample[2].text_colours
    assert parts[2].k_only, parts[2].text_colours


def test_print_is_pdf_x4_with_a_press_output_intent(sample):
    import pikepdf

    _, path, _ = sample
    with pikepdf.open(path) as pdf:
        assert pdf.pdf_version >= "1.6"
        assert pdf.open_metadata().get("pdfxid:GTS_PDFXVersion") == "PDF/X-4"
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == pikepdf.Name.GTS_PDFX and str(intent.OutputConditionIdentifier) == "FOGRA39"
        profile = intent.DestOutputProfile.read_bytes()
        assert profile[16:20] == b"CMYK" and profile[12:16] == b"prtr"  # a CMYK output (press) profile
        assert all("/TrimBox" in page for page in pdf.pages)


def test_signature_pads_the_page_count(tmp_path):
    manifest = REPO / "tests" / "roots" / "pdf-parts" / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8").replace("  bleed: true\n", "  bleed: true\n  signature: 16\n")
    copy = tmp_path / "manifest.yaml"
    copy.write_text(text, encoding="utf-8")
    shutil.copytree(manifest.parent / "texts", tmp_path / "texts")
    loaded = edition.load(copy)
    path = PdfBuilder().build(loaded, tmp_path / "out", BuildOptions(profile="print", styles_dir=STYLES))
    import pypdf

    reader = pypdf.PdfReader(path)
    assert len(reader.pages) % 16 == 0
    assert not reader.pages[-1].extract_text().strip()  # padding pages are blank


def test_a_bad_signature_is_reported(tmp_path):
    manifest = MANIFEST.replace("  date: 2026-01-01\n", "  date: 2026-01-01\n  signature: 12\n")
    problems = diagnostics_of(write_project(tmp_path, manifest))
    assert len(problems) == 1 and problems[0].startswith("manifest.yaml:6:") and "16" in problems[0]


# --- even colour and the grid ------------------------------------------------------------


def test_facing_pages_end_on_the_same_line(parts):
    assert parts[2].uneven_spreads == []


def test_facing_pages_of_the_sample_end_on_the_same_line(sample):
    """p. 39 (a5) is left two lines short by a heading that goes over:
    builders/flush.py makes it up after the layout (see test_flush.py)."""
    report = sample[2]
    assert report.spreads >= 10
    assert report.uneven_spreads == []


def test_no_widows_nor_orphans_in_the_texts(sample, parts):
    """No paragraph's last line alone at a page's head, nor its first alone
    at a page's foot: print.css keeps two lines together at both ends, and
    the page that gives a line up is made up (flush.py), so the spreads above
    still end on one line."""
    for report in (sample[2], parts[2]):
        assert report.widows == [] and report.orphans == []
    assert sample[2].spreads >= 10 and sample[2].uneven_spreads == []


def test_the_lines_a_paragraph_was_re_broken_into_end_flush(sample):
    """Re-broken lines are set in spans of their own (total_fit.py); each line
    of the text that a line of the same paragraph follows ends at the measure:
    none a little past it (a line closed up by more than it could take), none
    a little short of it (as letter-spaced spans came out of WeasyPrint before
    the mend of drawing.py: up to 0.8 pt short, on 401 lines of the sample)."""
    import collections

    import pdfplumber

    _, path, report = sample
    short, full = [], 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            rows = collections.defaultdict(list)
            for char in page.chars:
                if char["size"] > 10 and char["text"].strip():  # the body's type
                    rows[round(char["top"])].append(char)
            lines = [(min(c["x0"] for c in row), max(c["x1"] for c in row)) for _, row in sorted(rows.items())]
            if len(lines) < 5:
                continue
            left = collections.Counter(round(start, 1) for start, _ in lines).most_common(1)[0][0]
            measure = collections.Counter(round(end, 1) for _, end in lines).most_common(1)[0][0]
            followed = [end for (_, end), (start, _) in zip(lines, lines[1:]) if abs(start - left) < 0.5]
            full += len(followed)
            short += [(page.page_number, round(measure - end, 2)) for end in followed if 0.2 < abs(measure - end) < 2.0]
    assert full > 1000
    assert short == []  # none short of the measure, none past it


def test_letter_spaced_lines_are_drawn_to_the_measure():
    """WeasyPrint writes each glyph's adjustment truncated to a thousandth of
    an em; on a letter-spaced line they add up to a ragged edge. Drawn with
    the mend (drawing.py), each justified line ends at the measure, less the
    spacing after its last letter (which total_fit.py keeps off a line's last
    letter); without it, short by more."""
    import pdfplumber
    from weasyprint import HTML

    from edition.builders.drawing import exact_glyph_advances

    words = " ".join(["the bureaucratic apparatus of the revolutionary international and its"] * 8)
    html = ("<style>@page { size: 120mm 200mm; margin: 10mm } body, p { margin: 0 } p { font: 11pt serif; "
            f"text-align: justify; letter-spacing: 0.3pt }}</style><p>{words}</p>")
    document = HTML(string=html).render()

    def shortfalls(data: bytes) -> list[float]:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            page = pdf.pages[0]
            rows: dict = {}
            for char in page.chars:
                rows.setdefault(round(char["top"]), []).append(char)
            ends = [max(char["x1"] for char in row) for _, row in sorted(rows.items())][:-1]
            return [page.width - 10 * 72 / 25.4 - 0.3 - end for end in ends]

    with exact_glyph_advances():
        mended = shortfalls(document.write_pdf())
    plain = shortfalls(document.write_pdf())
    assert len(mended) >= 5 and max(abs(value) for value in mended) < 0.02
    assert max(plain) > 0.1


def test_no_loose_lines(sample, parts):
    """No line with word spaces of 2.5 times the normal one or more, and at
    most 2 % of 2 times, in the sample and the test edition: the breaks
    chosen over whole paragraphs, each line set within a compositor's
    justification limits (builders/total_fit.py)."""
    report = sample[2]
    assert report.justified_lines > 1000
    for report in (sample[2], parts[2]):
        assert report.justified_lines > 10
        assert report.loose_25x == []
        assert report.loose_share <= 0.02


# --- tagging ------------------------------------------------------------------------------


def test_a_tagged_pdf_is_tagged_and_declared_pdf_ua(parts):
    import pikepdf

    _, path, _ = parts
    with pikepdf.open(path) as pdf:
        assert "/StructTreeRoot" in pdf.Root and bool(pdf.Root.MarkInfo.Marked)
        assert b'pdfuaid:part="1"' in pdf.Root.Metadata.read_bytes()  # the tree's checks: test_pdf_tags.py


# --- line breaks chosen over whole paragraphs (builders/total_fit.py) ------------------------------


def _paragraph(words, avail, space=3.0, hyphen_at=None, last_on_page=None, turns=None):
    """A paragraph of words of known widths (no hyphenation points but one,
    `hyphen_at`: (word index, width of its head), its tail the rest), with
    its first layout's breaks found greedily, as WeasyPrint finds them."""
    from edition.builders.total_fit import Paragraph

    paragraph = Paragraph(0)
    for index, width in enumerate(words):
        if hyphen_at and hyphen_at[0] == index:
            head = hyphen_at[1]
            paragraph.widths.append(head)
            paragraph.fixed.append(0)
            paragraph.kinds.append("hyphen")
            paragraph.glue.append(0.0)
            paragraph.tail.append(2.0)
            paragraph.positions.append(0)
            width -= head
        paragraph.widths.append(width)
        paragraph.fixed.append(0)
        if index < len(words) - 1:
            paragraph.kinds.append("space")
            paragraph.glue.append(space)
            paragraph.tail.append(0.0)
            paragraph.positions.append(0)
    paragraph.prepare()
    breaks, start, ends = [], -1, len(paragraph.kinds)
    while True:  # greedy, as WeasyPrint: each line takes all the words that fit
        fitting = [end for end in range(start + 1, ends + 1)
                   if paragraph.line(start, end)[0] <= avail and (end == ends or paragraph.kinds[end] == "space")]
        if fitting[-1] == ends:
            break
        breaks.append(fitting[-1])
        start = fitting[-1]
    paragraph.original = breaks
    paragraph.avail = [avail] * (len(breaks) + 1)
    paragraph.last_on_page = last_on_page or [False] * (len(breaks) + 1)
    paragraph.turns = turns or [False] * (len(breaks) + 1)
    paragraph.space = space
    return paragraph


def test_total_fit_chooses_evener_lines_with_the_same_count():
    from edition.builders.total_fit import LOOSE, MARGIN, choose, ratios

    # greedy, a long word after a short line leaves that line loose (4.69 times the space)
    words = [25, 40, 40, 25, 30, 40, 35, 50, 40, 20, 40, 20, 60, 35, 30, 40, 25, 25, 50, 35, 40, 60, 40, 35, 35, 50,
             60, 25, 25, 50]
    paragraph = _paragraph(words, avail=200, space=8.0)
    greedy = ratios(paragraph, paragraph.original)
    assert max(greedy) >= 2.5 * LOOSE / 1.9
    breaks, spacing = choose(paragraph)
    assert len(breaks) == len(paragraph.original)  # as many lines: no page changes
    chosen = ratios(paragraph, breaks)
    assert max(chosen) < max(greedy) - 1  # the loosest line shared out
    bounds = [-1, *breaks, len(paragraph.kinds)]
    for number in range(len(bounds) - 1):  # every line fits: a paragraph not closable has no line closed up
        natural, _ = paragraph.line(bounds[number], bounds[number + 1])
        assert natural <= paragraph.avail[number] - MARGIN and not any(spacing)


def test_total_fit_closes_up_a_line_only_as_far_as_it_must():
    from edition.builders.total_fit import CLOSINGS, MARGIN, choose, ratios

    # greedy: "50 50 50" (3.1 times the space) | "30 60 60"; the fourth word is 4 px too long for the first line
    words = [50, 50, 50, 30, 60, 60]
    loose = _paragraph(words, avail=200, space=8.0)
    closable = _paragraph(words, avail=200, space=8.0)
    closable.closable, closable.em = True, 40.0  # word spacing of -0.06em: 2.4 of a space of 8
    breaks, spacing = choose(closable)
    assert len(breaks) == len(closable.original) and any(spacing)
    assert max(ratios(closable, breaks)) < 1 < 3 < max(ratios(loose, choose(loose)[0]))  # tight, not loose
    bounds = [-1, *breaks, len(closable.kinds)]
    steps = [(word * closable.em, letter * closable.em) for word, letter, _ in CLOSINGS]
    for number, setting in enumerate(spacing):
        start, end = bounds[number], bounds[number + 1]
        natural, _ = closable.line(start, end)
        gaps, letters = closable.gaps(start, end), closable.letters(start, end)
        if setting:  # closed up: it fits so, it needed to, and no looser step would do
            assert natural + setting[0] * gaps + setting[1] * letters <= closable.avail[number] - MARGIN < natural
            for word, letter in steps[:steps.index(setting)]:
                assert natural + word * gaps + letter * letters > closable.avail[number] - MARGIN


def test_total_fit_spaces_out_the_letters_of_a_line_left_loose():
    """A short paragraph with nothing to share out: its letters spaced out a
    little (`OPENINGS`) so that its word spaces stretch less, by no more than
    the most a compositor allows."""
    from edition.builders.total_fit import OPENINGS, choose, ratios

    words = [50, 50, 50, 70, 60]  # "50 50 50" | "70 60": the first line 2.8 times the space, the last one short
    plain = _paragraph(words, avail=200, space=8.0)
    spaced = _paragraph(words, avail=200, space=8.0)
    spaced.closable, spaced.em = True, 40.0
    spaced.positions = [8, 16, 24, 36]  # each word's letters: 8, 8, 8, 12, 10
    spaced.protected = [False] * 46
    spaced.prepare()
    breaks, spacing = choose(spaced)
    assert breaks == plain.original == choose(plain)[0] and choose(plain)[1] == [None, None]
    word, letter = spacing[0]
    assert word == 0 and 0 < letter <= max(step for _, step, _ in OPENINGS) * spaced.em and spacing[1] is None
    widened = spaced.line(-1, breaks[0])[0] + letter * spaced.letters(-1, breaks[0])
    assert widened <= spaced.avail[0]
    assert 1 + (spaced.avail[0] - widened) / spaced.line(-1, breaks[0])[1] < ratios(plain, breaks)[0] - 0.5


def test_letters_that_lose_their_forms_when_spaced_are_kept_from_letter_spacing():
    """Pango turns off ligatures and contextual forms on letter-spaced text:
    every pair of letters of the book's type (roman and italic) whose glyphs
    change when spaced is one `PROTECTED` keeps unspaced."""
    import pikepdf
    from weasyprint import HTML

    from edition.builders.total_fit import PROTECTED, PROTECTED_ITALIC

    pairs = [a + b for a in string.ascii_letters for b in string.ascii_lowercase] + ["ffi", "ffl", "fft", "Qy"]

    def glyphs(style, spacing):
        paragraphs = "".join(f"<p>{pair}</p>" for pair in pairs)
        html = (f"<style>{FACES} @page {{ size: 200mm 4000mm }} p {{ margin: 0; font: {style} 10pt G; "
                f"font-variant-ligatures: common-ligatures; letter-spacing: {spacing} }}</style>{paragraphs}")
        with pikepdf.open(io.BytesIO(HTML(string=html, base_url=str(STYLES) + "/").write_pdf())) as pdf:
            stream = b"".join(page.Contents.read_bytes() for page in pdf.pages).decode("latin-1")
        return [tuple(re.findall(r"<([0-9a-f]{4})>", run)) for run in re.findall(r"\[(.*?)\] TJ", stream, re.S)]

    for style in ("normal", "italic"):
        plain, spaced = glyphs(style, "0"), glyphs(style, "0.01em")
        assert len(plain) == len(spaced) == len(pairs)
        changed = {pair for pair, before, after in zip(pairs, plain, spaced) if before != after}
        assert changed and {"fi", "ff", "ffi"} <= changed
        kept = (PROTECTED, PROTECTED_ITALIC) if style == "italic" else (PROTECTED,)
        assert " ".join(pair for pair in sorted(changed) if not any(p.fullmatch(pair) for p in kept)) == "", style


def test_total_fit_keeps_hyphens_off_the_last_line_before_a_page_turn():
    """No hyphen on a recto's last line (the word would be broken across a
    page turn); on a verso's, one costs `TURN` more, as both halves are in view."""
    from edition.builders.total_fit import TURN, choose, total_cost

    words = [30, 25, 60, 60, 35, 25, 60, 60, 20, 25, 40, 40, 35, 25]
    free = _paragraph(words, avail=200, space=8.0, hyphen_at=(3, 12))
    hyphenated, _ = choose(free)
    assert free.kinds[hyphenated[0]] == "hyphen"  # the hyphen evens the lines
    turn = _paragraph(words, avail=200, space=8.0, hyphen_at=(3, 12), last_on_page=[True, False, False],
                      turns=[True, False, False])
    breaks, _ = choose(turn)
    assert turn.kinds[breaks[0]] == "space" and len(breaks) == len(turn.original)
    verso = _paragraph(words, avail=200, space=8.0, hyphen_at=(3, 12), last_on_page=[True, False, False])
    assert total_cost(verso, hyphenated) == pytest.approx(total_cost(free, hyphenated) + TURN)
    chosen, _ = choose(verso)
    assert total_cost(verso, chosen) == pytest.approx(min(total_cost(verso, hyphenated), total_cost(verso, breaks)))


def test_enforce_wraps_each_line_and_puts_in_the_chosen_hyphen():
    from edition.builders.total_fit import NOWRAP, ZWSP, enforce

    inner = 'One two <em>three</em> fo\u00adur five <span class="hy">six\u00adty</span> seven'
    # lines: "One two" | "three four" | "five six-" | "ty seven" (counted positions 6, 15, 22)
    out = enforce(inner, [(6, "space"), (15, "space"), (22, "hyphen")], "-", [None, (-0.42, 0.0), None, None])
    span, closed = f'<span style="{NOWRAP}">', f'<span style="{NOWRAP};word-spacing:-0.420px">'
    assert out == (f"{span}One two</span> <em>{closed}three</span></em>{closed} four</span> "
                   f"{span}five six-{ZWSP}</span>{span}ty seven</span>")
    # the text is the markup's, less its soft hyphens, plus the hyphen at the break
    assert re.sub(r"<[^>]*>", "", out).replace(ZWSP, "") == "One two three four five six-ty seven"


def test_enforce_keeps_ligatures_and_the_hyphen_unspaced():
    from edition.builders.total_fit import NOWRAP, UNSPACED, ZWSP, _protected, enforce

    inner = "the office of fifty affluent"
    protected = _protected(inner, [None] * len(inner))
    # lines: "the office of" (spaced) | "fifty af-" (spaced) | "fluent" (counted positions 11, 18)
    out = enforce(inner, [(11, "space"), (18, "hyphen")], "-", [(0.0, 0.1), (0.0, 0.1), None], None, protected)
    spaced, kept = f'<span style="{NOWRAP};letter-spacing:0.100px">', f'<span style="{UNSPACED}">'
    assert out == (f"{spaced}the o{kept}ffi</span>ce of</span> "
                   f"{spaced}{kept}fift</span>y a{kept}f-{ZWSP}</span></span><span style=\"{NOWRAP}\">fluent</span>")


def test_enforce_splits_an_element_a_chosen_break_falls_in():
    """A word broken inside an index mark or an italic title: the element
    ends after the hyphen and opens again, without its id, on the next line
    (WeasyPrint breaks between two boxes, not inside one at a line's end)."""
    from edition.builders.total_fit import NOWRAP, ZWSP, enforce

    inner = 'old <span class="index-mark" id="name-1">Kaganovich</span> and <em>Pravda</em> now'
    out = enforce(inner, [(7, "hyphen")])  # "old Kaga-" | "novich and Pravda now"
    span = f'<span style="{NOWRAP}">'
    assert out == (f'{span}old</span><span class="index-mark" id="name-1">{span} Kaga-{ZWSP}</span></span>'
                   f'<span class="index-mark">{span}novich</span></span>{span} and</span><em>{span} Pravda'
                   f'</span></em>{span} now</span>')
    assert out.count('id="name-1"') == 1


def test_enforce_moves_a_space_before_a_tag_inside_a_line_past_it():
    from edition.builders.total_fit import NOWRAP, enforce

    out = enforce('a temple where <span class="index-mark">Kaganovitch,</span> in the role', [(26, "space")])
    span = f'<span style="{NOWRAP}">'
    # WeasyPrint may break after an inline box that ends in a space, nowrap or not
    assert out == (f'{span}a temple where</span><span class="index-mark">{span} Kaganovitch,</span></span>'
                   f'{span} in</span> {span}the role</span>')


def test_total_fit_round_trip_on_real_paragraphs():
    """Paragraphs of a sample text set in a small document: the breaks
    chosen, applied and laid out again, come out exactly as planned, with
    as many lines as before and fewer loose ones."""
    from edition.builders import total_fit
    from edition.builders.pdf import Press

    text = (REPO / "texts" / "1926-01-09-trotsky-letter-to-bukharin.md").read_text(encoding="utf-8")
    paragraphs = [" ".join(block.split()) for block in text.split("---", 2)[2].split("\n\n") if len(block) > 400][:10]
    markup = "".join(f"<p>{htmllib.escape(text)}</p>" for text in paragraphs)
    page = "<style>@page { size: A5; margin: 20mm 23mm 25mm 17mm; } html { font-size: 10.5pt; }</style>"
    html = (f"<html lang='en'><head>{page}</head><body><section class='chapter'><div class='text-body'>"
            f"{markup}</div></section></body></html>")
    press = Press.for_styles(STYLES, REPO)
    document = press.lay_out(html)
    before = {paragraph.number: (paragraph, ratios) for paragraph, ratios in total_fit.measure(document, html)}
    assert len(before) >= len(paragraphs) - 1  # measured within the tolerance (a one-line paragraph is not)
    plans = total_fit.plan(document, html)
    assert plans
    again = total_fit.apply(html, plans)
    laid = press.lay_out(again)
    assert total_fit.misses(laid, again, plans) == []
    after = {paragraph.number: ratios for paragraph, ratios in total_fit.measure(laid, again, planned=True)}
    for number in plans:
        assert len(after[number]) == len(before[number][1])  # the same line count
    loose = sum(ratio >= 2 for _, ratios in before.values() for ratio in ratios)
    assert sum(ratio >= 2 for ratios in after.values() for ratio in ratios) < loose


def test_measure_counts_the_words_of_hyphenated_lines_as_the_markup_has_them():
    """The hyphen WeasyPrint adds at a break is not in the markup; the
    measure finds the first layout's breaks and widths all the same."""
    from weasyprint import HTML

    from edition.builders.total_fit import TOLERANCE, measure

    words = "the bureaucratic apparatus of the revolutionary international organisations " * 6
    html = (f'<html lang="en"><style>p {{ width: 60mm; font-size: 11pt; text-align: justify; hyphens: auto; '
            f'hyphenate-character: "-" }}</style><body><p>{words}</p></body></html>')
    (paragraph, ratios), = measure(HTML(string=html).render(), html)
    assert sum(kind == "hyphen" for kind in (paragraph.kinds[j] for j in paragraph.original)) >= 2
    assert len(ratios) == len(paragraph.original) and paragraph.error <= TOLERANCE


def test_measure_reads_a_list_item_whose_marker_has_a_line_box_of_its_own():
    """An outside marker ("3.") is set in a line box of its own, beside the
    item's first line: it is not a line of the item's text."""
    from weasyprint import HTML

    from edition.builders.total_fit import TOLERANCE, measure

    words = "the stabilization of the mortal and active enemy after the post-war crisis " * 5
    html = (f'<html lang="en"><style>li {{ width: 60mm; font-size: 11pt; text-align: justify; hyphens: auto }}'
            f'</style><body><ol><li>{words}</li></ol></body></html>')
    document = HTML(string=html).render()
    (paragraph, ratios), = measure(document, html)
    assert len(ratios) == len(paragraph.original) >= 4 and paragraph.error <= TOLERANCE


def test_misses_counts_a_planned_line_that_stands_past_the_measure():
    """A planned line that its spacing makes wider than the measure breaks
    where planned (its spans do not wrap) but sticks out into the margin:
    `misses` counts it, as it counts a line that broke elsewhere."""
    from weasyprint import HTML

    from edition.builders import total_fit

    words = "the bureaucratic apparatus of the revolutionary international organisations " * 4
    html = (f'<html lang="en"><style>p {{ width: 60mm; font-size: 11pt; text-align: justify }}</style>'
            f'<body><p>{words}</p></body></html>')
    (paragraph, _), = total_fit.measure(HTML(string=html).render(), html)
    text = total_fit._markup_text(words)

    def laid_with(spacing):
        breaks = [(paragraph.positions[j], paragraph.kinds[j]) for j in paragraph.original]
        plans = {0: (text, breaks, "-", spacing, (0, len(breaks)), paragraph.protected)}
        again = total_fit.apply(html, plans)
        return total_fit.misses(HTML(string=again).render(), again, plans)

    lines = len(paragraph.original) + 1
    assert laid_with([None] * lines) == []
    assert laid_with([(0.0, 1.0)] + [None] * (lines - 1)) == [0]  # 1 px more between letters: too wide


def test_a_space_before_a_tag_is_measured_in_the_type_it_is_set_in():
    """`enforce` moves a space before a tag past it, into the next element:
    the space before an italic title becomes an italic one, wider. Each
    planned line is measured so (`moved`), and comes out as wide as measured."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    from edition.builders import total_fit

    words = "the journal <i>Proletarskaya Revolyutsiya</i> and the history of the party " * 5
    html = (f'<html lang="en"><style>{FACES} p {{ width: 70mm; font: 11pt G; text-align: justify; margin: 0 }}'
            f'</style><body><p>{words}</p></body></html>')
    base = str(STYLES) + "/"
    (paragraph, _), = total_fit.measure(HTML(string=html, base_url=base).render(), html)
    assert sum(moved > 0.3 for moved in paragraph.moved) == 5  # the italic space is wider than the roman one
    breaks = [(paragraph.positions[j], paragraph.kinds[j]) for j in paragraph.original]
    plans = {0: (total_fit._markup_text(words), breaks, "-", [None] * (len(breaks) + 1), (0, len(breaks)),
                 paragraph.protected)}
    again = total_fit.apply(html, plans).replace("justify", "left")  # the lines at their natural widths
    laid = HTML(string=again, base_url=base).render()
    widths = []
    for line in laid.pages[0]._page_box.descendants():
        if isinstance(line, boxes.LineBox):
            leaves = [leaf for leaf in line.descendants() if isinstance(leaf, boxes.TextBox)]
            widths.append(max(leaf.position_x + leaf.margin_width() for leaf in leaves) - leaves[0].position_x)
    bounds = [-1, *paragraph.original, len(paragraph.kinds)]
    planned = [paragraph.line(bounds[k], bounds[k + 1])[0] for k in range(len(bounds) - 1)]
    as_laid = [paragraph.line(bounds[k], bounds[k + 1], as_laid=True)[0] for k in range(len(bounds) - 1)]
    assert len(widths) == len(planned) and planned != as_laid
    assert max(abs(width - expected) for width, expected in zip(widths, planned)) < total_fit.TOLERANCE


def test_a_heading_of_two_lines_is_balanced_and_broken_by_sense():
    """WeasyPrint breaks a heading greedily ("… Property, and" over "the
    State"); balance.py sets it in as many lines, as even as they can be, and
    after a unit of sense: "Origins of the Family," over the rest."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    from edition.builders import balance, total_fit

    html = (f'<html lang="en"><style>{FACES} h1 {{ width: 105mm; font: 18pt G; text-align: center }}</style>'
            "<body><h1>Origins of the Family, Private Property, and the State</h1><p>Text.</p></body></html>")
    base = str(STYLES) + "/"

    def lines(document):
        return [" ".join("".join(leaf.text for leaf in line.descendants() if isinstance(leaf, boxes.TextBox)).split())
                for line in document.pages[0]._page_box.descendants()
                if isinstance(line, boxes.LineBox) and line.element.tag == "h1"]

    document = HTML(string=html, base_url=base).render()
    assert lines(document) == ["Origins of the Family, Private Property, and", "the State"]
    plans = balance.plan(document, html)
    again = total_fit.apply(html, plans)
    laid = HTML(string=again, base_url=base).render()
    assert total_fit.misses(laid, again, plans) == []
    assert lines(laid) == ["Origins of the Family,", "Private Property, and the State"]
