"""Images for print: a photo wider than the page can show is scaled down before it is embedded."""

import io

from PIL import Image
from pypdf import PdfReader

from press.build import build
from press.images import MAX_WIDTH, UNCHANGED, for_print
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
    assert for_print(small) == UNCHANGED  # the file itself is embedded
    large = photo(tmp_path / "large.jpg", (4000, 3000))
    scaled = for_print(large)
    with Image.open(io.BytesIO(scaled)) as picture:
        assert picture.format == "JPEG" and picture.size == (MAX_WIDTH, 1500)
    assert len(scaled) < large.stat().st_size and for_print(large) == scaled  # the same bytes again


def test_a_large_photo_taken_sideways_is_turned_upright_before_it_is_scaled(tmp_path):
    turned = for_print(photo(tmp_path / "sideways.jpg", (4000, 3000), exif_rotated=True))
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
