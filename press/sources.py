"""The files a build of an issue reads, and their state: what the watcher, the mailer and the section cache compare.

Takes an issue folder and its style and fonts folders; gives the roots to
look at and a snapshot (modification time and size of every file), the
files that differ between two snapshots, and whether an output would
overwrite one of those files or be read as one.
"""

import os
from collections.abc import Iterator
from pathlib import Path

from press.errors import display_path
from press.model import SETTINGS_FILE

Snapshot = dict[Path, tuple[int, int]]

# What press writes is never read by a build, even when it lands in a watched folder (`press build .`
# inside the issue folder writes dist/ there): PDFs, mail drafts, send logs and their locks, and the
# preview folders (`<pdf stem>-preview`).  Hidden files (a PDF being written, editors' swap files) and
# backups (`name~`) are not sources either.
PRESS_OUTPUTS = (".pdf", ".eml", ".jsonl", ".lock")
PREVIEW_SUFFIX = "-preview"


def watched_roots(folder: Path, styles_dir: Path, fonts_dir: Path) -> list[Path]:
    """The files and folders a build of `folder` reads."""
    return [folder, folder.parent / SETTINGS_FILE, styles_dir, fonts_dir]


def snapshot(roots: list[Path]) -> Snapshot:
    """(modification time, size) of every source file under the roots; a root that is a file counts itself."""
    return {path: (info.st_mtime_ns, info.st_size) for path, info in source_files(roots)}


def source_files(roots: list[Path]) -> Iterator[tuple[Path, os.stat_result]]:
    """Every source file under the roots with its state (a root that is a file counts itself)."""
    for root in roots:
        paths = [root] if root.is_file() else (path for path in root.rglob("*")
                                                if is_source(path.relative_to(root)) and path.is_file())
        for path in paths:
            try:
                yield path, path.stat()
            except OSError:  # deleted while we looked
                continue


def output_clash(target: Path, roots: list[Path]) -> tuple[str, str] | None:
    """Why an output written at `target` would destroy or feed the build of these roots (Chinese, English), or None.

    It may not be a file the build reads, by any name (a link, a hard link, `a/../b`), nor lie where
    the next build would read it as a source (and press watch would rebuild for ever).
    """
    try:
        written = os.stat(target)
    except (OSError, ValueError):
        written = None
    if written is not None:
        for path, info in source_files(roots):
            if (info.st_dev, info.st_ino) == (written.st_dev, written.st_ino):
                return f"它是本期的源文件 {display_path(path)}", f"it is {display_path(path)}, a file the build reads"
    real = Path(os.path.realpath(target))
    for root in roots:
        root = root.resolve()
        if real == root or (real.is_relative_to(root) and root.is_dir() and is_source(real.relative_to(root))):
            return ("它在本期的源文件之中，下次构建会把它当作源文件读取",
                    "it lies among the files the build reads, which would read it as a source next time "
                    "(press watch would rebuild for ever)")
    return None


def is_source(relative: Path) -> bool:
    """Whether a file, named relative to a watched folder, can be read by a build (see PRESS_OUTPUTS)."""
    return not_a_source(relative) is None


def not_a_source(relative: Path) -> tuple[str, str] | None:
    """Why a file, named relative to a watched folder, is no source of a build (Chinese, English), or None.

    The build reads nothing that is not a source (the loader, the sandbox's fetcher and the template
    loader refuse it), so what the watcher and the mailer compare is all a build reads.
    """
    if any(part.startswith(".") for part in relative.parts):
        return "是隐藏文件（名字以 . 开头）", "starts with . (a hidden file, or in a hidden folder)"
    if any(part.endswith("~") for part in relative.parts):
        return "是备份文件（名字以 ~ 结尾）", "ends with ~ (an editor's backup)"
    if any(part.endswith(PREVIEW_SUFFIX) for part in relative.parts[:-1]):
        return (f"在 press preview 的 {PREVIEW_SUFFIX} 文件夹中",
                f"lies in a {PREVIEW_SUFFIX} folder that press preview writes")
    if relative.suffix.lower() in PRESS_OUTPUTS:
        return f"是 press 生成的 {relative.suffix} 文件", f"ends in {relative.suffix}, a file press writes"
    return None


def changed(before: Snapshot, after: Snapshot) -> list[Path]:
    """Files added, removed or modified between two snapshots."""
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))
