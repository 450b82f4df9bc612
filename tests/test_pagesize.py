"""The paper (press.pagesize, newsletter.yaml's page_size): read from the settings, given to the style, held by
the check; the sample built at A5 and B5 passes every check."""

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from press.build import build
from press.check import RULE_IDS, check_pdf
from press.cli import main
from press.load import load_issue
from press.pagesize import A4, PageSize, page_css, parse_page_size, range_problem, standard_size

MM = 72 / 25.4


@pytest.mark.parametrize("written, expected", [
    ("A4", PageSize(210, 297, "A4")), ("a5", PageSize(148, 210, "A5")), (" B5 ", PageSize(176, 250, "B5")),
    ("letter", PageSize(215.9, 279.4, "Letter")), ("A3", PageSize(297, 420, "A3")),
    ("185mm 260mm", PageSize(185, 260)), ("148 mm 210 mm", PageSize(148, 210, "A5")),  # named when it is one
])
def test_a_size_is_read_by_name_or_in_millimetres(written, expected):
    assert parse_page_size(written) == expected


@pytest.mark.parametrize("written", ["A6x", "B5 JIS", "185 260", "185mm", "185mm×260mm", "", "21cm 29.7cm"])
def test_an_unreadable_size_is_none(written):
    assert parse_page_size(written) is None


def test_a_landscape_too_small_or_too_large_paper_is_refused():
    assert range_problem(PageSize(297, 210)).startswith("页面须为竖向 (page_size must be portrait")
    assert range_problem(PageSize(140, 203)) == ("页面太小 (page_size 140 × 203 mm is smaller than press lays out: at "
                                                 "least A5 (148 × 210 mm))")
    assert range_problem(PageSize(420, 594)).startswith("页面太大 (page_size 420 × 594 mm is larger")
    assert [range_problem(parse_page_size(name)) for name in ("A4", "A5", "B5", "Letter", "A3", "182mm 257mm")] \
        == [None] * 6


def test_the_text_block_is_the_widest_whole_number_of_ems_in_a4s_share_of_the_width():
    ems = {name: parse_page_size(name).text_ems() for name in ("A4", "B5", "A5", "Letter", "A3")}
    assert ems == {"A4": 44, "B5": 36, "A5": 31, "Letter": 45, "A3": 62}
    for name in ems:  # never more of the width than A4's 44 ems take of A4
        size = parse_page_size(name)
        assert size.text_ems() * 10.5 / size.width <= 44 * 10.5 / A4.width + 1e-9


def test_the_page_css_gives_the_size_and_the_custom_properties():
    assert page_css(parse_page_size("A5")) == (
        "@page { size: 148mm 210mm; }\n"
        ":root { --page-width: 148mm; --page-height: 210mm; --page-scale: 0.7048; --text-ems: 31; }\n")


def test_a_pdf_page_is_named_by_its_standard_size():
    assert standard_size(419.53, 595.28) == PageSize(148, 210, "A5")
    assert standard_size(595.28, 419.53) is None and standard_size(524.41, 737.01) is None


# In newsletter.yaml ----------------------------------------------------------------------------------------

def build_errors(make_issue, extra: str, name: str = "2024-04") -> str:
    """The output of a failed build of the sample (copied as `name`) with `extra` lines in newsletter.yaml (line
    15 on)."""
    make_issue.use_sample_settings(extra)
    result = CliRunner().invoke(main, ["build", str(make_issue.copy_sample(name)), "-o",
                                       str(make_issue.root / "x.pdf")])
    assert result.exit_code == 2 and "Traceback" not in result.output, result.output
    assert not (make_issue.root / "x.pdf").exists()
    return result.output


def test_a_wrong_page_size_is_an_input_error_at_its_line(make_issue):
    output = build_errors(make_issue, "page_size: A6x\n")
    assert ("newsletter.yaml:15:1: 页面尺寸写法不对 (page_size: A4, A5, B5, Letter, A3 or e.g. 185mm 260mm, got "
            "'A6x')") in output
    output = build_errors(make_issue, "page_size: A6\n", "2024-04c")  # a paper, but smaller than press lays out
    assert ("newsletter.yaml:15:1: 页面太小 (page_size A6 (105 × 148 mm) is smaller than press lays out: at least "
            "A5 (148 × 210 mm))") in output
    output = build_errors(make_issue, "check:\n  page_size: 260mm 185mm\n", "2024-04b")
    assert "newsletter.yaml:16:1: 页面须为竖向 (page_size must be portrait" in output


def test_check_page_size_naming_another_paper_is_an_input_error_at_its_line(make_issue):
    output = build_errors(make_issue, "page_size: A5\ncheck:\n  page_size: A4\n")
    assert ("newsletter.yaml:17:1: check 中的 page_size 与刊物的 page_size 不一致 (check: page_size is A4 (210 × 297 "
            "mm) but page_size is A5 (148 × 210 mm): the check takes the paper from page_size; remove check: "
            "page_size)") in output


@pytest.mark.parametrize("extra, expected", [
    ("", A4), ("page_size: B5\n", PageSize(176, 250, "B5")), ("check:\n  page_size: A5\n", PageSize(148, 210, "A5")),
    ("page_size: 148mm 210mm\ncheck:\n  page_size: a5\n", PageSize(148, 210, "A5")),  # the same paper twice
])
def test_the_paper_is_page_size_else_checks_else_a4_and_the_check_holds_to_it(make_issue, extra, expected):
    make_issue.use_sample_settings(extra)
    settings = load_issue(make_issue.copy_sample()).settings
    assert settings.page_size == expected and settings.check.page_size == expected


def test_check_fails_an_a4_pdf_when_the_issue_says_a5(make_issue, sample_build):
    make_issue.use_sample_settings("page_size: A5\n")
    report = check_pdf(sample_build.path, make_issue.copy_sample(), only=["page-size"])
    [measure] = report.checks
    assert measure.value == len(PdfReader(sample_build.path).pages)
    assert measure.failures[0]["message"] == "page is 210 × 297 mm, expected A5 (148 × 210 mm) portrait"


# The sample at A5 and B5 -----------------------------------------------------------------------------------

@pytest.mark.parametrize("paper", ["A5", "B5"])
def test_the_sample_at_a5_and_b5_passes_every_check_on_pages_of_that_size(make_issue, tmp_path, paper):
    make_issue.use_sample_settings(f"page_size: {paper}\n")
    folder = make_issue.copy_sample()
    pdf = build(folder, tmp_path / "x.pdf").path
    size = parse_page_size(paper)
    boxes = {(round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2))
             for page in PdfReader(pdf).pages}
    assert boxes == {(round(size.width, 2), round(size.height, 2))}  # every page, the cover too
    report = check_pdf(pdf, folder)
    assert [check.id for check in report.checks] == list(RULE_IDS)
    assert [(check.id, [failure["message"] for failure in check.failures]) for check in report.checks
            if not check.passed] == []
    text_block = next(check for check in report.checks if check.id == "text-block")
    assert text_block.detail.startswith(f"text block {size.text_ems()}.00 em of 10.5 pt")
