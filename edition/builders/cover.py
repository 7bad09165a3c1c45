"""A plain typographic cover for editions whose manifest names no image.

The cover is drawn with Pillow from the title, subtitle and editor, set in the
bundled EB Garamond (SIL Open Font License). Nothing depends on the clock or
on the machine's fonts, so the same edition always gives the same JPEG.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import astuple, dataclass
from pathlib import Path

from ..errors import BuildFailed
from .. import usercache

WIDTH, HEIGHT = 1600, 2560
MARGIN = 170
PAPER = (244, 239, 228)
INK = (28, 26, 24)
ACCENT = (122, 30, 30)
REGULAR = "EBGaramond12-Regular.otf"
ITALIC = "EBGaramond12-Italic.otf"
FONT_FILES = (REGULAR, ITALIC)


@dataclass(frozen=True)
class CoverText:
    title: str
    subtitle: str = ""
    editor: str = ""
    publisher: str = ""


def draw_cover(text: CoverText, fonts_dir: Path) -> bytes:
    """The cover as a 1600×2560 baseline JPEG; drawn once, then taken from
    the user's cache (usercache.py) for the same words, typefaces and drawing
    code (drawing and compressing it costs more than a small book's pages)."""
    regular, italic = (fonts_dir / REGULAR, fonts_dir / ITALIC)
    for font in (regular, italic):
        if not font.is_file():
            raise BuildFailed(f"{font}: the cover's typeface is missing")
    key = hashlib.sha256(Path(__file__).read_bytes())
    for part in (*astuple(text), regular.read_bytes(), italic.read_bytes()):
        key.update(b"\0" + (part.encode() if isinstance(part, str) else part))
    name = f"{key.hexdigest()}.jpg"
    cached = usercache.read("covers", name)
    if cached and cached.startswith(b"\xff\xd8"):  # a JPEG; anything else is drawn again
        return cached
    data = _draw(text, regular, italic)
    usercache.write("covers", name, data)
    return data


def _draw(text: CoverText, regular: Path, italic: Path) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    measure = WIDTH - 2 * MARGIN
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)

    # A frame of two rules, then the title in the upper half, the subtitle
    # under a short rule, the editor and publisher at the foot.
    draw.rectangle((80, 80, WIDTH - 81, HEIGHT - 81), outline=ACCENT, width=6)
    draw.rectangle((104, 104, WIDTH - 105, HEIGHT - 105), outline=ACCENT, width=2)

    text = CoverText(*(_curly(words) for words in (text.title, text.subtitle, text.editor, text.publisher)))
    title_font = _fitting_font(regular, text.title, measure, sizes=(176, 160, 144, 128, 112, 100), max_lines=4)
    y = _draw_block(draw, text.title, title_font, measure, top=520, leading=1.12)
    if text.subtitle:
        y += 70
        draw.line((WIDTH / 2 - 120, y, WIDTH / 2 + 120, y), fill=ACCENT, width=4)
        y += 90
        _draw_block(draw, text.subtitle, ImageFont.truetype(str(italic), 84), measure, top=y, leading=1.2)
    foot = HEIGHT - 330
    if text.publisher:
        _draw_block(draw, text.publisher, ImageFont.truetype(str(regular), 56), measure, top=foot + 120,
                    leading=1.2)
    if text.editor:
        _draw_block(draw, f"Edited by {text.editor}", ImageFont.truetype(str(regular), 76), measure,
                    top=foot - 40, leading=1.2)

    out = io.BytesIO()
    image.save(out, "JPEG", quality=88, optimize=True, progressive=False, dpi=(300, 300))
    return out.getvalue()


def _curly(words: str) -> str:
    """Typewriter apostrophes and quotes made typographic, for display only."""
    words = re.sub(r"(?<=\w)'", "’", words)
    words = re.sub(r"'(?=\w)", "‘", words)
    words = re.sub(r'"(?=\w)', "“", words)
    return words.replace('"', "”").replace("'", "’")


def _fitting_font(path: Path, words: str, measure: int, sizes, max_lines: int):
    from PIL import ImageFont

    for size in sizes:
        font = ImageFont.truetype(str(path), size)
        if len(balanced_lines(words, font, measure)) <= max_lines:
            return font
    return ImageFont.truetype(str(path), sizes[-1])


def _draw_block(draw: ImageDraw.ImageDraw, words: str, font, measure: int, top: float, leading: float) -> float:
    """Draws `words` centred in balanced lines from `top`; returns the bottom."""
    size = font.size
    y = top
    for line in balanced_lines(words, font, measure):
        width = font.getlength(line)
        draw.text(((WIDTH - width) / 2, y), line, font=font, fill=INK)
        y += size * leading
    return y


def balanced_lines(words: str, font, measure: int) -> list[str]:
    """Lines of at most `measure` pixels, as even in length as the fewest lines allow."""
    lines = _greedy(words.split(), font, measure)
    if len(lines) < 2:
        return lines
    low, high = 1, measure  # the narrowest measure that needs no more lines
    while low < high:
        middle = (low + high) // 2
        if len(_greedy(words.split(), font, middle)) <= len(lines):
            high = middle
        else:
            low = middle + 1
    return _greedy(words.split(), font, high)


def _greedy(words: list[str], font, measure: int) -> list[str]:
    lines: list[str] = []
    for word in words:
        if lines and font.getlength(f"{lines[-1]} {word}") <= measure:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines
