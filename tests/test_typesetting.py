"""Chinese typesetting measured on real PDFs: each rule fails without press's fix and passes with it.

Each test builds a small issue twice through the whole pipeline: as press
builds it, and "raw" — with WeasyPrint's own line layout and without the text
rules of `cjk` — then reads glyph positions back from both PDFs.
"""

import re
from itertools import pairwise

import pytest

from press import cjk, justify, render
from press.build import build
from press.cjk import is_han
from press.measure import (
    body_lines,
    han_latin,
    justification,
    line_breaking,
    page_breaks,
    punctuation,
)
from press.pdfread import read_pdf
from tests.conftest import ROOT, article

SEED = (ROOT / "tests" / "data" / "seed-2024-04.txt").read_text(encoding="utf-8")
PURE_HAN = [line.strip() for line in SEED.splitlines()
            if len(line.strip()) > 120 and not re.search(r"[A-Za-z0-9]", line)]


@pytest.fixture
def typeset(make_issue, tmp_path, monkeypatch):
    """Build an issue of one article from `body`; raw=True leaves out press's Chinese rules."""
    def run(body: str, raw: bool = False, name: str = "2024-05"):
        with monkeypatch.context() as patch:
            if raw:
                patch.setattr(justify, "install", justify.uninstall)
                patch.setattr(render, "apply_text_rules", lambda html: html)
            folder = make_issue({"a.md": article("测试", body)}, name=name)
            built = build(folder, tmp_path / f"{name}{'-raw' if raw else ''}.pdf")
        return read_pdf(built.path)
    return run


def test_pure_han_paragraphs_are_flush_right_only_with_the_adapter(typeset):
    body = "\n\n".join(PURE_HAN * 2)
    # On a whole-em text block most pure Han lines fill it by themselves; the lines that give a character to
    # the next (a mark that may not start a line, a paragraph's bound tail) stay short without the adapter.
    assert justification(typeset(body, raw=True)).value < 0.95
    measured = justification(typeset(body))
    assert measured.counted > 40
    assert measured.value == 1.0, measured.failures


def test_adjacent_marks_take_one_and_a_half_em(typeset):
    body = "\n\n".join("他说：“材料很重要。”随后指出：“产业（含上下游）需要协同。”" * 6 for _ in range(3))
    assert punctuation(typeset(body, raw=True)).value == 0.0
    measured = punctuation(typeset(body))
    assert measured.counted >= 60
    assert measured.value == 1.0, measured.failures
    assert line_breaking(typeset(body)).value == 0


MIXED = ("采用GaN器件和SiC衬底的电源模块，2023年销量增长了35%，其中Two-dimensional materials"
         "与MoS~2~薄膜的研究最为活跃，参见https://example.org/report-2023的统计。")


def test_han_latin_gaps_are_a_quarter_em_never_doubled_never_in_urls(typeset):
    body = "\n\n".join([MIXED * 4, MIXED.replace("GaN", " GaN ") * 4])
    assert han_latin(typeset(body, raw=True)).value < 0.5
    reading = typeset(body)
    measured = han_latin(reading)
    assert measured.counted > 60
    assert measured.value >= 0.98, measured.failures
    text = "".join(page.text for page in reading.pages)
    assert "https://example.org/report-2023的" in text.replace("\n", "")


def widest_gap(reading) -> float:
    """The widest gap between two glyphs on a non-final body line, in em."""
    widest = 0.0
    for item in body_lines(reading):
        glyphs = [char for char in item.line.chars if char["text"].strip()]
        if not item.final:
            widest = max([widest] + [(after["x0"] - before["x1"]) / before["size"]
                                     for before, after in pairwise(glyphs)])
    return widest


JOURNALS = ["Advanced Materials", "Science Advances", "ACS Nano", "Nano Letters", "Chemical Reviews",
            "Nature Energy", "Physical Review", "Applied Physics", "Solar Energy", "Energy Materials"]


def widest_han_gap(reading) -> float:
    """The most space added between two Han characters on a non-final body line, in em."""
    widest = 0.0
    for item in body_lines(reading):
        glyphs = [char for char in item.line.chars if char["text"].strip()]
        if not item.final:
            widest = max([widest] + [(after["x0"] - before["x1"]) / before["size"] for before, after in pairwise(glyphs)
                                     if is_han(before["text"][0]) and is_han(after["text"][0])])
    return widest


def test_a_han_line_with_one_latin_space_shares_its_slack(typeset):
    body = "\n\n".join(f"研究人员在国际期刊{journal}上发表了关于二维材料可控合成与器件集成的系统性研究成果，"
                       "并展示了其在柔性电子与可穿戴设备领域的应用前景。" for journal in JOURNALS)
    assert widest_gap(typeset(body, raw=True)) > 0.6
    assert widest_gap(typeset(body)) < 0.5  # the word space takes its share first, then the Han gaps theirs
    assert widest_han_gap(typeset(body)) <= 0.15


def test_latin_heavy_lines_keep_han_gaps_within_bounds_and_spaces_narrower_than_raw(typeset):
    body = ("这项研究由Lawrence Berkeley National Laboratory与Pacific Northwest National Laboratory"
            "合作完成，成果发表在Advanced Materials和Nature Communications上。") * 6
    assert widest_han_gap(typeset(body)) <= 0.15
    assert widest_gap(typeset(body)) < widest_gap(typeset(body, raw=True)) * 0.85


@pytest.mark.parametrize("mark", ["——", "·"])
def test_dash_and_middle_dot_never_start_a_line(typeset, mark):
    # Digits before the Han text shift where the line is full, so that in some paragraph the
    # mark falls exactly at the end of the first line (42.8 em after the indent; a digit is 0.47 em).
    paragraphs = [("1" * digits) + ("材" * length) + mark + "料" * 20 for digits in range(12)
                  for length in range(int(42.8 - 0.471 * digits) - 1, int(42.8 - 0.471 * digits) + 2)]
    body = "\n\n".join(paragraphs)
    raw = line_breaking(typeset(body, raw=True))
    assert any(f"starts with {mark[0]}" in failure.message for failure in raw.failures)
    fixed = line_breaking(typeset(body))
    assert fixed.value == 0, fixed.failures


def test_a_line_ending_in_a_full_stop_and_closing_quote_keeps_them_together(typeset):
    paragraphs = [("研" * length) + "。”" + "究" * 20 for length in range(38, 48)]
    reading = typeset("\n\n".join(paragraphs))
    assert line_breaking(reading).value == 0
    lines = [line.text for page in reading.pages for line in page.lines]
    assert any(line.endswith("。”") for line in lines)


def test_headings_keep_their_first_lines_and_paragraphs_keep_two(typeset):
    paragraph = "。".join(PURE_HAN)
    body = "\n\n".join(f"# 小标题{index}\n\n{paragraph}" for index in range(6))
    measured = page_breaks(typeset(body))
    assert measured.counted > 100
    assert measured.value == 0, measured.failures


def test_text_rules_space_han_and_latin_once_and_leave_urls_and_code_alone():
    html = ('<p>采用GaN器件，<em>Nature</em>发表，2023年 共 3 篇</p>'
            '<p>见https://a.cn/x中<code>a中b</code></p><p>A</p><p>中</p>')
    spaced = cjk.apply_text_rules(html)
    assert "采用 GaN 器件，<em>Nature</em> 发表，2023 \u2060年 共 3 \u2060篇" in spaced
    assert "见https://a.cn/x中" in spaced
    assert "<code>a中b</code>" in spaced
    assert "<p>A</p><p>中</p>" in spaced


def test_text_rules_do_not_space_across_a_footnote_and_glue_dashes():
    html = ('<p>等<span class="fn-call-mark" id="fn-call-1"></span>'
            '<span class="footnote" id="fn-1">DOE report</span>。他说——好·的</p>')
    spaced = cjk.apply_text_rules(html)
    assert 'id="fn-1">DOE report</span>' in spaced
    assert "他说\u2060——好\u2060·\u2060的" in spaced  # and the paragraph's tail bound


def test_entities_count_as_one_character():
    assert cjk.apply_text_rules("<p>研发&amp;D</p>") == "<p>研发&amp;\u2060D</p>"
    assert cjk.apply_text_rules("<p>&quot;中A</p>") == "<p>&quot;中 \u2060A</p>"


def test_widows_orphans_and_stranded_headings_are_found_when_the_style_allows_them(typeset, make_issue):
    paragraphs = "\n\n".join("材料" * (20 + 7 * (index % 5)) + "。" for index in range(40))
    body = "\n\n".join(f"# 小标题{index}\n\n{paragraphs[: 300 + 97 * index]}" for index in range(8))
    assert page_breaks(typeset(body)).value == 0
    templates = make_issue.root / "issues" / "2024-06" / "templates"
    templates.mkdir(parents=True)
    loose = "<style>.article p { widows: 1; orphans: 1 } .subhead { break-after: auto }</style></head>"
    page = (ROOT / "styles" / "default" / "issue.html").read_text(encoding="utf-8")
    (templates / "issue.html").write_text(page.replace("</head>", loose, 1), encoding="utf-8")
    loose_pages = page_breaks(typeset(body, name="2024-06"))
    assert loose_pages.value > 0
    assert any(kind in failure.message for failure in loose_pages.failures for kind in ("widow", "orphan", "heading"))


def test_a_table_caption_stays_on_the_page_of_its_table(typeset):
    blocks = [f"{'测' * (60 + 37 * index)}。\n\n表 {index} 项目{index}\n\n| 编号{index} | 内容 |\n| --- | --- |\n"
              + "".join(f"| {row} | 研究内容第{row}项。 |\n" for row in range(4)) for index in range(1, 13)]
    body = "\n\n".join(blocks)

    def separated(reading):
        pages = {}
        for page in reading.pages:
            for line in page.lines:
                for kind, pattern in (("caption", r"^表 (\d+) 项目"), ("table", r"^编号 ?(\d+)")):
                    if match := re.match(pattern, line.text):
                        pages.setdefault(int(match.group(1)), {}).setdefault(kind, page.index)
        return [index for index, found in pages.items() if found["caption"] != found["table"]]

    assert separated(typeset(body)) == []
    as_paragraphs = body.replace("\n\n|", "\n\n正文。\n\n|")  # the title is no longer right above the table
    assert separated(typeset(as_paragraphs, name="2024-07")) != []


def test_a_caption_goes_with_a_table_whose_tall_first_row_starts_the_next_page(typeset):
    filler = "这是一段用来填满页面的正文，内容不重要，只是为了让表格的表题落在页面底部附近。" * 6
    rows = "".join(f"| 编号{row} | " + "表格第一行的内容很长很长，" * 12 + " |\n" for row in range(1, 4))
    table = "表 2 研究内容\n\n| 序号 | 内容 |\n| --- | --- |\n" + rows
    together, carried = [], 0
    for step in range(0, 24, 2):  # a line more each time: the caption comes to the foot of the page
        body = "\n\n".join([filler] * 4) + "多" * 43 * step + "\n\n" + table
        reading = typeset(body, name=f"2024-{step + 1:02d}")
        where = {kind: next((page.index, number) for page in reading.pages
                            for number, line in enumerate(page.flow) if re.match(pattern, line.text))
                 for kind, pattern in (("caption", r"^表 2 研究内容"), ("table", r"^编号 ?1"))}
        together.append(where["caption"][0] == where["table"][0])
        carried += where["caption"][1] <= 1  # the caption opens a page: it went over with its table
    assert all(together), together
    assert carried  # the case was met: a caption that would have stood at the foot of a page


def test_a_gene_sequence_broken_across_lines_is_letter_spaced_to_the_margin(typeset):
    # No Han, no mark, no space: nothing to justify by the house rules, and overflow-wrap breaks the run
    # anywhere; the lines it breaks are letter-spaced to the margin, as a publisher sets them.
    import random

    bases = random.Random(7)
    sequence = "".join(bases.choice("ACGT") for _ in range(3000))
    measured = justification(typeset(f"测得的序列如下：\n\n{sequence}\n\n序列到此为止。"))
    assert measured.counted > 20
    assert measured.value == 1.0, measured.failures


HAN_ONLY = "".join(char for char in "".join(PURE_HAN) if is_han(char))


def last_lines(reading) -> list[str]:
    """The last line of each body paragraph of more than one line, without spaces and joiners."""
    lines = body_lines(reading)
    return [re.sub(r"[\s\u2060\u200b]", "", item.line.text) for before, item in pairwise(lines)
            if item.final and not before.final]


def test_no_paragraph_ends_with_one_character_alone_on_its_last_line(typeset):
    # An indented first line holds 42 characters of the 44-em block: the 43rd and the full stop would stand alone.
    body = "\n\n".join(HAN_ONLY[start:start + 43] + "。" for start in range(0, 43 * 8, 43))
    raw = last_lines(typeset(body, raw=True))
    assert len(raw) == 8 and all(len(line) == 2 for line in raw), raw
    pressed = last_lines(typeset(body))
    assert len(pressed) == 8 and all(len(line) == 3 for line in pressed), pressed  # two characters and the stop
    assert justification(typeset(body)).value == 1.0  # the first line gave up a character and is still flush


def test_a_number_never_ends_a_line_apart_from_its_unit(typeset):
    # 40 characters and 200 end near the 42-em first line: raw, the break falls between 200 and ℃.
    body = "\n\n".join(HAN_ONLY[start:start + 38] + "达到200 ℃以上。" for start in range(0, 380, 38))
    def splits(reading):
        lines = [item.line.text.strip() for item in body_lines(reading)]
        return sum(1 for first, second in pairwise(lines) if first[-1:].isdigit() and second.startswith("℃"))
    assert splits(typeset(body, raw=True)) > 0
    assert splits(typeset(body)) == 0


def test_a_line_takes_a_closing_mark_in_by_setting_its_marks_half_width_rather_than_spreading(typeset, monkeypatch):
    # 20 + ， + 21 characters fill the 42-em first line; the comma after them may not start the next line.
    body = "\n\n".join(HAN_ONLY[start:start + 20] + "，" + HAN_ONLY[start + 20:start + 41] + "，" + HAN_ONLY[:30] + "。"
                       for start in range(0, 41 * 6, 41))
    def first_lines(reading):
        lines = body_lines(reading)
        return [item for before, item in pairwise([None, *lines]) if before is None or before.final]
    pushed = first_lines(typeset(body))
    assert len(pushed) == 6 and all(item.line.text.rstrip().endswith("，") for item in pushed)
    assert widest_han_gap(typeset(body)) < 0.01  # no Han gap added on any line
    monkeypatch.setattr(justify, "split_first_line", justify._original_split_first_line)
    pushed_out = first_lines(typeset(body))
    assert not any(item.line.text.rstrip().endswith("，") for item in pushed_out)
    assert widest_han_gap(typeset(body)) > 0.02  # the line a character short is spread instead


def test_a_pushed_in_line_ending_in_a_space_keeps_its_marks_half_width(make_issue, tmp_path, monkeypatch):
    # On A5's 31-em block the first line takes 仅在 in by setting ， and 。 half-width; it ends in the space before
    # *Nature*, and WeasyPrint measured it again without that space with the marks full-width: 5 pt too wide.
    from press.errors import InputError

    make_issue.settings.write_text(make_issue.settings.read_text(encoding="utf-8") + "page_size: A5\n",
                                   encoding="utf-8")
    body = ("2023 年以来，围绕上述三条路线的高水平论文数量明显增加。仅在 *Nature Energy*、*Nature* 和 *Science* "
            "三种期刊上，与全固态电池直接相关的研究论文就超过 40 篇。其中，以下三方面的进展尤其值得关注。")
    folder = make_issue({"a.md": article("测试", body)})
    reading = read_pdf(build(folder, tmp_path / "a5.pdf").path)
    first = body_lines(reading)[0].line
    margin = first.x0 - 2 * 10.5  # the first line is indented 2 ems
    assert first.text.rstrip().endswith("仅在") and first.x1 <= reading.page_size[0] - margin + 0.5
    monkeypatch.setattr(justify, "remove_last_whitespace", justify._original_remove_last_whitespace)
    with pytest.raises(InputError, match="宽于版心"):
        build(folder, tmp_path / "a5-without.pdf")
