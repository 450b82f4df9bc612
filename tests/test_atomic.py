"""Atomic replacement: a build killed while it writes leaves the previous PDF and nothing else."""

import os
import signal
import stat
import subprocess
import sys
import time

import pytest

from press.atomic import replacing
from press.errors import OutputError
from tests.conftest import ROOT, SAMPLE


def open_in(pid: int, folder) -> bool:
    """Whether process `pid` has a file open in `folder` (a PDF being written, named or not)."""
    try:
        links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
    except OSError:
        return False
    return any(link.startswith(f"{folder}/") for link in links)


@pytest.mark.parametrize("kill", [signal.SIGKILL, signal.SIGTERM])
def test_a_build_killed_while_writing_leaves_the_previous_pdf(tmp_path, kill):
    target = tmp_path / "dist" / "快报.pdf"
    target.parent.mkdir()
    target.write_bytes(b"%PDF last night's good file")
    build = subprocess.Popen([sys.executable, "-m", "press", "build", "-q", str(SAMPLE), "-o", str(target)],
                             cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not open_in(build.pid, target.parent):  # the layout is done; the PDF is being written
        assert build.poll() is None, "the build ended before it was caught writing"
        assert time.monotonic() < deadline
        time.sleep(0.002)
    build.send_signal(kill)
    status = build.wait(timeout=30)
    assert status in (-kill, 128 + kill)
    assert b"Traceback" not in build.stderr.read()
    assert target.read_bytes() == b"%PDF last night's good file"
    assert sorted(path.name for path in target.parent.iterdir()) == ["快报.pdf"]


def test_the_new_content_appears_only_when_complete(tmp_path):
    target = tmp_path / "a.pdf"
    target.write_bytes(b"old")
    with replacing(target) as stream:
        stream.write(b"new")
        assert target.read_bytes() == b"old"
        assert sorted(path.name for path in tmp_path.iterdir()) == ["a.pdf"]  # nothing named yet
    assert target.read_bytes() == b"new"
    assert oct(target.stat().st_mode & 0o777) == "0o644"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.pdf"]


def special_targets(folder):
    """A FIFO, a symbolic link to a file and, where the system lets this process make one, a device (/dev/null's)."""
    fifo = folder / "pipe.pdf"
    os.mkfifo(fifo)
    (folder / "elsewhere.txt").write_bytes(b"the user's file")
    link = folder / "link.pdf"
    link.symlink_to(folder / "elsewhere.txt")
    targets = [fifo, link]
    try:
        os.mknod(folder / "null.pdf", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        targets.append(folder / "null.pdf")
    except (PermissionError, OSError):  # not root, or no CAP_MKNOD
        pass
    return targets


def test_a_target_that_is_not_a_regular_file_is_refused_and_left_as_it_was(tmp_path):
    for target in special_targets(tmp_path):
        kind = stat.S_IFMT(os.lstat(target).st_mode)
        with pytest.raises(OutputError, match="refused"), replacing(target) as stream:
            stream.write(b"%PDF-")
        assert stat.S_IFMT(os.lstat(target).st_mode) == kind, target
    assert (tmp_path / "elsewhere.txt").read_bytes() == b"the user's file"
    assert not [path for path in tmp_path.iterdir() if path.name.endswith(".part")]


def test_a_replaced_file_keeps_its_mode_and_a_new_one_follows_the_umask(tmp_path):
    kept = tmp_path / "private.pdf"
    kept.write_bytes(b"old")
    kept.chmod(0o600)
    with replacing(kept) as stream:
        stream.write(b"new")
    assert kept.read_bytes() == b"new" and stat.S_IMODE(kept.stat().st_mode) == 0o600
    previous = os.umask(0o027)
    try:
        with replacing(tmp_path / "new.pdf") as stream:
            stream.write(b"new")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.pdf").stat().st_mode) == 0o640


def test_a_name_near_the_system_limit_is_written(tmp_path):
    target = tmp_path / ("长" * 83 + ".pdf")  # 253 bytes: its part file's name must be shorter than `.<name>.….part`
    with replacing(target) as stream:
        stream.write(b"new")
    assert target.read_bytes() == b"new"
