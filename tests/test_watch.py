"""press watch: a real watcher process, edited under its feet."""

import queue
import subprocess
import sys
import threading
from pathlib import Path

from tests.conftest import article


class Watcher:
    """`press watch` in its own process; its report lines are read as they come."""

    def __init__(self, folder: Path, output: Path):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "press", "watch", str(folder), "-o", str(output)],
            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, encoding="utf-8")
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [self.lines.put(line) for line in self.process.stderr], daemon=True).start()

    def next_report(self, timeout: float = 60) -> str:
        """The next line that ends a build: 已生成 … or 构建失败 … with its first problem."""
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"the watcher reported nothing in {timeout} s") from None
            if "已生成" in line:
                return line
            if "构建失败" in line:
                return line + self.lines.get(timeout=timeout)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def test_watch_rebuilds_on_save_and_keeps_the_last_good_pdf(make_issue, tmp_path):
    folder = make_issue({"01-a.md": article("甲文", "第一段正文。"),
                         "02-b.md": article("乙文", "第二篇正文。", section="战略规划")})
    output = tmp_path / "watched.pdf"
    watcher = Watcher(folder, output)
    try:
        assert "已生成" in watcher.next_report()
        first = output.read_bytes()

        (folder / "02-b.md").write_text(article("乙文", "第二篇正文，改过了。", section="战略规划"), encoding="utf-8")
        assert "已生成" in watcher.next_report()
        edited = output.read_bytes()
        assert edited != first

        listing = (folder / "issue.yaml").read_text(encoding="utf-8")
        (folder / "issue.yaml").write_text("year: [2024\n", encoding="utf-8")
        report = watcher.next_report()
        assert "构建失败" in report and "issue.yaml:1:7: YAML" in report
        assert output.read_bytes() == edited

        (folder / "01-a.md").unlink()
        (folder / "issue.yaml").write_text(listing, encoding="utf-8")
        report = watcher.next_report()
        assert "构建失败" in report and "01-a.md" in report
        assert output.read_bytes() == edited
        assert watcher.process.poll() is None  # still watching after two failures
    finally:
        watcher.stop()


def test_a_save_is_reported_as_a_change_an_addition_or_a_deletion(tmp_path):
    from press.watch import what_changed

    before = {tmp_path / "a.md": (1, 10), tmp_path / "b.md": (1, 10)}
    after = {tmp_path / "a.md": (2, 11), tmp_path / "c.md": (1, 5)}
    assert what_changed(before, after).split("，") == [
        f"已修改 {tmp_path / 'a.md'}", f"已删除 {tmp_path / 'b.md'}", f"已新增 {tmp_path / 'c.md'}"]


def test_a_pdf_written_inside_the_watched_issue_folder_does_not_start_another_build(make_issue):
    folder = make_issue({"01-a.md": article("甲文", "第一段正文。")})
    watcher = Watcher(folder, folder / "dist" / "inside.pdf")
    try:
        assert "已生成" in watcher.next_report()
        (folder / "01-a.md").write_text(article("甲文", "第一段正文，改过了。"), encoding="utf-8")
        assert "已生成" in watcher.next_report()
        try:
            line = watcher.next_report(timeout=3)
        except AssertionError:  # nothing more reported: the PDF and its part file are not sources
            line = None
        assert line is None, f"the watcher rebuilt after writing its own PDF: {line}"
    finally:
        watcher.stop()


def test_an_output_press_may_not_write_ends_the_watch(make_issue, tmp_path):
    import os

    import pytest

    from press.errors import OutputError
    from press.watch import watch

    folder = make_issue({"01-a.md": article("甲文", "第一段正文。")})
    os.mkfifo(tmp_path / "pipe.pdf")
    said = []
    with pytest.raises(OutputError, match="FIFO"):  # no save can mend the command line's -o
        watch(folder, tmp_path / "pipe.pdf", said.append, keep_going=lambda: False)
    assert not said
