"""Layout section by section, keeping each section's pages for the next build (`press watch`).

Takes the issue and the HTML `render` made for it; returns the `Layout` that
one render of the whole HTML gives (the same PDF, byte for byte: tested), but
lays out again only the sections whose HTML, first page number or first
footnote number changed since the last call, and the front matter (cover,
contents) only when the page of something it points to changed.

With `section_break: page` each section begins on a new page (a forced
break), so its pages depend on the rest of the issue only through two
counters: the page number it starts on and the number of footnotes before it.
A section is laid out alone with both set by CSS; the front matter is laid out
with placeholder pages standing for the body, one per folio, carrying the ids
the contents' `target-counter()` looks up; then the pages are put together
into one document.  With `section_break: run-on` a section runs on from the
one before, so the body is one part, laid out again after any edit of it; the
front matter is still kept while no page number it shows moves.  Where a style
uses anything else that crosses sections (left and right pages, running
strings, other counters) the whole issue is laid out in one render instead.
"""

import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from weasyprint import HTML

from press import footnotes, ids
from press.drawing import PageDrawings
from press.errors import PressError
from press.layout import STYLESHEET, Layout, inspect, lay_out_verified, parse, with_tree
from press.model import Footnote, Issue
from press.pagesize import page_css
from press.sources import read_source, snapshot, watched_roots

FOLIO_ID = "press-folio-{}"
# What a style may use and still lay out the same section by section: the page counter, the footnote
# counter, the contents' page references and the first body page's counter reset.  Anything else that
# carries state from one section to the next makes the whole issue one render.
CROSSES_SECTIONS = re.compile(
    r":(left|right|blank|first|recto|verso)(?![\w-])|break-(before|after)\s*:\s*(left|right|recto|verso)"
    r"|string(-set)?\s*\(|string-set|target-text|counters\s*\(|counter-increment"
    r"|(?<![\w-])counter\s*\((?!\s*(page|footnote)\s*\))|:nth\((?!\s*1\s+of\s+body\s*\))"
    r"|counter-reset\s*:(?!\s*(page\s+1|list-item\s+-?\d+)\s*[;}])|target-counter\s*\((?!\s*attr\(\s*href\b)")


@dataclass
class Kept:
    """A part laid out before: the key of its inputs and its verified layout."""

    key: str
    layout: Layout


@dataclass
class SectionLayouts:
    """Lays out issues section by section, reusing the parts whose inputs did not change.

    Call it like `layout.lay_out_verified(issue, html)`.  `laid_out` names the
    parts the last call laid out (section ids, "front"), for reports and tests.
    """

    kept: dict[str, Kept] = field(default_factory=dict)
    laid_out: list[str] = field(default_factory=list)
    drawings: PageDrawings = field(default_factory=PageDrawings)  # the kept pages' drawings, for the writer

    def __call__(self, issue: Issue, html: str) -> Layout:
        self.laid_out = []
        try:
            layout = self.by_sections(issue, html)
        except PressError:  # the one render reports every problem of the issue at once
            layout = None
        if layout is None:
            self.laid_out = ["whole"]
            return lay_out_verified(issue, html)
        return layout

    def by_sections(self, issue: Issue, html: str) -> Layout | None:
        """The layout put together from the parts' and the front matter's; None where that cannot be done."""
        document = parse(issue, html)
        sections = section_elements(document, issue)
        if sections is None or crosses_sections(issue, html):
            return None
        inputs = inputs_key(issue)
        head = ET.tostring(document.etree_element.find("head"), encoding="unicode")
        parts, first_page, notes_before = [], 1, 0
        groups = body_parts(sections, issue.settings.section_break)
        for group in groups:
            elements = [element for _, element in group]
            css = (f"@page :nth(1 of body) {{ counter-reset: page {first_page} }}\n"
                   f"html {{ counter-reset: footnote {notes_before} }}\n")
            key = digest(inputs, head, css, *map(start_tag, path_to(document.etree_element, elements[0])[:-1]),
                         *(ET.tostring(element, encoding="unicode") for element in elements))
            calls = {number for element in elements for node in element.iter()
                     if (number := ids.call_number(node.get("id", ""))) is not None}
            notes = [note for note in issue.footnotes if note.number in calls]
            part = self.part(group[0][0], key, lay_out_section, issue, document, elements, css, notes)
            parts.append(part)
            first_page += len(part.document.pages)
            notes_before += len(notes)
        front_tree = front_matter(document.etree_element, [element for _, element in sections],
                                  folio_anchors(parts))
        key = digest(inputs, ET.tostring(front_tree, encoding="unicode"))
        front = self.part("front", key, lay_out_verified, issue, with_tree(document, front_tree), notes=[])
        self.kept = {name: self.kept[name] for name in [group[0][0] for group in groups] + ["front"]}
        assembled = assemble(front, parts, first_page - 1)
        if assembled is None or footnotes.misplaced(issue, assembled):
            return None  # the template puts something else among the body pages, or a footnote moved
        return assembled

    def part(self, name: str, key: str, lay_out: Callable[..., Layout], *args, **options) -> Layout:
        """The kept layout of a part if its key is unchanged, else `lay_out(*args, **options)` (kept from now on)."""
        kept = self.kept.get(name)
        if kept is None or kept.key != key:
            kept = self.kept[name] = Kept(key, lay_out(*args, **options))
            self.laid_out.append(name)
        return kept.layout


def section_elements(document: HTML, issue: Issue) -> list[tuple[str, ET.Element]] | None:
    """(id, element) of each section of the issue in the HTML, in order, the editor's note first as a section of its
    own; None if the template has no such elements."""
    wanted = ([issue.note.ident] if issue.note else []) + [section.ident for section in issue.sections]
    found = {node.get("id"): node for node in document.etree_element.iter() if node.get("id") in wanted}
    if not wanted or len(found) != len(wanted):
        return None
    parents = {parent for parent in document.etree_element.iter() for child in parent if child in found.values()}
    if len(parents) != 1:  # laid out apart, they must be siblings (a template may put the note elsewhere)
        return None
    return [(ident, found[ident]) for ident in wanted]


def body_parts(sections: list[tuple[str, ET.Element]], section_break: str) -> list[list[tuple[str, ET.Element]]]:
    """The sections in the parts laid out apart: each section alone when each starts a new page (a forced break
    parts it from the one before); all of them together when they run on."""
    return [[section] for section in sections] if section_break == "page" else [sections]


def crosses_sections(issue: Issue, html: str) -> bool:
    """Whether the style (or a <style> in the HTML) uses something that carries state across sections."""
    sheets = [readable_text(path) for folder in (issue.settings.style_dir, issue.folder)
              for path in sorted(folder.rglob("*.css"))]
    inline = re.findall(r"<style[^>]*>(.*?)</style>|style=\"([^\"]*)\"", html, flags=re.S)
    texts = sheets + [part for pair in inline for part in pair]
    return any(CROSSES_SECTIONS.search(re.sub(r"/\*.*?\*/", "", text, flags=re.S)) for text in texts)


def readable_text(path: Path) -> str:
    """A file's text, or "" if it cannot be read (if the build uses it, the build reports that)."""
    try:
        return read_source(path).decode("utf-8", errors="replace")
    except OSError:
        return ""


def inputs_key(issue: Issue) -> str:
    """A key for what a layout reads besides the HTML: the paper (newsletter.yaml's page_size, as the page CSS),
    and the files (style, fonts, images) as the watcher's snapshot of them."""
    state = snapshot(watched_roots(issue.folder, issue.settings.styles_dir, issue.settings.fonts_dir))
    return digest(STYLESHEET, page_css(issue.settings.page_size),
                  *(f"{path}\0{time}\0{size}" for path, (time, size) in sorted(state.items())
                    if path.suffix.lower() not in (".md", ".yaml")))


def digest(*parts: str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return hasher.hexdigest()


def lay_out_section(issue: Issue, document: HTML, sections: list[ET.Element], css: str,
                    notes: list[Footnote]) -> Layout:
    """Sections (one, or a run of them) laid out alone, their `notes` verified; their page and footnote counters
    start as `css` says."""
    return lay_out_verified(issue, with_tree(document, only(document.etree_element, sections)), css, notes)


def only(root: ET.Element, kept: list[ET.Element]) -> ET.Element:
    """A tree holding the head, the `kept` elements (siblings) and the elements on the path to them, nothing else
    of the body."""
    path = path_to(root, kept[0])

    def rebuilt(node: ET.Element, depth: int) -> ET.Element:
        clone = shell(node)
        for child in node:
            if depth + 1 == len(path) - 1 and any(child is element for element in kept):
                clone.append(child)
            elif depth + 1 < len(path) - 1 and child is path[depth + 1]:
                clone.append(rebuilt(child, depth + 1))
            elif child.tag == "head":
                clone.append(child)
        return clone
    return rebuilt(root, 0)


def front_matter(root: ET.Element, sections: list[ET.Element], folios: list[list[str]]) -> ET.Element:
    """The tree without its sections; where the first stood, one placeholder page per body page.

    Each placeholder holds the ids on its page that the front matter links to
    (`href="#…"`), which is what the contents' `target-counter()` reads.
    """
    holders = set(sections)
    inside = {node.get("id") for section in sections for node in section.iter()}
    named = {node.get("href", "")[1:] for node in root.iter() if node.get("href", "").startswith("#")}
    named -= {node.get("id") for node in root.iter()} - inside  # ids of the front matter itself
    folios = [[ident for ident in idents if ident in named] for idents in folios]

    def rebuilt(node: ET.Element) -> ET.Element:
        if not any(descendant in holders for descendant in node.iter()):
            return node
        clone = shell(node)
        for child in node:
            if child is sections[0]:
                clone.extend(placeholders(folios))
            elif child not in holders:
                clone.append(rebuilt(child))
        return clone
    return rebuilt(root)


def placeholders(folios: list[list[str]]) -> list[ET.Element]:
    """One empty page per folio, holding an empty block for each of its ids."""
    pages = []
    for number, idents in enumerate(folios, start=1):
        page = ET.Element("div", {"id": FOLIO_ID.format(number), "style": "break-before: page"})
        page.extend(ET.Element("div", {"id": ident}) for ident in idents)
        pages.append(page)
    return pages


def shell(node: ET.Element) -> ET.Element:
    """A copy of an element without its children."""
    clone = ET.Element(node.tag, dict(node.attrib))
    clone.text, clone.tail = node.text, node.tail
    return clone


def start_tag(node: ET.Element) -> str:
    """An element's tag and attributes (what an ancestor of a section gives it: the language, classes)."""
    return f"{node.tag} {sorted(node.attrib.items())}"


def path_to(root: ET.Element, target: ET.Element) -> list[ET.Element]:
    """The elements from `root` down to `target`."""
    parents = {child: parent for parent in root.iter() for child in parent}
    path = [target]
    while path[-1] is not root:
        path.append(parents[path[-1]])
    return path[::-1]


def folio_anchors(parts: list[Layout]) -> list[list[str]]:
    """For each body page in order, the ids anchored on it."""
    pages: list[list[str]] = []
    for part in parts:
        on_page: list[list[str]] = [[] for _ in part.document.pages]
        for ident, index in part.anchors.items():
            on_page[index].append(ident)
        pages.extend(on_page)
    return pages


def assemble(front: Layout, parts: list[Layout], body_pages: int) -> Layout | None:
    """The front matter's own pages, then every section's, as one layout; None if the front matter is not as expected.

    The front matter must end with exactly the placeholder pages, in order.
    """
    first = front.page_of(FOLIO_ID.format(1))
    if first is None or len(front.document.pages) - first != body_pages or any(
            front.page_of(FOLIO_ID.format(number)) != first + number - 1 for number in range(1, body_pages + 1)):
        return None
    pages = front.document.pages[:first] + [page for part in parts for page in part.document.pages]
    layout = inspect(front.document.copy(pages))
    layout.fetcher = front.fetcher
    layout.pushed = tuple(block for part in parts for block in part.pushed)
    layout.floated = tuple(figure for part in parts for figure in part.floated)
    return layout

