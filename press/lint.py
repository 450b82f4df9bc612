"""Editorial lint of an issue's text (`press lint`): the slips an editor wants caught before print.

Takes an issue folder and reads the article files issue.yaml lists: their Markdown bodies and
the `title` and `byline` of their front matter.  `lint_issue` returns findings, each with file,
line, column (in characters), a bilingual message and a stable rule id; `fix_issue` corrects in
place what can be corrected safely, leaving every other byte of the files as it was.

Only prose is examined.  `prose` masks the rest first: URLs, code, footnote labels, container
markers, YAML and Markdown syntax.  Emphasis, ~sub~, ^sup^ and link brackets are transparent (a
rule looks through them, so `MoS~2~` stays one word); anything else masked ends the context.
Each rule is a pure function of a `Prose` that returns `Hit`s with offsets; `locate` turns hits
into findings at file:line:col, and `Source.apply` makes the fixes.
"""

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from press.atomic import replacing
from press.cjk import is_han, is_latin, needs_space
from press.errors import InputError, display_path
from press.load import FRONT_MATTER, ISSUE_FILE, Problems, article_names, load_issue, read_yaml
from press.markup import FOOTNOTE_DEFINITION, parser

TEXT, MARK, SKIP = 0, 1, 2  # prose; markup a rule looks through; anything else (ends a context)
PROSE_FIELDS = ("title", "byline")
FOOTNOTE_RULES = {"(footnote call without text)": "footnote-missing",
                  "(footnote text never called)": "footnote-unused"}  # glosses of press.markup
FULL_WIDTH = dict(zip(",;:!?()", "，；：！？（）", strict=True))
SPACES = " \t\u3000"
HAN_NUMERALS = "一二三四五六七八九十"
MAX_PASSES = 8  # fixes that make room for other fixes (e.g. ＡＢ → AB → a space) settle in 2–3

LINE_START = re.compile(r"[ \t]*(?:>[ \t]?)*[ \t]*")  # indentation and blockquote marks
LIST_MARKER = re.compile(r"(?:[-+*]|\d{1,9}[.)])(?:[ \t]+|$)")
HEADING_MARKS = re.compile(r"#{1,6}(?:[ \t]+|$)")
HEADING_END = re.compile(r"[ \t]+#+[ \t]*$|[ \t]+$")
URL_CHARS = "[!#-;=?-~\uff0e\uff0f\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]"  # and full-width look-alikes
INLINE = re.compile(rf"""
    (?P<code>(?P<ticks>`+).*?(?<!`)(?P=ticks)(?!`))
  | (?P<escape>\\[!-/:-@\[-`{{-~])
  | (?P<entity>&(?:\#\d{{1,7}}|\#[xX][0-9a-fA-F]{{1,6}}|[A-Za-z][A-Za-z0-9]{{1,31}});)
  | <(?P<autolink>(?:[A-Za-z][A-Za-z0-9+.-]{{1,31}}:|www\.)[^<>\n]*)>
  | (?P<note>\[\^[^\]\s]+\])
  | \]\((?P<destination>[^()\n]*(?:\([^()\n]*\)[^()\n]*)*)\)
  | (?<![A-Za-z0-9+.-])(?P<url>(?:https?|ftp):{URL_CHARS}+|www\.{URL_CHARS}+)
  | (?P<mark>[*_~^\[\]]|!(?=\[))
""", re.X)
LOOKS_LIKE_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://|www\.|mailto:", re.I)
LINK_TITLE = re.compile(r"""\s+(?:"[^"]*"|'[^']*'|\([^)]*\))\s*$""")
HOST_LABEL = re.compile(r"(?!-)[^\W_]+(?:-+[^\W_]+)*$")
ENUMERATOR = re.compile(rf"[(（][ \t]*(\d{{1,2}}|[{HAN_NUMERALS}]{{1,3}})[ \t]*[)）]"
                        r"|[\u2474-\u2487\u3220-\u3229]")  # ⑴…⒇, ㈠…㈩


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
    """A file's text, the kind of each of its characters, its blocks and its URLs (offsets)."""

    text: str
    kinds: bytearray
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


def prose(text: str) -> Prose:
    """Mask an article file (front matter and Markdown body, "\\n" line ends) down to its prose."""
    result = Prose(text, bytearray([SKIP]) * len(text))
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
    for line in sorted(inline):
        open_line(result, starts[line], line_end(text, starts, line), syntax.get(line, set()))
    return result


def open_line(result: Prose, start: int, end: int, what: set[str]) -> None:
    """Make a line of a paragraph, heading or table row prose, except its Markdown syntax."""
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
    mask_inline(result, start + position, start + stop)


def mask_inline(result: Prose, start: int, end: int) -> None:
    """Mask code, URLs, footnote calls, escapes and entities; mark emphasis and link brackets."""
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


# Findings --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    """Replace text[start:end] by `text`."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Hit:
    """What a rule found in a text: its range (offsets), rule id, message and fix, if any."""

    start: int
    end: int
    rule: str
    message: str
    fix: Edit | None = None


@dataclass(frozen=True, order=True)
class Finding:
    """A hit placed in its file: line and column from 1, the column counted in characters."""

    path: Path
    line: int
    column: int
    message: str
    rule: str

    def __str__(self) -> str:
        return f"{display_path(self.path)}:{self.line}:{self.column}: {self.message} [{self.rule}]"


def locate(path: Path, text: str, hits: Iterable[Hit]) -> list[Finding]:
    """The hits as findings at file:line:col."""
    starts = line_starts(text)
    findings = []
    for hit in hits:
        line = bisect_right(starts, hit.start)
        findings.append(Finding(path, line, hit.start - starts[line - 1] + 1, hit.message, hit.rule))
    return findings


# Rules: each a pure function of a Prose --------------------------------------------------------


def widen(text: Prose, start: int, end: int, only_chinese: bool = False) -> tuple[int, int]:
    """The range grown over the spaces on each side of it that stand between it and prose (only
    those facing Chinese, if `only_chinese`): a full-width mark carries its own space."""
    before, after = start, end
    while before > 0 and text.text[before - 1] == " " and text.kinds[before - 1] == TEXT:
        before -= 1
    while after < len(text.text) and text.text[after] == " " and text.kinds[after] == TEXT:
        after += 1
    if before < start and (before == 0 or text.kinds[before - 1] == SKIP):
        before = start  # spaces after a table's | or a footnote call stay
    if after > end and (after == len(text.text) or text.kinds[after] == SKIP):
        after = end
    if only_chinese and not is_chinese(text.char(text.near(start, -1))):
        before = start
    if only_chinese and not is_chinese(text.char(text.near(end - 1, 1))):
        after = end
    return before, after


def pair_is_chinese(text: Prose, opening: int, closing: int) -> bool:
    """Do a pair of brackets or quotes enclose Han, or stand next to Chinese?"""
    return (text.text[opening] == "（" or text.text[closing] == "）"
            or any(is_han(text.text[i]) and text.kinds[i] == TEXT for i in range(opening + 1, closing))
            or is_chinese(text.char(text.near(opening, -1))) or is_chinese(text.char(text.near(closing, 1))))


def touches_chinese(text: Prose, index: int) -> bool:
    return is_chinese(text.char(text.near(index, -1))) or is_chinese(text.char(text.near(index, 1)))


def bracket_pairs(text: Prose) -> dict[int, int]:
    """Round brackets, half- or full-width, matched within each block (both ways)."""
    pairs: dict[int, int] = {}
    for start, end in text.blocks:
        stack = []
        for index in range(start, end):
            if text.kinds[index] == TEXT and text.text[index] in "(（":
                stack.append(index)
            elif text.kinds[index] == TEXT and text.text[index] in ")）" and stack:
                opening = stack.pop()
                pairs[opening], pairs[index] = index, opening
    return pairs


def halfwidth_punct(text: Prose) -> list[Hit]:
    """`,` `;` `:` `!` `?` `(` `)` in Chinese text → full-width; not between Latin words or digits."""
    pairs = bracket_pairs(text)
    hits = []
    for index, char in enumerate(text.text):
        if char not in FULL_WIDTH or text.kinds[index] != TEXT:
            continue
        partner = pairs.get(index)
        if partner is not None:
            chinese = pair_is_chinese(text, min(index, partner), max(index, partner))
        else:
            chinese = touches_chinese(text, index)
        if chinese:
            start, end = widen(text, index, index + 1)
            hits.append(Hit(index, index + 1, "halfwidth-punct",
                            f"中文里的半角标点 {char} 应为全角 {FULL_WIDTH[char]} "
                            "(half-width punctuation in Chinese text)",
                            Edit(start, end, FULL_WIDTH[char])))
    return hits


@dataclass(frozen=True)
class Enumerator:
    """A numbered item's mark such as （1）, (一) or ⑴: its range, kind, form and house form."""

    start: int
    end: int
    kind: str  # "digits" or "han"
    form: str  # "full" （1）, "half" (1), "single" ⑴
    house: str  # （1）


def enumerators(text: Prose) -> list[Enumerator]:
    """The enumerators of Chinese text (a half-width (1) between Latin words is not one)."""
    found = []
    for match in ENUMERATOR.finditer(text.text):
        start, end = match.span()
        if any(text.kinds[i] != TEXT for i in range(start, end)):
            continue
        if match.group(1) is None:
            code = ord(match.group())
            number = str(code - 0x2473) if code < 0x3220 else HAN_NUMERALS[code - 0x3220]
            form = "single"
        else:
            number = match.group(1)
            form = "full" if match.group()[0] + match.group()[-1] == "（）" else "half"
            if form == "half" and not (number[0] in HAN_NUMERALS or pair_is_chinese(text, start, end - 1)):
                continue
        kind = "han" if number[0] in HAN_NUMERALS else "digits"
        found.append(Enumerator(start, end, kind, form, f"（{number}）"))
    return found


def enumerator_forms(texts: Iterable[Prose]) -> dict[str, set[str]]:
    """Which forms each kind of enumerator takes across an issue."""
    forms: dict[str, set[str]] = {}
    for text in texts:
        for item in enumerators(text):
            forms.setdefault(item.kind, set()).add(item.form)
    return forms


def mixed_forms(text: Prose, forms: dict[str, set[str]]) -> list[Hit]:
    """Enumerators not in the house form （1） where the issue writes the same kind two ways."""
    hits = []
    for item in enumerators(text):
        if item.form != "full" and len(forms.get(item.kind, ())) > 1:
            written = text.text[item.start:item.end]
            start, end = widen(text, item.start, item.end)
            hits.append(Hit(item.start, item.end, "mixed-forms",
                            f"编号 {written} 与本期其他编号写法不一，应为 {item.house} "
                            "(enumerator written two ways in this issue)", Edit(start, end, item.house)))
    return hits


def is_apostrophe(text: Prose, index: int) -> bool:
    """A ' between two Latin letters or digits (world's, don't)."""
    return (0 < index < len(text.text) - 1 and is_latin(text.text[index - 1])
            and is_latin(text.text[index + 1]))


def straight_quotes(text: Prose) -> list[Hit]:
    """`"` and `'` in Chinese text → “…” and ‘…’, paired within a block; unfixed if they do not pair."""
    hits = []
    for start, end in text.blocks:
        for quote, curly in (('"', "“”"), ("'", "‘’")):
            marks = [i for i in range(start, end) if text.text[i] == quote and text.kinds[i] == TEXT
                     and not is_apostrophe(text, i)]
            if len(marks) % 2:
                hits += [Hit(i, i + 1, "straight-quotes", f"直引号 {quote} 无法配对，请改为 {curly[0]} 或 "
                             f"{curly[1]} (straight quote in Chinese text; cannot pair it)")
                         for i in marks if touches_chinese(text, i)]
                continue
            for opening, closing in zip(marks[::2], marks[1::2], strict=True):
                if pair_is_chinese(text, opening, closing):
                    for index, new in ((opening, curly[0]), (closing, curly[1])):
                        hits.append(Hit(index, index + 1, "straight-quotes",
                                        f"直引号 {quote} 应为 {new} (straight quote in Chinese text)",
                                        Edit(*widen(text, index, index + 1, only_chinese=True), new)))
    return hits


def fullwidth_alnum(text: Prose) -> list[Hit]:
    """Full-width digits and Latin letters (１２３, ＡＢＣ) → ASCII."""
    hits = []
    for index, char in enumerate(text.text):
        if text.kinds[index] == TEXT and is_fullwidth_alnum(char):
            ascii_char = chr(ord(char) - 0xFEE0)
            hits.append(Hit(index, index + 1, "fullwidth-alnum",
                            f"全角字符 {char} 应为半角 {ascii_char} (full-width digit or letter)",
                            Edit(index, index + 1, ascii_char)))
    return hits


def han_latin_space(text: Prose) -> list[Hit]:
    """One space between Han and a Latin letter or digit: report none (采用GaN, 2300万) and
    more than one (采用  GaN); nothing is added next to punctuation or inside a formula
    (MoS~2~, E~激活~), only after it (MoS~2~ 材料)."""
    hits = []
    for index, char in enumerate(text.text):
        if text.kinds[index] != TEXT or not (is_han(char) or is_latin(char)):
            continue
        after = text.near(index, 1, spaces=False)
        if after is None or not needs_space(char, text.text[after]) or any(
                text.text[i] in "~^" and opens(text, i) for i in range(index + 1, after)):
            continue  # a sub- or superscript that opens here belongs to its base: E~激活~
        position = space_position(text, index, after)
        hits.append(Hit(index, after + 1, "han-latin-space",
                        f"汉字与西文之间缺少空格：{char}{text.text[after]} "
                        "(missing space between Han and Latin)",
                        None if position is None else Edit(position, position, " ")))
    for match in re.finditer(f"[{SPACES}]+", text.text):
        start, end = match.span()
        if match.group() == " " or any(text.kinds[i] != TEXT for i in range(start, end)):
            continue
        before, after = text.near(start, -1, spaces=False), text.near(end - 1, 1, spaces=False)
        if before is not None and after is not None and needs_space(text.text[before], text.text[after]):
            hits.append(Hit(start, end, "han-latin-space", "汉字与西文之间应只有一个半角空格 "
                            "(doubled space between Han and Latin)", Edit(start, end, " ")))
    return hits


def space_position(text: Prose, left: int, right: int) -> int | None:
    """Where a space between `left` and `right` goes: outside the emphasis, sub/superscript or
    link marks between them (after those that close, before those that open); None if unclear."""
    position, opened = left + 1, False
    for index in range(left + 1, right):
        if opens(text, index):
            opened = True
        elif opened:
            return None
        else:
            position = index + 1
    return position


def opens(text: Prose, index: int) -> bool:
    """Does the markup character at `index` open a span (rather than close one)?"""
    char = text.text[index]
    if char in "[!]":
        return char != "]"
    start = index
    while start > 0 and text.text[start - 1] == char and text.kinds[start - 1] == MARK:
        start -= 1
    block = text.block_start(index)
    runs = sum(1 for i in range(block, start) if text.text[i] == char and text.kinds[i] == MARK
               and not (i > block and text.text[i - 1] == char and text.kinds[i - 1] == MARK))
    return runs % 2 == 0


def url_malformed(text: Prose) -> list[Hit]:
    """URLs that are not well formed: spaces, full-width characters, unbalanced brackets, no host."""
    hits = []
    for start, end in text.urls:
        problem = url_problem(text.text[start:end])
        if problem:
            offset, message = problem
            hits.append(Hit(start + offset, end, "url-malformed", message))
    return hits


def url_problem(url: str) -> tuple[int, str] | None:
    """What is wrong with a URL (offset, message), or None."""
    for index, char in enumerate(url):
        if char.isspace():
            return index, "网址中有空格 (malformed URL: contains a space)"
        if (is_chinese(char) and not is_han(char)) or is_fullwidth_alnum(char) or char in "“”‘’":
            return index, f"网址中有全角字符 {char} (malformed URL: full-width character)"
    if url.count("(") != url.count(")") or url.count("[") != url.count("]"):
        return 0, "网址中括号不配对 (malformed URL: unbalanced brackets)"
    www = url.lower().startswith("www.")
    scheme = "" if www or ":" not in url else url.split(":", 1)[0].lower()
    if scheme == "mailto":
        return None if re.fullmatch(r"mailto:[^@\s]+@[^@\s]+\.[^@\s]+", url, re.I) else (
            0, "电子邮件地址有误 (malformed URL: not an e-mail address)")
    if not www and scheme not in ("http", "https", "ftp"):
        return None  # another scheme (doi:, urn: …): only its characters are checked
    if scheme and not url[len(scheme):].startswith("://"):
        return 0, f"网址 {scheme}: 后缺少 // (malformed URL: missing // after the scheme)"
    try:
        parts = urlsplit("http://" + url if www else url)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError:
        return 0, "网址格式有误 (malformed URL: cannot be parsed)"
    host = parts.hostname or ""
    if not host:
        return 0, "网址缺少主机名 (malformed URL: no host)"
    if host != "localhost" and ("." not in host.strip(".")
                                or not all(HOST_LABEL.match(label) for label in host.split("."))):
        return 0, f"网址主机名有误 {host} (malformed URL: not a host name)"
    return None


# The issue: lint, fix --------------------------------------------------------------------------


def lint_prose(text: Prose, forms: dict[str, set[str]]) -> list[Hit]:
    """Every rule on one text; `forms` are the enumerator forms of the whole issue."""
    mixed = mixed_forms(text, forms)
    taken = {index for hit in mixed for index in range(hit.start, hit.end)}
    hits = [hit for hit in halfwidth_punct(text) if hit.start not in taken]
    hits += mixed + straight_quotes(text) + fullwidth_alnum(text) + han_latin_space(text)
    hits += url_malformed(text)
    return sorted(hits, key=lambda hit: (hit.start, hit.rule))


@dataclass(frozen=True)
class Source:
    """A file as it is (BOM, line ends) and as press reads it (no BOM, "\\n" line ends)."""

    raw: str
    text: str
    raw_starts: tuple[int, ...]
    starts: tuple[int, ...]

    @classmethod
    def of(cls, raw: str) -> "Source":
        bom = 1 if raw.startswith("\ufeff") else 0
        pieces = re.split(r"(\r\n|\r|\n)", raw[bom:])
        raw_starts, starts, raw_at, at = [], [], bom, 0
        for line, end in zip(pieces[0::2], [*pieces[1::2], ""], strict=True):
            raw_starts.append(raw_at)
            starts.append(at)
            raw_at, at = raw_at + len(line) + len(end), at + len(line) + 1
        return cls(raw, "\n".join(pieces[0::2]), tuple(raw_starts), tuple(starts))

    @classmethod
    def read(cls, path: Path) -> "Source":
        return cls.of(path.read_bytes().decode("utf-8"))

    def apply(self, edits: Iterable[Edit]) -> str:
        """The raw text with the edits (made on `text`, none across a line end) applied."""
        out, last = [], 0
        for edit in sorted(edits, key=lambda edit: edit.start):
            start, end = self.raw_offset(edit.start), self.raw_offset(edit.end)
            out += [self.raw[last:start], edit.text]
            last = end
        return "".join([*out, self.raw[last:]])

    def raw_offset(self, offset: int) -> int:
        line = bisect_right(self.starts, offset) - 1
        return self.raw_starts[line] + offset - self.starts[line]


def compatible(edits: Iterable[Edit]) -> list[Edit]:
    """Edits that do not overlap (the others wait for the next pass)."""
    chosen: list[Edit] = []
    for edit in sorted(edits, key=lambda edit: (edit.start, edit.end)):
        last = chosen[-1] if chosen else None
        if last is None or edit.start > last.end or (
                edit.start == last.end and last.start < last.end and edit.start < edit.end):
            chosen.append(edit)
    return chosen


def structure(text: str) -> tuple:
    """What no fix may change: the front matter's fields and the Markdown's elements."""
    match = FRONT_MATTER.match(text)
    front = (match.group(1) or "") if match else ""
    try:
        meta = yaml.safe_load(front)
    except yaml.YAMLError:
        return ("broken",)
    fields = sorted((str(k), None if k in PROSE_FIELDS else repr(v)) for k, v in (meta or {}).items())
    elements = []
    for token in parser().parse(text[match.end() if match else 0:], {}):
        elements.append((token.type, token.tag, token.nesting, token.markup, token.map))
        elements += [(child.type, child.nesting, child.markup) for child in token.children or []
                     if child.type != "text"]
    return fields, len(front_matter_spans(front)), elements


def fix_text(raw: str, forms: dict[str, set[str]]) -> tuple[str, int]:
    """A file's text with every safe fix made, and how many were made."""
    fixed = 0
    for _ in range(MAX_PASSES):
        source = Source.of(raw)
        edits = safe_edits(source, compatible(hit.fix for hit in lint_prose(prose(source.text), forms)
                                              if hit.fix))
        if not edits:
            break
        raw, fixed = source.apply(edits), fixed + len(edits)
    return raw, fixed


def safe_edits(source: Source, edits: list[Edit]) -> list[Edit]:
    """The edits, or, if together they would change the front matter's fields or the Markdown's
    structure (a guard: the rules mean never to), those of them that do not, tried one by one."""
    before = structure(source.text)

    def keeps(chosen: list[Edit]) -> bool:
        return structure(Source.of(source.apply(chosen)).text) == before

    if not edits or keeps(edits):
        return edits
    kept: list[Edit] = []
    for edit in edits:
        if keeps([*kept, edit]):
            kept.append(edit)
    return kept


def footnote_findings(folder: Path) -> list[Finding]:
    """Load the issue as `press build` does: a footnote call without text or a text never called
    is a finding; any other problem means the issue cannot be linted (InputError, exit 2)."""
    try:
        load_issue(folder)
    except InputError as error:
        findings = []
        for problem in error.problems:
            rule = next((rule for gloss, rule in FOOTNOTE_RULES.items()
                         if problem.message.endswith(gloss)), None)
            if rule is None:
                raise
            findings.append(Finding(problem.path, problem.line, problem.column, problem.message, rule))
        return findings
    return []


def article_paths(folder: Path) -> list[Path]:
    """The article files issue.yaml lists, in order (the issue has loaded)."""
    meta, lines = read_yaml(folder / ISSUE_FILE, Problems())
    return [folder / name for name, _ in article_names(folder, meta, lines, Problems())]


def lint_issue(folder: Path) -> list[Finding]:
    """Every finding in an issue's article files, in reading order."""
    folder = Path(folder)
    findings = footnote_findings(folder)
    paths = article_paths(folder)
    texts = {path: prose(Source.read(path).text) for path in paths}
    forms = enumerator_forms(texts.values())
    for path, text in texts.items():
        findings += locate(path, text.text, lint_prose(text, forms))
    order = {path.name: index for index, path in enumerate(paths)}
    return sorted(findings, key=lambda f: (order.get(f.path.name, -1), f.line, f.column, f.rule))


def fix_issue(folder: Path) -> tuple[int, list[Finding]]:
    """Fix what can be fixed safely, file by file; return how many fixes and what remains."""
    folder = Path(folder)
    footnote_findings(folder)
    paths = article_paths(folder)
    forms = enumerator_forms(prose(Source.read(path).text) for path in paths)
    total = 0
    for path in paths:
        raw = path.read_bytes().decode("utf-8")
        fixed_raw, fixed = fix_text(raw, forms)
        if fixed:
            write_atomically(path, fixed_raw)
            total += fixed
    return total, lint_issue(folder)


def write_atomically(path: Path, text: str) -> None:
    """Replace a file's content in one step, keeping its mode; a symbolic link stays one."""
    path = path.resolve()
    with replacing(path, path.stat().st_mode & 0o7777) as stream:
        stream.write(text.encode("utf-8"))
