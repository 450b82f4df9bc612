"""An article's prose: what press lint's rules see of a file, and what they never touch."""

from press.comments import without_comments
from press.prose import MARK, SKIP, TEXT, prose

ARTICLE = """---
title: 二维材料MoS2综述
section: 研究进展
byline: 董金鑫
---

见 https://example.org/a_b 与 `code,here` 的说明[^1]，**重点**是 MoS~2~。

| 材料 | 用途 |
| --- | --- |

[^1]: 来源：<https://example.org/x>。
"""


def kinds_of(text, fragment: str) -> set[int]:
    start = text.text.index(fragment)
    return set(text.kinds[start:start + len(fragment)])


def test_urls_code_and_footnote_labels_are_masked_and_the_urls_are_kept():
    text = prose(ARTICLE)
    for fragment in ("https://example.org/a_b", "`code,here`", "[^1]", "section: 研究进展", "| --- |"):
        assert kinds_of(text, fragment) == {SKIP}, fragment
    assert [text.text[start:end] for start, end in text.urls] == ["https://example.org/a_b", "https://example.org/x"]


def test_the_title_byline_and_paragraph_text_are_prose_and_emphasis_is_looked_through():
    text = prose(ARTICLE)
    for fragment in ("二维材料MoS2综述", "董金鑫", "的说明", "重点", "来源："):
        assert kinds_of(text, fragment) == {TEXT}, fragment
    assert kinds_of(text, "**") == {MARK} and kinds_of(text, "~2~") == {MARK, TEXT}
    assert text.kinds[text.text.index("| 材料") ] == SKIP and kinds_of(text, "材料") == {TEXT}


def test_the_text_is_the_builds_without_comments_and_maps_back_to_the_file():
    file = "---\ntitle: 标题\n---\n\n正文<!-- 备注:核实,再改 -->继续。\n<!--\n多行\n-->\n\n`<!-- 代码 -->`\n"
    text = prose(file)
    body = file.index("正文")
    assert text.text == file[:body] + without_comments(file[body:])
    assert text.text[body:] == "正文继续。\n\n\n\n\n`<!-- 代码 -->`\n"
    assert kinds_of(text, "正文继续") == {TEXT} and kinds_of(text, "`<!-- 代码 -->`") == {SKIP}
    assert [file[text.origin[index]] for index in range(len(text.text))] == list(text.text)
    assert text.origin[-1] == len(file)
    assert text.file_ranges(text.text.index("文"), text.text.index("续") + 1) == [
        (file.index("文"), file.index("文") + 1), (file.index("继"), file.index("续") + 1)]
