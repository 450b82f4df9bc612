"""Source text → the HTML press lays out: nothing of the text lost, no Markdown printed as text.

Takes one article's Markdown body (comments already taken out), the tokens markdown-it made of it,
the HTML press rendered from them and its footnotes; returns problems at the lines of the file:

* **text lost** — letters and digits of the source's prose (paragraphs, headings, list items, table
  cells, captions, quotes, code, footnote texts) that the HTML does not hold, whatever construct
  dropped them (a paragraph read as a link reference, lists nested past the parser's limit …);
* **Markdown printed** — letters the HTML holds that the source's prose does not (an image's file name
  printed with its Markdown), and Markdown marks left in the text that will print as typed (`**` that
  did not pair, `[^a]`, `](`, `:::`, a `#` heading without its space, a table the parser did not read).

The source's letters are read from its lines, not from the parser's tokens, so a construct the parser
reads otherwise than press expects cannot hide what it does: the tokens only say where the syntax
of lists and code blocks stands, so that list numbers and code fences' languages are not taken for text.
Letters are compared as a whole (order aside, a note's text stands where it is defined in the source
and where it is called in the HTML); only when they differ is the difference placed at its lines.
"""

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from html import unescape
from html.parser import HTMLParser
from itertools import pairwise

from markdown_it.token import Token

from press import ids
from press.cjk import is_han
from press.dialect import ATTRIBUTE_BLOCK
from press.errors import Kind, LineProblem
from press.model import Footnote

ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
ASCII_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
CONTAINER = re.compile(r"^ {0,3}:{3,}[ \t]*(.*)$")
DEFINITION_LABEL = re.compile(r"^[ \t>]*\[\^[^\]\s]+\]:")
ORDERED_MARKER = re.compile(r"[ \t>]*(\d{1,9})[.)](?=[ \t]|$)")
BULLET_MARKER = re.compile(r"[ \t>]*[-+*](?=[ \t]|$)")
VOID = {"img", "br", "hr", "wbr", "col", "input", "meta", "link", "source"}
MOST_PROBLEMS = 5  # per article: the first differences say what went wrong
PREVIEW = 24



@dataclass(frozen=True)
class Letter:
    """A letter or digit and where it stands: a line of the body (from 1) and a column (from 1)."""

    char: str
    line: int
    column: int


@dataclass
class SourceText:
    """What the body's prose holds: its letters and digits, and the characters its entities stand for."""

    letters: list[Letter] = field(default_factory=list)
    entities: list[Letter] = field(default_factory=list)  # each &…; outside code, as the characters it prints


def check(source: SourceText, lines: list[str], tokens: list[Token], html: str, notes: list[Footnote],
          line_offset: int) -> list[LineProblem]:
    """Every problem of text lost or Markdown printed, at file lines (`line_offset` lines precede the body),
    one per line at most."""
    found = lost_or_added(source.letters, html_letters(html, notes, line_offset), lines, line_offset)
    found += printed_syntax(tokens, line_offset)
    kept, seen = [], set()
    for problem in found:
        if problem[0] not in seen:
            seen.add(problem[0])
            kept.append(problem)
    return kept[:MOST_PROBLEMS]


# The source's letters --------------------------------------------------------------------------


def read_source(lines: list[str], tokens: list[Token], block_name: Callable[[str], str]) -> SourceText:
    """The letters and digits of the body's prose in file order, Markdown syntax left out (`block_name`
    names a `:::` block press knows from the words after its marker, "" for any other), and its entities."""
    code, fences = code_block_lines(tokens)
    markers = list_markers(tokens)
    source = SourceText()
    chunk: list[int] = []
    for index, line in enumerate(lines):
        if index in code or index in fences or not line.strip():
            read_prose(lines, chunk, markers, block_name, source)
            chunk = []
            if index in code:
                source.letters += [Letter(char, index + 1, column) for column, char in enumerate(line, start=1)
                                   if char.isalnum()]
        else:
            chunk.append(index)
    read_prose(lines, chunk, markers, block_name, source)
    return source


def code_block_lines(tokens: list[Token]) -> tuple[set[int], set[int]]:
    """(lines of code, printed as they are; lines of code fences, whose language is not printed)."""
    code, fences = set(), set()
    for token in tokens:
        if token.type == "code_block" and token.map:
            code.update(range(*token.map))
        elif token.type == "fence" and token.map:
            start, end = token.map
            inside = token.content.count("\n")
            fences.add(start)
            code.update(range(start + 1, min(start + 1 + inside, end)))
            fences.update(range(start + 1 + inside, end))
    return code, fences


def list_markers(tokens: list[Token]) -> dict[int, list[Token]]:
    """Line index → the list items that start on it, in order (their markers are syntax)."""
    markers: dict[int, list[Token]] = {}
    for token in tokens:
        if token.type == "list_item_open" and token.map:
            markers.setdefault(token.map[0], []).append(token)
    return markers


def without_line_syntax(line: str, items: list[Token], block_name: Callable[[str], str]) -> str:
    """A line with its block syntax blanked: a `:::` block's marker and name, list numbers, a note's label."""
    if container := CONTAINER.match(line):
        words = container.group(1).strip()
        title = words[len(block_name(words)):]
        return " " * (len(line) - len(title)) + title
    position = 0
    for item in items:
        pattern = ORDERED_MARKER if item.markup in ".)" else BULLET_MARKER
        match = pattern.match(line, position)
        if match is None:
            break
        if match.lastindex:
            line = line[:match.start(1)] + " " * len(match.group(1)) + line[match.end(1):]
        position = match.end()
    if label := DEFINITION_LABEL.match(line):
        line = " " * label.end() + line[label.end():]
    return line


def read_prose(lines: list[str], chunk: list[int], markers: dict[int, list[Token]],
               block_name: Callable[[str], str], source: SourceText) -> None:
    """Add the letters of consecutive lines of prose to `source`: code spans as written, calls, link
    targets and escapes left out, entities as the characters they stand for."""
    if not chunk:
        return
    text, places = "", []
    for index in chunk:
        line = without_line_syntax(lines[index], markers.get(index, []), block_name)
        text += line + "\n"
        places += [(index + 1, column) for column in range(1, len(line) + 2)]
    letters = source.letters

    def emit(chars: str, at: int) -> None:
        letters.extend(Letter(char, *places[at]) for char in chars if char.isalnum())

    position = 0
    images: list[bool] = []  # per open bracket: whether it opens an image's text (`![`)
    while position < len(text):
        char = text[position]
        if char == "\\" and text[position + 1:position + 2] in ASCII_PUNCT:
            position += 2
        elif char == "`":
            position = code_span(text, position, emit)
        elif text.startswith("[^", position) and (close := text.find("]", position)) > 0 and \
                re.fullmatch(r"\[\^[^\]\s]+", text[position:close]):
            position = close + 1
        elif text.startswith("](", position) and (close := destination_end(text, position + 2)) is not None:
            image = images.pop() if images else False
            block = ATTRIBUTE_BLOCK.match(text, close) if image else None  # `{width=60%}`: the image's, not text
            position = block.end() if block else close
        elif char == "[":
            images.append(text[position - 1:position] == "!")
            position += 1
        elif char == "]":
            if images:
                images.pop()
            position += 1
        elif char == "&" and (entity := ENTITY.match(text, position)):
            emit(unescape(entity.group()), position)
            source.entities.append(Letter(unescape(entity.group()), *places[position]))
            position = entity.end()
        else:
            emit(char, position)
            position += 1


def code_span(text: str, start: int, emit) -> int:
    """Read a code span (or a lone run of backticks) at `start`; its letters are printed as written."""
    end = start
    while end < len(text) and text[end] == "`":
        end += 1
    run = text[start:end]
    close = end
    while (close := text.find(run, close)) >= 0:
        if text[close + len(run):close + len(run) + 1] != "`" and text[close - 1] != "`":
            for offset, char in enumerate(text[end:close]):
                emit(char, end + offset)
            return close + len(run)
        close += len(run)
    return end


def destination_end(text: str, start: int) -> int | None:
    """Where a link's or an image's `(destination "title")` ends (after its `)`), or None if it does not end
    on its line."""
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    position = start
    while position < line_end and text[position] in " \t":
        position += 1
    if position < line_end and text[position] == "<":
        closing = text.find(">", position, line_end)
        if closing < 0:
            return None
        position = closing + 1
    depth = 0
    while position < line_end:
        char = text[position]
        if char == "\\":
            position += 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return position + 1
            depth -= 1
        position += 1
    return None


# The HTML's letters ------------------------------------------------------------------------------


class HtmlLetters(HTMLParser):
    """The letters and digits of an article body's HTML, each with the source line of its block or note.

    Text press generates (the 编者按： label) is left out; a footnote's text belongs to the line of its
    definition, the rest to the line of its top-level block.
    """

    def __init__(self, note_lines: dict[int, int]):
        super().__init__(convert_charrefs=True)
        self.note_lines = note_lines
        self.letters: list[tuple[int, str]] = []  # (source line, letter)
        self.depth = 0
        self.block_line = 0
        self.skip_depth: int | None = None
        self.note: tuple[int, int] | None = None  # (depth at which the note opened, its line)

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        ident = attributes.get("id") or ""
        if self.depth == 0 and (source := ids.block_source(ident)):
            self.block_line = source[1]
        if ids.GENERATED_CLASS in classes and self.skip_depth is None:
            self.skip_depth = self.depth
        if ids.NOTE_CLASS in classes and (number := ids.note_number(ident)) is not None:
            self.note = (self.depth, self.note_lines.get(number, self.block_line))
        self.depth += 1

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        self.depth = max(0, self.depth - 1)
        if self.skip_depth == self.depth:
            self.skip_depth = None
        if self.note and self.note[0] == self.depth:
            self.note = None

    def handle_data(self, data):
        if self.skip_depth is not None:
            return
        line = self.note[1] if self.note else self.block_line
        self.letters += [(line, char) for char in data if char.isalnum()]


def html_letters(html: str, notes: list[Footnote], line_offset: int) -> list[tuple[int, str]]:
    """(file line, letter) of the body's HTML, ordered by line (a note's text at its definition)."""
    reader = HtmlLetters({note.number: note.line for note in notes})
    reader.feed(html)
    reader.close()
    return sorted(reader.letters, key=lambda item: item[0])


# Comparing ---------------------------------------------------------------------------------------


def lost_or_added(source: list[Letter], printed: list[tuple[int, str]], lines: list[str],
                  line_offset: int) -> list[LineProblem]:
    """Problems where the letters of the source and of the HTML differ (not merely in order)."""
    wanted, got = "".join(letter.char for letter in source), "".join(char for _, char in printed)
    if wanted == got or Counter(wanted) == Counter(got):
        return []
    missing, extra = Counter(wanted) - Counter(got), Counter(got) - Counter(wanted)
    problems: list[LineProblem] = []
    matcher = SequenceMatcher(None, wanted, got, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("delete", "replace") and take(missing, wanted[i1:i2]):
            first = source[i1]
            problems.append((first.line + line_offset, first.column, lost_message(lines[first.line - 1],
                                                                                  first.column), Kind.TEXT_LOST))
        if tag in ("insert", "replace") and take(extra, got[j1:j2]):
            near = source[min(i1, len(source) - 1)] if source else None
            line = near.line + line_offset if near else printed[j1][0]
            shown = lines[line - line_offset - 1] if 0 < line - line_offset <= len(lines) else got[j1:j2]
            problems.append((line, 1, printed_message(shown.strip(), got[j1:j2]), Kind.SYNTAX_PRINTED))
    return problems


def take(pool: Counter, chars: str) -> bool:
    """Take from `pool` the characters of `chars` it holds; whether it held any."""
    taken = False
    for char in chars:
        if pool[char] > 0:
            pool[char] -= 1
            taken = True
    return taken


def lost_message(line: str, column: int) -> str:
    text = line[column - 1:].strip()
    preview = text[:PREVIEW] + ("…" if len(text) > PREVIEW else "")
    return (f"这段文字不会印出：“{preview}” (this text would not reach the page: the Markdown around it does not "
            "read as press reads it; see README's Markdown reference)")


def printed_message(line: str, letters: str) -> str:
    preview = line[:40] + ("…" if len(line) > 40 else "")
    return (f"Markdown 记号会原样印出：“{preview}” (Markdown would print as typed: “{letters[:PREVIEW]}” is not text "
            "of the source's prose; see README's Markdown reference)")


# Markdown left in the text -----------------------------------------------------------------------

URL = re.compile(r"(?:https?|ftp)://\S+|www\.\S+")
DELIMITER_ROW = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$")
PRINTED_MARKS = (
    (re.compile(r"\[\^[^\]\s]+\]"), "脚注引用", "a footnote call"),
    (re.compile(r"\]\("), "链接或图片", "link or image syntax (a space in the file name? write ![…](<file name.png>))"),
    (re.compile(r":::"), "::: 块标记", "a ::: block marker (it must stand at the start of its own line)"),
    (re.compile(r"<!--"), "注释", "an HTML comment that is not closed with -->"),
    (re.compile(r"~[^\s~]+~"), "下标记号 ~", "~ marks (~x~ for a subscript)"),
    (re.compile(r"\^[^\s^\[]+\^"), "上标记号 ^", "^ marks (^x^ for a superscript)"),
)


def printed_syntax(tokens: list[Token], line_offset: int) -> list[LineProblem]:
    """Markdown marks left in the text that would print as typed; an escaped mark (\\*) is text."""
    problems = []
    for index, token in enumerate(tokens):
        if token.type != "inline" or not token.map:
            continue
        paragraph = index > 0 and tokens[index - 1].type == "paragraph_open"
        for child, line in text_children(token):
            message = syntax_in(child.content, first=paragraph and line == token.map[0] and child is first_text(token))
            if message:
                problems.append((line + 1 + line_offset, 1, message, Kind.SYNTAX_PRINTED))
        children = token.children or []
        if any(a.type == "text" and a.content.endswith("~") and b.type == "sub_open" for a, b in pairwise(children)):
            problems.append((token.map[0] + 1 + line_offset, 1, printed_mark(
                "删除线记号 ~~", "~~ for strikethrough, which press does not set: it would print a subscript between "
                "two tildes", "~~"), Kind.SYNTAX_PRINTED))
    return problems


def text_children(token: Token):
    """(child, body line index) of an inline token's text children, images' captions included."""
    line = token.map[0]
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "text":
            yield child, line
        elif child.type == "image":
            yield from ((grand, line) for grand in child.children or [] if grand.type == "text")


def first_text(token: Token) -> Token | None:
    return next((child for child in token.children or [] if child.type == "text"), None)


def syntax_in(text: str, first: bool) -> str | None:
    """What Markdown a piece of printed text holds, as a message; None if none."""
    prose = URL.sub(" ", text)
    for pattern, chinese, english in PRINTED_MARKS:
        if match := pattern.search(prose):
            return printed_mark(chinese, english, match.group())
    if unpaired(prose, "*"):
        return printed_mark("强调记号 *", "* or ** that do not pair (write \\* for an asterisk)", "*")
    if unpaired(prose, "_", intraword_ok=True):
        return printed_mark("强调记号 _", "_ or __ that do not pair (write \\_ for an underscore)", "_")
    if (first and (heading := re.match(r"#{1,6}(?=[^\s#])", text)) and not text[heading.end()].isascii()
            and not re.match(r"#[^#\s]+#", text)):  # a hashtag as Weibo writes it, #碳中和#, is text
        return printed_mark("标题记号 #", "a # heading needs a space after its #", heading.group())
    if DELIMITER_ROW.match(text):
        return printed_mark("表格", "a table that does not read as one: its header row and its --- row need as "
                            "many cells", text.strip()[:20])
    return None


def printed_mark(chinese: str, english: str, mark: str) -> str:
    return f"{chinese}会原样印出：“{mark}” (Markdown would print as typed: {english})"


def unpaired(text: str, mark: str, intraword_ok: bool = False) -> bool:
    """Whether two or more runs of `mark` stand in one printed text where emphasis could have been meant, or
    one run of `**` (a strong that never closed: **草案的主要内容): runs with spaces on both sides are
    arithmetic, runs inside a word (file_name) are not emphasis, and for `_` runs of three or more are
    blanks to fill in (姓名____，电话____)."""
    runs = 0
    for run in re.finditer(re.escape(mark) + "+", text):
        if intraword_ok and len(run.group()) > 2:
            continue
        before = text[run.start() - 1] if run.start() else " "
        after = text[run.end()] if run.end() < len(text) else " "
        if before.isspace() and after.isspace():
            continue
        if intraword_ok and before.isalnum() and after.isalnum() and not has_han(before + after):
            continue
        if not intraword_ok and len(run.group()) == 2:
            return True
        runs += 1
    return runs >= 2


def has_han(text: str) -> bool:
    return any(is_han(char) for char in text)
