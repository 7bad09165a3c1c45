"""The sample edition as a typesetter measures it, for every trim size:
word breaks, loose lines, facing pages, page count. Run from the
repository root:

    python bench/typesetting.py [--profile print|screen] [--trim a5 ...] [--no-fitting]

It builds the sample's PDF once per trim size (in a temporary folder) and
prints one Markdown table, the figures of `edition.typeset_check`.
`--no-fitting` builds without the line breaks chosen over whole paragraphs
(builders/total_fit.py),
for a before/after comparison.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import edition  # noqa: E402
from edition import model as m  # noqa: E402
from edition.builders import BuildOptions, total_fit  # noqa: E402
from edition.builders.pdf import PdfBuilder  # noqa: E402
from edition.typeset_check import measure  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", default="print", choices=("print", "screen"))
    parser.add_argument("--trim", action="append", choices=tuple(m.TrimSize.SIZES))
    parser.add_argument("--no-fitting", action="store_true", help="lay out with WeasyPrint's own line breaks")
    args = parser.parse_args()
    if args.no_fitting:
        total_fit.plan = lambda document, html: {}
    book = edition.load(ROOT / "manifest.yaml")
    rows = {}
    with tempfile.TemporaryDirectory() as folder:
        for trim in args.trim or tuple(m.TrimSize.SIZES):
            sized = dataclasses.replace(book, metadata=dataclasses.replace(book.metadata, trim=trim))
            said = []
            path = PdfBuilder().build(sized, Path(folder) / trim,
                                      BuildOptions(profile=args.profile, styles_dir=ROOT / "styles",
                                                   progress=said.append))
            rows[trim] = measure(path, trim).summary()
            chosen = [re.search(r"for (\d+) paragraphs, (\d+) not", stage) for stage in said]
            chosen = [match.groups() for match in chosen if match] or [("0", "0")]
            rows[trim]["paragraphs re-broken, not set as planned"] = " / ".join(chosen[0])
            print(f"{trim}: measured", file=sys.stderr)
    trims = list(rows)
    print("| " + " | ".join(["figure", *trims]) + " |")
    print("|" + "---|" * (len(trims) + 1))
    for figure in next(iter(rows.values())):
        print("| " + " | ".join([figure, *(str(rows[trim][figure]) for trim in trims)]) + " |")


if __name__ == "__main__":
    main()
