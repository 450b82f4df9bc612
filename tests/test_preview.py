"""press preview: page images and a contact sheet, rendered by PDFium from the built PDF."""

from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader

from press.cli import main
from press.preview import SHEET_COLUMNS, THUMB_WIDTH, preview
from tests.conftest import ROOT


def test_every_page_becomes_an_image_and_the_sheet_shows_them_all(sample_build, tmp_path):
    made = preview(sample_build.path, tmp_path / "preview", dpi=40, fonts_dir=ROOT / "fonts")
    count = len(PdfReader(sample_build.path).pages)
    assert count > 10 and [path.name for path in made.pages] == [f"page-{n:02d}.png" for n in range(1, count + 1)]
    first = Image.open(made.pages[0])
    assert first.size == (round(595.276 * 40 / 72), round(841.89 * 40 / 72))
    cover = first.convert("L")
    assert cover.getextrema()[0] < 100  # ink on the cover: the title is drawn, not a blank page
    sheet = Image.open(made.sheet)
    rows = -(-count // SHEET_COLUMNS)
    assert sheet.width > SHEET_COLUMNS * THUMB_WIDTH and sheet.height > rows * THUMB_WIDTH * 1.4
    # every thumbnail cell holds a page: its centre is not the sheet's grey background
    cell_height = (sheet.height - 24) / rows
    for index in range(count):
        x = 24 + (index % SHEET_COLUMNS) * (THUMB_WIDTH + 24) + THUMB_WIDTH // 2
        y = 24 + (index // SHEET_COLUMNS) * cell_height + 20
        assert sheet.getpixel((int(x), int(y))) != (0xE8, 0xE8, 0xE8), index


def test_the_same_pdf_gives_the_same_images(sample_build, tmp_path):
    first = preview(sample_build.path, tmp_path / "a", dpi=30, fonts_dir=ROOT / "fonts")
    second = preview(sample_build.path, tmp_path / "b", dpi=30, fonts_dir=ROOT / "fonts")
    assert first.sheet.read_bytes() == second.sheet.read_bytes()
    assert [p.read_bytes() for p in first.pages] == [p.read_bytes() for p in second.pages]


def test_the_command_takes_a_pdf_and_refuses_an_unbuilt_issue(sample_build, make_issue, tmp_path, monkeypatch):
    result = CliRunner().invoke(main, ["preview", str(sample_build.path), "--dpi", "30", "-o", str(tmp_path / "p")])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("contact-sheet.png")
    assert len(list((tmp_path / "p").glob("page-*.png"))) == len(PdfReader(sample_build.path).pages)
    folder = make_issue.copy_sample()
    make_issue.use_sample_settings()
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["preview", str(folder)])
    assert result.exit_code == 1
    assert "请先运行 press build" in result.stderr


def test_an_unreadable_pdf_is_an_input_error(tmp_path):
    for name, data in [("empty.pdf", b""), ("text.pdf", b"not a pdf at all"), ("cut.pdf", b"%PDF-1.7\n1 0 obj\n<<")]:
        (tmp_path / name).write_bytes(data)
        result = CliRunner().invoke(main, ["preview", str(tmp_path / name), "-o", str(tmp_path / "out")])
        assert result.exit_code == 2, result.output
        assert "无法读取 PDF (not a readable PDF)" in result.stderr and "内部错误" not in result.output


def test_an_interrupted_preview_leaves_the_previous_set_whole(sample_build, tmp_path, monkeypatch):
    import pytest

    from press import preview as previewing

    folder = tmp_path / "preview"
    preview(sample_build.path, folder, dpi=20, fonts_dir=ROOT / "fonts")
    images = {path.name: path.read_bytes() for path in folder.iterdir()}

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(previewing, "contact_sheet", interrupted)  # every page made, then Ctrl-C
    with pytest.raises(KeyboardInterrupt):
        preview(sample_build.path, folder, dpi=30, fonts_dir=ROOT / "fonts")
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == images
    assert sorted(path.name for path in tmp_path.iterdir()) == ["preview"]  # no staging folder left


def test_a_low_resolution_still_gives_a_sharp_sheet(sample_build, tmp_path):
    low = preview(sample_build.path, tmp_path / "low", dpi=20, fonts_dir=ROOT / "fonts")
    high = preview(sample_build.path, tmp_path / "high", dpi=80, fonts_dir=ROOT / "fonts")
    (low_width, low_height), (high_width, high_height) = Image.open(low.sheet).size, Image.open(high.sheet).size
    assert low_width == high_width and abs(low_height - high_height) <= 5  # thumbnails of one size either way
    assert Image.open(low.pages[0]).width < THUMB_WIDTH  # the sheet's thumbnails were not enlarged from these


def shorter(pdf, pages: int, target):
    """The first `pages` pages of a PDF, as another PDF."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(pdf).pages[:pages]:
        writer.add_page(page)
    with open(target, "wb") as stream:
        writer.write(stream)
    return target


def test_a_new_preview_removes_the_pages_press_wrote_and_only_those(sample_build, tmp_path):
    folder = tmp_path / "review"
    preview(sample_build.path, folder, dpi=20, fonts_dir=ROOT / "fonts")
    (folder / "page-99.png").write_bytes(b"the user's own page")  # a name press might have written, but did not
    (folder / "notes.txt").write_text("审读意见", encoding="utf-8")
    made = preview(shorter(sample_build.path, 3, tmp_path / "short.pdf"), folder, dpi=20, fonts_dir=ROOT / "fonts")
    assert [path.name for path in made.pages] == ["page-01.png", "page-02.png", "page-03.png"]
    assert sorted(path.name for path in folder.iterdir()) == [
        ".press-preview.json", "contact-sheet.png", "notes.txt", "page-01.png", "page-02.png", "page-03.png",
        "page-99.png"]
    assert (folder / "page-99.png").read_bytes() == b"the user's own page"


def test_a_file_press_did_not_write_is_not_overwritten(sample_build, tmp_path):
    pdf = shorter(sample_build.path, 3, tmp_path / "short.pdf")
    folder = tmp_path / "review"
    folder.mkdir()
    (folder / "page-02.png").write_bytes(b"the user's own page")
    result = CliRunner().invoke(main, ["preview", str(pdf), "--dpi", "20", "-o", str(folder)])
    assert result.exit_code == 2, result.output
    assert "page-02.png" in result.stderr and "did not write" in result.stderr
    assert sorted(path.name for path in folder.iterdir()) == ["page-02.png"]
    assert (folder / "page-02.png").read_bytes() == b"the user's own page"
