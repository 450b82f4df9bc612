"""The issue's text files read strictly: UTF-8 text, YAML with a line for every key, schemas.

Takes a file's path (and a `Problems` list to add to); returns its text, or
its YAML data with the line of each key (top-level, list items, nested
mappings), or whether a mapping fits a schema of `Field`s.  What cannot be
read is a problem at its file, line and column, never an exception: aliases
and repeated keys are refused, a file that is not UTF-8 is named as such
(with a hint when it is GBK), every line end counts as one.
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from press.errors import Kind, Problem
from press.sources import read_source


@dataclass(frozen=True)
class Field:
    """One documented field of a YAML mapping: its type and whether it is required."""

    kind: type | tuple[type, ...]
    required: bool = True
    doc: str = ""


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
    """Parse YAML safely; return the data and the line of each top-level key."""
    if text is None:
        text = read_text(path, problems)
        if text is None:
            return None, {}
    try:
        loader = type("Loader", (StrictLoader,), {"line_offset": line_offset})
        node = yaml.compose(text, Loader=loader)
        data = yaml.load(text, Loader=loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", None) or str(error)
        context = getattr(error, "context", None) or ""
        if ("flow" in context or "quoted" in context) and getattr(error, "context_mark", None):
            mark, reason = error.context_mark, f"a bracket or quote opened here is not closed; {reason}"
        line = mark.line + 1 + line_offset if mark else line_offset
        column = mark.column + 1 if mark else 0
        message = reason if isinstance(error, StrictYAMLError) else f"YAML 语法错误 (YAML syntax error: {reason})"
        problems.add(path, line, column, message)
        return None, {}
    except RecursionError:
        problems.add(path, line_offset + 1, 1, "YAML 嵌套过深 (YAML nested too deeply)")
        return None, {}
    except (ValueError, OverflowError) as error:  # a well-formed value that is no value, e.g. 2024-13-01
        mark = unreadable_value(node)
        line, column = (mark.line + 1 + line_offset, mark.column + 1) if mark else (line_offset, 0)
        problems.add(path, line, column, f"YAML 值无法读取 (YAML value cannot be read: {error})")
        return None, {}
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
    return data, lines


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
    for name, value in data.items():
        if name not in schema:
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
        if field.required and name not in data:
            problems.add(path, first_line, 1, f"缺少字段 {name} (missing field: {field.doc})")
            ok = False
    return ok


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
