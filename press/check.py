"""Checks of a built PDF, read from the PDF alone: each with an identifier, a bar and failures.

Takes a PDF path; returns `Check` results.  For now these are the typography
measures of TYPOGRAPHY.md (see `measure`) held to the bars of the
typesetting issue; the structural checks (contents, footnotes, bookmarks …)
come next and use the same shape.
"""

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from press.errors import InputError, Problem
from press.measure import Measure, all_measures
from press.pdfread import read_pdf

# identifier → (comparison, threshold, what is counted)
BARS: dict[str, tuple[str, float, str]] = {
    "justify": (">=", 0.98, "non-final body lines flush with both margins"),
    "line-break": ("<=", 0, "lines starting or ending with a forbidden mark"),
    "punct-squeeze": (">=", 0.90, "adjacent full-width mark pairs set in 1.5 em"),
    "han-latin-gap": (">=", 0.95, "Han/Latin adjacencies with a gap of ⅛…⅓ em"),
    "page-breaks": ("<=", 0, "widows, orphans and headings at the foot of a page"),
    "overflow": ("<=", 0, "lines sticking out of the text block"),
    "fonts": ("<=", 0, "fonts not embedded, not subset or not from fonts/"),
}


@dataclass
class Check:
    """One check's outcome: `value` against `bar`, and where it failed."""

    id: str
    passed: bool
    value: float
    bar: str
    counted: int
    about: str
    failures: list[dict] = field(default_factory=list)  # {"page": label, "message": …}


def judge(measure: Measure) -> Check:
    """Hold a measure to its bar."""
    comparison, threshold, about = BARS[measure.rule]
    passed = measure.value >= threshold if comparison == ">=" else measure.value <= threshold
    failures = [{"page": page, "message": message} for page, message in measure.failures]
    return Check(measure.rule, passed, measure.value, f"{comparison} {threshold:g}", measure.counted,
                 about, failures)


def check_pdf(path: Path) -> list[Check]:
    """Run every check on the PDF at `path`; an unreadable PDF is an input error."""
    try:
        reading = read_pdf(path)
    except FileNotFoundError:
        raise InputError([Problem(path, 0, 0, "找不到 PDF 文件 (no such PDF)")]) from None
    except Exception as error:  # pypdf and pdfminer raise many kinds on a broken file
        raise InputError([Problem(path, 0, 0, f"无法读取 PDF (not a readable PDF): {error}")]) from None
    return [judge(measure) for measure in all_measures(reading)]


def describe(check: Check) -> str:
    """One line for a check: PASS/FAIL, identifier, value against the bar."""
    value = f"{check.value:.1%}" if check.bar.startswith(">=") else f"{check.value:g}"
    bar = f"≥ {float(check.bar[3:]):.0%}" if check.bar.startswith(">=") else "0"
    status = "PASS" if check.passed else "FAIL"
    return f"{status} {check.id:<14} {value:>7} (bar {bar}; {check.counted} counted) — {check.about}"


def report_text(checks: list[Check], limit: int = 10) -> str:
    """The readable report: one line per check, then each failure with its page."""
    lines = []
    for check in checks:
        lines.append(describe(check))
        shown = check.failures if not check.passed else []
        for failure in shown[:limit]:
            page = f"page {failure['page']}: " if failure["page"] else ""
            lines.append(f"    {page}{failure['message']}")
        if len(shown) > limit:
            lines.append(f"    … and {len(shown) - limit} more")
    failed = sum(not check.passed for check in checks)
    lines.append(f"{len(checks) - failed} of {len(checks)} checks passed.")
    return "\n".join(lines)


def report_json(checks: list[Check]) -> str:
    """The report for machines: {"passed": bool, "checks": [Check as a dict, …]}."""
    return json.dumps({"passed": all(check.passed for check in checks),
                       "checks": [asdict(check) for check in checks]}, ensure_ascii=False, indent=2)
