"""The files a build reads and their snapshots."""

import os

import pytest

from press.sources import changed, name_problem, output_clash, read_source, snapshot


def test_snapshot_sees_edits_additions_and_removals(tmp_path):
    (tmp_path / "a.md").write_text("甲", encoding="utf-8")
    before = snapshot([tmp_path])
    (tmp_path / "a.md").write_text("甲乙", encoding="utf-8")
    (tmp_path / "b.md").write_text("丙", encoding="utf-8")
    assert changed(before, snapshot([tmp_path])) == [tmp_path / "a.md", tmp_path / "b.md"]
    (tmp_path / "b.md").unlink()
    assert changed(before, snapshot([tmp_path])) == [tmp_path / "a.md"]


def test_what_press_writes_and_hidden_or_backup_files_are_not_sources(tmp_path):
    sources = ["01-a.md", "issue.yaml", "img/fig.png", "templates/issue.html"]
    written = ["dist/x.pdf", "x.pdf", "x.eml", "x.pdf.sent.jsonl", "x.pdf.sent.jsonl.lock",
               "dist/x-preview/page-01.png", ".x.pdf.1a2b.part", ".01-a.md.swp", "01-a.md~", ".git/config"]
    for name in sources + written:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"1")
    assert sorted(snapshot([tmp_path])) == sorted(tmp_path / name for name in sources)


def test_a_watched_folder_that_is_itself_hidden_is_still_watched(tmp_path):
    folder = tmp_path / ".issues" / "2024-04"
    folder.mkdir(parents=True)
    (folder / "01-a.md").write_text("甲", encoding="utf-8")
    assert list(snapshot([folder])) == [folder / "01-a.md"]


def test_an_output_may_not_be_a_source_by_any_name_nor_lie_where_one_is_read(tmp_path):
    issue, settings = tmp_path / "issues" / "2024-05", tmp_path / "issues" / "newsletter.yaml"
    issue.mkdir(parents=True)
    (issue / "01-a.md").write_text("甲", encoding="utf-8")
    settings.write_text("slug: x\n", encoding="utf-8")
    os.link(issue / "01-a.md", tmp_path / "hard.pdf")
    (tmp_path / "link.pdf").symlink_to(issue / "01-a.md")
    roots = [issue, settings]
    for target in (issue / "01-a.md", issue / ".." / "2024-05" / "01-a.md", tmp_path / "hard.pdf",
                   tmp_path / "link.pdf", settings):
        assert "a file the build reads" in output_clash(target, roots)[1], target
    assert "would read it as a source" in output_clash(issue / "new.md", roots)[1]
    for target in (issue / "x.pdf", issue / "dist" / "x.pdf", tmp_path / "x.pdf", tmp_path / "issues" / "x.md"):
        assert output_clash(target, roots) is None, target


def test_a_source_that_is_no_regular_file_is_refused_at_once_and_says_what_it_is(tmp_path):
    os.mkfifo(tmp_path / "style.css")  # opening it to read waits for a writer
    (tmp_path / "fonts").mkdir()
    for path, kind in ((tmp_path / "style.css", "a FIFO"), (tmp_path / "fonts", "a folder"),
                       ("/dev/null", "a device")):
        with pytest.raises(OSError) as caught:
            read_source(path)
        assert caught.value.strerror == f"it is {kind}, not a regular file"
    (tmp_path / "a.md").write_bytes("正文".encode())
    assert read_source(tmp_path / "a.md") == "正文".encode()


def test_a_name_no_file_can_have_is_an_os_error_that_says_why(tmp_path):
    for name, why in (("a\0.png", "NUL"), ("a\ud800.png", "lone surrogate"), ("图" * 86 + ".png", "255 bytes")):
        assert why in name_problem(name)[1]
        with pytest.raises(OSError) as caught:
            read_source(tmp_path / name)
        assert why in caught.value.strerror or caught.value.errno == 36  # ENAMETOOLONG: the system's own words
    assert name_problem("图" * 83 + ".png") is None  # 253 bytes
