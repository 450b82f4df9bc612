"""What the source says a PDF must show: chunks with their source lines, footnotes apart."""

from press.expected import Source, expected_of, letters
from press.load import load_issue
from tests.conftest import SAMPLE, article


def test_letters_keeps_han_latin_and_figures_and_folds_full_width_forms():
    assert letters("美 DOC 斥资 85 亿美元（CHIPS）。") == "美DOC斥资85亿美元CHIPS"
    assert letters("ＧａＮ：１２３％，ﬁ") == "GaN123fi"


def test_sub_and_superscripts_and_list_numbers_are_expected(make_issue):
    body = "含 MoS~2~ 与 10^6^ 次，10⁻⁶ 与 CO₂。\n\n3. 第三项\n4. 第四项\n\n- 甲\n- 乙\n"
    expected = expected_of(load_issue(make_issue({"a.md": article("标题", body)})))
    assert [chunk.letters for chunk in expected.chunks][2:4] == ["含MoS2与106次106与CO2", "3第三项4第四项"]


def test_chunks_follow_the_body_with_file_and_line(make_issue):
    body = """\
    第一段正文[^a]。

    ## 小标题

    | 机构 | 内容 |
    | --- | --- |
    | 甲 | 乙丙 |

    [^a]: 脚注的文字。
    """
    folder = make_issue({"a.md": article("标题一", body, extra="byline: 董金鑫\n")})
    expected = expected_of(load_issue(folder))
    chunks = [(chunk.kind, chunk.source.path.name, chunk.source.line, chunk.letters) for chunk in expected.chunks]
    assert chunks == [("block", "a.md", 3, "专题"), ("block", "a.md", 2, "标题一"),
                      ("block", "a.md", 7, "第一段正文"), ("block", "a.md", 9, "小标题"),
                      ("table", "a.md", 11, "机构内容甲乙丙"), ("block", "a.md", 2, "董金鑫")]
    assert expected.chunks[4].repeated == "机构内容"
    assert expected.footnotes == [(1, "脚注的文字", Source(folder.resolve() / "a.md", 15))]


def test_the_sample_expects_its_title_cover_and_every_article():
    expected = expected_of(load_issue(SAMPLE))
    assert expected.title == "新材料监测快报 2024年第4期"
    assert expected.cover == ["新材料监测快报", "MATERIALS NEWSLETTER", "2024.04", "2024年第4期",
                              "中国新材料产业技术创新平台"]
    assert len(expected.highlights) == 7 and expected.subject.startswith("新材料监测快报（MATERIALS NEWSLETTER）")
    assert [heading.title for heading in expected.sections] == ["专题", "战略规划", "项目资助", "行业观察", "研究进展"]
    assert len(expected.articles) == 12 and len(expected.footnotes) == 12


def test_a_tables_cells_are_kept_row_by_row_without_sub_and_superscripts_or_footnote_texts(make_issue):
    body = "| 机构 | 材料 |\n| --- | --- |\n| 阿贡国家实验室 | LiCoO~2~ 正极[^a] |\n| 甲 |  |\n\n[^a]: 注。\n"
    [table] = [chunk for chunk in expected_of(load_issue(make_issue({"a.md": article("标题", body)}))).chunks
               if chunk.kind == "table"]
    assert table.head_rows == 1
    assert [[cell.replace("\u2060", "") for cell in row] for row in table.rows] == [
        ["机构", "材料"], ["阿贡国家实验室", "LiCoO 正极"], ["甲", ""]]
