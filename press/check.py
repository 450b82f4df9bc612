"""`press check`: a built PDF held to every rule, each with a stable identifier and a bar.

Takes a PDF path and optionally the issue folder it was built from; reads only
the PDF, the issue's files, its style's templates and fonts/.  Returns a
`Report`: one `Check` per rule, each with its value, its bar and its failures
(page label, message, and the source file and line where one applies).  The
rules are the page structure of `structure` and the typography measures of
`measure`; rules that compare with the source run only when the issue is given.
Reports are written as text, JSON (schema in `check-report.schema.json`) or
GitHub Actions annotations; each says when the PDF is a draft (press.draft),
which passes the checks as its final build would, and which press mail refuses
to send.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from press import budgets, figures, fill, linefit, measure, overlap, structure, tablewrap
from press.draft import draft_time
from press.errors import InputError, Problem, display_path
from press.expected import expected_of
from press.fonts import family_names
from press.load import load_issue
from press.measure import Failure, Measure
from press.model import CheckSettings, Issue
from press.pdfread import Reading, read_pdf
from press.settings import default_check
from press.structure import Evidence

SCHEMA = "press-check/1"


@dataclass(frozen=True)
class Rule:
    """A rule of `press check`: how to measure it and the bar it is held to."""

    id: str
    run: Callable[[Evidence], Measure]
    comparison: str  # ">=" or "<="
    threshold: float | None  # None: from the settings (the size budget)
    about: str
    needs_source: bool = False


def typography(function: Callable) -> Callable[[Evidence], Measure]:
    return lambda evidence: function(evidence.reading)


RULES: tuple[Rule, ...] = (
    Rule("page-size", structure.page_size, "<=", 0, "pages of the paper page_size names (default A4), portrait"),
    Rule("front-matter", structure.front_matter, "<=", 0, "a cover first, then a contents page"),
    Rule("page-labels", structure.page_labels, "<=", 0, "page labels equal the printed page numbers"),
    Rule("toc-page", structure.toc_page, "<=", 0, "contents entries name the page their title stands on"),
    Rule("article-order", structure.article_order, "<=", 0, "article titles in the order of issue.yaml",
         needs_source=True),
    Rule("section-headings", structure.section_headings, "<=", 0, "every section heading in the body",
         needs_source=True),
    Rule("bookmarks", structure.bookmarks, "<=", 0, "a bookmark per section and article, on its page"),
    Rule("footnote-same-page", structure.footnote_same_page, "<=", 0,
         "each footnote's text on the page of its call"),
    Rule("footnote-numbering", structure.footnote_numbering, "<=", 0,
         "footnotes numbered 1…N without gaps or repeats"),
    Rule("footnote-count", structure.footnote_count, "<=", 0, "as many footnotes as the source",
         needs_source=True),
    Rule("text", structure.text, "<=", 0, "all the source's text, in order, nothing lost or doubled",
         needs_source=True),
    Rule("figures", lambda evidence: figures.figures(evidence.reading, evidence.expected), "<=", 0,
         "every figure in its place, its picture as its file", needs_source=True),
    Rule("fonts", structure.fonts, "<=", 0, "fonts embedded, subset, from fonts/, glyphs reachable by CID"),
    Rule("missing-glyphs", structure.missing_glyphs, "<=", 0, "characters drawn as blank .notdef boxes"),
    Rule("overlap", typography(overlap.overlap), "<=", 0, "no text drawn over text, none hidden"),
    Rule("metadata", structure.metadata, "<=", 0, "title, author, language and creation date"),
    Rule("file-size", structure.file_size, "<=", None, "file size within the budget (default 5 MB)"),
    Rule("justify", typography(measure.justification), ">=", 0.98,
         "non-final body lines flush with both margins"),
    Rule("line-break", typography(measure.line_breaking), "<=", 0,
         "lines starting or ending with a forbidden mark"),
    Rule("punct-squeeze", typography(measure.punctuation), ">=", 0.90,
         "adjacent full-width mark pairs set in 1.5 em"),
    Rule("han-latin-gap", typography(measure.han_latin), ">=", 0.95,
         "Han/Latin adjacencies with a gap of ⅛…⅓ em"),
    Rule("page-breaks", typography(measure.page_breaks), "<=", 0,
         "widows, orphans and headings at the foot of a page"),
    Rule("overflow", typography(measure.overflow), "<=", 0, "lines sticking out of the text block"),
    Rule("runt", typography(linefit.runt), "<=", 0,
         "paragraphs ending in a line of one character, lines of punctuation only"),
    Rule("loose-line", typography(linefit.loose_line), "<=", 0,
         "justified lines adding over 0.15 em between Han characters"),
    Rule("text-block", typography(linefit.text_block), "<=", 0,
         "text block a whole number of ems, Han lines not spaced out, lines at one pitch"),
    Rule("unit-break", typography(linefit.unit_break), "<=", 0, "numbers parted from their units at a line's end"),
    Rule("page-fill", lambda evidence: fill.page_fill(evidence.reading, evidence.sections_start_pages), "<=", 0,
         "body pages at least ⅔ full, but the last (and a section's last if sections start pages)"),
    Rule("table-wrap", tablewrap.table_wrap, "<=", 0,
         "table cells on one line unless the table must shrink, and then the longest columns wrap first",
         needs_source=True),
)
RULE_IDS = tuple(rule.id for rule in RULES)


@dataclass
class Check:
    """One rule's outcome: `value` against the bar, and where it failed."""

    id: str
    passed: bool
    value: float
    comparison: str
    threshold: float
    counted: int
    about: str
    failures: list[dict] = field(default_factory=list)  # {"page", "message", "file", "line"}
    detail: str = ""  # what was measured, when the value does not say it (text-block: the block's width)

    @property
    def bar(self) -> str:
        return f"{self.comparison} {self.threshold:g}"


@dataclass
class Report:
    """Every check run on one PDF, and the rules that were not run (with the reason)."""

    pdf: Path
    issue: Path | None
    checks: list[Check]
    not_run: list[dict] = field(default_factory=list)  # {"id", "reason"}
    draft: str | None = None  # a draft's build time (ISO 8601), None for a PDF that is no draft

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)


def check_pdf(path: Path, issue_folder: Path | None = None, only: Iterable[str] = (),
              skip: Iterable[str] = (), issue: Issue | None = None, reading: Reading | None = None,
              budget: budgets.Budget = budgets.BUDGET) -> Report:
    """Hold the PDF at `path` to the selected rules; compare it with its issue when given.

    `reading` is the PDF read before (to check one PDF against several sources). Raises InputError when
    the PDF cannot be read, exceeds the `budget` of what press check reads and draws, or the issue has
    problems.
    """
    if issue is None and issue_folder is not None:
        issue = load_issue(Path(issue_folder))
    settings = issue.settings.check if issue else default_check()
    thresholds = bar_settings(settings)
    reading = reading or read(Path(path), budget)
    evidence = Evidence(reading, settings)
    if issue is not None:
        evidence.expected = expected_of(issue)
        evidence.font_families = family_names(issue.settings.fonts_dir)
        evidence.sections_start_pages = issue.settings.section_break == "page"
    only, skip = set(only), set(skip)
    checks, not_run = [], []
    for rule in RULES:
        if (only and rule.id not in only) or rule.id in skip:
            if rule.id in skip:
                not_run.append({"id": rule.id, "reason": "skipped (--skip)"})
            continue
        if rule.needs_source and evidence.expected is None:
            not_run.append({"id": rule.id, "reason": "needs the source (--issue)"})
            continue
        threshold = thresholds.get(rule.id, rule.threshold if rule.threshold is not None else settings.max_bytes)
        checks.append(judge(rule, rule.run(evidence), threshold))
    return Report(Path(path), issue.folder if issue else None, checks, not_run, draft_time(reading.metadata))


def read(path: Path, budget: budgets.Budget = budgets.BUDGET):
    """The PDF read back, once it is found within the budget (each page rendered at overlap's resolution);
    an unreadable file, or one over the budget, is an input error."""
    try:
        budgets.guard(path, "press check", budgets.each_page_at(overlap.RENDER_DPI), budget)
        return read_pdf(path)
    except FileNotFoundError:
        raise InputError([Problem(path, 0, 0, "找不到 PDF 文件 (no such PDF)")]) from None
    except InputError:
        raise
    except Exception as error:  # pypdf and pdfminer raise many kinds on a broken file
        raise InputError([Problem(path, 0, 0, f"无法读取 PDF (not a readable PDF): {error}")]) from None


def bar_settings(settings: CheckSettings) -> dict[str, float]:
    """Thresholds set in newsletter.yaml (check: bars:), each for a known rule."""
    unknown = [Problem(settings.path or Path("newsletter.yaml"), line, 1,
                       f"未知的检查项 {name} (unknown check id; known: {', '.join(RULE_IDS)})")
               for name, _, line in settings.bars if name not in RULE_IDS]
    if unknown:
        raise InputError(unknown)
    return {name: value for name, value, _ in settings.bars}


def judge(rule: Rule, measured: Measure, threshold: float) -> Check:
    """Hold a measure to its bar."""
    value = measured.value
    passed = value >= threshold if rule.comparison == ">=" else value <= threshold
    return Check(rule.id, passed, value, rule.comparison, threshold, measured.counted, rule.about,
                 [failure_dict(failure) for failure in measured.failures], measured.detail)


def failure_dict(failure: Failure) -> dict:
    """A failure as the report's record."""
    source = failure.source
    return {"page": failure.page, "message": failure.message,
            "file": display_path(source.path) if source else None,
            "line": source.line if source else None}


# Reports -------------------------------------------------------------------------------------

def show_value(check: Check) -> tuple[str, str]:
    """The value and the bar as a reader wants them: shares in %, sizes in KB, counts as they are."""
    if check.id == "file-size":
        return structure.kilobytes(int(check.value)), structure.kilobytes(int(check.threshold))
    if check.comparison == ">=":
        return f"{check.value:.1%}", f"≥ {check.threshold:.0%}"
    return f"{check.value:g}", f"≤ {check.threshold:g}"


def describe(check: Check) -> str:
    """One line for a check: PASS/FAIL, identifier, value against the bar, and what was measured when the value
    does not say it."""
    value, bar = show_value(check)
    status = "PASS" if check.passed else "FAIL"
    detail = f": {check.detail}" if check.detail else ""
    return f"{status} {check.id:<18} {value:>7} (bar {bar}; {check.counted} counted) — {check.about}{detail}"


def failure_line(failure: dict) -> str:
    """A failure as `page P: message (file:line)`."""
    page = f"page {failure['page']}: " if failure["page"] else ""
    place = f" ({failure['file']}:{failure['line']})" if failure["file"] else ""
    return f"{page}{failure['message']}{place}"


def report_text(report: Report, limit: int = 10) -> str:
    """The readable report: one line per check, then each failure with its page and source line."""
    lines = []
    for check in report.checks:
        lines.append(describe(check))
        shown = check.failures if not check.passed else []
        lines += [f"    {failure_line(failure)}" for failure in shown[:limit]]
        if len(shown) > limit:
            lines.append(f"    … and {len(shown) - limit} more (all of them: --json)")
    lines.append(summary(report))
    return "\n".join(lines)


def summary(report: Report) -> str:
    failed = sum(not check.passed for check in report.checks)
    line = f"{len(report.checks) - failed} of {len(report.checks)} checks passed."
    needing = [item["id"] for item in report.not_run if item["reason"].startswith("needs")]
    if needing:
        line += f" Not run without --issue: {', '.join(needing)}."
    if report.draft:
        line += (f"\n草稿 (a draft, built {report.draft}): every page is marked 草稿 DRAFT; "
                 "press mail --send refuses it (build it without --draft to send).")
    return line


def report_json(report: Report) -> str:
    """The report for machines; its schema is press/check-report.schema.json."""
    checks = [{**asdict(check), "bar": check.bar} for check in report.checks]
    return json.dumps({"schema": SCHEMA, "pdf": display_path(report.pdf),
                       "issue": display_path(report.issue) if report.issue else None,
                       "passed": report.passed, "draft": report.draft, "checks": checks,
                       "not_run": report.not_run},
                      ensure_ascii=False, indent=2)


def report_github(report: Report, limit: int = 10) -> str:
    """GitHub Actions workflow commands: an ::error per failure (at its source line), then the summary."""
    lines = []
    for check in report.checks:
        if check.passed:
            continue
        for failure in check.failures[:limit]:
            where = [f"file={escape_property(failure['file'])}", f"line={failure['line']}"] if failure["file"] else []
            properties = ",".join([*where, f"title={escape_property(f'press check {check.id}')}"])
            page = f"page {failure['page']}: " if failure["page"] else ""
            lines.append(f"::error {properties}::{escape_data(page + failure['message'])}")
        if not check.failures:
            value, bar = show_value(check)
            lines.append(f"::error title={escape_property(f'press check {check.id}')}::"
                         f"{escape_data(f'{check.about}: {value}, bar {bar}')}")
    lines += [describe(check) for check in report.checks]
    lines.append(summary(report))
    return "\n".join(lines)


def error_report(error: InputError, pdf: Path, issue: Path | None, output_format: str) -> str | None:
    """What `--format json` or `github` prints when the PDF or the issue cannot be read (exit 2); None for text."""
    problems = [{"file": display_path(problem.path), "line": problem.line or None, "column": problem.column or None,
                 "message": problem.message} for problem in error.problems]
    if output_format == "json":
        return json.dumps({"schema": SCHEMA, "pdf": display_path(pdf), "issue": display_path(issue) if issue else None,
                           "passed": False, "checks": [], "not_run": [], "error": {"problems": problems}},
                          ensure_ascii=False, indent=2)
    if output_format == "github":
        return "\n".join(
            f"::error file={escape_property(item['file'])}"
            + (f",line={item['line']}" if item["line"] else "")
            + f",title={escape_property('press check: input')}::{escape_data(item['message'])}" for item in problems)
    return None


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


FORMATS = {"text": report_text, "json": report_json, "github": report_github}
