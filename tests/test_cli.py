"""The command line: build, exit codes, messages without tracebacks."""

import os
import stat

import click
import pytest
from click.testing import CliRunner

from press import __version__
from press.cli import INTERRUPTED, main
from tests.conftest import article


def test_version_and_help():
    runner = CliRunner()
    assert runner.invoke(main, ["--version"]).output.strip() == f"press, version {__version__}"
    assert "press build issues/2024-04" in runner.invoke(main, ["--help"]).output


def test_build_writes_the_pdf_and_exits_zero(make_issue, tmp_path):
    folder = make_issue({"a.md": article("标题", "正文。")})
    target = tmp_path / "out" / "x.pdf"
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF-")
    assert "已生成" in result.output


def test_ctrl_c_while_the_arguments_are_parsed_exits_130_not_click_aborted(monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(click.Group, "parse_args", interrupted)
    result = CliRunner().invoke(main, ["build", "issues/2024-04"])
    assert result.exit_code == 130
    assert INTERRUPTED in result.output and "Aborted" not in result.output


def test_default_output_is_dist_slug_year_number(make_issue, tmp_path, monkeypatch):
    folder = make_issue({"a.md": article("标题", "正文。")})
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", "-q", str(folder)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "dist" / "test-letter-2024-05.pdf").is_file()


def test_bad_input_exits_two_with_file_line_messages_and_no_traceback(make_issue, tmp_path):
    folder = make_issue({"a.md": "---\ntitle: 标题\nsection: 杂谈\n---\n\n正文[^9]。\n"})
    target = tmp_path / "x.pdf"
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(target)])
    assert result.exit_code == 2
    assert "a.md:3:1: 未知栏目 杂谈" in result.output
    assert "a.md:6:3: 脚注 [^9] 没有内容" in result.output
    assert "2 problems in the input." in result.output
    assert "Traceback" not in result.output
    assert not target.exists()


def test_built_checked_and_mailed_from_inside_the_issue_folder(make_issue, monkeypatch):
    folder = make_issue({"a.md": article("标题", "正文。")})
    monkeypatch.chdir(folder)
    runner = CliRunner()
    for command in (["build", "-q", "."], ["check", "dist/test-letter-2024-05.pdf", "--issue", "."],
                    ["lint", "."], ["mail", "."], ["mail", "."]):  # the second draft: the first is not a source
        result = runner.invoke(main, command)
        assert result.exit_code == 0, (command, result.output)
    assert sorted(path.name for path in (folder / "dist").iterdir()) == ["test-letter-2024-05.eml",
                                                                         "test-letter-2024-05.pdf"]
    result = runner.invoke(main, ["build", "-q", "../2024-05", "-o", "again.pdf"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("command", [["build"], ["watch"], ["preview"]])
def test_an_empty_output_is_a_usage_error(command, make_issue, monkeypatch):
    import press.watch

    monkeypatch.setattr(press.watch, "watch", lambda *args: pytest.fail("the watch started"))  # it never ends
    folder = make_issue({"a.md": article("标题", "正文。")})
    result = CliRunner().invoke(main, [*command, str(folder), "-o", ""])
    assert result.exit_code == 2, result.output
    assert "an empty name names no file" in result.stderr and "内部错误" not in result.output


def test_an_output_that_is_not_a_regular_file_is_refused_and_left_alone(make_issue, tmp_path):
    folder = make_issue({"a.md": article("标题", "正文。")})
    os.mkfifo(tmp_path / "pipe.pdf")
    (tmp_path / "kept.pdf").write_bytes(b"the user's file")
    (tmp_path / "link.pdf").symlink_to(tmp_path / "kept.pdf")  # as /dev/stdout is a link
    for name, kind in (("pipe.pdf", stat.S_IFIFO), ("link.pdf", stat.S_IFLNK)):
        result = CliRunner().invoke(main, ["build", str(folder), "-o", str(tmp_path / name)])
        assert result.exit_code == 2, result.output
        assert "refused: it is a" in result.stderr and "内部错误" not in result.output
        assert stat.S_IFMT(os.lstat(tmp_path / name).st_mode) == kind
    assert (tmp_path / "kept.pdf").read_bytes() == b"the user's file"


def test_an_output_that_is_a_source_of_the_build_is_refused_before_the_layout(make_issue, tmp_path):
    folder = make_issue({"a.md": article("标题", "正文。")})
    os.link(folder / "issue.yaml", tmp_path / "hard.pdf")
    sources = {path: path.read_bytes() for path in folder.iterdir()}
    for target in (folder / "a.md", folder / ".." / folder.name / "issue.yaml", tmp_path / "hard.pdf",
                   folder / "b.md"):
        result = CliRunner().invoke(main, ["build", str(folder), "-o", str(target)])
        assert result.exit_code == 2, (target, result.output)
        assert "不能写入" in result.stderr and "排版完成" not in result.stderr
    assert {path: path.read_bytes() for path in folder.iterdir()} == sources


@pytest.mark.parametrize("command, where", [
    (["build", "{folder}"], "press.build.build"),
    (["lint", "{folder}"], "press.lint.lint_issue"),
    (["watch", "{folder}"], "press.watch.watch"),
    (["new", "{issues}"], "press.new.new_issue"),
    (["doctor"], "press.doctor.diagnose"),
])
def test_a_bug_in_any_command_is_one_internal_error_line_and_its_traceback_only_with_debug(
        command, where, make_issue, monkeypatch):
    import importlib

    folder = make_issue({"a.md": article("标题", "正文。")})
    module, name = where.rsplit(".", 1)

    def broken(*args, **kwargs):
        raise KeyError("a bug in press")

    monkeypatch.setattr(importlib.import_module(module), name, broken)
    arguments = [part.format(folder=folder, issues=folder.parent) for part in command]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[-2:] == [
        "Error: 内部错误 (internal error): KeyError: 'a bug in press'",
        f"Run again with `press --debug {command[0]} …` for the traceback (and report it)."]
    assert "Traceback" not in result.output
    debugged = CliRunner().invoke(main, ["--debug", *arguments])
    assert isinstance(debugged.exception, KeyError) and debugged.exit_code == 1


def test_expected_errors_keep_their_message_and_exit_code_not_the_internal_one(make_issue, monkeypatch):
    from press.errors import LayoutError

    def cannot(*args, **kwargs):
        raise LayoutError("脚注无法与引用同页 (a footnote cannot stay on its call's page)")

    monkeypatch.setattr("press.build.build", cannot)
    result = CliRunner().invoke(main, ["build", str(make_issue({"a.md": article("标题", "正文。")}))])
    assert result.exit_code == 1
    assert result.stderr == "Error: 脚注无法与引用同页 (a footnote cannot stay on its call's page)\n"


def test_build_says_the_one_built_line(make_issue, tmp_path):
    import re

    folder = make_issue({"a.md": article("标题", "正文。")})
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(tmp_path / "x.pdf")])
    size = round((tmp_path / "x.pdf").stat().st_size / 1024)
    line = rf"^已生成 \S*x\.pdf（3 页，{size} KB，\d+\.\d\d 秒）$"
    assert re.search(line, result.stderr, re.MULTILINE), result.stderr
