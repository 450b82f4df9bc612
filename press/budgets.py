"""Budgets on what a PDF may cost to read or draw: a hostile file is refused before it is read.

Takes a PDF's path, the command about to read it and the images that command will render (their sizes
in pixels, from the pages' sizes in points); raises an InputError (exit 2) that names the budget the
file exceeds and its limit, or returns nothing.  Counted with pypdf alone, before pdfplumber or PDFium
sees the file: the pages; the bytes all streams decode to (inflated in slices, never more than the
budget); the drawing operations and bytes of text of every page, forms drawn by forms counted each time
they are drawn (form by form, so ten forms drawing each other ten times are counted in a blink); the
pixels of each image in the file and of each rendered one, and of all rendered ones together.  Every
budget is far above what a newsletter needs (an issue sixteen times the sample, 173 pages, uses a
fifth of any at most, previewed at 150 dpi).
"""

import logging
import math
import re
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from press.errors import InputError, Problem
from press.pdffonts import DRAWN_FORM

FLATE = {"/FlateDecode", "/Fl"}
SHRINKING = {"/ASCIIHexDecode", "/AHx", "/ASCII85Decode", "/A85"}  # decode to fewer bytes than they hold
EXPANDING = {"/LZWDecode", "/LZW", "/RunLengthDecode", "/RL"}  # pypdf decodes them within its own limits
SLICE = 1 << 20  # bytes inflated at a time
MAX_NESTING = 32  # forms drawn within forms, at most (PDFium draws none deeper)
STRING = re.compile(rb"\((?:[^()\\]|\\.)*\)|<[0-9A-Fa-f\s]*>")
OPERATOR = re.compile(rb"(?<![^\s\[\]()<>{}%])[A-Za-z'\"][A-Za-z0-9*'\"]*")  # not after a name's /
INLINE_IMAGE = re.compile(rb"\bBI\b(.{0,4000}?)\bID\b", re.S)  # an inline image's dictionary
INLINE_SIDES = (re.compile(rb"/W(?:idth)?\s+(\d+)"), re.compile(rb"/H(?:eight)?\s+(\d+)"))


@dataclass(frozen=True)
class Budget:
    """The most a PDF may cost press; the defaults stand far above any newsletter's needs."""

    pages: int = 1_000
    operations: int = 2_000_000  # content operators run, forms' as often as they are drawn (16× sample: 64 000)
    text_bytes: int = 4_000_000  # bytes of text strings shown, likewise (16× sample: 470 000)
    decoded_bytes: int = 256 * 2**20  # all streams decoded (16× sample: 6 MB)
    image_pixels: int = 128_000_000  # one image in the file, or one rendered (A4 at 600 dpi: 35 million)
    pixels: int = 2_000_000_000  # all images rendered (16× sample at 150 dpi: 380 million)


BUDGET = Budget()


class OverBudget(Exception):
    """What a PDF would cost beyond a budget, in words."""


@dataclass
class Cost:
    """Drawing operations and bytes of text, counted so far."""

    operations: int = 0
    text_bytes: int = 0

    def add(self, other: "Cost", times: int = 1) -> None:
        self.operations += other.operations * times
        self.text_bytes += other.text_bytes * times


def guard(pdf: Path, command: str, rendered: Callable[[list[tuple[float, float]]], list[int]],
          budget: Budget = BUDGET) -> None:
    """Refuse the PDF (InputError) when reading it, or rendering the images whose pixels `rendered` gives for
    the pages' sizes (points), would exceed a budget of `command`.  An unreadable file raises pypdf's error."""
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about a damaged file: press says it once
    reader = PdfReader(str(pdf))
    try:
        within_budget(reader, rendered, budget)
    except OverBudget as error:
        raise InputError([Problem(pdf, 0, 0, f"PDF 超出预算 (too costly to read): {error} (budget of {command}); "
                                  "not a newsletter press made")]) from None


def within_budget(reader, rendered: Callable[[list[tuple[float, float]]], list[int]], budget: Budget) -> None:
    """Raise OverBudget at the first budget the PDF read by pypdf exceeds, cheapest counts first."""
    if len(reader.pages) > budget.pages:
        raise OverBudget(f"more than {number(budget.pages)} pages")
    sizes = [page_size(page) for page in reader.pages]
    pixels = rendered(sizes)
    if any(not count <= budget.image_pixels for count in pixels):
        raise OverBudget(f"a rendered image of more than {number(budget.image_pixels)} pixels")
    if not sum(pixels) <= budget.pixels:
        raise OverBudget(f"more than {number(budget.pixels)} pixels rendered in all")
    decoded_streams(reader, budget)
    drawing_cost(reader, budget)


def number(value: int) -> str:
    """A count with thin groups of three digits (2 000 000)."""
    return f"{value:,}".replace(",", " ")


def page_size(page) -> tuple[float, float]:
    """A page's width and height in points, as drawn (its crop box, turned as the page is)."""
    box = page.cropbox
    width, height = abs(float(box.width)), abs(float(box.height))
    return (height, width) if page.rotation % 180 == 90 else (width, height)


def pixels_at(size: tuple[float, float], dpi: float) -> int | float:
    """How many pixels a page of `size` points has rendered at `dpi` (infinite for a page of no finite size)."""
    width, height = (points * dpi / 72 for points in size)
    if not (math.isfinite(width) and math.isfinite(height)):
        return math.inf
    return math.ceil(width) * math.ceil(height)


def each_page_at(dpi: float) -> Callable[[list[tuple[float, float]]], list[int]]:
    """The images a command renders: every page at `dpi`."""
    return lambda sizes: [pixels_at(size, dpi) for size in sizes]


# Streams ---------------------------------------------------------------------------------------

def decoded_streams(reader, budget: Budget) -> None:
    """Raise OverBudget when all streams decode to more than the budget, or an image has too many pixels."""
    from pypdf.generic import IndirectObject, StreamObject

    left = budget.decoded_bytes
    for number_, generation in stored_objects(reader):
        try:
            stream = reader.get_object(IndirectObject(number_, generation, reader))
        except Exception:  # a damaged object: the readers say what they make of it
            continue
        if not isinstance(stream, StreamObject):
            continue
        if stream.get("/Subtype") == "/Image" and not image_pixels(stream) <= budget.image_pixels:
            raise OverBudget(f"an image of more than {number(budget.image_pixels)} pixels")
        left -= decoded_size(stream, left)
        if left < 0:
            raise OverBudget(f"streams that decode to more than {budget.decoded_bytes // 2**20} MB")


def stored_objects(reader) -> list[tuple[int, int]]:
    """(number, generation) of every object in the file's cross-reference tables (streams are never in
    object streams)."""
    return sorted({(number_, generation) for generation, table in reader.xref.items() for number_ in table})


def image_pixels(stream) -> float:
    """An image's width × its height, as its dictionary says."""
    try:
        return float(stream.get("/Width", 0)) * float(stream.get("/Height", 0))
    except (TypeError, ValueError):
        return 0.0


def decoded_size(stream, cap: int) -> int:
    """The bytes a stream decodes to, counted no further than past `cap` (image codecs are not undone:
    their pixels have a budget of their own)."""
    data = getattr(stream, "_data", b"") or b""
    filters = resolved(stream.get("/Filter")) or []
    filters = [str(name) for name in (filters if isinstance(filters, list) else [filters])]
    for position, name in enumerate(filters):
        last = position == len(filters) - 1
        if name in FLATE and last:
            return inflated_size(data, cap)
        if name in FLATE:
            data = inflated(data, cap)
        elif name in SHRINKING | EXPANDING:
            try:
                data = decoder(name).decode(data)
            except Exception:  # past pypdf's own limit, or damaged: past the budget, or the readers' business
                return cap + 1 if name in EXPANDING else len(data)
        else:
            break
        if len(data) > cap:
            break
    return len(data)


def decoder(name: str):
    """pypdf's decoder of a filter that is not Flate."""
    from pypdf import filters

    return {"/AHx": filters.ASCIIHexDecode, "/A85": filters.ASCII85Decode, "/LZW": filters.LZWDecode,
            "/RL": filters.RunLengthDecode}.get(name) or getattr(filters, name[1:])


def inflated_size(data: bytes, cap: int) -> int:
    """The bytes Flate data inflates to, inflated a slice at a time and counted no further than past `cap`."""
    inflater = zlib.decompressobj()
    size, pending = 0, data
    try:
        while not inflater.eof and size <= cap:
            chunk = inflater.decompress(pending, SLICE)
            pending = inflater.unconsumed_tail
            size += len(chunk)
            if not chunk and not pending:
                break
    except zlib.error:  # damaged data: what inflated so far
        pass
    return size


def inflated(data: bytes, cap: int) -> bytes:
    """Flate data inflated, no further than past `cap`."""
    inflater = zlib.decompressobj()
    parts, size, pending = [], 0, data
    try:
        while not inflater.eof and size <= cap:
            chunk = inflater.decompress(pending, SLICE)
            pending = inflater.unconsumed_tail
            parts.append(chunk)
            size += len(chunk)
            if not chunk and not pending:
                break
    except zlib.error:
        pass
    return b"".join(parts)


# Drawing -----------------------------------------------------------------------------------------

def drawing_cost(reader, budget: Budget) -> Cost:
    """The drawing operations and bytes of text of all pages (and the forms they draw, and their
    annotations' appearances); OverBudget as soon as either passes its budget."""
    total, known = Cost(), {}
    for page in reader.pages:
        resources = resolved(page.get("/Resources")) or {}
        contents = page.get_contents()
        total.add(content_cost(contents.get_data() if contents is not None else b"", resources, known, budget, 0))
        for appearance in appearances(page):
            total.add(form_cost(appearance, resources, known, budget, 0))
        over_budget(total, budget)
    return total


def appearances(page) -> list:
    """The appearance streams (forms) of a page's annotations, which PDFium draws with the page."""
    found = []
    for annotation in resolved(page.get("/Annots")) or []:
        normal = resolved((resolved(annotation) or {}).get("/AP") or {}).get("/N")
        normal = resolved(normal)
        if normal is None:
            continue
        found += [resolved(state) for state in normal.values()] if not hasattr(normal, "get_data") else [normal]
    return [form for form in found if hasattr(form, "get_data")]


def content_cost(content: bytes, resources, known: dict, budget: Budget, depth: int) -> Cost:
    """What a content stream costs to draw: its operators and text, and each form it draws as often as it
    draws it (a form's cost is counted once and remembered in `known`)."""
    text_bytes = sum(len(string) - 2 if string[:1] == b"(" else (len(string) - 2) // 2
                     for string in STRING.findall(content))
    bare = STRING.sub(b" ", content)
    cost = Cost(len(OPERATOR.findall(bare)), text_bytes)
    if any(inline_pixels(header) > budget.image_pixels for header in INLINE_IMAGE.findall(content)):
        raise OverBudget(f"an image of more than {number(budget.image_pixels)} pixels")
    if text_bytes and (glyph := glyph_procedure_cost(resources, known, budget, depth)).operations:
        cost.add(glyph, text_bytes)  # every byte of text may run the costliest glyph of a Type3 font
        over_budget(cost, budget)
    forms = resolved(resources.get("/XObject")) or {}
    for name, times in Counter(DRAWN_FORM.findall(bare)).items():
        form = resolved(forms.get("/" + name.decode("latin-1")))
        if form is not None and form.get("/Subtype") == "/Form":
            cost.add(form_cost(form, resources, known, budget, depth + 1), times)
            over_budget(cost, budget)
    return cost


def inline_pixels(header: bytes) -> int:
    """An inline image's width × its height, as its dictionary says (0 where it does not)."""
    sides = [side.search(header) for side in INLINE_SIDES]
    return int(sides[0].group(1)) * int(sides[1].group(1)) if all(sides) else 0


def glyph_procedure_cost(resources, known: dict, budget: Budget, depth: int) -> Cost:
    """What the costliest glyph of the Type3 fonts among `resources` costs to draw (a Type3 glyph is a content
    stream of its own, run each time the glyph is shown); nothing without Type3 fonts."""
    key = ("glyphs", id(resources))
    if key not in known:
        known[key] = (resources, costliest_glyph(resources, known, budget, depth))  # resources kept: its id stays
    return known[key][1]


def costliest_glyph(resources, known: dict, budget: Budget, depth: int) -> Cost:
    """The cost of the costliest glyph procedure of the Type3 fonts among `resources`."""
    costliest = Cost()
    for font in (resolved(resources.get("/Font")) or {}).values():
        font = resolved(font)
        if font is None or font.get("/Subtype") != "/Type3":
            continue
        own = resolved(font.get("/Resources")) or resources
        for procedure in (resolved(font.get("/CharProcs")) or {}).values():
            cost = form_cost(resolved(procedure), own, known, budget, depth + 1)
            if cost.operations + cost.text_bytes > costliest.operations + costliest.text_bytes:
                costliest = cost
    return costliest


def form_cost(form, resources, known: dict, budget: Budget, depth: int) -> Cost:
    """What drawing a form once costs (its own resources, else those of what draws it)."""
    if depth > MAX_NESTING:
        raise OverBudget(f"forms (or Type3 glyphs) drawn within forms more than {MAX_NESTING} deep")
    if not hasattr(form, "get_data"):
        return Cost()
    own = resolved(form.get("/Resources")) or resources
    key = (id(form), id(own))
    if key not in known:
        known[key] = content_cost(form.get_data(), own, known, budget, depth)
    return known[key]


def over_budget(cost: Cost, budget: Budget) -> None:
    """Raise OverBudget when a cost passes the budget of operations or of text."""
    if cost.operations > budget.operations:
        raise OverBudget(f"more than {number(budget.operations)} drawing operations")
    if cost.text_bytes > budget.text_bytes:
        raise OverBudget(f"more than {number(budget.text_bytes)} bytes of text drawn")


def resolved(value):
    """An indirect object's value; any other value as it is."""
    return value.get_object() if hasattr(value, "get_object") else value
