"""Atomic replacement: a build killed while it writes leaves the previous PDF and nothing else."""

import os
import signal
import subprocess
import sys
import time

import pytest

from press.atomic import replacing
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
