"""Budgets: a PDF that would cost too much to read or draw is refused before it is read (exit 2, the budget
named), and a newsletter stays far below every budget."""

from dataclasses import replace
from io import BytesIO

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from press.budgets import BUDGET, Budget, OverBudget, drawing_cost, each_page_at, guard
from press.check import check_pdf
from press.cli import main
from press.errors import InputError
from press.preview import images_made
from tests.conftest import calls_made
from tests.hostile_pdfs import blank_pages, flate_bomb, nested_forms, one_glyph_lines, pdf, stream, type3_bomb


def refusal(path, budget: Budget = BUDGET) -> str:
    with pytest.raises(InputError) as error:
        check_pdf(path, budget=budget)
    return str(error.value)


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_forms_drawing_each_other_are_refused_at_once_by_check_and_preview(tmp_path):
    bomb = write(tmp_path, "forms.pdf", nested_forms(30, 10))  # 10³⁰ glyphs from 9 KB
    assert calls_made(lambda: refusal(bomb)) < 200_000  # each form counted once, the walk stops at the budget
    message = "more than 2 000 000 drawing operations (budget of press check); not a newsletter press made"
    assert message in refusal(bomb)
    for command in (["check", bomb], ["preview", bomb, "-o", tmp_path / "out"]):
        result = CliRunner().invoke(main, list(map(str, command)))
        assert result.exit_code == 2, result.output
        assert "drawing operations (budget of press " in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_form_that_draws_itself_is_refused():
    loop = stream(b"/X0 Do", b"/Type /XObject /Subtype /Form /BBox [0 0 1 1] /Resources << /XObject << /X0 6 0 R >> >>")
    data = pdf([b"/X0 Do"], objects=[loop], resources=b"/XObject << /X0 6 0 R >>")
    with pytest.raises(OverBudget, match="drawn within forms more than 32 deep"):
        drawing_cost(PdfReader(BytesIO(data)), BUDGET)


def test_a_type3_glyph_that_draws_forms_counts_each_time_it_is_shown(tmp_path):
    bomb = write(tmp_path, "type3.pdf", type3_bomb(8, 10))
    assert "more than 2 000 000 drawing operations (budget of press check)" in refusal(bomb)
    assert drawing_cost(PdfReader(BytesIO(type3_bomb(2, 10))), BUDGET).operations > 10


def test_each_budget_is_named_with_its_limit(tmp_path):
    lines = write(tmp_path, "lines.pdf", one_glyph_lines(50, pages=3))
    cases = {"pages": (Budget(pages=2), "more than 2 pages"),
             "operations": (Budget(operations=100), "more than 100 drawing operations"),
             "text": (Budget(text_bytes=49), "more than 49 bytes of text drawn"),
             "pixels": (Budget(image_pixels=1000), "a rendered image of more than 1 000 pixels"),
             "total": (Budget(pixels=100_000), "more than 100 000 pixels rendered in all")}
    for name, (budget, message) in cases.items():
        assert f"{message} (budget of press check)" in refusal(lines, budget), name
    check_pdf(lines)  # within the default budgets: read and checked


def test_streams_are_inflated_only_up_to_the_budget(tmp_path):
    bomb = write(tmp_path, "flate.pdf", flate_bomb(3 * 2**20))
    assert "streams that decode to more than 2 MB (budget of press check)" in refusal(bomb, Budget(decoded_bytes=2**21))
    big = write(tmp_path, "gigabyte.pdf", flate_bomb(2**30))  # 1 GB of spaces in a 1 MB file
    assert "streams that decode to more than 256 MB" in refusal(big)


def test_an_image_of_too_many_pixels_is_refused(tmp_path):
    image = stream(b"\0", b"/Type /XObject /Subtype /Image /Width 100000 /Height 100000 /ColorSpace /DeviceGray "
                   b"/BitsPerComponent 1 /Filter /JBIG2Decode")
    data = pdf([b"q 100 0 0 100 0 0 cm /I0 Do Q"], objects=[image], resources=b"/XObject << /I0 6 0 R >>")
    assert "an image of more than 128 000 000 pixels" in refusal(write(tmp_path, "image.pdf", data))
    inline = pdf([b"q 100 0 0 100 0 0 cm BI /W 100000 /H 100000 /CS /G /BPC 1 /F /Fl ID \x78\x9c EI Q"])
    assert "an image of more than 128 000 000 pixels" in refusal(write(tmp_path, "inline.pdf", inline))


def test_preview_counts_its_pages_thumbnails_and_sheet(tmp_path):
    assert max(images_made(80)([(1.0, 14_400.0)])) > BUDGET.image_pixels  # a sliver's thumbnail is huge
    assert max(images_made(150)([(14_400.0, 14_400.0)])) > BUDGET.image_pixels
    a4 = (595.0, 842.0)
    assert sum(images_made(150)([a4] * 200)) < BUDGET.pixels / 4  # 200 pages at 150 dpi: a quarter of the budget
    many = write(tmp_path, "many.pdf", blank_pages(1001))
    result = CliRunner().invoke(main, ["preview", str(many), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "more than 1 000 pages (budget of press preview)" in result.output


def test_the_sample_stays_far_below_every_budget(sample_build):
    cost = drawing_cost(PdfReader(sample_build.path), BUDGET)
    assert cost.operations < BUDGET.operations / 100 and cost.text_bytes < BUDGET.text_bytes / 100
    guard(sample_build.path, "press check", each_page_at(300), replace(BUDGET, pixels=BUDGET.pixels // 10))
