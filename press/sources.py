"""The files a build of an issue reads, and their state: what the watcher, the mailer and the section cache compare.

Takes an issue folder and its style and fonts folders; gives the roots to
look at and a snapshot (modification time and size of every file), and the
files that differ between two snapshots.
"""

from pathlib import Path

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
    state: Snapshot = {}
    for root in roots:
        paths = [root] if root.is_file() else (path for path in root.rglob("*")
                                                if is_source(path.relative_to(root)) and path.is_file())
        for path in paths:
            try:
                info = path.stat()
            except OSError:  # deleted while we looked
                continue
            state[path] = (info.st_mtime_ns, info.st_size)
    return state


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
