"""Stage 0 for saved pages, the HTML reader: an archive page -> lines with hints.

A page is read with lxml.html into the lines a reader would get by copying it out of a browser
(block elements become paragraphs separated by a blank line, <br> a line break, <hr> an extra
blank line, no-break spaces kept, images and scripts dropped), so that the text pipeline treats
a page and its copied text alike. Each line also carries a hint of what the markup says it is,
which the later stages use where plain text can only guess:

- "h1" … "h6": a heading; "title": MIA's p.title (a collection's or book's heading);
- "info": MIA's and ETOL's information block (p.information, p.info, span.info …);
- "nav": navigation (p.toplink, p.footer, nav, MediaWiki's tools), dropped;
- "quote": inside <blockquote>; "verse": <pre> or a verse/poem class (line breaks kept);
- "notes-heading": a heading over the notes; "note": a note (an element with a note anchor).

Phrases in <em>, <i> or <cite> are remembered with their line and set in italics when the
paragraph is written (see markdown.emphasize); a copied text has no italics.

A note link written as a bare number (`<sup><a href="#n1">1</a></sup>`), which a copied text
shows glued to the word, is read as the marker "[1]".

MediaWiki pages (Wikipedia, Wikisource, wiki mirrors) are read from their content element, with
the edit links, contents box and navigation boxes left out; their references list becomes a
notes section ("[1] …").
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from .base import Line
from .lines import collapse_spaces
from .notes import NOTES_HEADING

BLOCK_TAGS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "dl", "dt", "dd",
    "pre", "table", "thead", "tbody", "tfoot", "tr", "address", "center", "section", "article", "header",
    "footer", "nav", "aside", "form", "fieldset", "figure", "figcaption", "main", "body", "caption",
    "hgroup", "details", "summary", "noscript", "legend",
}
SKIPPED_TAGS = {"script", "style", "head", "title", "noscript", "template", "select", "option", "button",
                "input", "textarea", "iframe", "svg", "img", "map", "object", "embed", "audio", "video", "link",
                "meta"}
NAV_CLASSES = {"toplink", "footer", "skip", "link", "links", "navigation", "nav", "navbar", "breadcrumb",
               "breadcrumbs", "menu", "sidebar", "printfooter", "catlinks", "mw-jump-link", "noprint",
               "navbox", "vertical-navbox", "mw-editsection", "toc", "sharedaddy", "share", "widget",
               "site-header", "site-footer", "footnav", "mw-indicators"}
INFO_CLASSES = {"information", "info", "infotop", "infobot", "source", "credits"}
VERSE_CLASSES = {"verse", "poem", "poetry", "lyrics"}
NOTE_ANCHOR = re.compile(r"^(?:n|fn|note|footnote|endnote|ftn|cite_note-)?\d{1,3}(?:\*|s|a|t)?$", re.IGNORECASE)


BARE_MARK = re.compile(r"(\d{1,3}\*?)")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode_html(data: bytes) -> str:
    """UTF-8 if the bytes are UTF-8, else the page's declared charset (ISO-8859-1 read as Windows-1252)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = re.search(rb"charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", data[:4096])
    encoding = declared.group(1).decode("ascii").lower() if declared else "windows-1252"
    if encoding in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"):
        encoding = "windows-1252"
    try:
        return data.decode(encoding, errors="replace")
    except LookupError:
        return data.decode("windows-1252", errors="replace")


def is_mediawiki(root) -> bool:
    generator = root.xpath("//meta[@name='generator']/@content")
    return bool(root.xpath("//*[contains(concat(' ', @class, ' '), ' mw-parser-output ')]")) or \
        any("MediaWiki" in g for g in generator)


def read_html(text: str) -> tuple[list[Line], dict[str, str]]:
    """The page's lines, as a browser copy gives them, with hints (see the module docstring), and
    its meta data ({"author": …} from <meta name="author">)."""
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    text = CONTROL.sub("", text)
    if not text.strip():
        return [], {}
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return [], {}
    meta = {}
    for element in root.xpath("//meta[@name][@content]"):
        name = element.get("name").strip().lower()
        if name == "author" and element.get("content").strip():
            meta["author"] = " ".join(element.get("content").split())
    if is_mediawiki(root):
        return _Writer().run(_mediawiki_body(root)), meta
    body = root.find("body")
    return _Writer().run(body if body is not None else root), meta


def _classes(element) -> set[str]:
    return set((element.get("class") or "").lower().split())


def _mediawiki_body(root):
    """A MediaWiki page's content with its title on top and its references as a notes section."""
    content = root.xpath("//*[contains(concat(' ', @class, ' '), ' mw-parser-output ')]")
    content = content[0] if content else (root.xpath("//*[@id='mw-content-text']") or [root.find("body")])[0]
    title = root.xpath("//*[@id='firstHeading']")
    page = lxml.html.fromstring("<div></div>")
    if title:
        heading = lxml.html.fromstring("<h1></h1>")
        heading.text = title[0].text_content().strip()
        page.append(heading)
    for junk in content.xpath(".//*[contains(concat(' ', @class, ' '), ' mw-editsection ')"
                              " or @id='toc' or contains(concat(' ', @class, ' '), ' toc ')"
                              " or contains(concat(' ', @class, ' '), ' navbox ')"
                              " or contains(concat(' ', @class, ' '), ' noprint ')"
                              " or contains(concat(' ', @class, ' '), ' mw-empty-elt ')]"):
        junk.drop_tree()
    for references in content.xpath(".//ol[contains(concat(' ', @class, ' '), ' references ')]"):
        notes = lxml.html.fromstring("<div class='mw-notes'></div>")
        for number, item in enumerate(references.findall("li"), start=1):
            for backlink in item.xpath(".//*[contains(concat(' ', @class, ' '), ' mw-cite-backlink ')]"):
                backlink.drop_tree()
            paragraph = lxml.html.fromstring("<p class='note'></p>")
            paragraph.text = f"[{number}] " + collapse_spaces(" ".join(item.text_content().split()))
            notes.append(paragraph)
        references.addprevious(notes)
        references.drop_tree()
    for marker in content.xpath(".//sup[contains(concat(' ', @class, ' '), ' reference ')]"):
        label = re.sub(r"\s+", "", marker.text_content())
        marker.clear()
        marker.text = label
    page.append(content)
    return page


class _Writer:
    """Walks the tree and writes lines: text gathered per block, hints from the ancestors."""

    def __init__(self):
        self.lines: list[Line] = []
        self.current = ""        # text of the line being written
        self.current_no = 0      # its source line
        self.hint = ""
        self.pending_blank = 0   # blank lines owed before the next text
        self.italics: list[str] = []  # phrases in italics on the current line
        self.in_italics = False

    def run(self, root) -> list[Line]:
        self._walk(root, "", False)
        self._flush()
        return self.lines

    # -- writing
    def _flush(self) -> None:
        text = self.current.strip()
        if text:
            if self.lines and self.pending_blank:
                for _ in range(self.pending_blank):
                    self.lines.append(Line(self.current_no, "", 0))
            self.lines.append(Line(self.current_no, collapse_spaces(text), 0, self.hint, tuple(self.italics)))
            self.pending_blank = 0
        self.current = ""
        self.italics = []

    def _break_block(self, blank: int = 1) -> None:
        self._flush()
        self.pending_blank = max(self.pending_blank, blank)

    def _text(self, text: str, element, hint: str, pre: bool) -> None:
        if not text:
            return
        if not pre:
            text = re.sub(r"[ \t\r\n\f]+", " ", text)
            if not self.current.strip():
                text = text.lstrip(" ")
        if not self.current.strip():
            self.current_no = element.sourceline or self.current_no
            self.hint = hint
        if pre and "\n" in text:
            first, *rest = text.split("\n")
            self.current += first
            for piece in rest:
                self._flush()
                self.current_no = (self.current_no or 0) + 1
                self.current = piece
                self.hint = hint
            return
        self.current += text

    # -- walking
    def _walk(self, element, hint: str, pre: bool) -> None:
        if not isinstance(element.tag, str):  # comments, processing instructions
            return
        tag = element.tag.lower()
        if tag in SKIPPED_TAGS:
            return
        classes = _classes(element)
        hint = self._hint_for(element, tag, classes, hint)
        pre = pre or tag == "pre" or bool(classes & VERSE_CLASSES)
        block = tag in BLOCK_TAGS
        if tag == "br":
            self._flush()
            self.hint = hint
            return
        if tag == "hr":
            self._break_block(2)
            return
        if block:
            self._break_block()
        if tag == "a" and (element.get("href") or "").startswith("#"):
            number = BARE_MARK.fullmatch(element.text_content().strip())
            if number and self.current.strip():  # a note link written as a bare number: "word<sup>1</sup>"
                self._text(f"[{number[1]}]", element, hint, pre)
                return
        italic = tag in ("em", "i", "cite") and not self.in_italics
        if italic:
            self.in_italics = True
            start, lines_before = len(self.current), len(self.lines)
        self._text(element.text or "", element, hint, pre)
        for child in element:
            self._walk(child, hint, pre)
            if child.tail:
                self._text(child.tail, child, hint, pre)
        if italic:
            self.in_italics = False
            phrase = collapse_spaces(self.current[start:]).strip() if len(self.lines) == lines_before else ""
            if phrase and re.search(r"\w", phrase):
                self.italics.append(phrase)
        if block:
            self._break_block()

    @staticmethod
    def _hint_for(element, tag: str, classes: set[str], inherited: str) -> str:
        if inherited == "nav":
            return "nav"
        if tag == "nav" or classes & NAV_CLASSES or (element.get("id") or "").lower() in NAV_CLASSES:
            return "nav"
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            text = " ".join(element.text_content().split())
            if NOTES_HEADING.match(text):
                return "notes-heading"
            return "title" if "title" in classes else tag
        if tag in ("p", "div", "li") and inherited not in ("quote", "verse"):
            anchors = element.xpath("./a[@name] | ./a[@id] | ./span/a[@name] | ./sup/a[@name]")
            first_text = (element.text or "").strip()
            if anchors and not first_text and NOTE_ANCHOR.match(anchors[0].get("name") or anchors[0].get("id") or "") \
                    and element.index(anchors[0] if anchors[0].getparent() is element else anchors[0].getparent()) == 0:
                return "note"
        if classes & INFO_CLASSES and tag in ("p", "div", "span"):
            return "info" if tag != "span" or inherited in ("", "info") else inherited
        if classes & {"note", "mw-notes"} and tag in ("p", "div"):
            return "note"
        if tag == "p" and "title" in classes:
            return "title"
        if tag == "blockquote":
            return "quote"
        if tag == "pre" or classes & VERSE_CLASSES:
            return "verse"
        if tag in ("p", "div", "li"):
            return inherited if inherited in ("quote", "verse", "note") else ""
        return inherited
