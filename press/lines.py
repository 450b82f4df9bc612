"""A page's glyphs grouped into lines, in time near-linear in the glyphs.

Takes pdfplumber's glyph dicts (text, size, top, bottom, x0, x1); returns `Line`s from the top of the
page down, each left to right with its dominant size.  A glyph joins the first line (in the order lines
were begun) whose first glyph stands within LINE_TOLERANCE of its top, or which it stands beside as a
small glyph (a call, MoS₂'s 2); then lines of small glyphs only join the line they overlap most.

The glyphs come in order of their rounded top, so lines begin in order of their first glyph's top, no two
within LINE_TOLERANCE: the line a glyph's top points to is found by bisection, and only the lines whose
bottom still reaches down to the glyphs to come are asked whether a small glyph stands beside them.
A PDF of thousands of one-glyph lines is read in a blink, not in minutes.
"""

import heapq
import math
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from dataclasses import dataclass, field

LINE_TOLERANCE = 2.5  # points between tops of glyphs on one line
CALL_RATIO = 0.75  # a footnote call or marker is smaller than this share of the body size


@dataclass
class Line:
    """One line of glyphs on a page."""

    text: str
    size: float
    top: float
    x0: float
    x1: float
    chars: list = field(repr=False, default_factory=list)


@dataclass
class Gathering:
    """Lines being gathered glyph by glyph: each line's glyphs, the top of its first glyph (rising from line
    to line), its largest size, highest top and lowest bottom; the lines a small glyph may still join (their
    bottom reaches the glyphs to come), in order, with their sizes in a heap, largest first."""

    glyphs: list[list[dict]] = field(default_factory=list)
    firsts: list[float] = field(default_factory=list)
    largest: list[float] = field(default_factory=list)
    tops: list[float] = field(default_factory=list)
    bottoms: list[float] = field(default_factory=list)
    reaching: list[int] = field(default_factory=list)
    is_reaching: list[bool] = field(default_factory=list)
    by_bottom: list[tuple[float, int]] = field(default_factory=list)  # heap: (bottom, line), stale ones too
    by_size: list[tuple[float, int]] = field(default_factory=list)  # heap: (-largest, line), stale ones too


def group_lines(chars: list[dict]) -> list[Line]:
    """Group glyphs into lines by their top, left to right; raised and lowered small glyphs join their line.

    A glyph at no finite place stands on no line.
    """
    gathering = Gathering()
    placed = [char for char in chars if all(math.isfinite(char[key]) for key in ("top", "bottom", "x0", "size"))]
    for char in sorted(placed, key=lambda c: (round(c["top"]), c["x0"])):
        join(gathering, char)
    result = []
    for line in merged_small_lines(gathering.glyphs):
        line.sort(key=lambda c: c["x0"])
        result.append(Line("".join(c["text"] for c in line), line_size(line), min(c["top"] for c in line),
                           line[0]["x0"], max(c["x1"] for c in line), line))
    result.sort(key=lambda line: line.top)
    return result


def join(gathering: Gathering, char: dict) -> None:
    """Put a glyph on the first line it belongs to, or begin a line with it."""
    top = char["top"]
    forget_passed(gathering, round(top) - 1)
    near = bisect_left(gathering.firsts, -LINE_TOLERANCE, key=lambda first: first - top)
    # Lines before `near` begin more than LINE_TOLERANCE above the glyph; from `near` on, every line's
    # first glyph is within it (none begins lower than the glyph's rounded top).
    index = small_beside_line(gathering, char, near)
    if index is None:
        index = near if near < len(gathering.glyphs) else begin_line(gathering, char)
    add_to_line(gathering, index, char)


def begin_line(gathering: Gathering, char: dict) -> int:
    """A new line for a glyph: its index."""
    gathering.glyphs.append([])
    gathering.firsts.append(char["top"])
    gathering.largest.append(char["size"])
    gathering.tops.append(char["top"])
    gathering.bottoms.append(char["bottom"])
    gathering.is_reaching.append(False)
    return len(gathering.glyphs) - 1


def add_to_line(gathering: Gathering, index: int, char: dict) -> None:
    """Add a glyph to line `index`, widening what the line's extent and size say."""
    gathering.glyphs[index].append(char)
    gathering.tops[index] = min(gathering.tops[index], char["top"])
    if char["size"] > gathering.largest[index]:
        gathering.largest[index] = char["size"]
        heapq.heappush(gathering.by_size, (-char["size"], index))
    if char["bottom"] > gathering.bottoms[index] or not gathering.is_reaching[index]:
        gathering.bottoms[index] = max(gathering.bottoms[index], char["bottom"])
        heapq.heappush(gathering.by_bottom, (gathering.bottoms[index], index))
        if not gathering.is_reaching[index]:
            gathering.is_reaching[index] = True
            insort(gathering.reaching, index)
            heapq.heappush(gathering.by_size, (-gathering.largest[index], index))


def forget_passed(gathering: Gathering, lowest: float) -> None:
    """Stop asking lines whose bottom is above `lowest` (no glyph to come stands that high) about small
    glyphs; a line that takes a glyph by its top is asked again."""
    heap = gathering.by_bottom
    while heap and heap[0][0] < lowest:
        bottom, index = heapq.heappop(heap)
        if gathering.is_reaching[index] and gathering.bottoms[index] == bottom:
            gathering.is_reaching[index] = False
            del gathering.reaching[bisect_left(gathering.reaching, index)]


def small_beside_line(gathering: Gathering, char: dict, before: int) -> int | None:
    """The first line before `before` that the glyph stands beside as a small glyph (see `small_beside`)."""
    if not could_be_small(gathering, char["size"]):
        return None
    for index in gathering.reaching:
        if index >= before:
            break
        if (char["size"] < gathering.largest[index] * CALL_RATIO
                and gathering.tops[index] - 2 <= char["top"] <= gathering.bottoms[index]):
            return index
    return None


def could_be_small(gathering: Gathering, size: float) -> bool:
    """Whether some line a small glyph may still join is large enough for a glyph of `size` to be small."""
    heap = gathering.by_size
    while heap and not (gathering.is_reaching[heap[0][1]] and -heap[0][0] == gathering.largest[heap[0][1]]):
        heapq.heappop(heap)
    return bool(heap) and size < -heap[0][0] * CALL_RATIO


def line_size(chars: list[dict]) -> float:
    """A line's size: the most common size of its glyphs, footnote calls, sub- and superscripts left out (in a
    line of 字¹²字¹³… the small digits outnumber the text)."""
    largest = max(c["size"] for c in chars)
    sizes = Counter(round(c["size"], 1) for c in chars if c["size"] >= largest * CALL_RATIO - 0.05)
    return sizes.most_common(1)[0][0]


# Lines of small glyphs ---------------------------------------------------------------------------

@dataclass
class Extent:
    """A line's glyphs, highest top, lowest bottom and largest size, and its place among the lines."""

    glyphs: list[dict]
    top: float
    bottom: float
    size: float
    order: int


def extent(glyphs: list[dict], order: int) -> Extent:
    return Extent(glyphs, min(c["top"] for c in glyphs), max(c["bottom"] for c in glyphs),
                  max(c["size"] for c in glyphs), order)


def merged_small_lines(lines: list[list[dict]]) -> list[list[dict]]:
    """Lines of small glyphs only (a superscript met before its line's text) put into the line they overlap
    most (the first such; the first line when they overlap none that stays)."""
    extents = [extent(line, order) for order, line in enumerate(lines)]
    small = small_lines(extents)
    kept = [item for item in extents if item.order not in small]
    if len(kept) == len(extents):
        return lines
    index = KeptIndex(kept)
    for item in extents:
        if item.order in small:
            target = index.most_overlapped(item) or kept[0]
            target.glyphs.extend(item.glyphs)
            index.widen(target, item)
    return [item.glyphs for item in kept]


def overlap(one: Extent, other: Extent) -> float:
    """How far two lines' glyph boxes overlap vertically, in points (0 if they do not)."""
    return max(0.0, min(one.bottom, other.bottom) - max(one.top, other.top))


def small_lines(extents: list[Extent]) -> set[int]:
    """The places of the lines whose every glyph is small beside a line they overlap: the largest size among
    the lines overlapping each, from a sweep down the page (those begun above and still reaching it) and a
    range maximum (those begun within it)."""
    standing = sorted((item for item in extents if item.bottom > item.top), key=lambda item: item.top)
    tops = [item.top for item in standing]
    within = RangeMax([item.size for item in standing])
    small, open_lines, taken = set(), [], 0
    for item in standing:
        while taken < len(standing) and standing[taken].top <= item.top:
            heapq.heappush(open_lines, (-standing[taken].size, standing[taken].bottom))
            taken += 1
        while open_lines and open_lines[0][1] <= item.top:
            heapq.heappop(open_lines)
        largest = max(-open_lines[0][0] if open_lines else -math.inf,
                      within.query(bisect_right(tops, item.top), bisect_left(tops, item.bottom)))
        if item.size < largest * CALL_RATIO:
            small.add(item.order)
    return small


class RangeMax:
    """The largest of a run of values, in constant time (a sparse table)."""

    def __init__(self, values: list[float]):
        self.levels = [values]
        width = 1
        while 2 * width <= len(values):
            last = self.levels[-1]
            self.levels.append([max(last[i], last[i + width]) for i in range(len(last) - width)])
            width *= 2

    def query(self, start: int, end: int) -> float:
        """The largest of values[start:end]; -inf when empty."""
        if end <= start:
            return -math.inf
        level = (end - start).bit_length() - 1
        row = self.levels[level]
        return max(row[start], row[end - (1 << level)])


class KeptIndex:
    """The lines that stay, by their top, to find the one a line of small glyphs overlaps most."""

    def __init__(self, kept: list[Extent]):
        self.entries = sorted((item.top, item.order, item) for item in kept)
        self.tallest = max(item.bottom - item.top for item in kept)

    def most_overlapped(self, item: Extent) -> Extent | None:
        """The first kept line (in order) that overlaps `item` most, if any overlaps it at all."""
        start = bisect_left(self.entries, (item.top - self.tallest - 1.0,))
        end = bisect_left(self.entries, (item.bottom,))
        best, best_overlap = None, 0.0
        for _, _, other in self.entries[start:end]:
            amount = overlap(item, other)
            if amount > best_overlap or (amount == best_overlap and best is not None and other.order < best.order):
                best, best_overlap = other, amount
        return best

    def widen(self, target: Extent, item: Extent) -> None:
        """The kept line `target` took the glyphs of `item`: its extent grows."""
        del self.entries[bisect_left(self.entries, (target.top, target.order))]
        target.top, target.bottom = min(target.top, item.top), max(target.bottom, item.bottom)
        insort(self.entries, (target.top, target.order, target))
        self.tallest = max(self.tallest, target.bottom - target.top)
