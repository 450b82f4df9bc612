"""Laid-out pages → the finished PDF file, written atomically.

Takes a verified `Layout` and its `Issue`; writes the PDF to a temporary file
beside the target and renames it into place only when complete, so a failed
or interrupted build never leaves half a file or touches the previous PDF.
While WeasyPrint writes, the finisher adds what it does not: page labels
equal to the printed folios (封面 and 目录 before page 1, in the newsletter's language) and the language,
and it repacks the CJK fonts so that every viewer finds their glyphs.  A
draft's pages get their marks there, after layout (press.draft).
"""

import re
from contextlib import nullcontext
from pathlib import Path

import pydyf

from press import subset_cache
from press.atomic import replacing
from press.cffpack import pack_cff_fonts
from press.draft import Draft, Marks, mark_pages, marks
from press.drawing import PageDrawings, replaying
from press.layout import Layout, RefusedResource, refused
from press.locale import chrome
from press.model import SETTINGS_DIGEST, Issue


def write_pdf(layout: Layout, issue: Issue, target: Path, drawings: PageDrawings | None = None,
              draft: Draft | None = None) -> Path:
    """Write the PDF to `target` atomically; return the target's path.

    With `drawings` (press watch), pages drawn by an earlier write are replayed, not drawn again; with `draft`,
    every page is marked as a draft (press.draft).
    """
    target = Path(target)
    subset_cache.install()
    found = marks(draft, issue.settings.fonts_dir) if draft is not None else None
    try:
        with replacing(target) as stream, replaying(drawings) if drawings is not None else nullcontext():
            layout.document.write_pdf(stream, finisher=lambda doc, pdf: finish(layout, pdf, issue.settings.language,
                                                                                issue.settings.digest, found))
            if layout.fetcher is not None and layout.fetcher.refused:  # skipped by WeasyPrint, still refused
                raise refused(issue, layout.fetcher)
    except RefusedResource:  # an attachment outside the sandbox, asked for while writing
        raise refused(issue, layout.fetcher) from None
    return target


def finish(layout: Layout, pdf: pydyf.PDF, language: str, digest: str = "", draft: Marks | None = None) -> None:
    """Add page labels and the document language (the newsletter's `language`) to the PDF's catalog, and the
    hash of the settings it was built from to its info (`SETTINGS_DIGEST`: press mail compares it); mark a
    `draft`'s pages; pack the CFF fonts (press.cffpack)."""
    pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array(page_labels(layout, language))})
    pdf.catalog["Lang"] = pydyf.String(language)
    if digest:
        pdf.info[SETTINGS_DIGEST] = pydyf.String(digest)
    keep_trailing_adjustments(pdf)
    if draft is not None:
        mark_pages(pdf, draft)
    pack_cff_fonts(pdf)


def keep_trailing_adjustments(pdf: pydyf.PDF) -> None:
    """Give the number that ends a TJ array (WeasyPrint puts there what the run's last glyph gives back: half
    an em for a mark set half-width) a TJ of its own, `[<>n] TJ`: PDFium and poppler drop a number after a
    TJ's last string, so when the next glyph comes from another face (a Traditional issue's marks, press.locale,
    beside a break mark of the Song face) it stood that far off; pdfminer, and so press check, read it either
    way."""
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream) and not obj.extra.get("Subtype"):
            obj.stream = [split_adjustment(item) if isinstance(item, bytes) and item.endswith(b"] TJ") else item
                          for item in obj.stream]


def split_adjustment(operation: bytes) -> bytes:
    """`[<…>493] TJ` → `[<…>] TJ [<>493] TJ`; any other operation as it is."""
    match = TRAILING_ADJUSTMENT.match(operation)
    if not match or float(match.group("number")) == 0:
        return operation
    return match.group("shown") + b"] TJ\n[<>" + match.group("number") + b"] TJ"


TRAILING_ADJUSTMENT = re.compile(rb"^(?P<shown>\[.*>)(?P<number>-?[0-9.]+)\] TJ$", re.S)


def front_labels(language: str) -> dict[str, str]:
    """The page label of each named front page in the newsletter's language: 封面 and 目录 (目錄; Cover and
    Contents)."""
    words = chrome(language)
    return {"cover": words.cover, "contents": words.contents}


def page_labels(layout: Layout, language: str = "zh-Hans") -> list:
    """The /Nums array: a prefix label per front page (see front_labels), then decimal folios from 1."""
    numbers: list = []
    counts: dict[str, int] = {}
    for index, name in enumerate(layout.page_names[: layout.first_body_page]):
        label = front_labels(language).get(name, "")
        counts[label] = counts.get(label, 0) + 1
        if counts[label] > 1:
            label = f"{label}{counts[label]}"
        numbers += [index, pydyf.Dictionary({"P": pydyf.String(label)})]
    if layout.first_body_page < len(layout.page_names):
        numbers += [layout.first_body_page,
                    pydyf.Dictionary({"S": "/D", "St": 1})]
    return numbers
