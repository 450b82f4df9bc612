"""Layout: the sandboxed fetcher, and footnotes kept on the page of their call."""

import pytest

from press import footnotes
from press.errors import InputError
from press.footnotes import first_per_stretch
from press.footnotes import misplaced as misplaced_footnotes
from press.layout import Layout, SandboxFetcher, lay_out, lay_out_verified
from press.load import load_issue
from press.model import Footnote
from press.pdfread import read_pdf
from press.render import render_html
from tests.conftest import ROOT, IssueMaker, article, shifted_sample, weasyprint_footnotes_layout


def test_fetcher_serves_only_files_inside_its_roots(tmp_path):
    inside = tmp_path / "issue"
    inside.mkdir()
    (inside / "a.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "secret.txt").write_text("secret")
    fetcher = SandboxFetcher([inside], ROOT / "fonts")
    assert fetcher.resolve((inside / "a.svg").as_uri()) == (inside / "a.svg").resolve()
    assert fetcher.resolve("font:PressSong-Regular.otf") == (ROOT / "fonts/PressSong-Regular.otf")
    for url in [(tmp_path / "secret.txt").as_uri(), (inside / "../secret.txt").as_uri(),
                "file:///etc/passwd", "http://example.com/a.png", "data:text/plain,hi",
                "font:../press/__init__.py"]:
        assert fetcher.resolve(url) is None, url


def test_fetcher_refuses_a_symlink_out_of_the_folder(tmp_path):
    inside = tmp_path / "issue"
    inside.mkdir()
    (tmp_path / "secret.png").write_bytes(b"x")
    (inside / "link.png").symlink_to(tmp_path / "secret.png")
    assert SandboxFetcher([inside], ROOT / "fonts").resolve((inside / "link.png").as_uri()) is None


def test_a_refused_resource_stops_the_render(make_issue):
    issue = load_issue(make_issue({"a.md": "---\ntitle: t\nsection: 专题\n---\n\n正文。\n"}))
    html = render_html(issue).replace("</body>", '<img src="file:///etc/passwd"></body>')
    with pytest.raises(InputError, match="refused\\): file:///etc/passwd"):
        lay_out(issue, html)


def test_a_missing_style_resource_is_named_missing(make_issue):
    issue = load_issue(make_issue({"a.md": "---\ntitle: t\nsection: 专题\n---\n\n正文。\n"}))
    missing = issue.settings.style_dir / "no-such.png"
    html = render_html(issue).replace("</body>", f'<img src="{missing.as_uri()}"></body>')
    with pytest.raises(InputError, match="file not found"):
        lay_out(issue, html)


def test_a_resource_no_file_can_be_or_that_is_no_file_is_an_input_error_saying_so(make_issue):
    import os

    issue = load_issue(make_issue({"a.md": "---\ntitle: t\nsection: 专题\n---\n\n正文。\n"}))
    os.mkfifo(issue.folder / "pipe.png")
    for name, why in (("a%00.png", "ValueError: embedded null byte"), ("pipe.png", "it is a FIFO, not a regular file")):
        html = render_html(issue).replace("</body>", f'<img src="{issue.folder.as_uri()}/{name}"></body>')
        with pytest.raises(InputError) as caught:  # a NUL escaped WeasyPrint's fetcher as an internal error
            lay_out(issue, html)
        [problem] = caught.value.problems
        assert "文件无法读取 (the file cannot be read: " in problem.message and why in problem.message


@pytest.fixture(scope="module")
def shifted_variants(tmp_path_factory):
    """The sample shifted eight ways (see conftest.shifted_sample), loaded and rendered."""
    maker = IssueMaker(tmp_path_factory.mktemp("shift"))
    variants = []
    for k in range(10, 18):
        issue = load_issue(shifted_sample(maker, k))
        variants.append((issue, render_html(issue)))
    return variants


def test_every_footnote_lands_on_its_call_page_where_weasyprint_alone_fails(shifted_variants):
    raw_failures = 0
    for issue, html in shifted_variants:
        raw_failures += len(misplaced_footnotes(issue, weasyprint_footnotes_layout(issue, html)))
        verified = lay_out_verified(issue, html)
        assert misplaced_footnotes(issue, verified) == []
        assert all(verified.page_of(f"fn-{note.number}") is not None for note in issue.footnotes)
    # The correction must have had something to correct, or this test proves nothing.
    assert raw_failures > 0


def test_the_footnote_adapter_alone_keeps_every_footnote_in_one_layout(shifted_variants):
    for issue, html in shifted_variants:
        layout = lay_out(issue, html)
        assert misplaced_footnotes(issue, layout) == [], issue.folder


def test_the_verification_corrects_weasyprint_alone_one_block_per_stretch(shifted_variants, monkeypatch):
    monkeypatch.setattr(footnotes, "install", footnotes.uninstall)  # the next lay_out installs it again
    corrected = 0
    for issue, html in shifted_variants:
        verified = lay_out_verified(issue, html)
        assert misplaced_footnotes(issue, verified) == []
        corrected += len(verified.pushed)
    assert corrected > 0


def test_forced_breaks_are_the_pages_where_sections_begin_when_each_starts_a_page(sample_build, make_issue):
    assert sample_build.layout.forced_breaks == []  # the sample's sections run on
    make_issue.use_sample_settings("section_break: page\n")
    folder = make_issue.copy_sample()
    issue = load_issue(folder)
    layout = lay_out_verified(issue, render_html(issue))
    sections = sorted(layout.page_of(section.ident) for section in issue.sections)
    assert layout.forced_breaks == sections and len(sections) == 5


def test_one_correction_per_stretch_between_forced_breaks():
    notes = [Footnote(number, str(number), "", "", 1) for number in (1, 2, 3, 4)]
    # calls on pages 3 and 4 (one stretch from page 2), 6 (stretch from 5), 9 (stretch from 8)
    anchors = {"fn-call-1": 3, "fn-call-2": 4, "fn-call-3": 6, "fn-call-4": 9}
    layout = Layout(None, ["body"] * 10, anchors, 0, forced_breaks=[2, 5, 8])
    assert [note.number for note in first_per_stretch(layout, notes)] == [1, 3, 4]


def test_a_footnote_wider_than_the_text_block_is_an_input_error_at_its_line(make_issue):
    body = "序列见脚注[^seq]。\n\n[^seq]: 序列 " + "ATCG" * 60
    folder = make_issue({"01-a.md": "---\ntitle: 甲\nsection: 专题\n---\n\n" + body + "\n"})
    issue = load_issue(folder)
    lay_out_verified(issue, render_html(issue))  # the style breaks the string where it must
    with pytest.raises(InputError) as raised:
        lay_out_verified(issue, render_html(issue), css=".footnote { white-space: nowrap; }")
    assert [(problem.path.name, problem.line) for problem in raised.value.problems] == [("01-a.md", 8)]
    assert "宽于版心" in raised.value.problems[0].message


def test_a_footnote_too_long_for_any_page_is_reported_at_its_source_line(make_issue, tmp_path):
    from press.build import build
    from press.errors import LayoutError

    note = "这是一条非常长的脚注。" * 360
    folder = make_issue({"a.md": article("标题", f"正文第一段[^1]。\n\n[^1]: {note}\n")})
    with pytest.raises(LayoutError) as caught:
        build(folder, tmp_path / "long.pdf")
    assert caught.value.format_message().startswith(f"{folder / 'a.md'}:8: 脚注 1 无法与其引用排在同一页")
    assert not (tmp_path / "long.pdf").exists()


def test_a_cover_too_long_for_one_page_is_an_input_error(make_issue, tmp_path):
    from press.build import build

    title = "关于新型二维材料在高效催化与储能器件中的应用前景及其产业化路径的综合分析"
    articles = {f"{n:02d}.md": article(f"{title}之{n}", "正文。", extra="highlight: true\n") for n in range(1, 31)}
    folder = make_issue(articles)
    with pytest.raises(InputError) as caught:
        build(folder, tmp_path / "cover.pdf")
    assert [str(problem) for problem in caught.value.problems] == [
        f"{folder / 'issue.yaml'}: 封面排不下，延续到了第二页：本期要目有 30 条，请减少 highlight: true 的文章 "
        "(the cover runs onto a second page: 30 highlighted articles are too many for it on A4 (210 × 297 mm); "
        "mark fewer with highlight: true, or shorten their titles)"]


def test_a_cover_the_style_sets_taller_than_the_page_is_an_input_error_at_the_style(make_issue, tmp_path):
    from press.build import build

    make_issue.use_sample_settings("page_size: A5\n", css=".cover { height: 297mm; }")  # a height for A4
    folder = make_issue.copy_sample()
    with pytest.raises(InputError) as caught:
        build(folder, tmp_path / "cover.pdf")
    [problem] = caught.value.problems
    assert problem.path == make_issue.root / "styles" / "default" / "style.css"
    assert problem.message == ("封面高 297 mm，比页面（A5 (148 × 210 mm)）高 (the style sets the cover 297 mm tall, "
                               "taller than the page, A5 (148 × 210 mm), newsletter.yaml's page_size: give the cover "
                               "the page's height, height: var(--page-height))")


def test_a_font_file_weasyprint_cannot_load_is_an_input_error_at_its_font_face_rule(make_issue, tmp_path):
    import shutil

    from press.build import build

    fonts = tmp_path / "fonts"
    shutil.copytree(ROOT / "fonts", fonts)
    (fonts / "PressSong-Regular.otf").write_bytes((ROOT / "fonts" / "PressSong-Regular.otf").read_bytes()[:100_000])
    make_issue.settings.write_text(make_issue.settings.read_text(encoding="utf-8").replace(
        str(ROOT / "fonts"), str(fonts)), encoding="utf-8")
    folder = make_issue({"a.md": article("标题", "正文。")})
    with pytest.raises(InputError) as caught:
        build(folder, tmp_path / "x.pdf")
    [problem] = caught.value.problems
    assert (problem.path.name, problem.line) == ("style.css", 4) and "字体 PressSong 无法载入" in problem.message
    assert not (tmp_path / "x.pdf").exists()


def test_a_file_that_cannot_be_read_while_laying_out_is_an_input_error_at_its_place(make_issue, monkeypatch):
    from press import images

    def unreadable(path):
        if path.suffix == ".svg":
            raise PermissionError(13, "Permission denied")
        return None

    monkeypatch.setattr(images, "for_print", unreadable)
    folder = make_issue({"a.md": article("图", "![图 1 图表](chart.svg)\n")})
    (folder / "chart.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
                                      encoding="utf-8")
    issue = load_issue(folder)
    with pytest.raises(InputError) as raised:
        lay_out_verified(issue, render_html(issue))
    [problem] = raised.value.problems
    assert problem.path.name == "a.md" and problem.line == 6
    assert "the file cannot be read: PermissionError" in problem.message


def test_a_cover_whose_highlights_run_into_the_publisher_line_is_an_input_error(make_issue):
    articles = {f"{number:02d}.md": article(f"第 {number} 篇文章的标题写得比较长一些", "正文。",
                                            extra="highlight: true\n") for number in range(1, 18)}
    issue = load_issue(make_issue(articles))
    with pytest.raises(InputError, match=r"the cover cannot hold its 17 highlights on A4 \(210 × 297 mm\): they "
                                         "run into the text below"):
        lay_out_verified(issue, render_html(issue))


def test_a_section_that_runs_on_keeps_its_heading_with_its_first_article_and_clear_space_above_it(
        make_issue, sample_build):
    line = "一行短句，约占半行。"
    single = make_issue({"01-a.md": article("第一篇", "\n\n".join([line] * 80))}, name="2024-05-one")
    layout = lay_out_verified(load_issue(single), render_html(load_issue(single)))
    fits = sum(layout.page_of(f"article-01-a-L{6 + 2 * index}") == layout.first_body_page for index in range(80))
    placements = set()
    for count in range(fits - 9, fits + 1):  # the first article ends from nine lines above the foot to the foot
        folder = make_issue({"01-a.md": article("第一篇", "\n\n".join([line] * count)),
                             "02-b.md": article("第二篇", "第二篇的第一段。" * 30, section="战略规划")},
                            name=f"2024-05-{count}")
        issue = load_issue(folder)
        layout = lay_out_verified(issue, render_html(issue))
        heading, title, text = (layout.page_of(ident) for ident in ("section-2", "article-02-b", "article-02-b-L6"))
        assert heading == title == text, count  # never alone at the foot: with the title and the first lines
        placements.add(heading == layout.page_of(f"article-01-a-L{6 + 2 * (count - 1)}"))
    assert placements == {True, False}  # it ran on after the first article, and it went on to the next page
    reading = read_pdf(sample_build.path)  # in the sample, 战略规划 stands below the end of 专题
    page = next(page for page in reading.pages if page.label.isdigit()
                and any(item.text.startswith("战略规划") for item in page.lines))
    heading = next(index for index, item in enumerate(page.lines) if item.text.startswith("战略规划"))
    above = page.lines[heading - 1]
    gap = page.lines[heading].top - max(char["bottom"] for char in above.chars)
    assert heading > 1 and gap > 10 * 72 / 25.4  # more than 10 mm clear above the heading's ink
