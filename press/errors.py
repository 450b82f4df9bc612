"""Errors that an editor can act on.

Every problem in the input is a `Problem` with the file, line and column it
concerns.  Loading gathers all of them; `InputError` carries them out of the
pipeline at once and makes the command line exit with status 2.
"""

from dataclasses import dataclass
from pathlib import Path

import click


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the input, at a place in a file (line/col from 1)."""

    path: Path
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        where = display_path(self.path)
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return f"{where}: {self.message}"


def display_path(path: Path) -> str:
    """The path relative to the working folder when it lies below it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class PressError(click.ClickException):
    """A failure press explains in one message (exit status 1)."""

    exit_code = 1


class InputError(PressError):
    """The issue's files have problems; each is reported with its place."""

    exit_code = 2

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))

    def format_message(self) -> str:
        count = len(self.problems)
        return f"{self.message}\n{count} problem{'s' if count != 1 else ''} in the input."


class LayoutError(PressError):
    """The laid-out pages break a rule press guarantees (e.g. a footnote off its page)."""
