"""The benchmark: how long `edition build` takes and how much memory it needs,
on scaled editions of the sample, against pandoc and plain WeasyPrint.

    pip install -e '.[bench]'          # pandoc (pypandoc-binary) and matplotlib
    python bench/run.py                # K = 1, 10, 40; writes bench/RESULTS.md and bench/results.png
    python bench/run.py --k 1 --repeat 1 --output /tmp/quick.md     # a quick look
    python bench/run.py --pdf-k 1,10   # the PDF only at these K (at K=40 it takes minutes)
    python bench/run.py --pdf-repeat 1 # each PDF build once (the EPUB builds --repeat times)
    python bench/run.py --paired 5     # only the K=1 PDF against plain WeasyPrint, 5 interleaved pairs

A scaled edition is the sample's five texts, with their headnotes, notes and
corrections, repeated K times as separate texts (the introduction once). It
is generated in a temporary folder and never kept.

Every build runs as its own process, the way an editor runs it
(`python -m edition build --format …`), from an empty output folder (no
parse cache). Each is measured with `os.wait4`: wall time, CPU time and the
peak resident memory of the process and the processes it waited for. The
tables give medians of `--repeat` runs. In the same run:

- pandoc makes an EPUB of the same Markdown texts (`pandoc texts… -o x.epub`);
- plain WeasyPrint lays out the final print HTML that `edition` laid out
  (the same HTML and CSS), once, and writes the PDF: the floor every
  WeasyPrint-based builder starts from;
- a rebuild at the largest K after a one-word correction in one text (a new
  `corrections:` entry in the manifest), with the output folder and its
  parse cache from the build before, both from the command line and in an
  `edition watch` process that is already running.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
TARGETS = {  # (work, K) -> (wall seconds, peak MiB or None): the targets
    ("EPUB", 1): (0.4, None),
    ("EPUB", 40): (2.0, 150),
}
EPUB_REBUILD_TARGET = 1.0
READING = "## What the numbers say"  # RESULTS.md from this heading on is written by hand and kept
PDF_RATIO_TARGET = 1.10
PARALLEL_JOBS = 2  # the PDF in parallel: processes at a time (the target is for 2 cores)
PARALLEL_RATIO_TARGET = 0.65  # to plain WeasyPrint on the same HTML
PARALLEL_PEAK_TARGET = 400  # MiB per process


# --- measuring a process ---------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    cpu: float  # user + system seconds, the process and its children
    peak: float  # MiB, the largest resident set of the process or a child it waited for


def measure(argv: list[str], cwd: Path | None = None) -> Sample:
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stdout.close()
    if process.returncode:
        raise SystemExit(f"{' '.join(map(str, argv))} failed ({process.returncode}):\n{output.decode()}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def median(samples: list[Sample]) -> Sample:
    return Sample(statistics.median(s.wall for s in samples), statistics.median(s.cpu for s in samples),
                  statistics.median(s.peak for s in samples))


def repeated(repeat: int, run) -> Sample:
    return median([run() for _ in range(repeat)])


# --- the scaled edition ------------------------------------------------------------


def scaled_edition(k: int, folder: Path) -> Path:
    """The sample's texts repeated `k` times as separate texts, in `folder`."""
    data = yaml.safe_load((ROOT / "manifest.yaml").read_text(encoding="utf-8"))
    (folder / "texts").mkdir(parents=True, exist_ok=True)
    for entry in data.get("front", []):
        shutil.copy(ROOT / entry["file"], folder / entry["file"])
    texts = []
    for number in range(1, k + 1):
        for entry in data["texts"]:
            name = f"texts/{number:03d}-{Path(entry['file']).name}"
            shutil.copy(ROOT / entry["file"], folder / name)
            texts.append({**copy.deepcopy(entry), "file": name})  # no shared objects: YAML aliases are refused
    data["texts"] = texts
    manifest = folder / "manifest.yaml"
    manifest.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
    return manifest


def one_word_correction(manifest: Path) -> str:
    """The manifest text with a one-word correction added to its last text:
    a word that occurs once in that text and in no note's phrase."""
    import edition
    from edition import annotate

    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    entry = data["texts"][-1]
    text = edition.load(manifest).texts[-1]
    units = annotate.units_of(text.blocks)
    taken = " ".join([n["at"] for n in entry.get("notes", [])] + [c["find"] for c in entry.get("corrections", [])]
                     + [c["replace"] for c in entry.get("corrections", [])])
    for unit in units:
        for word in re.findall(r"[a-z]{7,}", unit.words):
            if word not in taken and len(annotate.find_phrase(units, word)) == 1:
                entry.setdefault("corrections", []).append(
                    {"find": word, "replace": word[:-1] + word[-1].upper(), "reason": "a benchmark's correction"})
                return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    raise SystemExit("no word to correct")


# --- the jobs ------------------------------------------------------------------------


def build_argv(manifest: Path, output: Path, fmt: str, jobs: int = 0) -> list[str]:
    return [PYTHON, "-m", "edition", "build", "--format", fmt, "--manifest", str(manifest), "--output", str(output),
            "--quiet"] + (["--jobs", str(jobs)] if jobs else [])


def fresh_build(manifest: Path, output: Path, fmt: str, jobs: int = 0) -> Sample:
    shutil.rmtree(output, ignore_errors=True)
    return measure(build_argv(manifest, output, fmt, jobs))


def pandoc_epub(manifest: Path, output: Path) -> Sample:
    import pypandoc

    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    files = [manifest.parent / e["file"] for e in data.get("front", []) + data["texts"]]
    output.mkdir(parents=True, exist_ok=True)
    return measure([pypandoc.get_pandoc_path(), "--from", "markdown", "--toc", "--metadata",
                    f"title={data['edition']['title']}", "-o", str(output / "pandoc.epub"), *map(str, files)])


FINAL_HTML = ("import sys; sys.path.insert(0, sys.argv[1])\n"
              "import edition\n"
              "from edition.builders import BuildOptions\n"
              "from edition.builders.pdf import PdfBuilder\n"
              "from edition.project import default_styles_dir\n"
              "builder = PdfBuilder()\n"
              "options = BuildOptions(styles_dir=default_styles_dir(), jobs=1)\n"
              "data = builder.render(edition.load(sys.argv[2]), options)\n"
              "open(sys.argv[3], 'w', encoding='utf-8').write(builder.last_html)\n"
              "open(sys.argv[4], 'wb').write(data)\n")


def final_html(manifest: Path, html: Path) -> None:
    """Writes the print HTML that `edition` lays out in one process (in a process of its own)."""
    subprocess.run([PYTHON, "-c", FINAL_HTML, str(ROOT), str(manifest), str(html), os.devnull], check=True)


def one_process_pdf(manifest: Path, html: Path, output: Path) -> Sample:
    """The PDF built in one process (as `edition build --format pdf --jobs 1`),
    which writes the final HTML too: one build gives the time and the HTML."""
    output.mkdir(parents=True, exist_ok=True)
    return measure([PYTHON, "-c", FINAL_HTML, str(ROOT), str(manifest), str(html), str(output / "one.pdf")])


def plain_weasyprint(html: Path, output: Path) -> Sample:
    """WeasyPrint on `html` with the print stylesheet: one layout, one write."""
    from edition.project import default_styles_dir

    styles = default_styles_dir()
    probe = ("import sys\n"
             "from weasyprint import CSS, HTML\n"
             "from weasyprint.text.fonts import FontConfiguration\n"
             "fonts = FontConfiguration()\n"
             "HTML(filename=sys.argv[1], base_url=sys.argv[2]).write_pdf(\n"
             "    sys.argv[4], stylesheets=[CSS(filename=sys.argv[3], font_config=fonts)], font_config=fonts)\n")
    return measure([PYTHON, "-c", probe, str(html), str(styles) + os.sep, str(styles / "print.css"),
                    str(output / "plain.pdf")])


def watch_rebuild(manifest: Path, output: Path, fmt: str, corrected: str, repeat: int) -> Sample:
    """Rebuilds inside a running `edition watch` (the Watcher), each after
    the correction is made or undone; wall and CPU of the rebuilds, peak of the process."""
    probe = ("import json, resource, sys, time; sys.path.insert(0, sys.argv[1])\n"
             "from pathlib import Path\n"
             "from edition.watch import Watcher\n"
             "from edition.project import default_styles_dir\n"
             "manifest, output = Path(sys.argv[2]), Path(sys.argv[3])\n"
             "states = [manifest.read_text(encoding='utf-8'), Path(sys.argv[5]).read_text(encoding='utf-8')]\n"
             "watcher = Watcher(manifest, output, (sys.argv[4],), styles_dir=default_styles_dir(),\n"
             "                  say=lambda line: None)\n"
             "watcher.changes(); watcher.rebuild()\n"
             "walls, cpus = [], []\n"
             "for n in range(int(sys.argv[6])):\n"
             "    manifest.write_text(states[(n + 1) % 2], encoding='utf-8')\n"
             "    wall, cpu = time.perf_counter(), time.process_time()\n"
             "    assert watcher.poll_once()\n"
             "    walls.append(time.perf_counter() - wall); cpus.append(time.process_time() - cpu)\n"
             "manifest.write_text(states[0], encoding='utf-8')\n"
             "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
             "print(json.dumps([sorted(walls)[len(walls) // 2], sorted(cpus)[len(cpus) // 2], peak]))\n")
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False, encoding="utf-8") as handle:
        handle.write(corrected)
    try:
        result = subprocess.run([PYTHON, "-c", probe, str(ROOT), str(manifest), str(output), fmt, handle.name,
                                 str(max(1, repeat))], check=True, capture_output=True, text=True)
    finally:
        os.unlink(handle.name)
    wall, cpu, peak = json.loads(result.stdout.strip().splitlines()[-1])
    return Sample(wall, cpu, peak)


def cli_rebuild(manifest: Path, output: Path, fmt: str, corrected: str, repeat: int) -> Sample:
    """`edition build` after the correction, with the outputs and parse cache of the build before."""
    original = manifest.read_text(encoding="utf-8")
    samples = []
    try:
        for _ in range(repeat):
            manifest.write_text(original, encoding="utf-8")
            measure(build_argv(manifest, output, fmt))
            manifest.write_text(corrected, encoding="utf-8")
            samples.append(measure(build_argv(manifest, output, fmt)))
    finally:
        manifest.write_text(original, encoding="utf-8")
    return median(samples)


def pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


# --- the run ---------------------------------------------------------------------------


@dataclass
class Row:
    work: str
    k: int
    ours: Sample
    pages: int = 0
    anchor_name: str = ""
    anchor: Sample | None = None


def run(ks: list[int], pdf_ks: list[int], repeat: int, say, pdf_repeat: int | None = None,
        both: bool = True, parallel_from: int = 10, rebuilds: bool = True) -> tuple[list[Row], dict]:
    pdf_repeat = pdf_repeat or repeat
    rows: list[Row] = []
    extra: dict = {}
    with tempfile.TemporaryDirectory(prefix="edition-bench-") as temporary:
        folder = Path(temporary)
        if both:  # what `edition build` does by default, and what the commit hook times (40 s at most)
            say("the sample: EPUB and PDF")
            rows.append(Row("EPUB+PDF (the sample)", 1,
                            repeated(pdf_repeat, lambda: fresh_build(ROOT / "manifest.yaml", folder / "sample",
                                                                     "all"))))
        for k in ks:
            manifest = scaled_edition(k, folder / f"k{k}")
            out = folder / f"out{k}"
            say(f"K={k}: EPUB")
            epub = repeated(repeat, lambda: fresh_build(manifest, out, "epub"))
            say(f"K={k}: pandoc")
            pandoc = repeated(repeat, lambda: pandoc_epub(manifest, folder / "pandoc"))
            rows.append(Row("EPUB", k, epub, anchor_name="pandoc", anchor=pandoc))
            if k in pdf_ks:
                say(f"K={k}: PDF in one process")
                html = folder / f"final{k}.html"
                pdf = repeated(pdf_repeat, lambda: one_process_pdf(manifest, html, out))
                pages = pdf_pages(out / "one.pdf")
                say(f"K={k}: plain WeasyPrint")
                plain = repeated(pdf_repeat, lambda: plain_weasyprint(html, folder))
                rows.append(Row("PDF", k, pdf, pages, "plain WeasyPrint", plain))
                if k >= parallel_from:
                    say(f"K={k}: PDF in {PARALLEL_JOBS} processes")
                    both_ways = repeated(pdf_repeat, lambda: fresh_build(manifest, out, "pdf", PARALLEL_JOBS))
                    rows.append(Row(f"PDF, {PARALLEL_JOBS} processes", k, both_ways,
                                    pdf_pages(next(out.glob("*.pdf"))), "plain WeasyPrint", plain))
        if not rebuilds:
            return rows, extra
        k = max(ks)
        manifest = folder / f"k{k}" / "manifest.yaml"
        out = folder / f"out{k}"
        corrected = one_word_correction(manifest)
        for fmt in ["epub"] + (["pdf"] if k in pdf_ks else []):
            say(f"K={k}: {fmt} rebuilds after a correction")
            fresh_build(manifest, out, fmt)
            times = repeat if fmt == "epub" else pdf_repeat
            cli = cli_rebuild(manifest, out, fmt, corrected, times)
            watch = watch_rebuild(manifest, out, fmt, corrected, times)
            full = next(r.ours for r in rows if r.work == fmt.upper() and r.k == k)
            extra[fmt] = {"k": k, "cli": cli, "watch": watch, "full": full}
    return rows, extra


# --- the report ------------------------------------------------------------------------


def machine() -> str:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB"
    return f"{os.cpu_count()} cores ({model or platform.processor() or platform.machine()}){memory}, " \
           f"{platform.system()} {platform.release()}"


def versions() -> str:
    import importlib.metadata as meta

    parts = [f"Python {platform.python_version()}"]
    for name in ("weasyprint", "markdown-it-py", "ebooklib", "pyyaml"):
        with contextlib.suppress(meta.PackageNotFoundError):
            parts.append(f"{name} {meta.version(name)}")
    with contextlib.suppress(Exception):
        import pypandoc

        parts.append(f"pandoc {pypandoc.get_pandoc_version()}")
    revision = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True).stdout.strip()
    return ", ".join(parts) + (f"; edition at {revision}" if revision else "")


def fit_per_page(rows: list[Row]) -> str:
    """The PDF's cost per page: least squares of CPU time and peak memory on pages."""
    pdf = [(r.pages, r.ours.cpu, r.ours.peak) for r in rows if r.work == "PDF" and r.pages]
    if len(pdf) < 2:
        return ""
    n = len(pdf)
    mean_x = sum(p for p, _, _ in pdf) / n

    def line(index):
        mean_y = sum(row[index] for row in pdf) / n
        slope = sum((row[0] - mean_x) * (row[index] - mean_y) for row in pdf) / sum(
            (row[0] - mean_x) ** 2 for row in pdf)
        return slope, mean_y - slope * mean_x

    seconds, offset = line(1)
    mib, base = line(2)
    return (f"PDF growth (least squares over {n} sizes): {seconds * 1000:.0f} ms of CPU and {mib:.2f} MiB per "
            f"page, on top of {offset:.1f} s and {base:.0f} MiB.")


def report(rows: list[Row], extra: dict, repeat: int, load: tuple, plot: str, pdf_repeat: int | None = None,
           no_pdf: list[int] = ()) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"`python bench/run.py` — {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, "
        f"median of {repeat} run(s) each" + (f" ({pdf_repeat} of each PDF build)" if pdf_repeat else "") + "."
        + (f" The PDF was not built at K = {', '.join(map(str, no_pdf))} in this run." if no_pdf else ""),
        "",
        f"- Machine: {machine()}; load average {load[0]:.2f} / {load[1]:.2f} when the run began.",
        f"- Versions: {versions()}.",
        "- A scaled edition: the sample's five texts with their notes and corrections repeated K times as "
        "separate texts. Every build is its own process from an empty output folder: start-up, reading, "
        "rendering and writing are all counted. *wall* is elapsed time, *CPU* user + system time (the two "
        "differ when other work shares the machine), *peak* the largest resident set, children included.",
        "",
        "| work | K | pages | edition: wall | CPU | peak | anchor | anchor: wall | CPU | peak | ratio (wall) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        a = r.anchor
        ratio = f"**{r.ours.wall / a.wall:.2f}**" if a else ""
        anchor = f"{r.anchor_name} | {a.wall:.2f} s | {a.cpu:.2f} s | {a.peak:.0f} MiB" if a else " | | |"
        lines.append(f"| {r.work} | {r.k} | {r.pages or ''} | {r.ours.wall:.2f} s | {r.ours.cpu:.2f} s | "
                     f"{r.ours.peak:.0f} MiB | {anchor} | {ratio} |")
    if extra:
        lines += ["", "Rebuild after a one-word correction in one text (the parse cache and outputs of the "
                  "build before are there):", "",
                  "| work | K | full build | `edition build` again | in a running `edition watch` | share of full |",
                  "|---|---|---|---|---|---|"]
        for fmt, e in extra.items():
            lines.append(f"| {fmt.upper()} | {e['k']} | {e['full'].wall:.2f} s | {e['cli'].wall:.2f} s "
                         f"(CPU {e['cli'].cpu:.2f} s) | {e['watch'].wall:.2f} s (CPU {e['watch'].cpu:.2f} s) | "
                         f"{e['watch'].wall / e['full'].wall:.0%} |")
    lines += ["", "Targets (the issue's, set for an idle 2-core machine). A build runs in one thread, so on an "
              "idle machine its wall time is about its CPU time; where other work shares the machine, as the "
              "load average above says, CPU time is the fair measure and the verdict is given on both:", ""]
    lines += targets(rows, extra)
    growth = fit_per_page(rows)
    if growth:
        lines += ["", growth]
    if plot:
        lines += ["", f"![CPU time and peak memory against K]({plot})"]
    return "\n".join(lines) + "\n"


def targets(rows: list[Row], extra: dict) -> list[str]:
    out = []

    def row(work, k):
        return next((r for r in rows if r.work == work and r.k == k), None)

    def verdict(wall_ok: bool, cpu_ok: bool) -> str:
        return f"wall **{'met' if wall_ok else 'not met'}**, CPU **{'met' if cpu_ok else 'not met'}**"

    for (work, k), (seconds, mib) in TARGETS.items():
        r = row(work, k)
        if r:
            memory_ok = mib is None or r.ours.peak < mib
            limit = f"< {seconds} s" + (f" and < {mib} MiB" if mib else "")
            out.append(f"- {work}, K={k}, {limit}: {r.ours.wall:.2f} s wall, {r.ours.cpu:.2f} s CPU, "
                       f"{r.ours.peak:.0f} MiB: "
                       f"{verdict(r.ours.wall < seconds and memory_ok, r.ours.cpu < seconds and memory_ok)}")
    if "epub" in extra:
        e = extra["epub"]
        for how, sample in (("in a running `edition watch`", e["watch"]), ("`edition build` again", e["cli"])):
            out.append(f"- EPUB rebuild after one correction, K={e['k']}, {how}, < {EPUB_REBUILD_TARGET} s: "
                       f"{sample.wall:.2f} s wall, {sample.cpu:.2f} s CPU: "
                       f"{verdict(sample.wall < EPUB_REBUILD_TARGET, sample.cpu < EPUB_REBUILD_TARGET)}")
    for r in rows:
        if r.work.startswith("PDF, ") and r.anchor:
            wall, cpu = r.ours.wall / r.anchor.wall, r.ours.cpu / r.anchor.cpu
            out.append(f"- {r.work}, K={r.k}, ratio to plain WeasyPrint ≤ {PARALLEL_RATIO_TARGET} (wall; the CPU "
                       f"ratio is of all processes' CPU), peak < {PARALLEL_PEAK_TARGET} MiB per process: {wall:.2f} "
                       f"wall, {cpu:.2f} CPU, {r.ours.peak:.0f} MiB: wall **"
                       f"{'met' if wall <= PARALLEL_RATIO_TARGET else 'not met'}**, memory **"
                       f"{'met' if r.ours.peak < PARALLEL_PEAK_TARGET else 'not met'}**")
    r = row("PDF", 1)
    if r and r.anchor:
        wall, cpu = r.ours.wall / r.anchor.wall, r.ours.cpu / r.anchor.cpu
        out.append(f"- PDF, K=1, ratio to plain WeasyPrint on the same HTML ≤ {PDF_RATIO_TARGET}: {wall:.2f} wall, "
                   f"{cpu:.2f} CPU: {verdict(wall <= PDF_RATIO_TARGET, cpu <= PDF_RATIO_TARGET)}")
    return out


def plot(rows: list[Row], path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for work, anchor in (("EPUB", "pandoc"), ("PDF", "plain WeasyPrint")):
        chosen = sorted((r for r in rows if r.work == work), key=lambda r: r.k)
        if not chosen:
            continue
        ks = [r.k for r in chosen]
        left.plot(ks, [r.ours.cpu for r in chosen], "o-", label=f"edition {work}")
        left.plot(ks, [r.anchor.cpu for r in chosen], "s--", label=anchor)
        right.plot(ks, [r.ours.peak for r in chosen], "o-", label=f"edition {work}")
        right.plot(ks, [r.anchor.peak for r in chosen], "s--", label=anchor)
    left.set(xlabel="K (copies of the sample's five texts)", ylabel="CPU time (user + system), s", title="Time",
             yscale="log")
    right.set(xlabel="K (copies of the sample's five texts)", ylabel="peak resident memory, MiB", title="Memory",
              yscale="log")
    for axes in (left, right):
        axes.legend(fontsize="small")
        axes.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    return True


def paired(count: int, say) -> str:
    """The K=1 PDF and plain WeasyPrint on its HTML, built in turn `count`
    times, so that whatever else the machine does weighs on both alike."""
    with tempfile.TemporaryDirectory(prefix="edition-bench-") as temporary:
        folder = Path(temporary)
        manifest = scaled_edition(1, folder / "k1")
        html = folder / "final.html"
        final_html(manifest, html)
        ours, plain = [], []
        for n in range(count):
            say(f"pair {n + 1} of {count}")
            ours.append(fresh_build(manifest, folder / "out", "pdf"))
            plain.append(plain_weasyprint(html, folder))
    a, b = median(ours), median(plain)
    return (f"K=1 PDF against plain WeasyPrint, {count} interleaved pairs, medians: edition {a.wall:.2f} s wall, "
            f"{a.cpu:.2f} s CPU; plain {b.wall:.2f} s wall, {b.cpu:.2f} s CPU; ratio {a.wall / b.wall:.3f} wall, "
            f"{a.cpu / b.cpu:.3f} CPU.")


def numbers(value: str) -> list[int]:
    return [int(part) for part in value.split(",") if part.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--k", type=numbers, default=[1, 10, 40], help="sizes to build (default 1,10,40)")
    parser.add_argument("--pdf-k", type=numbers, default=None,
                        help="sizes at which to build the PDF too (default: all of --k)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each build (default 3)")
    parser.add_argument("--pdf-repeat", type=int, default=None, help="runs of each PDF build (default: --repeat)")
    parser.add_argument("--no-both", action="store_true", help="skip the sample built in both formats")
    parser.add_argument("--no-rebuild", action="store_true", help="skip the rebuilds after a correction")
    parser.add_argument("--parallel-from", type=int, default=10, metavar="K",
                        help=f"build the PDF in {PARALLEL_JOBS} processes too from this K on (default 10)")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--paired", type=int, metavar="N",
                        help="only compare the K=1 PDF with plain WeasyPrint, in N interleaved pairs")
    args = parser.parse_args()
    if args.paired:
        print(paired(args.paired, lambda line: print(line, file=sys.stderr, flush=True)))
        return
    pdf_ks = args.k if args.pdf_k is None else args.pdf_k
    load = os.getloadavg()
    rows, extra = run(sorted(args.k), pdf_ks, args.repeat, lambda line: print(line, file=sys.stderr, flush=True),
                      args.pdf_repeat, not args.no_both, args.parallel_from, not args.no_rebuild)
    picture = args.output.with_name("results.png")
    shown = picture.name if plot(rows, picture) else ""
    text = report(rows, extra, args.repeat, load, shown, args.pdf_repeat, sorted(set(args.k) - set(pdf_ks)))
    # The hand-written reading of the numbers, if the file has one, is kept.
    with contextlib.suppress(OSError):
        previous = args.output.read_text(encoding="utf-8")
        if READING in previous:
            text += "\n" + previous[previous.index(READING):]
    args.output.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
