"""Benchmark: how long the sample edition takes to load and build, and how
much memory it needs. Run from the repository root:

    python bench/run.py [--repeat N]

and copy the table into bench/RESULTS.md with the date and the machine.
Timings are medians of N runs (default 3); memory is the peak resident set
size of this process.
"""

from __future__ import annotations

import argparse
import dataclasses
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import edition  # noqa: E402
from edition.builders import BuildOptions, builders  # noqa: E402
from edition.cache import TextCache  # noqa: E402


def timed(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    manifest = ROOT / "manifest.yaml"
    options = BuildOptions(styles_dir=ROOT / "styles")
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        cache_dir = Path(folder) / "cache"
        rows.append(("load, no cache", timed(lambda: edition.load(manifest), args.repeat)))
        edition.load(manifest, cache=TextCache(cache_dir))
        rows.append(("load, warm cache", timed(lambda: edition.load(manifest, cache=TextCache(cache_dir)),
                                                args.repeat)))
    book = edition.load(manifest)
    for name, builder_class in builders().items():
        builder = builder_class()
        size = len(builder.render(book, options))
        rows.append((f"render {name} ({size / 1024:.0f} KiB)", timed(lambda: builder.render(book, options),
                                                                       args.repeat)))
    tagged = dataclasses.replace(book, metadata=dataclasses.replace(book.metadata, tagged_pdf=True))
    pdf = builders()["pdf"]()
    size = len(pdf.render(tagged, options))
    rows.append((f"render pdf, tagged PDF/UA-1 ({size / 1024:.0f} KiB)",
                 timed(lambda: pdf.render(tagged, options), args.repeat)))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Python {platform.python_version()} on {platform.machine()}, "
          f"median of {args.repeat} runs\n")
    print("| step | seconds |\n|---|---|")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.3f} |")
    print(f"\npeak resident memory: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
