"""Makes docs/page-match.png: one passage in the EPUB and on its page of the PDF.

    python docs/page_match.py build/degenerated-workers-state.epub build/degenerated-workers-state.pdf \
        --page 5 --output docs/page-match.png

Left: the XHTML file of the EPUB that holds the page-break marker of print
page N, laid out by headless Chromium (Debian's, driven by Playwright, as
tests/test_rendering.py does) with the book's own style sheet. A style sheet
injected for the picture shows the marker as a small boxed folio, where a
reading system that shows print pages would show it, and the first words
after it are highlighted. Right: page N of the PDF, drawn by pdftoppm, with
the same words highlighted where pdfplumber finds them on the page. No GUI
reading system runs here (Thorium Reader cannot), so the left half is not a
screenshot of one: it is the book's own page as a browser engine lays it out.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pdfplumber
import pypdf
from PIL import Image, ImageDraw, ImageFont

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tests import engines  # noqa: E402  (the Chromium the tests use, and its flags)

FONT = REPO / "styles" / "fonts" / "EBGaramond12-Regular.otf"
VIEWPORT = {"width": 440, "height": 620}
HEIGHT = 620  # both halves are scaled to this height
YELLOW = (255, 226, 90)
WORDS = 9  # how many words after the marker are highlighted

SHOW_MARKER = """
[role="doc-pagebreak"]::before {
  content: attr(aria-label); font: 11px/1 sans-serif; color: #333; border: 1px solid #888;
  border-radius: 3px; padding: 1px 3px; margin: 0 3px; vertical-align: 2px;
}
::highlight(passage) { background-color: rgb(255, 226, 90); }
body { margin: 0 28px; }
"""
HIGHLIGHT_JS = """([id, words]) => {
  const marker = document.getElementById(id);
  marker.scrollIntoView({block: 'center'});
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  walker.currentNode = marker;
  const range = document.createRange();
  range.setStartAfter(marker);
  let count = 0, node;
  while ((node = walker.nextNode())) {
    const found = [...node.textContent.matchAll(/\\S+/g)];
    if (count + found.length >= words) {
      const last = found[words - count - 1];
      range.setEnd(node, last.index + last[0].length);
      break;
    }
    count += found.length;
  }
  CSS.highlights.set('passage', new Highlight(range));
  return range.toString();
}"""


def epub_half(epub: Path, label: str, folder: Path) -> tuple[Image.Image, str]:
    """The screenshot and the highlighted words."""
    from playwright.sync_api import sync_playwright

    with zipfile.ZipFile(epub) as book:
        book.extractall(folder)
    marker = f'id="page-{label}"'
    document = next(p for p in sorted(folder.rglob("*.xhtml")) if marker in p.read_text(encoding="utf-8"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=engines.chromium_path(), args=engines.CHROMIUM_FLAGS)
        page = browser.new_page(viewport=VIEWPORT, device_scale_factor=1)
        page.goto(document.as_uri())
        page.add_style_tag(content=SHOW_MARKER)
        words = page.evaluate(HIGHLIGHT_JS, [f"page-{label}", WORDS])
        shot = folder / "epub.png"
        page.screenshot(path=str(shot))
        browser.close()
    return Image.open(shot).convert("RGB"), " ".join(words.split())


def letters(words: str) -> str:
    return "".join(c for c in words.casefold() if c.isalpha())


def pdf_half(pdf: Path, label: str, words: str, folder: Path) -> Image.Image:
    """Page `label` of the PDF with `words` highlighted."""
    index = pypdf.PdfReader(pdf).page_labels.index(label)
    dpi = 100
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-f", str(index + 1), "-l", str(index + 1),
                    str(pdf), str(folder / "pdf")], check=True)
    image = Image.open(folder / "pdf.png").convert("RGB")
    with pdfplumber.open(pdf) as document:
        found = document.pages[index].extract_words()
    wanted = letters(words)
    joined, owners = "", []
    for number, word in enumerate(found):
        for char in letters(word["text"]):
            joined += char
            owners.append(number)
    start = joined.find(wanted)
    if start < 0:
        raise SystemExit(f"the words {words!r} are not on page {label} of the PDF")
    marked = sorted(set(owners[start:start + len(wanted)]))
    layer = Image.new("RGB", image.size, (255, 255, 255))
    draw = ImageDraw.Draw(layer)
    scale = dpi / 72
    for number in marked:
        word = found[number]
        draw.rectangle([word["x0"] * scale - 1, word["top"] * scale - 1, word["x1"] * scale + 1,
                        word["bottom"] * scale + 2], fill=YELLOW)
    return Image.composite(image, layer, image.convert("L").point(lambda v: 255 if v < 250 else 0))


def framed(image: Image.Image) -> Image.Image:
    image = image.resize((round(image.width * HEIGHT / image.height), HEIGHT), Image.LANCZOS)
    out = Image.new("RGB", (image.width + 2, image.height + 2), (150, 150, 150))
    out.paste(image, (1, 1))
    return out


def compose(left: Image.Image, right: Image.Image, captions: tuple[str, str]) -> Image.Image:
    left, right = framed(left), framed(right)
    gap, top, margin = 30, 44, 16
    width = margin * 2 + left.width + gap + right.width
    out = Image.new("RGB", (width, top + HEIGHT + 2 + margin), (255, 255, 255))
    out.paste(left, (margin, top))
    out.paste(right, (margin + left.width + gap, top))
    font = ImageFont.truetype(str(FONT), 17)
    draw = ImageDraw.Draw(out)
    draw.text((margin, 12), captions[0], font=font, fill=(0, 0, 0))
    draw.text((margin + left.width + gap, 12), captions[1], font=font, fill=(0, 0, 0))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("epub", type=Path)
    parser.add_argument("pdf", type=Path)
    parser.add_argument("--page", default="5", help="the print page (its folio)")
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "page-match.png")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        left, words = epub_half(args.epub, args.page, Path(folder))
        right = pdf_half(args.pdf, args.page, words, Path(folder))
        picture = compose(left, right, (f"EPUB in Chromium: the marker of print page {args.page}",
                                        f"PDF (pdftoppm): page {args.page}"))
    picture.quantize(colors=64).save(args.output, optimize=True)
    print(f"wrote {args.output} ({args.output.stat().st_size // 1024} KiB): “{words} …”")
    return 0


if __name__ == "__main__":
    sys.exit(main())
