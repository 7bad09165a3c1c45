"""`edition import` on real archive pages (../shared/corpus, read where they lie) and on the
small fixtures of tests/fixtures/import/ (written for this project: an ETOL periodical page, a
MediaWiki copy, a German reprint with a comment form, a French text, two series of notes, a page
of two letters).

Golden files in tests/goldens/import/ hold what the import gives, reviewed by eye:
- for a fixture, the whole Markdown and the review list;
- for a corpus page, whose text must not be copied into the repository, the front matter and
  review list in full and, for each block of the body, its kind, first and last words, note
  marks and word count, with a checksum of the whole Markdown.
Regenerate them with EDITION_UPDATE_GOLDENS=1 (then read the diff before committing).

One test edition holds every imported text; it must check, build as EPUB and pass EPUBCheck
with no errors and no warnings (built once for the module)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from edition.importer import import_html, import_text  # noqa: E402
from edition.importer.lines import is_nav_line  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "import"
GOLDENS = ROOT / "tests" / "goldens" / "import"
UPDATE = os.environ.get("EDITION_UPDATE_GOLDENS") == "1"
REQUIRED = ("title", "author", "date", "source")


def _shared() -> Path | None:
    """The shared folder: $EDITION_SHARED, ../shared beside the repository, or /work/shared."""
    for candidate in (os.environ.get("EDITION_SHARED"), ROOT.parent / "shared", "/work/shared"):
        if candidate and (Path(candidate) / "corpus").is_dir():
            return Path(candidate)
    return None


SHARED = _shared()
CORPUS = SHARED / "corpus" if SHARED else None
PAGES = sorted(p.stem for p in CORPUS.glob("*.txt")) if CORPUS else []
FIXTURE_FILES = sorted(p.name for p in FIXTURES.iterdir()) if FIXTURES.is_dir() else []
needs_corpus = pytest.mark.skipif(CORPUS is None, reason="the corpus (../shared/corpus) is not available; "
                                                          "set EDITION_SHARED to the folder that holds it")


def import_file(path: Path):
    if path.suffix == ".html":
        return import_html(path.read_bytes(), source_name=path.name)
    return import_text(path.read_text(encoding="utf-8"), source_name=path.name)


def split(markdown: str) -> tuple[dict, str]:
    front, body = markdown[4:].split("\n---\n", 1)
    return yaml.safe_load(front), body


def body_blocks(body: str) -> list[str]:
    """The body's blocks: paragraphs, headings, divs (whole), notes (with their paragraphs)."""
    blocks, current, in_div = [], [], False
    for line in body.strip("\n").split("\n"):
        if line.startswith(":::"):
            current.append(line)
            in_div = line != ":::" if not in_div else False
            if not in_div:
                blocks.append("\n".join(current))
                current = []
            continue
        if not line and not in_div:
            if current:
                blocks.append("\n".join(current))
                current = []
            continue
        if line.startswith("    ") and not current and blocks and blocks[-1].startswith("[^"):
            blocks[-1] += "\n\n" + line  # a further paragraph of a note
            continue
        current.append(line)
    if current:
        blocks.append("\n".join(current))
    return blocks


def skeleton(markdown: str, review: list[str]) -> str:
    """What a corpus golden keeps of an import (see the module docstring)."""
    front, body = split(markdown)
    out = ["front matter:", yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000).rstrip(), "",
           "body:"]
    for block in body_blocks(body):
        kind = next((k for prefix, k in (("## ", "heading"), ("> ", "quote"), ("::: ", "div"), ("[^", "note"),
                                         ("* * *", "break")) if block.startswith(prefix)), "para")
        if kind == "div":
            kind = "div " + block.split("\n", 1)[0][4:]
        if kind == "note":
            kind = "note " + block[: block.index("]:") + 1]
        words = block.split()
        shown = " ".join(words) if len(words) <= 12 else " ".join(words[:7]) + " … " + " ".join(words[-4:])
        refs = re.findall(r"\[\^[^\]]+\](?!:)", block)
        out.append(f"- {kind} ({len(words)} words){' refs ' + ' '.join(refs) if refs else ''}: {shown}")
    out += ["", "review:"] + [f"- {line}" for line in review]
    out += ["", "sha256: " + hashlib.sha256(markdown.encode("utf-8")).hexdigest(), ""]
    return "\n".join(out)


def full(markdown: str, review: list[str]) -> str:
    return markdown + "\n<!-- review:\n" + "\n".join(f"- {line}" for line in review) + "\n-->\n"


def compare_golden(name: str, actual: str) -> None:
    golden = GOLDENS / name
    if UPDATE or not golden.exists():
        if not UPDATE:
            pytest.fail(f"no golden {golden.relative_to(ROOT)}: run with EDITION_UPDATE_GOLDENS=1 and review it")
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
        return
    expected = golden.read_text(encoding="utf-8")
    assert actual == expected, f"{name} differs from its golden (EDITION_UPDATE_GOLDENS=1 regenerates it)"


def words(text: str) -> list[str]:
    """Words, without note markers and note numbers ("[1]", "1.", "(1)", "[1*]")."""
    return [w for w in re.split(r"\s+", text)
            if re.search(r"\w", w) and not re.fullmatch(r"[\[(]?\d{1,3}\*?[\]).]?\*?\.?", w)]


def body_words(markdown: str) -> list[str]:
    """The body's words, Markdown markup and footnote labels taken off."""
    _, body = split(markdown)
    text = re.sub(r"^(:::.*|#+ |> ?|\[\^[^\]]+\]: )", "", body, flags=re.MULTILINE)
    text = re.sub(r"\[\^[^\]]+\]", "", text)
    text = re.sub(r"\\(.)", r"\1", text)
    return words(text)


FURNITURE = re.compile(
    r"^(?:(?:Written|Source|First [Pp]ublished|Published|Translated|Transcri\w*|HTML Mark-?up|Mark-?up|Proofread|"
    r"Public Domain|Copyleft|Publisher|Quelle|Geschrieben|Écrit|Transkription)\s*:|"
    r"(?:Copied with thanks|Marked up by|Transcribed by|Transcribed & marked up|MIA\s*>|Last updated|"
    r"Top of the page|Kommentar verfassen|Leave a (?:Reply|comment))\b)")


def assert_clean_body(markdown: str, review: list[str] = ()) -> None:
    _, body = split(markdown)
    for block in body_blocks(body):
        text = re.sub(r"^(?:## |> |::: \w+\n)", "", block)
        assert not FURNITURE.match(text), f"archive furniture left in the body: {text[:80]!r}"
        assert not is_nav_line(text.split("\n")[0]), f"navigation left in the body: {text[:80]!r}"
    # every note is marked once in the text (or in another note), every mark has its note
    defined = re.findall(r"^\[\^([^\]]+)\]:", body, flags=re.MULTILINE)
    marked = re.findall(r"\[\^([^\]]+)\](?!:)", body)
    assert sorted(defined) == sorted(set(marked)) and len(marked) == len(set(marked)), (defined, marked)
    for marker in re.findall(r"\\\[(\d{1,3}\\?\*?)\\\](?!\w)", body.split("\n[^")[0]):  # not "[18]70s"
        marker = "[" + marker.replace("\\", "") + "]"  # an unlinked marker must be in the review list
        assert any(marker in line for line in review), f"unlinked note marker {marker}"


def assert_front_or_reported(result) -> None:
    for key in REQUIRED:
        if key not in result.front_matter:
            assert f"no {key} found: add `{key}` by hand" in result.review or \
                f"no {key} line: add `{key}` by hand" in result.review, f"{key} missing and not reported"


# --------------------------------------------------------------------------
# corpus pages


# What each page says, read on the page: title, author, date, the source's opening words; None where the page
# does not give the field (the review list must then ask for it).
CORPUS_FACTS = {
    "connolly-1907-12-nynotes":
        ('Notes from New York', 'James Connolly', '1907-12-07', 'The Industrial Union Bulletin, Vol. 1 No'),
    "connolly-1913-07-nat-press":
        ('The Irish Nationalist Press', 'James Connolly', '1913-07-26', 'Forward, 26 July 1913.'),
    "connolly-1913-10-lab-dublin":
        ('Labour in Dublin', 'James Connolly', '1913-10', 'The Irish Review (Dublin), October 1913,'),
    "lenin-1913-mar-22":
        ('Big Achievement of the Chinese Republic',
         'V. I. Lenin', '1913-03-22', 'Lenin Collected Works, Progress Publishe'),
    "lenin-1914-granat-ch04":
        ('Karl Marx', 'Vladimir Ilyich Lenin', None, None),
    "marx-1845-theses-theses":
        ('Theses On Feuerbach', 'Karl Marx', '1845', 'Marx/Engels Selected Works, Volume One, '),
    "marx-1848-communist-manifesto-ch04":
        ('Chapter IV. Position of the Communists in Relation to the Various Existing Opposition Parties',
         None, None, None),
    "marx-1850-peasant-war-germany-notes":
        ('The Peasant War in Germany', None, None, None),
    "marx-1871-letters-71_04_12":
        ('Marx to Dr Kugelmann', 'Karl Marx', '1871-04-12', None),
    "marx-1871-letters-71_04_17":
        ('Marx to Ludwig Kugelmann', 'Karl Marx', '1871-04-17', 'Marx and Engels Correspondence, Internat'),
    "marx-1871-letters-71_11_23":
        ('Marx to Friedrich Bolte', 'Karl Marx', '1871-11-23', 'Marx and Engels Correspondence, Internat'),
    "marx-1875-gotha-ch02":
        ('Critique of the Gotha Programme', 'Karl Marx', None, None),
    "marx-1875-letters-75_05_05":
        ('Marx to W. Bracke', 'Karl Marx', '1875-05-05', 'Marx/Engels Selected Works, Volume Three'),
    "marx-1877-06-karl-marx":
        ('Karl Marx', 'Frederick Engels', '1877-06', 'On Marx, Foreign Languages Press, Peking'),
    "marx-1882-letters-82_09_12":
        ('Engels to Karl Kautsky', 'Frederick Engels', '1882-09-12', 'Gesamtausgabe, International Publishers,'),
    "marx-1883-death-burial":
        ('Frederick Engels’ Speech at the Grave of Karl Marx', 'Frederick Engels', '1883-03-17', None),
    "marx-1884-origin-family-preface":
        ('Origins of the Family, Private Property, and the State', 'Frederick Engels', '1884', None),
    "marx-1885-prefaces-18th-brumaire":
        ('Preface to the Third German Edition of The Eighteenth Brumaire of Louis Bonaparte',
         'Frederick Engels', '1885', 'Karl Marx and Frederick Engels Selected '),
    "marx-1890-letters-90_08_05":
        ('Engels to C. Schmidt', 'Frederick Engels', '1890-08-05', None),
    "marx-1890-letters-90_09_21":
        ('Engels to J. Bloch', 'Frederick Engels', '1890-09-21', 'Historical Materialism (Marx, Engels, Le'),
    "marx-1893-letters-93_07_14":
        ('Engels to Franz Mehring', 'Frederick Engels', '1893-07-14', 'Marx and Engels Correspondence, Internat'),
    "marx-1894-letters-94_01_25":
        ('Engels to Borgius', 'Frederick Engels', '1894-01-25', 'Marx and Engels Correspondence, Internat'),
    "plekhanov-1889-07-speech":
        ('Speech at the International Workers’ Socialist Congress in Paris',
         'Georgii Plekhanov', '1889-07', 'Georgii Plekhanov, Selected Philosophica'),
    "plekhanov-1893-05-goneby":
        ('Bourgeois of Days Gone By', 'Georgi V. Plekhanov', '1893-04-23', 'G. Plekhanov, Selected Philosophical Wor'),
}


@needs_corpus
@pytest.mark.parametrize("page", PAGES or ["-"])
def test_corpus_page(page):
    text = import_file(CORPUS / f"{page}.txt")
    page_html = import_file(CORPUS / f"{page}.html")
    compare_golden(f"{page}.txt.golden", skeleton(text.markdown, text.review))
    compare_golden(f"{page}.html.golden", skeleton(page_html.markdown, page_html.review))
    title, author, date, source = CORPUS_FACTS[page]
    front = text.front_matter
    assert (front.get("title"), front.get("author"), front.get("date")) == (title, author, date)
    assert front.get("source", "")[:40] == (source or "")
    for result in (text, page_html):
        assert_front_or_reported(result)
        assert_clean_body(result.markdown, result.review)
        assert result.front_matter["language"] == "en"
    # the body keeps the page's words: those of the lines the import put into the body
    raw = (CORPUS / f"{page}.txt").read_text(encoding="utf-8").split("\n")
    page_words = len(words(" ".join(raw[no - 1] for no in text.body_lines)))
    imported = len(body_words(text.markdown))
    assert abs(imported - page_words) <= 0.01 * page_words, (imported, page_words)
    # the HTML import says the same, only setting apart what the markup marks (headings, quotations, italics)
    # and adding what only the page's meta data says (an author the page's text does not name)
    assert abs(len(body_words(page_html.markdown)) - imported) <= 0.01 * imported
    assert _plain(split(page_html.markdown)[1]) == _plain(split(text.markdown)[1])
    html_front, text_front = page_html.front_matter, text.front_matter
    assert {k: v for k, v in html_front.items() if k in text_front} == text_front
    for key in set(html_front) - set(text_front):
        assert any(f"from the page's meta data" in line for line in page_html.review), key


def _plain(markdown: str) -> str:
    """Markdown without what only HTML knows: headings, block quotes, italics."""
    markdown = re.sub(r"(?<!\\)\*", "", markdown)
    return re.sub(r"^(?:## |> ?)", "", markdown, flags=re.MULTILINE).replace("\n>\n", "\n\n")


# --------------------------------------------------------------------------
# fixtures

FIXTURE_FACTS = {
    "etol-periodical.html": dict(title="The Rent Strike Spreads", author="Leon Trotsky", date="1936-03",
                                 language="en", source="Labor Herald, Vol. II No. 9, 14 March 1936, p. 3."),
    "mediawiki.html": dict(title="On the Eight-Hour Day", author="Mary Example", date="1890-05-01", language="en"),
    "reprint-comment-de.txt": dict(title="Brief an die Redaktion der „Volksstimme“", author="Karl Beispiel",
                                   date="1912-05-12", language="de"),
    "french.txt": dict(title="Les ouvrières de la soie", author="Jeanne Exemple", date="1869-03", language="fr"),
    "two-series.txt": dict(title="On the Co-operative Stores", author="Anna Sample", date="1905-06", language="en"),
    "two-letters.txt": dict(title="Two Letters to the Weavers’ Committee", author="Anna Sample", date="1899-03",
                            language="en", source="Sample Correspondence, Example Press, London 1950"),
}


@pytest.mark.parametrize("name", sorted(FIXTURE_FACTS))
def test_fixture(name):
    result = import_file(FIXTURES / name)
    compare_golden(f"{name}.golden.md", full(result.markdown, result.review))
    for key, value in FIXTURE_FACTS[name].items():
        assert result.front_matter[key] == value, key
    assert_front_or_reported(result)
    assert_clean_body(result.markdown, result.review)
    if name.endswith(".txt"):  # the body keeps the words of the lines it took, and adds only the notes' labels
        raw = (FIXTURES / name).read_text(encoding="utf-8").split("\n")
        page_words = len(words(" ".join(raw[no - 1] for no in result.body_lines)))
        labels = re.findall(r"(?:^\[\^\d+\*\]: \*|\\\[\d+\\\*\\\] )([^*\n]*?(?:Note|note|blog|archive)\.)",
                            split(result.markdown)[1], flags=re.MULTILINE)
        added = sum(len(label.split()) for label in labels)
        assert abs(len(body_words(result.markdown)) - added - page_words) <= 0.01 * page_words


def test_facts_cover_every_fixture_and_page():
    assert sorted(FIXTURE_FACTS) == FIXTURE_FILES
    assert sorted(CORPUS_FACTS) == (PAGES or sorted(CORPUS_FACTS))


def test_two_series_are_kept_apart():
    result = import_file(FIXTURES / "two-series.txt")
    _, body = split(result.markdown)
    assert "[^1*]: *Translator’s Note.* The original has" in body
    assert "school of socialism.[^1]" in body and "in two.[^1*]" in body
    # the translator's note on the author's note stays with it
    assert "\\[2\\*\\] Translator’s Note. The translator has not been able" in body
    assert "note 2* is marked inside note 1, not in the text: it is kept as a paragraph of note 1" in result.review


def test_comment_form_and_site_furniture_are_dropped():
    result = import_file(FIXTURES / "reprint-comment-de.txt")
    _, body = split(result.markdown)
    assert "Kommentar" not in body and "E-Mail" not in body and "Startseite" not in body
    assert body.rstrip().endswith("ich danke euch dafür.")
    assert "::: signature\nMit sozialistischem Gruß\n\nKarl Beispiel\n:::" in body


def test_each_letter_of_a_page_keeps_its_furniture():
    result = import_file(FIXTURES / "two-letters.txt")
    _, body = split(result.markdown)
    first, second = body.split("\n## II\n")
    assert first.startswith("\n## I\n\n::: dateline\nLondon, 3 March 1899\n:::\n\nDear Comrades,")
    assert "::: signature\nWith fraternal greetings,\n\nAnna Sample\n:::\n\nP.S. The pamphlets" in first
    assert second.startswith("\n::: dateline\nLondon, 17 March 1899\n:::\n\nDear Comrades,")
    assert second.rstrip().endswith("::: signature\nYours fraternally,\n\nA. S.\n\nLondon, 18 March\n:::")


def test_pseudonym_offers_the_real_name():
    result = import_file(FIXTURES / "etol-periodical.html")
    assert result.front_matter["author"] == "Leon Trotsky"
    assert any("pseudonym, Crux" in line for line in result.review)
    assert "[^1*]: *Note by ETOL.* The paper printed" in result.markdown


# --------------------------------------------------------------------------
# one edition of everything: check, EPUB build, EPUBCheck


@pytest.fixture(scope="module")
def imported_edition(tmp_path_factory):
    from edition.cli import main

    project = tmp_path_factory.mktemp("imported") / "edition"
    assert main(["new", str(project)]) == 0
    manifest = project / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    start = text.index("\ntexts:\n")
    manifest.write_text(text[:start] + "\ntexts:\n", encoding="utf-8")  # no sample text
    for sample in (project / "texts").glob("*.md"):
        sample.unlink()
    sources = [FIXTURES / name for name in FIXTURE_FILES]
    if CORPUS is not None:
        sources += [CORPUS / f"{page}.txt" for page in PAGES]
    assert main(["import", *map(str, sources), "--add", "--manifest", str(manifest)]) == 0
    if CORPUS is not None:
        for page in PAGES:  # the same pages as HTML, under other names
            target = project / "texts" / "html" / f"{page}.md"
            assert main(["import", str(CORPUS / f"{page}.html"), "--add", "-o", str(target),
                         "--manifest", str(manifest)]) == 0
    filled = _fill_missing_fields(project)
    return project, manifest, filled


def _fill_missing_fields(project: Path) -> int:
    """What the review list asks an editor to add by hand (fields the page lacks)."""
    filled = 0
    for path in (project / "texts").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        front, body = split(text)
        missing = {key: f"(not given on the page: {key})" for key in REQUIRED if key not in front}
        if "date" in missing:
            missing["date"] = 1900
        if missing:
            filled += 1
            front.update(missing)
            path.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n" + body,
                            encoding="utf-8")
    return filled


def test_imported_edition_checks_and_builds(imported_edition):
    from edition.cli import main
    from edition.epubcheck import check_file

    project, manifest, _ = imported_edition
    listed = yaml.safe_load(manifest.read_text(encoding="utf-8"))["texts"]
    expected = len(FIXTURE_FILES) + 2 * len(PAGES)
    assert len(listed) == expected
    assert main(["check", "--manifest", str(manifest)]) == 0
    output = project / "out"
    assert main(["build", "--format", "epub", "--manifest", str(manifest), "--output", str(output), "--quiet"]) == 0
    epubs = list(output.glob("*.epub"))
    assert len(epubs) == 1
    if shutil.which("java") is None:
        pytest.skip("EPUBCheck needs Java")
    messages = [str(m) for m in check_file(epubs[0])]
    assert messages == []


def test_add_keeps_the_manifest_layout(tmp_path):
    from edition.cli import main

    project = tmp_path / "edition"
    assert main(["new", str(project)]) == 0
    manifest = project / "manifest.yaml"
    before = manifest.read_text(encoding="utf-8")
    files = [FIXTURES / "french.txt", FIXTURES / "two-series.txt"]
    assert main(["import", *map(str, files), "--add", "--manifest", str(manifest)]) == 0
    after = manifest.read_text(encoding="utf-8")
    added = ["  - file: texts/1869-03-exemple-les-ouvrieres-de-la-soie.md",
             "  - file: texts/1905-06-sample-on-the-co-operative-stores.md"]
    assert after.startswith(before.rstrip("\n")) and after.rstrip("\n").split("\n")[-2:] == added
    assert main(["import", str(files[0]), "--add", "--manifest", str(manifest)]) == 2  # exists: nothing written
    assert manifest.read_text(encoding="utf-8") == after


def test_import_errors_are_clear_and_write_nothing(tmp_path, capsys):
    from edition.cli import main

    project = tmp_path / "edition"
    assert main(["new", str(project)]) == 0
    manifest = project / "manifest.yaml"
    before = manifest.read_text(encoding="utf-8")
    assert main(["import", str(tmp_path / "missing.html"), "--add", "--manifest", str(manifest)]) == 2
    assert "missing.html:1:1: file not found" in capsys.readouterr().err
    parts = before.replace("\ntexts:\n", "\nparts:\n  - title: One\n    texts:\n", 1)
    parts = parts.replace("\n  - file: texts/first-text.md", "\n      - file: texts/first-text.md")
    manifest.write_text(parts, encoding="utf-8")
    assert main(["import", str(FIXTURES / "french.txt"), "--add", "--manifest", str(manifest)]) == 2
    assert "parts" in capsys.readouterr().err
    assert manifest.read_text(encoding="utf-8") == parts
    assert sorted(p.name for p in (project / "texts").iterdir()) == ["first-text.md"]
