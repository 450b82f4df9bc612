"""Markdown → HTML fragments for one article.

Takes the Markdown body of an article (CommonMark plus footnotes, pipe tables,
sub/superscript and the 编者按 / 框 blocks; raw HTML off; link reference
definitions off, so `[1]: https://…` prints as written) and returns its HTML
with every footnote rendered in place as a `float: footnote` element, numbered
through the issue from `first_number`, together with the problems found,
among them what `conservation` finds: source text the HTML would lose, and
Markdown the HTML would print as typed.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from html import escape, unescape
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.parser_inline import ParserInline
from markdown_it.rules_inline.state_inline import Scanned, StateInline
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.subscript import sub_plugin
from mdit_py_plugins.superscript import superscript_plugin

from press import conservation, footnotes, ids
from press.errors import Kind
from press.model import Footnote
from press.printable import draws_ink

EDITOR_NOTE = "编者按"
EDITOR_NOTES = (EDITOR_NOTE, "編者按")  # a Traditional issue writes (and prints) it in its own characters
BOX = "框"
BLOCK_NAMES = (*EDITOR_NOTES, BOX)
HEADING_SHIFT = 2  # h1 is the section, h2 the article title; `#` in a body is h3
DEEPEST_HEADING = 3  # `###` is the deepest sub-heading an article may use
MAX_NESTING = 8  # lists and quotes inside one another, at most
PARSER_NESTING = 100  # markdown-it's own limit (it drops everything past it): far above MAX_NESTING
TABLE_CAPTION = re.compile(r"^\s*(?:(?:续)?表\s*[0-9０-９]|Table\s+[0-9])")
IMAGE_SUFFIXES = r"(?:png|jpe?g|gif|svg|webp)"
SPACED_IMAGE_PATH = re.compile(rf"(!\[[^\]\n]*\]\()[ \t]*([^()<>\n\"']*?[ \t][^()<>\n\"']*?\.{IMAGE_SUFFIXES})[ \t]*\)",
                               re.IGNORECASE)
FOOTNOTE_DEFINITION = footnotes.DEFINITION

Problem = tuple[int, int, str, str]  # (line, column, message, kind) in the article's file


@dataclass
class Markup:
    """An article body turned into HTML."""

    html: str
    footnotes: list[Footnote]
    images: list[tuple[str, int]]  # (src, line) of every image, for the loader to check
    problems: list[Problem] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)  # ids of the top-level blocks, in order
    decoded: list[tuple[int, int, str]] = field(default_factory=list)  # (line, column, characters) of each entity


@cache
def parser() -> MarkdownIt:
    """The Markdown dialect of press issue files."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": False, "linkify": False,
                                   "maxNesting": PARSER_NESTING})
    md.inline.__class__ = CjkFriendlyInline
    md.enable("table")
    md.disable("reference")  # `[说明]: 本文…` and `[1]: https://…` are paragraphs, printed as written
    md.disable("text_join")  # escapes stay tokens of their own: printed syntax is told from escaped marks
    md.use(footnote_plugin, inline=False)
    md.use(sub_plugin)
    md.use(superscript_plugin)
    for name in EDITOR_NOTES:
        md.use(container_plugin, name=name, render=_render_editor_note, validate=_names(name))
    md.use(container_plugin, name=BOX, render=_render_box, validate=_names(BOX))
    md.add_render_rule("heading_open", _render_heading_open)
    md.add_render_rule("heading_close", _render_heading_close)
    md.add_render_rule("paragraph_open", _render_paragraph_open)
    md.add_render_rule("paragraph_close", _render_paragraph_close)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("footnote_ref", _render_footnote_call)
    md.add_render_rule("footnote_block_open", lambda *args: "")
    md.add_render_rule("footnote_block_close", lambda *args: "")
    md.add_render_rule("table_open", _render_table_open)
    md.add_render_rule("softbreak", _render_softbreak)
    md.add_render_rule("text_special", lambda self, tokens, idx, options, env: escape(tokens[idx].content))
    return md


def _names(name: str):
    """The container plugin's test of a `:::` line's words: the block's name, then a space, a 【 or nothing."""
    return lambda params, *args: block_name(params) == name


def block_name(params: str) -> str:
    """The block name a `:::` line gives (`框` of `框 【快报延伸】` and of `框【快报延伸】`), or its first word."""
    params = params.strip()
    for name in BLOCK_NAMES:
        if params == name or params.startswith((name + " ", name + "\t", name + "【", name + "[")):
            return name
    return params.split(maxsplit=1)[0] if params else ""


def known_block(params: str) -> str:
    """The name of a `:::` block press knows from the words after its marker, or ""."""
    name = block_name(params)
    return name if name in BLOCK_NAMES else ""


COMMENT = re.compile(r"<!--(?:-?>|.*?-->)", re.S)  # CommonMark 0.31.2: <!-->, <!--->, or <!-- … --> without --> inside
AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\x00-\x20]*"
                      r"|[\w.!#$%&'*+/=?^`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                      r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)>", re.A)
INLINE_LITERAL = re.compile(r"[\\`<]")  # where an escape, a code span, an autolink or a comment may start
BACKTICKS = re.compile(r"`+")
ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")  # a backslash before these escapes them
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
CODE_BLOCKS = ("fence", "code_block")


def block_tokens(md: MarkdownIt, markdown: str, env: dict | None = None) -> list[Token]:
    """The block tokens of a text ("\\n" line ends) without parsing their inline content."""
    tokens: list[Token] = []
    md.block.parse(markdown, md, {} if env is None else env, tokens)
    return tokens


def code_lines(lines: list[str]) -> set[int]:
    """The indexes of the lines in code blocks, as press's parser reads them: fenced (fences included, at
    any depth: in a list, a quote, a ::: block) and indented.  Text there is code, not Markdown."""
    return set(_code_lines("\n".join(lines)))


@lru_cache(maxsize=4)  # the checks of one body ask in turn
def _code_lines(markdown: str) -> frozenset[int]:
    return frozenset(line for token in block_tokens(parser(), markdown) if token.type in CODE_BLOCKS and token.map
                     for line in range(*token.map))


def without_comments(markdown: str) -> str:
    """The Markdown ("\\n" line ends) with its HTML comments (<!-- 编辑备注 -->) taken out, as comment_spans
    finds them; raw HTML is off, so they would print as typed.  Line ends stay, so that lines still count:
    a line that was a comment is blank."""
    kept, last = [], 0
    for start, end in comment_spans(markdown):
        kept.append(markdown[last:start])
        last = end
    return "".join([*kept, markdown[last:]])


def comment_spans(markdown: str) -> list[tuple[int, int]]:
    """Where the HTML comments of an article body ("\\n" line ends) stand, in order, as CommonMark 0.31.2 with
    raw HTML reads them: `<!-->`, `<!--->`, or `<!--`, text without `-->`, then `-->`.

    One that starts a line (after at most 3 spaces) is a block, like CommonMark's HTML block: it may
    interrupt a paragraph and run across blank lines to its `-->`; the rest of that line is text.  Any
    other is inline and ends within its paragraph, heading or table cell.  None is read in a code block
    (fenced or indented), a code span (backtick runs of equal length, across the lines of a paragraph), an
    autolink or after a backslash (`\\<!--`); one never closed is no comment and prints as typed.
    The spans leave out the line ends and the quote marks (`>`) of the lines a comment runs over.
    """
    if "<!--" not in markdown:
        return []
    env: dict = {}
    tokens = block_tokens(_comment_reader(), markdown, env)
    starts = [0] + [match.end() for match in re.finditer("\n", markdown)]
    ends = [start - 1 for start in starts[1:]] + [len(markdown)]
    content = env.get("press_content_starts", {})
    covered: set[int] = set()
    spans: list[tuple[int, int]] = []
    for index, token in enumerate(tokens):
        if not token.map or (token.type == "inline" and tokens[index - 1].type in ("th_open", "td_open")):
            continue
        lines = range(*token.map)
        if token.type in (*CODE_BLOCKS, "press_comment", "inline", "tr_open"):
            covered.update(lines)
        if token.type == "press_comment":
            spans += token.meta["pieces"]
            spans += _inline_comments(markdown, [(token.meta["pieces"][-1][1], ends[lines[-1]])])
        elif token.type == "inline":
            spans += _inline_comments(markdown, [(content.get(line, starts[line]), ends[line]) for line in lines])
        elif token.type == "tr_open":
            for cell in table_cells(markdown, starts[lines[0]], ends[lines[0]]):
                spans += _inline_comments(markdown, [cell])
    for line in sorted(set(range(len(starts))) - covered):  # ::: lines, reference definitions, rules
        spans += _inline_comments(markdown, [(starts[line], ends[line])])
    return sorted(spans)


@cache
def _comment_reader() -> MarkdownIt:
    """press's dialect reading comments that start a line as blocks (see comment_spans), and noting where
    the lines of each paragraph start after their quote marks."""
    md = parser.__wrapped__()
    md.block.ruler.before("html_block", "press_comment", _comment_block,
                          {"alt": ["paragraph", "reference", "blockquote"]})
    for name in ("paragraph", "lheading"):
        md.block.ruler.at(name, _noting_content_starts(next(rule.fn for rule in md.block.ruler.__rules__
                                                             if rule.name == name)))
    return md


def _noting_content_starts(rule):
    def noted(state, start_line: int, end_line: int, silent: bool) -> bool:
        found = rule(state, start_line, end_line, silent)
        if found and not silent:
            starts = state.env.setdefault("press_content_starts", {})
            starts.update({line: state.bMarks[line] for line in range(start_line, state.line)})
        return found
    return noted


def _comment_block(state, start_line: int, end_line: int, silent: bool) -> bool:
    """A comment that starts a line: a block from its `<!--` to the line of its `-->` (CommonMark's HTML block
    of type 2, which would also run an unclosed one to the end of the document: here that is text)."""
    start = state.bMarks[start_line] + state.tShift[start_line]
    if state.is_code_block(start_line) or not state.src.startswith("<!--", start):
        return False
    last, match = start_line, COMMENT.match(state.src, start, state.eMarks[start_line])
    end = match.end() if match else -1
    while end < 0 and last + 1 < end_line:
        last += 1
        if state.sCount[last] < state.blkIndent and not state.isEmpty(last):
            return False  # the list item ends before the comment does
        end = state.src.find("-->", state.bMarks[last] + state.tShift[last], state.eMarks[last])
        end += 3 if end >= 0 else 0
    if end < 0:
        return False
    if not silent:
        token = state.push("press_comment", "", 0)
        token.map = [start_line, last + 1]
        token.meta["pieces"] = [(start if line == start_line else state.bMarks[line],
                                 end if line == last else state.eMarks[line]) for line in range(start_line, last + 1)]
        state.line = last + 1
    return True


def table_cells(markdown: str, start: int, end: int) -> list[tuple[int, int]]:
    """A table row cut at its unescaped pipes (a code span or comment does not cross them)."""
    cuts = [start - 1, *(match.start() for match in UNESCAPED_PIPE.finditer(markdown, start, end)), end]
    return list(zip([cut + 1 for cut in cuts[:-1]], cuts[1:], strict=True))


def _inline_comments(markdown: str, runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The comments in inline text (the ranges of the lines of one paragraph, heading or cell), without
    what lies between the ranges (line ends, quote marks)."""
    spans = []
    for kind, start, end in inline_literals(markdown, runs[0][0], runs[-1][1]):
        if kind == "comment":
            spans += [(max(start, low), min(end, high)) for low, high in runs if low < end and start < high]
    return spans


def inline_literals(markdown: str, start: int, end: int):
    """The code spans and comments of inline text from `start` to `end`, left to right as CommonMark reads
    them (the first to open wins): ("code" or "comment", start, end).  Escapes and autolinks open neither."""
    position = start
    while found := INLINE_LITERAL.search(markdown, position, end):
        position = found.start()
        if found.group() == "\\":
            position += 2 if markdown[position + 1: position + 2] in ESCAPABLE else 1
        elif found.group() == "`":
            run = BACKTICKS.match(markdown, position, end).end() - position
            closing = next((match for match in BACKTICKS.finditer(markdown, position + run, end)
                            if match.end() - match.start() == run), None)
            if closing:
                yield "code", position, closing.end()
            position = closing.end() if closing else position + run
        elif match := COMMENT.match(markdown, position, end):
            yield "comment", position, match.end()
            position = match.end()
        else:
            position = match.end() if (match := AUTOLINK.match(markdown, position, end)) else position + 1


class CjkFriendlyState(StateInline):
    """Emphasis that opens or closes beside Chinese text: 指出**《法案》**将, 说：**“重点。”**随后, 并重。**SiC.

    CommonMark lets `**` beside a punctuation mark open emphasis only after a space or
    punctuation, and close it only before one, which Chinese never writes, so the marks
    printed as typed.  Here a CJK character (Han, or CJK punctuation, “ ” included) outside
    a run counts for opening as a space would, and so does a CJK punctuation mark inside it
    (as in the markdown-cjk-friendly proposal); the same, mirrored, for closing.
    """

    def scanDelims(self, start: int, canSplitWord: bool) -> Scanned:
        end = start
        while end < self.posMax and self.src[end] == self.src[start]:
            end += 1
        last = self.src[start - 1] if start > 0 else " "
        after = self.src[end] if end < self.posMax else " "
        last_space, next_space = isWhiteSpace(ord(last)), isWhiteSpace(ord(after))
        last_punct = isMdAsciiPunct(ord(last)) or isPunctChar(last)
        next_punct = isMdAsciiPunct(ord(after)) or isPunctChar(after)
        left = not next_space and (not next_punct or last_space or last_punct or is_cjk(last) or is_cjk(after))
        right = not last_space and (not last_punct or next_space or next_punct or is_cjk(after) or is_cjk(last))
        return Scanned(left and (canSplitWord or not right or last_punct),
                       right and (canSplitWord or not left or next_punct), end - start)


CJK_AMBIGUOUS = "“”‘’—…·"  # East Asian width "ambiguous", but Chinese punctuation in Chinese text


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def is_cjk(char: str) -> bool:
    """A character of Chinese text: wide (Han, CJK punctuation, full-width forms) or a curly quote, dash, ellipsis."""
    return _wide(char) or char in CJK_AMBIGUOUS


class CjkFriendlyInline(ParserInline):
    """The inline parser with CjkFriendlyState's emphasis rule."""

    def parse(self, src: str, md: MarkdownIt, env, tokens: list[Token]) -> list[Token]:
        state = CjkFriendlyState(src, md, env, tokens)
        self.tokenize(state)
        for rule in self.ruler2.getRules(""):
            rule(state)
        return state.tokens


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
    _mark_narrow_columns(body)
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
    problems += _check_images(body, line_offset)
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


def _check_nesting(tokens: list[Token], line_offset: int) -> list[Problem]:
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


def _check_images(tokens: list[Token], line_offset: int) -> list[Problem]:
    """An image stands alone in its paragraph (it becomes a figure, its text the caption), and its
    caption calls no footnote (the call would not print)."""
    problems = []
    for index, token in enumerate(tokens):
        for child in token.children or [] if token.type == "inline" else []:
            if child.type != "image":
                continue
            line = token.map[0] + 1 + line_offset if token.map else line_offset + 1
            if not tokens[index - 1].meta.get("figure"):
                problems.append((line, 1, "图片须单独成段，成为带图题的插图 (an image must stand alone in its "
                                 "paragraph, where it becomes a figure with its caption)", Kind.INPUT))
            for call in (grand for grand in child.children or [] if grand.type == "footnote_ref"):
                problems.append((line, 1, f"图题中不能引用脚注 [^{call.meta['label']}] (a figure caption cannot call a "
                                 "footnote: put the call in the sentence that refers to the figure)", Kind.INPUT))
    return problems


def _check_containers(lines: list[str], line_offset: int) -> list[Problem]:
    """`::: 编者按` and `::: 框` blocks: a known name, closed, not nested (the plugin would end the
    outer block at the inner one's end, or run an unclosed block to the end of the article)."""
    names = f"{EDITOR_NOTE}、{BOX}"
    problems: list[Problem] = []
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


def _check_links(tokens: list[Token], line_offset: int) -> list[Problem]:
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


def _check_headings(tokens: list[Token], line_offset: int) -> list[Problem]:
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


def _block_id(token: Token) -> str:
    """The id attribute of a numbered block, or nothing."""
    block_id = token.meta.get("block_id")
    return f' id="{block_id}"' if block_id else ""


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


NARROW_COLUMN = 10  # ems (a Han character 1, a Latin one ½): a column no wider is kept on one line
NARROW_TOTAL = 30  # ems: at most this much of a row's width goes to columns kept on one line


def _mark_narrow_columns(tokens: list[Token]) -> None:
    """Cells of a table's short columns (numbers, names, amounts) get class "narrow" (set on one line),
    so that the long columns take the rest of the width, whatever the table's shape."""
    cells: list[list[Token]] = []  # the cells of the current table, row by row
    for index, token in enumerate(tokens):
        if token.type == "table_open":
            cells = []
        elif token.type == "tr_open":
            cells.append([])
        elif token.type in ("th_open", "td_open"):
            cells[-1].append(token)
            token.meta["width"] = _text_width(tokens[index + 1].content)
        elif token.type == "table_close":
            _narrow(cells)


def _narrow(rows: list[list[Token]]) -> None:
    columns = max((len(row) for row in rows), default=0)
    widths = [max((row[column].meta["width"] for row in rows if column < len(row)), default=0.0)
              for column in range(columns)]
    narrow = [column for column, width in enumerate(widths) if width <= NARROW_COLUMN]
    if len(narrow) == columns or sum(widths[column] for column in narrow) > NARROW_TOTAL:
        return  # nothing long to give the width to, or too much kept on one line: the usual layout
    for row in rows:
        for column in narrow:
            if column < len(row):
                row[column].attrJoin("class", "narrow")


def _text_width(markdown: str) -> float:
    """A cell's width in ems, roughly: wide characters count 1, others ½, Markdown marks nothing."""
    text = re.sub(r"\[\^[^\]]*\]|[*_~^`]", "", markdown)
    return sum(1.0 if _wide(char) else 0.5 for char in text.strip())


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


# Render rules ---------------------------------------------------------------


def _render_heading_open(self, tokens, idx, options, env):
    level = min(int(tokens[idx].tag[1]) + HEADING_SHIFT, 6)
    return f'<h{level} class="subhead subhead-{level - HEADING_SHIFT}"{_block_id(tokens[idx])}>'


def _render_heading_close(self, tokens, idx, options, env):
    level = min(int(tokens[idx].tag[1]) + HEADING_SHIFT, 6)
    return f"</h{level}>\n"


def _render_paragraph_open(self, tokens, idx, options, env):
    token = tokens[idx]
    if token.hidden:  # a tight list's item: its text without a paragraph
        return ""
    if token.meta.get("figure"):
        env["press_figure"] = token.meta.get("block_id")
        return f'<figure class="figure"{_block_id(token)}>'
    if token.meta.get("table_caption"):
        return '<caption class="table-caption">'
    label = env.pop("press_run_in", "")  # the 编者按 label runs into the note's first paragraph
    return f"<p{_block_id(token)}>{label}"


def _render_paragraph_close(self, tokens, idx, options, env):
    if tokens[idx].hidden:
        return "\n" if idx + 1 < len(tokens) and tokens[idx + 1].type == "list_item_close" else ""
    if tokens[idx].meta.get("table_caption"):
        return "</caption>\n"
    return "</figure>\n" if tokens[idx].meta.get("figure") else "</p>\n"


def _render_image(self, tokens, idx, options, env):
    """A figure's picture and caption; each gets an id when the figure has one, so that the check can tell
    where the picture stands on its page (from the picture's top to the caption's)."""
    token = tokens[idx]
    src = escape(token.attrGet("src") or "")
    alt = escape(self.renderInlineAsText(token.children or [], options, env))
    figure = env.pop("press_figure", None)
    image_id = f' id="{ids.figure_image_id(figure)}"' if figure else ""
    caption_id = f' id="{ids.figure_caption_id(figure)}"' if figure else ""
    return f'<img src="{src}" alt="{alt}"{image_id}><figcaption{caption_id}>{alt}</figcaption>'


def _render_softbreak(self, tokens, idx, options, env):
    """A line end inside a paragraph: nothing between two characters of Chinese text (a hard-wrapped 硬换\\n行
    must not print as 硬换 行, nor “竞争力”\\n放进 as “竞争力” 放进: CSS Text's rule for wide characters, with
    Chinese quotes counted as such), else a space."""
    before, after = _text_beside(tokens, idx, -1), _text_beside(tokens, idx, 1)
    if not (before and after):
        return "\n"
    last, first = before[-1], after[0]
    chinese = is_cjk(last) and is_cjk(first) and (_wide(last) or _wide(first))
    return "" if chinese or _wide_punctuation(last) or _wide_punctuation(first) else "\n"


def _wide_punctuation(char: str) -> bool:
    """A full-width punctuation mark (，。、：（）…), which carries its own space: 认为，\n2030 is 认为，2030."""
    return _wide(char) and unicodedata.category(char).startswith("P")


def _text_beside(tokens: list[Token], idx: int, step: int) -> str:
    """The text of the nearest text token before (step −1) or after (+1), through emphasis and calls."""
    idx += step
    while 0 <= idx < len(tokens):
        if tokens[idx].type in ("text", "text_special", "code_inline") and tokens[idx].content:
            return tokens[idx].content
        if tokens[idx].type in ("softbreak", "hardbreak", "image"):
            return ""
        idx += step
    return ""


def _render_table_open(self, tokens, idx, options, env):
    return f"<table{_block_id(tokens[idx])}>\n"


def _render_footnote_call(self, tokens, idx, options, env):
    return footnotes.render_call(tokens[idx], env.get("press_footnotes", {}))


def _render_editor_note(self, tokens, idx, options, env):
    if tokens[idx].nesting == 1:
        label = block_name(tokens[idx].info)  # 编者按, or 編者按 as a Traditional issue writes it
        env["press_run_in"] = f'<span class="editor-note-label {ids.GENERATED_CLASS}">{label}：</span>'
        return f'<div class="editor-note"{_block_id(tokens[idx])}>'
    return "</div>\n"


def _render_box(self, tokens, idx, options, env):
    token = tokens[idx]
    if token.nesting == -1:
        return "</aside>\n"
    title = token.info.strip()[len(BOX):].strip()  # 框 【快报延伸】 or 框【快报延伸】
    heading = f'<p class="box-title">{escape(title)}</p>' if title else ""
    return f'<aside class="box"{_block_id(token)}>{heading}'
