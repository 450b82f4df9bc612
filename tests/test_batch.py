"""press build with many issues: worker processes, progress lines, one failure not stopping the rest."""

import subprocess
import sys

from press.batch import build_many
from tests.conftest import article


def issue_listing(number: int, names: list[str]) -> str:
    return f"year: 2024\nnumber: {number}\ndate: 2024-{number:02d}-01\narticles:\n" + "".join(
        f"  - {name}\n" for name in names)


def test_build_many_issues_in_parallel_reports_each_and_keeps_going(make_issue, tmp_path):
    for number in (5, 6, 7):
        make_issue({"01-a.md": article(f"第{number}期文章", "正文。")}, issue_listing(number, ["01-a.md"]),
                   name=f"2024-{number:02d}")
    broken = make_issue({"01-a.md": article("坏", "正文。")}, "year: [2024\n", name="2024-08")
    issues = tmp_path / "issues"
    arguments = sorted(str(path) for path in issues.iterdir())  # what `issues/*` expands to, settings file too
    result = subprocess.run([sys.executable, "-m", "press", "build", "-j", "2", *arguments],
                            cwd=tmp_path, capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 2
    assert result.stdout.split() == [f"dist/test-letter-2024-{number:02d}.pdf" for number in (5, 6, 7)]
    assert all((tmp_path / "dist" / f"test-letter-2024-{number:02d}.pdf").stat().st_size > 1000 for number in (5, 6, 7))
    assert "building 4 issues, 2 at a time" in result.stderr
    assert "跳过 issues/newsletter.yaml" in result.stderr
    where = broken.relative_to(tmp_path) / "issue.yaml"
    assert f"✗ issues/2024-08 输入有误 (bad input)\n{where}:1:7: YAML" in result.stderr
    assert [line[:6] for line in result.stderr.splitlines() if line.startswith("[")] == \
        ["[1/4] ", "[2/4] ", "[3/4] ", "[4/4] "]
    assert "Traceback" not in result.stderr


def test_outcomes_come_back_in_the_order_given(make_issue, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the PDFs go to dist/ of the working folder
    folders = [make_issue({"01-a.md": article("甲", "正文。")}, issue_listing(number, ["01-a.md"]),
                          name=f"2024-{number:02d}") for number in (9, 3)]
    reported = []
    outcomes = build_many(folders, jobs=1, report=lambda done, total, outcome: reported.append((done, total)))
    assert [outcome.folder for outcome in outcomes] == folders
    assert [outcome.status for outcome in outcomes] == [0, 0]
    assert [outcome.pdf.name for outcome in outcomes] == ["test-letter-2024-09.pdf", "test-letter-2024-03.pdf"]
    assert reported == [(1, 2), (2, 2)]


def test_two_issues_that_would_write_one_pdf_are_refused_before_any_build(make_issue, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from press.cli import main

    for name in ("2024-05", "copy"):
        make_issue({"01-a.md": article("甲", "正文。")}, issue_listing(5, ["01-a.md"]), name=name)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", "issues/2024-05", "issues/copy"])
    assert result.exit_code == 2
    assert "issues/copy/issue.yaml: 与 issues/2024-05 的年份和期号相同" in result.stderr
    assert not (tmp_path / "dist").exists()


def test_a_stopped_batch_starts_and_ends_no_build_after_the_signal(make_issue, tmp_path):
    import signal
    import time

    for number in range(1, 9):
        make_issue({"01-a.md": article(f"第{number}期", "这是一段正文，用来占满版面。\n\n" * 300)},
                   issue_listing(number, ["01-a.md"]),
                   name=f"2024-{number:02d}")
    issues = sorted(str(path) for path in (tmp_path / "issues").iterdir() if path.is_dir())
    batch = subprocess.Popen([sys.executable, "-m", "press", "build", "-j", "2", *issues], cwd=tmp_path,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    for line in batch.stderr:
        if line.startswith("[1/8]"):
            break
    batch.send_signal(signal.SIGTERM)
    stopped = time.monotonic()
    assert batch.wait(timeout=60) == 128 + signal.SIGTERM
    assert time.monotonic() - stopped < 5
    written = {path.name: path.stat().st_mtime for path in (tmp_path / "dist").iterdir()}
    assert len(written) < 8 and all(name.endswith(".pdf") for name in written)  # no part file left behind
    time.sleep(2)
    assert {path.name: path.stat().st_mtime for path in (tmp_path / "dist").iterdir()} == written


def test_a_mistyped_folder_among_several_is_a_usage_error_before_any_build(make_issue, tmp_path):
    make_issue({"01-a.md": article("甲", "正文。")}, issue_listing(5, ["01-a.md"]), name="2024-05")
    result = subprocess.run([sys.executable, "-m", "press", "build", "issues/2024-5", "issues/2024-05"],
                            cwd=tmp_path, capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 2 and "no such folder: issues/2024-5" in result.stderr
    assert not (tmp_path / "dist").exists()


def test_an_issue_whose_pdf_may_not_be_written_fails_as_bad_input(make_issue, tmp_path, monkeypatch):
    import os

    from press.batch import build_one

    folder = make_issue({"01-a.md": article("文章", "正文。")})
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dist").mkdir()
    os.mkfifo(tmp_path / "dist" / "test-letter-2024-05.pdf")
    outcome = build_one(folder, then_check=False)
    assert outcome.status == 2 and "FIFO" in outcome.message
