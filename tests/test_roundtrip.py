"""What goes in comes out: random issues from the editor's whole palette of Markdown (hypothesis).

Each example is an issue of one to three articles made of the blocks README describes (paragraphs with
emphasis, sub- and superscripts, footnotes, code, links, entities, escapes, comments and hard-wrapped
lines; headings, lists, quotes, tables with captions, 编者按 and 框 blocks, figures, code blocks) and of
the slips editors make (`**` that do not pair, `#标题`, `[说明]: …`, `~~删除~~`).  press either refuses
it with every problem at a line of a file of the issue, or builds a PDF whose every structural check
passes against the source: its text is the source's text, its footnotes, titles, contents, bookmarks,
cover and figures are the source's.  (The typography bars and page fill are measured on the corpus, not on
random text.)
"""

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from press.build import build
from press.check import check_pdf
from press.errors import InputError
from tests.conftest import ROOT

TYPOGRAPHY = {"justify", "line-break", "punct-squeeze", "han-latin-gap", "page-breaks", "overflow", "runt",
              "loose-line", "text-block", "unit-break", "page-fill"}
SETTINGS = """\
slug: round-trip
title: 往返快报
title_en: ROUND TRIP
publisher: 测试出版单位
sections: [动态, 研究]
styles_dir: {styles}
fonts_dir: {fonts}
"""
CHART = ('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="120"><text x="10" y="20">产量（万吨）</text>'
         '<text x="20" y="110" transform="rotate(-90 20 110)">2024 年</text></svg>')

han = st.text(alphabet="新材料研究团队发布报告显示产业规模增长技术突破电池钢铁芯片", min_size=2, max_size=12)
latin = st.sampled_from(["GaN", "Nature", "SiC", "MoS", "DOE", "Intel 18A", "High NA EUV", "CHIPS"])
number = st.builds(lambda value, unit: f"{value}{unit}", st.integers(0, 99999),
                   st.sampled_from(["", " 亿美元", "%", " 万吨", " nm"]))
punctuation = st.sampled_from(["，", "。", "、", "；", "：", "“", "”", "（", "）", "《", "》", "——", "……"])
inline = st.one_of(
    han, han, latin.map(lambda word: f" {word} "), number.map(lambda text: f" {text} "), punctuation,
    han.map(lambda text: f"**{text}**"), latin.map(lambda text: f"*{text}*"),
    st.sampled_from(["MoS~2~", "10^6^", "CO₂", "10⁻⁶", "Fe³⁺", "`pH 7.4`", "[官网](https://example.com/a_b)",
                     "<https://example.com/report>", "&amp;", "&#x4E2D;", "\\*", "<!-- 备注 -->", "\n"]),
    st.just("[^NOTE]"),
)
sentence = st.lists(inline, min_size=1, max_size=8).map("".join)
paragraph = st.lists(sentence, min_size=1, max_size=3).map("。".join).map(lambda text: text.strip() + "。")
cell = st.one_of(han, number, latin)
table = st.builds(
    lambda caption, head, rows: (f"表 1 {caption}\n\n" if caption else "") + "| " + " | ".join(head) + " |\n|"
    + " --- |" * len(head) + "\n" + "".join("| " + " | ".join(row[:len(head)] + [""] * (len(head) - len(row)))
                                             + " |\n" for row in rows),
    st.one_of(st.just(""), han), st.lists(han, min_size=2, max_size=4),
    st.lists(st.lists(cell, min_size=2, max_size=4), min_size=1, max_size=4))
block = st.one_of(
    paragraph, paragraph, paragraph,
    st.builds(lambda level, text: "#" * level + " " + text, st.integers(1, 3), han),
    st.lists(paragraph, min_size=1, max_size=4).map(lambda items: "\n".join(f"- {item}" for item in items)),
    st.lists(paragraph, min_size=1, max_size=3).map(lambda items: "\n".join(f"{n}. {item}"
                                                                            for n, item in enumerate(items, 3))),
    st.lists(paragraph, min_size=1, max_size=2).map(lambda items: "\n>\n".join(f"> {item}" for item in items)),
    table,
    paragraph.map(lambda text: f"::: 编者按\n{text}\n:::"),
    st.builds(lambda title, text: f"::: 框 【{title}】\n{text}\n:::", han, paragraph),
    han.map(lambda caption: f"![图 1 {caption}](chart 1.svg)"),
    st.just("```\nprint(\"代码\")\n```"),
    st.sampled_from(["**没有成对的强调。", "#标题没有空格", "[说明]: 本文数据来自公开报告。", "~~删除线~~文字。",
                     "*Science* 与 **“重点。”**随后。", "前面的文字\n接着写的一行"]),
)
article = st.tuples(han, st.sampled_from(["动态", "研究"]), st.booleans(), st.one_of(st.none(), han),
                    st.lists(block, min_size=1, max_size=6))


def write(folder: Path, articles: list[tuple]) -> Path:
    """An issue folder from the example: articles in section order, each note defined once per call."""
    issue = folder / "issues" / "2024-06"
    issue.mkdir(parents=True)
    (folder / "issues" / "newsletter.yaml").write_text(SETTINGS.format(styles=ROOT / "styles", fonts=ROOT / "fonts"),
                                                       encoding="utf-8")
    (issue / "chart 1.svg").write_text(CHART, encoding="utf-8")
    names = []
    for index, (title, section, highlight, byline, blocks) in enumerate(sorted(articles, key=lambda a: a[1] == "研究")):
        body, notes = "", []
        for text in blocks:
            while "[^NOTE]" in text:
                notes.append(f"[^n{len(notes)}]: 注释第 {len(notes) + 1} 条，见 https://example.com/{len(notes)}。")
                text = text.replace("[^NOTE]", f"[^n{len(notes) - 1}]", 1)
            body += text + "\n\n"
        front = f"title: {title}{index}\nsection: {section}\n" + ("highlight: true\n" if highlight else "")
        front += f"byline: {byline}\n" if byline else ""
        name = f"{index + 1:02d}-a.md"
        (issue / name).write_text(f"---\n{front}---\n\n{body}" + "\n".join(notes) + "\n", encoding="utf-8")
        names.append(name)
    (issue / "issue.yaml").write_text("year: 2024\nnumber: 6\ndate: 2024-06-01\narticles:\n"
                                      + "".join(f"  - {name}\n" for name in names), encoding="utf-8")
    return issue


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(article, min_size=1, max_size=3))
def test_what_goes_in_comes_out_or_is_refused_at_a_line(articles):
    with tempfile.TemporaryDirectory() as temporary:
        issue = write(Path(temporary), articles)
        try:
            pdf = build(issue, Path(temporary) / "out.pdf").path
        except InputError as error:
            event("refused at a line")
            for problem in error.problems:
                assert problem.line > 0 and Path(problem.path).resolve().is_relative_to(issue.resolve()), problem
            return
        event("built")
        report = check_pdf(pdf, issue, skip=TYPOGRAPHY)
        failed = {check.id: check.failures[:3] for check in report.checks if not check.passed}
        assert failed == {}
