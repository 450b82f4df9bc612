"""Table cells wrapped against the layout rule, measured on a built PDF and its source (`table-wrap`).

Takes `Evidence` with the source (`Expected`: each table's cells row by row); returns a `Measure` counting the
cells printed on more than one line where the rule (README, press/tables.py) keeps them on one: a cell that fits
on one line at the table's natural width stays on one line; a column wraps only when the table would otherwise
be wider than its block, and then the widest columns wrap first, cut down to one common width.

Each table is found where the PDF names its block (press's `<article>-L<line>` destination) and read row by row,
line by line: a line's glyphs fall into pieces at the gaps between columns; a piece goes on with the cell begun
left of it, or begins the next cell whose source text starts with it (a row's cells need not all begin on its
first line: a header's are centred vertically), until every cell reads as its source (letters, marks and digits;
spaces, press's joiners, sub- and superscripts and footnote calls left out).  The header that a table repeats atop
each page it runs onto is read and passed over.  A row that does not read so (or runs onto another page) ends
the table's reading, and a table not read whole is not judged: only what is read with certainty counts.

A cell printed on several lines fails when it fits on one line at the widths the rule gives the columns: each
column its widest cell on one line (the cells' glyph extents and the padding the PDF shows), and where that is
wider than the table's block, the widest columns cut down to one common width that fills it, none below its
longest unbreakable run (`tables.water_filled`).  Every estimate leans towards letting the cell wrap: a wrapped
cell's one-line width is its lines' extents and half an em per break; unbreakable runs are parted only where a
break is sure (after a space before a letter, between Han characters no joiner binds); the block's width is
the least the PDF shows and the padding the most; and the cell must have half an em to spare.
"""

import math
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from press.cjk import is_han
from press.expected import Chunk, letters
from press.lines import CALL_RATIO, Line
from press.measure import Failure, Measure, body_lines, body_pages, outer_edge
from press.pdfread import Page, Reading
from press.structure import Evidence

COLUMN_GAP = 0.6  # em of the table's text: glyphs further apart on a line stand in different cells
BREAK_SLACK = 0.5  # em a wrapped cell's one-line width may exceed the sum of its lines' extents, per break
WIDER = 0.5  # em of room a wrapped cell must have to spare at the rule's widths to fail
ALIGNED = 1.5  # points: a piece of a row's later line may start this far left of its cell's first line
MAX_ROW_LINES = 80  # lines one row may take, at most
JOINERS = "\u2060\ufeff\u00a0\u202f"  # no line break across these
BREAKING_SPACES = " \t\n\r\u3000\u2002\u2003\u2009\u200a\u200b"
MM = 72 / 25.4  # points


@dataclass
class Cell:
    """A cell read in the PDF: its glyphs, line by line (each line's left to right), and where it stands."""

    text: str  # as the source writes it (press's joiners kept)
    row: int
    column: int
    lines: list[list[dict]] = field(default_factory=list)
    line_ids: list[int] = field(default_factory=list)  # id() of the PDF line each of `lines` stands on
    label: str = ""  # the page label of its first line

    @property
    def wrapped(self) -> bool:
        return len(self.lines) > 1

    def width(self) -> float:
        """Its width on one line, at least: the sum of its lines' extents."""
        return sum(line[-1]["x1"] - line[0]["x0"] for line in self.lines)

    def width_above(self, em: float) -> float:
        """Its width on one line, at most: half an em more per line break."""
        return self.width() + BREAK_SLACK * em * (len(self.lines) - 1)

    def add(self, part: list[dict], line: Line, label: str) -> None:
        """A piece of a PDF line joins the cell: its last line, if it stands on the same PDF line, or a new one."""
        if self.line_ids and self.line_ids[-1] == id(line):
            self.lines[-1] += part
            return
        self.lines.append(list(part))
        self.line_ids.append(id(line))
        self.label = self.label or label

    @property
    def preview(self) -> str:
        text = " ".join("".join(char for char in self.text if char not in JOINERS).split())
        return text if len(text) <= 16 else text[:16] + "…"


@dataclass
class TableRead:
    """A table's cells as read in the PDF, and what the judgement needs of the table."""

    chunk: Chunk
    cells: list[Cell]
    complete: bool  # every row read
    left: float  # the table's left edge
    size: float  # its text's size (an em)


def table_wrap(evidence: Evidence) -> Measure:
    """Count of table cells printed on several lines where the layout rule keeps them on one (needs the source)."""
    reading = evidence.reading
    pages = {page.index: page for page in body_pages(reading)}
    edges = block_edges(reading)
    failures, counted = [], 0
    for chunk in evidence.expected.chunks:
        if chunk.kind != "table" or not chunk.rows:
            continue
        table = read_table(reading, pages, chunk, evidence.expected.running)
        if table is None:
            continue
        if table.complete:  # a table read in part is not judged, nor counted
            counted += len(table.cells)
            failures += judge(table, right_edges(reading, edges, table.left))
    return Measure("table-wrap", len(failures), counted, failures)


# Reading a table ---------------------------------------------------------------------------------

def key(text: str) -> str:
    """What is compared of a text: its characters folded (NFKC), without spaces and invisible marks."""
    return "".join(char for char in unicodedata.normalize("NFKC", text)
                   if not char.isspace() and unicodedata.category(char) != "Cf")


def flow_lines(pages: dict[int, Page], start: tuple[int, float], running: tuple[str, ...]):
    """(page, line) from the first line at or below `start` (page index, top), through the following body pages'
    text above their footnotes; a page's first line that reads as the running heads is left out."""
    heads = {"".join(running), "".join(reversed(running)), *running}
    index, top = start
    for number in sorted(page for page in pages if page >= index):
        page = pages[number]
        flow = page.flow
        if flow and letters(flow[0].text) in heads:
            flow = flow[1:]
        for line in flow:
            if number > index or line.top >= top - 2:
                yield page, line


def read_table(reading: Reading, pages: dict[int, Page], chunk: Chunk, running) -> TableRead | None:
    """The table's cells as the PDF prints them, read row by row from where its destination stands (the header
    passed over where it repeats atop a page); None if not even its first row reads as the source's."""
    place = reading.destinations.get(chunk.ident)
    if place is None or place[0] not in pages:
        return None
    lines = list(flow_lines(pages, (place[0], place[2]), running))
    cells, position, complete = [], 0, True
    for number, row in enumerate(chunk.rows):
        if number >= chunk.head_rows > 0 and 0 < position < len(lines) and new_page(lines, position):
            for head in range(chunk.head_rows):  # the header, again atop the page
                found = read_row(lines, position, chunk.rows[head], head)
                position = found[1] if found else -1
                if position < 0:
                    break
        found = read_row(lines, position, row, number) if position >= 0 else None
        if found is None:
            complete = False
            break
        cells += found[0]
        position = found[1]
    if not cells:
        return None
    size = max((glyph["size"] for cell in cells for line in cell.lines for glyph in line), default=0.0)
    return TableRead(chunk, cells, complete, place[1], size or reading.body_size)


def new_page(lines: list[tuple[Page, Line]], position: int) -> bool:
    """Whether lines[position] is the first on its page of the lines read."""
    return lines[position][0] is not lines[position - 1][0]


def read_row(lines: list[tuple[Page, Line]], position: int, row: list[str], number: int):
    """The row's cells read from lines[position] on, and the position after its last line; None when the lines
    there do not read as the row (or it runs onto another page)."""
    wanted = [key(text) for text in row]
    cells = [Cell(text, number, column) for column, text in enumerate(row)]
    got = [""] * len(row)
    starts: dict[int, float] = {}  # column → where its cell's first line starts
    for offset in range(MAX_ROW_LINES):
        if got == wanted:
            return cells, position + offset
        at = position + offset
        if at >= len(lines) or (offset and new_page(lines, at)):
            return None
        page, line = lines[at]
        before = None  # the column of the line's piece before
        for part in segments(line):
            text = part_key(part, line, page)
            column = piece_column(part, text, before, starts, wanted, got)
            if column is None:
                return None
            starts.setdefault(column, part[0]["x0"])
            got[column] += text
            cells[column].add(part, line, page.label)
            before = column
    return None


def piece_column(part: list[dict], text: str, before: int | None, starts: dict[int, float], wanted: list[str],
                 got: list[str]) -> int | None:
    """The column a piece of a row's line belongs to: the cell begun left of it, if the piece goes on with its
    text and did not just stand beside it; else a cell not yet begun between that one and the next begun, whose
    text starts with the piece; else the cell left of it all the same, if its text goes on with the piece."""
    middle = (part[0]["x0"] + part[-1]["x1"]) / 2
    left = [column for column, x in sorted(starts.items(), key=lambda item: item[1]) if x - ALIGNED <= middle]
    under = left[-1] if left else None
    goes_on = under is not None and got[under] != wanted[under] and wanted[under].startswith(got[under] + text)
    if goes_on and under != before:
        return under
    following = min((column for column in starts if under is None or column > under), default=len(wanted))
    for column in range((under if under is not None else -1) + 1, following):
        if column not in starts and text and wanted[column].startswith(text):
            return column
    return under if goes_on else None


def segments(line: Line) -> list[list[dict]]:
    """A line's glyphs in pieces parted by gaps wider than COLUMN_GAP em: the cells' pieces, left to right."""
    parts: list[list[dict]] = []
    for glyph in line.chars:
        if parts and glyph["x0"] - parts[-1][-1]["x1"] <= COLUMN_GAP * line.size:
            parts[-1].append(glyph)
        else:
            parts.append([glyph])
    return parts


def is_small(glyph: dict, line: Line) -> bool:
    """A footnote call, a sub- or superscript: smaller than the line's text."""
    return glyph["size"] < line.size * CALL_RATIO


def part_key(part: list[dict], line: Line, page: Page) -> str:
    """What a piece of a line reads: its glyphs of the line's size (calls, sub- and superscripts left out)."""
    return key("".join(glyph["text"] for glyph in part
                       if id(glyph) not in page.call_glyphs and not is_small(glyph, line)))


# Unbreakable runs ------------------------------------------------------------------------------------

def ideograph(char: str) -> bool:
    """A Han character (kana left out: a small kana may not start a line)."""
    return is_han(char) and not 0x3040 <= ord(char) <= 0x30FF


def break_flags(text: str) -> list[bool]:
    """For each character of the text's `key`, whether a line may surely break before it: after a space before a
    letter, digit or Han character, or between two Han characters, where no joiner binds them."""
    flags, between, previous = [], "", None
    for char in text:
        folded = key(char)
        if not folded:
            between += char
            continue
        for number, letter in enumerate(folded):
            free = number == 0 and previous is not None and not any(mark in JOINERS for mark in between)
            spaced = any(mark in BREAKING_SPACES for mark in between)
            flags.append(free and ((spaced and (letter.isalnum() or ideograph(letter)))
                                   or (not between and ideograph(previous) and ideograph(letter))))
            previous = letter
        between = ""
    return flags


def longest_run(cell: Cell) -> float:
    """The widest piece of the cell that no line break may part, at most: its lines parted where
    `break_flags` says a break is sure; the whole cell's width when its glyphs do not follow its text."""
    flags, text = break_flags(cell.text), key(cell.text)
    place, widest = 0, 0.0
    for glyphs in cell.lines:
        size = max(glyph["size"] for glyph in glyphs)
        run_start = glyphs[0]["x0"]
        for glyph in glyphs:
            if glyph["size"] < size * CALL_RATIO:
                continue
            folded = key(glyph["text"])
            if not folded:
                continue
            if text[place:place + len(folded)] != folded:
                return max(cell.width(), widest)
            if flags[place] and glyph is not glyphs[0]:
                run_start = glyph["x0"]
            place += len(folded)
            widest = max(widest, glyph["x1"] - run_start)
        widest = max(widest, glyphs[-1]["x1"] - run_start)
    return widest


# Judging ---------------------------------------------------------------------------------------------

def block_edges(reading: Reading) -> tuple[float, float] | None:
    """The body text block's left and right edges: the outermost left edge that the lines continuing paragraphs
    share, and their most common right edge there; None without such lines."""
    lines = body_lines(reading)
    continuing = [item for before, item in pairwise(lines) if not before.final]
    if not continuing:
        return None
    left = outer_edge(Counter(round(item.line.x0, 2) for item in continuing), min)
    rights = Counter(round(item.right_edge, 2) for item in continuing if round(item.line.x0, 2) == left)
    return (left, rights.most_common(1)[0][0]) if rights else None


def right_edges(reading: Reading, edges: tuple[float, float] | None, left: float) -> tuple[float, float]:
    """Where a table starting at `left` may end, at least and at most: the text block's right edge, as far
    inside it as the table starts inside its left edge (a box), or as far from the page's edge."""
    candidates = [reading.page_size[0] - left]
    if edges is not None:
        candidates += [edges[1], edges[1] - max(0.0, left - edges[0])]
    return min(candidates), max(candidates)


def judge(table: TableRead, right: tuple[float, float]) -> list[Failure]:
    """A failure for each wrapped cell that fits on one line at the column widths the rule gives: each column
    its widest cell on one line, the widest cut down to one common width (`common_width`) where the table must
    shrink to its block.  Every estimate is taken on the side that lets the cell wrap: the columns' one-line and
    unbreakable widths at most, the block's width and the padding's at the least and most that the PDF shows."""
    em = table.size
    count = max(cell.column for cell in table.cells) + 1
    columns = [[cell for cell in table.cells if cell.column == number] for number in range(count)]
    padding = padding_above(columns, table.left)
    if padding is None:
        return []
    room = right[0] - table.left - 2 * padding * count  # for the columns' content
    widest = [max((cell.width_above(em) for cell in cells), default=0.0) for cells in columns]
    unbreakable = [max((longest_run(cell) for cell in cells), default=0.0) for cells in columns]
    cap = common_width(unbreakable, widest, room)
    failures = []
    for cell in table.cells:
        need = cell.width_above(em)
        if not cell.wrapped or need + WIDER * em > cap:
            continue
        if math.isinf(cap):
            reason = (f"the table's natural width ({(sum(widest) + 2 * padding * count) / MM:.0f} mm) fits its "
                      f"block ({(right[0] - table.left) / MM:.0f} mm)")
        else:
            reason = (f"it needs {need / MM:.0f} mm on one line, and the rule cuts no column narrower than "
                      f"{cap / MM:.0f} mm (the widest columns wrap first)")
        failures.append(Failure(cell.label, f"“{cell.preview}” (row {cell.row + 1}, column {cell.column + 1}) "
                                f"printed on {len(cell.lines)} lines: {reason}", table.chunk.source))
    return failures


def padding_above(columns: list[list[Cell]], left: float) -> float | None:
    """The cells' padding, at most: no more than the first column's text stands right of the table's left edge,
    nor half the gap between a column's text and the next column's (letters, digits and Han characters only: a
    mark's box may reach outside its cell); None when the cells show none."""
    def ink(cells: list[Cell]) -> list[dict]:
        return [glyph for cell in cells for line in cell.lines for glyph in line
                if glyph["text"].isalnum() or (len(glyph["text"]) == 1 and is_han(glyph["text"]))]

    bounds = []
    first = ink(columns[0])
    if first:
        bounds.append(min(glyph["x0"] for glyph in first) - left)
    for before, after in pairwise(columns):
        ends, starts = ink(before), ink(after)
        if ends and starts:
            bounds.append((min(glyph["x0"] for glyph in starts) - max(glyph["x1"] for glyph in ends)) / 2)
    return min(bounds) if bounds and min(bounds) >= 0 else None


def common_width(minimums: list[float], maximums: list[float], room: float) -> float:
    """The common width to which press/tables.py cuts the widest columns so that they fill `room`: infinite when
    every column fits on one line, 0 when not even their unbreakable widths fit (`tables.water_filled`)."""
    if sum(maximums) <= room:
        return math.inf

    def filled(cap: float) -> float:
        return sum(min(high, max(low, cap)) for low, high in zip(minimums, maximums, strict=True))

    low, high = 0.0, max(maximums)
    if filled(low) >= room:
        return 0.0
    for _ in range(60):  # filled() grows with the cap: bisect
        middle = (low + high) / 2
        low, high = (middle, high) if filled(middle) < room else (low, middle)
    return low
