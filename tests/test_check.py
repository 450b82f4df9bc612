"""`press check`: the typography bars on the sample's PDF, and failures on a raw WeasyPrint build."""

import json

import pytest
from click.testing import CliRunner

from press import justify, render
from press.build import build
from press.check import BARS, check_pdf
from press.cli import main
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def raw_sample(tmp_path_factory):
    """The sample built with WeasyPrint's own line layout and without press's text rules."""
    patch = pytest.MonkeyPatch()
    patch.setattr(justify, "install", justify.uninstall)
    patch.setattr(render, "apply_text_rules", lambda html: html)
    try:
        return build(SAMPLE, tmp_path_factory.mktemp("raw") / "raw.pdf").path
    finally:
        patch.undo()
        justify.install()


def test_the_sample_meets_every_typography_bar(sample_build):
    checks = check_pdf(sample_build.path)
    assert [check.id for check in checks] == list(BARS)
    failed = {check.id: check.failures[:3] for check in checks if not check.passed}
    assert failed == {}
    values = {check.id: check.value for check in checks}
    assert values["justify"] >= 0.98 and values["punct-squeeze"] >= 0.9 and values["han-latin-gap"] >= 0.95
    assert values["line-break"] == 0 and values["fonts"] == 0


def test_raw_weasyprint_misses_the_bars_and_the_report_says_where(raw_sample):
    result = CliRunner().invoke(main, ["check", str(raw_sample)])
    assert result.exit_code == 1
    assert "FAIL justify" in result.output
    assert "FAIL punct-squeeze" in result.output
    assert "FAIL han-latin-gap" in result.output
    assert "page 1: " in result.output
    assert result.output.strip().endswith("checks passed.")


def test_json_report_lists_every_check_with_its_failures(raw_sample):
    result = CliRunner().invoke(main, ["check", "--json", str(raw_sample)])
    report = json.loads(result.output)
    assert report["passed"] is False
    by_id = {check["id"]: check for check in report["checks"]}
    assert set(by_id) == set(BARS)
    assert by_id["punct-squeeze"]["value"] == 0.0
    assert by_id["punct-squeeze"]["failures"][0]["page"] == "1"
    assert {"id", "passed", "value", "bar", "counted", "about", "failures"} <= set(by_id["justify"])


def test_the_sample_passes_on_the_command_line(sample_build):
    result = CliRunner().invoke(main, ["check", str(sample_build.path)])
    assert result.exit_code == 0, result.output
    assert "7 of 7 checks passed." in result.output


def test_an_unreadable_pdf_is_an_input_error(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\nnot really")
    result = CliRunner().invoke(main, ["check", str(broken)])
    assert result.exit_code == 2
    assert "broken.pdf" in result.output
    assert "Traceback" not in result.output
