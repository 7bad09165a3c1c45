"""The `edition` command as a user runs it: exit codes and messages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from edition.cli import main

from .helpers import MANIFEST, write_project


SOURCE = str(Path(__file__).resolve().parents[1])


def run(*args, cwd=None):
    """Runs `python -m edition` (this source tree) in a subprocess, as the user would."""
    env = {**os.environ, "PYTHONPATH": SOURCE}
    return subprocess.run([sys.executable, "-m", "edition", *args], capture_output=True, text=True, cwd=cwd,
                          env=env)


def test_check_on_the_sample_edition_is_clean(repo_root):
    result = run("check", cwd=repo_root)
    assert result.returncode == 0, result.stderr
    assert "the edition is sound: 5 texts" in result.stdout
    assert result.stderr == ""


def test_check_lists_every_problem_and_exits_1(tmp_path):
    manifest = MANIFEST.replace("  title:", "  titel: x\n  title:") + \
        "    notes:\n      - at: nowhere\n        note: x\n"
    write_project(tmp_path, manifest)
    result = run("check", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        'manifest.yaml:2:3: unknown key "titel" in "edition" (did you mean "title"?)',
        'manifest.yaml:10:9: the note\'s phrase "nowhere" is not in texts/one.md',
        "2 problems found.",
    ]


@pytest.mark.parametrize("content", [
    b"edition: [unclosed\n",
    b"- just\n- a list\n",
    b"\xff\xfe not utf-8",
    b"edition:\n  title: 3\n",
    b"texts: 5\nedition: {}\n",
    b"\t\tedition:\n",
])
def test_bad_manifests_give_messages_not_tracebacks(tmp_path, content):
    (tmp_path / "manifest.yaml").write_bytes(content)
    result = run("check", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("manifest.yaml:")


def test_missing_manifest(tmp_path):
    result = run("check", "--manifest", "nothing.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"{tmp_path.resolve() / 'nothing.yaml'} does not exist: ")
    assert "edition new DIR" in result.stderr and "--manifest PATH" in result.stderr


def test_usage_errors_exit_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["build", "--format", "docx"])
    assert exit_.value.code == 2
    assert main([]) == 2


def test_new_project_checks_at_once(tmp_path, capsys):
    target = tmp_path / "my-edition"
    assert main(["new", str(target)]) == 0
    assert (target / "styles" / "fonts" / "OFL.txt").is_file()
    assert main(["check", "--manifest", str(target / "manifest.yaml")]) == 0
    assert "the edition is sound: 1 texts, 2 notes" in capsys.readouterr().out
    assert main(["new", str(target)]) == 2  # never overwrites


def test_import_writes_a_text_that_checks(tmp_path, capsys):
    raw = tmp_path / "raw.txt"
    raw.write_text("Leon Trotsky\n\nA Short Letter\n\n(March 1932)\n\nWritten: 1 March 1932.\n"
                   "Source: The Militant, 9 April 1932.\n\nDear Comrades,\n\nThe words of the letter.\n\n"
                   "Yours,\n\nL. Trotsky\n", encoding="utf-8")
    project = tmp_path / "p"
    write_project(project, MANIFEST.replace("texts/one.md", "texts/short.md"), texts={})
    assert main(["import", str(raw), "-o", str(project / "texts" / "short.md")]) == 0
    assert main(["check", "--manifest", str(project / "manifest.yaml")]) == 0


def test_installed_package_carries_the_default_styles(tmp_path):
    """`pip install .` puts styles/ inside the package; `edition new` copies them from there."""
    result = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q",
                             "--target", str(tmp_path / "site"), SOURCE], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    code = "import edition.project as p; print(p.default_styles_dir())"
    where = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    styles = Path(where.stdout.strip())
    assert styles.is_relative_to(tmp_path / "site")
    assert (styles / "print.css").is_file() and (styles / "fonts" / "OFL.txt").is_file()
