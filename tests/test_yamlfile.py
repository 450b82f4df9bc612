"""press.yamlfile: an indentation slip is one problem, at the line that differs from its siblings, and read as meant.

A list item or field one space short of its siblings or one space past them, first or later, in issue.yaml,
newsletter.yaml (`mail:`, `check:`) or an article's front matter: exactly one problem at the slipped line,
saying to line it up, and the data as if it had been lined up.
"""

import pytest

from press.yamlfile import Problems, read_yaml
from tests.conftest import article
from tests.test_load import problems_of

ARTICLES = ["01-a.md", "02-b.md", "03-c.md", "04-d.md", "05-e.md", "06-f.md"]
HEAD = "year: 2024\nnumber: 5\ndate: 2024-05-01\narticles:\n"
ISSUE = {"year": 2024, "number": 5, "articles": ARTICLES[:3]}
MAIL = {"mail": {"from": "a@b.org", "host": "smtp.b.org", "port": 25}}
BARS = {"check": {"max_size": "2 MB", "bars": {"justify": 0.9, "loose-line": 2, "punct-squeeze": 1}}}

SLIPS = {  # name: (text, line, column, message, data (issue.yaml's date left out))
    "first item shallower (all six articles of an issue)": (
        HEAD + " - 01-a.md\n" + "".join(f"  - {name}\n" for name in ARTICLES[1:]), 5, 2,
        "此行缩进 1 格，与下面的条目（2 格）不同，请对齐 (this line is indented differently from the items below "
        "it: 1 space, not 2; line it up with them)", dict(ISSUE, articles=ARTICLES)),
    "later item shallower": (
        HEAD + "  - 01-a.md\n - 02-b.md\n  - 03-c.md\n", 6, 2,
        "此行缩进 1 格，与上面的条目（2 格）不同，请对齐 (this line is indented differently from the items above "
        "it: 1 space, not 2; line it up with them)", ISSUE),
    "last item shallower, a field after it": (
        "articles:\n  - 01-a.md\n  - 02-b.md\n - 03-c.md\nyear: 2024\n", 4, 2,
        "此行缩进 1 格，与上面的条目（2 格）不同，请对齐 (this line is indented differently from the items above "
        "it: 1 space, not 2; line it up with them)", {"articles": ARTICLES[:3], "year": 2024}),
    "later item deeper": (
        HEAD + "  - 01-a.md\n   - 02-b.md\n  - 03-c.md\n", 6, 4,
        "此行缩进 3 格，与上面的条目（2 格）不同，请对齐 (this line is indented differently from the items above "
        "it: 3 spaces, not 2; line it up with them)", ISSUE),
    "first item deeper": (
        HEAD + "   - 01-a.md\n  - 02-b.md\n  - 03-c.md\n", 5, 4,
        "此行缩进 3 格，与下面的条目（2 格）不同，请对齐 (this line is indented differently from the items below "
        "it: 3 spaces, not 2; line it up with them)", ISSUE),
    "two items a space apart: the one off press new's 2 spaces": (
        HEAD + " - 01-a.md\n  - 02-b.md\n", 5, 2,
        "此行缩进 1 格，与下面的条目（2 格）不同，请对齐 (this line is indented differently from the items below "
        "it: 1 space, not 2; line it up with them)", dict(ISSUE, articles=ARTICLES[:2])),
    "two items a space apart, neither 2 in: the second breaks the first's pattern": (
        HEAD + "   - 01-a.md\n    - 02-b.md\n", 6, 5,
        "此行缩进 4 格，与上面的条目（3 格）不同，请对齐 (this line is indented differently from the items above "
        "it: 4 spaces, not 3; line it up with them)", dict(ISSUE, articles=ARTICLES[:2])),
    "two fields a space apart: the one off the step the rest of the file indents by": (
        "sections:\n  - 专题\nmail:\n from: a@b.org\n  port: 25\n", 4, 2,
        "此行缩进 1 格，与下面的字段（2 格）不同，请对齐 (this line is indented differently from the fields below "
        "it: 1 space, not 2; line it up with them)", {"sections": ["专题"], "mail": {"from": "a@b.org", "port": 25}}),
    "mail: a later field shallower": (
        "mail:\n  from: a@b.org\n host: smtp.b.org\n  port: 25\n", 3, 2,
        "此行缩进 1 格，与上面的字段（2 格）不同，请对齐 (this line is indented differently from the fields above "
        "it: 1 space, not 2; line it up with them)", MAIL),
    "mail: a later field deeper": (
        "mail:\n  from: a@b.org\n   host: smtp.b.org\n  port: 25\n", 3, 4,
        "此行缩进 3 格，与上面的字段（2 格）不同，请对齐 (this line is indented differently from the fields above "
        "it: 3 spaces, not 2; line it up with them)", MAIL),
    "mail: the first field shallower": (
        "mail:\n from: a@b.org\n  host: smtp.b.org\n  port: 25\n", 2, 2,
        "此行缩进 1 格，与下面的字段（2 格）不同，请对齐 (this line is indented differently from the fields below "
        "it: 1 space, not 2; line it up with them)", MAIL),
    "mail: the first field deeper": (
        "mail:\n   from: a@b.org\n  host: smtp.b.org\n  port: 25\n", 2, 4,
        "此行缩进 3 格，与下面的字段（2 格）不同，请对齐 (this line is indented differently from the fields below "
        "it: 3 spaces, not 2; line it up with them)", MAIL),
    "mail: the last field shallower, a field after the block": (
        "mail:\n  from: a@b.org\n  host: smtp.b.org\n port: 25\nslug: x\n", 4, 2,
        "此行缩进 1 格，与上面的字段（2 格）不同，请对齐 (this line is indented differently from the fields above "
        "it: 1 space, not 2; line it up with them)", dict(MAIL, slug="x")),
    "check.bars: a field shallower, two deep": (
        "check:\n  max_size: 2 MB\n  bars:\n    justify: 0.9\n   loose-line: 2\n    punct-squeeze: 1\n", 5, 4,
        "此行缩进 3 格，与上面的字段（4 格）不同，请对齐 (this line is indented differently from the fields above "
        "it: 3 spaces, not 4; line it up with them)", BARS),
    "check.bars: a field deeper, two deep": (
        "check:\n  max_size: 2 MB\n  bars:\n    justify: 0.9\n     loose-line: 2\n    punct-squeeze: 1\n", 5, 6,
        "此行缩进 5 格，与上面的字段（4 格）不同，请对齐 (this line is indented differently from the fields above "
        "it: 5 spaces, not 4; line it up with them)", BARS),
    "check.bars: the first field shallower, two deep": (
        "check:\n  max_size: 2 MB\n  bars:\n   justify: 0.9\n    loose-line: 2\n    punct-squeeze: 1\n", 4, 4,
        "此行缩进 3 格，与下面的字段（4 格）不同，请对齐 (this line is indented differently from the fields below "
        "it: 3 spaces, not 4; line it up with them)", BARS),
    "check: a field shallower after a nested mapping": (
        "check:\n  bars:\n    justify: 0.9\n    loose-line: 2\n    punct-squeeze: 1\n max_size: 2 MB\n", 6, 2,
        "此行缩进 1 格，与上面的字段（2 格）不同，请对齐 (this line is indented differently from the fields above "
        "it: 1 space, not 2; line it up with them)", BARS),
    "a top-level field a space deeper after a list": (
        "sections:\n  - 专题\n  - 战略规划\n style: default\nslug: x\n", 4, 2,
        "此行缩进 1 格，与上面的字段（0 格）不同，请对齐 (this line is indented differently from the fields above "
        "it: 1 space, not 0; line it up with them)",
        {"sections": ["专题", "战略规划"], "style": "default", "slug": "x"}),
    "a field deeper after a quoted value": (
        'title: "新材料"\n  section: 专题\n', 2, 3,
        "此行缩进 2 格，与上面的字段（0 格）不同，请对齐 (this line is indented differently from the fields above "
        "it: 2 spaces, not 0; line it up with them)", {"title": "新材料", "section": "专题"}),
    "the first field of a file deeper: the top level stands at 0": (
        "  title: 甲\nsection: 专题\nbyline: 董金鑫\n", 1, 3,
        "此行缩进 2 格，与下面的字段（0 格）不同，请对齐 (this line is indented differently from the fields below "
        "it: 2 spaces, not 0; line it up with them)", {"title": "甲", "section": "专题", "byline": "董金鑫"}),
    "a later top-level field a space deeper": (
        "title: 甲\n section: 专题\nbyline: 董金鑫\n", 2, 2,
        "此行缩进 1 格，与上面的字段（0 格）不同，请对齐 (this line is indented differently from the fields above "
        "it: 1 space, not 0; line it up with them)", {"title": "甲", "section": "专题", "byline": "董金鑫"}),
}


@pytest.mark.parametrize("name", SLIPS)
def test_an_indentation_slip_is_one_problem_at_the_slipped_line_and_read_as_meant(name, tmp_path):
    text, line, column, message, expected = SLIPS[name]
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    problems = Problems()
    data, _ = read_yaml(path, problems)
    assert [(p.line, p.column, p.message) for p in problems] == [(line, column, message)]
    assert {key: value for key, value in data.items() if key != "date"} == expected


def test_in_front_matter_the_slip_is_named_at_its_line_in_the_file(tmp_path):
    path = tmp_path / "01-a.md"
    problems = Problems()
    data, lines = read_yaml(path, problems, "  title: 甲\nsection: 专题\n", line_offset=1)
    assert [(p.line, p.column) for p in problems] == [(2, 3)]
    assert (data, lines) == ({"title": "甲", "section": "专题"}, {"title": 2, "section": 3})


def test_two_slips_in_one_file_are_two_problems_each_at_its_line(tmp_path):
    path = tmp_path / "newsletter.yaml"
    path.write_text("sections:\n  - 专题\n   - 战略规划\n  - 项目资助\n - 行业观察\nmail:\n from: a@b.org\n  port: 25\n"
                    "  host: h\n", encoding="utf-8")
    problems = Problems()
    data, _ = read_yaml(path, problems)
    assert sorted((p.line, p.column) for p in problems) == [(3, 4), (5, 2), (7, 2)]
    assert data == {"sections": ["专题", "战略规划", "项目资助", "行业观察"],
                    "mail": {"from": "a@b.org", "port": 25, "host": "h"}}


@pytest.mark.parametrize("text", ["a:\n\t- b\n", "a: [1, 2\nb: 3\n", "a:\n  - b\n c\n", "- a\nb: 1\n"])
def test_yaml_that_no_lining_up_mends_keeps_its_syntax_error(text, tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    problems = Problems()
    assert read_yaml(path, problems) == (None, {})
    [problem] = problems
    assert "YAML 语法错误 (YAML syntax error" in problem.message and "line it up" not in problem.message


@pytest.mark.parametrize(("block", "line", "column", "where"), [
    ("mail:\n  from: a@b.org\n port: 25\n", 3, 2, "above"),
    ("mail:\n  from: a@b.org\n   port: 25\n", 3, 4, "above"),
    ("mail:\n from: a@b.org\n  port: 25\n  host: h\n", 2, 2, "below"),
    ("check:\n   max_size: 2 MB\n  bars:\n    justify: 0.9\n", 2, 4, "below"),
])
def test_a_slip_in_newsletter_yaml_is_the_builds_one_problem(block, line, column, where, make_issue):
    folder = make_issue({"a.md": article("甲", "正文。")})
    make_issue.settings.write_text(make_issue.settings.read_text(encoding="utf-8") + block, encoding="utf-8")
    first = len(make_issue.settings.read_text(encoding="utf-8").splitlines()) - len(block.splitlines())
    [problem] = problems_of(folder)
    assert problem.startswith(f"newsletter.yaml:{first + line}:{column}: 此行缩进 "), problem
    assert f"fields {where} it" in problem and "line it up with them" in problem


def test_an_english_title_with_a_colon_is_told_to_quote_it_not_to_use_a_full_width_colon(tmp_path):
    from press.yamlfile import Problems, read_yaml

    for title, full_width in [("EU rules: what changes", False), ("新材料: 前沿与展望", True)]:
        path = tmp_path / "newsletter.yaml"
        path.write_text(f"slug: x\ntitle: {title}\n", encoding="utf-8")
        problems = Problems()
        read_yaml(path, problems)
        [problem] = problems
        assert problem.line == 2 and f'title: "{title}"' in problem.message
        assert ("full-width" in problem.message) == full_width, problem.message
