"""The build: issue folder → verified layout → PDF on disk.

Takes an issue folder (and optionally an output path); gathers and validates
every file, renders the HTML, lays it out with every footnote verified on its
call's page, then writes the PDF atomically.  Returns what it built.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from press.atomic import as_named, refuse_unless_regular
from press.draft import Draft, build_time
from press.drawing import PageDrawings
from press.errors import InputError, OutputError, PressError, display_path
from press.images import JPEG_QUALITY
from press.layout import Layout, lay_out_verified
from press.load import load_issue
from press.locale import CHROMES, HANS, Chrome, plural
from press.model import SETTINGS_FILE, Issue
from press.pdf import write_pdf
from press.render import render_html
from press.settings import load_settings
from press.sources import issue_folder, output_clash, watched_roots
from press.yamlfile import Problems

DIST = Path("dist")


@dataclass
class Built:
    """A finished build: the issue, its layout, the PDF's path, the seconds taken, whether it is a draft."""

    issue: Issue
    layout: Layout
    path: Path
    seconds: float
    draft: bool = False

    @property
    def line(self) -> str:
        """The line that says this PDF was built (see `built_line`)."""
        return built_line(self.path, len(self.layout.document.pages), self.path.stat().st_size, self.seconds,
                          self.draft, self.issue.chrome)


def built_line(pdf: Path, pages: int, size: int, seconds: float, draft: bool = False,
               words: Chrome = CHROMES[HANS]) -> str:
    """The one line press build, watch, serve and a build of many issues say of a PDF they made:
    `已生成 dist/x.pdf（12 页，344 KB，0.91 秒）`, `（草稿，12 页…）` for a draft, in English for an English
    newsletter (`words`: its chrome): `Wrote dist/x.pdf (draft, 12 pages, 344 KB, 0.91 s)`."""
    shown, kilobytes = display_path(pdf), f"{size / 1024:.0f} KB"
    return words.say(f"已生成 {shown}（{'草稿，' if draft else ''}{pages} 页，{kilobytes}，{seconds:.2f} 秒）",
                     f"Wrote {shown} ({'draft, ' if draft else ''}{plural(pages, 'page')}, {kilobytes}, "
                     f"{seconds:.2f} s)")


def build(folder: Path, output: Path | None = None,
          say: Callable[[str], None] = lambda message: None,
          lay_out: Callable[[Issue, str], Layout] = lay_out_verified,
          drawings: PageDrawings | None = None, draft: bool = False) -> Built:
    """Build one issue's PDF; raise InputError or LayoutError without touching the output, OutputError
    (before any layout) if the output may not be written.

    `lay_out` makes the verified layout (`press watch` passes one that keeps
    unchanged sections between builds, see press.sections); `drawings` keeps
    the pages' drawings between builds (press.drawing); `draft` marks every
    page as a draft built now (press.draft).
    """
    started = time.perf_counter()
    when = build_time() if draft else None
    try:
        issue = load_issue(Path(folder))
    except InputError as error:
        raise error.in_language(language_of(Path(folder))) from None
    try:
        return build_issue(issue, output, say, lay_out, drawings, started, when)
    except InputError as error:
        raise error.in_language(issue.settings.language) from None
    except PressError as error:
        error.message = issue.chrome.message(error.message)
        raise


def language_of(folder: Path) -> str:
    """The `language` of the newsletter an issue folder belongs to, "" when its settings do not load (its
    problems are then in both languages, as every problem found before the language is known)."""
    try:
        settings = load_settings(issue_folder(folder).parent / SETTINGS_FILE, Problems())
    except PressError:
        return ""
    return settings.language if settings else ""


def build_issue(issue: Issue, output: Path | None, say: Callable[[str], None],
                lay_out: Callable[[Issue, str], Layout], drawings: PageDrawings | None, started: float,
                when: datetime | None = None) -> Built:
    """`build` once the issue is loaded (a draft built at `when`, if given): its messages in the newsletter's
    language (press.locale)."""
    target = Path(output or DIST / issue.output_name)
    refuse_output(target, issue)
    words = issue.chrome
    note = f"{issue.note.title}，" if issue.note else ""
    say(words.say(f"已读取 {issue.settings.title} {issue.label_long}：{note}"
                  f"{len(issue.articles)} 篇文章，{len(issue.footnotes)} 条脚注",
                  f"Read {issue.settings.title} {issue.label_long}: {issue.note.title + ', ' if issue.note else ''}"
                  f"{plural(len(issue.articles), 'article')}, "
                  f"{plural(len(issue.footnotes), 'footnote')}"))
    html = render_html(issue)
    layout = lay_out(issue, html)
    pages = len(layout.document.pages)
    say(words.say(f"排版完成：{pages} 页" +
                  (f"（为使脚注与引用同页，{len(layout.pushed)} 处移至下页）" if layout.pushed else "") +
                  (f"（{len(layout.floated)} 幅图移至下页顶部，以免留白）" if layout.floated else ""),
                  f"Laid out: {plural(pages, 'page')}" +
                  (f" ({len(layout.pushed)} moved to the next page to keep footnotes with their calls)"
                   if layout.pushed else "") +
                  (f" ({plural(len(layout.floated), 'figure')} moved to the top of the next page)"
                   if layout.floated else "")))
    for note in photo_notes(layout):
        say(words.message(note))
    marked = Draft(when, f"{issue.settings.title} {issue.label_long}", words.built) if when else None
    write_pdf(layout, issue, target, drawings, marked)
    return Built(issue, layout, target, time.perf_counter() - started, when is not None)


def photo_notes(layout: Layout) -> list[str]:
    """A line for each photo the build embeds as a JPEG, and what that made of it (see press.images)."""
    converted = layout.fetcher.converted if layout.fetcher else {}
    return [f"照片 {display_path(path)} 以 JPEG 嵌入 (a photo, embedded as JPEG at quality {JPEG_QUALITY}): {how}"
            for path, how in sorted(converted.items())]


def refuse_output(target: Path, issue: Issue) -> None:
    """Raise OutputError if the PDF may not be written at `target`: not a regular file, or a source of the build."""
    refuse_unless_regular(target)
    roots = watched_roots(issue.folder, issue.settings.styles_dir, issue.settings.fonts_dir)
    if reason := output_clash(target, roots):
        raise OutputError(f"不能写入 {as_named(target)}：{reason[0]} (refused: {reason[1]}; write the PDF "
                          "elsewhere)")
