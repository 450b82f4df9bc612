"""Markdown → HTML fragments for one article.

Takes the Markdown body of an article (press's dialect, press.dialect; its
comments taken out by press.comments) and returns its HTML
with every footnote rendered in place as a `float: footnote` element, numbered
through the issue from `first_number`, together with the problems found,
among them what `conservation` finds: source text the HTML would lose, and
Markdown the HTML would print as typed.
"""

import math
import re
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import urlsplit

from markdown_it.token import Token

from press import conservation, footnotes, ids
from press.comments import code_lines, without_comments
from press.dialect import ATTRIBUTE_BLOCK, BLOCK_NAMES, BOX, EDITOR_NOTE, block_name, known_block, parser, wide
from press.errors import Kind, LineProblem
from press.images import IMAGE_SUFFIXES
from press.model import Footnote
from press.printable import draws_ink

DEEPEST_HEADING = 3  # `###` is the deepest sub-heading an article may use
MAX_NESTING = 8  # lists and quotes inside one another, at most
TABLE_CAPTION = re.compile(r"^\s*(?:(?:续|續)?表\s*[0-9０-９]|Table\s+[0-9])")  # 表 1, 續表 1, Table 1 (press.locale)
PICTURE_SUFFIX = "(?:" + "|".join(suffix[1:] for suffix in sorted(IMAGE_SUFFIXES)) + ")"
SPACED_IMAGE_PATH = re.compile(rf"(!\[[^\]\n]*\]\()[ \t]*([^()<>\n\"']*?[ \t][^()<>\n\"']*?\.{PICTURE_SUFFIX})[ \t]*\)",
                               re.IGNORECASE)



@dataclass
class Markup:
    """An article body turned into HTML."""

    html: str
    footnotes: list[Footnote]
    images: list[tuple[str, int]]  # (src, line) of every image, for the loader to check
    problems: list[LineProblem] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)  # ids of the top-level blocks, in order
    decoded: list[tuple[int, int, str]] = field(default_factory=list)  # (line, column, characters) of each entity


def bracketed_image_paths(markdown: str) -> str:
    """`![图 1](chart 1.svg)` as `![图 1](<chart 1.svg>)`: a picture's file name with a space (as phones and
    Windows name them) works as it is written, where CommonMark would print the whole image as typed."""
    code = code_lines(markdown.split("\n"))
    lines = markdown.split("\n")
    return "\n".join(line if index in code or "`" in line else SPACED_IMAGE_PATH.sub(r"\1<\2>)", line)
                     for index, line in enumerate(lines))


def to_html(markdown: str, first_number: int = 1, line_offset: int = 0,
            block_prefix: str = "b") -> Markup:
    """Render an article body; footnotes are numbered from `first_number`.

    `line_offset` is the number of lines before the body in its file, so that
    problems name the line of the file, not of the body.  Every top-level block
    gets the id `<block_prefix>-L<line>` (its line in the file), so the laid-out
    pages can be traced back to the source.
    """
    md = parser()
    env: dict = {"block_prefix": block_prefix, "line_offset": line_offset}
    markdown = bracketed_image_paths(without_comments(markdown))
    tokens = md.parse(markdown, env)
    lines = markdown.splitlines()
    notes, problems = footnotes.collect(tokens, env, first_number, line_offset, lines,
                                        lambda inner: md.renderer.render(inner, md.options, env))
    body = list(footnotes.without_definitions(tokens))
    _mark_figures(body)
    body = _move_table_captions(body)
    _mark_short_boxes(body)
    footnotes.mark_adjacent_calls(body)
    refused = _refused_images(markdown, line_offset)  # the loader reports them
    images = _collect_images(body, line_offset) + refused
    problems += _check_headings(body, line_offset)
    problems += footnotes.stray_calls(body, lines, line_offset)
    in_captions = {child.meta["label"] for token in footnotes.walk_inline(body) if token.type == "image"
                   for child in token.children or [] if child.type == "footnote_ref"}
    problems += footnotes.unused_definitions(lines, {note.label for note in notes} | in_captions, line_offset)
    problems += _check_links(tokens, line_offset)
    problems += footnotes.header_calls(body, line_offset, lines)
    problems += _check_containers(lines, line_offset)
    problems += _check_images(body, line_offset, lines)
    problems += _check_nesting(tokens, line_offset)
    env["press_footnotes"] = {note.label: note for note in notes}
    _number_blocks(body, env)
    html = md.renderer.render(body, md.options, env)
    if not _has_content(html):
        problems.append((line_offset + 1, 1, "文章正文为空 (the article has no text)", Kind.INPUT))
    source = conservation.read_source(lines, tokens, known_block)
    if not problems and not refused:  # the safety net for what nothing above caught; the rest follows from those
        problems += conservation.check(source, lines, tokens, html, notes, line_offset)
    blocks = [token.meta["block_id"] for token in body if "block_id" in token.meta]
    decoded = [(letter.line + line_offset, letter.column, letter.char) for letter in source.entities]
    return Markup(html, notes, images, problems, blocks, decoded)


CONTAINER_FENCE = re.compile(r" {0,3}:{3,}[ \t]*(.*)$")


def _check_nesting(tokens: list[Token], line_offset: int) -> list[LineProblem]:
    """Lists and quotes nest at most MAX_NESTING deep (past the parser's own limit it would drop the rest)."""
    depth = 0
    for token in tokens:
        if token.type in ("bullet_list_open", "ordered_list_open", "blockquote_open"):
            depth += 1
            if depth > MAX_NESTING:
                return [(token.map[0] + 1 + line_offset if token.map else line_offset + 1, 1,
                         f"列表或引用嵌套超过 {MAX_NESTING} 层 (lists and quotes nest at most {MAX_NESTING} levels "
                         "deep: "
                         "flatten the deepest ones)", Kind.INPUT)]
        elif token.type in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
            depth -= 1
    return []


def _check_images(tokens: list[Token], line_offset: int, lines: list[str]) -> list[LineProblem]:
    """An image stands alone in its paragraph (it becomes a figure, its text the caption), its caption calls no
    footnote (the call would not print), and what follows it in braces is a width, `{width=60%}` or
    `{width=80mm}`."""
    problems = []
    for index, token in enumerate(tokens):
        children = token.children or [] if token.type == "inline" else []
        for place, child in enumerate(children):
            if child.type != "image":
                continue
            line = token.map[0] + 1 + line_offset if token.map else line_offset + 1
            after = children[place + 1].content if place + 1 < len(children) else ""
            if after.lstrip().startswith("{") and after[:1] != "{" and ATTRIBUTE_BLOCK.match(after.lstrip()):
                problems.append((line, _column(lines, token, after.lstrip()[:2]), "图片与其后的属性块之间不能有空格 "
                                 f"(write the braces right after the image's closing bracket: {FIGURE_WIDTH_HINT})",
                                 Kind.INPUT))
            elif after.lstrip().startswith("{"):
                problems.append((line, _column(lines, token, "{"), f"图片后的属性块没有结束的 }} (the braces after the "
                                 f"image are not closed on their line: {FIGURE_WIDTH_HINT})", Kind.INPUT))
            elif not tokens[index - 1].meta.get("figure"):
                problems.append((line, 1, "图片须单独成段，成为带图题的插图 (an image must stand alone in its "
                                 "paragraph, where it becomes a figure with its caption)", Kind.INPUT))
            attributes = child.meta.get("attributes")
            if attributes is not None and figure_width(attributes) is None:
                problems.append((line, _column(lines, token, "{" + attributes + "}"),
                                 f"图片属性 {{{attributes}}} 无法识别 (unknown image attributes {{{attributes}}}: "
                                 f"{FIGURE_WIDTH_HINT})", Kind.INPUT))
            for call in (grand for grand in child.children or [] if grand.type == "footnote_ref"):
                problems.append((line, 1, f"图题中不能引用脚注 [^{call.meta['label']}] (a figure caption cannot call a "
                                 "footnote: put the call in the sentence that refers to the figure)", Kind.INPUT))
    return problems


FIGURE_WIDTH = re.compile(r'\s*width\s*=\s*("?)(\d+(?:\.\d+)?|\.\d+)(%|mm|cm)\1\s*', re.IGNORECASE)
FIGURE_WIDTH_HINT = ("write {width=60%} for a share of the text width, or {width=80mm}; a figure is never set wider "
                     "than its picture's natural size")


def figure_width(attributes: str) -> str | None:
    """The CSS width an image's attribute block asks for (`60%`, `80mm`), or None if it asks for none that can be
    set: another attribute, another unit, 0, or over 100 %."""
    match = FIGURE_WIDTH.fullmatch(attributes)
    if match is None:
        return None
    number, unit = float(match.group(2)), match.group(3).lower()
    if number <= 0 or (unit == "%" and number > 100):
        return None
    return f"{number:g}{unit}"


def _column(lines: list[str], token: Token, text: str) -> int:
    """The column where `text` first stands on the lines of a block (1 when it is not found)."""
    first, last = token.map if token.map else (0, 0)
    for line in lines[first:last]:
        if text in line:
            return line.index(text) + 1
    return 1


def _check_containers(lines: list[str], line_offset: int) -> list[LineProblem]:
    """`::: 编者按` and `::: 框` blocks: a known name, closed, not nested (the plugin would end the
    outer block at the inner one's end, or run an unclosed block to the end of the article)."""
    names = f"{EDITOR_NOTE}、{BOX}"
    problems: list[LineProblem] = []
    opened: list[tuple[int, str]] = []
    code = code_lines(lines)
    for index, line in enumerate(lines):
        number = index + line_offset + 1
        fence = None if index in code else CONTAINER_FENCE.match(line)
        if fence is None:
            continue
        name = block_name(fence.group(1))
        if not name:
            if not opened:
                problems.append((number, 1, "多余的 :::，前面没有 ::: 编者按 或 ::: 框 (a closing ::: with no block "
                                 "open)", Kind.INPUT))
            else:
                opened.pop()
            continue
        if name not in BLOCK_NAMES:
            problems.append((number, fence.start(1) + 1, f"未知的块 ::: {name}，可用：{names} "
                             f"(unknown block “{name}”: use {EDITOR_NOTE} or {BOX})", Kind.INPUT))
        elif opened:
            problems.append((number, 1, f"::: {name} 不能放在 ::: {opened[-1][1]} 之内 (blocks cannot be nested)",
                             Kind.INPUT))
        opened.append((number, name))
    problems += [(number, 1, f"::: {name} 没有结束的 ::: (the block is not closed: end it with a line ::: )",
                  Kind.INPUT) for number, name in opened]
    return problems


def _check_links(tokens: list[Token], line_offset: int) -> list[LineProblem]:
    """A problem for each link that is a path (relative or file:), not an address or an #anchor.

    WeasyPrint would write a path as the build machine's file:// URL, which
    breaks in a mailed PDF and makes the bytes depend on the checkout.
    """
    problems = []
    for token in tokens:
        for child in token.children or ():
            href = str(child.attrs.get("href", "")) if child.type == "link_open" else ""
            scheme = urlsplit(href).scheme.lower() if href else ""
            if child.type == "link_open" and not href.startswith("#") and (len(scheme) < 2 or scheme == "file"):
                line = line_offset + (token.map[0] + 1 if token.map else 1)
                problems.append((line, 1, f"链接应为网址、邮件地址或 #锚点 (a link must be a web or mail address "
                                          f"or a #anchor; a link to a file does not work in the PDF: {href[:60]})",
                                 Kind.INPUT))
    return problems


def _has_content(html: str) -> bool:
    """Whether a body's HTML shows anything: an image, or a character that draws ink.

    Spaces (U+3000 too), format and control characters (zero-width, marks of
    direction), lone combining marks and variation selectors, and blank
    symbols draw none.
    """
    if "<img" in html:
        return True
    text = unescape(re.sub(r"<[^>]*>", "", html))
    return any(draws_ink(char) for char in text)


def _check_headings(tokens: list[Token], line_offset: int) -> list[LineProblem]:
    deepest = f"h{DEEPEST_HEADING}"
    message = f"小标题最多三级 (sub-headings go at most {DEEPEST_HEADING} levels deep)"
    return [(token.map[0] + 1 + line_offset, 1, message, Kind.INPUT)
            for token in tokens if token.type == "heading_open" and token.tag > deepest]


BLOCK_OPENERS = {"paragraph_open", "heading_open", "table_open", *(f"container_{name}_open" for name in BLOCK_NAMES)}
PLAIN_BLOCKS = {"bullet_list_open", "ordered_list_open", "blockquote_open", "fence", "code_block"}  # default renderers


def _number_blocks(tokens: list[Token], env: dict) -> None:
    """Give each top-level block an id made of the prefix and its line in the file."""
    for token in tokens:
        if token.level == 0 and token.type in BLOCK_OPENERS | PLAIN_BLOCKS and token.map:
            token.meta["block_id"] = ids.block_id(env["block_prefix"], token.map[0] + 1 + env["line_offset"])
            if token.type in PLAIN_BLOCKS:
                token.attrSet("id", token.meta["block_id"])
        if token.type == "ordered_list_open" and (start := token.attrGet("start")) is not None:
            token.attrSet("style", f"counter-reset: list-item {int(start) - 1};")  # WeasyPrint 70 ignores start



def _mark_figures(tokens: list[Token]) -> None:
    """A paragraph holding one image and nothing else becomes a figure."""
    for index, token in enumerate(tokens[:-2]):
        inline = tokens[index + 1]
        if token.type != "paragraph_open" or inline.type != "inline":
            continue
        children = [child for child in inline.children or [] if child.content.strip()
                    or child.type != "text"]
        if len(children) == 1 and children[0].type == "image":
            token.meta["figure"] = True
            tokens[index + 2].meta["figure"] = True
            if width := figure_width(children[0].meta.get("attributes", "")):
                token.meta["figure_width"] = width


BOX_LINE = 42  # ems of text on a line of a box: the 44-em text block less the box's 1-em padding each side
SHORT_BOX = 8  # lines: a box no longer is kept on one page (class ids.SHORT_BOX_CLASS)
NOT_TEXT = {"table_open", "fence", "code_block", "image"}  # what makes a box too long to guess: never short


def _mark_short_boxes(tokens: list[Token]) -> None:
    """Mark each `::: 框` box of at most SHORT_BOX lines, roughly counted (`_box_lines`), as short: the style
    keeps it whole on one page."""
    opened: Token | None = None
    inside: list[Token] = []
    for token in tokens:
        if token.type == f"container_{BOX}_open":
            opened, inside = token, []
        elif token.type == f"container_{BOX}_close" and opened is not None:
            if _box_lines(opened, inside) <= SHORT_BOX:
                opened.meta["short"] = True
            opened = None
        elif opened is not None:
            inside.append(token)


def _box_lines(opening: Token, inside: list[Token]) -> float:
    """About how many lines a box takes: its title's, then each paragraph's, heading's or item's text (a wide
    character an em, others half), indented 2 em, on lines of BOX_LINE ems; a table, code or a picture in
    it: too many to guess (infinity)."""
    lines = 1 if opening.info.strip()[len(BOX):].strip() else 0
    for token in inside:
        if token.type in NOT_TEXT or any(child.type in NOT_TEXT for child in token.children or ()):
            return math.inf
        if token.type == "inline":
            lines += math.ceil((2 + _text_width(token.content)) / BOX_LINE)
    return lines


def _text_width(markdown: str) -> float:
    """A text's width in ems, roughly: wide characters count 1, others ½, Markdown marks and calls nothing."""
    text = re.sub(r"\[\^[^\]]*\]|[*_~^`]", "", markdown)
    return sum(1.0 if wide(char) else 0.5 for char in text.strip())


FIGURE_OPEN = re.compile(r'<figure class="figure"((?: id="[^"]*")?)(?: style="([^"]*)")?>(?=<img src="([^"]*)")')


def with_picture_sizes(html: str, sizes: dict[str, tuple[float, float]]) -> str:
    """An article's HTML with each figure's picture's natural size (CSS px, by the image's src as Markdown
    normalised it: `Markup.images`) on its <figure>, for the style to size the figure by."""
    def sized(match: re.Match) -> str:
        size = sizes.get(unescape(match.group(3)))
        if size is None:
            return match.group()
        width, height = size
        style = "; ".join(part for part in (match.group(2), f"{ids.PICTURE_WIDTH}: {width:.2f}px",
                                            f"{ids.PICTURE_RATIO}: {width / height:.4f}") if part)
        return f'<figure class="figure"{match.group(1)} style="{style}">'
    return FIGURE_OPEN.sub(sized, html)


def _move_table_captions(tokens: list[Token]) -> list[Token]:
    """A paragraph such as "表 1 …" right above a table becomes the table's <caption>.

    WeasyPrint lays a caption out with its table, so the two never part at a page break.
    """
    moved = list(tokens)
    for index in range(len(moved) - 3):
        opening, inline, closing, table = moved[index:index + 4]
        if (opening.type == "paragraph_open" and inline.type == "inline" and closing.type == "paragraph_close"
                and table.type == "table_open" and TABLE_CAPTION.match(inline.content)):
            for token in (opening, closing):
                token.meta["table_caption"] = True
                token.level = table.level + 1
            moved[index:index + 4] = [table, opening, inline, closing]
    return moved


REFUSED_IMAGE = re.compile(r"!\[[^\]\n]*\]\(\s*<?((?:file|data|javascript|vbscript):[^)\s>]*)", re.IGNORECASE)


def _refused_images(markdown: str, line_offset: int) -> list[tuple[str, int]]:
    """Images whose URL scheme markdown-it will not parse (file:, data: …): it leaves them as text.

    They are handed to the loader like any image, which refuses them with their line.
    """
    return [(match.group(1), number + line_offset)
            for number, line in enumerate(markdown.splitlines(), start=1)
            for match in REFUSED_IMAGE.finditer(line)]


def _collect_images(tokens: list[Token], line_offset: int) -> list[tuple[str, int]]:
    return [(token.attrGet("src") or "", token.meta.get("line", 0) + line_offset)
            for token in footnotes.walk_inline(tokens) if token.type == "image"]
