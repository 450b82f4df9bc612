"""Random Markdown and YAML: press answers with its output or with a clean input error, never a crash.

Property-based (hypothesis).  The loader and the HTML renderer see thousands of
random issues in every CI run; a smaller number go on through WeasyPrint to a
PDF.  "Clean" means an InputError (or, after layout, a PressError) whose every
problem names a file of the issue; anything else is a bug.
"""

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from press.build import build
from press.errors import InputError, PressError
from press.load import load_issue
from press.render import render_html
from tests.conftest import ROOT, SETTINGS

MARKDOWN_PIECES = [
    "正文，句号。", "English words and 123 numbers.", "“引号”（括号）", "——", "……", "\n\n", "\n", "\t", "\r\n",
    "[^1]", "[^2]", "[^a]", "\n\n[^1]: 脚注一。", "\n\n[^2]: 脚注二。\n", "\n\n[^1]: 重复的脚注。",
    "# 标题\n", "## 小标题\n", "### 三级\n", "#### 四级\n", "::: 编者按\n", "::: 框 标题\n", ":::\n", ":::",
    "| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n", "| 只有表头 |\n", "表 1 说明\n\n", "![图 1 示意](figure.svg)",
    "![](missing.png)", "![x](../../outside.png)", "![x](file:///etc/passwd)", "[链接](https://example.com/a_b)",
    "[链接](file:///etc/passwd)", "*强调*", "**加粗**", "`code [^1]`", "```\ncode\n```\n", "<b>raw</b>",
    '<link rel="attachment" href="file:///etc/passwd">', "<!-- 注释 -->", "---", "> 引用", "1. 项目\n", "- 项目\n",
    "H~2~O", "10^6^", "&amp;", "&#x4e00;", "\\", "*", "_", "[", "]", "(", ")", "|", ":", "{", "}", "%", "'", '"',
    "\u200b", "\ufeff", "\u3000", "\x00", "\x0c", "𠀀", "\ue000", "😀",
]
FRONT_MATTERS = [
    "title: 甲文\nsection: 专题\n", "title: 乙文\nsection: 研究进展\nhighlight: true\nbyline: 编译\n",
    "title: 丙\nsection: 杂谈\n", "section: 专题\n", "title: [未闭合\n", "title: 1\nsection: 2\nhighlight: 是\n",
    "title: 甲\nsection: 专题\nunknown: x\n", "", "- 列表\n", "title: &a 甲\nsection: *a\n",
]
ISSUE_HEADS = [
    "year: 2024\nnumber: 5\ndate: 2024-05-01\n", "year: 二〇二四\nnumber: 5\ndate: 2024-05-01\n",
    "year: 2024\nnumber: -1\ndate: 2024-13-01\n", "year: 2024\nnumber: 5\n", "year: [2024\n", "",
    "year: 2024\nnumber: 5\ndate: 2024-05-01\nextra: 1\n",
]

pieces = st.one_of(st.sampled_from(MARKDOWN_PIECES), st.text(max_size=12))
bodies = st.lists(pieces, max_size=25).map("".join)
articles = st.tuples(st.one_of(st.sampled_from(FRONT_MATTERS), st.text(max_size=40)), bodies,
                     st.booleans())  # booleans: whether the front matter is fenced with ---
issues = st.fixed_dictionaries({
    "articles": st.lists(articles, min_size=0, max_size=3),
    "head": st.one_of(st.sampled_from(ISSUE_HEADS), st.text(max_size=40)),
    "listing": st.sampled_from(["all", "none", "twice", "extra"]),
    "bom": st.booleans(),
})

# Issues whose files are all well formed, with random Markdown bodies: most of them reach the renderer.
markdown_text = st.text(alphabet=st.sampled_from("甲乙丙丁 abcXYZ，。、“”‘’（）《》—…·123\n\t*_[]()#>-|:!`~^\\<>&"),
                        max_size=30)
well_formed = st.fixed_dictionaries({
    "articles": st.lists(st.tuples(st.sampled_from(FRONT_MATTERS[:2]),
                                   st.lists(st.one_of(st.sampled_from(MARKDOWN_PIECES), markdown_text),
                                            min_size=1, max_size=25).map("".join),
                                   st.just(True)), min_size=1, max_size=3),
    "head": st.just(ISSUE_HEADS[0]),
    "listing": st.just("all"),
    "bom": st.booleans(),
})

UNSAFE = ("![](", "![x](", "\x00", "\ue000", "𠀀", "😀", "\x0c", "[^")
SAFE_PIECES = [piece for piece in MARKDOWN_PIECES if not piece.startswith(UNSAFE) and "[^" not in piece]
buildable = st.fixed_dictionaries({
    "articles": st.lists(st.tuples(st.sampled_from(FRONT_MATTERS[:2]),
                                   st.lists(st.sampled_from(SAFE_PIECES), min_size=1, max_size=25).map("".join),
                                   st.just(True)), min_size=1, max_size=3),
    "head": st.just(ISSUE_HEADS[0]),
    "listing": st.just("all"),
    "bom": st.booleans(),
})


def write_issue(root: Path, example: dict) -> Path:
    """An issue folder under `root/issues/` made from one example."""
    issues_dir = root / "issues"
    shutil.rmtree(issues_dir, ignore_errors=True)
    folder = issues_dir / "2024-05"
    folder.mkdir(parents=True)
    (issues_dir / "newsletter.yaml").write_text(SETTINGS.format(styles=ROOT / "styles", fonts=ROOT / "fonts"),
                                                encoding="utf-8")
    (folder / "figure.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"/>',
                                       encoding="utf-8")
    names = []
    for index, (front, body, fenced) in enumerate(example["articles"]):
        name = f"{index + 1:02d}-a.md"
        text = f"---\n{front}---\n\n{body}\n" if fenced else f"{front}\n{body}\n"
        (folder / name).write_text(("\ufeff" if example["bom"] else "") + text, encoding="utf-8",
                                   errors="surrogatepass")
        names.append(name)
    listed = {"all": names, "none": [], "twice": names + names[:1], "extra": [*names, "99-missing.md"]}
    (folder / "issue.yaml").write_text(example["head"] + "articles:\n" + "".join(
        f"  - {name}\n" for name in listed[example["listing"]]), encoding="utf-8", errors="surrogatepass")
    return folder


def assert_clean(error: PressError, folder: Path) -> None:
    """An input error names files of the issue (or its settings), each with a message."""
    if isinstance(error, InputError):
        assert error.problems
        for problem in error.problems:
            assert Path(problem.path).resolve().is_relative_to(folder.parent.resolve()), problem
            assert problem.message.strip()


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(issues, well_formed))
def test_random_issues_load_and_render_or_fail_cleanly(example):
    with tempfile.TemporaryDirectory() as temporary:
        folder = write_issue(Path(temporary), example)
        try:
            issue = load_issue(folder)
        except InputError as error:
            event("an input error")
            assert_clean(error, folder)
            return
        event("rendered")
        html = render_html(issue)
        assert html.startswith("<!DOCTYPE html>") or "<html" in html[:200]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(buildable, well_formed, issues))
def test_random_issues_build_a_pdf_or_fail_cleanly(example):
    with tempfile.TemporaryDirectory() as temporary:
        folder = write_issue(Path(temporary), example)
        target = Path(temporary) / "out.pdf"
        try:
            built = build(folder, target)
        except PressError as error:
            event("a clean error")
            assert_clean(error, folder)
            assert not target.exists()
            return
        event("a PDF")
        assert built.path.read_bytes().startswith(b"%PDF-")
