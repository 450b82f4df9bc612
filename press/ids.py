"""The names press gives to what it lays out, in one place: ids of articles, sections, blocks, footnotes and
figures, the classes of the elements press makes for footnotes and generated text, and the custom
properties that hand a figure's sizes to the style.

The build writes them into the HTML (markup, render, the templates), WeasyPrint keeps every id as a
named destination of the PDF, and the check reads them back (expected, pdfread); layout, sections and
cjk find elements by them.  Every module makes and parses them through this one, so the build and the
check can never drift apart.
"""

import re

ARTICLE_PREFIX = "article-"
NOTE_CLASS = "footnote"  # the floated text of a footnote, at its call
CALL_MARK_CLASS = "fn-call-mark"  # an empty element where a call stands (its page is the call's page)
CALL_SEPARATOR_CLASS = "fn-call-separator"  # the comma between two adjacent calls (²,³)
GENERATED_CLASS = "press-generated"  # text press adds that no source holds (the 编者按： label)
SHORT_BOX_CLASS = "box-short"  # a `::: 框` box of a few lines, which the style keeps on one page
# A figure's sizes, as custom properties on its <figure> for the style to set its width from (style.css):
PICTURE_WIDTH = "--picture-width"  # the picture's natural width (CSS px at 96 dpi, images.natural_size)
PICTURE_RATIO = "--picture-ratio"  # its width over its height
FIGURE_WIDTH = "--figure-width"  # the width the editor chose, `{width=60%}` or `{width=80mm}`

BLOCK = re.compile(r"^(?P<article>.+)-L(?P<line>\d+)$")
CALL = re.compile(r"^fn-call-(\d+)$")
NOTE = re.compile(r"^fn-(\d+)$")
FIGURE_IMAGE = re.compile(r"^(?P<block>.+-L\d+)-image$")
UNSAFE = re.compile(r"[^A-Za-z0-9-]")


def article_id(stem: str) -> str:
    """An article's id from its file's stem: letters, digits and hyphens as they are, anything else
    (a space, Han characters, an underscore) as `_<hex>_`, so the id is unique, stable and safe in
    CSS selectors, URLs and PDF names: `01 介绍` → `article-01_20__4ecb__7ecd_`."""
    return ARTICLE_PREFIX + UNSAFE.sub(lambda match: f"_{ord(match.group()):x}_", stem)


def section_id(index: int) -> str:
    """The id of the issue's `index`-th run of articles of one section (from 1)."""
    return f"section-{index}"


def block_id(article: str, line: int) -> str:
    """The id of an article's top-level block that starts on `line` of its file."""
    return f"{article}-L{line}"


def block_source(ident: str) -> tuple[str, int] | None:
    """(article id, line) of a block id; None for any other id."""
    match = BLOCK.match(ident)
    return (match.group("article"), int(match.group("line"))) if match else None


def is_block(ident: str) -> bool:
    return BLOCK.match(ident) is not None


def call_id(number: int) -> str:
    """The id of the empty mark where footnote `number` is called."""
    return f"fn-call-{number}"


def note_id(number: int) -> str:
    """The id of footnote `number`'s text."""
    return f"fn-{number}"


def call_number(ident: str) -> int | None:
    match = CALL.match(ident)
    return int(match.group(1)) if match else None


def note_number(ident: str) -> int | None:
    match = NOTE.match(ident)
    return int(match.group(1)) if match else None


def figure_image_id(block: str) -> str:
    """The id of a figure's picture: its top left corner is where the picture begins on the page."""
    return f"{block}-image"


def figure_caption_id(block: str) -> str:
    """The id of a figure's caption: its top is where the picture ends."""
    return f"{block}-caption"
