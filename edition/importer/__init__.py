"""Importing raw archive texts (plain text or saved HTML pages) -> a text file.

`edition import RAW.txt` reads a text as copied from the Marxists Internet
Archive (MIA), the Encyclopaedia of Trotskyism On-Line (ETOL), a MediaWiki
mirror or the like, and writes it in the text format described in the README:
YAML front matter, then a Markdown body.

The importer works from the general habits of such archives, never from
particular files, and it is conservative: what it is sure of it does (and
lists in `guesses`), what it only suspects it leaves as it was and lists in
`review`.  The words of the text are kept, in their order; only the archive's
furniture (navigation, credits, header fields) is moved or dropped.

The pipeline:

1. clean the lines (white space, invisible characters) and drop navigation
   lines ("Main Page", "Next | Previous", "Last updated: …", "Retrieved from …");
2. read the header: title, author, date lines, MIA fields ("Written:",
   "Source:" …), ETOL lines ("From Fourth International, …", "Transcribed &
   marked up by …"), bracketed sources ("[Writings of …, p. 44]"), "Extract";
3. cut the body into blocks at blank lines and take off the letter furniture
   (an opening date line, closing lines and signatures) and a trailing notes
   section;
4. turn blocks into paragraphs (hard-wrapped lines are joined; list items and
   paragraphs written without blank lines between them are split);
5. classify paragraphs: section headings, numbered lists, block quotes,
   capitalised lead-ins;
6. write Markdown: escape what Markdown would misread, turn note markers into
   `[^n]`, put the front matter on top.
"""

from .base import ImportResult
from .dates import find_date
from .markdown import suggest_filename
from .pipeline import import_html, import_text

__all__ = ["ImportResult", "find_date", "import_html", "import_text", "suggest_filename"]
