"""The default style on real WeasyPrint output: figures at their natural size, captions under them, tables kept
together at a page's foot, boxes, sub-headings, bylines and loose lists.

Each test lays an issue out as press does and reads the page boxes back (sizes in CSS px, 96 to the inch), or
builds the PDF and reads its glyphs; each fails with the rule it holds taken out of the style, but the byline's,
which guards a rule no case was found to break.
"""

import pytest
from PIL import Image
from weasyprint.formatting_structure import boxes

from press.layout import lay_out
from press.load import load_issue
from press.render import render_html
from tests.conftest import article

MM = 96 / 25.4
TEXT_WIDTH = 44 * 10.5 * 96 / 72  # the style's text block: 44 ems of 10.5 pt (163 mm)
SVG = '<svg xmlns="http://www.w3.org/2000/svg" {size}><rect x="0" y="0" width="10" height="10"/></svg>'


def laid_out(make_issue, body: str, pictures: dict[str, object] | None = None):
    """The pages of a one-article issue whose body is `body`, with its pictures (name → SVG text or PIL image and
    the dpi to save it with)."""
    folder = make_issue({"a.md": article("测试", body)})
    for name, picture in (pictures or {}).items():
        if isinstance(picture, str):
            (folder / name).write_text(picture, encoding="utf-8")
        else:
            image, dpi = picture
            image.save(folder / name, **({"dpi": (dpi, dpi)} if dpi else {}))
    issue = load_issue(folder)
    return lay_out(issue, render_html(issue)).document.pages


def element_boxes(pages, tag: str, kind=boxes.Box) -> list:
    """The boxes of every page made for elements `tag`, in order (the first box of each, for split ones)."""
    found, seen = [], set()
    for page in pages:
        for box in page._page_box.descendants():
            if box.element is not None and box.element.tag == tag and isinstance(box, kind) \
                    and box.element not in seen:
                seen.add(box.element)
                found.append(box)
    return found


def widths(pages, tag: str) -> list[float]:
    return [box.width / MM for box in element_boxes(pages, tag, boxes.ReplacedBox if tag == "img"
                                                                        else boxes.BlockBox)]


# Figures at their size ---------------------------------------------------------------------------------


def test_an_svg_is_set_at_its_natural_size_from_its_attributes_or_view_box(make_issue):
    pages = laid_out(make_issue, "![图 1 宽高](a.svg)\n\n![图 2 只有视框](b.svg)\n\n![图 3 毫米](c.svg)\n",
                     {"a.svg": SVG.format(size='width="480" height="270"'),
                      "b.svg": SVG.format(size='viewBox="0 0 600 300"'),  # WeasyPrint alone: the whole width
                      "c.svg": SVG.format(size='width="80mm" height="40mm"')})
    assert widths(pages, "img") == pytest.approx([127.0, 158.8, 80.0], abs=0.2)


def test_a_raster_is_set_at_the_resolution_its_file_records_else_96_dpi(make_issue):
    picture = Image.new("RGB", (1200, 600), "white")
    pages = laid_out(make_issue, "![图 1 300 dpi](a.png)\n\n![图 2 200 dpi](b.jpg)\n\n![图 3 无分辨率](c.png)\n",
                     {"a.png": (picture, 300), "b.jpg": (picture, 200), "c.png": (picture.resize((400, 200)), None)})
    # 4 in, 6 in, 400 px: never the whole 163 mm
    assert widths(pages, "img") == pytest.approx([101.6, 152.4, 105.8], abs=0.2)


def test_a_figure_wider_or_taller_than_the_page_holds_is_reduced_never_enlarged(make_issue):
    body = "![图 1 宽](wide.svg)\n\n![图 2 高](tall.svg)\n\n![图 3 小图放大](small.svg){width=100%}\n"
    pages = laid_out(make_issue, body,
                     {"wide.svg": SVG.format(size='width="1200" height="600"'),
                      "tall.svg": SVG.format(size='width="600" height="1200"'),
                      "small.svg": SVG.format(size='width="200" height="100"')})
    wide, tall, small = element_boxes(pages, "img", boxes.ReplacedBox)
    assert round(wide.width / MM, 1) == 163.0 and round(wide.height / MM, 1) == 81.5
    assert round(tall.height / MM, 1) == 110.0 and round(tall.width / MM, 1) == 55.0  # proportions kept
    assert round(small.width) == 200


def test_an_editor_chooses_a_figure_width_as_a_share_of_the_text_width_or_in_millimetres(make_issue):
    pages = laid_out(make_issue, "![图 1 六成](a.svg){width=60%}\n\n![图 2 八十毫米](a.svg){width=80mm}\n",
                     {"a.svg": SVG.format(size='width="800" height="400"')})
    assert widths(pages, "img") == pytest.approx([97.8, 80.0], abs=0.2)  # 60 % of 163 mm


def test_a_caption_wraps_under_its_figure_centred_never_wider_than_it(make_issue):
    caption = "图 1 " + "一个很长的图题，说明图中各条曲线的来源与单位" * 3
    pages = laid_out(make_issue, f"![{caption}](a.svg)\n", {"a.svg": SVG.format(size='width="360" height="200"')})
    [picture] = element_boxes(pages, "img", boxes.ReplacedBox)
    [figcaption] = element_boxes(pages, "figcaption", boxes.BlockBox)
    lines = [line for line in figcaption.descendants() if isinstance(line, boxes.LineBox)]
    assert figcaption.width == pytest.approx(picture.width) and picture.width == pytest.approx(360)
    assert len(lines) >= 3
    assert all(line.position_x >= picture.position_x - 0.5 and
               line.position_x + line.width <= picture.position_x + picture.width + 0.5 for line in lines)
    last = lines[-1]  # a short last line stands in the middle
    assert abs((last.position_x - picture.position_x) - (picture.position_x + picture.width - last.position_x
                                                          - last.width)) < 1


# What reads together stays together --------------------------------------------------------------------

ROWS = "表 1 项目\n\n| 序号 | 机构 | 内容 |\n| --- | --- | --- |\n" + "".join(
    f"| {number} | 机构{number} | 内容第 {number} 行 |\n" for number in range(1, 9))
BOX = "::: 框 【快报延伸】\n" + "延伸内容说明。" * 30 + "\n\n第二段延伸内容。\n:::\n"  # 8 lines
LINE = "一行。"  # a paragraph of one line: each one moves what follows down by a line


def moved_to_the_foot(make_issue, block: str, tag: str, css: str = "", lines: int = 10) -> list[list]:
    """The pages of one-article issues where `block` (its element `tag`) starts `lines` … 0 lines above the
    page's foot, a line further down each time (`css` added after the style)."""
    made = iter(range(1000))

    def pages(count: int):
        body = "\n\n".join([LINE] * count + [block])
        folder = make_issue({"a.md": article("版面", body)}, name=f"2024-{next(made) + 10}")
        issue = load_issue(folder)
        laid = lay_out(issue, render_html(issue), css=css)
        return laid.document.pages[laid.first_body_page:]

    first = pages(1)[0]._page_box  # the block on the first page, under one line
    [line] = [box for box in first.descendants() if isinstance(box, boxes.LineBox)
              and box.element is not None and box.element.tag == "p"
              and LINE in "".join(text.text for text in box.descendants()
                                  if isinstance(text, boxes.TextBox)).replace("\u2060", "")]  # joiners (cjk)
    top = next(box.position_y for box in first.descendants() if box.element is not None and box.element.tag == tag)
    foot = first.content_box_y() + first.height
    room = int((foot - top) // line.height)
    return [pages(1 + count) for count in range(max(0, room - lines), room + 1)]


def body_rows(pages) -> list[int]:
    """The body rows of a table on each page it stands on (its header repeats and is not counted)."""
    counts = [sum(len(group.children) for group in page._page_box.descendants()
                  if isinstance(group, boxes.TableRowGroupBox) and not group.is_header) for page in pages]
    return [count for count in counts if count]


def test_a_table_leaves_three_rows_at_a_page_s_foot_or_none_and_takes_two_to_the_next(make_issue):
    laid = [body_rows(pages) for pages in moved_to_the_foot(make_issue, ROWS, "table")]
    assert all(rows[0] >= 3 and rows[-1] >= 2 for rows in laid), laid
    assert [8] in laid and any(len(rows) == 2 for rows in laid)  # it does split, where three rows fit
    free = [body_rows(pages) for pages in moved_to_the_foot(
        make_issue, ROWS, "table", css="tbody tr { break-before: auto !important; break-after: auto !important; }")]
    assert any(rows[0] == 1 for rows in free) and any(rows[-1] == 1 for rows in free), free  # without the rule


def box_lines(pages) -> list[int]:
    """The lines of the box on each page it stands on."""
    found = [sum(isinstance(line, boxes.LineBox) for line in box.descendants())
             for page in pages for box in page._page_box.descendants()
             if box.element is not None and box.element.tag == "aside" and isinstance(box, boxes.BlockBox)]
    return found


def test_a_box_of_a_few_lines_is_never_split_and_its_title_never_stands_alone(make_issue):
    laid = [box_lines(pages) for pages in moved_to_the_foot(make_issue, BOX, "aside")]
    assert laid == [[8]] * len(laid)
    loose = ".box { break-inside: auto !important; } .box-title { break-after: auto !important; }"
    free = [box_lines(pages) for pages in moved_to_the_foot(make_issue, BOX, "aside", css=loose)]
    assert any(lines[0] == 1 for lines in free), free  # without the rules: the title alone at the foot


def test_a_long_box_is_split_but_never_after_its_title_alone(make_issue):
    long_box = BOX.replace("延伸内容说明。" * 30, "延伸内容说明。" * 70)
    laid = [box_lines(pages) for pages in moved_to_the_foot(make_issue, long_box, "aside")]
    assert any(len(lines) == 2 for lines in laid) and all(lines[0] >= 3 for lines in laid), laid


# Looks right ---------------------------------------------------------------------------------------------


def built_lines(make_issue, tmp_path, articles: dict[str, str]) -> list[list[dict]]:
    """The body pages' lines of the issue's PDF, each as its glyphs (pdfplumber chars) left to right, grouped by
    their baseline (faces of other heights, Kai beside Song, share it)."""
    import pdfplumber

    from press.build import build

    path = build(make_issue(articles), tmp_path / "out.pdf").path
    lines: dict[tuple[int, float], list[dict]] = {}
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages[2:]):
            for char in page.chars:
                lines.setdefault((number, -round(char["matrix"][5])), []).append(char)
    return [sorted(chars, key=lambda char: char["x0"]) for _, chars in sorted(lines.items())]


def line_of(lines: list[list[dict]], text: str) -> list[dict]:
    return next(line for line in lines if text in "".join(char["text"] for char in line))


def test_every_sub_heading_level_is_set_in_the_bold_heading_face(make_issue, tmp_path):
    body = "# 一级标题\n\n正文段落。\n\n## 二级标题\n\n正文段落。\n\n### 三级标题\n\n正文段落。\n"
    lines = built_lines(make_issue, tmp_path, {"a.md": article("标题", body)})
    for heading in ("一级标题", "二级标题", "三级标题"):  # the third was Kai, which has no bold
        assert {char["fontname"].split("+")[-1] for char in line_of(lines, heading)} == {"PressHei-Bold"}, heading
    assert {char["fontname"].split("+")[-1] for char in line_of(lines, "正文段落")} == {"PressSong"}


RIGHT = 210 / 25.4 * 72 - 66.63  # the text block's right edge, in points (the style's margin)


def test_a_byline_is_flush_right_whatever_the_article_ends_with(make_issue, tmp_path):
    endings = ["正文。", "- 一\n- 二", "| 甲 | 乙 |\n| --- | --- |\n| 1 | 2 |", "::: 框 【延伸】\n内容。\n:::",
               "1. 甲\n\n2. 乙", "> 引文。"]
    bylines = ["本刊编辑部", "J. Smith", "Li Wei 与 Zhang Min", "编译：张三；审校：李四", "A. Müller and C. Weber",
               "林若溪、周恺、" * 8 + "王晓岚"]
    articles = {f"{index}.md": article(f"文章{index}", ending, extra=f"byline: {byline}\n")
                for index, (ending, byline) in enumerate(zip(endings, bylines, strict=True))}
    lines = built_lines(make_issue, tmp_path, articles)
    for byline in bylines:
        last = line_of(lines, byline[-3:] + "）")
        assert abs(last[-1]["x1"] - RIGHT) < 1, byline
    wrapped = line_of(lines, "（林若溪")
    assert abs(wrapped[-1]["x1"] - RIGHT) < 1 and wrapped[0]["x0"] > RIGHT - 470 - 1


def test_a_loose_numbered_list_keeps_its_hanging_indent(make_issue, tmp_path):
    item = "这一项的文字较长，需要排成两行以上，以便看出第二行是否与第一行的文字对齐。" * 2
    tight = "\n".join(f"{number}. {item}" for number in (1, 2))
    loose = "\n\n".join(f"{number}. 松{item}" for number in (1, 2))
    lines = built_lines(make_issue, tmp_path, {"a.md": article("列表", f"正文。\n\n{tight}\n\n正文。\n\n{loose}\n")})
    texts = ["".join(char["text"] for char in line) for line in lines]
    starts = {}
    for kind, marker in (("tight", "1.这一项"), ("loose", "1.松这一项")):
        first = next(index for index, text in enumerate(texts) if text.replace(" ", "").startswith(marker))
        item_start = next(char for char in lines[first] if char["text"] in "这松")["x0"]
        starts[kind] = (item_start, lines[first + 1][0]["x0"])  # the item's text, and its second line
    assert starts["loose"] == pytest.approx(starts["tight"], abs=0.5)
    assert starts["loose"][0] == pytest.approx(starts["loose"][1], abs=0.5)  # the text hangs: no indent of its own
