"""Loading an issue folder: the sample loads; every problem is reported with its place."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from press.errors import InputError
from press.load import load_issue
from tests.conftest import ROOT, SAMPLE, article, unreadable, with_editor_note


def problems_of(folder) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_issue(folder)
    assert caught.value.exit_code == 2
    return [str(problem).split(str(folder.parent) + "/")[-1] for problem in caught.value.problems]


def test_sample_issue_loads_with_sections_highlights_and_footnotes():
    issue = load_issue(SAMPLE)
    assert (issue.year, issue.number, issue.label, issue.label_zh) == (2024, 4, "2024.04", "2024年第4期")
    assert [section.name for section in issue.sections] == ["专题", "战略规划", "项目资助", "行业观察", "研究进展"]
    assert len(issue.articles) == 12 and len(issue.highlights) == 7
    assert [note.number for note in issue.footnotes] == list(range(1, 13))
    assert issue.output_name == "materials-newsletter-2024-04.pdf"


def test_a_good_small_issue_loads(make_issue):
    folder = make_issue({"a.md": article("标题", "正文。", extra="byline: 董金鑫\nhighlight: true\n")})
    issue = load_issue(folder)
    assert issue.articles[0].byline == "董金鑫" and issue.highlights == issue.articles


def test_front_matter_fields_missing_unknown_and_mistyped(make_issue):
    folder = make_issue({"a.md": "---\ntitel: 标题\nsection: 专题\nhighlight: 是\n---\n\n正文。\n"})
    found = problems_of(folder)
    assert "2024-05/a.md:2:1: 未知字段 titel，是否应为 title？(unknown field titel: did you mean title?)" in found
    assert any(line.startswith("2024-05/a.md:4:1: 字段 highlight 应为true 或 false") for line in found)
    assert not any("缺少字段 title" in line for line in found), found  # the misspelling is the one problem
    assert len(found) == 2, found


def test_a_field_far_from_every_known_one_is_listed_with_them_and_one_missing_is_named(make_issue):
    found = problems_of(make_issue({"a.md": "---\nsection: 专题\nauthor: 甲\n---\n\n正文。\n"}))
    assert "2024-05/a.md:3:1: 未知字段 author (unknown field; known: title, section, byline, highlight)" in found
    assert any(line.startswith("2024-05/a.md:1:1: 缺少字段 title") for line in found), found


def test_a_misspelt_field_of_issue_yaml_or_newsletter_yaml_names_the_field_it_means(make_issue):
    folder = make_issue({"a.md": article("甲", "正文。")},
                        issue_yaml="year: 2024\nnumbr: 5\ndate: 2024-05-01\narticles:\n  - a.md\n")
    settings = folder.parent / "newsletter.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("publisher:", "publsher:"), encoding="utf-8")
    found = problems_of(folder)
    assert ("2024-05/issue.yaml:2:1: 未知字段 numbr，是否应为 number？(unknown field numbr: did you mean number?)"
            in found)
    assert any(line.startswith("newsletter.yaml:") and "did you mean publisher?" in line for line in found), found
    assert not any("缺少字段" in line for line in found), found


def test_unknown_section_names_the_line(make_issue):
    found = problems_of(make_issue({"a.md": article("标题", "正文。", section="杂谈")}))
    assert found == ["2024-05/a.md:3:1: 未知栏目 杂谈 "
                     "(unknown section; known: 专题、战略规划、项目资助、行业观察、研究进展)"]


def test_yaml_syntax_error_gives_line_and_column(make_issue):
    folder = make_issue({"a.md": article("标题", "正文。")},
                        issue_yaml="year: 2024\nnumber: [5\ndate: 2024-05-01\n")
    found = problems_of(folder)
    assert len(found) == 1 and found[0].startswith("2024-05/issue.yaml:2:9: YAML 语法错误"), found  # at the [ left open
    assert "a bracket or quote opened here is not closed" in found[0]


def test_articles_missing_unlisted_and_listed_twice_all_reported_together(make_issue):
    folder = make_issue(
        {"a.md": article("甲", "正文。"), "b.md": article("乙", "正文。")},
        issue_yaml="year: 2024\nnumber: 5\ndate: 2024-05-01\narticles:\n  - a.md\n  - a.md\n  - c.md\n")
    found = problems_of(folder)
    assert "2024-05/issue.yaml:6:1: 文章 a.md 重复列出，首次在第 5 行 (listed twice)" in found
    assert "2024-05/issue.yaml:7:1: 找不到文章文件 c.md (article file missing)" in found
    assert "2024-05/b.md:1:1: 文章未列入 issue.yaml 的 articles (article not listed in issue.yaml)" in found


def test_sections_out_of_order(make_issue):
    folder = make_issue({"a.md": article("甲", "正文。", section="研究进展"),
                         "b.md": article("乙", "正文。", section="专题")})
    found = problems_of(folder)
    assert len(found) == 1 and found[0].startswith("2024-05/issue.yaml:6:1: b.md 属于栏目 专题"), found


def test_gbk_file_is_recognised(make_issue):
    folder = make_issue({"a.md": article("标题", "正文。")})
    (folder / "a.md").write_bytes(article("标题", "正文。").encode("gbk"))
    found = problems_of(folder)
    assert found == ["2024-05/a.md:2:8: 文件不是 UTF-8 编码 (not UTF-8)；看起来是 GBK/GB18030 编码，"
                     "请另存为 UTF-8 (looks like GBK/GB18030: save as UTF-8)"]


def test_bom_and_crlf_are_read(make_issue):
    folder = make_issue({"a.md": article("标题", "正文。")})
    (folder / "a.md").write_bytes(b"\xef\xbb\xbf" + article("标题", "正文。").replace("\n", "\r\n").encode())
    assert load_issue(folder).articles[0].title == "标题"


def test_character_no_bundled_font_has(make_issue):
    found = problems_of(make_issue({"a.md": article("标题", "正文𠀀字。")}))
    assert found == ["2024-05/a.md:6:3: 字体中没有字符 “𠀀” (U+20000: no font of the style has this character)"]


def test_invisible_characters_pasted_with_the_text_need_no_glyph_and_an_invisible_space_is_named(make_issue):
    pasted = "从左至右\u200e标记、连接\u200d符、变体选择★\ufe0f与词连接\u2060。"
    assert load_issue(make_issue({"a.md": article("标题", pasted)})).articles[0].title == "标题"
    found = problems_of(make_issue({"a.md": article("标题", "窄空格\u202f在此。")}))
    assert found == ["2024-05/a.md:6:4: 字体中没有字符 (U+202F NARROW NO-BREAK SPACE, invisible: "
                     "no font of the style has this character)"]


def test_footnote_problems_name_the_article_file_line(make_issue):
    found = problems_of(make_issue({"a.md": article("标题", "正文[^1]和[^2]。\n\n[^1]: 来源。")}))
    assert found == ["2024-05/a.md:6:8: 脚注 [^2] 没有内容 (footnote call without text)"]


def test_folder_without_issue_yaml(tmp_path):
    with pytest.raises(InputError) as caught:
        load_issue(tmp_path)
    assert "找不到 issue.yaml" in str(caught.value)


def test_an_image_cut_short_is_refused_and_one_with_data_after_its_end_is_not(tmp_path):
    from PIL import Image

    from press.images import raster_problem

    picture = Image.new("RGB", (120, 80))
    picture.putdata([(x % 256, (x * 7) % 256, (x * 13) % 256) for x in range(120 * 80)])
    for kind, suffix in [("PNG", "png"), ("JPEG", "jpg"), ("GIF", "gif")]:
        whole = tmp_path / f"whole.{suffix}"
        picture.save(whole, kind)
        data = whole.read_bytes()
        (tmp_path / f"cut.{suffix}").write_bytes(data[: len(data) * 2 // 3])
        (tmp_path / f"tail.{suffix}").write_bytes(data + b"\x00\x00\x00\x18ftypmp42" + b"x" * 500 + b"\n")
        assert raster_problem(whole) is None
        assert raster_problem(tmp_path / f"tail.{suffix}") is None, kind  # a phone's motion photo, a stray byte
        assert raster_problem(tmp_path / f"cut.{suffix}")[0] == "图片文件不完整", kind


def test_an_issue_named_from_inside_its_folder_finds_the_newsletter_settings(make_issue, monkeypatch):
    folder = make_issue({"a.md": article("标题", "正文。")})
    monkeypatch.chdir(folder)
    assert load_issue(Path(".")).folder == folder.resolve()
    assert load_issue(Path("../2024-05/.")).folder == folder.resolve()


def test_line_ends_pasted_from_word_or_the_web_end_lines(make_issue):
    body = "第一行\u2028第二行\x0b第三行。"
    issue = load_issue(make_issue({"a.md": article("标题", body)}))
    assert "第一行第二行第三行。" in issue.articles[0].body_html


def test_a_reload_converts_again_only_the_article_an_edit_changed(make_issue, monkeypatch):
    from press import load

    converted = []
    original = load.to_html
    monkeypatch.setattr(load, "to_html", lambda body, *arguments, **options:
                        converted.append(body) or original(body, *arguments, **options))
    load.article_markup.cache_clear()
    folder = make_issue({"01-a.md": article("甲文", "甲乙丙丁。"), "02-b.md": article("乙文", "戊己庚辛。")})
    first = load.load_issue(folder)
    assert len(converted) == 2
    (folder / "02-b.md").write_text(article("乙文", "戊己庚辛壬。"), encoding="utf-8")
    second = load.load_issue(folder)
    assert len(converted) == 3 and "壬" in converted[-1]
    assert second.articles[0] == first.articles[0] and "壬" in second.articles[1].body_html


def with_own_style_and_fonts(make_issue, tmp_path) -> tuple[Path, Path]:
    """The sample's settings with a copy of the style and a fonts folder of links to press's fonts, except
    PressSerif-Italic.otf, copied (a test may change these); the style's and the fonts' folders."""
    make_issue.use_sample_settings(css="/* own copy */")
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    for font in (ROOT / "fonts").iterdir():
        (fonts / font.name).symlink_to(font)
    (fonts / "PressSerif-Italic.otf").unlink()
    shutil.copy(ROOT / "fonts" / "PressSerif-Italic.otf", fonts)
    make_issue.settings.write_text(make_issue.settings.read_text(encoding="utf-8").replace(
        str(ROOT / "fonts"), str(fonts)), encoding="utf-8")
    return tmp_path / "styles" / "default", fonts


def build_problems(folder: Path, tmp_path: Path) -> str:
    """The messages of `press build` on the folder, in another process (one that hangs fails the test), which
    must exit 2 (bad input) without a traceback."""
    result = subprocess.run([sys.executable, "-m", "press", "build", "-q", str(folder), "-o", str(tmp_path / "x.pdf")],
                            capture_output=True, text=True, encoding="utf-8", timeout=60, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "内部错误" not in result.stderr
    return result.stderr


def test_a_fifo_or_a_folder_where_a_source_should_be_is_an_input_error_not_a_hang(make_issue, tmp_path):
    style, fonts = with_own_style_and_fonts(make_issue, tmp_path)
    folder = make_issue({"a.md": article("图", "![图 1 图表](chart.svg)\n")})
    (folder / "chart.svg").mkdir()
    (fonts / "PressSerif-Italic.otf").unlink()
    os.mkfifo(fonts / "PressSerif-Italic.otf")
    (style / "style.css").rename(style / "kept.css")
    os.mkfifo(style / "style.css")  # reading it waited for a writer for ever
    assert "style.css: 无法读取文件 (cannot read: it is a FIFO, not a regular file)" in build_problems(folder, tmp_path)
    (style / "style.css").unlink()
    (style / "kept.css").rename(style / "style.css")
    stderr = build_problems(folder, tmp_path)
    assert "style.css:29:1: 无法读取字体文件 PressSerif-Italic.otf (cannot read the font file: it is a FIFO" in stderr
    (fonts / "PressSerif-Italic.otf").unlink()
    shutil.copy(ROOT / "fonts" / "PressSerif-Italic.otf", fonts)
    assert "a.md:6:1: 无法读取图片 chart.svg (cannot read the image: it is a folder" in build_problems(folder, tmp_path)


@pytest.mark.parametrize("unreadable_file", ["chart.svg", "style.css", "PressSerif-Italic.otf"])
def test_an_unreadable_svg_style_or_font_is_an_input_error_naming_it(unreadable_file, make_issue, tmp_path):
    from click.testing import CliRunner

    from press.cli import main

    style, fonts = with_own_style_and_fonts(make_issue, tmp_path)
    folder = make_issue({"a.md": article("图", "![图 1 图表](chart.svg)\n")})
    (folder / "chart.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
                                      encoding="utf-8")
    where = {"chart.svg": folder, "style.css": style, "PressSerif-Italic.otf": fonts}[unreadable_file]
    with unreadable(where / unreadable_file):
        result = CliRunner().invoke(main, ["build", "-q", str(folder), "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2, result.output
    assert unreadable_file in result.stderr and "Permission denied" in result.stderr, result.stderr


def test_an_indentation_slip_is_one_problem_at_its_line_in_any_yaml_file(tmp_path):
    from press.yamlfile import Problems, read_yaml
    path = tmp_path / "newsletter.yaml"
    path.write_text("sections:\n  - 专题\n   - 战略规划\nmail:\n  from: a@b.org\n    port: 25\n", encoding="utf-8")
    problems = Problems()
    data, _ = read_yaml(path, problems)
    problems.sort()
    assert [(p.line, p.column) for p in problems] == [(3, 4), (6, 5)], problems
    assert "indented differently from the items above it" in problems[0].message
    assert "indented differently from the fields above it" in problems[1].message
    assert data == {"sections": ["专题", "战略规划"], "mail": {"from": "a@b.org", "port": 25}}


def test_a_colon_in_an_unquoted_value_says_to_quote_it_in_newsletter_yaml(tmp_path):
    from press.yamlfile import Problems, read_yaml
    path = tmp_path / "newsletter.yaml"
    path.write_text("slug: x\npublisher: 中国科学院: 文献情报中心\n", encoding="utf-8")
    problems = Problems()
    assert read_yaml(path, problems) == (None, {})
    assert [str(p).split("/")[-1] for p in problems] == [
        'newsletter.yaml:2:17: 值中有“: ”，须加引号，如 publisher: "中国科学院: 文献情报中心"，或改用全角冒号“：” '
        '(the value holds ": " and must be quoted, e.g. publisher: "中国科学院: 文献情报中心", '
        'or use the full-width ：)']


# The editor's note (editor-note.md) ---------------------------------------------------------------------


def test_an_editors_note_loads_before_the_articles_its_footnotes_numbered_first(make_issue):
    folder = with_editor_note(make_issue({"a.md": article("甲", "正文[^x]。\n\n[^x]: 文章的注。")}))
    issue = load_issue(folder)
    assert (issue.note.title, issue.note.byline, issue.note.section) == ("卷首语", "本刊编辑部", "")
    assert issue.note.path.name == "editor-note.md" and issue.note not in issue.articles
    assert [note.number for note in issue.note.footnotes] == [1]
    assert [note.number for note in issue.articles[0].footnotes] == [2]
    assert issue.pieces == (issue.note, *issue.articles)
    assert issue.blocks[0].startswith(issue.note.ident) and len(issue.footnotes) == 2


def test_an_editors_note_without_front_matter_is_titled_as_a_note_is(make_issue):
    folder = with_editor_note(make_issue({"a.md": article("甲", "正文。")}), "本期导读的文字。\n")
    issue = load_issue(folder)
    assert (issue.note.title, issue.note.byline, issue.note.footnotes) == ("卷首语", None, ())
    assert load_issue(with_editor_note(folder, "---\ntitle: 本期导读\n---\n\n文字。\n")).note.title == "本期导读"
    assert load_issue(with_editor_note(folder, "---\n---\n\n文字。\n")).note.title == "卷首语"


def test_an_issue_without_an_editors_note_has_none(make_issue):
    issue = load_issue(make_issue({"a.md": article("甲", "正文。")}))
    assert issue.note is None and issue.pieces == issue.articles


def test_every_problem_of_an_editors_note_is_reported_at_its_line_with_the_articles(make_issue):
    folder = with_editor_note(make_issue({"a.md": article("甲", "正文[^1]。")}),
                              "---\ntitel: 卷首语\nsection: 专题\n---\n\n本期文字[^a]。\n\n说明[^b]。\n\n[^b]: 注。\n")
    found = problems_of(folder)
    assert ("2024-05/editor-note.md:2:1: 未知字段 titel，是否应为 title？(unknown field titel: did you mean "
            "title?)") in found
    assert "2024-05/editor-note.md:3:1: 未知字段 section (unknown field; known: title, byline)" in found
    assert any(line.startswith("2024-05/a.md:6:3: 脚注 [^1] 没有内容") for line in found), found
    with_editor_note(folder, "---\ntitle: 卷首语\n\n本期文字[^a]。\n")
    unclosed = ("2024-05/editor-note.md:1:1: 开头的 YAML 信息块没有结束：请在第 2 行之后加一行 --- (the front "
                "matter is not closed: add a line --- after line 2, its last field, before the text)")
    assert unclosed in problems_of(folder)
    with_editor_note(folder, "本期文字[^a]。\n\n[^b]: 没有引用的注。\n")
    found = problems_of(folder)
    assert any(line.startswith("2024-05/editor-note.md:1:5: 脚注 [^a] 没有内容") for line in found), found
    assert any(line.startswith("2024-05/editor-note.md:3:1: 脚注 [^b] 有内容但正文中没有引用") for line in found), found
    with_editor_note(folder, "本期文字。\n\n#标题\n")
    assert any(line.startswith("2024-05/editor-note.md:3:1: 标题记号 #会原样印出") for line in problems_of(folder))
    with_editor_note(folder, "---\ntitle: \"**卷首语**\"\n---\n\n　\n")
    found = problems_of(folder)
    assert any(line.startswith("2024-05/editor-note.md:2:1: title 是纯文字") for line in found), found
    assert any(line.startswith("2024-05/editor-note.md:") and "正文为空" in line for line in found), found


def test_the_editors_note_is_not_listed_and_a_misnamed_one_is_named(make_issue):
    folder = with_editor_note(make_issue({"a.md": article("甲", "正文。")},
                                         "year: 2024\nnumber: 5\ndate: 2024-05-01\narticles:\n  - a.md\n"
                                         "  - editor-note.md\n"))
    assert problems_of(folder) == ["2024-05/issue.yaml:6:1: editor-note.md 是卷首语，自动印在第一个栏目之前，"
                                   "不列入 articles (the editor's note is printed before the first section by "
                                   "itself: leave it out of articles)"]
    folder = make_issue({"a.md": article("甲", "正文。")}, name="2024-06")
    (folder / "editor_note.md").write_text("本期文字。\n", encoding="utf-8")
    assert problems_of(folder) == ["2024-06/editor_note.md:1:1: 文章未列入 issue.yaml 的 articles；若是卷首语，"
                                   "请命名为 editor-note.md (article not listed in issue.yaml; if it is the "
                                   "editor's note, name it editor-note.md)"]
