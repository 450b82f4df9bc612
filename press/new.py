"""The next issue's folder (press new): issue.yaml and its article skeletons, ready to build.

Takes the issues folder (the one holding newsletter.yaml) and, optionally, an issue whose articles to
follow; writes <issues>/<next>/ and returns it.  The next issue is the one after the latest (the
highest year and number): its date a month later, its number one more (1 in a new year), its folder
named as the latest one is (`2024-05` after `2024-04`, else `<year>-<number>`).  Nothing is
overwritten: an existing folder is an input error.  The skeletons: one per section, or one for each
section `new_issue:` in newsletter.yaml lists, or the articles of the issue given.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from press.errors import InputError, Problem
from press.load import load_issue
from press.model import ISSUE_FILE, SETTINGS_FILE
from press.settings import load_settings
from press.yamlfile import Problems, read_yaml

MONTHLY_NAME = re.compile(r"^\d{4}-\d{2}$")
PLACEHOLDER_TITLE = "（{section}：标题）"
PLACEHOLDER_TEXT = "（正文。）"
NO_ISSUE = "找不到任何一期 (no issue folder with an issue.yaml here)"


@dataclass(frozen=True)
class Skeleton:
    """One article file of the new issue: its name and its section."""

    name: str
    section: str


def new_issue(issues: Path, template: Path | None = None) -> Path:
    """Write the issue after the latest in `issues` (articles as in `template` when given); return its folder."""
    problems = Problems()
    settings = load_settings(issues / SETTINGS_FILE, problems)
    latest = latest_issue(issues, problems)
    if settings is None or latest is None or problems:
        raise InputError(problems or [Problem(issues, 0, 0, NO_ISSUE)])
    folder, meta = latest
    year, number, when = following(meta["year"], meta["number"], meta["date"])
    name = f"{when.year}-{when.month:02d}" if MONTHLY_NAME.match(folder.name) else f"{year}-{number:02d}"
    target = issues / name
    if target.exists():
        raise InputError([Problem(target, 0, 0, f"{name} 已存在，不覆盖 (the folder exists: nothing was written)")])
    skeletons = (articles_of(template) if template else
                 [Skeleton(f"{index:02d}-article.md", section)
                  for index, section in enumerate(settings.new_articles, 1)])
    target.mkdir()
    for index, skeleton in enumerate(skeletons):
        (target / skeleton.name).write_text(article_text(skeleton.section, highlight=index == 0), encoding="utf-8")
    (target / ISSUE_FILE).write_text(issue_text(year, number, when, skeletons), encoding="utf-8")
    return target


def latest_issue(issues: Path, problems: Problems) -> tuple[Path, dict] | None:
    """The issue folder with the highest (year, number) and its issue.yaml, read; None if there is none."""
    found = []
    for path in sorted(issues.glob(f"*/{ISSUE_FILE}")):
        meta, _ = read_yaml(path, problems)
        if isinstance(meta, dict) and isinstance(meta.get("year"), int) and isinstance(meta.get("number"), int) \
                and isinstance(meta.get("date"), date):
            found.append(((meta["year"], meta["number"]), path.parent, meta))
    return max(found, key=lambda entry: entry[0])[1:] if found else None


def following(year: int, number: int, when: date) -> tuple[int, int, date]:
    """The next issue's year, number and date: a month later, numbered on (from 1 in a new year)."""
    month = when.month % 12 + 1
    next_year = when.year + (when.month == 12)
    day = min(when.day, calendar.monthrange(next_year, month)[1])
    after = date(next_year, month, day)
    return (after.year, 1, after) if after.year != year else (year, number + 1, after)


def articles_of(template: Path) -> list[Skeleton]:
    """The article files of `template` (an issue folder, loaded and checked as a build loads it), with sections."""
    return [Skeleton(article.path.name, article.section) for article in load_issue(template).articles]


def article_text(section: str, highlight: bool) -> str:
    """An article skeleton that builds as it is: a placeholder title and paragraph in its section."""
    flag = "highlight: true\n" if highlight else ""
    title = PLACEHOLDER_TITLE.format(section=section)
    return f"---\ntitle: {title}\nsection: {section}\n{flag}---\n\n{PLACEHOLDER_TEXT}\n"


def issue_text(year: int, number: int, when: date, skeletons: list[Skeleton]) -> str:
    """The new issue.yaml."""
    listed = "".join(f"  - {skeleton.name}\n" for skeleton in skeletons)
    return f"year: {year}\nnumber: {number}\ndate: {when.isoformat()}\narticles:\n{listed}"
