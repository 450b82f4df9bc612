"""The paper an issue is printed on: newsletter.yaml's `page_size`, and what the style is told of it.

`parse_page_size` reads a size as newsletter.yaml writes it (A4, A5, B5, Letter, A3 or "185mm 260mm") into a
`PageSize`; `page_css` is the stylesheet press puts before the style's: the pages' size and the custom
properties the default style lays its pages out with.  `standard_size` names the size of a PDF's page.
Nothing here does I/O.
"""

import math
import re
from dataclasses import dataclass

POINTS_PER_MM = 72 / 25.4
STANDARD_MM = {"A4": (210, 297), "A5": (148, 210), "B5": (176, 250), "Letter": (215.9, 279.4), "A3": (297, 420)}
OTHER_MM = {"A6": (105, 148), "B6": (125, 176), "A7": (74, 105)}  # named papers press does not lay out: too small
CUSTOM = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*mm\s+(\d+(?:\.\d+)?)\s*mm\s*$", re.I)
SMALLEST_MM = STANDARD_MM["A5"]  # the smallest paper the sample passes every check on (at 128 × 182 mm it does not)
LARGEST_MM = STANDARD_MM["A3"]
BODY_SIZE = 10.5  # points: 五号, the body size the default style sets and --text-ems counts in
A4_WIDTH_MM = 210  # what --page-scale is measured against
A4_EMS = 44  # the default style's text block on A4: 462 pt, margins of 23.5 mm
TEXT_SHARE = A4_EMS * BODY_SIZE / (A4_WIDTH_MM * POINTS_PER_MM)  # of the width A4's block takes (77.6 %): at most
MATCH_TOLERANCE = 1.0  # points by which a page may miss a standard size and still be it


@dataclass(frozen=True)
class PageSize:
    """A paper size, portrait: width and height in millimetres, and its name if it is a standard one."""

    width_mm: float
    height_mm: float
    name: str = ""  # A4, A5 …; "" for a size given in millimetres

    @property
    def width(self) -> float:
        """The width in points."""
        return self.width_mm * POINTS_PER_MM

    @property
    def height(self) -> float:
        """The height in points."""
        return self.height_mm * POINTS_PER_MM

    @property
    def label(self) -> str:
        """The size as messages name it: `A5 (148 × 210 mm)`, or `185 × 260 mm`."""
        millimetres = f"{self.width_mm:g} × {self.height_mm:g} mm"
        return f"{self.name} ({millimetres})" if self.name else millimetres

    def text_ems(self, body: float = BODY_SIZE, share: float = TEXT_SHARE) -> int:
        """The widest whole number of `body`-point ems within `share` of the width: as much of the paper as A4's
        44 ems take of A4, at most (B5 36, A5 31, Letter 45)."""
        return math.floor(self.width * share / body + 1e-9)

    def same_as(self, other: "PageSize") -> bool:
        """Whether the two are the same paper (to a tenth of a millimetre), whatever they are called."""
        return (abs(self.width_mm - other.width_mm) < 0.1) and (abs(self.height_mm - other.height_mm) < 0.1)


A4 = PageSize(*STANDARD_MM["A4"], "A4")


def parse_page_size(text: str) -> PageSize | None:
    """The size written as A4, a5, B5, Letter, A3 or "185mm 260mm" (any case); None if unreadable."""
    written = str(text).strip()
    for name, (width, height) in (STANDARD_MM | OTHER_MM).items():
        if written.lower() == name.lower():
            return PageSize(width, height, name)
    if match := CUSTOM.match(written):
        size = PageSize(float(match.group(1)), float(match.group(2)))
        return standard_size(size.width, size.height) or size
    return None


def range_problem(size: PageSize) -> str | None:
    """Why the paper cannot be used (landscape, smaller than A5, larger than A3); None if it can."""
    if size.width_mm > size.height_mm:
        return (f"页面须为竖向 (page_size must be portrait, its width at most its height, got {size.label}; "
                "the width comes first)")
    smallest, largest = PageSize(*SMALLEST_MM, "A5"), PageSize(*LARGEST_MM, "A3")
    if size.width_mm < smallest.width_mm or size.height_mm < smallest.height_mm:
        return f"页面太小 (page_size {size.label} is smaller than press lays out: at least {smallest.label})"
    if size.width_mm > largest.width_mm or size.height_mm > largest.height_mm:
        return f"页面太大 (page_size {size.label} is larger than press lays out: at most {largest.label})"
    return None


def standard_size(width: float, height: float) -> PageSize | None:
    """The standard size (A4, A5 …) of a page `width` × `height` points, portrait; None if it is none of them."""
    for name, (width_mm, height_mm) in STANDARD_MM.items():
        size = PageSize(width_mm, height_mm, name)
        if abs(size.width - width) <= MATCH_TOLERANCE and abs(size.height - height) <= MATCH_TOLERANCE:
            return size
    return None


def page_css(size: PageSize) -> str:
    """The stylesheet press puts before the style's: every page's size, and on :root the custom properties
    --page-width, --page-height, --page-scale (the width over A4's) and --text-ems (`PageSize.text_ems`).
    A rule of the style's own stylesheet overrides any of them."""
    return (f"@page {{ size: {size.width_mm:g}mm {size.height_mm:g}mm; }}\n"
            f":root {{ --page-width: {size.width_mm:g}mm; --page-height: {size.height_mm:g}mm; "
            f"--page-scale: {size.width_mm / A4_WIDTH_MM:.4f}; --text-ems: {size.text_ems()}; }}\n")
