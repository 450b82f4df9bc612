"""The Markdown dialect of press issue files: the parser, and how each construct becomes HTML.

CommonMark plus footnotes, pipe tables, sub- and superscripts and the 编者按 / 框 blocks; raw HTML
off; link reference definitions off, so `[1]: https://…` prints as written; escapes kept as tokens of
their own, so that an escaped mark is told from printed syntax; emphasis that opens and closes beside
Chinese text.  `parser()` gives the one parser every stage uses (markup renders with it, comments and
prose read the document's blocks with it); the render rules here make the HTML press lays out: block
ids, figures with their picture's and caption's ids, footnote calls, the editor's note and the box.
"""

import re
import unicodedata
from functools import cache
from html import escape

from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.parser_inline import ParserInline
from markdown_it.rules_inline.state_inline import Scanned, StateInline
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.subscript import sub_plugin
from mdit_py_plugins.superscript import superscript_plugin

from press import footnotes, ids

EDITOR_NOTE = "编者按"
EDITOR_NOTES = (EDITOR_NOTE, "編者按")  # a Traditional issue writes (and prints) it in its own characters
BOX = "框"
BLOCK_NAMES = (*EDITOR_NOTES, BOX)
HEADING_SHIFT = 2  # h1 is the section, h2 the article title; `#` in a body is h3
PARSER_NESTING = 100  # markdown-it's own limit (it drops everything past it): far above markup's MAX_NESTING


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
    md.inline.ruler.after("image", "figure_attributes", _figure_attributes)
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


ATTRIBUTE_BLOCK = re.compile(r"\{([^{}\n]*)\}")


def _figure_attributes(state: StateInline, silent: bool) -> bool:
    """`{width=60%}` right after an image: its text goes to the image's meta["attributes"] (markup reads and
    checks it), none of it to the page.  Without its `}` on the line it is left as text (markup reports it)."""
    if state.src[state.pos] != "{" or state.pending or not state.tokens or state.tokens[-1].type != "image":
        return False
    block = ATTRIBUTE_BLOCK.match(state.src, state.pos, state.posMax)
    if block is None:
        return False
    if not silent:
        state.tokens[-1].meta["attributes"] = block.group(1)
    state.pos = block.end()
    return True


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
        chinese = in_chinese_text(last) or in_chinese_text(after)  # either side: 指出**《  并重。**SiC
        left = not next_space and (not next_punct or last_space or last_punct or chinese)
        right = not last_space and (not last_punct or next_space or next_punct or chinese)
        return Scanned(left and (canSplitWord or not right or last_punct),
                       right and (canSplitWord or not left or next_punct), end - start)


CJK_AMBIGUOUS = "“”‘’—…·"  # East Asian width "ambiguous", but Chinese punctuation in Chinese text


def wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def in_chinese_text(char: str) -> bool:
    """A character of Chinese text: wide (Han, CJK punctuation, full-width forms) or a curly quote, dash, ellipsis."""
    return wide(char) or char in CJK_AMBIGUOUS


class CjkFriendlyInline(ParserInline):
    """The inline parser with CjkFriendlyState's emphasis rule."""

    def parse(self, src: str, md: MarkdownIt, env, tokens: list[Token]) -> list[Token]:
        state = CjkFriendlyState(src, md, env, tokens)
        self.tokenize(state)
        for rule in self.ruler2.getRules(""):
            rule(state)
        return state.tokens


def _block_id(token: Token) -> str:
    """The id attribute of a numbered block, or nothing."""
    block_id = token.meta.get("block_id")
    return f' id="{block_id}"' if block_id else ""


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
        width = token.meta.get("figure_width")
        style = f' style="{ids.FIGURE_WIDTH}: {width}"' if width else ""
        return f'<figure class="figure"{_block_id(token)}{style}>'
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
    chinese = in_chinese_text(last) and in_chinese_text(first) and (wide(last) or wide(first))
    return "" if chinese or _wide_punctuation(last) or _wide_punctuation(first) else "\n"


def _wide_punctuation(char: str) -> bool:
    """A full-width punctuation mark (，。、：（）…), which carries its own space: 认为，\n2030 is 认为，2030."""
    return wide(char) and unicodedata.category(char).startswith("P")


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
    classes = f"box {ids.SHORT_BOX_CLASS}" if token.meta.get("short") else "box"
    return f'<aside class="{classes}"{_block_id(token)}>{heading}'
