"""The files a build of an issue reads, and their state: what the watcher, the mailer and the section cache compare.

Takes an issue folder and its style and fonts folders; gives the roots to
look at and a snapshot (modification time and size of every file), the
files that differ between two snapshots, and whether an output would
overwrite one of those files or be read as one.

Every file a build reads is opened through `open_source`, which refuses what is no
regular file (a FIFO would hang the build, a device never end it) and turns a name no
file can have (a NUL, a lone surrogate, over 255 bytes) into the OSError an unreadable
file gives, so each reader reports both as the input problem they are.
"""

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from press.errors import display_path
from press.model import SETTINGS_FILE

Snapshot = dict[Path, tuple[int, int]]

# What press writes is never read by a build, even when it lands in a watched folder (`press build .`
# inside the issue folder writes dist/ there): PDFs, mail drafts, send logs and their locks, and the
# preview folders (`<pdf stem>-preview`).  Hidden files (a PDF being written, editors' swap files) and
# backups (`name~`) are not sources either.
PRESS_OUTPUTS = (".pdf", ".eml", ".jsonl", ".lock")
PREVIEW_SUFFIX = "-preview"


FILE_KINDS = {stat.S_IFLNK: ("符号链接", "a symbolic link"), stat.S_IFDIR: ("文件夹", "a folder"),
              stat.S_IFIFO: ("命名管道 (FIFO)", "a FIFO"), stat.S_IFCHR: ("设备", "a device"),
              stat.S_IFBLK: ("设备", "a device"), stat.S_IFSOCK: ("套接字", "a socket")}
NAME_MAX = 255  # bytes in one name of a path, on every common file system


class NotAFile(OSError):
    """A source that is not a regular file; its strerror says what it is."""


def open_source(path: Path) -> BinaryIO:
    """A file the build reads, open for reading; OSError if it cannot be (see the module's docstring)."""
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):  # looked at before opening: opening a FIFO waits for a writer
            raise not_a_file(path, mode)
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except ValueError:  # a NUL, or a character no file name can hold
        why = (name_problem(str(path)) or ("", "it cannot be encoded"))[1]
        raise OSError(errno.EINVAL, f"no file can have this name: {why}", str(path)) from None
    mode = os.fstat(handle).st_mode
    if not stat.S_ISREG(mode):  # what was opened is not what was looked at
        os.close(handle)
        raise not_a_file(path, mode)
    return os.fdopen(handle, "rb")


def not_a_file(path: Path, mode: int) -> NotAFile:
    kind = FILE_KINDS.get(stat.S_IFMT(mode), ("", "something else"))[1]
    return NotAFile(errno.EINVAL, f"it is {kind}, not a regular file", str(path))


def read_source(path: Path) -> bytes:
    """The bytes of a file the build reads; OSError if it cannot be read (see open_source)."""
    with open_source(path) as stream:
        return stream.read()


def unreadable(path: Path) -> str | None:
    """Why a file the build reads cannot be read (as an OSError says it), or None."""
    try:
        open_source(path).close()
    except OSError as error:
        return error.strerror or str(error)
    return None


def name_problem(name: str) -> tuple[str, str] | None:
    """Why a path named in the input cannot name a file (Chinese, English), or None."""
    if "\0" in name:
        return "路径中有空字符 (NUL)", "it holds a NUL character"
    try:
        encoded = os.fsencode(name)
    except UnicodeEncodeError:
        return "路径中有孤立的代理码位，不是字符", "it holds a lone surrogate (half of a UTF-16 pair), no character"
    if any(len(part) > NAME_MAX for part in encoded.split(b"/")):
        return (f"路径中的名字超过 {NAME_MAX} 字节", f"a name in it is longer than {NAME_MAX} bytes, the most a file "
                "system holds")
    return None


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


def issue_folder(path: Path) -> Path:
    """The folder as an absolute path without `.` or `..`: its parent, which holds newsletter.yaml, is then
    the real one (`press build .` inside the issue folder).  Links are kept, as the editor named them."""
    return Path(os.path.abspath(path))


def inside(path: Path, folder: Path) -> bool:
    """Whether a path, its links followed, lies in a folder."""
    return path.resolve().is_relative_to(folder.resolve())
