"""The PDF as a typesetter and a printer see it (issue 11): the sample built
once in the print profile and measured with `edition.typeset_check`, plus
the small test edition (6×9 in, bleed, tagged) in the print profile."""

from __future__ import annotations

from pathlib import Path

import pytest

import edition
from edition.builders import BuildOptions
from edition.builders.pdf import PdfBuilder
from edition.hyphenation import SOFT_HYPHEN, Exceptions
from edition.typeset_check import known_breaks, measure

from .helpers import MANIFEST, diagnostics_of, write_project
from .test_pdf import no_weasyprint_warnings

REPO = Path(__file__).resolve().parents[1]
STYLES = REPO / "styles"


def build(manifest: Path, out: Path, profile: str = "print"):
    loaded = edition.load(manifest)
    with no_weasyprint_warnings():
        path = PdfBuilder().build(loaded, out, BuildOptions(profile=profile, styles_dir=STYLES))
    return loaded, path, measure(path, loaded.metadata.trim)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return build(REPO / "manifest.yaml", tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="module")
def parts(tmp_path_factory):
    return build(REPO / "tests" / "roots" / "pdf-parts" / "manifest.yaml", tmp_path_factory.mktemp("parts"))


# --- word breaks ----------------------------------------------------------------


def test_words_break_only_where_a_us_dictionary_allows(sample):
    _, _, report = sample
    assert len(report.hyphenated) > 50  # the text is hyphenated at all
    assert report.wrong_breaks == []
    # the manifest's exceptions hold: proletariat never breaks as prolet-ariat
    assert all(word.lower() not in ("prolet-ariat", "appar-atus", "theor-etician") for _, word in report.hyphenated)


def test_the_check_knows_a_wrong_break():
    table = known_breaks(("bu-reau-cra-cy",))
    assert table == {"bureaucracy": {2, 6, 9}}


def test_exceptions_allow_only_their_own_breaks_and_none_near_the_ends():
    exceptions = Exceptions.of(["pro-le-tar-i-at", "Trotsky", "a-part"])
    marked = exceptions.mark("The Proletariat & proletarians; Trotsky's apart.")
    assert marked == (f'The <span class="hy">Pro{SOFT_HYPHEN}le{SOFT_HYPHEN}tar{SOFT_HYPHEN}iat</span> &amp; '
                      f'proletarians; <span class="hy">Trotsky</span>&#39;s <span class="hy">apart</span>.')


def test_a_bad_hyphenation_entry_is_reported_with_its_line(tmp_path):
    manifest = MANIFEST.replace("  date: 2026-01-01\n", "  date: 2026-01-01\n  hyphenation: [pro-le-tar-i-at, 12-b]\n")
    problems = diagnostics_of(write_project(tmp_path, manifest))
    assert len(problems) == 1
    assert problems[0].startswith("manifest.yaml:6:")
    assert '"12-b"' in problems[0]
