"""Files replaced in one step: written beside the target, synced, then renamed into place.

A failed or interrupted write leaves the previous file as it was and no part file behind.
Where the system allows (Linux, O_TMPFILE), the new content is written to a file without
a name, which the kernel discards if the process is killed (even with SIGKILL); it gets a
name only when complete, for the instant before the rename.  Elsewhere it is written to
`.<name>.<random>.part`, removed on any error or interruption that Python sees.
"""

import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


@contextmanager
def replacing(target: Path, mode: int = 0o644) -> Iterator[BinaryIO]:
    """A binary stream whose content replaces `target` (with permissions `mode`) when the block ends well."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle = unnamed_file(target.parent, mode)
    if handle is None:
        handle, part = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    else:
        part = None
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
            if part is None:
                part = target.parent / f".{target.name}.{secrets.token_hex(4)}.part"
                name_unnamed(stream.fileno(), part)
        os.chmod(part, mode)
        os.replace(part, target)
    except BaseException:
        if part is not None:
            Path(part).unlink(missing_ok=True)
        raise


def unnamed_file(folder: Path, mode: int) -> int | None:
    """A descriptor of a new file without a name in `folder`, or None where the system cannot."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not Path("/proc/self/fd").is_dir():
        return None
    try:
        return os.open(folder, flag | os.O_WRONLY, mode)
    except OSError:  # a file system without O_TMPFILE support
        return None


def name_unnamed(handle: int, path: Path) -> None:
    """Give an O_TMPFILE file its first name (linkat through /proc/self/fd, following the link)."""
    descriptors = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.link(str(handle), path, src_dir_fd=descriptors, follow_symlinks=True)
    finally:
        os.close(descriptors)
