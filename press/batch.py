"""Many issues at once: `press build issues/*` on every core.

Takes a list of issue folders; builds them in a pool of worker processes (one
per core by default), each worker keeping WeasyPrint and the fonts warm for
the issues it takes.  Reports each issue as it finishes and returns one
`Outcome` per folder, in the order given.  A failing issue never stops the
others; its messages are kept for the report.
"""

import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from press.errors import PressError, Problem, display_path, internal_error
from press.model import output_name


@dataclass(frozen=True)
class Outcome:
    """How one issue's build went: exit status 0, 1 (build or check failed) or 2 (bad input)."""

    folder: Path
    status: int
    pdf: Path | None = None
    pages: int = 0
    size: int = 0
    seconds: float = 0.0
    message: str = ""


def build_one(folder: Path, then_check: bool, draft: bool = False) -> Outcome:
    """Build (and optionally check) one issue in this process, as a draft if `draft`; never raises."""
    from press.build import build

    started = time.perf_counter()
    try:
        built = build(folder, draft=draft)
        status, message = 0, ""
        if then_check:
            from press.check import check_pdf, report_text

            report = check_pdf(built.path, issue=built.issue)
            if not report.passed:
                status, message = 1, report_text(report)
        return Outcome(folder, status, built.path, len(built.layout.document.pages), built.path.stat().st_size,
                       time.perf_counter() - started, message)
    except PressError as error:  # bad input or a PDF it may not write (2), a layout it cannot make right (1)
        return Outcome(folder, error.exit_code, seconds=time.perf_counter() - started,
                       message=error.format_message())
    except Exception as error:  # one broken issue must not stop the archive
        return Outcome(folder, 1, seconds=time.perf_counter() - started, message=internal_error(error))


def same_targets(folders: list[Path]) -> list[Problem]:
    """A problem for each issue that would write the PDF another issue of the list writes (same slug, year, number).

    Read from the YAML alone, before any build; an unreadable file is left to the build to report.
    """
    from press.model import ISSUE_FILE, SETTINGS_FILE
    from press.yamlfile import Problems, read_yaml

    first: dict[tuple, Path] = {}
    problems = []
    for folder in folders:
        meta, _ = read_yaml(folder / ISSUE_FILE, Problems())
        settings, _ = read_yaml(folder.parent / SETTINGS_FILE, Problems())
        try:
            key = (settings["slug"], int(meta["year"]), int(meta["number"]))
        except (ValueError, TypeError, KeyError):
            continue
        if key in first:
            problems.append(Problem(folder / ISSUE_FILE, 0, 0, f"与 {display_path(first[key])} 的年份和期号相同，"
                                    f"会覆盖同一个 PDF (same year and number as {display_path(first[key])}: both "
                                    f"would write {output_name(*key)})"))
        else:
            first[key] = folder
    return problems


def build_many(folders: list[Path], then_check: bool = False, jobs: int | None = None,
               report: Callable[[int, int, Outcome], None] = lambda done, total, outcome: None,
               draft: bool = False) -> list[Outcome]:
    """Build every folder (as drafts if `draft`) with `jobs` worker processes (default: one per core); report each
    as it ends."""
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(folders)))
    outcomes: dict[Path, Outcome] = {}
    for outcome in finished(folders, then_check, jobs, draft):
        outcomes[outcome.folder] = outcome
        report(len(outcomes), len(folders), outcome)
    return [outcomes[folder] for folder in folders]


def finished(folders: list[Path], then_check: bool, jobs: int, draft: bool = False) -> Iterator[Outcome]:
    """Outcomes in the order the builds end."""
    if jobs == 1:
        yield from (build_one(folder, then_check, draft) for folder in folders)
        return
    # spawn, not fork: a forked copy of a process that has loaded Pango is not safe to use
    pool = ProcessPoolExecutor(jobs, mp_context=get_context("spawn"), initializer=unwind_on_sigterm)
    try:
        futures = [pool.submit(build_in_worker, folder, then_check, draft) for folder in folders]
        yield from (future.result() for future in as_completed(futures))
    except BaseException:  # Ctrl-C, SIGTERM: no build starts or ends after it
        workers = list((getattr(pool, "_processes", None) or {}).values())  # shutdown forgets them
        pool.shutdown(wait=False, cancel_futures=True)
        for worker in workers:
            worker.terminate()  # it unwinds (unwind_on_sigterm): a PDF being written is discarded
        raise
    finally:
        pool.shutdown(wait=True)


def build_in_worker(folder: Path, then_check: bool, draft: bool = False) -> Outcome:
    """build_one in a worker process; stopped (SIGTERM, Ctrl-C), the worker ends once the build has unwound
    (the pool would otherwise go on to the next issue)."""
    try:
        return build_one(folder, then_check, draft)
    except BaseException:
        os._exit(1)


def unwind_on_sigterm() -> None:
    """In a worker: SIGTERM unwinds like an exception, so that a PDF being written is discarded."""
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
