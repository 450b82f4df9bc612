"""Rendering the model to HTML: language, structure, escaping, template override."""

from press.load import load_issue
from press.render import render_html
from tests.conftest import SAMPLE, article


def test_sample_html_structure():
    html = render_html(load_issue(SAMPLE))
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"zh-Hans\">")
    assert '<meta name="dcterms.created" content="2024-04-01T00:00:00+08:00">' in html
    assert html.count('class="toc-entry"') == 12
    assert html.count('<section class="section"') == 5
    assert '<a href="#article-01-microelectronics-strategy">' in html


def test_titles_are_escaped(make_issue):
    folder = make_issue({"a.md": article("A <b>粗</b> & 标题", "正文。")})
    html = render_html(load_issue(folder))
    assert "A &lt;b&gt;粗&lt;/b&gt; &amp; 标题" in html and "<b>粗</b>" not in html


def test_byline_is_rendered(make_issue):
    folder = make_issue({"a.md": article("标题", "正文。", extra="byline: 董金鑫\n")})
    assert '<p class="byline">（董金\u2060鑫\u2060）</p>' in render_html(load_issue(folder))  # its tail bound (cjk)


def test_issue_templates_override_the_style(make_issue):
    folder = make_issue({"a.md": article("标题", "正文。")})
    (folder / "templates").mkdir()
    (folder / "templates" / "issue.html").write_text("<p>{{ issue.label_zh }}</p>", encoding="utf-8")
    assert render_html(load_issue(folder)) == "<p>2024 \u2060年第 5 \u2060期</p>"  # with the text rules of cjk


def test_a_template_shows_a_path_by_its_name_only(make_issue):
    folder = make_issue({"a.md": article("标题", "正文。")})
    (folder / "templates").mkdir()
    (folder / "templates" / "issue.html").write_text(
        "{{ issue.folder }}|{{ issue.articles[0].path }}|{{ settings.styles_dir }}|{{ settings.style_dir }}|"
        "{{ issue.folder | string }}|{{ '%s' % issue.articles[0].path }}|{{ issue.articles[0].path ~ '' }}",
        encoding="utf-8")
    html = render_html(load_issue(folder))
    assert html == "2024-05|a.md|styles|default|2024-05|a.md|a.md"
    assert str(folder.parent.parent) not in html
