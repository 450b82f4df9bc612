"""Table columns: a cell stays on one line unless the table would be wider than the text block, and then the
longest columns wrap first (press/tables.py), on real WeasyPrint output."""

import hashlib
import inspect

import pytest
from weasyprint.formatting_structure import boxes
from weasyprint.layout import preferred, table

from press import tables
from press.layout import lay_out
from press.load import load_issue
from press.render import render_html
from press.tables import water_filled
from tests.conftest import article

# sha256 of the source of every WeasyPrint function the adapter wraps or reads, taken from WeasyPrint 70.0.
# A change means: read the new code, re-check press/tables.py, update.
FINGERPRINTS = {
    "table.auto_table_layout": "8ce6f1e31a00b6c7",
    "table.table_wrapper_width": "48611ace93037706",
    "preferred.table_and_columns_preferred_widths": "1624962c403d0d26",
}
ORIGINALS = {
    "table.auto_table_layout": tables._original_auto_table_layout,
    "table.table_wrapper_width": table.table_wrapper_width,
    "preferred.table_and_columns_preferred_widths": preferred.table_and_columns_preferred_widths,
}
MM = 96 / 25.4

INSTITUTIONS = ["加州大学圣巴巴拉分校", "美国国家可再生能源实验室", "麻省理工学院材料系", "阿贡国家实验室"]
WORK = ["开发新型固态电解质材料，提高锂金属电池的循环寿命与安全性，并完成中试验证。",
        "研究钙钛矿叠层电池在湿热环境下的稳定性与衰减机理。",
        "建立电池材料的公开数据库与自动化表征平台，向全行业开放。",
        "回收正极材料中的锂、钴和镍。"]
TABLE = ("| 序号 | 领衔机构 | 研究内容 | 资助金额 |\n| --- | --- | --- | --- |\n"
         + "".join(f"| {number} | {who} | {what} | {number * 150} 万美元 |\n"
                   for number, (who, what) in enumerate(zip(INSTITUTIONS, WORK, strict=True), start=1)))


def fingerprint(function) -> str:
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()[:16]


@pytest.mark.parametrize("name", sorted(FINGERPRINTS))
def test_weasyprint_code_under_the_adapter_is_unchanged(name):
    assert fingerprint(ORIGINALS[name]) == FINGERPRINTS[name], (
        f"WeasyPrint's {name} changed: re-check press/tables.py against it, then update the fingerprint")


def test_install_wraps_the_auto_table_layout_and_uninstall_restores_it():
    tables.install()
    assert table.auto_table_layout is tables.auto_table_layout
    tables.uninstall()
    assert table.auto_table_layout is tables._original_auto_table_layout
    tables.install()


def test_water_filling_cuts_the_widest_columns_to_one_width_and_keeps_the_rest():
    assert water_filled([5, 10, 10, 5], [20, 60, 200, 30], 200) == pytest.approx([20, 60, 90, 30])
    assert water_filled([5, 10, 10, 5], [20, 60, 200, 30], 150) == pytest.approx([20, 50, 50, 30])
    assert water_filled([5, 55, 10], [20, 60, 200], 100) == pytest.approx([20, 55, 25])  # not below a minimum
    assert sum(water_filled([1, 2, 3], [10, 20, 30], 33)) == pytest.approx(33)


def cells(make_issue, body: str) -> list[list[tuple[str, int]]]:
    """The text and line count of every cell of the issue's tables, row by row."""
    issue = load_issue(make_issue({"a.md": article("表格", body)}))
    rows = []
    for page in lay_out(issue, render_html(issue)).document.pages:
        for row in page._page_box.descendants():
            if isinstance(row, boxes.TableRowBox):
                rows.append([("".join(text.text for text in cell.descendants()
                                      if isinstance(text, boxes.TextBox)).replace("\u2060", ""),  # joiners
                              sum(isinstance(line, boxes.LineBox) for line in cell.descendants()))
                             for cell in row.children])
    return rows


def test_names_and_amounts_stay_on_one_line_and_only_the_long_column_wraps(make_issue):
    rows = cells(make_issue, f"正文。\n\n{TABLE}")
    assert [[lines for _, lines in row] for row in rows] == [[1, 1, 1, 1], [1, 1, 2, 1], [1, 1, 1, 1],
                                                             [1, 1, 2, 1], [1, 1, 1, 1]]
    assert rows[1][1] == ("加州大学圣巴巴拉分校", 1)


def test_weasyprint_alone_breaks_the_names_while_the_long_column_wraps_anyway(make_issue, monkeypatch):
    monkeypatch.setattr(tables, "install", tables.uninstall)
    tables.uninstall()
    try:
        rows = cells(make_issue, f"正文。\n\n{TABLE}")
    finally:
        monkeypatch.undo()
        tables.install()
    assert rows[1][1] == ("加州大学圣巴巴拉分校", 2)  # 加州大学圣巴巴 / 拉分校
    assert [lines for _, lines in rows[1]] == [1, 2, 2, 2]  # the amount too


def test_a_table_that_fits_is_as_weasyprint_sets_it(make_issue):
    short = "| 年份 | 产量 | 地区 |\n| --- | --- | --- |\n| 2021 | 120 万吨 | 中国、美国 |\n"
    rows = cells(make_issue, f"正文。\n\n{short}")
    assert [[lines for _, lines in row] for row in rows] == [[1, 1, 1], [1, 1, 1]]
