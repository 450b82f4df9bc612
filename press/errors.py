"""Errors that an editor can act on.

Every problem in the input is a `Problem` with the file, line and column it
concerns.  Loading gathers all of them; `InputError` carries them out of the
pipeline at once and makes the command line exit with status 2.
"""

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import click

from press.locale import chrome

LineProblem = tuple[int, int, str, str]  # (line, column, message, kind) in a file, before the file is named


class Kind(StrEnum):
    """What a problem is about, for the tools that sort problems (press lint reports the footnote kinds as
    its own findings); most problems are plain input problems."""

    INPUT = "input"
    FOOTNOTE_MISSING = "footnote-missing"  # a call without text
    FOOTNOTE_UNUSED = "footnote-unused"  # a text never called
    FOOTNOTE_TWICE = "footnote-called-twice"
    FOOTNOTE_DEFINED_TWICE = "footnote-defined-twice"
    FOOTNOTE_NESTED = "footnote-in-footnote"
    FOOTNOTE_IMAGE = "footnote-image"
    FOOTNOTE_SHAPE = "footnote-paragraphs"
    FOOTNOTE_HEADER = "footnote-in-table-header"
    TEXT_LOST = "text-lost"  # source text that would not reach the page
    SYNTAX_PRINTED = "syntax-printed"  # Markdown that would print as typed
    CHARACTER = "character"  # a character that cannot be printed (no font has it, a control, a bidi override)


@dataclass(frozen=True, order=True)
class Place:
    """A place in a file: line and column from 1, 0 when unknown."""

    path: Path
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        where = display_path(self.path)
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return where


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the input, at a place in a file (line/col from 1), and its kind."""

    path: Path
    line: int
    column: int
    message: str
    kind: str = Kind.INPUT

    def __post_init__(self):
        object.__setattr__(self, "message", printable_text(self.message))

    @property
    def place(self) -> Place:
        return Place(self.path, self.line, self.column)

    def __str__(self) -> str:
        return f"{self.place}: {self.message}"


def display_path(path: Path) -> str:
    """The path relative to the working folder when it lies below it."""
    try:
        return printable_text(str(Path(path).resolve().relative_to(Path.cwd().resolve())))
    except ValueError:
        return printable_text(str(path))


def printable_text(text: str) -> str:
    """Text with each lone surrogate written as its escape (\\ud800), which every output can encode: a YAML
    escape brings one into a value that a message quotes, a file name that is not UTF-8 one into a path."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def internal_error(error: BaseException) -> str:
    """The one line that names an unexpected error (a bug in press), e.g.
    `内部错误 (internal error): KeyError: 'x'`: the command line, press watch and press build's workers say it so."""
    return f"内部错误 (internal error): {type(error).__name__}: {printable_text(str(error))}"


class PressError(click.ClickException):
    """A failure press explains in one message (exit status 1)."""

    exit_code = 1


class InputError(PressError):
    """The issue's files have problems; each is reported with its place."""

    exit_code = 2

    def __init__(self, problems: list[Problem], language: str = ""):
        self.problems = sorted(problems)
        self.language = language
        words = chrome(language) if language else None
        super().__init__("\n".join(f"{problem.place}: {words.message(problem.message)}" if words else str(problem)
                                   for problem in self.problems))

    def in_language(self, language: str) -> "InputError":
        """The same problems, their messages as a newsletter of `language` reads them (press.locale: the English
        part alone for English)."""
        return InputError(self.problems, language)

    def format_message(self) -> str:
        count = len(self.problems)
        return f"{self.message}\n{count} problem{'s' if count != 1 else ''} in the input."


class OutputError(PressError):
    """An output press will not write, e.g. a device, a link or a source of the build (exit 2, as click's
    usage errors: the command line names it)."""

    exit_code = 2


class LayoutError(PressError):
    """The laid-out pages break a rule press guarantees (e.g. a footnote off its page)."""
