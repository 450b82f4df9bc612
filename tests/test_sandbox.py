"""The sandbox: a build reads only the issue, the style and the fonts, and never the network.

Every escape is tried through a real build: a refused resource is an input error
(exit 2) naming the file and line that asked for it, and the fetcher's log shows
that nothing outside the allowed folders was read.
"""

import socket
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from press.build import build
from press.cli import main
from press.layout import SandboxFetcher, configuration_for
from tests.conftest import ROOT, SAMPLE, article

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="20">\n'


@pytest.fixture(autouse=True)
def fetches(monkeypatch):
    """Every URL the fetcher serves ("served") or refuses; and no network: a connection attempt fails the test."""
    log = {"served": [], "refused": []}
    original = SandboxFetcher.fetch

    def logged(self, url, headers=None):
        try:
            response = original(self, url, headers)
        except BaseException:  # WeasyPrint's FatalURLFetchingError is a BaseException
            log["refused"].append(url)
            raise
        log["served"].append(url)
        return response

    monkeypatch.setattr(SandboxFetcher, "fetch", logged)

    def no_network(*arguments, **keywords):
        raise AssertionError("a build tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    return log


def built(folder, tmp_path, monkeypatch):
    monkeypatch.chdir(folder.parent.parent)
    return CliRunner().invoke(main, ["build", "-q", str(folder.relative_to(folder.parent.parent)),
                                     "-o", str(tmp_path / "out.pdf")])


def outside(urls, *roots) -> list[str]:
    """The URLs that are not files inside the roots (resolved, so `..` and links count); font: names count inside."""
    allowed = [Path(root).resolve() for root in roots]
    return [url for url in urls if urlsplit(url).scheme != "font"
            and not (urlsplit(url).scheme == "file"
                     and any(Path(unquote(urlsplit(url).path)).resolve().is_relative_to(root) for root in allowed))]


def test_the_sample_reads_only_its_folder_the_style_and_the_fonts(fetches, tmp_path):
    configuration_for.cache_clear()  # a new font configuration fetches the fonts again
    build(SAMPLE, tmp_path / "sample.pdf")
    assert len(fetches["served"]) >= 5, "the sample loads its stylesheet's fonts and pictures through the fetcher"
    assert fetches["refused"] == []
    assert outside(fetches["served"], SAMPLE, ROOT / "styles" / "default", ROOT / "fonts") == []


@pytest.mark.parametrize("href", ["file:///etc/passwd", "../../secret.png", "http://example.com/logo.png",
                                  "https://example.com/logo.png", "ftp://example.com/a.png",
                                  "data:image/png;base64,iVBORw0KGgo="])
def test_an_svg_that_reaches_out_is_refused_at_its_line(make_issue, tmp_path, monkeypatch, fetches, href):
    (tmp_path / "secret.png").write_bytes(b"secret")
    folder = make_issue({"01-a.md": article("甲", "正文。\n\n![图 1 示意](chart.svg)")})
    (folder / "chart.svg").write_text(SVG + f'  <image xlink:href="{href}" width="10" height="10"/>\n</svg>\n',
                                      encoding="utf-8")
    result = built(folder, tmp_path, monkeypatch)
    assert result.exit_code == 2, result.output
    assert "issues/2024-05/chart.svg:2:" in result.stderr and "refused" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out.pdf").exists()
    assert len(fetches["refused"]) == 1 and fetches["refused"][0].endswith(href.split("/")[-1])
    assert outside(fetches["served"], folder, ROOT / "styles", ROOT / "fonts") == []


@pytest.mark.parametrize("css, named", [
    ('@import url("file:///etc/passwd");', "file:///etc/passwd"),
    ('.cover { background: url("../../../secret.png"); }', "secret.png"),
    ('@font-face { font-family: X; src: url("https://fonts.example.com/x.woff2"); }\n.cover { font-family: X; }',
     "https://fonts.example.com/x.woff2"),
    ('.cover { background: url("/etc/\\68 ostname"); }', "/etc/hostname"),  # a CSS escape still names its line
])
def test_a_style_that_reaches_out_is_refused_at_its_line(make_issue, tmp_path, monkeypatch, css, named):
    (tmp_path / "secret.png").write_bytes(b"secret")
    make_issue.use_sample_settings(css="/* a copy of the style */")
    style = tmp_path / "styles" / "default" / "style.css"
    style.write_text(f"{css}\n{style.read_text(encoding='utf-8')}", encoding="utf-8")  # @import must come first
    folder = make_issue({"01-a.md": article("甲", "正文。")})
    result = built(folder, tmp_path, monkeypatch)
    assert result.exit_code == 2, result.output
    assert "styles/default/style.css:" in result.stderr and named in result.stderr
    assert "refused" in result.stderr
    assert not (tmp_path / "out.pdf").exists()


def test_an_attachment_link_in_a_template_is_refused(make_issue, tmp_path, monkeypatch, fetches):
    make_issue.use_sample_settings(css="/* copy */")
    template = tmp_path / "styles" / "default" / "issue.html"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("<head>", '<head>\n<link rel="attachment" href="file:///etc/passwd">', 1),
                        encoding="utf-8")
    folder = make_issue({"01-a.md": article("甲", "正文。")})
    result = built(folder, tmp_path, monkeypatch)
    assert result.exit_code == 2, result.output
    assert "styles/default/issue.html:" in result.stderr and "file:///etc/passwd" in result.stderr


def test_raw_html_in_markdown_stays_text_and_reaches_nothing(make_issue, tmp_path, monkeypatch, fetches):
    body = ('<link rel="attachment" href="file:///etc/passwd"> 和 <img src="file:///etc/hostname"> 都只是文字。\n\n'
            '<a rel="attachment" href="file:///etc/passwd">附件</a>')
    folder = make_issue({"01-a.md": article("甲", body)})
    result = built(folder, tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output
    assert not any("/etc/" in url for url in fetches["served"] + fetches["refused"])
    reader = PdfReader(tmp_path / "out.pdf")
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    assert "都只是文字" in "".join(page.extract_text() for page in reader.pages).replace("\n", "")


@pytest.mark.parametrize("src", ["../secret.png", "link.png", "/etc/hostname", "file:///etc/hostname"])
def test_an_image_outside_the_issue_is_refused_before_rendering(make_issue, tmp_path, monkeypatch, fetches, src):
    secret = tmp_path / "issues" / "secret.png"
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_bytes(b"\x89PNG secret")
    folder = make_issue({"01-a.md": article("甲", f"正文。\n\n![图 1 示意]({src})")})
    (folder / "link.png").symlink_to(secret)  # a link inside the folder to a file outside it
    result = built(folder, tmp_path, monkeypatch)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"Error: issues/2024-05/01-a.md:8:1: 图片必须在本期目录中 (image must lie in the "
                                    f"issue folder: {src})")
    assert not any("secret" in url or "/etc/" in url for url in fetches["served"] + fetches["refused"])


def test_an_article_or_issue_file_linked_outside_the_folder_is_not_read(make_issue, tmp_path, monkeypatch):
    secret = tmp_path / "secret.md"
    secret.write_text(article("秘密", "这是文件夹外的秘密文字。"), encoding="utf-8")
    folder = make_issue({"01-a.md": article("甲", "正文。")},
                        issue_yaml="year: 2024\nnumber: 5\ndate: 2024-05-01\narticles:\n  - 01-a.md\n  - 02-b.md\n")
    (folder / "02-b.md").symlink_to(secret)
    result = built(folder, tmp_path, monkeypatch)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: issues/2024-05/issue.yaml:6:1: 文章 02-b.md 链接到本期目录以外")
    assert not (tmp_path / "out.pdf").exists()

    (folder / "02-b.md").unlink()
    moved = tmp_path / "elsewhere.yaml"
    (folder / "issue.yaml").rename(moved)
    (folder / "issue.yaml").symlink_to(moved)
    result = built(folder, tmp_path, monkeypatch)
    assert result.exit_code == 2 and "issue.yaml 链接到本期目录以外" in result.stderr


def test_a_template_cannot_reach_python_or_files_outside(make_issue, tmp_path, monkeypatch):
    folder = make_issue({"01-a.md": article("甲", "正文。")})
    templates = folder / "templates"
    templates.mkdir()
    own = templates / "issue.html"
    own.write_text("<html>\n<p>{{ cycler.__init__.__globals__.__builtins__.open('/etc/hostname').read() }}</p>\n",
                   encoding="utf-8")
    result = built(folder, tmp_path, monkeypatch)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: issues/2024-05/templates/issue.html:2: 模板试图访问沙箱以外的内容")

    own.unlink()
    secret = tmp_path / "secret.html"
    secret.write_text("<html><p>外面的模板</p></html>", encoding="utf-8")
    own.symlink_to(secret)
    result = built(folder, tmp_path, monkeypatch)
    assert result.exit_code == 2, result.output
    assert "模板 issue.html 链接到模板目录以外，拒绝读取" in result.stderr
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.parametrize("expression, message", [
    ("{{ issue.folder.joinpath('/etc/hostname').read_text() }}", "access to attribute 'joinpath' of 'PurePosixPath'"),
    ("{{ issue.articles[0].path.write_text('x') }}", "has no attribute 'write_text'"),
    ("{% for i in range(10**9) %}x{% endfor %}", "Range too big"),
    ("{{ 'a' * 10**9 }}", "a repetition of more than 1,000,000 items"),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "RecursionError"),
    ("{% include 'issue.html' %}", "RecursionError"),
    ("{{ 'x'.ljust(10**10) }}", "模板占用内存过多"),
    ("{{ lipsum(10**6) }}", "'lipsum' is undefined"),
    ("{{ ([[0]] * 300000)|sum(start=[])|length }}", "sum adds numbers only"),  # quadratic, in C: no alarm stops it
    ("{{ 1 / 0 }}", "ZeroDivisionError"),
    ("{{ issue.date|tojson }}", "not JSON serializable"),
])
def test_a_template_cannot_read_files_or_exhaust_the_machine(make_issue, tmp_path, monkeypatch, expression, message):
    folder = make_issue({"01-a.md": article("甲", "正文。")})
    (folder / "templates").mkdir()
    (folder / "templates" / "issue.html").write_text(f"<html>\n<p>{{{{ issue.folder.name }}}}</p>{expression}\n",
                                                     encoding="utf-8")
    result = built(folder, tmp_path, monkeypatch)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: issues/2024-05/templates/issue.html:2: 模板")
    assert message in result.stderr


def test_a_template_that_runs_too_long_is_stopped(make_issue, tmp_path, monkeypatch):
    from press import render

    monkeypatch.setattr(render, "TIME_LIMIT", 0.5)
    folder = make_issue({"01-a.md": article("甲", "正文。")})
    (folder / "templates").mkdir()
    (folder / "templates" / "issue.html").write_text(
        "<html>\n{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n",
        encoding="utf-8")
    result = built(folder, tmp_path, monkeypatch)
    assert result.exit_code == 2, result.output
    assert "templates/issue.html:2: 模板无法完成" in result.stderr and "longer than 0.5 s" in result.stderr


def test_a_templates_folder_linked_out_of_the_issue_is_refused(make_issue, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "issue.html").write_text("<html><p>外面的模板</p></html>", encoding="utf-8")
    folder = make_issue({"01-a.md": article("甲", "正文。")})
    (folder / "templates").symlink_to(elsewhere)
    result = built(folder, tmp_path, monkeypatch)
    assert result.exit_code == 2, result.output
    assert "templates 目录链接到本期目录以外，拒绝读取" in result.stderr


def test_a_template_that_makes_too_much_or_is_no_file_is_refused(make_issue, tmp_path, monkeypatch):
    folder = make_issue({"01-a.md": article("甲", "正文。")})
    templates = folder / "templates"
    templates.mkdir()
    own = templates / "issue.html"
    own.write_text("<html>{% for i in range(50) %}{{ 'x' * 1000000 }}{% endfor %}\n", encoding="utf-8")
    result = built(folder, tmp_path, monkeypatch)
    assert result.exit_code == 2 and "模板输出过长 (the template made 50,000,006 characters" in result.stderr

    own.write_bytes(b"<html>\xff</html>\n")
    result = built(folder, tmp_path, monkeypatch)
    assert result.exit_code == 2 and "UnicodeDecodeError" in result.stderr

    own.unlink()
    own.mkdir()  # a folder where the template should be: no silent fallback to the style's
    result = built(folder, tmp_path, monkeypatch)
    assert result.exit_code == 2 and "模板 issue.html 不是普通文件" in result.stderr


def styled_with_logo(make_issue, src: str) -> Path:
    """An issue whose style's cover template shows `src`, with logo.png in the style's folder."""
    from PIL import Image

    make_issue.use_sample_settings(css="/* a copy of the style */")
    style = make_issue.root / "styles" / "default"
    Image.new("RGB", (120, 40), "#1f4e79").save(style / "logo.png")
    template = style / "issue.html"
    text = template.read_text(encoding="utf-8")
    logo = f'<img class="logo" src="{src}"><p class="cover-publisher">'
    template.write_text(text.replace('<p class="cover-publisher">', logo, 1), encoding="utf-8")
    return make_issue({"a.md": article("标识", "正文。")})


def test_a_style_s_template_shows_its_own_logo_by_a_style_url(make_issue, tmp_path, fetches):
    folder = styled_with_logo(make_issue, "style:logo.png")
    pdf = PdfReader(build(folder, tmp_path / "logo.pdf").path)
    assert len(pdf.pages[0].images) == 1  # on the cover
    assert "style:logo.png" in fetches["served"]


def test_a_relative_logo_in_a_template_is_refused_with_the_style_url_to_write(make_issue, tmp_path):
    folder = styled_with_logo(make_issue, "logo.png")
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2
    assert "issue.html" in result.stderr and "style:logo.png" in result.stderr
