"""Files replaced in one step: written beside the target, synced, then renamed into place.

A failed or interrupted write leaves the previous file as it was and no part file behind.
Where the system allows (Linux, O_TMPFILE), the new content is written to a file without
a name, which the kernel discards if the process is killed (even with SIGKILL); it gets a
name only when complete, for the instant before the rename.  Elsewhere it is written to
`.<name>.<random>.part`, removed on any error or interruption that Python sees.

Only a regular file is ever replaced: a target that is a symbolic link, a folder, a FIFO, a
device or a socket is refused (OutputError), for the rename would destroy it (`-o /dev/null`
as root replaced the device with a file).  The new file keeps the permissions of the one it
replaces; a new file gets 0666 less the umask, as any program's.
"""

import os
import secrets
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from press.errors import OutputError
from press.sources import FILE_KINDS


@contextmanager
def replacing(target: Path, mode: int | None = None) -> Iterator[BinaryIO]:
    """A binary stream whose content replaces `target` when the block ends well (see the module's docstring).

    `mode`, if given, sets the new file's permissions instead.
    """
    target = Path(target)
    refuse_unless_regular(target)
    mode = kept_mode(target) if mode is None else mode
    target.parent.mkdir(parents=True, exist_ok=True)
    handle = unnamed_file(target.parent)
    if handle is None:
        handle, part = tempfile.mkstemp(prefix=part_prefix(target), suffix=".part", dir=target.parent)
    else:
        part = None
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
            if part is None:
                part = target.parent / f"{part_prefix(target)}{secrets.token_hex(4)}.part"
                name_unnamed(stream.fileno(), part)
        os.chmod(part, mode)
        refuse_unless_regular(target)  # nothing else took the name while the content was written
        os.replace(part, target)
    except BaseException:
        if part is not None:
            Path(part).unlink(missing_ok=True)
        raise


def refuse_unless_regular(target: Path) -> None:
    """Raise OutputError if `target` exists and is not a regular file, or cannot be named at all."""
    if reason := not_writable(target):
        raise OutputError(f"不能写入 {as_named(target)}：{reason[0]} (refused: {reason[1]})")


def as_named(path: Path) -> str:
    """A path as the user named it, relative to the working folder when below it (links not followed)."""
    relative = os.path.relpath(os.path.abspath(path))
    return str(path) if relative.startswith("..") else relative


def not_writable(target: Path) -> tuple[str, str] | None:
    """Why press will not replace `target` (Chinese, English), or None: it is a regular file or does not exist."""
    try:
        kind = stat.S_IFMT(os.lstat(target).st_mode)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        return "路径中的上级是文件而不是文件夹", "a folder on its path is a file"
    except OSError as error:
        return "路径无法使用", f"the path cannot be used: {error.strerror}"
    except ValueError:  # a NUL in the name
        return "路径中有空字符", "the path holds a NUL character"
    if kind == stat.S_IFREG:
        return None
    chinese, english = FILE_KINDS.get(kind, ("非普通文件", "no regular file"))
    if kind == stat.S_IFLNK:
        return f"是{chinese}", (f"it is {english}: press would replace the link, not write where it points; "
                                "name the file itself")
    return f"是{chinese}", f"it is {english}: press writes regular files only"


def kept_mode(target: Path) -> int:
    """The permissions of the file at `target`, or those of a new file (0666 less the umask)."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        return 0o666 & ~umask()


def umask() -> int:
    """The process's umask (from /proc where it can be read without changing it)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o22)
    os.umask(mask)
    return mask


def part_prefix(target: Path) -> str:
    """`.<name>.` for a part file beside `target`, its name cut to fit the system's 255 bytes."""
    return "." + os.fsencode(target.name)[:200].decode("utf-8", "ignore") + "."


def unnamed_file(folder: Path) -> int | None:
    """A descriptor of a new file without a name in `folder` (readable by its owner only until it is complete),
    or None where the system cannot."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not Path("/proc/self/fd").is_dir():
        return None
    try:
        return os.open(folder, flag | os.O_WRONLY, 0o600)
    except OSError:  # a file system without O_TMPFILE support
        return None


def name_unnamed(handle: int, path: Path) -> None:
    """Give an O_TMPFILE file its first name (linkat through /proc/self/fd, following the link)."""
    descriptors = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.link(str(handle), path, src_dir_fd=descriptors, follow_symlinks=True)
    finally:
        os.close(descriptors)
