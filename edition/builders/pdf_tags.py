"""The structure tree of a tagged PDF (`tagged_pdf: true`).

WeasyPrint 70 builds its structure tree page by page from the boxes it laid
out: one `/Art` or `/Sect` per page, so a paragraph that crosses a page is two
`/P`; no `/Note`; the running heads and folios are marked content that is in
neither the tree nor an artifact; and every inline box inside a link gets a
link annotation of its own, described by the link's internal id.

`StructureTree.add_tags` replaces WeasyPrint's `add_tags` while the PDF is
written (see `tagging` and `write_pdf` in pdf.py) and builds the tree from the
same boxes, but keyed by the HTML element each box comes from, so that the
fragments of one element on several pages are one structure element:

- one `Art` per text, `Sect` for the other parts of the book, headings `H1`–`H6`
  as the HTML has them, `P`, `BlockQuote`, `L`/`LI`/`Lbl`/`LBody`, `Table`
  with `TH` and `TD`, each endnote a `Note` with its `ID`;
- a paragraph continued on the next page is one `P` whose content on the
  second page is a marked-content reference (`MCR`) to that page;
- the page furniture (running heads, folios) is drawn as `/Artifact`
  (pagination) and is not in the tree; WeasyPrint already marks borders,
  backgrounds and crop marks as artifacts;
- one link annotation per `<a>` (per line it spans), the nested ones that
  WeasyPrint adds for the boxes inside a link are dropped, and each says where
  it goes: "Note 3", "Back to the text of note 3", the contents entry's title;
- the `ParentTree` maps every marked-content id of every page and every
  annotation's `StructParent` to its structure element.

The marked-content ids of a page are renumbered without the artifacts, so the
`ParentTree` has no holes.
"""

from __future__ import annotations

import contextlib
import re

import pydyf

from ..locale import Words
from ..locale import words as locale_words

# The HTML elements whose content belongs to their parent's structure element.
TRANSPARENT = {"html", "body", "header", "footer", "span", "i", "em", "b", "strong", "small", "sup", "sub", "cite",
               "abbr", "q", "code", "br", "wbr", "mark", "s", "u", "var", "kbd", "samp", "time", "bdi", "bdo"}
# Wrappers that structure nothing of their own.
TRANSPARENT_CLASSES = {"text-body", "bodymatter", "text-end", "book-end", "blank-page", "imprint-text"}
ROLES = {
    "article": "Art", "section": "Sect", "nav": "Sect", "main": "Part", "aside": "Aside", "div": "Div",
    "p": "P", "blockquote": "BlockQuote", "h1": "H1", "h2": "H2", "h3": "H3", "h4": "H4", "h5": "H5", "h6": "H6",
    "ul": "L", "ol": "L", "dl": "L", "li": "LI", "table": "Table", "thead": "THead", "tbody": "TBody",
    "tfoot": "TFoot", "tr": "TR", "th": "TH", "td": "TD", "caption": "Caption", "figure": "Figure",
    "figcaption": "Caption", "img": "Figure", "a": "Link", "pre": "P", "hr": "Artifact",
}
ARTIFACT = pydyf.Dictionary({"S": "/Artifact"})  # decoration (a section break's asterisks): not in the tree
LANGUAGE = "{http://www.w3.org/XML/1998/namespace}lang"


def role_of(element) -> str | None:
    """The structure type of an HTML element, or None when its content goes to its parent's."""
    tag = element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""
    classes = set((element.get("class") or "").split())
    if tag == "a":
        return "Link" if element.get("href") else None
    if tag == "div" and "note" in classes:
        return "Note"
    if classes & TRANSPARENT_CLASSES or tag in TRANSPARENT:
        return "Span" if tag == "span" and element.get("lang") else None
    if tag == "dt":
        return "dt"
    if tag == "dd":
        return "dd"
    return ROLES.get(tag)


class _Mark:
    """Where a marked-content sequence stands among an element's kids, until its MCID is final."""

    __slots__ = ("mcid",)

    def __init__(self, mcid: int):
        self.mcid = mcid


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


class StructureTree:
    """Builds the tree of one PDF: `add_tags` has WeasyPrint's signature."""

    def __init__(self, words: Words):
        self.words = words  # the book's language: what its links say (the "link_…" words)

    # --- the entry point --------------------------------------------------------

    def add_tags(self, pdf, document, pdf_version, page_streams) -> None:
        from weasyprint.formatting_structure import boxes
        from weasyprint.layout.absolute import AbsolutePlaceholder

        self.boxes, self.placeholder = boxes, AbsolutePlaceholder
        html = next((box.element for box in document.pages[0]._page_box.children
                     if box.element_tag == "html"), None) if document.pages else None
        self.by_id = {element.get("id"): element for element in html.iter() if element.get("id")} \
            if html is not None else {}
        self.pdf = pdf
        self.page_refs = pdf.page_references
        self.page_dicts = [obj for obj in pdf.objects if isinstance(obj, pydyf.Dictionary)
                           and obj.get("Type") == "/Page"]
        parent_tree = pydyf.Dictionary({"Nums": pydyf.Array()})
        pdf.add_object(parent_tree)
        root = pydyf.Dictionary({"Type": "/StructTreeRoot", "ParentTree": parent_tree.reference})
        pdf.add_object(root)
        self.document = self._element("Document", root, None)
        root["K"] = pydyf.Array([self.document.reference])
        pdf.catalog["StructTreeRoot"] = root.reference
        self.nodes: dict = {}  # (element, part) -> structure element
        self.last_item: dict = {}  # a dl's structure element -> its last LI (a dd joins its dt)
        self.annotations: list = []  # (annotation, Link structure element)
        self.described: list = []  # (annotation, Link structure element, <a> element): described at the end
        self.shown: dict[int, list[str]] = {}  # a Link's id -> the text it shows (generated text too)

        for number, (page, stream) in enumerate(zip(document.pages, page_streams)):
            self.page = number
            self.tags = stream._tags
            self.owners: dict[int, object] = {}  # old MCID -> structure element, None for an artifact
            self.touched: dict[int, object] = {}  # the structure elements with content on this page
            furniture = [box for box in page._page_box.children if isinstance(box, boxes.MarginBox)]
            for box in furniture:
                self._furniture(box)
            for box in page._page_box.children:
                if not isinstance(box, boxes.MarginBox):
                    self._walk(box, self.document)
            for box in list(self.tags):  # drawn but not reached (none expected): keep it readable
                mcid = self.tags.pop(box)["mcid"]
                self.owners[mcid] = self.document
                self.document["K"].append(_Mark(mcid))
                self.touched[id(self.document)] = self.document
            parent_tree["Nums"].extend((number, self._renumber(stream)))

        for annotation, link, element in self.described:
            annotation["Contents"] = pydyf.String(self.describe(element, " ".join(self.shown.get(id(link), ()))))
        start = len(document.pages)
        for number, (annotation, link) in enumerate(self.annotations, start=start):
            annotation["StructParent"] = number
            parent_tree["Nums"].extend((number, link.reference))
        parent_tree["Nums"] = pydyf.Array(parent_tree["Nums"])
        pdf.catalog["MarkInfo"] = pydyf.Dictionary({"Marked": "true"})
        if "Lang" not in pdf.catalog:
            pdf.catalog["Lang"] = pydyf.String("und")

    # --- the page's furniture ----------------------------------------------------

    def _furniture(self, box) -> None:
        """A margin box's content: artifacts."""
        if box in self.tags:
            self.owners[self.tags.pop(box)["mcid"]] = None
        for child in getattr(box, "children", ()):
            self._furniture(child)

    def _renumber(self, stream) -> pydyf.Array:
        """The page's MCIDs renumbered without its artifacts, which become
        `/Artifact` sequences of the pagination; the ParentTree's array for the page."""
        kept = sorted(mcid for mcid, owner in self.owners.items() if owner is not None)
        new = {old: index for index, old in enumerate(kept)}
        items = stream.stream
        for index, item in enumerate(items):
            if isinstance(item, pydyf.Dictionary) and "MCID" in item and index + 1 < len(items) \
                    and items[index + 1] == b"BDC":
                old = item["MCID"]
                if self.owners.get(old, self.document) is None:
                    items[index - 1] = "/Artifact"
                    items[index] = pydyf.Dictionary({"Type": "/Pagination"})  # running heads, folios, decoration
                else:
                    item["MCID"] = new[old]
        for node in self.touched.values():
            node["K"] = pydyf.Array(self._kid(node, new[kid.mcid]) if isinstance(kid, _Mark) else kid
                                    for kid in node["K"])
        refs = [None] * len(new)
        for old, index in new.items():
            refs[index] = self.owners[old].reference
        return pydyf.Array(refs)

    # --- the content -------------------------------------------------------------

    def _walk(self, box, parent) -> None:
        boxes = self.boxes
        if isinstance(box, self.placeholder):
            box = box._box
        node = ARTIFACT if parent is ARTIFACT else self._node(box, parent)
        annotation = getattr(box, "link_annotation", None)
        if annotation is not None:
            self._link_annotation(box, node, annotation)
        if box in self.tags and node is ARTIFACT:
            self.owners[self.tags.pop(box)["mcid"]] = None
        elif box in self.tags:  # a text box or a replaced box: its place among the element's kids, filled in later
            mcid = self.tags.pop(box)["mcid"]
            self.owners[mcid] = node
            node["K"].append(_Mark(mcid))
            if node.get("S") == "/Link" and getattr(box, "text", None):
                self.shown.setdefault(id(node), []).append(box.text)
            self.touched[id(node)] = node
        for child in getattr(box, "children", ()):
            if isinstance(child, boxes.LineBox):
                for grandchild in child.children:
                    self._walk(grandchild, node)
            else:
                self._walk(child, node)

    def _node(self, box, parent):
        """The structure element that `box`'s content belongs to."""
        element = box.element
        if element is None:
            return parent
        tag = box.element_tag or ""
        pseudo = tag.partition("::")[2]
        if pseudo == "marker":
            item = self.nodes.get((element, ""))
            if item is None:
                return parent
            return self._part(element, "marker", "Lbl", item, first=True)
        if pseudo:  # ::before, ::after: the element's own content
            return self.nodes.get((element, "body"), self.nodes.get((element, ""), parent))
        key = (element, "")
        if key in self.nodes:
            return self.nodes.get((element, "body"), self.nodes[key])
        role = role_of(element)
        if role is None:
            return parent
        if role == "Artifact":
            return ARTIFACT
        if role == "dt":  # a register entry: the name is the label of a list item …
            item = self._element("LI", parent, element)
            self.last_item[id(parent)] = item
            self.nodes[key] = item
            return self._part(element, "body", "Lbl", item)
        if role == "dd":  # … and its description the body
            item = self.last_item.get(id(parent)) or self._element("LI", parent, element)
            self.nodes[key] = item
            return self._part(element, "body", "LBody", item)
        node = self._element(role, parent, element)
        self.nodes[key] = node
        if role == "LI":
            return self._part(element, "body", "LBody", node)
        return node

    def _part(self, element, part, role, parent, first=False):
        key = (element, part)
        if key not in self.nodes:
            self.nodes[key] = self._element(role, parent, None, first=first)
        return self.nodes[key]

    def _element(self, role, parent, element, first=False) -> pydyf.Dictionary:
        node = pydyf.Dictionary({"Type": "/StructElem", "S": f"/{role}", "K": pydyf.Array()})
        if parent is not None:
            node["P"] = parent.reference
        if role != "Document":
            node["Pg"] = self.page_refs[self.page]
            node.page = self.page
        self.pdf.add_object(node)
        if parent is not None and parent.get("Type") == "/StructElem":
            if first:
                parent["K"].insert(0, node.reference)
            else:
                parent["K"].append(node.reference)
        if element is not None:
            self._attributes(node, role, element)
        return node

    def _attributes(self, node, role, element) -> None:
        language = element.get("lang") or element.get(LANGUAGE)
        if language and role != "Document":
            node["Lang"] = pydyf.String(language)
        if role == "Note":
            node["ID"] = pydyf.String(element.get("id") or f"note-{node.number}")
        elif role in ("TH", "TD"):
            attributes = pydyf.Dictionary({"O": "/Table"})
            if role == "TH":
                attributes["Scope"] = "/Row" if element.get("scope") == "row" else "/Column"
            span = element.get("colspan")
            if span and span != "1":
                attributes["ColSpan"] = int(span)
            node["A"] = attributes
        elif role == "Figure":
            node["Alt"] = pydyf.String(element.get("alt") or "")

    def _kid(self, node, mcid: int):
        if getattr(node, "page", None) == self.page:  # (the Document has no page: always a reference)
            return mcid
        # content of an element that began on an earlier page
        return pydyf.Dictionary({"Type": "/MCR", "Pg": self.page_refs[self.page], "MCID": mcid})

    # --- links -------------------------------------------------------------------

    def _link_annotation(self, box, node, annotation) -> None:
        """One annotation per `<a>` box; those of the boxes inside it are dropped."""
        element = box.element
        if (box.element_tag or "") != "a" or node is ARTIFACT or node.get("S") != "/Link":
            self._drop(annotation)
            return
        self.described.append((annotation, node, element))
        reference = pydyf.Dictionary({"Type": "/OBJR", "Obj": annotation.reference,
                                      "Pg": self.page_refs[self.page]})
        self.pdf.add_object(reference)
        node["K"].append(reference.reference)
        self.annotations.append((annotation, node))

    def _drop(self, annotation) -> None:
        annots = self.page_dicts[self.page].get("Annots")
        if annots is not None and annotation.reference in annots:
            annots.remove(annotation.reference)

    def describe(self, element, shown: str = "") -> str:
        """What a link says where it goes; `shown` is the text it shows, generated text included."""
        classes = set((element.get("class") or "").split())
        text = _text(element)
        shown = " ".join(shown.split())
        words = self.words
        if "noteref" in classes:
            return words.text("link_note", number=text)
        if classes & {"note-number", "note-page"}:
            mark = self.by_id.get((element.get("href") or "").lstrip("#"))
            number = _text(mark) if mark is not None else text
            return words.text("link_back_to_note" if "note-number" in classes else "link_back_to_page", number=number)
        if shown and (not text or "index-pages" in classes):  # a page number (generated by the style sheet)
            in_notes = shown.endswith("n") and shown[:-1].strip().isalnum()
            return words.text("link_page_in_notes" if in_notes else "link_page", page=shown[:-1] if in_notes else shown)
        return text or shown or words.text("link_to_page")


@contextlib.contextmanager
def tagging(words: Words | None = None):
    """While the PDF is written, WeasyPrint's `add_tags` is this module's."""
    import weasyprint.pdf as weasyprint_pdf

    tree = StructureTree(words or locale_words("en"))
    saved = weasyprint_pdf.add_tags
    weasyprint_pdf.add_tags = tree.add_tags
    try:
        yield tree
    finally:
        weasyprint_pdf.add_tags = saved
