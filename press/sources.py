"""The files a build of an issue reads, and their state: what the watcher, the mailer and the section cache compare.

Takes an issue folder and its style and fonts folders; gives the roots to
look at and a snapshot (modification time and size of every file), and the
files that differ between two snapshots.
"""

from pathlib import Path

from press.load import SETTINGS_FILE

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
    if any(part.startswith(".") or part.endswith("~") for part in relative.parts):
        return False
    if any(part.endswith(PREVIEW_SUFFIX) for part in relative.parts[:-1]):
        return False
    return relative.suffix.lower() not in PRESS_OUTPUTS


def changed(before: Snapshot, after: Snapshot) -> list[Path]:
    """Files added, removed or modified between two snapshots."""
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))
