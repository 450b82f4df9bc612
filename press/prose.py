"""An article file's prose: its text with everything that is not prose masked, for press lint's rules.

Takes the text of an article file (front matter and Markdown body, "\\n" line ends); gives a
`Prose`: the text as the build reads it (the body without its HTML comments, taken out by
comments.comment_spans as for the build, so that the rules see the build's document), where each of
its characters stands in the file, the kind of each character (TEXT prose, MARK markup a rule
looks through: emphasis, ~sub~, ^sup^, link brackets; SKIP anything else: URLs, code, footnote
labels, container markers, YAML and Markdown syntax), its blocks (paragraphs, headings, table
rows, title and byline) and its URLs, all as offsets into the text.
"""

import re
from dataclasses import dataclass, field

import yaml

from press.cjk import is_han
from press.comments import comment_spans, inline_literals, table_cells
from press.dialect import parser
from press.footnotes import DEFINITION as FOOTNOTE_DEFINITION
from press.yamlfile import FRONT_MATTER

TEXT, MARK, SKIP = 0, 1, 2  # prose; markup a rule looks through; anything else (ends a context)
PROSE_FIELDS = ("title", "byline")
SPACES = " \t\u3000"

LINE_START = re.compile(r"[ \t]*(?:>[ \t]?)*[ \t]*")  # indentation and blockquote marks
LIST_MARKER = re.compile(r"(?:[-+*]|\d{1,9}[.)])(?:[ \t]+|$)")
HEADING_MARKS = re.compile(r"#{1,6}(?:[ \t]+|$)")
HEADING_END = re.compile(r"[ \t]+#+[ \t]*$|[ \t]+$")
URL_CHARS = "[!#-;=?-~\uff0e\uff0f\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]"  # and full-width look-alikes
INLINE = re.compile(rf"""
    (?P<escape>\\[!-/:-@\[-`{{-~])
  | (?P<entity>&(?:\#\d{{1,7}}|\#[xX][0-9a-fA-F]{{1,6}}|[A-Za-z][A-Za-z0-9]{{1,31}});)
  | <(?P<autolink>(?:[A-Za-z][A-Za-z0-9+.-]{{1,31}}:|www\.)[^<>\n]*)>
  | (?P<note>\[\^[^\]\s]+\])
  | \]\((?P<destination>[^()\n]*(?:\([^()\n]*\)[^()\n]*)*)\)
  | (?<![A-Za-z0-9+.-])(?P<url>(?:https?|ftp):{URL_CHARS}+|www\.{URL_CHARS}+)
  | (?P<mark>[*_~^\[\]]|!(?=\[))
""", re.X)
LOOKS_LIKE_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://|www\.|mailto:", re.I)
LINK_TITLE = re.compile(r"""\s+(?:"[^"]*"|'[^']*'|\([^)]*\))\s*$""")


# Characters ------------------------------------------------------------------------------------


def is_fullwidth_alnum(char: str) -> bool:
    return "０" <= char <= "９" or "Ａ" <= char <= "Ｚ" or "ａ" <= char <= "ｚ"


def is_chinese(char: str) -> bool:
    """Han, CJK punctuation or a full-width mark: a sign that the text around is Chinese."""
    if not char:
        return False
    code = ord(char)
    return is_han(char) or ((0x3001 <= code <= 0x303F or 0xFF01 <= code <= 0xFF65)
                            and not is_fullwidth_alnum(char))


# Prose: a file's text with everything that is not prose masked ---------------------------------


@dataclass
class Prose:
    """A file's text as the build reads it, where each of its characters stands in the file, the kind of
    each character, its blocks and its URLs (offsets into `text`)."""

    text: str
    kinds: bytearray
    origin: list[int]  # the offset in the file of each character of `text`, then the file's length
    blocks: list[tuple[int, int]] = field(default_factory=list)  # paragraphs, headings, rows, titles
    urls: list[tuple[int, int]] = field(default_factory=list)

    def near(self, index: int, step: int, spaces: bool = True) -> int | None:
        """The nearest prose character before (step −1) or after (+1) `index`, looking through
        markup and, when `spaces`, spaces; None where masked text or a line end comes first."""
        index += step
        while 0 <= index < len(self.text) and self.kinds[index] != SKIP:
            if self.kinds[index] == TEXT and not (spaces and self.text[index] in SPACES):
                return index
            index += step
        return None

    def char(self, index: int | None) -> str:
        return "" if index is None else self.text[index]

    def mark(self, start: int, end: int, kind: int) -> None:
        """Raise the kind of a range (prose → markup → masked; never back)."""
        for index in range(start, end):
            self.kinds[index] = max(self.kinds[index], kind)

    def block_start(self, index: int) -> int:
        return next((start for start, end in self.blocks if start <= index < end), 0)

    def file_ranges(self, start: int, end: int) -> list[tuple[int, int]]:
        """The ranges of the file that hold text[start:end] (more than one where comments come between)."""
        ranges: list[tuple[int, int]] = []
        for at in self.origin[start:end]:
            if ranges and ranges[-1][1] == at:
                ranges[-1] = (ranges[-1][0], at + 1)
            else:
                ranges.append((at, at + 1))
        return ranges


def as_built(text: str) -> tuple[str, list[int]]:
    """An article file's text as the build reads it: the front matter, then the body without its HTML
    comments (comments.comment_spans, as comments.without_comments takes them out); and the offset in
    `text` of each of its characters, then the length of `text`."""
    match = FRONT_MATTER.match(text)
    body = match.end() if match else 0
    pieces, origin, last = [], [], 0
    for start, end in [*comment_spans(text[body:]), (len(text) - body, len(text) - body)]:
        pieces.append(text[last:body + start])
        origin += range(last, body + start)
        last = body + end
    return "".join(pieces), [*origin, len(text)]


def prose(file_text: str) -> Prose:
    """Mask an article file (front matter and Markdown body, "\\n" line ends) down to its prose, as the
    build reads it (without its comments)."""
    text, origin = as_built(file_text)
    result = Prose(text, bytearray([SKIP]) * len(text), origin)
    body_start = 0
    if match := FRONT_MATTER.match(text):
        body_start = match.end()
        for start, end in front_matter_spans(match.group(1) or ""):
            result.kinds[match.start(1) + start: match.start(1) + end] = bytes(end - start)
            result.blocks.append((match.start(1) + start, match.start(1) + end))
    starts = line_starts(text)
    first = text.count("\n", 0, body_start)
    inline: set[int] = set()  # the lines of paragraphs, headings and table rows
    syntax: dict[int, set[str]] = {}  # line → the syntax it starts with: "list", "heading", "row"
    code: list[tuple[int, int]] = []  # code spans, which run across the lines of a paragraph
    for token in parser().parse(text[body_start:], {}):
        if token.map and token.type in ("list_item_open", "heading_open", "tr_open"):
            what = {"list_item_open": "list", "tr_open": "row"}.get(token.type, "heading")
            if what != "heading" or token.markup.startswith("#"):
                syntax.setdefault(token.map[0] + first, set()).add(what)
        if token.type == "inline" and token.map:
            span = range(token.map[0] + first, token.map[1] + first)
            inline.update(span)
            block = (starts[span[0]], line_end(text, starts, span[-1]))
            if block not in result.blocks:
                result.blocks.append(block)
                pieces = table_cells(text, *block) if "row" in syntax.get(span[0], ()) else [block]
                code += [(start, end) for piece in pieces for kind, start, end in inline_literals(text, *piece)
                         if kind == "code"]
    for line in sorted(inline):
        open_line(result, starts[line], line_end(text, starts, line), syntax.get(line, set()), code)
    return result


def open_line(result: Prose, start: int, end: int, what: set[str], code: list[tuple[int, int]]) -> None:
    """Make a line of a paragraph, heading or table row prose, except its Markdown syntax and `code`."""
    line = result.text[start:end]
    position = LINE_START.match(line).end()
    while "list" in what and (marker := LIST_MARKER.match(line, position)):
        position = LINE_START.match(line, marker.end()).end()
    if "heading" in what and (marks := HEADING_MARKS.match(line, position)):
        position = marks.end()
    if definition := FOOTNOTE_DEFINITION.match(line):
        position = max(position, LINE_START.match(line, definition.end()).end())
    tail = HEADING_END.search(line, position) if "heading" in what else re.search(r"[ \t]+$", line)
    stop = tail.start() if tail else len(line)
    result.kinds[start + position: start + stop] = bytes(max(stop - position, 0))
    if "row" in what:
        for index in range(start + position, start + stop):
            if result.text[index] == "|":
                result.kinds[index] = SKIP
    cuts = [start + position]
    for low, high in code:
        if low < start + stop and start + position < high:
            cuts += [max(low, start + position), min(high, start + stop)]
            result.mark(cuts[-2], cuts[-1], SKIP)
    for low, high in zip(cuts[0::2], [*cuts[1::2], start + stop], strict=True):
        mask_inline(result, low, high)


def mask_inline(result: Prose, start: int, end: int) -> None:
    """Mask URLs, footnote calls, escapes and entities; mark emphasis and link brackets (in text
    without code)."""
    position = start
    while match := INLINE.search(result.text, position, end):
        kind, stop = (MARK if match.lastgroup == "mark" else SKIP), match.end()
        if match.group("url"):
            url_start, stop = match.start("url"), match.start("url") + len(trim_url(match["url"]))
            result.urls.append((url_start, stop))
        elif match.group("autolink") is not None:
            result.urls.append(match.span("autolink"))
        elif match.group("destination") is not None:
            destination = match["destination"].strip()
            if destination.startswith("<") and ">" in destination:
                destination = destination[1:destination.index(">")]
            elif title := LINK_TITLE.search(destination):
                destination = destination[:title.start()]
            if LOOKS_LIKE_URL.match(destination):
                offset = match.start("destination") + match["destination"].index(destination)
                result.urls.append((offset, offset + len(destination)))
        result.mark(match.start(), stop, kind)
        position = max(stop, match.start() + 1)


def trim_url(url: str) -> str:
    """A bare URL without the punctuation that ends the sentence around it (as GFM does)."""
    while url and (url[-1] in "?!.,:;*_~'\"" or (url[-1] == ")" and url.count(")") > url.count("("))):
        url = url[:-1]
    return url


def front_matter_spans(front: str) -> list[tuple[int, int]]:
    """Where the title and byline stand in the front matter, when their text is the value itself
    (a plain or quoted one-line scalar without escapes), so that editing it edits the value."""
    try:
        node = yaml.compose(front, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    spans = []
    for key, value in node.value if isinstance(node, yaml.MappingNode) else []:
        if key.value not in PROSE_FIELDS or not isinstance(value, yaml.ScalarNode):
            continue
        start, end = value.start_mark.index, value.end_mark.index
        if value.style in ("'", '"'):
            start, end = start + 1, end - 1
        if (value.style in (None, "'", '"') and value.tag == "tag:yaml.org,2002:str"
                and front[start:end] == value.value and "\n" not in value.value):
            spans.append((start, end))
    return spans


def line_starts(text: str) -> list[int]:
    return [0] + [match.end() for match in re.finditer("\n", text)]


def line_end(text: str, starts: list[int], line: int) -> int:
    return starts[line + 1] - 1 if line + 1 < len(starts) else len(text)
