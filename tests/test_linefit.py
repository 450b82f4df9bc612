"""How lines fill the text block (press.linefit), on small issues built through press's pipeline.

Each issue's style pins its text block (the body pages' side margins) to a number of body ems, so the
tests do not follow the house style's measure.  Runts and numbers parted from their units are put at a
line's end by a hard line break (a backslash ending a Markdown line): they stand there whatever the line
layout does to avoid them.
"""

import re

import pytest

from press import justify, linefit
from press.build import build
from press.check import RULE_IDS, check_pdf, report_text
from press.pdfread import read_pdf
from tests.conftest import article, calls_made
from tests.hostile_pdfs import one_glyph_line_readings

A4_WIDTH = 210 * 72 / 25.4
LEFT = 60.0  # points
HAN = ("新材料产业的发展需要长期投入与协同创新研究团队开发出一种方法利用农业废弃物"
       "提取糖核制造聚酰胺该方法不仅以可再生资源为原料")
PARAGRAPH = HAN + HAN[:38] + "实现了可持续的生产。"  # a first line of 38, a full line of 40, then 10 characters
BREAK = "\\\n"  # a hard line break


def block_css(ems: float) -> str:
    """Margins of the body pages that leave a text block `ems` ems of 10.5 pt wide, and 0.05 pt more: a line of
    exactly the block's width overflows it by rounding (a block of exactly 40 em holds 39 characters a line)."""
    right = A4_WIDTH - LEFT - ems * 10.5 - 0.05
    return f"@page body {{ margin-left: {LEFT}pt; margin-right: {right:.4f}pt; }}"


@pytest.fixture
def built(make_issue, tmp_path):
    """Build an issue of one article from `body` in a text block `ems` wide, with `css` added to its style;
    line_layout=False leaves out press's line layout (press.justify): WeasyPrint's own keeps CSS
    letter-spacing as it is."""
    def run(body: str, ems: float = 40, css: str = "", line_layout: bool = True):
        make_issue.use_sample_settings(css=block_css(ems) + "\n" + css)
        folder = make_issue({"a.md": article("测试", body)})
        with pytest.MonkeyPatch.context() as patch:
            if not line_layout:
                patch.setattr(justify, "install", justify.uninstall)
            try:
                pdf = build(folder, tmp_path / "x.pdf").path
            finally:
                justify.install()
        return read_pdf(pdf)
    return run


CLEAN = "\n\n".join([
    PARAGRAPH,
    f"在 25 ℃ 下，样品的强度超过 250 MPa，厚度为 5 nm[^1]。{PARAGRAPH}",
    "截至年底，累计装机达到 2024",  # a number ending a paragraph, a unit-like letter opening the next
    f"A 股市场{PARAGRAPH}",
    PARAGRAPH,
    "[^1]: 数据来自实验室的测量报告。",
])


def test_an_issue_set_in_a_whole_number_of_ems_passes_and_shows_its_block(built):
    reading = built(CLEAN)
    measures = [linefit.runt(reading), linefit.loose_line(reading), linefit.text_block(reading),
                linefit.unit_break(reading)]
    assert {measure.rule: [failure.message for failure in measure.failures] for measure in measures} == {
        "runt": [], "loose-line": [], "text-block": [], "unit-break": []}
    assert all(measure.counted > 0 for measure in measures)
    assert measures[2].detail == "text block 40.00 em of 10.5 pt; all-CJK lines add 0.000 em median"


def test_the_report_shows_the_block_when_the_rule_passes(built, tmp_path):
    built(CLEAN)
    [line] = report_text(check_pdf(tmp_path / "x.pdf", only=["text-block"])).splitlines()[:1]
    assert line.startswith("PASS text-block") and line.endswith(": text block 40.00 em of 10.5 pt; "
                                                               "all-CJK lines add 0.000 em median")


def test_the_new_rules_follow_overflow():
    start = RULE_IDS.index("overflow") + 1
    assert RULE_IDS[start:start + 4] == ("runt", "loose-line", "text-block", "unit-break")


def test_a_last_line_of_one_character_or_of_punctuation_only_is_a_runt(built):
    body = "\n\n".join([
        f"{HAN[:20]}{BREAK}大。",
        f"{HAN[:20]}{BREAK}学[^1]。",  # the call is no character
        f"{HAN[:20]}{BREAK}……",
        f"{HAN[:20]}{BREAK}PET。",  # a Latin word counts as its letters
        f"{HAN[:20]}{BREAK}5 倍。",
        "大。",  # a paragraph of one line
        "[^1]: 注文。",
    ])
    measured = linefit.runt(built(body))
    last = f"a paragraph's last line of 1 character: {HAN[8:20]}⏎"
    assert [(failure.page, failure.message) for failure in measured.failures] == [
        ("1", f"{last}大。"), ("1", f"{last}学1。"), ("1", "a line of punctuation only: ……")]
    assert measured.counted == 11  # body lines


def test_letter_spacing_between_han_characters_makes_a_loose_line(built):
    body = f"{HAN[:20]}**加粗的文字**{HAN}。\n\n{PARAGRAPH}"
    measured = linefit.loose_line(built(body, css="strong { letter-spacing: 0.3em; }", line_layout=False))
    [failure] = measured.failures
    assert failure.page == "1"
    assert failure.message.startswith("0.30 em between Han characters: ") and "加粗的文字" in failure.message
    assert measured.counted >= 3


def test_a_block_of_a_fraction_of_an_em_spaces_its_han_lines_out(built):
    measured = linefit.text_block(built("\n\n".join([PARAGRAPH] * 4), ems=40.5))
    messages = [failure.message for failure in measured.failures]
    assert len(messages) == 2, messages
    width = float(re.match(r"text block (\d+\.\d+) em of 10.5 pt wide, not a whole number of ems", messages[0])[1])
    assert 40.45 <= width <= 40.5
    spacing = float(re.match(r"lines of Han text add (\d\.\d+) em per Han gap", messages[1])[1])
    assert 0.01 <= spacing <= 0.013  # half an em over the 39 gaps of a line
    assert measured.detail.startswith(f"text block {width:.2f} em of 10.5 pt; all-CJK lines add 0.01")


def test_a_raised_superscript_that_pushes_its_line_down_breaks_the_pitch(built):
    body = f"{HAN[:48]}浓度 10^6^ 倍{HAN}。\n\n{PARAGRAPH}"
    measured = linefit.text_block(built(body, css="sup { vertical-align: 1.2em; line-height: normal; }"))
    [failure] = measured.failures
    step, usual = map(float, re.match(r"(\d+\.\d) pt below the line before, not (\d+\.\d+) pt", failure.message)
                      .groups())
    assert step > usual + 0.5 and "106" in failure.message and failure.page == "1"


def test_a_number_at_a_line_end_whose_unit_starts_the_next_line_is_a_unit_break(built):
    body = "\n\n".join([
        f"{HAN[:20]}超过 250{BREAK}MPa 的强度。",
        f"{HAN[:20]}面积为 5{BREAK}m^2^ 左右。",  # the superscript 2 drawn small is left out
        f"{HAN[:20]}共 3{BREAK}mass spectra 数据。",  # a word, no unit
        f"{HAN[:20]}第 12{BREAK}号样品。",
    ])
    measured = linefit.unit_break(built(body))
    assert [failure.message for failure in measured.failures] == [
        "number and unit MPa on two lines: …与协同创新研超过 250⏎MPa 的强度。…",
        "number and unit m on two lines: …入与协同创新研面积为 5⏎m2 左右。…"]
    assert measured.counted == 4


def test_the_measures_grow_no_faster_than_the_lines_of_a_page(tmp_path):
    readings = one_glyph_line_readings(tmp_path)

    def measure_all(reading):
        return [rule(reading) for rule in (linefit.runt, linefit.loose_line, linefit.text_block, linefit.unit_break)]
    small, large = (calls_made(lambda reading=reading: measure_all(reading)) for reading in readings)
    assert large < 2.3 * small, (small, large)


def test_a_short_issue_s_few_han_lines_are_judged_each_alone_not_by_their_median(make_issue, tmp_path):
    # Two full lines of Han text, one opened up before an unbreakable 500 Wh/kg (within loose-line's bar):
    # their median is no measure of a block; with five or more it is.
    body = ("斯坦福大学崔屹团队提出一种“无负极”锂金属电池设计，电池在组装时不含锂金属负极，"
            "首次充电时锂直接沉积在铜集流体上。"
            "该设计可将电芯能量密度提升至 500 Wh/kg 以上[^1]。\n\n"
            "难点在于库仑效率：每循环损失 0.1% 的锂，300 次后容量即降至 74%。"
            "研究人员采用局部高浓度电解液，将平均库仑效率提高到 99.8%。\n\n"
            "[^1]: Cui, Y. *et al.* Anode-free lithium metal batteries. *Science* 388, eadk1234 (2025).")
    make_issue.use_sample_settings("page_size: 185mm 260mm\n")
    folder = make_issue({"a.md": article("锂金属负极的“无负极”设计", body)})
    reading = read_pdf(build(folder, tmp_path / "x.pdf").path)
    lines = linefit.body_lines(reading)
    assert 0 < linefit.han_lines(lines) < linefit.MEDIAN_LINES
    assert linefit.text_block(reading).failures == []
    assert linefit.text_block(reading).detail.endswith("em median")  # the median is still reported
