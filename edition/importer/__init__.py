"""Importing archive texts (plain text or saved HTML pages) -> a text file.

`edition import PAGE.txt` reads a text as copied from the Marxists Internet Archive (MIA),
the Encyclopaedia of Trotskyism On-Line (ETOL), a MediaWiki copy, a reprint site or the like;
`edition import PAGE.html` reads the saved page itself. Both write the text format described
in the README: YAML front matter, then a Markdown body.

The importer works from the general habits of such archives, never from particular files,
and it is conservative: what it is sure of it does (and lists in `guesses`), what it only
suspects it leaves as it was and lists in `review`, which says what it saw and never states a
guess as a fact. The words of the text are kept, in their order; only the archive's furniture
(navigation, credits, header fields, comment forms) is moved or dropped.

The pipeline, one module a stage:

0. `html`: a saved page -> the lines a browser copy gives, each with a hint of what the
   markup says it is (heading, info block, navigation, quotation, verse, note);
1. `lines`: clean the lines and drop navigation, breadcrumbs and comment forms;
2. `header`: title, subtitle, author, date, source and credits (MIA info blocks, ETOL
   lines, collection and letter headings, pseudonyms), with `dates` in several languages;
3. `letter`: the letter's furniture: dateline, inside address, closing lines, signature, P.S.,
   for each letter of a page that holds several;
4. `notes`: the notes sections, in one or two series, and the archive's remark after them;
5. `blocks`: paragraphs out of blocks, then headings, lists, block quotes and separators;
6. `markdown`: escapes, note references, italics, divs and the front matter;

`pipeline` puts them together (and takes a reprint site's introduction out of the body),
`language` tells the language from common words, and `add` appends imported files to a manifest.
"""

from .base import ImportResult
from .dates import find_date
from .markdown import suggest_filename
from .pipeline import import_html, import_text

__all__ = ["ImportResult", "find_date", "import_html", "import_text", "suggest_filename"]
