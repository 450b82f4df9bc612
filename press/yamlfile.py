"""The issue's text files read strictly: UTF-8 text, YAML with a line for every key, schemas.

Takes a file's path (and a `Problems` list to add to); returns its text, or
its YAML data with the line of each key (top-level, list items, nested
mappings), or whether a mapping fits a schema of `Field`s.  What cannot be
read is a problem at its file, line and column, never an exception: aliases
and repeated keys are refused, a file that is not UTF-8 is named as such
(with a hint when it is GBK), every line end counts as one.
"""

import datetime as dt
import difflib
import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from press.errors import Kind, Problem
from press.sources import read_source

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.S)  # a Markdown file's YAML head
FRONT_MATTER_OPEN = re.compile(r"\A---[ \t]*\n")


@dataclass(frozen=True)
class Field:
    """One documented field of a YAML mapping: its type, and either required or its default (as written in YAML).

    The default is stated here and nowhere else: the loaders take it with `given`, and `described` shows it."""

    kind: type | tuple[type, ...]
    required: bool = True
    doc: str = ""
    default: Any = None

    @property
    def described(self) -> str:
        """The field's doc, with its default when it has one, e.g. "SMTP server (default localhost)"."""
        return self.doc if self.default is None else f"{self.doc} (default {self.default})"


def given(data: dict, schema: dict[str, "Field"], name: str) -> Any:
    """The value of field `name` in a validated mapping, or the schema's default for it."""
    return data[name] if name in data else schema[name].default


class StrictYAMLError(yaml.MarkedYAMLError):
    """YAML that parses but that press refuses; its problem is the whole message."""


class StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases (`*name`) and without a key given twice in one mapping.

    Editors never need aliases, and a few nested ones expand into gigabytes
    (the "billion laughs"); a key given twice silently keeps the last value.
    """

    line_offset = 0  # lines before the YAML text in its file (front matter), for messages

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise StrictYAMLError(problem=f"不允许使用别名 *{event.anchor} (YAML aliases are not allowed)",
                                       problem_mark=event.start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True) if isinstance(key_node, yaml.ScalarNode) else None
            if key is not None and key in seen:
                raise StrictYAMLError(
                    problem=f"字段 {key} 重复，首次在第 {seen[key]} 行 (key {key} given twice)",
                    problem_mark=key_node.start_mark)
            seen.setdefault(key, key_node.start_mark.line + 1 + self.line_offset)
        return super().construct_mapping(node, deep)


def shown(value: Any, limit: int = 60) -> str:
    """A value's repr for a message, cut to `limit` characters."""
    try:
        text = repr(value)
    except (ValueError, RecursionError):  # an integer of thousands of digits, a structure nested too deep
        return f"<{type(value).__name__} too large to show>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Problems(list):
    """A list of problems that knows which file it is reading."""

    def add(self, path: Path, line: int, column: int, message: str, kind: str = Kind.INPUT) -> None:
        self.append(Problem(path, line, column, message, kind))


def read_text(path: Path, problems: Problems) -> str | None:
    """A file's text (UTF-8, BOM allowed, any line ends); None with a problem if unreadable."""
    try:
        raw = read_source(path)
    except OSError as error:
        problems.add(path, 0, 0, f"无法读取文件 (cannot read: {error.strerror})")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1  # in bytes: the text cannot be read
        hint = ""
        try:
            raw.decode("gb18030")
            hint = "；看起来是 GBK/GB18030 编码，请另存为 UTF-8 (looks like GBK/GB18030: save as UTF-8)"
        except UnicodeDecodeError:
            pass
        problems.add(path, line, column, f"文件不是 UTF-8 编码 (not UTF-8){hint}")
        return None
    return text.replace("\r\n", "\n").translate(LINE_BREAKS)


# Line ends other than \n: old Mac files, and what Word and web pages paste (a soft return is
# U+000B, a line separator U+2028): each starts a new line, as the editor sees it.
LINE_BREAKS = str.maketrans({"\r": "\n", "\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"})


def read_yaml(path: Path, problems: Problems, text: str | None = None,
              line_offset: int = 0) -> tuple[Any, dict[str, int]]:
    """Parse YAML safely; return the data and the line of each top-level key.

    A list item or field indented deeper or shallower than its siblings (an indentation slip) is one problem
    at that line (the line that differs from most of them, so a first item one space short is the one
    named, not all the others); the text is then read as if the line stood in line with them, so the slip
    brings no other problems (a file name run into the item above it) and hides none."""
    if text is None:
        text = read_text(path, problems)
        if text is None:
            return None, {}
    loader = type("Loader", (StrictLoader,), {"line_offset": line_offset})
    slipped = False
    for _ in range(MAX_SLIPS):
        try:
            node = yaml.compose(text, Loader=loader)
            slip = scalar_slip(node, text)
            data = None if slip else yaml.load(text, Loader=loader)
        except yaml.YAMLError as error:
            slip = key_slip(error, text) or dedent_slip(error, text, loader)
            if slip is None:
                if not slipped:  # after a slip, what follows from lining the line up is not the editor's
                    problems.add(path, *yaml_problem(error, text, line_offset))
                return None, {}
        except RecursionError:
            problems.add(path, line_offset + 1, 1, "YAML 嵌套过深 (YAML nested too deeply)")
            return None, {}
        except (ValueError, OverflowError) as error:  # a well-formed value that is no value, e.g. 2024-13-01
            mark = unreadable_value(node)
            line, column = (mark.line + 1 + line_offset, mark.column + 1) if mark else (line_offset, 0)
            problems.add(path, line, column, f"YAML 值无法读取 (YAML value cannot be read: {error})")
            return None, {}
        if slip is None:
            return data, key_lines(node, line_offset)
        line, indent, expected, what, above = odd_one_out(text, *slip)
        where = ("上面", "above") if above else ("下面", "below")
        problems.add(path, line + 1 + line_offset, indent + 1, f"此行缩进 {indent} 格，与{where[0]}的{what[0]}"
                     f"（{expected} 格）不同，请对齐 (this line is indented differently from the {what[1]} {where[1]} "
                     f"it: {indent} space{'' if indent == 1 else 's'}, not {expected}; line it up with them)")
        text, slipped = shifted(text, line, expected - indent), True
    return None, {}


MAX_SLIPS = 20  # indentation slips reported in one file at most
ITEMS = ("条目", "items")
FIELDS = ("字段", "fields")
ITEM_LINE = re.compile(r"[ ]*-(?:[ ]|$)")
ENTRY_START = re.compile(r"[ ]*(?:-[ ]+)*")
STEP = 2  # how far a block stands under the line that opens it, when the file shows none (press new's issue.yaml)


def yaml_problem(error: yaml.YAMLError, text: str, line_offset: int) -> tuple[int, int, str]:
    """Line, column and message of YAML that does not parse."""
    mark = getattr(error, "problem_mark", None)
    reason = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None) or ""
    if ("flow" in context or "quoted" in context) and getattr(error, "context_mark", None):
        mark, reason = error.context_mark, f"a bracket or quote opened here is not closed; {reason}"
    line = mark.line + 1 + line_offset if mark else line_offset
    column = mark.column + 1 if mark else 0
    if isinstance(error, StrictYAMLError):
        return line, column, reason
    if mark and (hint := colon_hint(error, text)):
        return line, column, hint
    return line, column, f"YAML 语法错误 (YAML syntax error: {reason})"


def colon_hint(error: yaml.YAMLError, text: str) -> str | None:
    """What to do about `title: 新材料: 前沿与展望`, whose value holds `: `; None for other errors."""
    if getattr(error, "problem", None) != "mapping values are not allowed here":
        return None
    line = text.split("\n")[error.problem_mark.line]
    start = ENTRY_START.match(line).end()
    key, colon, value = line[start:].partition(": ")
    if not colon or len(line) - len(value) > error.problem_mark.column:
        return None
    value = value.strip()
    quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if not re.search(r"[\u3000-\u9fff\uff00-\uffef]", value):  # English: a full-width colon is no choice
        return (f"值中有“: ”，须加引号，如 {key}: {quoted} (the value holds \": \" and must be quoted, e.g. "
                f"{key}: {quoted})")
    return (f"值中有“: ”，须加引号，如 {key}: {quoted}，或改用全角冒号“：” (the value holds \": \" and must be "
            f"quoted, e.g. {key}: {quoted}, or use the full-width ：)")


def scalar_slip(node, text: str) -> tuple[int, int, int, tuple[str, str]] | None:
    """The first line starting `- ` that a plain value runs on over, indented deeper than the items or
    fields above it: (line from 0, its indent, theirs, what they are), or None.  An item slipped one
    space right reads as the end of the item above it (`01-a.md - 02-b.md`)."""
    lines = text.split("\n")
    pending = [node]
    while pending:
        current = pending.pop(0)
        if isinstance(current, yaml.SequenceNode):
            pairs = [(current.start_mark.column, item) for item in current.value]
        elif isinstance(current, yaml.MappingNode):
            pairs = [(key.start_mark.column, value) for key, value in current.value]
        else:
            continue
        for column, child in pairs:
            pending.append(child)
            if not isinstance(child, yaml.ScalarNode) or child.style is not None:
                continue
            for number in range(child.start_mark.line + 1, child.end_mark.line + 1):
                indent = len(lines[number]) - len(lines[number].lstrip(" "))
                if ITEM_LINE.match(lines[number]) and indent > column:
                    return number, indent, column, ITEMS
    return None


def key_slip(error: yaml.YAMLError, text: str) -> tuple[int, int, int, tuple[str, str]] | None:
    """A field (`key: value`) indented deeper than the one above it, which YAML reads as a value holding
    `: ` (mapping values are not allowed here): as `scalar_slip`, or None for other errors."""
    if getattr(error, "problem", None) != "mapping values are not allowed here":
        return None
    lines = text.split("\n")
    number, column = error.problem_mark.line, error.problem_mark.column
    line = lines[number]
    indent = len(line) - len(line.lstrip(" "))
    above = [earlier for earlier in lines[:number] if earlier.strip() and not earlier.lstrip().startswith("#")]
    if not above or ":" in line[:column] or line[indent:indent + 1] in ("-", "#", ""):
        return None
    expected = ENTRY_START.match(above[-1]).end()
    return (number, indent, expected, FIELDS) if indent > expected else None


BLOCK_ENDS = ("expected <block end>, but found", "expected '<document start>', but found")
KEY = re.compile(r"""(?:"[^"\n]*"|'[^'\n]*'|[^\s#'"\[\]{},&*!|>%@`-][^#\n]*?|-[^\s#\n][^#\n]*?)[ ]*:(?:[ ]|$)""")


def entry_column(line: str, what: tuple[str, str]) -> int | None:
    """Where the list item (`- …`) or field (`key: …`, also after `- `) a line starts stands; None if it starts none."""
    if what is ITEMS:
        return len(line) - len(line.lstrip(" ")) if ITEM_LINE.match(line) else None
    column = ENTRY_START.match(line).end()
    return column if KEY.match(line, column) else None


def dedent_slip(error: yaml.YAMLError, text: str, loader: type) -> tuple[int, int, int, tuple[str, str]] | None:
    """A list item or field that ends the block above it in the middle of its indentation (`  - 01-a.md` then
    ` - 02-b.md`; `mail:` `  from: …` then ` port: 25`; `sections:` `  - 专题` then ` style: default`), or that
    stands deeper than a field or item holding a quoted value above it, which YAML reads as a block that ends
    nowhere (expected <block end>): as `scalar_slip`, or None for other errors, and when lining the line up
    would not get the text read past it."""
    problem, mark = getattr(error, "problem", None) or "", getattr(error, "problem_mark", None)
    if not problem.startswith(BLOCK_ENDS) or mark is None:
        return None
    lines = text.split("\n")
    number = mark.line
    what = ITEMS if ITEM_LINE.match(lines[number]) else FIELDS
    indent = entry_column(lines[number], what)
    if indent != mark.column:
        return None
    above = [line for line in lines[:number] if line.strip() and not line.lstrip().startswith("#")]
    previous = entry_column(above[-1], what) if above else None
    if previous is not None and previous < indent and holds_value(above[-1], previous, what):
        expected = previous  # deeper than a sibling holding a quoted value
    else:
        deeper = [column for _, column in block_entries(lines, number, what, indent, -1)[0] if column > indent]
        shallower = [column for line in reversed(above)
                     if (column := entry_column(line, what)) is not None and column < indent][:1]
        if not deeper + shallower:
            return None
        expected = min(deeper) if deeper else shallower[0]  # none deeper: past the block, deeper than its opener
    try:
        yaml.compose(shifted(text, number, expected - indent), Loader=loader)
    except yaml.YAMLError as after:
        after_mark = getattr(after, "problem_mark", None)
        if after_mark is None or after_mark.line <= number:
            return None
    return number, indent, expected, what


def holds_value(line: str, column: int, what: tuple[str, str]) -> bool:
    """Whether an item or field holds its value on its own line (so a deeper line after it is no child of it)."""
    rest = (line[column + 1:] if what is ITEMS else line[KEY.match(line, column).end():]).strip()
    return bool(rest) and not rest.startswith(("#", "|", ">", "&", "!"))


def block_entries(lines: list[str], number: int, what: tuple[str, str], low: int,
                  step: int) -> tuple[list[tuple[int, int]], int | None]:
    """The items or fields (line from 0, column) at column `low` or deeper from line `number` on, going up
    (`step` -1) or down (1), to the end of their block; and the line that ends the scan (going up: the line
    that opens the block), None at the file's start or end (going up: the top level of the file)."""
    found = []
    number += step
    while 0 <= number < len(lines):
        line = lines[number]
        if line.strip() and not line.lstrip().startswith("#"):
            indent = len(line) - len(line.lstrip(" "))
            column = entry_column(line, what)
            item = ITEM_LINE.match(line) is not None
            if what is ITEMS and item and indent >= low:
                found.append((number, indent))
            elif what is ITEMS and indent <= low:
                return found, number
            elif what is FIELDS and column is not None and column >= low:
                found.append((number, column))
                if item and indent < low:  # `- key: …` opens the mapping (above) or starts the next one (below)
                    return found, number
            elif indent < low:
                return found, number
        number += step
    return found, None


def odd_one_out(text: str, number: int, indent: int, expected: int,
                what: tuple[str, str]) -> tuple[int, int, int, tuple[str, str], bool]:
    """The slipped line among the siblings of a line that breaks their indentation (line `number`, at `indent`
    where the item or field above stands at `expected`): the one whose indentation differs from most of them
    (`articles:` ` - 01-a.md` `  - 02-b.md` `  - 03-c.md` names the first); when as many stand at either, the one
    not indented by the step the rest of the file indents by (2 if it shows none), else the first that differs
    from the first; at the top level of a file a field stands at 0.  Returns (line, its indent, the siblings',
    what they are, whether a sibling lined up stands above it)."""
    lines = text.split("\n")
    low = min(indent, expected)
    up, opener = block_entries(lines, number, what, low, -1)
    down, _ = block_entries(lines, number, what, low, 1)
    siblings = sorted([entry for entry in up + down if entry[1] in (indent, expected)] + [(number, indent)])
    counts = {column: sum(1 for _, at in siblings if at == column) for column in (indent, expected)}
    step = usual_step(lines, {line for line, _ in siblings}) or STEP
    base = 0 if opener is None else len(lines[opener]) - len(lines[opener].lstrip(" "))
    if what is FIELDS and opener is None and 0 in counts:
        lined = 0
    elif counts[indent] != counts[expected]:
        lined = max(counts, key=counts.get)
    elif opener is not None and [indent - base, expected - base].count(step) == 1:
        lined = base + step  # as many either way: the step the rest of the file indents by
    else:
        lined = siblings[0][1]
    line, column = next((entry for entry in siblings if entry[1] != lined), (number, indent))
    room = len(lines[line]) - len(lines[line].lstrip(" "))
    if room + lined - column < 0 or (what is FIELDS and ITEM_LINE.match(lines[line])):
        line, column, lined = number, indent, expected  # a field after `- `: named where YAML stopped
    above = any(at == lined for earlier, at in siblings if earlier < line)
    return line, column, lined, what, above


def usual_step(lines: list[str], left_out: set[int]) -> int | None:
    """How far the file mostly indents a line under the one that opens it (`mail:` then `  from: …`: 2),
    leaving out the lines `left_out` (the siblings in question: their fields under them still count); None
    when no other line opens a block, or no step is the most common."""
    written = [(len(line) - len(line.lstrip(" ")), line.split(" #")[0].rstrip().endswith(":"), number)
               for number, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")]
    steps = [below - above for (above, opens, _), (below, _, second) in itertools.pairwise(written)
             if opens and below > above and second not in left_out]
    counts = sorted(((steps.count(step), step) for step in set(steps)), reverse=True)
    return counts[0][1] if counts and (len(counts) == 1 or counts[0][0] > counts[1][0]) else None


def shifted(text: str, number: int, by: int) -> str:
    """The text with line `number` (from 0) moved `by` spaces right (left when negative)."""
    lines = text.split("\n")
    lines[number] = " " * by + lines[number] if by >= 0 else lines[number][-by:]
    return "\n".join(lines)


def key_lines(node, line_offset: int) -> dict[str, int]:
    """The line of each top-level key, of each item of a top-level list and of nested keys two deep."""
    lines = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            lines[str(key.value)] = key.start_mark.line + 1 + line_offset
            if isinstance(value, yaml.SequenceNode):
                for index, item in enumerate(value.value):
                    lines[f"{key.value}[{index}]"] = item.start_mark.line + 1 + line_offset
            elif isinstance(value, yaml.MappingNode):
                for inner, inner_value in value.value:
                    lines[f"{key.value}.{inner.value}"] = inner.start_mark.line + 1 + line_offset
                    if isinstance(inner_value, yaml.MappingNode):
                        for deepest, _ in inner_value.value:
                            lines[f"{key.value}.{inner.value}.{deepest.value}"] = (
                                deepest.start_mark.line + 1 + line_offset)
                    elif isinstance(inner_value, yaml.SequenceNode):
                        for index, item in enumerate(inner_value.value):
                            lines[f"{key.value}.{inner.value}[{index}]"] = item.start_mark.line + 1 + line_offset
    return lines


def unreadable_value(node) -> Any:
    """The start mark of the first scalar in a composed YAML tree that cannot be constructed, or None."""
    constructor = yaml.constructor.SafeConstructor()
    pending = [node]
    while pending:
        current = pending.pop(0)
        if isinstance(current, yaml.ScalarNode):
            try:
                constructor.construct_object(current, deep=True)
            except (ValueError, OverflowError, yaml.YAMLError):
                return current.start_mark
        elif isinstance(current, yaml.SequenceNode):
            pending.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            pending.extend(child for pair in current.value for child in pair)
    return None


def validate(data: Any, lines: dict[str, int], schema: dict[str, Field], path: Path,
             problems: Problems, first_line: int = 1) -> bool:
    """Check a mapping against a schema; report missing, mistyped and unknown fields."""
    if data is None and not lines:
        if not any(problem.path == path for problem in problems):
            problems.add(path, first_line, 1, "内容为空 (empty: expected fields "
                         + ", ".join(name for name, f in schema.items() if f.required) + ")")
        return False
    if not isinstance(data, dict):
        problems.add(path, first_line, 1, "应为“字段: 值”的映射 (expected a mapping of fields)")
        return False
    ok = True
    meant = set()
    for name, value in data.items():
        if name not in schema and (guess := closest(str(name), [known for known in schema if known not in data])):
            meant.add(guess)
            problems.add(path, lines.get(str(name), first_line), 1,
                         f"未知字段 {name}，是否应为 {guess}？(unknown field {name}: did you mean {guess}?)")
            ok = False
        elif name not in schema:
            known = ", ".join(schema)
            problems.add(path, lines.get(str(name), first_line), 1,
                         f"未知字段 {name} (unknown field; known: {known})")
            ok = False
        elif not has_type(value, schema[name].kind):
            chinese, english = type_name(schema[name].kind)
            problems.add(path, lines.get(name, first_line), 1,
                         f"字段 {name} 应为{chinese} (field {name} must be {english}, got {shown(value)})")
            ok = False
    for name, field in schema.items():
        if field.required and name not in data and name not in meant:  # a misspelling is one problem
            problems.add(path, first_line, 1, f"缺少字段 {name} (missing field: {field.doc})")
            ok = False
    return ok


def closest(name: str, candidates: list[str], cutoff: float = 0.6) -> str | None:
    """The candidate a misspelt name most likely means (difflib's ratio at least `cutoff`), or None."""
    found = difflib.get_close_matches(name, candidates, n=1, cutoff=cutoff)
    return found[0] if found else None


def has_type(value: Any, kind: type | tuple[type, ...]) -> bool:
    if kind is int and isinstance(value, bool):
        return False
    if kind is dt.date:
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    return isinstance(value, kind)


def type_name(kind: type | tuple[type, ...]) -> tuple[str, str]:
    """How a field's type is named to the editor, in Chinese and in English."""
    names = {str: ("文字", "text"), int: ("整数", "a whole number"), bool: ("true 或 false", "true or false"),
             list: ("列表", "a list"), dt.date: ("日期 YYYY-MM-DD", "a date YYYY-MM-DD")}
    return names.get(kind, (str(kind), str(kind)))
