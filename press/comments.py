"""HTML comments in an article's Markdown, read where CommonMark reads them, and taken out.

Takes an article body ("\\n" line ends); `without_comments` returns it with its comments (<!-- 编辑备注 -->)
taken out and its line ends kept, as the build reads it; `comment_spans` says where they stand.  A comment
is never read inside code (spans, fenced and indented blocks) or an autolink: the document's blocks come
from press's own parser (press.dialect).  `inline_literals` and `table_cells` are the scanners the lint's
prose reading shares.
"""

import re
from functools import cache, lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from press.dialect import parser

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
