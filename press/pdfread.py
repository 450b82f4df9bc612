"""Read a built PDF back: its pages' text lines, labels, outline, fonts, footnotes.

Takes a PDF file; returns plain data about it, using only the PDF (so a PDF
built elsewhere can be checked).  Lines are glyphs grouped by baseline with
their dominant size; footnote calls are runs of small digits in the body, a
footnote's text is a small-size line opening with a small digit (its marker).
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
from pypdf import PdfReader
from pypdf.generic import IndirectObject

LINE_TOLERANCE = 2.5  # points between tops of glyphs on one line
CALL_RATIO = 0.75  # a footnote call or marker is smaller than this share of the body size
TOC_ENTRY = re.compile(r"^(?P<title>.*?)[\s.·…]*?(?P<page>\d+)$")


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
class Page:
    """A page's label, its lines, and the footnote calls and texts on it."""

    index: int
    label: str
    lines: list[Line]
    calls: list[int] = field(default_factory=list)
    notes: dict[int, str] = field(default_factory=dict)  # number → text of the note

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass
class Reading:
    """Everything press reads back from one PDF."""

    pages: list[Page]
    body_size: float
    outline: list[tuple[int, str, int]]  # (level, title, page index)
    fonts: list[tuple[str, bool]]  # (base font name, embedded)
    metadata: dict[str, str]
    language: str | None
    page_size: tuple[float, float]


def read_pdf(path: Path) -> Reading:
    """Read the PDF at `path`."""
    reader = PdfReader(str(path))
    labels = list(reader.page_labels)
    with pdfplumber.open(str(path)) as pdf:
        raw = [(page, group_lines(page.chars)) for page in pdf.pages]
        size = (float(pdf.pages[0].width), float(pdf.pages[0].height))
    body_size = dominant_size(line for _, lines in raw for line in lines)
    pages = []
    for index, (_, lines) in enumerate(raw):
        page = Page(index, labels[index] if index < len(labels) else str(index + 1), lines)
        find_footnotes(page, body_size)
        pages.append(page)
    catalog = reader.trailer["/Root"]
    language = str(catalog["/Lang"]) if "/Lang" in catalog else None
    metadata = {str(key): str(value) for key, value in (reader.metadata or {}).items()}
    return Reading(pages, body_size, read_outline(reader), read_fonts(reader), metadata,
                   language, size)


def group_lines(chars: list[dict]) -> list[Line]:
    """Group glyphs into lines by their top, left to right."""
    lines: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
        for line in lines:
            if abs(line[0]["top"] - char["top"]) <= LINE_TOLERANCE or (
                    char["size"] < line[0]["size"] * CALL_RATIO
                    and line[0]["top"] - 2 <= char["top"] <= line[0]["bottom"]):
                line.append(char)
                break
        else:
            lines.append([char])
    result = []
    for line in lines:
        line.sort(key=lambda c: c["x0"])
        size = Counter(round(c["size"], 1) for c in line).most_common(1)[0][0]
        result.append(Line("".join(c["text"] for c in line), size, min(c["top"] for c in line),
                           line[0]["x0"], max(c["x1"] for c in line), line))
    result.sort(key=lambda line: line.top)
    return result


def dominant_size(lines) -> float:
    """The most common glyph size, counted per glyph: the body text's size."""
    counts: Counter = Counter()
    for line in lines:
        counts.update(round(c["size"], 1) for c in line.chars)
    return counts.most_common(1)[0][0] if counts else 0.0


def small_digit_runs(chars: list[dict], limit: float) -> list[tuple[int, dict]]:
    """Runs of consecutive small digits: (number, first glyph)."""
    runs: list[tuple[str, dict]] = []
    previous = None
    for char in chars:
        small = char["text"].isdigit() and char["size"] < limit
        if small and previous is not None and abs(previous["x1"] - char["x0"]) < 1.0:
            runs[-1] = (runs[-1][0] + char["text"], runs[-1][1])
        elif small:
            runs.append((char["text"], char))
        previous = char if small else None
    return [(int(text), first) for text, first in runs]


def find_footnotes(page: Page, body_size: float) -> None:
    """Fill in the page's footnote calls and footnote texts."""
    limit = body_size * CALL_RATIO
    note_lines = []
    for number, line in enumerate(page.lines):
        first = line.chars[0]
        if first["text"].isdigit() and first["size"] < limit and line.size < body_size * 0.95:
            note_lines.append(number)
    zone_top = page.lines[note_lines[0]].top if note_lines else float("inf")
    current, note_size = None, 0.0
    for number, line in enumerate(page.lines):
        if line.top >= zone_top:
            runs = small_digit_runs(line.chars, limit)
            if number in note_lines and runs:
                current, note_size = runs[0][0], line.size
                page.notes[current] = line.text[len(str(current)):].strip()
            elif current is not None and abs(line.size - note_size) < 0.3:
                page.notes[current] += line.text.strip()
        else:
            page.calls += [value for value, first in small_digit_runs(line.chars, limit)
                           if is_raised(first, line, body_size)]


def is_raised(char: dict, line: Line, body_size: float) -> bool:
    """A superscript (call) sits high on its line; a subscript (LiCoO₂) sits low."""
    full = sorted(c["top"] for c in line.chars if c["size"] >= body_size * CALL_RATIO)
    if not full:
        return True
    return char["top"] < full[len(full) // 2] + 0.2 * body_size


def read_outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """The bookmarks as (level, title, page index), in order."""
    found: list[tuple[int, str, int]] = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, str(item.title), reader.get_destination_page_number(item)))

    walk(reader.outline, 1)
    return found


def read_fonts(reader: PdfReader) -> list[tuple[str, bool]]:
    """Every font used on any page: (base name, whether its program is embedded)."""
    fonts: dict[str, bool] = {}
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object() if isinstance(font, IndirectObject) else font
            name = str(font.get("/BaseFont", "?")).lstrip("/")
            fonts[name] = fonts.get(name, False) or is_embedded(font)
    return sorted(fonts.items())


def is_embedded(font) -> bool:
    """Whether a font dictionary (or its descendant) carries its font program."""
    candidates = [font] + [d.get_object() for d in font.get("/DescendantFonts", [])]
    for candidate in candidates:
        descriptor = candidate.get("/FontDescriptor")
        if descriptor is not None:
            descriptor = descriptor.get_object()
            if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                return True
    return False


def contents_entries(page: Page) -> list[tuple[str, int]]:
    """The (title, printed page number) entries of a contents page."""
    entries = []
    for line in page.lines:
        match = TOC_ENTRY.match(line.text.strip())
        if match and re.search(r"[.·…]{3,}", line.text):
            entries.append((match.group("title").strip(), int(match.group("page"))))
    return entries


def squeeze(text: str) -> str:
    """Text without any whitespace, for comparing across line breaks."""
    return re.sub(r"\s+", "", text)
