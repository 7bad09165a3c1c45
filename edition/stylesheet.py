"""Checking a project's style sheets before they are used.

Both style sheets are read with tinycss2. What a reading system or WeasyPrint
would skip without a word (a syntax error, an unknown property) is reported as
a warning with its `FILE:LINE:COL`. Every `url(…)` and `@import` must name a
file of the project (or a font the tool ships): anything else is an error at
the line that names it, because a style sheet that fetches from elsewhere
would read files the editor never meant to publish, or call a server from
every reader's device.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import tinycss2

from .confine import Outside, resolve_url
from .errors import Diagnostic, Location, did_you_mean

# The properties WeasyPrint knows (weasyprint.css.validation, version 70).
PRINT_PROPERTIES = frozenset("""
align-content align-items align-self anchor appearance background background-attachment background-clip
background-color background-image background-origin background-position background-repeat background-size bleed
bleed-bottom bleed-left bleed-right bleed-top block-ellipsis block-size bookmark-label bookmark-level bookmark-state
border border-block border-block-color border-block-end border-block-end-color border-block-end-style
border-block-end-width border-block-start border-block-start-color border-block-start-style border-block-start-width
border-block-style border-block-width border-bottom border-bottom-color border-bottom-left-radius
border-bottom-right-radius border-bottom-style border-bottom-width border-collapse border-color border-end-end-radius
border-end-start-radius border-image border-image-outset border-image-repeat border-image-slice border-image-source
border-image-width border-inline border-inline-color border-inline-end border-inline-end-color
border-inline-end-style border-inline-end-width border-inline-start border-inline-start-color
border-inline-start-style border-inline-start-width border-inline-style border-inline-width border-left
border-left-color border-left-style border-left-width border-radius border-right border-right-color
border-right-style border-right-width border-spacing border-start-end-radius border-start-start-radius border-style
border-top border-top-color border-top-left-radius border-top-right-radius border-top-style border-top-width
border-width bottom box-decoration-break box-shadow box-sizing break-after break-before break-inside caption-side
clear clip color color-scheme column-count column-fill column-gap column-rule column-rule-color column-rule-style
column-rule-width column-span column-width columns content continue counter-increment counter-reset counter-set
direction display empty-cells flex flex-basis flex-direction flex-flow flex-grow flex-shrink flex-wrap float font
font-family font-feature-settings font-kerning font-language-override font-size font-stretch font-style
font-variant font-variant-alternates font-variant-caps font-variant-east-asian font-variant-ligatures
font-variant-numeric font-variant-position font-variation-settings font-weight footnote-display footnote-policy gap
grid grid-area grid-auto-columns grid-auto-flow grid-auto-rows grid-column grid-column-end grid-column-gap
grid-column-start grid-gap grid-row grid-row-end grid-row-gap grid-row-start grid-template grid-template-areas
grid-template-columns grid-template-rows height hyphenate-character hyphenate-limit-chars hyphenate-limit-zone
hyphens image-orientation image-rendering image-resolution inline-size inset inset-block inset-block-end
inset-block-start inset-inline inset-inline-end inset-inline-start justify-content justify-items justify-self lang
left letter-spacing line-clamp line-height list-style list-style-image list-style-position list-style-type margin
margin-block margin-block-end margin-block-start margin-bottom margin-break margin-inline margin-inline-end
margin-inline-start margin-left margin-right margin-top marks mask-border mask-border-mode mask-border-outset
mask-border-repeat mask-border-slice mask-border-source mask-border-width max-block-size max-height
max-inline-size max-lines max-width min-block-size min-height min-inline-size min-width object-fit object-position
opacity order orphans outline outline-color outline-offset outline-style outline-width overflow overflow-wrap
padding padding-block padding-block-end padding-block-start padding-bottom padding-inline padding-inline-end
padding-inline-start padding-left padding-right padding-top page page-break-after page-break-before
page-break-inside place-content place-items place-self position quotes right row-gap size string-set tab-size
table-layout text-align text-align-all text-align-last text-decoration text-decoration-color text-decoration-line
text-decoration-style text-decoration-thickness text-indent text-overflow text-transform text-underline-offset top
transform transform-origin unicode-bidi vertical-align visibility white-space widows width word-break word-spacing
word-wrap z-index
""".split())
# Reading systems know more than WeasyPrint; these are common in EPUB style sheets.
EPUB_PROPERTIES = PRINT_PROPERTIES | frozenset("""
adobe-hyphenate adobe-text-layout line-break text-combine-upright text-emphasis text-emphasis-color
text-emphasis-position text-emphasis-style text-orientation text-rendering text-shadow text-justify
text-underline-position writing-mode ruby-align ruby-position hanging-punctuation font-synthesis font-display
font-optical-sizing cursor pointer-events resize user-select mix-blend-mode filter clip-path mask
scroll-behavior speak speak-as initial-letter text-wrap hyphenate-limit-lines hyphenate-limit-last
font-size-adjust line-height-step
""".split())
FONT_FACE_DESCRIPTORS = frozenset("""
font-family src font-style font-weight font-stretch unicode-range font-display font-feature-settings
font-variation-settings font-variant ascent-override descent-override line-gap-override size-adjust
font-named-instance font-language-override
""".split())
RULE_LIST_AT_RULES = frozenset(("media", "supports", "document", "layer", "container", "-moz-document"))
EPUB_RESOURCE_TYPES = {".otf": "font/otf", ".ttf": "font/ttf", ".woff": "font/woff", ".woff2": "font/woff2",
                       ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
                       ".svg": "image/svg+xml", ".webp": "image/webp"}
MAX_IMPORTS = 20


@dataclass
class StyleReport:
    """What checking a style sheet found: errors (the sheet cannot be used),
    warnings (something in it will be ignored), the files it uses (each a
    resolved path, with where it is named) and the URLs as a fetcher sees them."""

    errors: list[Diagnostic] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    files: dict[Path, Location] = field(default_factory=dict)
    origins: dict[str, Location] = field(default_factory=dict)


def check_stylesheet(path: Path, shown: str, roots: tuple[Path, ...], kind: str,
                     report: StyleReport | None = None, depth: int = 0) -> StyleReport:
    """Checks the style sheet `path` (shown in messages as `shown`) of `kind`
    "print" or "epub"; files it names must lie under one of `roots`."""
    report = report if report is not None else StyleReport()
    from .project import default_styles_dir

    if not any(path.resolve().is_relative_to(r.resolve()) for r in (*roots, default_styles_dir())):
        report.errors.append(Diagnostic(Location(shown), "the style sheet is a link to a file outside the "
                                        "project: copy the file into styles/ instead"))
        return report
    try:
        source = path.read_bytes()
    except OSError as error:
        report.errors.append(Diagnostic(Location(shown), f"cannot read the style sheet: {error.strerror or error}"))
        return report
    rules, encoding = tinycss2.parse_stylesheet_bytes(source, skip_comments=True, skip_whitespace=True)
    checker = _Checker(path, shown, roots, kind, report, depth)
    checker.rules(rules)
    _braces(source.decode(getattr(encoding, "name", "utf-8"), "replace"), shown, report)
    return report


def _braces(css: str, shown: str, report: StyleReport) -> None:
    """Warns of a '}' that closes nothing and a '{' never closed, which
    tinycss2 (like every CSS parser) mends without a word."""
    opened: list[tuple[int, int]] = []
    line, col, index, quote = 1, 0, 0, ""
    while index < len(css):
        char = css[index]
        col += 1
        if char == "\n":
            line, col = line + 1, 0
        elif quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif css.startswith("/*", index):
            end = css.find("*/", index + 2)
            end = len(css) if end < 0 else end + 2
            skipped = css[index:end]
            line += skipped.count("\n")
            col = len(skipped) - skipped.rfind("\n") - 1 if "\n" in skipped else col + len(skipped) - 1
            index = end
            continue
        elif char in "\"'":
            quote = char
        elif char == "{":
            opened.append((line, col))
        elif char == "}":
            if opened:
                opened.pop()
            else:
                report.warnings.append(Diagnostic(Location(shown, line, col), "warning: CSS syntax error: this "
                                                  "'}' closes nothing; the rule after it is ignored"))
        index += 1
    for line, col in opened[:1]:
        report.warnings.append(Diagnostic(Location(shown, line, col), "warning: CSS syntax error: this '{' is "
                                          "never closed; add the '}'"))


class _Checker:
    def __init__(self, path, shown, roots, kind, report, depth):
        self.path = path
        self.shown = shown
        self.roots = roots
        self.kind = kind
        self.report = report
        self.depth = depth
        self.known = PRINT_PROPERTIES if kind == "print" else EPUB_PROPERTIES
        self.base_url = path.resolve().as_uri()

    def at(self, node) -> Location:
        return Location(self.shown, getattr(node, "source_line", 1), getattr(node, "source_column", 1))

    def warn(self, node, message: str) -> None:
        self.report.warnings.append(Diagnostic(self.at(node), f"warning: {message}"))

    def error(self, node, message: str) -> None:
        self.report.errors.append(Diagnostic(self.at(node), message))

    def rules(self, rules) -> None:
        for rule in rules:
            if rule.type == "error":
                self.warn(rule, f"CSS syntax error ({rule.message}); the rule is ignored")
            elif rule.type == "qualified-rule":
                self.values(rule.prelude)
                self.declarations(rule.content, self.known)
            elif rule.type == "at-rule":
                self.at_rule(rule)

    def at_rule(self, rule) -> None:
        keyword = rule.lower_at_keyword
        if keyword == "import":
            self.import_rule(rule)
        elif rule.content is None:
            self.values(rule.prelude)
        elif keyword in RULE_LIST_AT_RULES:
            self.rules(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True))
        elif keyword == "font-face":
            self.declarations(rule.content, FONT_FACE_DESCRIPTORS, what="@font-face descriptor")
        else:  # @page and its margin boxes, @counter-style …: declarations (and nested at-rules)
            self.declarations(rule.content, self.known | FONT_FACE_DESCRIPTORS | {"system", "symbols", "suffix",
                                                                                 "prefix", "range", "pad",
                                                                                 "fallback", "negative",
                                                                                 "additive-symbols"})

    def declarations(self, content, known, what: str = "property") -> None:
        for item in tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True):
            if item.type == "error":
                self.warn(item, f"CSS syntax error ({item.message}); the declaration is ignored")
            elif item.type == "declaration":
                name = item.lower_name
                if not [t for t in item.value if t.type not in ("whitespace", "comment")]:
                    self.warn(item, f'"{item.name}" has no value; it is ignored')
                if not name.startswith("-") and name not in known:
                    self.warn(item, f'unknown {what} "{item.name}"{did_you_mean(name, known)}; it is ignored')
                self.values(item.value)
            elif item.type == "at-rule":
                self.at_rule(item)
            elif item.type == "qualified-rule":  # nested rules
                self.values(item.prelude)
                self.declarations(item.content, known)

    def values(self, tokens) -> None:
        for token in tokens or ():
            if token.type == "url":
                self.url(token, token.value)
            elif token.type == "function":
                if token.lower_name == "url":
                    strings = [t for t in token.arguments if t.type == "string"]
                    if strings:
                        self.url(token, strings[0].value)
                else:
                    self.values(token.arguments)
            elif token.type in ("() block", "[] block", "{} block"):
                self.values(token.content)

    def url(self, node, url: str) -> Path | None:
        where = self.at(node)
        self.report.origins[url] = where
        self.report.origins[urljoin(self.base_url, url)] = where
        try:
            target = resolve_url(url, self.path.parent, self.roots)
        except Outside as refused:
            self.error(node, str(refused))
            return None
        if target is None:
            return None
        if self.kind == "epub":
            if not target.is_relative_to(self.path.parent.resolve()):
                self.error(node, f"url({url}): the EPUB packages only files in the style sheet's folder "
                                 f"and below; move the file there")
                return None
            if target.suffix.lower() not in EPUB_RESOURCE_TYPES:
                self.error(node, f"url({url}): not a font or an image the EPUB can hold "
                                 f"({', '.join(EPUB_RESOURCE_TYPES)})")
                return None
        self.report.files.setdefault(target, where)
        self.report.origins[target.as_uri()] = where
        return target

    def import_rule(self, rule) -> None:
        urls = [t for t in rule.prelude if t.type in ("url", "string")]
        urls += [s for t in rule.prelude if t.type == "function" and t.lower_name == "url"
                 for s in t.arguments if s.type == "string"]
        if not urls:
            self.warn(rule, "@import names no style sheet; it is ignored")
            return
        if self.kind == "epub":
            self.error(rule, "@import in the EPUB's style sheet: put the rules in the style sheet itself")
            return
        target = self.url(rule, urls[0].value)
        if target is None:
            return
        if self.depth >= MAX_IMPORTS:
            self.error(rule, f"@import nested more than {MAX_IMPORTS} deep (a loop of imports?)")
            return
        shown = str(Path(self.shown).parent / urls[0].value)
        check_stylesheet(target, shown, self.roots, self.kind, self.report, self.depth + 1)


def epub_media_type(path: Path) -> str:
    return EPUB_RESOURCE_TYPES[path.suffix.lower()]


# --- the two style sheets of a project ------------------------------------------


def style_roots(project: Path) -> tuple[Path, ...]:
    """Where style sheets may take files from: the project, and the fonts the tool ships."""
    from .project import default_styles_dir

    return (project.resolve(), (default_styles_dir() / "fonts").resolve())


def stylesheet_path(styles_dir: Path, kind: str) -> Path:
    """The style sheet of `kind` ("epub" or "print") a build uses: the
    project's own, or the tool's default (the EPUB's only)."""
    from .project import default_styles_dir

    own = styles_dir / f"{kind}.css"
    if kind == "epub" and not own.is_file():
        return default_styles_dir() / "epub.css"
    return own


def shown_path(path: Path, project: Path) -> str:
    try:
        return str(path.resolve().relative_to(project.resolve()))
    except ValueError:
        return str(path)


def check_styles(styles_dir: Path, project: Path, kinds=("epub", "print")) -> StyleReport:
    """Checks the style sheets of `kinds` that the project's builds use."""
    report = StyleReport()
    for kind in kinds:
        path = stylesheet_path(styles_dir, kind)
        if path.is_file():
            check_stylesheet(path, shown_path(path, project), style_roots(project), kind, report)
        else:  # the EPUB's falls back on the tool's; the PDF's does not
            report.errors.append(Diagnostic(Location(shown_path(path, project)), f"the {kind} style sheet is "
                                            "missing: copy it from a new project (`edition new DIR`)"))
    return report


def checked(path: Path, project: Path, kind: str) -> StyleReport:
    """The report on one style sheet; raises `InvalidEdition` if it has errors."""
    from .errors import InvalidEdition

    report = check_stylesheet(path, shown_path(path, project), style_roots(project), kind)
    if report.errors:
        raise InvalidEdition(report.errors)
    return report


def print_fetcher(path: Path, project: Path):
    """The URL fetcher for WeasyPrint: checks the print style sheet `path`
    first (an error names the line), then serves only the files it may use."""
    from .confine import confined_fetcher

    report = checked(path, project, "print")
    return confined_fetcher(style_roots(project), report.origins, Location(shown_path(path, project)))
