"""Hostile and broken input, as editors meet it: projects sent by others,
text pasted from PDFs and word processors, style sheets that reach out.

Each case writes a small project, runs one command in-process and asserts:
the exit status; the file and line of the message; that the previous outputs
are byte-identical after a failure; that nothing outside the project was
opened (a sentinel file, watched by an audit hook); that no connection was
made (a loopback server records every hit, and the audit hook every
connect); and, where the edition builds, that markup is escaped.
"""

from __future__ import annotations

import http.server
import os
import sys
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from edition.cli import main

from .helpers import TEXT

SENTINEL = "SENTINEL-e1f3a9-DO-NOT-PUBLISH"
PREVIOUS = b"the previous output, which a failed build must leave alone"

MANIFEST = """\
edition:
  title: Test Edition
  language: en
  identifier: urn:uuid:00000000-0000-4000-8000-000000000009
  date: 2026-01-01
{edition}texts:
{texts}"""
ONE = "  - file: texts/one.md\n"
FRONT = TEXT  # a text with its front matter, "{body}" to fill in
BODY = "Some words in a paragraph.\n\nAnother paragraph, once and forever.\n"


def manifest(edition: str = "", texts: str = ONE) -> str:
    return MANIFEST.format(edition=edition, texts=texts)


def text(body: str = BODY, **front) -> str:
    source = FRONT.format(body=body)
    for key, value in front.items():
        lines = source.split("\n")
        lines = [f"{key}: {value}" if line.startswith(f"{key}:") else line for line in lines]
        source = "\n".join(lines)
    return source


# --- what the cases watch: files opened outside the project, connections -------------


class Watch:
    """Records, through an audit hook, every file opened under the sentinel
    folder and every socket connection while `active`."""

    def __init__(self):
        self.active = False
        self.outside: Path | None = None
        self.opened: list[str] = []
        self.connections: list[str] = []
        sys.addaudithook(self.hook)

    def hook(self, event, args):
        if not self.active:
            return
        if event == "open" and self.outside is not None and isinstance(args[0], (str, bytes, os.PathLike)):
            name = os.path.realpath(os.fsdecode(args[0]))  # through links too
            if name.startswith(str(self.outside)):
                self.opened.append(name)
        elif event == "socket.connect":
            self.connections.append(repr(args[1]))


WATCH = Watch()


class Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):
        Recorder.hits.append(self.path)
        body = f"body {{ color: red }} /* {SENTINEL} */".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.HTTPServer(("127.0.0.1", 0), Recorder)  # loopback only
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


# --- the cases ------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    files: dict  # path in the project -> text or bytes; {outside} {url} {sentinel} are filled in
    where: str  # "FILE:LINE" of the (first) expected message, or "" when none is expected
    says: str = ""  # words the message contains
    command: str = "check"  # check, epub or pdf
    code: int = 1
    links: dict = field(default_factory=dict)  # path in the project -> target ({outside} filled in)
    messages: int = 0  # when set: exactly this many problems


def project(manifest_text=None, one=None, **files):
    out = {"manifest.yaml": manifest() if manifest_text is None else manifest_text,
           "texts/one.md": text() if one is None else one}
    out.update({name.replace("__", "/").replace("_DOT_", "."): value for name, value in files.items()})
    return out


DEEP_QUOTE = "> " * 30 + "deep words\n"
DEEP_LIST = "".join("  " * i + "- item\n" for i in range(30))
LAUGHS = manifest(edition="  description: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                  + "".join(f"  rights{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n"
                            for i in range(1, 9)))
PRINT_CSS_HEAD = "@page { size: A5 }\n"

CASES = [
    # --- reads outside the project --------------------------------------------------
    Case("text-absolute-path", project(manifest(texts="  - file: {outside}/secret.md\n")),
         "manifest.yaml:7", "absolute path"),
    Case("text-climbs-out", project(manifest(texts="  - file: ../outside/secret.md\n")),
         "manifest.yaml:7", "climbs out of the project"),
    Case("text-symlink-out", project(manifest(texts="  - file: texts/link.md\n")),
         "manifest.yaml:7", "link to a file outside", links={"texts/link.md": "{outside}/secret.md"}),
    Case("text-symlinked-folder", project(manifest(texts="  - file: texts/away/secret.md\n")),
         "manifest.yaml:7", "outside the project", links={"texts/away": "{outside}"}),
    Case("text-url", project(manifest(texts="  - file: {url}/secret.md\n")), "manifest.yaml:7", "is a URL"),
    Case("text-file-url", project(manifest(texts="  - file: file://{outside}/secret.md\n")),
         "manifest.yaml:7", "is a URL"),
    Case("front-climbs-out", project(manifest(texts=ONE) + "front:\n  - file: ../outside/secret.md\n"),
         "manifest.yaml:9", "climbs out"),
    Case("text-symlink-out-build", project(manifest(texts="  - file: texts/link.md\n")),
         "manifest.yaml:7", "outside", command="epub", links={"texts/link.md": "{outside}/secret.md"}),
    Case("cover-absolute", project(manifest(edition="  cover: {outside}/cover.jpg\n")),
         "manifest.yaml:6", "absolute path", command="epub"),
    Case("cover-climbs-out", project(manifest(edition="  cover: ../outside/cover.jpg\n")),
         "manifest.yaml:6", "climbs out", command="epub"),
    Case("cover-symlink", project(manifest(edition="  cover: art/cover.jpg\n")),
         "manifest.yaml:6", "link to a file outside", command="epub", links={"art/cover.jpg": "{outside}/cover.jpg"}),
    Case("relative-link-in-text", project(one=text("See [the secret](../outside/secret.md).\n")),
         "texts/one.md:8", "a text may link only to web addresses"),
    Case("file-link-in-note", project(manifest(texts=ONE + "    notes:\n      - at: Some words\n"
                                               "        note: \"[x](/etc/passwd)\"\n")),
         "manifest.yaml:10", "a text may link only to web addresses"),
    Case("print-css-symlinked", project(), "styles/print.css:1", "link to a file outside",
         links={"styles/print.css": "{outside}/f.otf"}),
    Case("template-symlinked", project(), "", "outside its folder", command="epub",
         links={"styles/templates/epub/titlepage.xhtml.j2": "{outside}/secret.md"}),
    Case("template-runs-code", project(**{"styles__templates__epub__titlepage_DOT_xhtml_DOT_j2":
                                          "<p>\n{{{{ cycler.__init__.__globals__.os.system("
                                          "'cat {outside}/secret.md') }}}}</p>\n"}),
         "styles/templates/epub/titlepage.xhtml.j2:2", "the template may not do this", command="epub"),
    Case("template-syntax-error", project(**{"styles__templates__epub__titlepage_DOT_xhtml_DOT_j2":
                                             "<p>\n\n{{% if %}}</p>\n"}),
         "styles/templates/epub/titlepage.xhtml.j2:3", "error in the template", command="epub"),
    Case("inline-note", project(one=text("Words.\n\nMore ^[an inline note] words.\n")), "texts/one.md:10:6",
         "an inline note", messages=1),
    Case("inline-note-found-by-hypothesis", project(one=text("^[^1]\n")), "texts/one.md:8", "an inline note"),
    Case("image-in-text", project(one=text("A picture: ![x]({outside}/cover.jpg)\n")),
         "texts/one.md:8", "images are not supported"),
    Case("print-import-http", project(styles__print_DOT_css=PRINT_CSS_HEAD + "@import url({url}/x.css);\n"),
         "styles/print.css:2", "network"),
    Case("print-import-string", project(styles__print_DOT_css="@import \"{url}/x.css\";\n"),
         "styles/print.css:1", "network"),
    Case("print-background-http", project(styles__print_DOT_css="body {{ background: url({url}/bg.png) }}\n"),
         "styles/print.css:1", "network"),
    Case("print-font-face-file", project(
        styles__print_DOT_css="@font-face {{\n  font-family: X;\n  src: url(file://{outside}/secret.md);\n}}\n"),
         "styles/print.css:3", "file: URLs are refused"),
    Case("print-background-file", project(
        styles__print_DOT_css="body {{ background: url('file://{outside}/cover.jpg') }}\n"),
         "styles/print.css:1", "file: URLs are refused"),
    Case("print-relative-escape", project(
        styles__print_DOT_css="p {{ background: url(../../outside/cover.jpg) }}\n"),
         "styles/print.css:1", "climbs out"),
    Case("print-absolute-url-path", project(styles__print_DOT_css="p {{ background: url({outside}/cover.jpg) }}\n"),
         "styles/print.css:1", "absolute path"),
    Case("print-missing-font", project(
        styles__print_DOT_css="@font-face {{ font-family: X; src: url(fonts/missing.otf) }}\n"),
         "styles/print.css:1", "no such file"),
    Case("print-symlinked-font", project(
        styles__print_DOT_css="@font-face {{ font-family: X; src: url(fonts/linked.otf) }}\n"),
         "styles/print.css:1", "outside the project", links={"styles/fonts/linked.otf": "{outside}/secret.md"}),
    Case("print-nested-import", project(styles__print_DOT_css="@import url(more.css);\n",
                                        styles__more_DOT_css="\n\n@import url({url}/y.css);\n"),
         "styles/more.css:3", "network"),
    Case("print-protocol-relative", project(styles__print_DOT_css="p {{ background: url(//127.0.0.1:9/x.png) }}\n"),
         "styles/print.css:1", "network"),
    Case("epub-background-http", project(styles__epub_DOT_css="p {{ background: url({url}/bg.png) }}\n"),
         "styles/epub.css:1", "network"),
    Case("epub-font-file", project(
        styles__epub_DOT_css="@font-face {{ font-family: X; src: url(\"file://{outside}/f.otf\") }}\n"),
         "styles/epub.css:1", "file: URLs are refused"),
    Case("epub-import", project(styles__epub_DOT_css="@import url(other.css);\n", styles__other_DOT_css="p {{}}\n"),
         "styles/epub.css:1", "@import in the EPUB"),
    Case("epub-outside-folder", project(styles__epub_DOT_css="p {{ background: url(../art/x.png) }}\n",
                                        art__x_DOT_png=b"\x89PNG\r\n\x1a\n"),
         "styles/epub.css:1", "only files in the style sheet's folder"),
    Case("epub-not-a-font", project(styles__epub_DOT_css="p {{ background: url(notes.txt) }}\n",
                                    styles__notes_DOT_txt="words"),
         "styles/epub.css:1", "not a font or an image"),
    Case("epub-remote-build", project(styles__epub_DOT_css="p {{ background: url({url}/bg.png) }}\n"),
         "styles/epub.css:1", "network", command="epub"),
    Case("pdf-import-http-build", project(
        styles__print_DOT_css="@import url({url}/x.css);\n"), "styles/print.css:1", "network", command="pdf"),
    # --- tracebacks and hangs ---------------------------------------------------------
    Case("billion-laughs", project(LAUGHS), "manifest.yaml:6", "anchor"),
    Case("alias-in-manifest", project(manifest(edition="  subtitle: &s Sub\n  description: *s\n")),
         "manifest.yaml:6", "anchor"),
    Case("alias-in-front-matter", project(one=text().replace("source: Somewhere", "source: &s Somewhere\n"
                                                             "transcription: *s")),
         "texts/one.md:5", "anchor"),
    Case("yaml-flow-5000-deep", project(manifest(edition="  keywords: " + "[" * 5000 + "]" * 5000 + "\n")),
         "manifest.yaml:6", "nested more than 50 levels"),
    Case("yaml-block-deep", project(manifest(edition="  keywords:\n" + "".join(
        "  " * (i + 2) + "-\n" for i in range(80)))), "manifest.yaml:", "nested more than 50 levels"),
    Case("front-matter-deep", project(one=text().replace("source: Somewhere", "source: " + "[" * 300 + "]" * 300)),
         "texts/one.md:5", "nested more than 50 levels"),
    Case("manifest-impossible-date", project(manifest().replace("2026-01-01", "2026-02-30")),
         "manifest.yaml:5", "February 2026 has 28 days"),
    Case("version-impossible-date", project(manifest(texts=ONE) + "versions:\n  - version: '1'\n"
                                            "    date: 2025-04-31\n    changes: x\n"),
         "manifest.yaml:10", "April 2025 has 30 days"),
    Case("front-matter-impossible-date", project(one=text(date="1930-02-30")),
         "texts/one.md:4", "February 1930 has 28 days"),
    Case("front-matter-month-13", project(one=text(date="1930-13-01")), "texts/one.md:4", "ISO date"),
    Case("impossible-date-build", project(one=text(date="1930-02-30")), "texts/one.md:4", "28 days",
         command="epub"),
    Case("lone-surrogate-manifest", project(manifest().replace("title: Test Edition", 'title: "Test \\ud800"')),
         "manifest.yaml:2", "\\ud800"),
    Case("lone-surrogate-front-matter", project(one=text(title='"One \\udc00"')), "texts/one.md:2", "\\udc00"),
    Case("lone-surrogate-note", project(manifest(texts=ONE + "    notes:\n      - at: Some words\n"
                                                 '        note: "x \\ud801 y"\n')),
         "manifest.yaml:10", "\\ud801", command="epub"),
    Case("bell-escape-in-yaml", project(manifest().replace("title: Test Edition", 'title: "Test\\a"')),
         "manifest.yaml:2", "\\u0007"),
    Case("huge-word-in-text", project(one=text("Words " + "w" * 5000 + " end.\n")),
         "texts/one.md:8", "5,000 characters"),
    Case("huge-word-in-title", project(one=text(title="x" * 3000)), "texts/one.md:2", "3,000 characters"),
    Case("huge-word-in-note", project(manifest(texts=ONE + "    notes:\n      - at: Some words\n"
                                               "        note: " + "n" * 1000 + "\n")),
         "manifest.yaml:10", "1,000 characters"),
    Case("huge-word-pdf", project(one=text("A " + "z" * 5000 + "\n")), "texts/one.md:8", "5,000 characters",
         command="pdf"),
    Case("quotes-30-deep", project(one=text(DEEP_QUOTE)), "texts/one.md:8", "nested more than 24"),
    Case("list-30-deep", project(one=text(DEEP_LIST)), "texts/one.md:", "nested more than 24"),
    Case("nul-in-text", project(one=text("Some\x00words.\n")), "texts/one.md:8:5", "NUL character"),
    Case("bell-in-text", project(one=text("Ring\x07 the bell.\n")), "texts/one.md:8:5", "\\u0007"),
    Case("escape-in-text", project(one=text("A\n\nB \x1b[31mred\n")), "texts/one.md:10:3", "\\u001b"),
    Case("c1-control-in-text", project(one=text("Next\x85line.\n")), "texts/one.md:8:5", "\\u0085"),
    Case("noncharacter-in-text", project(one=text("Odd\ufffe.\n")), "texts/one.md:8:4", "\\ufffe"),
    Case("vertical-tab-in-front-matter", project(one=text(source="Some\x0bwhere")), "texts/one.md:5:13",
         "\\u000b"),
    Case("control-in-text-build", project(one=text("Form\x0cfeed.\n")), "texts/one.md:8:5", "\\u000c",
         command="epub"),
    Case("nul-in-manifest", project(manifest().replace("language: en", "language: en\x00")),
         "manifest.yaml:3:15", "NUL character"),
    Case("invalid-utf8-manifest", project(manifest().encode().replace(b"Test Edition", b"Test \xff Edition")),
         "manifest.yaml:2:15", "not valid UTF-8"),
    # --- messages -----------------------------------------------------------------------
    Case("every-problem-listed", project(manifest().replace("  language: en\n", ""),
                                         one=text().replace("source: Somewhere\n", "")),
         "texts/one.md:1", 'has no "source"', messages=2),
    Case("missing-text-did-you-mean", project(manifest(texts="  - file: texts/onee.md\n")),
         "manifest.yaml:7", 'does not exist (did you mean "texts/one.md"?)', messages=1),
    Case("misspelt-front-matter-key", project(one=text().replace("title: One", "titel: One")),
         "texts/one.md:2", 'unknown key "titel"', messages=1),
    Case("only-edition", project("edition:\n"), "manifest.yaml:1", "is empty", messages=2),
    Case("invisible-joiner-in-phrase", project(manifest(texts=ONE + "    notes:\n      - at: \"Some\\u200d words\"\n"
                                                        "        note: x\n")),
         "manifest.yaml:9", "Some\\u200d words", messages=1),
    Case("soft-hyphen-in-phrase", project(manifest(texts=ONE + "    notes:\n      - at: \"para\\u00adgraph\"\n"
                                                   "        note: x\n")),
         "manifest.yaml:9", "para\\u00adgraph", messages=1),
    Case("invisible-in-key", project(one=text().replace("title: One", "title\u200b: One")),
         "texts/one.md:2", 'unknown key "title\\u200b"', messages=1),
    Case("cover-not-an-image", project(manifest(edition="  cover: art/cover.jpg\n"), art__cover_DOT_jpg="<html>"),
         "manifest.yaml:6", "is not a JPG image"),
    Case("cover-gif", project(manifest(edition="  cover: art/cover.gif\n"), art__cover_DOT_gif="GIF89a"),
         "manifest.yaml:6", "must be a JPEG (.jpg) or PNG (.png)"),
    Case("print-css-missing", project(styles__epub_DOT_css="p {{ margin: 0 }}\n"), "styles/print.css:1",
         "print style sheet is missing"),
    Case("yaml-tab", project(manifest().replace("  language", "\tlanguage")), "manifest.yaml:3",
         "replace the tab with spaces"),
    Case("yaml-unquoted-colon", project(manifest().replace("title: Test Edition", "title: Moscow: A Letter")),
         "manifest.yaml:2", "put the whole value in quotes"),
    Case("yaml-bad-indent", project(manifest().replace("  language: en", "   language: en")),
         "manifest.yaml:3", "indented more than the line above"),
    Case("yaml-unclosed-quote", project(manifest().replace("title: Test Edition", 'title: "Test Edition')),
         "manifest.yaml:2:10", "not closed"),
    Case("yaml-unclosed-bracket", project(manifest().replace("title: Test Edition", 'title: [Test: Edition')),
         "manifest.yaml:2", "put the value in quotes"),
    Case("front-matter-tab", project(one=text().replace("author: A. Writer", "author:\tA. Writer\n\tx: y")),
         "texts/one.md:", "tab"),
    Case("text-listed-twice", project(manifest(texts=ONE + ONE)), "manifest.yaml:8", "listed twice"),
    Case("text-is-a-folder", project(manifest(texts="  - file: texts\n")), "manifest.yaml:7", "is a folder"),
    Case("print-css-syntax-error", project(styles__print_DOT_css="p {{ color: red;\n  margin: ; }}\n}}\nh1 {{\n"),
         "styles/print.css:", "warning: CSS syntax error", code=0),
    Case("epub-css-unknown-property", project(styles__epub_DOT_css="p {{\n  colour: red;\n}}\n",
                                              styles__print_DOT_css="p {{ margin: 0 }}\n"),
         "styles/epub.css:2", 'unknown property "colour" (did you mean "color"?)', code=0),
    Case("print-css-unknown-property", project(styles__print_DOT_css="p {{ text-indnet: 1em }}\n"),
         "styles/print.css:1", 'did you mean "text-indent"', code=0),
    Case("no-manifest", {"texts/one.md": text()}, "", "does not exist", code=2),
    # --- accepted, and escaped where it is markup ---------------------------------------
    Case("markup-in-title", project(one=text(title='"<script>alert(1)</script> & <b>bold</b>"')), "", code=0,
         command="epub"),
    Case("markup-in-note-and-headnote", project(manifest(texts=ONE + "    headnote: <iframe src=x></iframe> head\n"
                                                         "    notes:\n      - at: Some words\n"
                                                         "        note: <img src=x onerror=alert(1)> note\n")),
         "", code=0, command="epub"),
    Case("raw-html-in-text", project(one=text("<div onclick=x>Some words</div> & <script>y</script>\n")), "",
         code=0, command="epub"),
    Case("list-12-deep-kept", project(one=text("".join("  " * i + f"- item{i}\n" for i in range(12)))), "",
         code=0, command="epub"),
    Case("pdf-uses-a-shipped-font", project(styles__print_DOT_css="@font-face {{ font-family: G; "
                                                                  "src: url(fonts/EBGaramond12-Italic.otf) }}\n"
                                                                  "body {{ font-family: G }}\n"),
         "", code=0, command="pdf"),
    Case("epub-font-packaged", project(styles__epub_DOT_css="@font-face {{ font-family: G; "
                                                             "src: url(fonts/G.otf) }}\n",
                                       styles__fonts__G_DOT_otf=b"OTTO fake font"), "", code=0, command="epub"),
]

ARGS = {"check": ["check"], "epub": ["build", "--format", "epub", "--quiet"],
        "pdf": ["build", "--format", "pdf", "--quiet"]}


@pytest.fixture
def outside(tmp_path):
    folder = tmp_path / "outside"
    folder.mkdir()
    for name in ("secret.md", "cover.jpg", "f.otf"):
        (folder / name).write_text(text(f"{SENTINEL}\n") if name.endswith(".md") else SENTINEL)
    return folder


def fill(value, outside: Path, url: str):
    if isinstance(value, bytes):
        return value
    return value.replace("{outside}", str(outside)).replace("{url}", url).replace("{{", "{").replace("}}", "}")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input(case: Case, tmp_path, outside, server, monkeypatch, capsys):
    root = tmp_path / "project"
    for name, content in case.files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        content = fill(content, outside, server)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
    for name, target in case.links.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).symlink_to(fill(target, outside, server))
    (root / "build").mkdir(parents=True, exist_ok=True)
    previous = {root / "build" / f"test-edition{suffix}": PREVIOUS for suffix in (".epub", ".pdf")}
    for path, data in previous.items():
        path.write_bytes(data)
    monkeypatch.chdir(root)
    Recorder.hits.clear()
    WATCH.outside, WATCH.opened, WATCH.connections = outside, [], []
    WATCH.active = True
    try:
        code = main(ARGS[case.command] + ["--manifest", "manifest.yaml"])
    finally:
        WATCH.active = False
    out, err = capsys.readouterr()

    assert code == case.code, err
    lines = err.splitlines()
    if case.where:
        assert any(line.startswith(case.where) and case.says in line for line in lines), err
    elif case.says:
        assert case.says in err
    if case.messages:
        assert lines[-1] == f"{case.messages} problem{'s' if case.messages > 1 else ''} found.", err
    assert "Traceback" not in err
    assert SENTINEL not in out + err
    assert not WATCH.opened, WATCH.opened
    assert not Recorder.hits and not WATCH.connections
    outputs = sorted(p for p in (root / "build").glob("test-edition.*"))
    if code != 0:
        assert {p: p.read_bytes() for p in outputs} == previous  # untouched
    for path in outputs:
        assert SENTINEL.encode() not in _contents(path)
    if case.code == 0 and case.command == "epub":
        _assert_escaped(root / "build" / "test-edition.epub", case)
    if case.code == 0 and case.command == "pdf":  # the font the tool ships, served for the missing one
        from pypdf import PdfReader

        fonts = {str(font["/BaseFont"]) for page in PdfReader(root / "build" / "test-edition.pdf").pages
                 for font in page["/Resources"]["/Font"].values()}
        assert any(name.split("+")[-1].startswith("G-") for name in fonts), fonts  # family "G": the font loaded


def _contents(path: Path) -> bytes:
    data = path.read_bytes()
    if data[:2] == b"PK":
        with zipfile.ZipFile(path) as book:
            return b"".join(book.read(name) for name in book.namelist())
    return data


def _assert_escaped(epub: Path, case: Case) -> None:
    from lxml import etree

    with zipfile.ZipFile(epub) as book:
        pages = {name: book.read(name) for name in book.namelist() if name.endswith(".xhtml")}
        names = book.namelist()
    words = b""
    for name, page in pages.items():
        tree = etree.fromstring(page)  # well-formed XML
        for tag in ("script", "iframe", "b"):  # the tool writes none of these
            assert tree.find(f".//{{http://www.w3.org/1999/xhtml}}{tag}") is None, (name, tag)
        assert not [img for img in tree.iter("{http://www.w3.org/1999/xhtml}img") if img.get("src") == "x"]
        assert not tree.xpath("//@onclick|//@onerror")
        words += etree.tostring(tree, method="text", encoding="utf-8")
    if case.id == "markup-in-title":
        assert "<script>alert(1)</script> & <b>bold</b>".encode() in words
    if case.id == "markup-in-note-and-headnote":
        assert b"<img src=x onerror=alert(1)> note" in words and b"<iframe src=x></iframe> head" in words
    if case.id == "raw-html-in-text":
        assert b"<div onclick=x>Some words</div> & <script>y</script>" in words
    if case.id == "list-12-deep-kept":
        assert all(f"item{i}".encode() in words for i in range(12))  # never dropped
    if case.id == "epub-font-packaged":
        assert any(name.endswith("css/fonts/G.otf") for name in names)


def test_at_least_sixty_cases():
    assert len(CASES) >= 60 and len({c.id for c in CASES}) == len(CASES)


# --- the fetcher WeasyPrint gets, on its own -------------------------------------------


def test_the_pdf_fetcher_refuses_the_network_and_files_outside(tmp_path, outside, server):
    """What the style-sheet check cannot see (HTML that asks for a style sheet
    or an image) still goes through the fetcher, which refuses it."""
    from weasyprint import HTML

    from edition.confine import Refused, confined_fetcher
    from edition.errors import Location

    fetcher = confined_fetcher((tmp_path / "project",), {}, Location("styles/print.css"))
    Recorder.hits.clear()
    for html in (f'<link rel="stylesheet" href="{server}/x.css"><p>x</p>',
                 f'<img src="file://{outside}/cover.jpg">',
                 f'<link rel="stylesheet" href="file://{outside}/secret.md"><p>x</p>'):
        with pytest.raises(Refused) as refused:
            HTML(string=html, base_url=str(tmp_path) + "/", url_fetcher=fetcher).render()
        assert str(refused.value.as_error()).startswith("styles/print.css:1:1: refused to fetch ")
    assert not Recorder.hits


def test_the_pdf_fetcher_serves_the_project_and_the_shipped_fonts(tmp_path):
    from edition.confine import confined_fetcher
    from edition.errors import Location
    from edition.project import default_styles_dir

    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "a.css").write_text("p { color: red }")
    font = default_styles_dir() / "fonts" / "EBGaramond12-Regular.otf"
    fetcher = confined_fetcher((tmp_path, font.parent), {}, Location("styles/print.css"))
    assert fetcher((tmp_path / "styles" / "a.css").as_uri()).read() == b"p { color: red }"
    assert fetcher(font.as_uri()).read()[:4] == b"OTTO"


def test_a_print_import_is_refused_at_its_line_by_the_builder_itself(tmp_path, server):
    """The API path (no CLI pre-check): the PDF builder checks its style sheet first."""
    import edition
    from edition.builders import BuildOptions, build_all

    files = project(styles__print_DOT_css="p { color: black }\n@import url(" + server + "/x.css);\n")
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content)
    Recorder.hits.clear()
    with pytest.raises(edition.InvalidEdition, match=r"styles/print.css:2:1: url\(http"):
        build_all(edition.load(tmp_path / "manifest.yaml"), tmp_path / "build", ("pdf",),
                  BuildOptions(styles_dir=tmp_path / "styles"))
    assert not Recorder.hits and not (tmp_path / "build").exists()


# --- commands outside a project, mixed diffs, a missing tool, the watcher ---------------


def test_every_command_outside_a_project_says_where_it_looked(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    for command in (["check"], ["build"], ["watch"], ["diff", "HEAD", "worktree"]):
        assert main(command) == 2, command  # watch stops at once
        err = capsys.readouterr().err
        assert f"{tmp_path.resolve() / 'manifest.yaml'} does not exist" in err and "edition new DIR" in err


def test_diff_refuses_an_epub_against_a_revision(tmp_path, monkeypatch, capsys):
    (tmp_path / "old.epub").write_bytes(PREVIOUS)
    monkeypatch.chdir(tmp_path)
    assert main(["diff", "HEAD", "old.epub"]) == 2
    assert "old.epub is a built EPUB and HEAD is not" in capsys.readouterr().err


def test_diff_names_a_revision_without_a_manifest(tmp_path, monkeypatch, capsys):
    import subprocess

    root = tmp_path / "repo"
    root.mkdir()
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    (root / "README").write_text("before the edition")
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "README"], check=True)
    subprocess.run([*git, "commit", "-qm", "start"], check=True)
    for name, content in project().items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(content)
    monkeypatch.chdir(root)
    assert main(["diff", "HEAD", "worktree"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("HEAD: has no manifest.yaml") and "/tmp" not in err.replace(str(tmp_path), "")


def test_epubcheck_without_java_is_a_missing_tool_not_an_unwritable_output(tmp_path, monkeypatch, capsys):
    import edition.epubcheck

    for name, content in project().items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(edition.epubcheck.shutil, "which", lambda name: None)
    assert main(["check", "--epubcheck"]) == 4
    assert "EPUBCheck needs Java" in capsys.readouterr().err


def test_watch_survives_every_broken_edit(tmp_path):
    from edition.watch import Watcher

    for name, content in project().items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content)
    said: list[str] = []
    watcher = Watcher(tmp_path / "manifest.yaml", tmp_path / "build", ("epub",), say=said.append)
    watcher.changes()
    assert watcher.rebuild()
    good = (tmp_path / "build" / "test-edition.epub").read_bytes()
    one = tmp_path / "texts" / "one.md"
    for broken in (text(date="1930-02-30"), text(title='"\\ud800"'), text("x\x00y\n"),
                   text("> " * 40 + "deep\n"), "---\na: &x [*x]\n---\n", text("w" * 3000 + "\n")):
        one.write_text(broken, encoding="utf-8", errors="surrogatepass")
        assert watcher.poll_once() is False
        assert (tmp_path / "build" / "test-edition.epub").read_bytes() == good
    (tmp_path / "manifest.yaml").unlink()
    assert watcher.poll_once() is False  # the manifest gone: reported, still watching
    (tmp_path / "manifest.yaml").write_text(manifest())
    one.write_text(text())
    assert watcher.poll_once() is True
    assert not [line for line in said if "Traceback" in line or "bug in edition" in line]


def test_watch_survives_an_unexpected_failure(tmp_path, monkeypatch):
    import edition.watch

    for name, content in project().items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content)
    said: list[str] = []
    watcher = edition.watch.Watcher(tmp_path / "manifest.yaml", tmp_path / "build", ("epub",), say=said.append)

    def boom(*args, **kwargs):
        raise RuntimeError("something nobody foresaw")

    monkeypatch.setattr(edition.watch, "load", boom)
    assert watcher.rebuild() is False
    assert "something nobody foresaw" in said[-1] and "Watching for the next change" in said[-1]


# --- scale -----------------------------------------------------------------------------


def test_footnotes_are_located_in_linear_time(tmp_path):
    import edition

    def load_with(count: int) -> float:
        folder = tmp_path / str(count)
        body = "\n\n".join(f"Word {i}[^{i}] here." for i in range(count)) + "\n\n" + \
            "\n".join(f"[^{i}]: Note {i}." for i in range(count))
        for name, content in project(one=text(body)).items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(content)
        started = time.perf_counter()
        loaded = edition.load(folder / "manifest.yaml")
        elapsed = time.perf_counter() - started
        assert [n.number for n in loaded.texts[0].notes] == list(range(1, count + 1))
        return elapsed

    load_with(50)  # warm up
    small, large = load_with(300), load_with(2400)
    # 8 times the notes: linear takes about 8 times as long (markdown-it a little more), quadratic 64 times
    assert large < 24 * small, (small, large)


def test_a_crafted_cache_entry_cannot_run_code(tmp_path, monkeypatch, capsys):
    """A project sent by someone else may carry build/.cache: an entry that
    would run code when unpickled is a miss, and the text is parsed afresh."""
    import pickle

    from edition.cache import MAGIC, TextCache

    for name, content in project().items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content)
    cache = TextCache(tmp_path / "build" / ".cache")
    key = cache.key("texts/one.md", (tmp_path / "texts" / "one.md").read_text(), "en")
    ran = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (Path.touch, (ran,))

    cache.folder.mkdir(parents=True)
    (cache.folder / f"{key}.pickle").write_bytes(MAGIC + key.encode() + b"\n" + pickle.dumps(Payload()))
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--format", "epub", "--quiet"]) == 0
    assert not ran.exists()
    assert cache.get(key) is not None  # the entry was rewritten with the parsed text


def test_a_huge_text_is_refused_unread(tmp_path, monkeypatch, capsys):
    for name, content in project().items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content)
    os.truncate(tmp_path / "texts" / "one.md", 2**30)  # a sparse gigabyte
    monkeypatch.chdir(tmp_path)
    started = time.perf_counter()
    assert main(["check"]) == 1
    assert capsys.readouterr().err.startswith("texts/one.md:1:1: the file has 1024 MiB")
    assert time.perf_counter() - started < 5


def test_diff_does_not_unpack_a_zip_bomb(tmp_path, monkeypatch, capsys):
    bomb = tmp_path / "bomb.epub"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("mimetype", "application/epub+zip")
        book.writestr("EPUB/big.xhtml", b"\0" * (65 * 1024 * 1024))
    monkeypatch.chdir(tmp_path)
    assert main(["diff", "bomb.epub", "bomb.epub"]) == 2
    assert "unpacks to more than 64 MiB" in capsys.readouterr().err
