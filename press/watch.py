"""`press watch`: rebuild an issue's PDF on every save, in one warm process.

Takes an issue folder (and optionally an output path); builds once, then
polls the files a build reads (the issue folder, newsletter.yaml, the style
and fonts folders) and rebuilds when one changes.  Fonts, templates and
WeasyPrint stay loaded between builds, and the sections an edit did not
touch keep their pages (press.sections), so a rebuild costs the layout of
the edited section and the writing.  A build that fails reports its problems
and leaves the last good PDF in place (`build` writes atomically); an output press may not write
(press.build.refuse_output) ends the watch.  Each build's outcome (the `Built`, or `Failed` with
its message) also goes to a callback: press serve draws the pages from it.  Returns when
`keep_going` says so (Ctrl-C on the command line).
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from press.build import Built, build
from press.errors import OutputError, PressError, display_path, internal_error
from press.sections import SectionLayouts
from press.sources import Snapshot, changed, snapshot, watched_roots

POLL_SECONDS = 0.02  # a snapshot of the watched files takes 0.4 ms: polling costs 2 % of a core
SETTLE_SECONDS = 0.02  # an editor's save can be several writes: wait until the files are quiet


@dataclass(frozen=True)
class Failed:
    """A build that failed: its problems (each at its file:line:col), or the internal error, as press prints them."""

    message: str


def watch(folder: Path, output: Path | None, say: Callable[[str], None],
          keep_going: Callable[[], bool] = lambda: True,
          done: Callable[[Built | Failed], None] = lambda outcome: None, draft: bool = False) -> None:
    """Build, then rebuild on every change until `keep_going()` is false; each build's outcome goes to `done`
    (press serve draws its pages); each build a draft if `draft`."""
    folder = Path(folder)
    root = folder.parent.parent  # the loader's defaults until the settings are read
    roots = watched_roots(folder, root / "styles", root / "fonts")
    before = snapshot(roots)  # taken before each build, so a save during the build is not missed
    sections = SectionLayouts()  # unchanged sections keep their pages from one build to the next
    roots, before = rebuild_and_follow(folder, output, say, roots, before, sections, done, draft)
    while keep_going():
        time.sleep(POLL_SECONDS)
        after = snapshot(roots)
        if after == before:
            continue
        while True:  # let a multi-step save finish
            time.sleep(SETTLE_SECONDS)
            settled = snapshot(roots)
            if settled == after:
                break
            after = settled
        say(f"{clock()} {what_changed(before, after)}")
        roots, before = rebuild_and_follow(folder, output, say, roots, after, sections, done, draft)


def what_changed(before: Snapshot, after: Snapshot) -> str:
    """The files a save changed, e.g. 已修改 a.md, 已删除 b.md (at most three named)."""
    edited = changed(before, after)
    named = [("已删除 " if path not in after else "已新增 " if path not in before else "已修改 ") + display_path(path)
             for path in edited[:3]]
    return "，".join(named) + (f" 等 {len(edited)} 个文件" if len(edited) > 3 else "")


def rebuild_and_follow(folder: Path, output: Path | None, say: Callable[[str], None], roots: list[Path],
                       before: Snapshot, sections: SectionLayouts,
                       done: Callable[[Built | Failed], None], draft: bool = False) -> tuple[list[Path], Snapshot]:
    """Rebuild; if the settings name other style or fonts folders, watch those from now on.

    Files already watched keep the state seen before the build; files newly
    watched start from their state now.
    """
    new_roots = rebuild(folder, output, say, roots, sections, done, draft)
    if new_roots == roots:
        return roots, before
    return new_roots, {path: before.get(path, state) for path, state in snapshot(new_roots).items()}


def rebuild(folder: Path, output: Path | None, say: Callable[[str], None], roots: list[Path],
            sections: SectionLayouts, done: Callable[[Built | Failed], None] = lambda outcome: None,
            draft: bool = False) -> list[Path]:
    """One build (a draft if `draft`), reported in one line (or its problems) and handed to `done`; returns the
    roots to watch from now on."""
    try:
        built = build(folder, output, lay_out=sections, drawings=sections.drawings, draft=draft)
    except OutputError:  # the -o of the command line: no save mends it, so the watch ends (exit 2)
        raise
    except Exception as error:  # the input's problems; or a bug, which a watcher outlives to the next save
        failed = Failed(error.format_message() if isinstance(error, PressError) else internal_error(error))
        say(f"{clock()} 构建失败，已有的 PDF 保持不变 (build failed; a PDF built before, if any, is kept):\n"
            f"{failed.message}")
        done(failed)
        return roots
    say(f"{clock()} {built.line}")
    done(built)
    settings = built.issue.settings
    return watched_roots(folder, settings.styles_dir, settings.fonts_dir)


def clock() -> str:
    return time.strftime("%H:%M:%S")

