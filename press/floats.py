"""Figures that do not fit where they are called float to the top of the next page.

Takes the element tree of an issue (or of part of it), its verified layout and two ways to lay a tree out
(`Trees`); returns the tree and layout with every figure that left a hole moved.  WeasyPrint 70 has no page
floats: a figure (`break-inside: avoid`) too tall for the rest of its page goes to the next page and leaves
the rest blank.  After a layout, press looks for a figure that stands first on its page while the page before
has a hole at its foot; it lays the tree out once more with the figure hidden (and the later articles
emptied: they cannot reach that page, and the layout is quicker), to see where the text after it would take
the page boundary, then moves the figure there: between the two parts of the paragraph that
crosses the boundary (split where the lines break: the first part keeps its last line justified, the second
has no indent) or, when the block that crosses it is no plain paragraph, before or after that block.  The
move is kept only if the figure stands first on its page, the page before is fuller than it was, there are
no more pages and every footnote is still on its call's page; else the figure stays where it was.

A figure never leaves its article and figures keep their order: the later figures of the article that the
moved one would pass are moved with it.  Each figure is tried once, in reading order, so a layout with `n`
figures leaving holes costs at most `2 n` more layouts (one of them cut short), and none for a figure whose
article's rest is shorter than the hole (it would end on that page: nothing can fill it); the same tree gives
the same moves.
"""

import copy
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING

from weasyprint.formatting_structure import boxes

from press import ids
from press.errors import LayoutError

if TYPE_CHECKING:
    from press.layout import Layout

FIGURE_CLASS = "figure"
MIN_HOLE = 0.07  # of the text area's height: a hole smaller than this (three lines) is no reason to move
MIN_GAIN = 0.03  # of the text area's height: a move must fill the page before by at least this much
CONTINUED = "data-press-continued"  # the second part of a paragraph split around a figure: the id of the first


@dataclass
class Trees:
    """How `float_figures` lays a tree out: `plain` with extra CSS and blocks pushed to a new page as a layout
    before pushed them, `verified` as a build does (footnotes on their calls' pages; a LayoutError if one cannot be)."""

    plain: Callable[[ET.Element, str, tuple[str, ...]], "Layout"]
    verified: Callable[[ET.Element], "Layout"]
    floated: list[str] = field(default_factory=list)  # ids of the figures moved, in order


def float_figures(tree: ET.Element, layout: "Layout", trees: Trees) -> tuple[ET.Element, "Layout"]:
    """Move every figure that leaves a hole before it, one at a time in reading order; the tree and layout
    with the moves that were kept."""
    tried: set[str] = set()
    while (figure := figure_after_hole(tree, layout, tried)) is not None:
        ident = figure.get("id")
        tried.add(ident)
        if rest_fits(tree, layout, figure):
            continue  # the rest of its article would end on the page before: nothing to fill the hole with
        moved = moved_tree(tree, layout, figure, trees)
        if moved is None:
            continue
        try:
            trial = trees.verified(moved)
        except LayoutError:  # a footnote the move would part from its call: the figure stays
            continue
        if better(layout, trial, ident):
            tree, layout = moved, trial
            trees.floated.append(ident)
    return tree, layout


# Pages ---------------------------------------------------------------------------------------------------

def text_area(page_box) -> tuple[float, float]:
    """The top and bottom of a page's text area: its content box, less the footnote area at its foot."""
    top = page_box.content_box_y()
    bottom = top + page_box.height
    for child in page_box.children:
        if isinstance(child, boxes.FootnoteAreaBox) and child.children:
            bottom = min(bottom, child.position_y)
    return top, bottom


def flow_bottom(page_box) -> float:
    """The lowest ink of a page's text flow: the bottom of its last line, picture, table or bordered block."""
    root = page_box.children[0] if page_box.children else None
    if root is None:
        return page_box.content_box_y()
    lowest = page_box.content_box_y()
    for box in root.descendants():
        if isinstance(box, (boxes.LineBox, boxes.ReplacedBox, boxes.TableBox)) or (
                isinstance(box, boxes.BlockBox) and box.border_bottom_width):
            lowest = max(lowest, box.border_box_y() + box.border_height())
    return lowest


def hole(layout: "Layout", index: int) -> float:
    """The empty share of a page's text area below its flow (0 full … 1 empty)."""
    page_box = layout.document.pages[index]._page_box
    _, bottom = text_area(page_box)
    return max(0.0, bottom - flow_bottom(page_box)) / (page_box.height or 1)


def first_elements(page_box) -> list[ET.Element]:
    """The elements of the first in-flow boxes down from a page's root: what the page begins with."""
    found = []
    box = page_box.children[0] if page_box.children else None
    while box is not None:
        if box.element is not None and box.element_tag and "::" not in box.element_tag:
            found.append(box.element)
        children = [child for child in getattr(box, "children", ()) if child.is_in_normal_flow()]
        box = children[0] if children else None
    return found


def stands_first(layout: "Layout", ident: str) -> bool:
    """Whether the element of that id begins its page (nothing of the flow above it there)."""
    index = layout.page_of(ident)
    if index is None:
        return False
    return any(element.get("id") == ident for element in first_elements(layout.document.pages[index]._page_box))


def figure_after_hole(tree: ET.Element, layout: "Layout", tried: set[str]) -> ET.Element | None:
    """The first figure not yet tried that begins a body page, in an article, after a page with a hole."""
    articles = {child for article in tree.iter("article") for child in article}
    for figure in tree.iter("figure"):
        ident = figure.get("id")
        if not ident or ident in tried or figure not in articles or FIGURE_CLASS not in figure.get("class", "").split():
            continue
        index = layout.page_of(ident)
        if (index is None or index - 1 < layout.first_body_page or index in layout.forced_breaks
                or not stands_first(layout, ident)):
            continue
        if hole(layout, index - 1) >= MIN_HOLE:
            return figure
    return None


def rest_fits(tree: ET.Element, layout: "Layout", figure: ET.Element) -> bool:
    """Whether all that follows the figure in its article but figures (its blocks and their footnotes, margins
    counted whole) takes less height than the hole before the figure: then it would all stand on that page, the
    article would end there, and no move can fill the hole.  Counted high, so that a move that might help is
    still tried."""
    article = parent_of(tree, figure)
    siblings = list(article)
    rest = [element for element in siblings[siblings.index(figure) + 1:] if element.tag != "figure"]
    notes = {ids.note_id(number) for element in rest for node in element.iter()
             if (number := ids.call_number(node.get("id") or "")) is not None}
    wanted = {id(element) for element in rest}
    height = 0.0
    for page in layout.document.pages:
        for box in page._page_box.descendants():
            if not isinstance(box, boxes.BlockLevelBox) or box.element is None:
                continue
            if id(box.element) in wanted or (box.element.get("id") in notes and box.element_tag == "span"):
                height += box.margin_height()
    index = layout.page_of(figure.get("id")) - 1
    page_box = layout.document.pages[index]._page_box
    room = text_area(page_box)[1] - flow_bottom(page_box)
    return height < room


def better(before: "Layout", after: "Layout", ident: str) -> bool:
    """Whether a layout with the figure moved is better: the figure begins its page, the page before it is fuller
    than the page before it was, and there are no more pages."""
    was, now = before.page_of(ident), after.page_of(ident)
    if now is None or was is None or not stands_first(after, ident):
        return False
    if len(after.document.pages) > len(before.document.pages):
        return False
    return hole(after, was - 1) <= hole(before, was - 1) - MIN_GAIN


# The move -------------------------------------------------------------------------------------------------

@dataclass
class Place:
    """Where moved figures go: before or after a block of the article, or into a paragraph after `count` of its
    characters (those on the page before)."""

    block: ET.Element
    where: str  # "before", "after" or "split"
    count: int = 0


def moved_tree(tree: ET.Element, layout: "Layout", figure: ET.Element, trees: Trees) -> ET.Element | None:
    """A copy of the tree with the figure (and the later figures of its article it would pass) moved to where the
    next page begins once the text after it fills the page; None when its article ends on that page."""
    article = parent_of(tree, figure)
    siblings = list(article)
    start = siblings.index(figure)
    later = [element for element in siblings[start:] if element.tag == "figure" and element.get("id")]
    hidden = "".join(f"#{element.get('id')} {{ display: none !important; }}\n" for element in later)
    articles = list(tree.iter("article"))
    hidden += "".join(f"#{element.get('id')} > * {{ display: none !important; }}\n"  # they cannot reach the page:
                      for element in articles[articles.index(article) + 1:] if element.get("id"))  # lay out less
    measured = trees.plain(tree, hidden, layout.pushed)
    page = layout.page_of(figure.get("id")) - 1
    place = boundary(measured, [element for element in siblings[start + 1:] if element not in later], page)
    if place is None:
        return None
    until = siblings.index(place.block) + (place.where != "before")
    return with_figures_at(tree, [element for element in later if siblings.index(element) < until], place)


def boundary(layout: "Layout", blocks: list[ET.Element], page: int) -> Place | None:
    """Where the page after `page` begins among the blocks (none of them hidden) of a layout."""
    pages = element_pages(layout, blocks)
    for block in blocks:
        found = pages.get(id(block))
        if not found:
            continue
        if min(found) > page:
            return Place(block, "before")
        if max(found) > page:
            count = split_count(layout, block, page) if splittable(block) else None
            return Place(block, "split", count) if count else Place(block, "after")
    return None


def element_pages(layout: "Layout", elements: list[ET.Element]) -> dict[int, list[int]]:
    """id() of each element → the indexes of the pages where a box of it stands."""
    wanted = {id(element) for element in elements}
    found: dict[int, list[int]] = {}
    for index, page in enumerate(layout.document.pages):
        root = page._page_box.children[0] if page._page_box.children else None
        for box in root.descendants() if root is not None else ():
            key = id(box.element) if box.element is not None else None
            if key in wanted and (not found.get(key) or found[key][-1] != index):
                found.setdefault(key, []).append(index)
    return found


def splittable(block: ET.Element) -> bool:
    """A plain paragraph of text (no caption, no editor's note or box around it)."""
    return block.tag == "p" and not block.get("class")


def split_count(layout: "Layout", block: ET.Element, page: int) -> int | None:
    """How many characters (not counting spaces) of the paragraph stand on `page`, if the element's text reads
    exactly as the lines there do; else None."""
    drawn = "".join(fragment_text(box) for box in page_boxes(layout, block, page))
    if not drawn:
        return None
    counted = [char for char, _ in countable(block)]
    if len(drawn) >= len(counted) or "".join(counted[:len(drawn)]) != drawn:
        return None
    return len(drawn)


def page_boxes(layout: "Layout", element: ET.Element, page: int) -> list:
    root = layout.document.pages[page]._page_box.children[0]
    return [box for box in root.descendants() if box.element is element and isinstance(box, boxes.BlockLevelBox)]


def fragment_text(box) -> str:
    """The characters (no spaces) a block's fragment draws in its lines, without generated text (calls)."""
    return "".join(char for child in box.descendants() if isinstance(child, boxes.TextBox)
                   and "::" not in (child.element_tag or "") for char in child.text if not char.isspace())


def is_note(element: ET.Element) -> bool:
    """A footnote's text, floated to the foot of the page: none of the paragraph's lines."""
    return ids.NOTE_CLASS in (element.get("class") or "").split()


def countable(element: ET.Element):
    """(character, (path, slot, offset)) for each character of an element's text that its lines draw: not a
    space, not in a footnote's text.  `path` is the child indexes from the element, `slot` text or tail."""
    def walk(node: ET.Element, path: tuple[int, ...]):
        for offset, char in enumerate(node.text or ""):
            if not char.isspace():
                yield char, (path, "text", offset)
        for index, child in enumerate(node):
            if not is_note(child):
                yield from walk(child, (*path, index))
            for offset, char in enumerate(child.tail or ""):
                if not char.isspace():
                    yield char, ((*path, index), "tail", offset)
    return walk(element, ())


def split_paragraph(block: ET.Element, count: int) -> tuple[ET.Element, ET.Element]:
    """The paragraph as two: its first `count` characters (and what follows them up to the next: a call, its
    note) with the last line justified, then the rest, not indented and without the id."""
    characters = list(countable(block))
    path, slot, offset = characters[count][1]
    first, second = copy.deepcopy(block), copy.deepcopy(block)
    cut_after(first, path, slot, offset)
    cut_before(second, path, slot, offset)
    first.set("style", "text-align-last: justify")
    kept = ids_of(first)
    for element in second.iter():  # the paragraph's id and those of the elements both parts hold stay with the first
        if element is second or element.get("id") in kept:
            element.attrib.pop("id", None)
    second.set("style", "text-indent: 0")
    second.set(CONTINUED, block.get("id", ""))
    second.tail = block.tail
    return first, second


def ids_of(element: ET.Element) -> set[str]:
    return {node.get("id") for node in element.iter() if node.get("id")}


def node_at(root: ET.Element, path: tuple[int, ...]) -> list[ET.Element]:
    """The elements from `root` down along `path`."""
    chain = [root]
    for index in path:
        chain.append(chain[-1][index])
    return chain


def cut_after(root: ET.Element, path: tuple[int, ...], slot: str, offset: int) -> None:
    """Keep what comes before a place in the element's text, drop the rest."""
    chain = node_at(root, path)
    node = chain[-1]
    if slot == "text":
        node.text = (node.text or "")[:offset]
        for child in list(node):
            node.remove(child)
    else:
        node.tail = (node.tail or "")[:offset]
    for parent, child in pairwise(chain):
        for later in list(parent)[list(parent).index(child) + 1:]:
            parent.remove(later)
        if child is not node or slot == "text":
            child.tail = None


def cut_before(root: ET.Element, path: tuple[int, ...], slot: str, offset: int) -> None:
    """Keep what comes from a place in the element's text on, drop what comes before."""
    chain = node_at(root, path)
    node = chain[-1]
    for parent, child in pairwise(chain):
        parent.text = None
        for earlier in list(parent)[:list(parent).index(child)]:
            parent.remove(earlier)
    if slot == "text":
        node.text = (node.text or "")[offset:]
    else:
        parent = chain[-2]
        parent.text = (node.tail or "")[offset:]
        node.tail = None
        parent.remove(node)


def with_figures_at(tree: ET.Element, figures: list[ET.Element], place: Place) -> ET.Element:
    """A copy of the tree with the figures taken out of their places and put, in order, at `place`."""
    paths = {id(element): path_of(tree, element) for element in [*figures, place.block]}
    moved = copy.deepcopy(tree)
    target = node_at(moved, paths[id(place.block)])[-1]
    copies = [node_at(moved, paths[id(figure)])[-1] for figure in figures]
    for figure in copies:
        parent_of(moved, figure).remove(figure)
    article = parent_of(moved, target)
    position = list(article).index(target)
    if place.where == "split":
        first, second = split_paragraph(target, place.count)
        article.remove(target)
        inserted = [first, *copies, second]
    else:
        inserted = copies
        position += place.where == "after"
    for offset, element in enumerate(inserted):
        article.insert(position + offset, element)
    return moved


def path_of(root: ET.Element, element: ET.Element) -> tuple[int, ...]:
    """The child indexes from `root` down to `element`."""
    parents = {child: parent for parent in root.iter() for child in parent}
    path = []
    while element is not root:
        parent = parents[element]
        path.append(list(parent).index(element))
        element = parent
    return tuple(reversed(path))


def parent_of(root: ET.Element, element: ET.Element) -> ET.Element:
    return next(parent for parent in root.iter() if any(child is element for child in parent))
