"""press preview: page images and a contact sheet, rendered by PDFium from the built PDF."""

from click.testing import CliRunner
from PIL import Image

from press.cli import main
from press.preview import SHEET_COLUMNS, THUMB_WIDTH, preview
from tests.conftest import ROOT


def test_every_page_becomes_an_image_and_the_sheet_shows_them_all(sample_build, tmp_path):
    made = preview(sample_build.path, tmp_path / "preview", dpi=40, fonts_dir=ROOT / "fonts")
    assert [path.name for path in made.pages] == [f"page-{n:02d}.png" for n in range(1, 16)]
    first = Image.open(made.pages[0])
    assert first.size == (round(595.276 * 40 / 72), round(841.89 * 40 / 72))
    cover = first.convert("L")
    assert cover.getextrema()[0] < 100  # ink on the cover: the title is drawn, not a blank page
    sheet = Image.open(made.sheet)
    rows = -(-15 // SHEET_COLUMNS)
    assert sheet.width > SHEET_COLUMNS * THUMB_WIDTH and sheet.height > rows * THUMB_WIDTH * 1.4
    # every thumbnail cell holds a page: its centre is not the sheet's grey background
    cell_height = (sheet.height - 24) / rows
    for index in range(15):
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
    assert len(list((tmp_path / "p").glob("page-*.png"))) == 15
    folder = make_issue.copy_sample()
    make_issue.use_sample_settings()
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["preview", str(folder)])
    assert result.exit_code == 1
    assert "请先运行 press build" in result.stderr
