"""Shared fixtures: the sample issue built once, and small issues made on the fly."""

import ctypes
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from textwrap import dedent

# The tests write nothing under the home folder (a CI runner's may be read-only): press's cache of
# compiled C declarations goes to a folder of the temporary directory, set before press is imported.
os.environ.setdefault("PRESS_CACHE_DIR", str(Path(tempfile.gettempdir()) / "press-tests-cache"))

import pytest
from hypothesis import settings

from press.build import build
from press.pdfread import read_pdf

# In CI (CI=true) the property tests run the same examples every time: a failure there can be
# reproduced; elsewhere they explore new ones.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "issues" / "2024-04"

SETTINGS = """\
slug: test-letter
title: 测试快报
title_en: TEST LETTER
publisher: 测试出版单位
sections: [专题, 战略规划, 项目资助, 行业观察, 研究进展]
styles_dir: {styles}
fonts_dir: {fonts}
"""


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory):
    """The sample issue 2024-04, built once for the whole test session."""
    output = tmp_path_factory.mktemp("sample") / "sample.pdf"
    return build(SAMPLE, output)


@pytest.fixture(scope="session")
def sample_reading(sample_build):
    """The sample PDF read back."""
    return read_pdf(sample_build.path)


class IssueMaker:
    """Writes a small issue folder: newsletter settings, issue.yaml, articles."""

    def __init__(self, root: Path):
        self.root = root
        (root / "issues").mkdir(parents=True, exist_ok=True)
        self.settings = root / "issues" / "newsletter.yaml"
        self.settings.write_text(SETTINGS.format(styles=ROOT / "styles", fonts=ROOT / "fonts"),
                                 encoding="utf-8")

    def __call__(self, articles: dict[str, str], issue_yaml: str | None = None,
                 name: str = "2024-05") -> Path:
        folder = self.root / "issues" / name
        folder.mkdir(parents=True, exist_ok=True)
        for file_name, text in articles.items():
            (folder / file_name).write_text(dedent(text), encoding="utf-8")
        if issue_yaml is None:
            listed = "".join(f"  - {file_name}\n" for file_name in articles)
            issue_yaml = f"year: 2024\nnumber: 5\ndate: 2024-05-01\narticles:\n{listed}"
        (folder / "issue.yaml").write_text(dedent(issue_yaml), encoding="utf-8")
        return folder

    def copy_sample(self, name: str = "2024-04") -> Path:
        """A copy of the sample issue that a test may change."""
        folder = self.root / "issues" / name
        shutil.copytree(SAMPLE, folder)
        return folder

    def use_sample_settings(self, extra: str = "", css: str = "") -> None:
        """The sample's own newsletter.yaml (plus `extra` lines); `css` is appended to a copy of the style."""
        styles = ROOT / "styles"
        if css:
            styles = self.root / "styles"
            shutil.copytree(ROOT / "styles", styles, dirs_exist_ok=True)
            with (styles / "default" / "style.css").open("a", encoding="utf-8") as style:
                style.write("\n" + css + "\n")
        text = (SAMPLE.parent / "newsletter.yaml").read_text(encoding="utf-8")
        self.settings.write_text(f"{text}styles_dir: {styles}\nfonts_dir: {ROOT / 'fonts'}\n{extra}",
                                 encoding="utf-8")


EDITOR_NOTE = """\
---
title: 卷首语
byline: 本刊编辑部
---

4 月，美国发布《国家微电子研究战略》，氢能、电池回收和半导体需求也各有新进展。本期以微电子战略为专题，\
并辑录各国在新材料领域的规划、资助与产业动态[^1]。

材料是产业的基础。希望本期所选的报道，能为读者把握新材料发展的方向提供一些参考。

[^1]: 本期内容截至 2024 年 3 月底。
"""


def with_editor_note(folder: Path, text: str = EDITOR_NOTE) -> Path:
    """The issue folder with an editor's note (editor-note.md) written into it."""
    (folder / "editor-note.md").write_text(text, encoding="utf-8")
    return folder


FILLER_AFTER_NOTE = ":::\n\n"


def shifted_sample(maker: IssueMaker, k: int) -> Path:
    """A copy of the sample with a filler paragraph of 11·k characters after the editor's note.

    The filler moves every page break, so footnote calls pass through every
    position on their pages; at some shifts WeasyPrint 70 alone misplaces one.
    """
    folder = maker.copy_sample(f"2024-04-shift{k}")
    article = folder / "01-microelectronics-strategy.md"
    original = article.read_text(encoding="utf-8")
    filler = "试" * (11 * k) + "。\n\n"
    article.write_text(original.replace(FILLER_AFTER_NOTE, FILLER_AFTER_NOTE + filler, 1),
                       encoding="utf-8")
    return folder


def misplaced_build(maker: IssueMaker, target: Path):
    """A shifted sample that WeasyPrint alone lays out with a footnote off its call's page, written to `target`.

    Returns the issue, the misplaced footnote and the PDF's path.
    """
    from press.footnotes import misplaced as misplaced_footnotes
    from press.load import load_issue
    from press.pdf import write_pdf
    from press.render import render_html

    for k in range(10, 18):  # a shift at which WeasyPrint alone misplaces a footnote
        issue = load_issue(shifted_sample(maker, k))
        raw = weasyprint_footnotes_layout(issue, render_html(issue))
        if misplaced_footnotes(issue, raw):
            return issue, misplaced_footnotes(issue, raw)[0], write_pdf(raw, issue, target)
    raise AssertionError("no shift made WeasyPrint misplace a footnote")


def weasyprint_footnotes_layout(issue, html: str, pushed: tuple[str, ...] = ()):
    """`layout.lay_out` with WeasyPrint's own footnote placement (press.footnotes not installed)."""
    from press import footnotes
    from press.layout import lay_out

    with pytest.MonkeyPatch.context() as patch:
        footnotes.uninstall()
        patch.setattr(footnotes, "install", footnotes.uninstall)
        return lay_out(issue, html, pushed)


@pytest.fixture
def make_issue(tmp_path):
    return IssueMaker(tmp_path)


def article(title: str, body: str, section: str = "专题", extra: str = "") -> str:
    """The text of an article file."""
    return f"---\ntitle: {title}\nsection: {section}\n{extra}---\n\n{dedent(body).strip()}\n"


@contextmanager
def unreadable(path: Path):
    """`path` unreadable for real in the block: its mode 000, and, since a mode does not stop root, this thread's
    CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH lowered (Linux capget/capset; without them nothing changes)."""
    path.chmod(0)
    header, data, saved = lowered_dac_capabilities()
    try:
        yield path
    finally:
        if saved is not None:
            for caps, effective in zip(data, saved, strict=True):
                caps.effective = effective
            ctypes.CDLL(None).capset(ctypes.byref(header), data)
        path.chmod(0o644)


class CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def lowered_dac_capabilities():
    """Lower this thread's capabilities to override file modes; (header, data, the effective sets before) or
    (…, None) where there was nothing to lower."""
    header, data = CapHeader(0x20080522, 0), (CapData * 2)()  # _LINUX_CAPABILITY_VERSION_3
    libc = ctypes.CDLL(None)
    if libc.capget(ctypes.byref(header), data) != 0 or not data[0].effective & 0b110:
        return header, data, None
    saved = [caps.effective for caps in data]
    data[0].effective &= ~0b110  # CAP_DAC_OVERRIDE (1), CAP_DAC_READ_SEARCH (2)
    assert libc.capset(ctypes.byref(header), data) == 0
    return header, data, saved


def calls_made(action) -> int:
    """How many Python and built-in functions `action()` calls: work counted without a clock."""
    import sys

    calls = 0

    def count(frame, event, argument):
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        action()
    finally:
        sys.setprofile(None)
    return calls
