"""Table columns in WeasyPrint 70.0: a cell stays on one line unless the table would be wider than the text block.

WeasyPrint's auto table layout (CSS Tables 3's width distribution) gives each column at least its
min-content width (its longest unbreakable run) and at most its max-content width (its longest cell on one
line).  When the columns' max-content widths add up to more than the table may take, WeasyPrint shares the
shortfall out in proportion to each column's max-content less its min-content width.  A Chinese cell breaks
after any character, so its min-content width is one character: every column then gives up width, the short
ones too, and a ten-character name broke (加州大学圣巴巴 / 拉分校) while the long column beside it was wrapping
anyway.

This adapter, installed once by `install()`, wraps `weasyprint.layout.table.auto_table_layout`: where the
table is narrower than its columns' max-content widths but no narrower than their min-content widths, and
no column has a width or percentage of its own (press's tables have none), it sets the column widths by
water-filling instead: the widest columns are cut down to one common width, the largest that lets the
columns fill the table, and no further than their min-content widths.  A column whose max-content width is
below that width keeps it: its cells stay on one line; only the longest columns wrap, and they share what
is left evenly.  Tables that fit, and tables too wide even when every column wraps (an input error,
`layout.refuse_wide_blocks`), are laid out by WeasyPrint alone.

Made for WeasyPrint 70.0 only; tests/test_tables.py fails if the functions it wraps or reads change.
"""

from weasyprint.layout import table
from weasyprint.layout.preferred import table_and_columns_preferred_widths

TOLERANCE = 1e-9  # relative: WeasyPrint's own allowance for rounding (PEP 485)

_original_auto_table_layout = table.auto_table_layout


def install() -> None:
    """Set shrunk tables' columns by water-filling (idempotent)."""
    table.auto_table_layout = auto_table_layout


def uninstall() -> None:
    """Give WeasyPrint its own column widths back (for tests that compare)."""
    table.auto_table_layout = _original_auto_table_layout


def auto_table_layout(context, box, containing_block) -> None:
    """WeasyPrint's auto table layout, then the columns of a table that had to shrink set by `water_filled`."""
    _original_auto_table_layout(context, box, containing_block)
    wrapped = box.get_wrapped_table()
    (_, _, minimums, maximums, percentages, constrained, spacing, _) = table_and_columns_preferred_widths(
        context, box, outer=False)
    if not minimums or any(percentages) or any(constrained):
        return
    assignable = wrapped.width - spacing
    if sum(minimums) <= assignable * (1 + TOLERANCE) and assignable * (1 + TOLERANCE) < sum(maximums):
        wrapped.column_widths = water_filled(minimums, maximums, assignable)


def water_filled(minimums: list[float], maximums: list[float], width: float) -> list[float]:
    """Column widths adding up to `width` (between the sums of `minimums` and of `maximums`): each column's
    maximum, cut down to a common cap where it is wider, never below its minimum."""
    def filled(cap: float) -> float:
        return sum(min(high, max(low, cap)) for low, high in zip(minimums, maximums, strict=True))

    steps = sorted({*minimums, *maximums})
    low = 0.0
    for high in steps:  # filled() grows linearly between steps: find the step where it reaches `width`
        if filled(high) >= width:
            break
        low = high
    free = sum(1 for least, most in zip(minimums, maximums, strict=True) if least <= low and most >= high)
    cap = low + (width - filled(low)) / free if free and high > low else high
    return [min(most, max(least, cap)) for least, most in zip(minimums, maximums, strict=True)]
