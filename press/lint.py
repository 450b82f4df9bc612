"""Editorial lint of an issue's text (`press lint`): the slips an editor wants caught before print.

Takes an issue folder and reads the article files issue.yaml lists: their Markdown bodies and
the `title` and `byline` of their front matter.  `lint_issue` returns findings, each with file,
line, column (in characters), a bilingual message and a stable rule id; `fix_issue` corrects in
place what can be corrected safely, leaving every other byte of the files as it was.

Only prose is examined, in the text as the build reads it (press.prose takes the comments out as
the build does and masks the rest; emphasis, ~sub~, ^sup^ and link brackets are transparent, so
`MoS~2~` stays one word).  Each rule is a pure function of a
`Prose` that returns `Hit`s with offsets; `locate` turns hits into findings at file:line:col,
`in_file` places their fixes in the file around its comments, and `Source.apply` makes them.
"""

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from press.atomic import replacing
from press.cjk import is_han, is_latin, needs_space
from press.dialect import parser
from press.errors import InputError, Kind, Problem
from press.load import article_names, load_issue
from press.model import ISSUE_FILE, NOTE_FILE, SETTINGS_FILE
from press.prose import (
    MARK,
    PROSE_FIELDS,
    SKIP,
    SPACES,
    TEXT,
    Prose,
    as_built,
    front_matter_spans,
    is_chinese,
    is_fullwidth_alnum,
    line_starts,
    prose,
)
from press.sources import read_source
from press.yamlfile import FRONT_MATTER, LINE_BREAKS, Problems, read_yaml

LOAD_FINDINGS = {Kind.FOOTNOTE_MISSING, Kind.FOOTNOTE_UNUSED, Kind.TEXT_LOST, Kind.SYNTAX_PRINTED}
FULL_WIDTH = dict(zip(",;:!?()", "，；：！？（）", strict=True))
FORMULA_MARKS = "/·%‰′″*'"  # with the symbols (Unicode S*: + = × ~ ^ ° …), what may touch a formula's bracket
HAN_NUMERALS = "一二三四五六七八九十"
KANA = re.compile("[\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9d]")  # not ・
PHRASE_MARKS = dict(zip("「『“‘《〈（(【〔［\"", "」』”’》〉）)】〕］\"", strict=True))  # opening → closing
MAX_PASSES = 8  # fixes that make room for other fixes (e.g. ＡＢ → AB → a space) settle in 2–3

LINE_END = re.compile("(\r\n|[\n" + re.escape("".join(map(chr, LINE_BREAKS))) + "])")  # as press reads files
HOST_LABEL = re.compile(r"(?!-)[^\W_]+(?:-+[^\W_]+)*$")
ENUMERATOR = re.compile(rf"[(（][ \t]*(\d{{1,2}}|[{HAN_NUMERALS}]{{1,3}})[ \t]*[)）]"
                        r"|[\u2474-\u2487\u3220-\u3229]")  # ⑴…⒇, ㈠…㈩


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


class Finding(Problem):
    """A hit placed in its file, a problem whose kind is the rule's id: line and column from 1, the column
    counted in characters."""

    @property
    def rule(self) -> str:
        return self.kind

    def __str__(self) -> str:
        return f"{self.place}: {self.message} [{self.rule}]"


def locate(path: Path, text: Prose, hits: Iterable[Hit]) -> list[Finding]:
    """The hits as findings at file:line:col (of the file, comments and all)."""
    starts = line_starts(text.text)  # a comment's line ends stay: lines are the file's
    findings = []
    for hit in hits:
        line = bisect_right(starts, hit.start)
        line_start = text.origin[starts[line - 1] - 1] + 1 if line > 1 else 0  # after the file's line end
        findings.append(Finding(path, line, text.origin[hit.start] - line_start + 1, hit.message, hit.rule))
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


def in_formula(char: str) -> bool:
    """A Latin letter or digit, or a symbol of a formula or unit (/ · × + = ~ ^ ° % ′ …)."""
    return bool(char) and (is_latin(char) or char in FORMULA_MARKS or unicodedata.category(char)[0] == "S")


def attached(text: Prose, index: int, step: int) -> bool:
    """Does the bracket at `index` touch, with no space (markup looked through), a letter, digit or
    symbol outside it (before an opening one, step −1; after a closing one, +1)?  W/(m·K), f(x),
    Ni~3~(Ti, Al), Ca(OH)~2~: a bracket of a formula or unit."""
    return in_formula(text.char(text.near(index, step, spaces=False)))


def brackets_are_chinese(text: Prose, opening: int, closing: int) -> bool:
    """Are a pair of round brackets Chinese?  Yes if one is already full-width or they enclose Han;
    no if they belong to a formula or unit (attached to it outside) or to Latin text (a Latin letter
    or digit before them, across spaces: Meeting (IEDM 2024) 论文集); else yes if Chinese stands
    before or after them: 工艺 (R2R) 联盟, 氮化镓 (GaN) HEMT."""
    if text.text[opening] == "（" or text.text[closing] == "）" or any(
            is_han(text.text[i]) and text.kinds[i] == TEXT for i in range(opening + 1, closing)):
        return True
    before = text.char(text.near(opening, -1))
    if attached(text, opening, -1) or attached(text, closing, 1) or (before and is_latin(before)):
        return False
    return is_chinese(before) or is_chinese(text.char(text.near(closing, 1)))


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
            chinese = brackets_are_chinese(text, min(index, partner), max(index, partner))
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
            if form == "half" and not (number[0] in HAN_NUMERALS or brackets_are_chinese(text, start, end - 1)):
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


def japanese(text: Prose) -> set[int]:
    """The characters of Japanese text: a quoted or bracketed phrase (「…」, “…”, （…） …) that holds
    kana outside the phrases nested in it, marks and nested phrases included."""
    found: set[int] = set()
    for start, end in text.blocks:
        stack: list[list] = []  # [opening, the mark that closes it, holds kana]
        for index in range(start, end):
            char = text.text[index]
            if text.kinds[index] != TEXT:
                continue
            if stack and char == stack[-1][1]:
                opening, _, kana = stack.pop()
                found.update(range(opening, index + 1) if kana else ())
            elif char in PHRASE_MARKS:
                stack.append([index, PHRASE_MARKS[char], False])
            elif stack and KANA.match(char):
                stack[-1][2] = True
    return found


def han_latin_space(text: Prose) -> list[Hit]:
    """One space between Han and a Latin letter or digit: report none (采用GaN, 2300万) and
    more than one (采用  GaN); nothing is added next to punctuation or inside a formula
    (MoS~2~, E~激活~), only after it (MoS~2~ 材料); none in Japanese text (「第7次エネルギー基本計画」)."""
    hits = []
    skipped = japanese(text)
    for index, char in enumerate(text.text):
        if text.kinds[index] != TEXT or not (is_han(char) or is_latin(char)) or index in skipped:
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
        if match.group() == " " or start in skipped or any(text.kinds[i] != TEXT for i in range(start, end)):
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


def lint_prose(text: Prose, forms: dict[str, set[str]], chinese: bool = True) -> list[Hit]:
    """Every rule on one text; `forms` are the enumerator forms of the whole issue.  In a newsletter
    written in another language than Chinese (`chinese` false) the rules of Chinese punctuation are not
    run: `宁德时代 (CATL)` and straight quotes are right in an English sentence."""
    hits = fullwidth_alnum(text) + han_latin_space(text) + url_malformed(text)
    if chinese:
        mixed = mixed_forms(text, forms)
        taken = {index for hit in mixed for index in range(hit.start, hit.end)}
        hits += [hit for hit in halfwidth_punct(text) if hit.start not in taken] + mixed + straight_quotes(text)
    return sorted(hits, key=lambda hit: (hit.start, hit.rule))


def writes_chinese(folder: Path) -> bool:
    """Whether the newsletter of an issue folder is written in Chinese (its `language`, zh-Hans by default)."""
    settings, _ = read_yaml(folder.parent / SETTINGS_FILE, Problems())
    language = settings.get("language", "zh-Hans") if isinstance(settings, dict) else "zh-Hans"
    return not isinstance(language, str) or language.lower().startswith("zh")


@dataclass(frozen=True)
class Source:
    """A file as it is (BOM, line ends) and as press reads it (no BOM, "\\n" line ends: also for the soft
    returns and line separators of Word and web pages, yamlfile.LINE_BREAKS)."""

    raw: str
    text: str
    raw_starts: tuple[int, ...]
    starts: tuple[int, ...]

    @classmethod
    def of(cls, raw: str) -> "Source":
        bom = 1 if raw.startswith("\ufeff") else 0
        pieces = LINE_END.split(raw[bom:])
        raw_starts, starts, raw_at, at = [], [], bom, 0
        for line, end in zip(pieces[0::2], [*pieces[1::2], ""], strict=True):
            raw_starts.append(raw_at)
            starts.append(at)
            raw_at, at = raw_at + len(line) + len(end), at + len(line) + 1
        return cls(raw, "\n".join(pieces[0::2]), tuple(raw_starts), tuple(starts))

    @classmethod
    def read(cls, path: Path) -> "Source":
        return cls.of(read_source(path).decode("utf-8"))

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


CODE = ("code_inline", "code_block", "fence")


def structure(text: str) -> tuple:
    """What no fix may change: the front matter's fields; the Markdown's elements as the build reads
    them (without comments), with the text of their syntax (code, link targets, block names); the
    comments."""
    match = FRONT_MATTER.match(text)
    front = (match.group(1) or "") if match else ""
    try:
        meta = yaml.safe_load(front)
    except yaml.YAMLError:
        return ("broken",)
    fields = sorted((str(k), None if k in PROSE_FIELDS else repr(v)) for k, v in (meta or {}).items())
    built, origin = as_built(text)
    elements = []
    for token in parser().parse(built[match.end() if match else 0:], {}):
        elements.append((token.type, token.tag, token.nesting, token.markup, token.map, token.info,
                         token.content if token.type in CODE else ""))
        elements += [(child.type, child.nesting, child.markup, sorted(child.attrs.items()),
                      child.content if child.type in CODE else "") for child in token.children or []
                     if child.type != "text"]
    comments = [text[kept + 1:next_kept] for kept, next_kept in zip([-1, *origin[:-1]], origin, strict=True)
                if next_kept > kept + 1]
    return fields, len(front_matter_spans(front)), elements, comments


def fix_text(raw: str, forms: dict[str, set[str]], chinese: bool = True) -> tuple[str, int]:
    """A file's text with every safe fix made, and how many were made."""
    fixed = 0
    for _ in range(MAX_PASSES):
        source = Source.of(raw)
        text = prose(source.text)
        fixes = safe_fixes(source, [in_file(text, edit) for edit in compatible(
            hit.fix for hit in lint_prose(text, forms, chinese) if hit.fix)])
        if not fixes:
            break
        raw, fixed = source.apply(edit for fix in fixes for edit in fix), fixed + len(fixes)
    return raw, fixed


def in_file(text: Prose, edit: Edit) -> list[Edit]:
    """An edit of the text as built made on the file (Source.text): a comment between the characters it
    replaces stays, the new text going where the first of them stood; an insertion goes before the
    character it comes before."""
    if edit.start == edit.end:
        return [Edit(text.origin[edit.start], text.origin[edit.start], edit.text)]
    return [Edit(start, end, "" if index else edit.text)
            for index, (start, end) in enumerate(text.file_ranges(edit.start, edit.end))]


def safe_fixes(source: Source, fixes: list[list[Edit]]) -> list[list[Edit]]:
    """The fixes (each the edits of one hit), or, if together they would change what structure() holds
    (a guard: the rules mean never to), those of them that do not, tried one by one."""
    before = structure(source.text)

    def keeps(chosen: list[list[Edit]]) -> bool:
        return structure(Source.of(source.apply(edit for fix in chosen for edit in fix)).text) == before

    if not fixes or keeps(fixes):
        return fixes
    kept: list[list[Edit]] = []
    for fix in fixes:
        if keeps([*kept, fix]):
            kept.append(fix)
    return kept


def load_findings(folder: Path) -> list[Finding]:
    """Load the issue as `press build` does: a footnote call without text or a text never called, text the
    build would lose and Markdown it would print as typed are findings; any other problem means the issue
    cannot be linted (InputError, exit 2)."""
    try:
        load_issue(folder)
    except InputError as error:
        if any(problem.kind not in LOAD_FINDINGS for problem in error.problems):
            raise
        return [Finding(problem.path, problem.line, problem.column, problem.message, problem.kind)
                for problem in error.problems]
    return []


def article_paths(folder: Path) -> list[Path]:
    """The files of the issue's text in reading order (the issue has loaded): the editor's note if there is one,
    then the article files issue.yaml lists."""
    meta, lines = read_yaml(folder / ISSUE_FILE, Problems())
    note = [folder / NOTE_FILE] if (folder / NOTE_FILE).is_file() else []
    return note + [folder / name for name, _ in article_names(folder, meta, lines, Problems())]


def lint_issue(folder: Path) -> list[Finding]:
    """Every finding in an issue's article files, in reading order."""
    folder = Path(folder)
    findings = load_findings(folder)
    paths = article_paths(folder)
    texts = {path: prose(Source.read(path).text) for path in paths}
    forms = enumerator_forms(texts.values())
    chinese = writes_chinese(folder)
    for path, text in texts.items():
        findings += locate(path, text, lint_prose(text, forms, chinese))
    order = {path.name: index for index, path in enumerate(paths)}
    return sorted(findings, key=lambda f: (order.get(f.path.name, -1), f.line, f.column, f.rule))


def fix_issue(folder: Path) -> tuple[int, list[Finding]]:
    """Fix what can be fixed safely, file by file; return how many fixes and what remains."""
    folder = Path(folder)
    load_findings(folder)
    paths = article_paths(folder)
    forms = enumerator_forms(prose(Source.read(path).text) for path in paths)
    chinese = writes_chinese(folder)
    total = 0
    for path in paths:
        raw = read_source(path).decode("utf-8")
        fixed_raw, fixed = fix_text(raw, forms, chinese)
        if fixed:
            write_atomically(path, fixed_raw)
            total += fixed
    return total, lint_issue(folder)


def write_atomically(path: Path, text: str) -> None:
    """Replace a file's content in one step, keeping its mode; a symbolic link stays one."""
    path = path.resolve()
    with replacing(path, path.stat().st_mode & 0o7777) as stream:
        stream.write(text.encode("utf-8"))
