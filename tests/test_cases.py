"""The corpus of broken issues (tests/cases): each gives exactly its message and exit 2, or builds cleanly."""

import shutil

import pdfplumber
import pytest
from click.testing import CliRunner

from press.cjk import CLOSING
from press.cli import main
from tests.conftest import ROOT

CASES = ROOT / "tests" / "cases"
MM = 72 / 25.4
TEXT_BLOCK = (22 * MM, (210 - 22) * MM)  # the default style's A4 body margins, in points


def ink_end(char: dict) -> float:
    """Where a glyph's ink ends: a closing mark set half-width at a line's end has its ink in its left half."""
    return char["x0"] + char["size"] / 2 if char["text"] in CLOSING else char["x1"]


def case_names(broken: bool) -> list[str]:
    return sorted(case.name for case in CASES.iterdir()
                  if case.is_dir() and (case / "expected.txt").exists() == broken)


def run_case(name: str, tmp_path, monkeypatch):
    """`press build -q issues/<name> -o out.pdf` in a tree holding the case and the sample's settings."""
    issues = tmp_path / "issues"
    issues.mkdir()
    settings = (ROOT / "issues" / "newsletter.yaml").read_text(encoding="utf-8")
    (issues / "newsletter.yaml").write_text(
        settings + f"styles_dir: {ROOT / 'styles'}\nfonts_dir: {ROOT / 'fonts'}\n", encoding="utf-8")
    shutil.copytree(CASES / name, issues / name, ignore=shutil.ignore_patterns("expected.txt"))
    monkeypatch.chdir(tmp_path)
    return CliRunner().invoke(main, ["build", "-q", f"issues/{name}", "-o", "out.pdf"])


def test_the_corpus_covers_every_fault_of_issue_6():
    assert len(case_names(broken=True)) >= 20
    assert {"bom-crlf-tabs", "unbreakable-long-string"} <= set(case_names(broken=False))


@pytest.mark.parametrize("name", case_names(broken=True))
def test_a_broken_issue_gives_its_message_and_exit_2(name, tmp_path, monkeypatch):
    result = run_case(name, tmp_path, monkeypatch)
    assert result.exit_code == 2, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    assert result.stderr == (CASES / name / "expected.txt").read_text(encoding="utf-8")
    assert result.stdout == ""
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.parametrize("name", case_names(broken=False))
def test_an_awkward_issue_builds_inside_the_text_block(name, tmp_path, monkeypatch):
    result = run_case(name, tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output
    with pdfplumber.open(tmp_path / "out.pdf") as pdf:
        body = pdf.pages[2:]  # after the cover and the contents
        assert body
        for page in body:
            outside = [char["text"] for char in page.chars
                       if char["x0"] < TEXT_BLOCK[0] - 1 or ink_end(char) > TEXT_BLOCK[1] + 1]
            assert outside == [], f"page {page.page_number}: {''.join(outside)[:40]}"
