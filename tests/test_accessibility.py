"""Accessibility as the standard checker sees it: Ace by DAISY on the sample
edition and on every test edition (tests/roots/*), built once each and
checked in parallel (Ace lays every document out in chromium: ~15 s a book).

The package claims EPUB Accessibility 1.1 / WCAG 2.1 AA (`dcterms:conformsTo`)
only because these tests pass; its accessibility summary says so."""

from __future__ import annotations

import json
import os
import subprocess
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


@pytest.fixture(scope="module")
def epubs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("a11y")
    return {name: EpubBuilder().build(edition.load(manifest), folder / name, BuildOptions())
            for name, manifest in CASES.items()}


def run_ace(epub: Path, chromium: str, ace: Path) -> dict:
    out = epub.parent / "ace"
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium}
    done = subprocess.run([str(ace), "--silent", "--force", "--outdir", str(out), str(epub)],
                          capture_output=True, text=True, env=env, timeout=600)
    report = out / "report.json"
    assert report.is_file(), f"Ace did not report on {epub.name} (exit {done.returncode}): {done.stderr[-2000:]}"
    return json.loads(report.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def ace_reports(epubs) -> dict[str, dict]:
    chromium, ace = engines.chromium(), engines.ace()
    with ThreadPoolExecutor(max_workers=len(epubs)) as pool:
        futures = {name: pool.submit(run_ace, path, chromium, ace) for name, path in epubs.items()}
        return {name: future.result() for name, future in futures.items()}


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
