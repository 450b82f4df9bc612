"""Typography measures: their work grows no faster than the lines of a page (a page of thousands of lines
is read in a blink)."""

from press.measure import all_measures
from tests.conftest import calls_made
from tests.hostile_pdfs import one_glyph_line_readings


def test_doubling_the_lines_of_a_page_no_more_than_doubles_the_work(tmp_path):
    readings = one_glyph_line_readings(tmp_path)
    assert len(readings[1].pages[0].lines) == 600
    small, large = (calls_made(lambda reading=reading: all_measures(reading)) for reading in readings)
    assert large < 2.3 * small, (small, large)  # each line looked for in its page's flow: 4 times the work
