"""Footnotes stay on their call's page, inside WeasyPrint 70.0's line layout.

When a paragraph's next line does not fit and widows or orphans forbid a
break right there, WeasyPrint 70 first "reports" the footnotes already on the
page, moving their texts to the next page while their calls stay, to make
room for that line.  A publisher never does that.  This adapter, installed
once by `install()`, rewrites that one rule of
`weasyprint.layout.block._linebox_layout` so that no footnote is reported to
make room; WeasyPrint then breaks the paragraph earlier, as it does for a
page without footnotes.

Measured on an issue 16 times the sample's length (174 pages): without the
adapter 4 footnotes land a page late and `layout.lay_out_verified` needs 5
full layouts to correct them; with it, none, and one layout suffices.  The
verification in `layout` stays as the safety net.

Made for WeasyPrint 70.0 only: `install` refuses a WeasyPrint whose function
does not contain the rule exactly once.
"""

import inspect
import textwrap

from weasyprint.layout import block

from press.justify import WEASYPRINT_VERSION, WeasyPrintMismatch

REPORT_TO_FIT_LINE = "report = not context.in_column and can_break_now and not could_break_before"
NEVER_REPORT = "report = False"

_original_linebox_layout = block._linebox_layout
_patched_linebox_layout = None


def install() -> None:
    """Keep footnotes with their calls in WeasyPrint's line layout (idempotent)."""
    global _patched_linebox_layout
    if _patched_linebox_layout is None:
        _patched_linebox_layout = patched(_original_linebox_layout)
    block._linebox_layout = _patched_linebox_layout


def uninstall() -> None:
    """Give WeasyPrint its own footnote placement back (for tests that compare)."""
    block._linebox_layout = _original_linebox_layout


def patched(function):
    """The function compiled again from its source with the reporting rule replaced."""
    lines, first_line = inspect.getsourcelines(function)
    source = "\n" * (first_line - 1) + textwrap.dedent("".join(lines))  # tracebacks keep WeasyPrint's lines
    if source.count(REPORT_TO_FIT_LINE) != 1:
        raise WeasyPrintMismatch(
            f"press.footnotes was made for WeasyPrint {WEASYPRINT_VERSION}: "
            f"{function.__module__}.{function.__name__} no longer has the rule it replaces")
    code = compile(source.replace(REPORT_TO_FIT_LINE, NEVER_REPORT), inspect.getsourcefile(function), "exec")
    defined: dict = {}
    exec(code, vars(block), defined)  # WeasyPrint's own source with one line changed
    return defined[function.__name__]
