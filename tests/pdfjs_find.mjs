// Counts the matches of each word in a PDF with pdf.js's own find controller,
// as Firefox's PDF viewer searches: node tests/pdfjs_find.mjs FILE.pdf WORD…
// prints {"WORD": matches, …}. Used by tests/test_pdf_tags.py.
import { readFileSync } from "node:fs";

// The viewer module touches a few browser globals as it loads; the find controller needs none of them.
globalThis.window ??= { requestAnimationFrame: (callback) => setTimeout(callback, 0), addEventListener() {},
                        removeEventListener() {}, devicePixelRatio: 1, location: { href: "" } };
globalThis.document ??= { documentElement: { style: {} }, createElement: () => ({ style: {}, getContext: () => null }),
                          addEventListener() {}, removeEventListener() {}, body: {} };
globalThis.navigator ??= { language: "en", userAgent: "node" };

const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
const viewer = await import("pdfjs-dist/legacy/web/pdf_viewer.mjs");

const [path, ...words] = process.argv.slice(2);
const pdf = await pdfjs.getDocument({ data: new Uint8Array(readFileSync(path)) }).promise;
// The viewer the find controller would scroll: it only asks where it is.
const linkService = { page: 1, pagesCount: pdf.numPages, rotation: 0, scrollPageIntoView() {} };
const results = {};
const eventBus = new viewer.EventBus();
const finder = new viewer.PDFFindController({ linkService, eventBus });  // it extracts each page's text once
finder.setDocument(pdf);
for (const word of words) {
  finder.pageMatches.length = 0;  // the last word's matches: the new query fills the array again
  eventBus.dispatch("find", { source: null, type: "", query: word, caseSensitive: false, entireWord: false,
                              highlightAll: true, findPrevious: false, matchDiacritics: false });
  const done = () => Array.from({ length: pdf.numPages }, (_, i) => finder.pageMatches[i]).every(Array.isArray);
  for (let waited = 0; waited < 2400 && !done(); waited++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  if (!done()) {
    console.error(`pdf.js did not finish searching for ${word}`);
    process.exit(1);
  }
  results[word] = finder.pageMatches.reduce((sum, matches) => sum + matches.length, 0);
}
console.log(JSON.stringify(results));
process.exit(0);
