"""Writing the PDF: atomic replacement, page labels, language, reproducible bytes."""

import pytest
from pypdf import PdfReader

from press.build import build
from press.layout import lay_out_verified
from press.load import load_issue
from press.pdf import write_pdf
from press.render import render_html
from tests.conftest import article


@pytest.fixture
def small(make_issue):
    folder = make_issue({"a.md": article("标题", "正文。[^1]\n\n[^1]: 来源。")})
    issue = load_issue(folder)
    return issue, lay_out_verified(issue, render_html(issue))


def test_failed_write_leaves_the_previous_pdf_untouched(small, tmp_path, monkeypatch):
    issue, layout = small
    out = tmp_path / "out"
    out.mkdir()
    target = out / "out.pdf"
    target.write_bytes(b"%PDF-previous good file")

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(layout.document, "write_pdf", explode)
    with pytest.raises(RuntimeError):
        write_pdf(layout, issue, target)
    assert target.read_bytes() == b"%PDF-previous good file"
    assert [path.name for path in out.iterdir()] == ["out.pdf"]


def test_interrupted_write_leaves_no_partial_file(small, tmp_path, monkeypatch):
    issue, layout = small

    def interrupt(stream, **kwargs):
        stream.write(b"%PDF-1.7 half")
        raise KeyboardInterrupt

    monkeypatch.setattr(layout.document, "write_pdf", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_pdf(layout, issue, tmp_path / "out" / "out.pdf")
    assert list((tmp_path / "out").iterdir()) == []


def test_labels_and_language(small, tmp_path):
    from pypdf import PdfReader

    issue, layout = small
    reader = PdfReader(str(write_pdf(layout, issue, tmp_path / "out.pdf")))
    assert list(reader.page_labels) == ["封面", "目录", "1"]
    assert reader.trailer["/Root"]["/Lang"] == "zh-Hans"  # the newsletter's language


def test_same_input_same_bytes(make_issue, tmp_path):
    folder = make_issue({"a.md": article("标题", "正文。[^1]\n\n[^1]: 来源。")})
    first = build(folder, tmp_path / "1.pdf").path.read_bytes()
    second = build(folder, tmp_path / "2.pdf").path.read_bytes()
    assert first == second


def test_same_bytes_from_another_process_folder_hash_seed_and_fontconfig(sample_build, make_issue, tmp_path):
    import os
    import subprocess
    import sys

    make_issue.use_sample_settings()
    copy = make_issue.copy_sample()  # another absolute path, as on another machine
    target = tmp_path / "elsewhere.pdf"
    user_fonts = tmp_path / "config" / "fontconfig"
    user_fonts.mkdir(parents=True)  # a user's fontconfig that would slant every glyph
    (user_fonts / "fonts.conf").write_text(
        '<?xml version="1.0"?><fontconfig><match target="font"><edit name="matrix" mode="assign">'
        "<matrix><double>1</double><double>0.5</double><double>0</double><double>1</double></matrix>"
        "</edit></match></fontconfig>", encoding="utf-8")
    environment = {**os.environ, "PYTHONHASHSEED": "12345", "TZ": "Asia/Shanghai", "LANG": "C",
                   "XDG_CONFIG_HOME": str(tmp_path / "config"), "FONTCONFIG_FILE": str(user_fonts / "fonts.conf")}
    subprocess.run([sys.executable, "-m", "press", "build", "-q", str(copy), "-o", str(target)],
                   cwd=tmp_path, env=environment, check=True, capture_output=True)
    assert target.read_bytes() == sample_build.path.read_bytes()


def test_the_pdf_language_is_the_newsletter_s(make_issue, tmp_path):
    from click.testing import CliRunner

    from press.cli import main

    make_issue.use_sample_settings(extra="language: en-US\n")
    folder = make_issue({"a.md": article("标题", "正文。")})
    result = CliRunner().invoke(main, ["build", "--check", str(folder), "-o", str(tmp_path / "x.pdf")])
    assert "29 of 29 checks passed." in result.output, result.output
    assert PdfReader(tmp_path / "x.pdf").trailer["/Root"]["/Lang"] == "en-US"


def test_a_bookmark_reads_as_its_title_is_written(make_issue, tmp_path):
    title = "电导率突破 10⁻² S/cm 的 CO₂ 电解质"  # set as 10<sup>−2</sup>: WeasyPrint's own label read 10−2S/cm
    folder = make_issue({"a.md": article(title, "正文。")})
    path = build(folder, tmp_path / "bookmark.pdf").path
    assert [item.title for item in PdfReader(path).outline[1]] == [title]
