"""HTML → laid-out pages with WeasyPrint, then an inspection of those pages.

Takes the issue's HTML and its style; returns a `Layout`: WeasyPrint's
rendered document plus what press learned from the page boxes (which page
each article title and section heading stands on, where each footnote call
and footnote text landed, the printed folio of every page).  Nothing is
written here; `pdf` writes only a layout whose structure is right.

Every resource goes through `SandboxFetcher`, which serves files from the
issue folder, the style's folder and the fonts folder and refuses the rest.
"""

import io
import logging
import mimetypes
import os
import re
from contextlib import contextmanager
from copy import copy
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import cssselect2
from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.formatting_structure import boxes
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from press import floats, footnotes, ids, images, justify, longtext, tables
from press.cjk import BOOKMARK_ATTRIBUTE, SQUEEZE_CLASS
from press.errors import InputError, LayoutError, Problem
from press.model import ISSUE_FILE, STYLESHEET, Footnote, Issue
from press.overlap import Glyph, overlap_text, overlapping
from press.pagesize import POINTS_PER_MM, page_css
from press.sources import not_a_source, open_source, read_source, snapshot

BODY_PAGE = "body"
COVER_PAGE = "cover"
COVER_CLASS = "cover"  # the cover's element in the style's template
MAX_CORRECTIONS = 8
FORCED = {"page", "left", "right", "recto", "verso"}
MM = 96 / 25.4  # WeasyPrint lays out in CSS pixels
PT = 72 / 96  # points in a CSS pixel
WIDTH_TOLERANCE = 1.0  # CSS pixels


class RefusedResource(FatalURLFetchingError):
    """A document asked for a resource outside the sandbox."""


class SandboxFetcher(URLFetcher):
    """Serves `file:` URLs inside the allowed folders, `font:` names from fonts/ and `style:` names from the
    style's folder (a logo or a background its template refers to: the template's relative URLs resolve in
    the issue folder, like the articles').

    Everything else (other folders, `..` escapes, links out, http, data …) is
    refused: the URL is recorded in `refused` and the render stops.
    """

    def __init__(self, roots: list[Path], fonts_dir: Path, style_dir: Path | None = None):
        super().__init__(allowed_protocols={"file", "font", "style"}, fail_on_errors=True)
        self.roots = [root.resolve() for root in roots]
        self.fonts_dir = fonts_dir.resolve()
        self.style_dir = style_dir.resolve() if style_dir else None
        self.refused: list[str] = []
        self.served: list[Path] = []
        self.unreadable: dict[str, str] = {}  # URL → why its file could not be read
        self.converted: dict[Path, str] = {}  # photo → how it was turned into a JPEG (images.Printed)

    def fetch(self, url, headers=None):
        try:
            path = self.resolve(url)
        except (OSError, ValueError, RuntimeError) as error:  # a FIFO, a name no file can have, a link loop …
            self.unreadable[url] = f"{type(error).__name__}: {error}"
            path = None
        if path is None:
            self.refused.append(url)
            raise RefusedResource(f"{self.reason(url)}: {url}")
        self.served.append(path)
        content_type, _ = mimetypes.guess_type(path.name)
        if path.suffix in (".otf", ".ttf"):
            content_type = "font/" + path.suffix[1:]
        try:
            printed = images.for_print(path)  # scaled to the page's width, a photo as a JPEG
            if printed.data:  # made for print: not a file: URL, or WeasyPrint would embed the file it names
                if printed.converted:
                    self.converted[path] = printed.converted
                return URLFetcherResponse(f"scaled:{path.as_uri()}", printed.data,
                                          {"Content-Type": images.mime_type(printed.data)})
            return URLFetcherResponse(path.as_uri(), read_source(path),
                                      {"Content-Type": content_type or "application/octet-stream"})
        except Exception as error:  # an unreadable file (its mode, a disk error): the input's problem
            self.refused.append(url)
            self.unreadable[url] = f"{type(error).__name__}: {error}"
            raise RefusedResource(f"无法读取 (cannot be read): {url}") from error

    def reason(self, url: str) -> str:
        """Why a URL was not served: missing inside the sandbox, unreadable, no source of the build, or outside it."""
        if url in self.unreadable:
            return f"文件无法读取 (the file cannot be read: {self.unreadable[url]})"
        named = self.candidate(url)
        if named and not os.path.exists(named[0]) and self.inside(named[0].resolve(), named[1]):
            in_style = self.style_dir and urlsplit(url).scheme == "file" and (self.style_dir / named[0].name).is_file()
            if in_style:  # a style's template naming its own logo by a relative URL
                return (f"找不到文件；样式目录中的文件请写作 style:{named[0].name} "
                        f"(file not found here; a file of the style's folder is named style:{named[0].name})")
            return "找不到文件 (file not found)"
        if named and (why := self.not_a_source(named[0].resolve(), named[1])):
            return f"{why[0]}，不能作为本期的文件，请改名 (the file {why[1]}: no source of a build; rename it)"
        return "拒绝读取允许目录以外的资源 (outside the issue, style and fonts folders: refused)"

    def resolve(self, url: str) -> Path | None:
        """The file a URL names, if it lies inside the sandbox and is a source of the build (not hidden, a
        backup or press's own output, which press watch and press mail do not count); else None.  Raises
        OSError if it names no regular file there (a folder, a FIFO) or one that cannot be read."""
        named = self.candidate(url)
        if named is None:
            return None
        real = named[0].resolve()
        ok = os.path.exists(real) and self.inside(real, named[1]) and not self.not_a_source(real, named[1])
        if ok:
            open_source(real).close()
        return real if ok else None

    @staticmethod
    def not_a_source(path: Path, roots: list[Path]) -> tuple[str, str] | None:
        """Why a file inside the sandbox is no source of a build (see press.sources), or None."""
        root = next((root for root in roots if path.is_relative_to(root)), None)
        return not_a_source(path.relative_to(root)) if root else None

    def candidate(self, url: str) -> tuple[Path, list[Path]] | None:
        """The path a `font:`, `style:` or local `file:` URL names and the folders it must lie in."""
        parts = urlsplit(url)
        if parts.scheme == "font":
            return self.fonts_dir / unquote(parts.path), [self.fonts_dir]
        if parts.scheme == "style" and self.style_dir:
            return self.style_dir / unquote(parts.path), [self.style_dir]
        if parts.scheme == "file" and parts.netloc in ("", "localhost"):
            return Path(unquote(parts.path)), [*self.roots, self.fonts_dir]
        return None

    @staticmethod
    def inside(path: Path, roots: list[Path]) -> bool:
        return any(path.is_relative_to(root) for root in roots)


def font_configuration(fonts_dir: Path) -> FontConfiguration:
    """One FontConfiguration per state of the fonts folder, reused by every build of a process.

    WeasyPrint loads an @font-face once per configuration (keyed by the rule's
    text, the same whatever folder `font:` names), so a font file changed
    under `press watch`, or another fonts folder, needs a configuration of its
    own.  fontconfig reads press's own fonts.conf (set when press is imported,
    see press/__init__.py), never /etc/fonts or ~/.config/fontconfig, where a
    rule (the synthetic oblique of the italic words, say) could change the PDF
    from one machine to the next.  It names no font folders: the fonts come
    from fonts/ by @font-face.
    """
    state = snapshot([fonts_dir]) if fonts_dir.is_dir() else {}
    return configuration_for(fonts_dir.resolve(), tuple(sorted(state.items())))


@lru_cache(maxsize=4)  # a watcher whose fonts change keeps only the last few
def configuration_for(fonts_dir: Path, state: tuple) -> FontConfiguration:
    return FontConfiguration()


@dataclass
class Layout:
    """The laid-out document and where things landed (page indexes from 0)."""

    document: Document
    page_names: list[str]
    anchors: dict[str, int]
    first_body_page: int
    forced_breaks: list[int] = field(default_factory=list)  # pages that a forced page break begins
    fetcher: SandboxFetcher | None = None  # serves what writing the PDF still fetches (attachments)
    pushed: tuple[str, ...] = ()  # blocks moved to a new page to keep footnotes with calls
    floated: tuple[str, ...] = ()  # figures moved to the top of a later page, so as to leave no hole

    def folio(self, page_index: int) -> int | None:
        """The printed page number of a page; None on cover and contents."""
        if page_index < self.first_body_page:
            return None
        return page_index - self.first_body_page + 1

    def page_of(self, anchor: str) -> int | None:
        return self.anchors.get(anchor)


def lay_out_verified(issue: Issue, html: "str | HTML", css: str = "",
                     notes: list[Footnote] | None = None) -> Layout:
    """Lay out, make every footnote's text stand on its call's page, then float the figures that left holes.

    WeasyPrint 70 sometimes moves a footnote's text to the next page although
    its call stays (seen when a page fills up below the call).  After each
    layout, press finds such footnotes; for the first one in each stretch of
    pages between forced page breaks it moves the last block that starts on
    the call's page to the next page (a `break-before` rule, the text itself
    is untouched), then lays out again.  Stretches are independent, so one
    pass corrects all of them at once and the number of layouts does not grow
    with the issue's length.  It gives up with a LayoutError rather than ship
    a footnote on the wrong page.  `css` is added after the style; `notes`
    limits the verification to the footnotes of part of the issue (all by default).  A figure
    that does not fit where it is called and leaves the page before it part empty is moved to
    where the next page begins, and the issue laid out again (press.floats).
    """
    document = parse(issue, html) if isinstance(html, str) else html
    layout = with_footnotes_kept(issue, document, css, notes, first=True)
    if document.etree_element.find(".//figure") is None:
        return layout
    trees = floats.Trees(
        plain=lambda tree, extra, pushed: lay_out(issue, with_tree(document, tree), pushed, css + extra),
        verified=lambda tree: with_footnotes_kept(issue, with_tree(document, tree), css, notes))
    _, layout = floats.float_figures(document.etree_element, layout, trees)
    layout.floated = tuple(trees.floated)
    return layout


def with_footnotes_kept(issue: Issue, document: HTML, css: str, notes: list[Footnote] | None,
                        first: bool = False) -> Layout:
    """The layout with every footnote's text on its call's page, blocks pushed as `lay_out_verified` says; the
    `first` layout of a build also refuses what no correction can mend (a block too wide, a cover too long,
    text on text)."""
    pushed: list[str] = []
    for _ in range(MAX_CORRECTIONS + 1):
        layout = lay_out(issue, document, tuple(pushed), css)
        if not pushed and first:
            refuse_wide_blocks(issue, layout)
            refuse_long_cover(issue, layout)
            refuse_overlapping_text(issue, layout)
        misplaced = footnotes.misplaced(issue, layout, notes)
        if not misplaced:
            return layout
        firsts = footnotes.first_per_stretch(layout, misplaced)
        blocks = [footnotes.block_to_push(issue, layout, note) for note in firsts]
        if None in blocks or any(block in pushed for block in blocks):
            break
        pushed.extend(blocks)
    raise footnotes.unplaceable(issue, layout, misplaced[0])


def refuse_long_cover(issue: Issue, layout: "Layout") -> None:
    """Raise an InputError at the style when it sets the cover taller than the page (a height for another paper:
    what it prints at its foot would be off the page), at issue.yaml when the cover runs onto a second page (too
    many highlights, or too long)."""
    paper, page = issue.settings.page_size, layout.document.pages[0]._page_box
    if (height := cover_height(page)) is not None and height > page.margin_height() * PT + 1:
        raise InputError([Problem(stylesheet_path(issue), 0, 0,
                                  f"封面高 {height / POINTS_PER_MM:.0f} mm，比页面（{paper.label}）高 (the style sets "
                                  f"the cover {height / POINTS_PER_MM:.0f} mm tall, taller than the page, "
                                  f"{paper.label}, newsletter.yaml's page_size: give the cover the page's height, "
                                  "height: var(--page-height))")])
    if layout.page_names.count(COVER_PAGE) <= 1:
        return
    count = len(issue.highlights)
    raise InputError([Problem(issue.folder / ISSUE_FILE, 0, 0,
                              f"封面排不下，延续到了第二页：本期要目有 {count} 条，请减少 highlight: true 的文章 "
                              f"(the cover runs onto a second page: {count} highlighted articles are too many "
                              f"for it on {paper.label}; mark fewer with highlight: true, or shorten their titles)")])


def cover_height(page_box) -> float | None:
    """The height (points, borders and padding in) the style sets the cover's element on the first page; None when
    it sets none (it grows with what it holds)."""
    boxes_down = [page_box]
    while boxes_down:
        box = boxes_down.pop(0)
        if box.element is not None and COVER_CLASS in box.element.get("class", "").split():
            height = box.style["height"]
            if height == "auto" or height.unit != "px":
                return None
            padded = box.style["box_sizing"] == "content-box"
            extra = (box.padding_top + box.padding_bottom + box.border_top_width + box.border_bottom_width
                     if padded else 0)
            return (height.value + extra) * PT
        boxes_down.extend(getattr(box, "children", ()))
    return None


def refuse_overlapping_text(issue: Issue, layout: "Layout") -> None:
    """Raise an error when text stands on other text on a page: on the cover, the highlights run under what
    the cover prints below them (an input error: too many or too long); elsewhere a style that places
    something over the text (a layout error)."""
    for index, page in enumerate(layout.document.pages):
        pairs = overlapping(text_boxes(page._page_box))
        if not pairs:
            continue
        if layout.page_names[index] == COVER_PAGE:
            count = len(issue.highlights)
            raise InputError([Problem(issue.folder / ISSUE_FILE, 0, 0,
                                      f"封面排不下：本期要目的 {count} 条与封面下方的文字重叠，"
                                      "请减少 highlight: true 的文章或缩短标题 "
                                      f"(the cover cannot hold its {count} highlights on "
                                      f"{issue.settings.page_size.label}: they run into the text below "
                                      f"them, {overlap_text(pairs)}; mark fewer with highlight: true, or shorten "
                                      "their titles)")])
        folio = layout.folio(index)
        raise LayoutError(f"第 {folio or index + 1} 页上文字互相重叠 (text stands on other text on "
                          f"{'page ' + str(folio) if folio else 'PDF page ' + str(index + 1)}: {overlap_text(pairs)}; "
                          "does a rule of the style place something over the text?)")


def text_boxes(page_box) -> list[Glyph]:
    """The text boxes of a laid-out page, each as the em box of its run on its baseline (points), for
    `overlap.overlapping`: a subscript's box reaches no lower than its glyphs do."""
    found = []
    for box in page_box.descendants(placeholders=True):  # absolutely positioned boxes too
        if isinstance(box, boxes.TextBox) and box.text.strip():
            size = box.style["font_size"]
            baseline = box.position_y + getattr(box, "baseline", box.height * EM_ASCENT)
            found.append(Glyph(box.text, box.position_x * PT, (baseline - size * EM_ASCENT) * PT,
                               (box.position_x + box.width) * PT, (baseline + size * (1 - EM_ASCENT)) * PT, size * PT))
    return found


EM_ASCENT = 0.88  # of the em box above the baseline, in the CJK faces


def refuse_wide_blocks(issue: Issue, layout: "Layout") -> None:
    """Raise an InputError naming the source line of every block wider than the text block.

    Text breaks where it must (overflow-wrap), so what is still too wide is a
    table with more or longer columns than the page holds.
    """
    problems = [Problem(article.path, line, 1,
                        f"{kind}宽于版心 {excess / MM:.0f} mm (wider than the text block by {excess / MM:.0f} mm: "
                        f"{WIDE_ADVICE.get(kind, WIDE_ADVICE['表格'])})")
                for article, line, kind, excess in wide_blocks(issue, layout)]
    if problems:
        raise InputError(problems)


WIDE_ADVICE = {"表格": "fewer or shorter columns, or split the table",
               "脚注": "a note that cannot break; a style rule may keep it on one line"}


def wide_blocks(issue: Issue, layout: "Layout") -> list[tuple]:
    """(article, source line, kind, excess in CSS pixels) for each top-level block or note wider than the text block.

    A note called inside a block that is itself too wide (a table) takes that
    block's width and is not reported apart.
    """
    found = list(wide_boxes(issue, layout))
    called_inside = {ids.note_id(number) for *_, element in found for child in element.iter()
                     if (number := ids.call_number(child.get("id") or "")) is not None}
    return [(*source, kind, excess) for ident, *source, kind, excess, _ in found if ident not in called_inside]


def wide_boxes(issue: Issue, layout: "Layout"):
    """(id, article, source line, kind, excess, element) for each block or note box wider than the text block."""
    sources = {block: (article, ids.block_source(block)[1])
               for article in issue.pieces for block in article.blocks}
    sources |= {ids.note_id(note.number): (article, note.line)
                for article in issue.pieces for note in article.footnotes}
    seen: set[str] = set()
    for page in layout.document.pages:
        page_box = page._page_box
        right = page_box.content_box_x() + page_box.width
        for box in page_box.descendants():
            ident = box.element.get("id") if box.element is not None else None
            if ident not in sources or ident in seen or not hasattr(box, "margin_width"):
                continue
            excess = box.border_box_x() + box.border_width() - right
            for child in getattr(box, "children", ()):  # a table's grid can be wider than its wrapper
                if hasattr(child, "border_width"):
                    excess = max(excess, child.border_box_x() + child.border_width() - right)
            if excess > WIDTH_TOLERANCE:
                seen.add(ident)
                kind = ("脚注" if ids.note_number(ident) is not None else
                        "表格" if box.element.tag == "table" or box.element.find(".//table") is not None else "内容")
                yield ident, *sources[ident], kind, excess, box.element


# What press's own markup needs, whatever the style: the first of two full-width marks that a tag parts
# set half-width (cjk.squeezed_last), a heading's bookmark from its text as written (cjk.track_headings),
# and the comma between two adjacent footnote calls set like the calls.
PRESS_CSS = f"""
.{SQUEEZE_CLASS} {{ font-feature-settings: "halt"; }}
[{BOOKMARK_ATTRIBUTE}] {{ bookmark-label: attr({BOOKMARK_ATTRIBUTE}); }}
.{ids.CALL_SEPARATOR_CLASS} {{ font-size: 0.65em; line-height: 0; vertical-align: super; }}
"""


def pushed_css(pushed: tuple[str, ...]) -> str:
    """The CSS that moves each pushed block to the top of a new page."""
    return "".join(f"#{block} {{ break-before: page; }}\n" for block in pushed)


def lay_out(issue: Issue, html: "str | HTML", pushed: tuple[str, ...] = (), css: str = "") -> Layout:
    """Lay the HTML (a string, or a parsed document with its fetcher) out as pages; return the document and its anchors.

    `css` is added after the style (and after the rules of pushed blocks).
    """
    justify.install()
    longtext.install()
    tables.install()
    footnotes.install()
    if isinstance(html, str):
        html = parse(issue, html)
    fetcher = html.url_fetcher
    fonts = font_configuration(issue.settings.fonts_dir)
    try:
        with unloadable_fonts() as unloaded:
            stylesheets = [CSS(string=page_css(issue.settings.page_size), font_config=fonts),
                           CSS(file_obj=io.BytesIO(stylesheet_bytes(issue)), base_url=str(stylesheet_path(issue)),
                               url_fetcher=fetcher, font_config=fonts)]
        if unloaded:
            raise damaged_fonts(issue, unloaded)
        stylesheets.append(CSS(string=PRESS_CSS + pushed_css(pushed) + css, font_config=fonts))
        document = html.render(stylesheets=stylesheets, font_config=fonts)
    except RefusedResource:
        raise refused(issue, fetcher) from None
    if fetcher.refused:  # WeasyPrint skips a failed image or @import and goes on; press does not
        raise refused(issue, fetcher)
    layout = inspect(document)
    layout.pushed = pushed
    layout.fetcher = fetcher
    return layout


def stylesheet_path(issue: Issue) -> Path:
    return issue.settings.style_dir / STYLESHEET


def stylesheet_bytes(issue: Issue) -> bytes:
    """The style's stylesheet, read as every source is (press.sources); an input error if it cannot be."""
    try:
        return read_source(stylesheet_path(issue))
    except OSError as error:  # the loader read it: changed since
        raise InputError([Problem(stylesheet_path(issue), 0, 0, f"无法读取文件 (cannot read: {error.strerror})")]) \
            from None


@contextmanager
def unloadable_fonts():
    """Collect the families of the @font-face rules WeasyPrint could not load (it warns and goes on,
    setting the text in the next face of the stack: a damaged Song file printed the body in bold Hei)."""
    families: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: families.append(str(record.args[0])) if (
        record.msg == "Font-face %r cannot be loaded" and record.args) else None
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield families
    finally:
        logger.removeHandler(handler)


def damaged_fonts(issue: Issue, families: list[str]) -> InputError:
    """The input error for @font-face rules whose font file could not be loaded, at each rule's line."""
    stylesheet = stylesheet_path(issue)
    lines = stylesheet_bytes(issue).decode("utf-8", errors="replace").splitlines()
    problems = []
    for family in dict.fromkeys(families):
        line = next((number for number, text in enumerate(lines, start=1)
                     if "font-family" in text and re.search(rf"\b{re.escape(family)}\b", text)), 0)
        problems.append(Problem(stylesheet, line, 0, f"字体 {family} 无法载入：字体文件损坏或不是字体 (the font file "
                                f"of {family} cannot be loaded: it is damaged or not a font; `press doctor` "
                                "names the file and how to restore it)"))
    return InputError(problems)


def parse(issue: Issue, html: str) -> HTML:
    """The parsed HTML, resolving relative URLs in the issue folder through a fresh sandbox fetcher."""
    fetcher = SandboxFetcher([issue.folder, issue.settings.style_dir], issue.settings.fonts_dir,
                             issue.settings.style_dir)
    try:
        return HTML(string=html, base_url=str(issue.folder) + "/", url_fetcher=fetcher)
    except RefusedResource:
        raise refused(issue, fetcher) from None


def with_tree(document: HTML, tree) -> HTML:
    """The parsed document with another element tree (same base URL, fetcher, media)."""
    changed = copy(document)
    changed.wrapper_element = cssselect2.ElementWrapper.from_html_root(tree, content_language=None)
    changed.etree_element = changed.wrapper_element.etree_element
    return changed


def refused(issue: Issue, fetcher: SandboxFetcher) -> InputError:
    """The input error for every resource the fetcher refused, each at the place in the sources that names it."""
    roots = [issue.folder, issue.settings.style_dir]
    return InputError([Problem(*where_named(url, roots, issue.folder), f"{fetcher.reason(url)}: {url}")
                       for url in dict.fromkeys(fetcher.refused)])


SOURCE_SUFFIXES = {".md", ".yaml", ".css", ".html", ".svg", ".xml"}


def where_named(url: str, roots: list[Path], fallback: Path) -> tuple[Path, int, int]:
    """The first place (file, line, column) in the issue's or the style's text files that names `url`.

    The URL is searched as written and as the path it resolves to; when no
    file names it (it came from a computed value), the issue folder is named.
    """
    path = unquote(urlsplit(url).path)
    needles = [url, path, Path(path).name] if path else [url]
    for needle in needles:
        for root in roots:
            for candidate in sorted(root.rglob("*")):
                if candidate.suffix.lower() not in SOURCE_SUFFIXES:
                    continue
                try:
                    text = read_source(candidate).decode("utf-8", errors="replace")
                except OSError:  # a folder, a FIFO, an unreadable file: it names nothing
                    continue
                for number, line in enumerate(text.splitlines(), start=1):
                    if needle and needle in line:
                        return candidate, number, line.index(needle) + 1
                    if needle and candidate.suffix == ".css" and needle in css_unescaped(line):
                        return candidate, number, 1
    return fallback, 0, 0


def css_unescaped(text: str) -> str:
    """CSS text with its escapes (`\\68 ` for h, `\\"`) resolved, as a URL in it is read."""
    return re.sub(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", lambda m: chr(int(m[1], 16)) if m[1] else m[2], text)


def inspect(document: Document) -> Layout:
    """Read page names, anchor pages and forced page breaks out of a rendered document."""
    names = [page._page_box.page_type.name or "" for page in document.pages]
    anchors: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            anchors.setdefault(anchor, index)
    first_body = names.index(BODY_PAGE) if BODY_PAGE in names else len(names)
    return Layout(document, names, anchors, first_body, forced_breaks(document, anchors))


def forced_breaks(document: Document, anchors: dict[str, int]) -> list[int]:
    """The pages that begin with an element whose forced break (break-before: page …) starts it there.

    Only elements with an id are trusted (their first page is known from the
    anchors); a page that continues a split element keeps that element's
    style, so the style alone would not tell.
    """
    return [index for index, page in enumerate(document.pages)
            if index and starts_forced(page._page_box, index, anchors)]


def starts_forced(box, index: int, anchors: dict[str, int]) -> bool:
    """Whether one of the first in-flow boxes down from a page box starts on this page after a forced break."""
    while box is not None:
        ident = box.element.get("id") if box.element is not None else None
        if ident and anchors.get(ident) == index and box.style["break_before"] in FORCED:
            return True
        children = [child for child in getattr(box, "children", ()) if child.is_in_normal_flow()]
        box = children[0] if children else None
    return False
