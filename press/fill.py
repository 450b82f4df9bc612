"""How full each body page is, measured on a built PDF: the check `page-fill`.

Takes a `Reading` of a PDF and whether its sections start new pages (`section_break: page`; None when the
source is not given: then it is read from the PDF, see `sections_start_pages`); returns a `Measure` whose
value is the number of body pages less than FULL of their text block, each failure naming its page and how
full it is.  What a page leaves empty is the blank below the ink of its text flow (the lowest line of text,
figure or image above its footnotes; not the running head or the folio), down to where its footnotes begin
or to the bottom of the text block; its fill is the rest, as a share of the text block's height.  A page
whose text stops at 40 % with its footnotes at the foot is a page with a hole; a page whose footnotes take
most of it, leaving a few lines of text and a band above the notes, is full.  The text block is read from
the pages themselves: it begins where the highest page's flow begins and ends where the lowest ink of any
page (its footnotes too) ends.  The issue's last page may be short, and so may a section's last page when
sections start new pages, and a page whose blank is smaller than what the next page opens with and the
style keeps together (its headings and the two lines after them).
"""

from itertools import pairwise
from statistics import median

from press.expected import letters
from press.measure import Failure, Measure, body_pages
from press.pdfread import Page, Reading

FULL = 2 / 3  # of its text block a body page must fill


def page_fill(reading: Reading, sections_start_pages: bool | None = None) -> Measure:
    """Count of body pages, but the last and (when sections start pages) each section's last, filled less
    than FULL."""
    pages = [page for page in body_pages(reading) if page.flow or page.notes]
    if len(pages) < 2:
        return Measure("page-fill", 0, len(pages))
    top, bottom = text_block(pages)
    if sections_start_pages is None:
        sections_start_pages = starts_pages(reading)
    section_pages = {index for level, _, index in reading.outline if level == 1}
    failures, counted = [], 0
    for page, later in pairwise(pages):
        if sections_start_pages and later.index in section_pages:
            continue  # a section's last page
        counted += 1
        share = fill(page, top, bottom)
        if share < FULL and not opening_kept_off(page, later, reading, top, bottom):
            where = "between its text and its footnotes" if page.notes else "below its text"
            empty = millimetres(blank(page, top, bottom))
            failures.append(Failure(page.label, f"{share:.0%} full (bar {FULL:.0%}): {empty} mm blank {where}; "
                                    f"page {later.label} begins with “{opening(later)}”"))
    return Measure("page-fill", len(failures), counted, failures)


def opening_kept_off(page: Page, later: Page, reading: Reading, top: float, bottom: float) -> bool:
    """Whether `later` opens with headings (a section's, an article's: titles its bookmarks name) that the style
    keeps with the two lines after them, and that group, with the space the style leaves above such a heading,
    is taller than the blank `page` leaves: press could not have set it there, and the page is as full as it can
    be."""
    kept = kept_opening(later, reading)
    if kept is None:
        return False
    height, level = kept
    return height + space_above(reading, level) > blank(page, top, bottom)


def kept_opening(page: Page, reading: Reading) -> tuple[float, int] | None:
    """The height from a page's first heading to the end of the second line after the headings it opens with (the titles
    of the bookmarks that point at it, each on one to three lines), and the first heading's bookmark level;
    None when it opens with none."""
    levels = {letters(title): level for level, title, index in reading.outline if index == page.index}
    flow = page.flow
    first = next((index for index in range(min(3, len(flow))) if title_span(flow, index, levels)), None)
    if first is None:  # (a running head that wraps may stand above the first heading)
        return None
    start = first
    while span := title_span(flow, start, levels):
        start += span
    last = min(start + 1, len(flow) - 1)
    end = flow[last + 1].top if last + 1 < len(flow) else max(char["bottom"] for char in flow[last].chars)
    first_title = letters("".join(line.text for line in flow[first:first + title_span(flow, first, levels)]))
    return end - flow[first].top, levels[first_title]  # to where the next line begins: its line box's depth too


def title_span(flow: list, start: int, titles) -> int:
    """How many lines from `start` (one to three) print one of `titles`; 0 if none do."""
    return next((span for span in (1, 2, 3) if start + span <= len(flow)
                 and letters("".join(line.text for line in flow[start:start + span])) in titles), 0)


def space_above(reading: Reading, level: int) -> float:
    """The space the style leaves above a heading of bookmark `level` where one follows text on its page: the
    median of such spaces in the PDF (0 where none does)."""
    spaces = []
    pages = {page.index: page for page in reading.pages}
    for heading_level, title, index in reading.outline:
        page = pages.get(index)
        if heading_level != level or page is None:
            continue
        for before, line in pairwise(page.flow):
            if title_span(page.flow, page.flow.index(line), {letters(title)}):
                spaces.append(line.top - max(char["bottom"] for char in before.chars))
                break
    return median(spaces) if spaces else 0.0


def flow_ink(page: Page) -> list[tuple[float, float]]:
    """(top, bottom) of the ink of a page's text flow: its lines, figures and images above its footnotes."""
    ink = [(line.top, max(char["bottom"] for char in line.chars)) for line in page.flow]
    ink += [(top, bottom) for top, bottom in [*page.figure_boxes.values(), *page.images] if top < page.notes_top]
    return ink


def text_block(pages: list[Page]) -> tuple[float, float]:
    """The top and bottom of the text block: where the highest flow begins, where the lowest ink ends (a full
    page's last line, or the last footnote at a page's foot)."""
    tops = [min(top for top, _ in ink) for page in pages if (ink := flow_ink(page))]
    bottoms = [max(char["bottom"] for char in line.chars) for page in pages for line in page.lines]
    bottoms += [bottom for page in pages for _, bottom in flow_ink(page)]
    return min(tops, default=0.0), max(bottoms, default=0.0)


def blank(page: Page, top: float, bottom: float) -> float:
    """The height (points) left blank below a page's flow: down to its footnotes, or to the text block's bottom."""
    ink = flow_ink(page)
    end = max((end for _, end in ink), default=top)
    return max(0.0, min(bottom, page.notes_top) - end)


def fill(page: Page, top: float, bottom: float) -> float:
    """The share of the text block a page fills: all of it but the blank below its flow."""
    height = bottom - top
    return 1.0 if height <= 0 else max(0.0, 1 - blank(page, top, bottom) / height)


def millimetres(points: float) -> str:
    return f"{points * 25.4 / 72:.0f}"


def starts_pages(reading: Reading) -> bool:
    """Whether the PDF starts its sections on new pages: every section's heading (a first-level bookmark) is the
    first line of its page."""
    sections = [(title, index) for level, title, index in reading.outline if level == 1]
    body = {page.index: page for page in body_pages(reading)}
    return bool(sections) and all(index in body and body[index].flow
                                  and letters(body[index].flow[0].text).startswith(letters(title))
                                  for title, index in sections)


def opening(page: Page) -> str:
    """A page's first words, or what it begins with when no line of text opens it (a figure)."""
    ink = flow_ink(page)
    if page.flow and ink and min(top for top, _ in ink) < page.flow[0].top - 1:
        return "a figure"
    return page.flow[0].text[:16] + "…" if page.flow else "footnotes"
