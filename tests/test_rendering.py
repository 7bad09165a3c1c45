"""The EPUB's pages laid out in a real engine, as reading systems show them.

Headless Chromium (Debian's, driven by Playwright) loads each XHTML document
of the built books with a reading system's own style sheet injected:

- "foliate": what Foliate and similar readers add: `p { text-align: justify }`,
  a forced typeface and a dark theme (light text on black, light links);
- "readium": Readium CSS (npm @readium/css, what Thorium and the Readium
  toolkits inject), with the user settings justify, a typeface and night colours.

and checks what a reader would see: the computed alignment of the title page,
bylines, datelines and signatures; text and rules readable on black; note
marks with 24 x 24 px targets that do not move a line; backlinks that never
stand alone on a line. It also takes the screenshots the README shows (set
EDITION_SCREENSHOTS=docs/screenshots to write them there).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from lxml import etree

import edition
from edition.builders import BuildOptions
from edition.builders.epub import EpubBuilder

from . import engines

PARTS = engines.REPO / "tests" / "roots" / "epub-parts" / "manifest.yaml"
VIEWPORT = {"width": 480, "height": 720}

FOLIATE_CSS = """
body { padding: 0 24px; }  /* the page's margins */
p, li, blockquote, dd { text-align: justify; hyphens: auto; line-height: 1.4; }
* { font-family: "DejaVu Sans" !important; }
html { color: #e0e0e0; background: #000000; }
a:link, a:visited { color: #8ab4f8; }
"""
READIUM_SETTINGS = ("--USER__view: readium-scroll-on; --USER__textAlign: justify; "
                    "--USER__fontFamily: 'DejaVu Sans'; --USER__backgroundColor: #000000; "
                    "--USER__textColor: #FEFEFE; --USER__linkColor: #63caff; "
                    "--RS__scrollPaddingLeft: 24px; --RS__scrollPaddingRight: 24px")  # the page's margins

# Each part that must keep its alignment, whatever the reader's style sheet.
ALIGNED = {
    ".titlepage h1": "center", ".titlepage .subtitle": "center", ".titlepage .editor": "center",
    ".titlepage .publisher": "center", "section.text > header .title": "center",
    "section.text > header .subtitle": "center", "section.text > header .byline": "center",
    "section.text > header .date": "center", ".dateline .line": "right", ".signature .line": "right",
}

CONTRAST_JS = """() => {
  const rgb = (value) => (value.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
                            return (x + 0.05) / (y + 0.05); };
  const background = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length >= 3 && (c.length < 4 || c[3] > 0)) return c;
    }
    return [255, 255, 255];
  };
  const low = [];
  for (const element of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(element);
    if (style.display === 'none' || style.visibility === 'hidden' || element.closest('[hidden]')) continue;
    const bg = background(element);
    const ownText = [...element.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (ownText) {
      const r = ratio(rgb(style.color), bg);
      const what = `${element.localName}.${element.className}`;
      if (r < 4.5) low.push(`${what}: text ${style.color} on ${bg} (${r.toFixed(2)})`);
    }
    for (const side of ['Top', 'Bottom']) {
      if (style[`border${side}Style`] !== 'none' && parseFloat(style[`border${side}Width`]) > 0) {
        const colour = style[`border${side}Color`];
        const r = ratio(rgb(colour), bg);
        if (r < 3) low.push(`${element.localName}.${element.className}: rule ${colour} (${r.toFixed(2)})`);
      }
    }
  }
  return low;
}"""


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    """The sample edition and the small case with every kind of block, unpacked."""
    folder = tmp_path_factory.mktemp("rendering")
    unpacked = {}
    for name, loaded in (("sample", edition.load(engines.REPO / "manifest.yaml")), ("parts", edition.load(PARTS))):
        epub = EpubBuilder().build(loaded, folder / name, BuildOptions())
        unpacked[name] = engines.unzip(epub, folder / name / "unpacked")
    return unpacked


@pytest.fixture(scope="module")
def browser():
    chromium = engines.chromium()
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: " + engines.SETUP)
    with sync_api.sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=chromium, headless=True, args=engines.CHROMIUM_FLAGS,
            viewport=VIEWPORT, device_scale_factor=1, java_script_enabled=True, offline=True)
        yield context
        context.close()


@pytest.fixture(scope="module")
def page(browser):
    page = browser.new_page()
    yield page
    page.close()


def show(page, document: Path, reader: str) -> None:
    """`document` loaded with `reader`'s style sheets, as that reader injects them."""
    page.goto(document.as_uri())
    if reader == "foliate":
        page.evaluate("""(css) => { const s = document.createElement('style'); s.textContent = css;
                                    document.head.append(s); }""", FOLIATE_CSS)
    elif reader == "readium":
        folder = engines.readium_css()
        page.evaluate("""([before, after, settings]) => {
            const make = (css) => { const s = document.createElement('style'); s.textContent = css; return s; };
            document.head.prepend(make(before));
            document.head.append(make(after));
            document.documentElement.setAttribute('style', settings);
        }""", [(folder / "ReadiumCSS-before.css").read_text(encoding="utf-8"),
               (folder / "ReadiumCSS-after.css").read_text(encoding="utf-8"), READIUM_SETTINGS])
    page.evaluate("document.fonts.ready")


def documents(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.xhtml"))


def text_documents(folder: Path) -> list[Path]:
    return [path for path in documents(folder) if path.name.startswith("text-")]


# --- alignment ------------------------------------------------------------------


@pytest.mark.parametrize("reader", ["foliate", "readium"])
def test_alignment_holds_under_a_readers_style_sheet(page, books, reader):
    seen: set[str] = set()
    wrong: list[str] = []
    for folder in books.values():
        for document in [folder / "titlepage.xhtml", *text_documents(folder)]:
            show(page, document, reader)
            found = page.evaluate("""(selectors) => {
                const out = [];
                for (const selector of selectors)
                  for (const e of document.querySelectorAll(selector))
                    out.push([selector, getComputedStyle(e).textAlign, e.textContent.trim().slice(0, 40)]);
                const body = [...document.querySelectorAll('section.text > p')].slice(-1)[0];
                return {out, justify: body ? getComputedStyle(body).textAlign : 'justify',
                        font: getComputedStyle(document.body.querySelector('p, h1, h2')).fontFamily};
            }""", list(ALIGNED))
            assert found["justify"] == "justify", f"{reader}'s style sheet was not applied to {document.name}"
            assert "DejaVu Sans" in found["font"], f"{reader}'s typeface was not applied to {document.name}"
            for selector, align, words in found["out"]:
                seen.add(selector)
                if align != ALIGNED[selector]:
                    wrong.append(f"{document.name}: {selector} ({words!r}) is {align}, not {ALIGNED[selector]}")
    assert wrong == []
    assert seen == set(ALIGNED)  # every kind was there to be checked


# --- colours ----------------------------------------------------------------------


@pytest.mark.parametrize("reader", ["foliate", "readium"])
def test_text_and_rules_are_readable_in_dark_mode(page, books, reader):
    low = []
    for folder in books.values():
        for document in documents(folder):
            show(page, document, reader)
            low += [f"{document.name}: {problem}" for problem in page.evaluate(CONTRAST_JS)]
    assert low == []


# --- note marks and backlinks -------------------------------------------------------


def test_note_marks_are_24px_targets_that_do_not_move_a_line(page, books):
    checked = 0
    for document in [path for folder in books.values() for path in text_documents(folder)]:
        show(page, document, "foliate")
        result = page.evaluate("""() => {
            const refs = [...document.querySelectorAll('a.noteref')];
            const paragraphs = [...new Set(refs.map((a) => a.closest('p, li, h3, h4, div')))];
            const heights = () => paragraphs.map((p) => p.getBoundingClientRect().height);
            const before = heights();
            const off = document.createElement('style');
            off.textContent = 'a.noteref::after { display: none !important; }';
            document.head.append(off);
            const without = heights();
            off.remove();
            const small = [];
            for (const a of refs) {
              a.scrollIntoView({block: 'center'});
              const r = a.getBoundingClientRect();
              const [x, y] = [r.left + r.width / 2, r.top + r.height / 2];
              for (const [dx, dy] of [[-11, 0], [11, 0], [0, -11], [0, 11], [-11, -11], [11, 11]]) {
                const hit = document.elementFromPoint(x + dx, y + dy);
                if (!hit || !hit.closest('a.noteref')) { small.push(`${a.id} at ${dx},${dy}`); break; }
              }
            }
            return {count: refs.length, same: JSON.stringify(before) === JSON.stringify(without), small};
        }""")
        assert result["same"], f"{document.name}: the note marks' targets change the height of lines"
        # A neighbouring mark may take the point instead ("word¹²"): that is still a mark.
        assert result["small"] == [], f"{document.name}: targets smaller than 24 x 24 px: {result['small']}"
        checked += result["count"]
    assert checked > 0


@pytest.mark.parametrize("width", [280, 360, 480])
def test_a_backlink_never_stands_alone_on_a_line(page, books, width):
    page.set_viewport_size({"width": width, "height": VIEWPORT["height"]})
    try:
        for folder in books.values():
            show(page, folder / "endnotes.xhtml", "foliate")
            alone = page.evaluate("""() => {
                const alone = [];
                for (const a of document.querySelectorAll('a.backlink')) {
                  const p = a.parentElement;
                  const range = document.createRange();
                  range.selectNodeContents(p);
                  range.setEndBefore(a);
                  const words = range.getClientRects();
                  if (!range.toString().trim()) continue;  // a paragraph of its own, after a list
                  const last = [...words].filter((r) => r.width > 0).slice(-1)[0];
                  const arrow = a.getBoundingClientRect();
                  if (!last || Math.abs(last.bottom - arrow.bottom) > arrow.height) alone.push(p.closest('li').id);
                }
                return alone;
            }""")
            assert alone == [], f"backlinks alone on a line at {width} px: {alone}"
    finally:
        page.set_viewport_size(VIEWPORT)


# --- screenshots --------------------------------------------------------------------


def test_screenshots_of_the_cover_a_text_opening_and_a_pop_up_note(page, books, tmp_path):
    """Three views, as a reader sees them (written to $EDITION_SCREENSHOTS
    when it is set, for the README)."""
    from PIL import Image, ImageStat

    sample = books["sample"]
    out = Path(os.environ.get("EDITION_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    opening = next(path for path in text_documents(sample) if 'class="noteref' in path.read_text(encoding="utf-8"))
    shots = {}

    show(page, sample / "cover.xhtml", "")
    shots["cover"] = out / "cover.png"
    page.screenshot(path=shots["cover"])

    show(page, opening, "readium")
    shots["opening"] = out / "text-opening.png"
    page.screenshot(path=shots["opening"])

    # A pop-up as reading systems show a note (Apple Books, Thorium, Foliate):
    # the endnote's own content in a box over the page, here in dark mode.
    show(page, opening, "foliate")
    href = page.evaluate("document.querySelector('a.noteref').getAttribute('href')")
    file, fragment = href.split("#")
    notes = etree.parse(str(sample / file))
    item = notes.find(f".//{{http://www.w3.org/1999/xhtml}}li[@id='{fragment}']")
    note = page.evaluate("""(xml) => {
        document.querySelector('a.noteref').scrollIntoView({block: 'center'});
        const li = new DOMParser().parseFromString(xml, 'application/xhtml+xml').documentElement;
        const box = document.createElement('aside');
        box.setAttribute('style', 'position: fixed; left: 5%; right: 5%; bottom: 4%; padding: 0.75em 1em; '
          + 'background: #1e1e1e; border: 1px solid #888; border-radius: 6px; font-size: 0.9em; z-index: 9');
        for (const child of li.childNodes) box.append(document.importNode(child, true));
        document.body.append(box);
        return box.textContent.trim();
    }""", etree.tostring(item, encoding="unicode"))
    assert note
    shots["note"] = out / "pop-up-note.png"
    page.screenshot(path=shots["note"])

    for name, path in shots.items():
        with Image.open(path) as image:
            assert image.size == (VIEWPORT["width"], VIEWPORT["height"]), name
            assert max(ImageStat.Stat(image.convert("L")).stddev) > 10, f"{name} is blank"
            small = image.convert("RGB").quantize(colors=48, dither=Image.Dither.NONE)
        small.save(path, optimize=True)  # small files for the README


def test_fill_is_markups_own_formatting():
    """`render.fill` gives what `Markup(template) % values` gives."""
    from markupsafe import Markup

    from edition.render import fill

    values = ["plain", "a & b", "<i>x</i>", "it's \"so\"", Markup("<b>safe</b>"), 7, "", "ünï – ’"]
    for first in values:
        for second in values:
            template = '<a id="%s">%s</a>' if not isinstance(second, int) else '<a id="%s">%d</a>'
            assert fill(template, first, second) == Markup(template) % (first, second)
            assert type(fill(template, first, second)) is Markup
