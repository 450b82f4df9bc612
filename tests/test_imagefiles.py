"""An article's pictures checked as files: missing, outside the issue, too large, a link that loops."""

from tests.conftest import article
from tests.test_load import problems_of


def test_missing_image_and_image_outside_the_folder(make_issue):
    folder = make_issue({"a.md": article("标题", "正文。\n\n![图](none.png)\n\n![图](../../etc.png)")})
    found = problems_of(folder)
    assert "2024-05/a.md:8:1: 找不到图片 none.png (image file missing)" in found
    assert any(line.startswith("2024-05/a.md:10:1: 图片必须在本期目录中") for line in found)


def test_an_image_file_over_the_size_limit_is_refused(make_issue, monkeypatch):
    from press import imagefiles

    monkeypatch.setattr(imagefiles, "MAX_IMAGE_BYTES", 2**20)  # 1 MB instead of 50, to keep the test small
    folder = make_issue({"a.md": article("标题", "正文。\n\n![图 1 大图](big.svg)")})
    padding = " " * (2 * 2**20)
    (folder / "big.svg").write_text(f'<svg xmlns="http://www.w3.org/2000/svg">{padding}</svg>', encoding="utf-8")
    assert problems_of(folder) == ["2024-05/a.md:8:1: 图片文件过大 big.svg：2 MB (image file too large: at most 1 MB)"]


def test_a_link_that_loops_is_an_image_missing(make_issue):
    folder = make_issue({"a.md": article("图", "![图 1 图表](loop.png)\n")})
    (folder / "loop.png").symlink_to(folder / "loop.png")
    assert problems_of(folder) == ["2024-05/a.md:6:1: 找不到图片 loop.png (image file missing)"]
