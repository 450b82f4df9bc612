"""Load and validate an issue folder.

Takes `issues/<issue>/` (with `issue.yaml` and one Markdown file per article)
and the newsletter's `issues/newsletter.yaml`; returns a model `Issue`.  Every
problem in every file is gathered first (with file, line and column) and raised
once as an `InputError`; nothing is rendered from input with problems.
"""

import datetime as dt
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from press import ids, printable
from press.errors import InputError, Kind, Problem
from press.fonts import font_faces
from press.images import IMAGE_SUFFIXES, MAX_IMAGE_BYTES, raster_problem, svg_problem, svg_text
from press.markup import Markup, to_html
from press.model import (
    ISSUE_FILE,
    SETTINGS_FILE,
    STYLESHEET,
    Article,
    CheckSettings,
    Issue,
    MailSettings,
    Settings,
    group_sections,
)
from press.sources import name_problem, not_a_source, read_source, unreadable

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.S)
MARKUP_IN_TEXT = re.compile(r"~[^~\s]+~|\^[^^\s]+\^|\*\*[^*]+\*\*|(?<![*\w])\*[^*\s][^*]*\*(?![*\w])|`[^`]+`")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Field:
    """One documented field of a YAML mapping: its type and whether it is required."""

    kind: type | tuple[type, ...]
    required: bool = True
    doc: str = ""


SETTINGS_SCHEMA = {
    "slug": Field(str, doc="file-name stem of the PDFs, e.g. materials-newsletter"),
    "title": Field(str, doc="newsletter title, e.g. 新材料监测快报"),
    "title_en": Field(str, doc="English title on the cover"),
    "publisher": Field(str, doc="publisher, on the cover and in the PDF's author field"),
    "sections": Field(list, doc="section names, in the order they appear"),
    "style": Field(str, required=False, doc="folder under styles/ (default: default)"),
    "language": Field(str, required=False, doc="BCP 47 language of the text (default zh-Hans)"),
    "styles_dir": Field(str, required=False, doc="where styles live (default ../styles)"),
    "fonts_dir": Field(str, required=False, doc="where fonts live (default ../fonts)"),
    "check": Field(dict, required=False, doc="what `press check` holds the PDFs to"),
    "mail": Field(dict, required=False, doc="how `press mail` sends the PDF"),
}
MAIL_SCHEMA = {
    "from": Field(str, doc="the sender, e.g. 新材料监测快报 <newsletter@example.org>"),
    "host": Field(str, required=False, doc="SMTP server (default localhost)"),
    "port": Field(int, required=False, doc="SMTP port (default 587)"),
    "security": Field(str, required=False, doc="starttls (default), tls or none"),
    "per_minute": Field((int, float), required=False, doc="messages per minute at most (default 30)"),
    "retries": Field(int, required=False, doc="attempts more per reader after a temporary failure (default 3)"),
}
SECURITY = ("starttls", "tls", "none")
CHECK_SCHEMA = {
    "max_size": Field((str, int), required=False, doc="largest PDF allowed, e.g. 5 MB (default)"),
    "page_size": Field(str, required=False, doc="A4 (default), A5, B5, Letter or e.g. 185mm 260mm"),
    "bars": Field(dict, required=False, doc="thresholds by check id, e.g. justify: 0.95"),
}
SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)?\s*$", re.I)
SIZE_UNITS = {"b": 1, "kb": 1024, "mb": 1024 ** 2, "gb": 1024 ** 3}
PAGE_SIZES_MM = {"a3": (297, 420), "a4": (210, 297), "a5": (148, 210), "b5": (176, 250),
                 "letter": (215.9, 279.4)}
CUSTOM_PAGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*mm\s+(\d+(?:\.\d+)?)\s*mm\s*$", re.I)
POINTS_PER_MM = 72 / 25.4
ISSUE_SCHEMA = {
    "year": Field(int, doc="year of the issue"),
    "number": Field(int, doc="number of the issue in its year"),
    "date": Field(dt.date, doc="publication date (YYYY-MM-DD)"),
    "articles": Field(list, doc="the article files, in order"),
}
ARTICLE_SCHEMA = {
    "title": Field(str, doc="article title"),
    "section": Field(str, doc="one of the newsletter's sections"),
    "byline": Field(str, required=False, doc="author or compiler, e.g. 董金鑫"),
    "highlight": Field(bool, required=False, doc="list the article under 本期要目 on the cover"),
}


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


def load_issue(folder: Path) -> Issue:
    """Read, validate and model one issue folder; raise InputError listing every problem."""
    folder = issue_folder(folder)
    problems = Problems()
    if not os.path.isfile(folder / ISSUE_FILE):
        raise InputError([Problem(folder / ISSUE_FILE, 0, 0,
                                  "找不到 issue.yaml (not an issue folder)")])
    if not inside(folder / ISSUE_FILE, folder):
        raise InputError([Problem(folder / ISSUE_FILE, 0, 0, "issue.yaml 链接到本期目录以外，拒绝读取 "
                                  "(issue.yaml links outside the issue folder: refused)")])
    settings = load_settings(folder.parent / SETTINGS_FILE, problems)
    meta, lines = read_yaml(folder / ISSUE_FILE, problems)
    validate(meta, lines, ISSUE_SCHEMA, folder / ISSUE_FILE, problems)
    names = article_names(folder, meta, lines, problems)
    articles = load_articles(folder, names, settings, problems)
    check_numbers(meta, lines, folder / ISSUE_FILE, problems)
    if settings:
        check_section_order(articles, settings, folder / ISSUE_FILE, lines, problems)
    if problems or settings is None:
        raise InputError(problems)
    return Issue(settings=settings, folder=folder.resolve(), year=meta["year"],
                 number=meta["number"], date=meta["date"], articles=tuple(articles),
                 sections=group_sections(tuple(articles)))


def issue_folder(path: Path) -> Path:
    """The folder as an absolute path without `.` or `..`: its parent, which holds newsletter.yaml, is then
    the real one (`press build .` inside the issue folder).  Links are kept, as the editor named them."""
    return Path(os.path.abspath(path))


def inside(path: Path, folder: Path) -> bool:
    """Whether a path, its links followed, lies in a folder."""
    return path.resolve().is_relative_to(folder.resolve())


def check_numbers(meta: Any, lines: dict[str, int], path: Path, problems: Problems) -> None:
    """The year has four digits and the issue number is positive."""
    if not isinstance(meta, dict):
        return
    year, number = meta.get("year"), meta.get("number")
    if has_type(year, int) and not 1000 <= year <= 9999:
        problems.add(path, lines.get("year", 1), 1, f"年份应为四位数 (year must have four digits, got {shown(year)})")
    if has_type(number, int) and not 1 <= number <= 999:
        problems.add(path, lines.get("number", 1), 1,
                     f"期号应在 1 到 999 之间 (number must be 1–999, got {shown(number)})")


def load_settings(path: Path, problems: Problems) -> Settings | None:
    """The newsletter-wide settings; None (with problems) when they are unusable."""
    if not os.path.isfile(path):
        problems.add(path, 0, 0, "找不到刊物设置文件 newsletter.yaml (newsletter settings missing)")
        return None
    data, lines = read_yaml(path, problems)
    if not validate(data, lines, SETTINGS_SCHEMA, path, problems):
        return None
    for name in data["sections"]:
        if not isinstance(name, str) or not name.strip():
            problems.add(path, lines.get("sections", 0), 1, "栏目名称必须是文字 (section names must be text)")
            return None
    if not SLUG.match(data["slug"]):
        problems.add(path, lines["slug"], 1, "slug 只能用小写字母、数字和连字符 (a-z, 0-9, -)")
        return None
    printed = [(name, data[name], lines.get(name, 1)) for name in ("title", "title_en", "publisher")]
    printed += [("sections", name, lines.get(f"sections[{index}]", lines.get("sections", 1)))
                for index, name in enumerate(data["sections"])]
    folders = style_folders(path, data, lines, problems)
    if folders is None:
        return None
    style, styles_dir, fonts_dir, stylesheet = folders
    check = check_settings(data.get("check") or {}, lines, path, problems)
    mail = mail_settings(data["mail"], lines, path, problems) if "mail" in data else MailSettings()
    unprintable = [(line, message) for name, value, line in printed
                   if (message := printable.field_problem(name, value, fonts_dir, stylesheet))]
    for line, message in unprintable:
        problems.add(path, line, 1, message, Kind.CHARACTER)
    if check is None or mail is None or unprintable:
        return None
    return Settings(slug=data["slug"], title=data["title"], title_en=data["title_en"],
                    publisher=data["publisher"], sections=tuple(data["sections"]),
                    style=style, language=data.get("language", "zh-Hans"),
                    styles_dir=styles_dir, fonts_dir=fonts_dir, check=check, mail=mail)


def style_folders(path: Path, data: dict, lines: dict[str, int],
                  problems: Problems) -> tuple[str, Path, Path, str] | None:
    """The style's name, the styles and fonts folders and the stylesheet's text; None (with problems) when one
    of them cannot be used: a name no folder can have, a folder missing, the stylesheet or a font it names
    unreadable."""
    for name in ("style", "styles_dir", "fonts_dir"):
        if isinstance(data.get(name), str) and (reason := name_problem(data[name])):
            problems.add(path, lines.get(name, 0), 1, f"{name} 不能用作文件夹名：{reason[0]} "
                         f"({name} cannot name a folder: {reason[1]})")
            return None
    root = path.parent.parent
    styles_dir = resolve_dir(path, data.get("styles_dir"), root / "styles")
    fonts_dir = resolve_dir(path, data.get("fonts_dir"), root / "fonts")
    style = data.get("style", "default")
    if not os.path.isdir(styles_dir / style):
        problems.add(path, lines.get("style", 0), 1, f"找不到样式 {style} (no folder {styles_dir / style})")
        return None
    if not os.path.isdir(fonts_dir):
        problems.add(path, lines.get("fonts_dir", 0), 1, f"找不到字体文件夹 (no fonts folder {fonts_dir})")
        return None
    stylesheet = read_text(styles_dir / style / STYLESHEET, problems)
    if stylesheet is None or not fonts_readable(styles_dir / style / STYLESHEET, stylesheet, fonts_dir, problems):
        return None
    return style, styles_dir, fonts_dir, stylesheet


def fonts_readable(stylesheet: Path, text: str, fonts_dir: Path, problems: Problems) -> bool:
    """Whether every font file the stylesheet's @font-face rules name can be read (a missing one is left to the
    sandbox, which refuses it at its line); a problem at the rule for each that cannot."""
    found = len(problems)
    for name, _ in font_faces(text):
        line = text[: max(0, text.find(f"font:{name}"))].count("\n") + 1
        if reason := name_problem(name):
            problems.add(stylesheet, line, 1, f"字体文件名无法使用 font:{shown(name)}：{reason[0]} "
                         f"(the font's name cannot name a file: {reason[1]})")
            continue
        if os.path.lexists(fonts_dir / name) and (reason := unreadable(fonts_dir / name)):
            problems.add(stylesheet, line, 1, f"无法读取字体文件 {name} (cannot read the font file: {reason})")
    return len(problems) == found


def check_settings(data: dict, lines: dict[str, int], path: Path,
                   problems: Problems) -> CheckSettings | None:
    """The `check:` block: size budget, page size and bars; None (with problems) if unusable."""
    nested = {key[len("check."):]: line for key, line in lines.items() if key.startswith("check.")}
    if not validate(data, nested, CHECK_SCHEMA, path, problems, first_line=lines.get("check", 1)):
        return None
    found = len(problems)
    max_bytes = parse_size(data.get("max_size", "5 MB"))
    if max_bytes is None:
        problems.add(path, nested.get("max_size", 0), 1, f"文件大小写法不对 (max_size: write e.g. 5 MB or "
                     f"450 KB, got {shown(data['max_size'])})")
    page_size = parse_page_size(data.get("page_size", "A4"))
    if page_size is None:
        problems.add(path, nested.get("page_size", 0), 1, "页面尺寸写法不对 (page_size: A3, A4, A5, B5, "
                     f"Letter or e.g. 185mm 260mm, got {shown(data['page_size'])})")
    bars = []
    for name, value in (data.get("bars") or {}).items():
        line = nested.get(f"bars.{name}", nested.get("bars", 0))
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            problems.add(path, line, 1, f"阈值应为不小于 0 的数 (bar {name} must be a number ≥ 0, got {shown(value)})")
        else:
            bars.append((str(name), float(value), line))
    if len(problems) > found:
        return None
    return CheckSettings(max_bytes=max_bytes, page_size=page_size, bars=tuple(bars), path=path)


def mail_settings(data: Any, lines: dict[str, int], path: Path, problems: Problems) -> MailSettings | None:
    """The `mail:` block: sender, SMTP server, security, rate and retries; None (with problems) if unusable."""
    nested = {key[len("mail."):]: line for key, line in lines.items() if key.startswith("mail.")}
    if not validate(data, nested, MAIL_SCHEMA, path, problems, first_line=lines.get("mail", 1)):
        return None
    found = len(problems)
    security = data.get("security", "starttls")
    if security not in SECURITY:
        problems.add(path, nested.get("security", 0), 1, f"security 应为 starttls、tls 或 none "
                     f"(security must be starttls, tls or none, got {shown(security)})")
    if "@" not in data["from"]:
        problems.add(path, nested.get("from", 0), 1,
                     f"发件人地址不对 (from must hold an address, got {shown(data['from'])})")
    elif printable.breaks_line(data["from"]):
        problems.add(path, nested.get("from", 0), 1, "from 中有换行或控制字符 (from holds a line break or a control "
                     "character: write the sender on one line, e.g. 新材料监测快报 <newsletter@example.org>)")
    rate = data.get("per_minute", 30)
    if isinstance(rate, bool) or rate <= 0:
        problems.add(path, nested.get("per_minute", 0), 1, f"per_minute 应大于 0 (must be > 0, got {shown(rate)})")
    if len(problems) > found:
        return None
    return MailSettings(sender=data["from"], host=data.get("host", "localhost"), port=data.get("port", 587),
                        security=security, per_minute=float(rate), retries=max(0, data.get("retries", 3)))


def parse_size(text: str | int) -> int | None:
    """Bytes from 5 MB, 450 KB, 1.5MB or a plain number of bytes; None if unreadable."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text if text > 0 else None
    match = SIZE.match(str(text))
    if not match:
        return None
    return int(float(match.group(1)) * SIZE_UNITS[(match.group(2) or "b").lower()]) or None


def parse_page_size(text: str) -> tuple[float, float] | None:
    """(width, height) in points from A4, A5, B5, Letter or "185mm 260mm"; None if unreadable."""
    millimetres = PAGE_SIZES_MM.get(str(text).strip().lower())
    if millimetres is None and (match := CUSTOM_PAGE.match(str(text))):
        millimetres = (float(match.group(1)), float(match.group(2)))
    if millimetres is None:
        return None
    return (millimetres[0] * POINTS_PER_MM, millimetres[1] * POINTS_PER_MM)


def resolve_dir(settings_path: Path, given: str | None, default: Path) -> Path:
    """A folder named in the settings, relative to the settings file."""
    return Path(os.path.realpath(settings_path.parent / given if given else default))


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


def article_names(folder: Path, meta: Any, lines: dict[str, int],
                  problems: Problems) -> list[tuple[str, int]]:
    """The article files named in issue.yaml, with their lines; checks the folder agrees."""
    issue_path = folder / ISSUE_FILE
    listed = meta.get("articles") if isinstance(meta, dict) else None
    if not isinstance(listed, list):
        return []
    names: list[tuple[str, int]] = []
    seen: dict[str, int] = {}
    for index, name in enumerate(listed):
        line = lines.get(f"articles[{index}]", lines.get("articles", 0))
        if not isinstance(name, str) or not name.endswith(".md") or "/" in name or "\\" in name:
            problems.add(issue_path, line, 1,
                         f"文章应为本目录下的 .md 文件名 (expected a .md file name here, got {shown(name)})")
        elif reason := name_problem(name):
            problems.add(issue_path, line, 1, f"文章文件名无法使用 {shown(name)}：{reason[0]} "
                         f"(the article's name cannot name a file: {reason[1]})")
        elif reason := not_a_source(Path(name)):
            problems.add(issue_path, line, 1, f"文章 {name} {reason[0]}，请改名 (the article's name {reason[1]}: "
                         "press watch and press mail would not count it; rename it)")
        elif name in seen:
            problems.add(issue_path, line, 1, f"文章 {name} 重复列出，首次在第 {seen[name]} 行 (listed twice)")
        elif not os.path.exists(folder / name):
            problems.add(issue_path, line, 1, f"找不到文章文件 {name} (article file missing)")
        elif not inside(folder / name, folder):
            problems.add(issue_path, line, 1, f"文章 {name} 链接到本期目录以外，拒绝读取 "
                         "(the article file links outside the issue folder: refused)")
        else:
            seen[name] = line
            names.append((name, line))
    for path in sorted(folder.glob("*.md")):
        if path.name not in seen and path.name not in listed:
            problems.add(path, 1, 1, "文章未列入 issue.yaml 的 articles (article not listed in issue.yaml)")
    return names


def load_articles(folder: Path, names: list[tuple[str, int]], settings: Settings | None,
                  problems: Problems) -> list[Article]:
    """Every listed article, footnotes numbered through the issue."""
    articles = []
    next_number = 1
    for name, _ in names:
        article = load_article(folder / name, settings, next_number, problems)
        if article:
            articles.append(article)
            next_number += len(article.footnotes)
    return articles


def load_article(path: Path, settings: Settings | None, first_footnote: int,
                 problems: Problems) -> Article | None:
    """One article file: front matter, then Markdown body."""
    text = read_text(path, problems)
    if text is None:
        return None
    match = FRONT_MATTER.match(text)
    if not match:
        problems.add(path, 1, 1, "缺少开头的 YAML 信息块 (front matter between --- lines missing)")
        return None
    if settings:
        check_characters(path, text, settings, problems)
    meta, lines = read_yaml(path, problems, match.group(1) or "", line_offset=1)
    if not validate(meta, lines, ARTICLE_SCHEMA, path, problems, first_line=1):
        return None
    for name in ("title", "byline"):
        if isinstance(meta.get(name), str):
            check_field(path, name, meta[name], lines.get(name, 1), settings, problems)
    if settings and meta["section"] not in settings.sections:
        problems.add(path, lines["section"], 1, f"未知栏目 {meta['section']} (unknown section; "
                     f"known: {'、'.join(settings.sections)})")
    body_offset = text[: match.end()].count("\n")
    ident = ids.article_id(path.stem)
    markup = article_markup(text[match.end():], first_footnote, body_offset, ident)
    for line, column, message, kind in markup.problems:
        problems.add(path, line, column, message, kind)
    if settings:
        check_decoded(path, markup.decoded, settings, problems)
    for src, line in markup.images:
        if check_image(path, src, line, problems) and settings:
            check_svg_text(path, unquote(src), line, settings, problems)
    return Article(ident=ident, path=path.resolve(), title=meta["title"].strip(),
                   section=meta["section"], body_html=markup.html,
                   footnotes=tuple(markup.footnotes), byline=meta.get("byline"),
                   highlight=meta.get("highlight", False), title_line=lines.get("title", 1),
                   section_line=lines.get("section", 1),
                   blocks=tuple(markup.blocks))


@lru_cache(maxsize=256)
def article_markup(body: str, first_footnote: int, body_offset: int, ident: str) -> Markup:
    """`markup.to_html` of an article's body, remembered: it reads no file, so `press watch` converts
    again only the articles an edit changed (0.01–0.03 s each). The result is not to be changed."""
    return to_html(body, first_footnote, body_offset, block_prefix=ident)


def stylesheet_text(settings: Settings) -> str:
    """The style's stylesheet, whose @font-face rules say which face draws which characters ("" if none)."""
    return style_text(settings.style_dir)


def style_text(style_dir: Path) -> str:
    try:
        return read_source(style_dir / STYLESHEET).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):  # reported by the loader, which read it first
        return ""


def check_characters(path: Path, text: str, settings: Settings, problems: Problems) -> None:
    """Every character of an article file must print: drawn by a face of the style, no control character
    or bidirectional override (press.printable)."""
    for line, column, message in character_problems(text, settings.fonts_dir, stylesheet_text(settings)):
        problems.add(path, line, column, message, Kind.CHARACTER)


@lru_cache(maxsize=256)
def character_problems(text: str, fonts_dir: Path, stylesheet: str) -> tuple[tuple[int, int, str], ...]:
    """`printable.text_problems` of a file's text, remembered as `article_markup` is (coverage is per
    fonts folder and stylesheet already)."""
    return tuple(printable.text_problems(text, fonts_dir, stylesheet))


def check_decoded(path: Path, decoded: list[tuple[int, int, str]], settings: Settings, problems: Problems) -> None:
    """The characters the article's entities (`&#x30EDE;`) print must print too."""
    covered = printable.covered_characters(settings.fonts_dir, stylesheet_text(settings))
    for line, column, chars in decoded:
        for char in chars:
            if message := printable.character_problem(char, covered):
                problems.add(path, line, column, message, Kind.CHARACTER)


def check_field(path: Path, name: str, value: str, line: int, settings: Settings | None, problems: Problems) -> None:
    """A title or byline is plain text that prints: no Markdown marks, not blank, every character printable."""
    if found := MARKUP_IN_TEXT.search(value):
        problems.add(path, line, 1, f"{name} 是纯文字，Markdown 记号 {found.group()} 会原样印出 "
                     f"({name} is plain text: {found.group()} would print as typed; write e.g. MoS₂ with the "
                     "Unicode subscript, or leave the marks out)")
    if settings and (message := printable.field_problem(name, value, settings.fonts_dir, stylesheet_text(settings))):
        problems.add(path, line, 1, message, Kind.CHARACTER)


def check_svg_text(article: Path, src: str, line: int, settings: Settings, problems: Problems) -> None:
    """The text an SVG figure draws must be drawable by a face of the style, like the article's own."""
    target = (article.parent / src).resolve()
    if target.suffix.lower() != ".svg":
        return
    text = svg_text(target)
    found = printable.text_problems(text, settings.fonts_dir, stylesheet_text(settings), scripts_set=False)
    for message in dict.fromkeys(message for _, _, message in found):
        problems.add(article, line, 1, f"图片 {src} 中的文字：{message}", Kind.CHARACTER)


def check_image(article: Path, src: str, line: int, problems: Problems) -> bool:
    """An image must be a file of a known kind inside the issue folder; whether it is.

    `src` is the link as Markdown normalised it: 图 1.png arrives as %E5%9B%BE%201.png.
    """
    src = unquote(src)
    if reason := name_problem(src):
        problems.add(article, line, 1, f"图片路径无法使用 {shown(src)}：{reason[0]} (the image's path cannot name a "
                     f"file: {reason[1]})")
        return False
    folder = article.parent.resolve()
    target = Path(os.path.realpath(folder / src))
    if "://" in src or src.startswith("/") or not target.is_relative_to(folder):
        problems.add(article, line, 1, f"图片必须在本期目录中 (image must lie in the issue folder: {src})")
    elif not os.path.exists(target) and "\\" in src:
        problems.add(article, line, 1, f"找不到图片 {src}：路径中的分隔符请用 / 而不是 \\ "
                     f"(image file missing: separate folders with /, not \\, e.g. {src.replace(chr(92), '/')})")
    elif not os.path.exists(target):
        problems.add(article, line, 1, f"找不到图片 {src} (image file missing)")
    elif reason := not_a_source(target.relative_to(folder)):
        problems.add(article, line, 1, f"图片 {src} {reason[0]}，press 不把它当作本期的文件，请改名 (the "
                     "picture's name "
                     f"{reason[1]}: press watch would not see it change and press mail would send a PDF older than "
                     "it; rename it)")
    elif target.suffix.lower() not in IMAGE_SUFFIXES:
        problems.add(article, line, 1, f"不支持的图片格式 {target.suffix} (use PNG, JPEG, GIF, WebP or SVG)")
    elif reason := unreadable(target):
        problems.add(article, line, 1, f"无法读取图片 {src} (cannot read the image: {reason})")
    elif target.stat().st_size > MAX_IMAGE_BYTES:
        problems.add(article, line, 1, f"图片文件过大 {src}：{target.stat().st_size / 2**20:.0f} MB "
                     f"(image file too large: at most {MAX_IMAGE_BYTES // 2**20} MB)")
    else:
        problem = svg_problem(target) if target.suffix.lower() == ".svg" else raster_problem(target)
        if problem:
            problems.add(article, line, 1, f"{problem[0]} {src} ({problem[1]})")
        return problem is None
    return False


def check_section_order(articles: list[Article], settings: Settings, issue_path: Path,
                        lines: dict[str, int], problems: Problems) -> None:
    """Articles of one section stand together, sections in the newsletter's order."""
    order = {name: index for index, name in enumerate(settings.sections)}
    previous = -1
    for index, article in enumerate(articles):
        rank = order.get(article.section)
        if rank is None:
            continue
        if rank < previous:
            problems.add(issue_path, lines.get(f"articles[{index}]", 0), 1,
                         f"{article.path.name} 属于栏目 {article.section}，应排在"
                         f"{settings.sections[previous]}之前 (sections must follow the order "
                         f"{'、'.join(settings.sections)})")
        previous = max(previous, rank)
