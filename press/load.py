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

from press import ids, printable
from press.errors import InputError, Kind, Problem
from press.imagefiles import check_image, check_svg_text, picture_size
from press.locale import chrome
from press.markup import Markup, to_html, with_picture_sizes
from press.model import (
    ISSUE_FILE,
    NOTE_FILE,
    SETTINGS_FILE,
    Article,
    Issue,
    Settings,
    group_sections,
)
from press.settings import load_settings, stylesheet_text
from press.sources import inside, issue_folder, name_problem, not_a_source
from press.yamlfile import (
    FRONT_MATTER,
    FRONT_MATTER_OPEN,
    Field,
    Problems,
    closest,
    has_type,
    read_text,
    read_yaml,
    shown,
    validate,
)

FIELD_LINE = re.compile(r"[^\s#:-][^:]*:(?:[ \t]|$)|[ \t]+\S|[-#]")  # a field, a line it runs on, an item, a comment
MARKUP_IN_TEXT = re.compile(r"~[^~\s]+~|\^[^^\s]+\^|\*\*[^*]+\*\*|(?<![*\w])\*[^*\s][^*]*\*(?![*\w])|`[^`]+`")
ISSUE_SCHEMA = {
    "year": Field(int, doc="year of the issue"),
    "number": Field(int, doc="number of the issue in its year"),
    "date": Field(dt.date, doc="publication date (YYYY-MM-DD)"),
    "articles": Field(list, doc="the article files, in order"),
}
NOTE_SCHEMA = {  # the front matter of the editor's note (NOTE_FILE), which may have none
    "title": Field(str, required=False, doc="the note's title (default 卷首语; "
                   "卷首語 in Traditional, From the Editor in English: press.locale)"),
    "byline": Field(str, required=False, doc="its signature, printed flush right, e.g. 本刊编辑部"),
}
ARTICLE_SCHEMA = {
    "title": Field(str, doc="article title"),
    "section": Field(str, doc="one of the newsletter's sections"),
    "byline": Field(str, required=False, doc="author or compiler, e.g. 董金鑫"),
    "highlight": Field(bool, required=False, doc="list the article under 本期要目 on the cover"),
}


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
    note = load_note(folder / NOTE_FILE, settings, problems)
    articles = load_articles(folder, names, settings, problems, 1 + len(note.footnotes) if note else 1)
    check_numbers(meta, lines, folder / ISSUE_FILE, problems)
    if settings:
        check_section_order(articles, settings, folder / ISSUE_FILE, lines, problems)
    if problems or settings is None:
        raise InputError(problems)
    return Issue(settings=settings, folder=folder.resolve(), year=meta["year"],
                 number=meta["number"], date=meta["date"], articles=tuple(articles),
                 sections=group_sections(tuple(articles)), note=note)


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


def article_names(folder: Path, meta: Any, lines: dict[str, int],
                  problems: Problems) -> list[tuple[str, int]]:
    """The article files named in issue.yaml, with their lines; checks the folder agrees."""
    issue_path = folder / ISSUE_FILE
    listed = meta.get("articles") if isinstance(meta, dict) else None
    if not isinstance(listed, list):
        return []
    names: list[tuple[str, int]] = []
    seen: dict[str, int] = {}
    unlisted = [path.name for path in sorted(folder.glob("*.md")) if path.name not in listed and path.name != NOTE_FILE]
    meant: set[str] = set()  # unlisted files a misspelt name stands for: not reported again as unlisted
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
        elif name == NOTE_FILE:
            problems.add(issue_path, line, 1, f"{NOTE_FILE} 是卷首语，自动印在第一个栏目之前，不列入 articles "
                         "(the editor's note is printed before the first section by itself: leave it out of "
                         "articles)")
        elif name in seen:
            problems.add(issue_path, line, 1, f"文章 {name} 重复列出，首次在第 {seen[name]} 行 (listed twice)")
        elif not os.path.exists(folder / name) and (guess := closest_file(name, unlisted)):
            meant.add(guess)
            problems.add(issue_path, line, 1, f"找不到文章文件 {name}，是否应为 {guess}？"
                         f"(article file missing: did you mean {guess}?)")
        elif not os.path.exists(folder / name):
            problems.add(issue_path, line, 1, f"找不到文章文件 {name} (article file missing)")
        elif not inside(folder / name, folder):
            problems.add(issue_path, line, 1, f"文章 {name} 链接到本期目录以外，拒绝读取 "
                         "(the article file links outside the issue folder: refused)")
        else:
            seen[name] = line
            names.append((name, line))
    for path in sorted(folder.glob("*.md")):
        if path.name not in seen and path.name not in listed and path.name not in meant and path.name != NOTE_FILE:
            note = closest(path.stem, [Path(NOTE_FILE).stem], cutoff=0.75)  # editor_note.md, editor-notes.md
            hint = (f"；若是卷首语，请命名为 {NOTE_FILE}", f"; if it is the editor's note, name it {NOTE_FILE}") \
                if note else ("", "")
            problems.add(path, 1, 1, f"文章未列入 issue.yaml 的 articles{hint[0]} (article not listed in "
                         f"issue.yaml{hint[1]})")
    return names


def closest_file(name: str, candidates: list[str]) -> str | None:
    """The unlisted article file a listed name that names no file most likely means, compared by stem (every
    name ends .md and many start alike, 02-b.md and 03-c.md, so only a close likeness counts)."""
    stems = {Path(candidate).stem: candidate for candidate in candidates}
    guess = closest(Path(name).stem, list(stems), cutoff=0.8)
    return stems[guess] if guess else None


def load_articles(folder: Path, names: list[tuple[str, int]], settings: Settings | None,
                  problems: Problems, next_number: int = 1) -> list[Article]:
    """Every listed article, footnotes numbered through the issue from `next_number`."""
    articles = []
    for name, _ in names:
        article = load_article(folder / name, settings, next_number, problems)
        if article:
            articles.append(article)
            next_number += len(article.footnotes)
    return articles


def load_note(path: Path, settings: Settings | None, problems: Problems) -> Article | None:
    """The issue's editor's note (NOTE_FILE), if the folder has one: like an article, but of no section, its front
    matter optional (NOTE_SCHEMA), its footnotes numbered first."""
    if not os.path.lexists(path):
        return None
    if not inside(path, path.parent):
        problems.add(path, 1, 1, f"{NOTE_FILE} 链接到本期目录以外，拒绝读取 "
                     "(the editor's note links outside the issue folder: refused)")
        return None
    head = read_head(path, NOTE_SCHEMA, settings, problems, required=False)
    if head is None:
        return None
    text, match, meta, lines = head
    body = load_body(path, text, match.end() if match else 0, settings, 1, problems)
    return Article(ident=body.ident, path=path.resolve(), title=note_title(meta, settings), section="",
                   body_html=body.html, footnotes=tuple(body.markup.footnotes), byline=meta.get("byline"),
                   title_line=lines.get("title", 1), blocks=tuple(body.markup.blocks))


def read_head(path: Path, schema: dict[str, Field], settings: Settings | None, problems: Problems,
              required: bool) -> tuple[str, re.Match | None, dict, dict[str, int]] | None:
    """An article file's text and its front matter read against `schema` (its title and byline printable): the
    text, the front matter's match (None when it has none and need not), its fields and their lines; None (with
    problems) when the file cannot be read or its front matter is unclosed, missing (`required`) or unusable."""
    text = read_text(path, problems)
    if text is None or unclosed_front_matter(path, text, problems):
        return None
    match = FRONT_MATTER.match(text)
    if required and not match:
        problems.add(path, 1, 1, "缺少开头的 YAML 信息块 (front matter between --- lines missing)")
        return None
    if settings:
        check_characters(path, text, settings, problems)
    meta, lines = read_yaml(path, problems, match.group(1) or "", line_offset=1) if match else ({}, {})
    if meta is None and not lines and not required:  # a front matter of no fields: the defaults
        meta = {}
    if not validate(meta, lines, schema, path, problems, first_line=1):
        return None
    for name in ("title", "byline"):
        if isinstance(meta.get(name), str):
            check_field(path, name, meta[name], lines.get(name, 1), settings, problems)
    return text, match, meta, lines


def unclosed_front_matter(path: Path, text: str, problems: Problems) -> bool:
    """Whether a file opens a front matter (a first line ---) it never closes; a problem saying where to close it."""
    if FRONT_MATTER.match(text) or not FRONT_MATTER_OPEN.match(text):
        return False
    last = last_field_line(text)
    problems.add(path, 1, 1, f"开头的 YAML 信息块没有结束：请在第 {last} 行之后加一行 --- (the front matter is "
                 f"not closed: add a line --- after line {last}, its last field, before the text)")
    return True


def note_title(meta: dict, settings: Settings | None) -> str:
    """The editor's note's title: its own, or the default title in the newsletter's language."""
    return meta.get("title", chrome(settings.language if settings else "").note_title).strip()


def load_article(path: Path, settings: Settings | None, first_footnote: int,
                 problems: Problems) -> Article | None:
    """One article file: front matter, then Markdown body."""
    head = read_head(path, ARTICLE_SCHEMA, settings, problems, required=True)
    if head is None:
        return None
    text, match, meta, lines = head
    if settings and meta["section"] not in settings.sections:
        if guess := closest(meta["section"], list(settings.sections)):
            problems.add(path, lines["section"], 1, f"未知栏目 {meta['section']}，是否应为 {guess}？"
                         f"(unknown section {meta['section']}: did you mean {guess}?)")
        else:
            problems.add(path, lines["section"], 1, f"未知栏目 {meta['section']} (unknown section; "
                         f"known: {'、'.join(settings.sections)})")
    body = load_body(path, text, match.end(), settings, first_footnote, problems)
    return Article(ident=body.ident, path=path.resolve(), title=meta["title"].strip(),
                   section=meta["section"], body_html=body.html,
                   footnotes=tuple(body.markup.footnotes), byline=meta.get("byline"),
                   highlight=meta.get("highlight", False), title_line=lines.get("title", 1),
                   section_line=lines.get("section", 1),
                   blocks=tuple(body.markup.blocks))


@dataclass(frozen=True)
class Body:
    """An article's (or the editor's note's) Markdown body read: its id, its markup, its HTML with picture sizes."""

    ident: str
    markup: Markup
    html: str


def load_body(path: Path, text: str, start: int, settings: Settings | None, first_footnote: int,
              problems: Problems) -> Body:
    """The Markdown of a file from offset `start` (after its front matter): converted, its problems, images and
    characters reported at their lines."""
    body_offset = text[:start].count("\n")
    ident = ids.article_id(path.stem)
    markup = article_markup(text[start:], first_footnote, body_offset, ident)
    for line, column, message, kind in markup.problems:
        problems.add(path, line, column, message, kind)
    if settings:
        check_decoded(path, markup.decoded, settings, problems)
    sizes = {}
    for src, line in markup.images:
        if check_image(path, src, line, problems):
            if settings:
                check_svg_text(path, unquote(src), line, settings, problems)
            if size := picture_size(path.parent / unquote(src)):
                sizes[src] = size
    return Body(ident, markup, with_picture_sizes(markup.html, sizes))


def last_field_line(text: str) -> int:
    """The line (from 1) of the last field of a front matter left open: the lines after its `---` that read
    as fields, up to the first that does not (a blank line, the text's first paragraph)."""
    lines = text.split("\n")
    last = 1
    while last < len(lines) and FIELD_LINE.match(lines[last]):
        last += 1
    return last


@lru_cache(maxsize=256)
def article_markup(body: str, first_footnote: int, body_offset: int, ident: str) -> Markup:
    """`markup.to_html` of an article's body, remembered: it reads no file, so `press watch` converts
    again only the articles an edit changed (0.01–0.03 s each). The result is not to be changed."""
    return to_html(body, first_footnote, body_offset, block_prefix=ident)


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
