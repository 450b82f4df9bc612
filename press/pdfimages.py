"""The raster images a PDF embeds, largest first: what `press check file-size` names when a PDF is over its budget.

Takes a PDF's path; returns an `Embedded` for each image XObject (once, however many pages draw it): the
first page that draws it and where it stands there, its size in pixels, its compression and the bytes it
takes in the file, its transparency mask's included.  Read with pdfplumber, which interprets every page:
about half a second for a 15-page issue, so only an over-budget PDF is read again for it.
"""

from dataclasses import dataclass
from pathlib import Path

COMPRESSION = {"DCTDecode": "JPEG", "FlateDecode": "lossless", "JPXDecode": "JPEG 2000", "CCITTFaxDecode": "fax",
               "JBIG2Decode": "JBIG2", "RunLengthDecode": "run-length", "LZWDecode": "LZW"}


@dataclass(frozen=True)
class Embedded:
    """An image in a PDF: the first page (index) drawing it, its top and bottom there (points from the
    page's top), its pixels, its filter and its bytes in the file."""

    page: int
    top: float
    bottom: float
    width: int
    height: int
    filter: str
    size: int

    @property
    def compression(self) -> str:
        """`JPEG (DCTDecode)`, `lossless (FlateDecode)` …"""
        kind = COMPRESSION.get(self.filter)
        return f"{kind} ({self.filter})" if kind else self.filter or "uncompressed"


def embedded_images(path: Path) -> list[Embedded]:
    """Every image the PDF at `path` embeds, the largest first."""
    import pdfplumber

    found: dict[int, Embedded] = {}
    with pdfplumber.open(str(path)) as pdf:
        for index, page in enumerate(pdf.pages):
            for image in page.images:
                stream = image["stream"]
                key = stream.objid if stream.objid is not None else id(stream)
                if key not in found:
                    width, height = image["srcsize"]
                    found[key] = Embedded(index, float(image["top"]), float(image["bottom"]), int(width),
                                          int(height), filter_name(stream), stream_bytes(stream))
    return sorted(found.values(), key=lambda embedded: (-embedded.size, embedded.page, embedded.top))


def filter_name(stream) -> str:
    """The (last) filter of a stream: DCTDecode, FlateDecode …; "" for none."""
    from pdfminer.pdftypes import resolve1

    filters = resolve1(stream.attrs.get("Filter"))
    filters = filters if isinstance(filters, list) else [filters] if filters else []
    return str(getattr(resolve1(filters[-1]), "name", filters[-1])) if filters else ""


def stream_bytes(stream) -> int:
    """The bytes an image stream takes in the file, with its soft mask's."""
    from pdfminer.pdftypes import resolve1

    size = int(resolve1(stream.attrs.get("Length", 0)) or 0)
    mask = resolve1(stream.attrs.get("SMask"))
    return size + (int(resolve1(mask.attrs.get("Length", 0)) or 0) if hasattr(mask, "attrs") else 0)
