"""Page references printed as text once a layout has shown their pages
(builders/page_refs.py). That the printed numbers are the targets' pages is
checked on built PDFs in test_pdf.py (contents, notes, emendations) and
test_persons.py (the register's pages)."""

from edition.builders.page_refs import Reference, literal_css, number_links
from edition.builders.pdf_labels import Folios

CSS = r"""
.toc-link::after { content: "\2002" leader(". ") target-counter(attr(href url), folio); }
.roman .toc-link::after { content: target-counter(attr(href url), page, lower-roman) !important; }
.other::after { content: target-counter(attr(href url), chapter); }
.text::after { content: target-text(attr(href url)); }
@page { @bottom-center { content: counter(folio); } }
"""


def test_each_page_reference_becomes_an_attribute_in_a_rule_of_the_same_selector():
    literal = literal_css([CSS])
    rules = literal.css.splitlines()
    assert rules == [
        '.toc-link::after { content: "\u2002" leader(". ") attr(data-tc-folio-decimal); }',
        ".roman .toc-link::after { content: attr(data-tc-page-lower-roman) !important; }",
    ]  # a counter other than page and folio, target-text and @page rules are WeasyPrint's still
    assert literal.references == (Reference("folio", "decimal"), Reference("page", "lower-roman"))


def test_the_values_are_the_folios_the_book_prints():
    folios = Folios(body_start=8)
    arabic, roman = Reference("folio", "decimal"), Reference("page", "lower-roman")
    for index in range(40):
        printed = folios.label(index)
        assert (roman if folios.is_front(index) else arabic).value(index, folios) == printed
    assert arabic.value(3, folios) == "0"  # the folio counter before the body, as WeasyPrint counts it


def test_internal_links_to_known_anchors_carry_their_pages():
    html = ('<p><a class="note-page" href="#mark-1">x</a> <a href="#elsewhere">y</a> '
            '<a href="https://example.org/#mark-1">z</a></p>')
    references = (Reference("folio", "decimal"), Reference("page", "lower-roman"))
    numbered = number_links(html, {"mark-1": 11}, Folios(body_start=8), references)
    assert numbered == ('<p><a class="note-page" href="#mark-1" data-tc-folio-decimal="4" '
                        'data-tc-page-lower-roman="xii">x</a> <a href="#elsewhere">y</a> '
                        '<a href="https://example.org/#mark-1">z</a></p>')
