"""The files a build reads and their snapshots."""

from press.sources import changed, snapshot


def test_snapshot_sees_edits_additions_and_removals(tmp_path):
    (tmp_path / "a.md").write_text("甲", encoding="utf-8")
    before = snapshot([tmp_path])
    (tmp_path / "a.md").write_text("甲乙", encoding="utf-8")
    (tmp_path / "b.md").write_text("丙", encoding="utf-8")
    assert changed(before, snapshot([tmp_path])) == [tmp_path / "a.md", tmp_path / "b.md"]
    (tmp_path / "b.md").unlink()
    assert changed(before, snapshot([tmp_path])) == [tmp_path / "a.md"]
