"""Accessibility as the standard checker sees it: Ace by DAISY on the sample
edition and on every test edition (tests/roots/*), built once each and
checked in parallel (Ace lays every document out in chromium: ~15 s a book),
in the background while the other tests run.

The package claims EPUB Accessibility 1.1 / WCAG 2.1 AA (`dcterms:conformsTo`)
only because these tests pass; its accessibility summary says so."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from lxml import etree

import edition
from edition.builders import BuildOptions
from edition.builders.epub import EpubBuilder

from . import engines

CASES = {"sample": engines.REPO / "manifest.yaml",
         **{root.name: root / "manifest.yaml" for root in sorted((engines.REPO / "tests" / "roots").iterdir())
            if (root / "manifest.yaml").is_file()}}


def run_ace(epub: Path, chromium: str, ace: Path) -> dict:
    out = epub.parent / "ace"
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium}
    done = subprocess.run([str(ace), "--silent", "--force", "--outdir", str(out), str(epub)],
                          capture_output=True, text=True, env=env, timeout=600)
    report = out / "report.json"
    assert report.is_file(), f"Ace did not report on {epub.name} (exit {done.returncode}): {done.stderr[-2000:]}"
    return json.loads(report.read_text(encoding="utf-8"))


class AceRun:
    """The books built and checked by Ace in a background thread. conftest.py
    starts it as soon as these tests are collected, so that Ace (mostly
    waiting on chromium) runs while the other tests do."""

    def __init__(self):
        self.future = None
        self.folder: Path | None = None

    def start(self) -> None:
        if self.future is None and engines.ACE.is_file() and shutil.which("node") and engines.chromium_path():
            self.folder = Path(tempfile.mkdtemp(prefix="edition-ace-"))
            self.future = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ace").submit(self._run)

    def _run(self) -> tuple[dict[str, Path], dict[str, dict]]:
        epubs = {name: EpubBuilder().build(edition.load(manifest), self.folder / name, BuildOptions())
                 for name, manifest in CASES.items()}
        with ThreadPoolExecutor(max_workers=len(epubs)) as pool:
            futures = {name: pool.submit(run_ace, path, engines.chromium_path(), engines.ACE)
                       for name, path in epubs.items()}
            return epubs, {name: future.result() for name, future in futures.items()}

    def result(self) -> tuple[dict[str, Path], dict[str, dict]]:
        engines.chromium(), engines.ace()  # skipped (failed in CI) here without them
        self.start()
        return self.future.result()

    def close(self) -> None:
        if self.future is not None:
            self.future.cancel()
            try:
                self.future.result()
            except Exception:  # reported by the tests that use it
                pass
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


ACE_RUN = AceRun()


@pytest.fixture(scope="module")
def epubs() -> dict[str, Path]:
    return ACE_RUN.result()[0]


@pytest.fixture(scope="module")
def ace_reports() -> dict[str, dict]:
    return ACE_RUN.result()[1]


def violations(report: dict) -> list[str]:
    """Every failed check of an Ace report: 'document: rule (impact): what'."""
    found = []
    for document in report["assertions"]:
        for check in document.get("assertions", []):
            if check["earl:result"]["earl:outcome"] != "pass":
                test = check["earl:test"]
                found.append(f'{document["earl:testSubject"]["url"]}: {test["dct:title"]} '
                             f'({test.get("earl:impact", "?")}): {check["earl:result"].get("dct:description", "")}')
    return found


@pytest.mark.parametrize("case", list(CASES))
def test_ace_finds_no_violations(ace_reports, case):
    report = ace_reports[case]
    assert violations(report) == []
    assert report["earl:result"]["earl:outcome"] == "pass"


def test_ace_read_the_accessibility_metadata_and_every_document(ace_reports, epubs):
    report = ace_reports["sample"]
    present = set(report["a11y-metadata"]["present"])
    assert {"schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
            "schema:accessibilityHazard", "schema:accessibilitySummary", "dcterms:conformsTo"} <= present
    checked = {document["earl:testSubject"]["url"].rsplit("/", 1)[-1] for document in report["assertions"]}
    with zipfile.ZipFile(epubs["sample"]) as archive:
        pages = {name.rsplit("/", 1)[-1] for name in archive.namelist() if name.endswith(".xhtml")}
    assert pages <= checked


def test_the_conformance_claim_says_how_it_was_checked(epubs):
    ns = {"opf": "http://www.idpf.org/2007/opf"}
    with zipfile.ZipFile(epubs["sample"]) as archive:
        opf = etree.fromstring(archive.read(next(n for n in archive.namelist() if n.endswith(".opf"))))
    meta = {e.get("property"): e.text for e in opf.findall("opf:metadata/opf:meta[@property]", ns)}
    assert meta["dcterms:conformsTo"] == "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
    summary = meta["schema:accessibilitySummary"]
    assert "Ace by DAISY" in summary and "EPUBCheck" in summary
    assert opf.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
