"""Images for print: a photo wider than the page can show is scaled down, one saved losslessly (PNG, WebP) is
embedded as a JPEG; a diagram stays lossless."""

import io
import shutil

import pytest
from PIL import Image, ImageDraw, ImageFilter
from pypdf import PdfReader

from press import images
from press.build import build
from press.images import MAX_WIDTH, UNCHANGED, for_print, photographic
from tests.conftest import article


def photo(path, size, exif_rotated=False):
    """A smooth picture (a real photo compresses like it), saved as `path` by its suffix."""
    width, height = size
    picture = Image.linear_gradient("L").resize(size).convert("RGB")
    picture.paste((200, 40, 40), (0, 0, width // 3, height // 3))  # a red corner shows which way is up
    exif = Image.Exif()
    if exif_rotated:
        exif[0x0112] = 6  # orientation: turn 90° clockwise to view
    picture.save(path, quality=92, exif=exif) if path.suffix == ".jpg" else picture.save(path)
    return path


def test_a_small_picture_is_embedded_as_it_is_and_a_large_one_scaled_to_the_width(tmp_path):
    small = photo(tmp_path / "small.png", (800, 600))
    assert for_print(small).data == UNCHANGED  # the file itself is embedded
    large = photo(tmp_path / "large.jpg", (4000, 3000))
    scaled = for_print(large).data
    with Image.open(io.BytesIO(scaled)) as picture:
        assert picture.format == "JPEG" and picture.size == (MAX_WIDTH, 1500)
    assert len(scaled) < large.stat().st_size and for_print(large).data == scaled  # the same bytes again


def test_a_large_photo_taken_sideways_is_turned_upright_before_it_is_scaled(tmp_path):
    turned = for_print(photo(tmp_path / "sideways.jpg", (4000, 3000), exif_rotated=True)).data
    with Image.open(io.BytesIO(turned)) as picture:
        assert picture.size == (MAX_WIDTH, round(4000 * MAX_WIDTH / 3000))
        assert picture.getpixel((MAX_WIDTH - 10, 10))[0] > 150  # the red corner is now at the top right


def test_a_phone_photo_is_embedded_at_print_resolution(make_issue, tmp_path):
    folder = make_issue({"a.md": article("照片", "正文。\n\n![图 1 照片](photo.jpg)\n")})
    original = photo(folder / "photo.jpg", (4000, 3000))
    pdf = build(folder, tmp_path / "photo.pdf").path
    [image] = {(x.get_object()["/Width"], x.get_object()["/Height"], len(x.get_object().get_data()))
               for page in PdfReader(pdf).pages for x in (page["/Resources"].get("/XObject") or {}).values()}
    assert image[:2] == (MAX_WIDTH, 1500) and image[2] < original.stat().st_size / 2


# Photographs in a lossless format are embedded as JPEG; diagrams stay lossless --------------------------

def grainy(size, mode="RGB"):
    """A photograph's likeness: gradients under a fine grain, thousands of colours and no flat background."""
    grain = Image.effect_noise(size, 40).filter(ImageFilter.GaussianBlur(0.6))
    gradients = [Image.radial_gradient("L"), Image.linear_gradient("L"), Image.linear_gradient("L").rotate(90)]
    channels = [Image.blend(gradient.resize(size), grain, 0.5) for gradient in gradients]
    return channels[0] if mode == "L" else Image.merge("RGB", channels).convert(mode)


def diagram(size):
    """A chart's likeness: flat fills, lines and anti-aliased labels on white."""
    picture = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(picture)
    for index, colour in enumerate(["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"]):
        draw.rectangle((50 + index * 150, 100 + index * 60, 150 + index * 150, size[1] - 60), fill=colour)
        draw.text((50 + index * 150, size[1] - 50), f"2024 Q{index + 1}", fill="black", font_size=24)
    draw.line((0, 0, *size), fill="#444", width=3)
    return picture


def test_a_photo_has_many_colours_and_no_flat_background_and_a_diagram_few(tmp_path):
    assert photographic(grainy((800, 600))) and photographic(grainy((800, 600), "L"))  # a micrograph is grey
    assert photographic(grainy((800, 600), "RGBA"))  # its alpha opaque everywhere
    assert not photographic(diagram((800, 600)))
    framed = grainy((800, 600))
    framed.paste("white", (0, 0, 800, 200))  # a photo pasted on a page: a third of it flat white
    assert not photographic(framed)
    see_through = grainy((800, 600), "RGBA")
    see_through.putpixel((0, 0), (0, 0, 0, 0))
    assert not photographic(see_through)  # flattened, it would show white where the page may not be


def test_a_photo_saved_as_png_is_embedded_as_a_jpeg_at_print_width(tmp_path):
    grainy((2400, 1800)).save(tmp_path / "photo.png")
    printed = for_print(tmp_path / "photo.png")
    with Image.open(io.BytesIO(printed.data)) as picture:
        assert picture.format == "JPEG" and picture.size == (MAX_WIDTH, 1500) and not picture.getexif()
    assert printed.converted.startswith("2400 × 1800 PNG") and "→ 2000 × 1500 JPEG" in printed.converted
    diagram((800, 600)).save(tmp_path / "chart.png")
    assert for_print(tmp_path / "chart.png").data == UNCHANGED


def embedded(pdf):
    """(width, height, filter) of each image the PDF embeds (the pages share one resource dictionary)."""
    found = {reference.idnum: reference.get_object() for page in PdfReader(pdf).pages
             for reference in (page["/Resources"].get("/XObject") or {}).values()}
    return sorted((image["/Width"], image["/Height"], image["/Filter"]) for image in found.values()
                  if image["/Subtype"] == "/Image")


def test_a_photo_goes_into_the_pdf_as_a_jpeg_and_a_diagram_lossless_the_same_bytes_each_build(make_issue, tmp_path):
    folder = make_issue({"a.md": article("照片", "正文。\n\n![图 1 照片](photo.png)\n\n![图 2 图表](chart.png)\n")})
    grainy((2400, 1800)).save(folder / "photo.png")
    diagram((800, 600)).save(folder / "chart.png")
    said = []
    first = build(folder, tmp_path / "first.pdf", say=said.append).path
    assert embedded(first) == [(800, 600, "/FlateDecode"), (2000, 1500, "/DCTDecode")]
    assert first.stat().st_size < (folder / "photo.png").stat().st_size / 4
    [note] = [line for line in said if "photo.png" in line]  # the build says what it did; the chart is not named
    assert "以 JPEG 嵌入" in note and "2400 × 1800 PNG" in note and "→ 2000 × 1500 JPEG" in note
    images.CACHE.clear()  # made again, not taken from the cache
    assert build(folder, tmp_path / "second.pdf").path.read_bytes() == first.read_bytes()


def test_a_photo_named_lossless_stays_lossless(tmp_path):
    grainy((800, 600)).save(tmp_path / "micrograph.lossless.png")
    assert for_print(tmp_path / "micrograph.lossless.png").data == UNCHANGED
    grainy((2400, 1800)).save(tmp_path / "wide.Lossless.png")
    with Image.open(io.BytesIO(for_print(tmp_path / "wide.Lossless.png").data)) as picture:
        assert picture.format == "PNG" and picture.width == MAX_WIDTH  # scaled, as any picture that wide


def test_what_for_print_made_is_kept_by_the_file_content_not_its_name_or_time(tmp_path, monkeypatch):
    grainy((800, 600)).save(tmp_path / "a.png")
    first = for_print(tmp_path / "a.png")
    monkeypatch.setattr(images, "made", lambda *_: pytest.fail("made again"))
    shutil.copy(tmp_path / "a.png", tmp_path / "b.png")  # another name and time, the same content
    assert for_print(tmp_path / "b.png") is first and first.converted


# A picture's natural size ---------------------------------------------------------------------------------

@pytest.mark.parametrize("attributes, size", [
    ('width="480" height="270"', (480, 270)),
    ('width="480px" height="270px" viewBox="0 0 10 10"', (480, 270)),  # its own size, not the view box's
    ('viewBox="0 0 600 300"', (600, 300)),
    ('width="300" viewBox="0 0 600 300"', (300, 150)),
    ('width="100%" height="100%" viewBox="0,0,600,300"', (600, 300)),  # relative: the view box's
    ('width="80mm" height="1in"', (80 * 96 / 25.4, 96)),
    ("", (300, 150)),  # nothing said: CSS's default size
])
def test_an_svg_s_natural_size_is_its_width_and_height_or_its_view_box(tmp_path, attributes, size):
    path = tmp_path / "a.svg"
    path.write_text(f'<svg xmlns="http://www.w3.org/2000/svg" {attributes}/>', encoding="utf-8")
    assert images.natural_size(path) == pytest.approx(size)


def test_a_raster_s_natural_size_is_its_pixels_at_its_recorded_resolution_upright(tmp_path):
    picture = Image.new("RGB", (1200, 600))
    picture.save(tmp_path / "300.png", dpi=(300, 300))
    picture.save(tmp_path / "none.png")
    picture.save(tmp_path / "slip.png", dpi=(1, 1))  # a resolution no picture has: taken for a slip
    exif = Image.Exif()
    exif[0x0112], exif[0x011A], exif[0x011B], exif[0x0128] = 6, 192.0, 192.0, 2  # turned, 192 dpi
    picture.save(tmp_path / "turned.jpg", exif=exif)
    sizes = {name: images.natural_size(tmp_path / name) for name in ("300.png", "none.png", "slip.png", "turned.jpg")}
    assert sizes == {"300.png": pytest.approx((384, 192), abs=0.01), "none.png": (1200, 600),
                     "slip.png": (1200, 600), "turned.jpg": (300, 600)}
