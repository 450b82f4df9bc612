"""press import: Word documents made by a real word processor (LibreOffice, headless) imported as articles."""

import base64
import hashlib
import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from press.check import check_pdf
from press.cli import main
from press.importing import Paragraphs, convert
from press.load import load_issue
from press.pdfread import read_pdf
from press.render import render_html
from tests.conftest import ROOT, SAMPLE, article
from tests.word_documents import article_body

SET_UP = "run `bash .ci/setup --tests` (it installs LibreOffice, libreoffice-writer-nogui, for these tests)"

NAMESPACES = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
}.items())

STYLES = """
<office:styles>
<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph"
  style:default-outline-level="1"/>
<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph"
  style:default-outline-level="2"/>
<style:style style:name="Heading_20_3" style:display-name="Heading 3" style:family="paragraph"
  style:default-outline-level="3"/>
<style:style style:name="Aside" style:display-name="Aside" style:family="paragraph">
  <style:paragraph-properties fo:border="0.5pt solid #000000" fo:padding="0.1cm"/></style:style>
</office:styles>
<office:automatic-styles>
<style:style style:name="I" style:family="text">
  <style:text-properties fo:font-style="italic" style:font-style-asian="italic"/></style:style>
<style:style style:name="B" style:family="text">
  <style:text-properties fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>
<style:style style:name="Sub" style:family="text"><style:text-properties style:text-position="sub 58%"/></style:style>
<style:style style:name="Sup" style:family="text"><style:text-properties style:text-position="super 58%"/></style:style>
<style:style style:name="Lowered" style:family="text"><style:text-properties style:text-position="-20% 100%"/>
</style:style>
<style:style style:name="Box" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:border="0.5pt solid #000000" fo:padding="0.1cm"/></style:style>
<style:style style:name="Shaded" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:background-color="#e6e6e6"/></style:style>
<text:list-style style:name="L1">
  <text:list-level-style-number text:level="1" style:num-format="1" style:num-suffix="."/></text:list-style>
</office:automatic-styles>
"""


def picture() -> bytes:
    """A small PNG chart at 96 dpi."""
    image = Image.new("RGB", (240, 120), "white")
    image.paste((40, 90, 160), (20, 60, 220, 100))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(96, 96))
    return buffer.getvalue()


def note(ident: str, text: str, kind: str = "footnote") -> str:
    return (f'<text:note text:id="{ident}" text:note-class="{kind}"><text:note-citation>1</text:note-citation>'
            f'<text:note-body><text:p>{text}</text:p></text:note-body></text:note>')


def cell(text: str, attributes: str = "") -> str:
    return f'<table:table-cell office:value-type="string"{attributes}><text:p>{text}</text:p></table:table-cell>'


def table(rows: list[str], columns: int) -> str:
    body = "".join(f"<table:table-row>{row}</table:table-row>" for row in rows)
    return (f'<table:table table:name="T{len(rows)}"><table:table-column table:number-columns-repeated="{columns}"/>'
            f"{body}</table:table>")


def p(text: str) -> str:
    return f'<text:p text:style-name="Standard">{text}</text:p>'


ARTICLE = "".join([
    '<text:p text:style-name="Title">美发布新材料战略</text:p>',
    p("编者按：3 月 15 日，美国发布《新材料战略》（<text:span text:style-name=\"I\">National Strategy on Materials"
      "</text:span>）" + note("n1", "White House Releases National Strategy. https://www.whitehouse.gov/ostp/")
      + "。本刊编译其要点。"),
    '<text:h text:style-name="Heading_20_1" text:outline-level="1">一、目标与措施</text:h>',
    p('该战略提出发展 LiCoO<text:span text:style-name="Sub">2</text:span> 正极与 SSAB Zero'
      '<text:span text:style-name="Sup">®</text:span> 钢材，<text:span text:style-name="B">重点</text:span>支持 '
      'Ru<text:span text:style-name="Sub">2</text:span>Si<text:span text:style-name="Sub">x</text:span>'
      'O<text:span text:style-name="Sub">y</text:span> 研究' + note("n2", "DOE Announces Funding. "
                                                                     "https://www.energy.gov/articles/funding")
      + '。详见<text:a xlink:type="simple" xlink:href="https://www.nsf.gov/news/">美国国家科学基金会网站</text:a>。'),
    p("（一）资助项目"),  # a heading by its numbering alone, as analysts write them
    p("资助分为以下几类:"),  # a half-width colon: lint --fix makes it full-width
    '<text:list text:style-name="L1"><text:list-item><text:p>基础研究项目；</text:p></text:list-item>'
    "<text:list-item><text:p>应用示范项目。</text:p></text:list-item></text:list>",
    p("表 1 资助项目一览"),
    table([cell("领衔机构") + cell("资助金额"), cell("加州大学") + cell("150 万美元"),
           cell("麻省理工学院") + cell("120 万美元")], 2),
    p("项目将于2025年完成" + note("e1", "NSF Program Solicitation. https://www.nsf.gov/pubs/", "endnote") + "。"),
    p('<draw:frame draw:name="Image1" text:anchor-type="as-char" svg:width="6.35cm" svg:height="3.175cm">'
      f"<draw:image><office:binary-data>{base64.b64encode(picture()).decode()}</office:binary-data></draw:image>"
      "</draw:frame>"),
    p("图 1 资助领域分布"),
    p("（董金鑫）"),
])

# The same article as an editor writes it by hand (README: An article).
HANDWRITTEN = """\
---
title: 美发布新材料战略
section: 项目资助
byline: 董金鑫
---

::: 编者按
3 月 15 日，美国发布《新材料战略》（*National Strategy on Materials*）[^whitehouse]。本刊编译其要点。
:::

# 一、目标与措施

该战略提出发展 LiCoO~2~ 正极与 SSAB Zero^®^ 钢材，**重点**支持 Ru~2~Si~x~O~y~ 研究[^doe]。\
详见[美国国家科学基金会网站](https://www.nsf.gov/news/)。

## （一）资助项目

资助分为以下几类：

1. 基础研究项目；
2. 应用示范项目。

表 1 资助项目一览

| 领衔机构 | 资助金额 |
| --- | --- |
| 加州大学 | 150 万美元 |
| 麻省理工学院 | 120 万美元 |

项目将于 2025 年完成[^nsf]。

![图 1 资助领域分布](article-figure-1.png)

[^whitehouse]: White House Releases National Strategy. <https://www.whitehouse.gov/ostp/>

[^doe]: DOE Announces Funding. <https://www.energy.gov/articles/funding>

[^nsf]: NSF Program Solicitation. <https://www.nsf.gov/pubs/>
"""


def fodt(body: str, extra: str = "") -> str:
    """A flat OpenDocument text (.fodt) around `body`."""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {NAMESPACES} office:version="1.3" '
            f'office:mimetype="application/vnd.oasis.opendocument.text">{STYLES}'
            f"<office:body><office:text>{extra}{body}</office:text></office:body></office:document>")


@pytest.fixture(scope="session")
def word(tmp_path_factory):
    """make(name, body) → a .docx that LibreOffice wrote from the flat ODT of `body` (cached by content)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail(f"LibreOffice (soffice) is missing: {SET_UP}")
    folder = tmp_path_factory.mktemp("word")
    profile = (folder / "profile").as_uri()
    # LibreOffice looks for the machine's fonts, not press's own fonts.conf (press/__init__.py sets it for press)
    environment = {key: value for key, value in os.environ.items() if key != "FONTCONFIG_FILE"}

    def make(name: str, body: str, extra: str = "") -> Path:
        source_text = fodt(body, extra)
        digest = hashlib.sha256(source_text.encode()).hexdigest()[:12]
        out = folder / digest
        target = out / f"{name}.docx"
        if not target.exists():
            out.mkdir(exist_ok=True)
            source = out / f"{name}.fodt"
            source.write_text(source_text, encoding="utf-8")
            done = subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "docx",
                                   "--outdir", str(out), str(source)], capture_output=True, text=True, timeout=120,
                                  env=environment)
            assert target.exists(), f"LibreOffice did not convert {source}: {done.stdout}{done.stderr}"
        return target

    return make


def two_sections(make_issue, name: str = "2024-05") -> Path:
    """An issue with an article of 专题 and one of 研究进展: an import of 项目资助 goes between them."""
    return make_issue({"01-topic.md": article("专题文章", "专题的正文。"),
                       "02-research.md": article("研究文章", "研究的正文。", section="研究进展")}, name=name)


def run(*arguments: str):
    return CliRunner().invoke(main, [str(argument) for argument in arguments])


def built_and_checked(folder: Path, pdf: Path):
    """Build `folder` to `pdf` with the command, check it against its source; the reading, the check's report."""
    built = run("build", folder, "-o", pdf)
    assert built.exit_code == 0, built.output
    report = check_pdf(pdf, folder)
    assert report.passed, [check.id for check in report.checks if not check.passed]
    return read_pdf(pdf), report


def test_the_imported_article_builds_passes_every_check_and_reads_as_the_handwritten_one(word, make_issue, tmp_path):
    document = word("article", ARTICLE)
    imported = two_sections(make_issue, "2024-05")
    result = run("import", document, imported, "--section", "项目资助")
    assert result.exit_code == 0, result.output
    assert "已导入" in result.output
    assert "article.md" in result.output
    assert "已修正" in result.output and "halfwidth" in result.output  # the colon fixed by lint --fix
    listed = (imported / "issue.yaml").read_text(encoding="utf-8")
    assert listed.index("01-topic.md") < listed.index("article.md") < listed.index("02-research.md")
    assert (imported / "article.md").read_text(encoding="utf-8") == HANDWRITTEN.replace(
        "[^whitehouse]", "[^1]").replace("[^doe]", "[^2]").replace("[^nsf]", "[^3]")
    assert (imported / "article-figure-1.png").is_file()

    handwritten = two_sections(make_issue, "2024-06")
    (handwritten / "article.md").write_text(HANDWRITTEN, encoding="utf-8")
    (handwritten / "article-figure-1.png").write_bytes(picture())
    (handwritten / "issue.yaml").write_text(listed, encoding="utf-8")

    readings = []
    for folder in (imported, handwritten):
        reading, report = built_and_checked(folder, tmp_path / f"{folder.name}.pdf")
        ids = {check.id for check in report.checks}
        assert {"footnote-count", "footnote-numbering", "footnote-same-page", "toc-page", "text"} <= ids
        readings.append(reading)
    imported_text, handwritten_text = ([page.text for page in reading.pages] for reading in readings)
    assert imported_text == handwritten_text
    notes = {number: text for page in readings[0].pages for number, text in page.notes.items()}
    assert sorted(notes) == [1, 2, 3]
    assert "energy.gov" in notes[2]


def test_tracked_changes_are_refused_and_nothing_is_written(word, make_issue):
    changes = ('<text:tracked-changes><text:changed-region text:id="c1"><text:insertion><office:change-info>'
               "<dc:creator>编辑</dc:creator><dc:date>2024-04-01T10:00:00</dc:date></office:change-info>"
               "</text:insertion></text:changed-region></text:tracked-changes>")
    document = word("changed", '<text:p text:style-name="Title">标题</text:p>'
                    + p('正文<text:change-start text:change-id="c1"/>新增的话<text:change-end text:change-id="c1"/>。'),
                    changes)
    assert b"<w:ins " in zipfile.ZipFile(document).read("word/document.xml")  # LibreOffice kept the change
    folder = two_sections(make_issue)
    before = (folder / "issue.yaml").read_text(encoding="utf-8")
    result = run("import", document, folder, "--section", "专题")
    assert result.exit_code == 2
    assert "修订" in result.output and "accept or reject them first" in result.output
    assert not (folder / "changed.md").exists()
    assert (folder / "issue.yaml").read_text(encoding="utf-8") == before


def test_comments_are_refused(word, make_issue):
    comment = ("<office:annotation><dc:creator>编辑</dc:creator><dc:date>2024-04-01T10:00:00</dc:date>"
               "<text:p>这里要核对</text:p></office:annotation>")
    document = word("commented", '<text:p text:style-name="Title">标题</text:p>' + p(f"正文{comment}。"))
    folder = two_sections(make_issue)
    result = run("import", document, folder, "--section", "专题")
    assert result.exit_code == 2
    assert "批注" in result.output
    assert not (folder / "commented.md").exists()


@pytest.mark.parametrize(("name", "content", "says"), [
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "save it as .docx"),
    ("garbage.docx", b"this is not a Word document", "not a readable .docx"),
    ("cut.docx", None, "not a readable .docx"),
])
def test_a_doc_or_damaged_file_is_an_input_error(name, content, says, word, make_issue, tmp_path):
    path = tmp_path / name
    path.write_bytes(content if content is not None else word("article", ARTICLE).read_bytes()[:3000])
    folder = two_sections(make_issue)
    before = sorted(folder.iterdir())
    result = run("import", path, folder, "--section", "专题")
    assert result.exit_code == 2, result.output
    assert says in result.output
    assert "Traceback" not in result.output
    assert sorted(folder.iterdir()) == before


def test_merged_cells_are_reported_at_the_table_and_no_row_is_shifted(word, make_issue):
    spanned = ' table:number-columns-spanned="2"'
    body = ('<text:p text:style-name="Title">合并单元格</text:p>' + p("正文第一段。") + p("表 1 项目")
            + table([cell("机构") + cell("金额") + cell("年份"),
                     cell("合计", spanned) + "<table:covered-table-cell/>" + cell("2024"),
                     cell("甲") + cell("10") + cell("2025")], 3))
    document = word("merged", body)
    folder = two_sections(make_issue)
    result = run("import", document, folder, "--section", "专题")
    assert result.exit_code == 0, result.output
    assert "merged.docx:¶4（“机构”）: 表格有合并单元格" in result.output  # the table's first paragraph
    text = (folder / "merged.md").read_text(encoding="utf-8")
    assert "| 合计 |  | 2024 |" in text
    assert "| 甲 | 10 | 2025 |" in text


def test_an_existing_article_is_not_overwritten(word, make_issue):
    document = word("article", ARTICLE)
    folder = two_sections(make_issue)
    (folder / "article.md").write_text(article("旧文章", "旧的正文。"), encoding="utf-8")
    before = (folder / "issue.yaml").read_text(encoding="utf-8")
    result = run("import", document, folder, "--section", "专题")
    assert result.exit_code == 2
    assert "已存在，不覆盖" in result.output
    assert "旧的正文" in (folder / "article.md").read_text(encoding="utf-8")
    assert not (folder / "article-figure-1.png").exists()
    assert (folder / "issue.yaml").read_text(encoding="utf-8") == before


@pytest.mark.parametrize(("section", "order"), [
    ("专题", ["01-topic.md", "note.md", "02-research.md"]),
    ("战略规划", ["01-topic.md", "note.md", "02-research.md"]),
    ("研究进展", ["01-topic.md", "02-research.md", "note.md"]),
])
def test_issue_yaml_lists_the_article_in_its_sections_place(section, order, word, make_issue):
    document = word("note", '<text:p text:style-name="Title">短讯</text:p>' + p("短讯的正文。"))
    folder = two_sections(make_issue)
    result = run("import", document, folder, "--section", section)
    assert result.exit_code == 0, result.output
    lines = (folder / "issue.yaml").read_text(encoding="utf-8").splitlines()
    assert [line.strip("- ") for line in lines if line.startswith("  - ")] == order
    assert run("lint", folder).exit_code == 0


def test_an_unknown_or_missing_section_is_an_input_error(word, make_issue):
    document = word("note", '<text:p text:style-name="Title">短讯</text:p>' + p("短讯的正文。"))
    folder = two_sections(make_issue)
    assert "未知栏目" in run("import", document, folder, "--section", "杂谈").output
    assert run("import", document, folder).exit_code == 2
    assert not (folder / "note.md").exists()


def test_what_cannot_be_imported_as_it_was_is_reported_at_its_paragraph(word, make_issue):
    box = ('<draw:frame draw:name="Box1" text:anchor-type="paragraph" svg:width="5cm" svg:height="2cm">'
           "<draw:text-box><text:p>文本框里的话</text:p></draw:text-box></draw:frame>")
    image = ('<draw:frame draw:name="Image1" text:anchor-type="as-char" svg:width="6.35cm" svg:height="3.175cm">'
             f"<draw:image><office:binary-data>{base64.b64encode(picture()).decode()}</office:binary-data>"
             "</draw:image></draw:frame>")
    body = ('<text:p text:style-name="Title">难以导入的内容</text:p>'  # ¶1
            + p("第一段。")  # ¶2
            + p(f"{box}旁边的文字。")  # ¶3, its text box's paragraph ¶4
            + p("表 1 项目")  # ¶5
            + table([cell("机构" + note("n1", "表头里的脚注。")) + cell("金额"), cell("甲") + cell("10")], 2)  # ¶6–9
            + p("见下图。")  # ¶10
            + p(image)  # ¶11
            + p("图 1 分布" + note("n2", "图题里的脚注。")))  # ¶12
    document = word("lossy", body)
    folder = two_sections(make_issue)
    result = run("import", document, folder, "--section", "专题")
    assert result.exit_code == 0, result.output
    assert "lossy.docx:¶3（“旁边的文字。”）: 文本框中的文字已作为其后的普通段落导入" in result.output
    assert "lossy.docx:¶6（“机构”）: 表头中的脚注引用已移到表题末尾" in result.output
    assert "lossy.docx:¶11（“[图片]”）: 图题中的脚注引用已移到上一段末尾" in result.output
    text = (folder / "lossy.md").read_text(encoding="utf-8")
    assert "见下图。[^2]\n\n![图 1 分布](lossy-figure-1.png)" in text
    assert "[^2]: 图题里的脚注。" in text
    assert "表 1 项目[^1]\n\n| 机构 | 金额 |" in text
    assert run("build", folder, "-o", folder.parent / "lossy.pdf").exit_code == 0


def test_documents_named_in_chinese_get_free_article_names(word, make_issue, tmp_path):
    document = word("note", '<text:p text:style-name="Title">短讯</text:p>' + p("短讯的正文。"))
    first, second = tmp_path / "氢能联盟.docx", tmp_path / "钢铁.docx"
    shutil.copy(document, first)
    shutil.copy(document, second)
    folder = two_sections(make_issue)
    result = run("import", first, second, folder, "--section", "专题")
    assert result.exit_code == 0, result.output
    assert (folder / "article-1.md").is_file() and (folder / "article-2.md").is_file()
    assert run("import", first, folder, "--section", "专题").exit_code == 0
    assert (folder / "article-3.md").is_file()


def test_the_sample_imported_from_word_builds_the_sample(word, make_issue, tmp_path):
    """Each article of the sample written as a Word document, imported into an empty issue: the issue builds,
    passes every check, and its PDF reads as the sample's, word for word."""
    folder = make_issue({}, "year: 2024\nnumber: 4\ndate: 2024-04-01\narticles: []\n", name="2024-04")
    for path in sorted(SAMPLE.glob("*.md")):
        body, section = article_body(path)
        highlight = ["--highlight"] if "\nhighlight: true\n" in path.read_text(encoding="utf-8") else []
        result = run("import", word(path.stem, body), folder, "--section", section, *highlight)
        assert result.exit_code == 0, result.output
    sample = make_issue.copy_sample("2024-04-sample")
    texts = []
    for issue in (folder, sample):
        reading, _ = built_and_checked(issue, tmp_path / f"{issue.name}.pdf")
        texts.append([page.text for page in reading.pages])
    assert texts[0] == texts[1]


def test_one_refused_document_stops_the_whole_import(word, make_issue, tmp_path):
    good = word("note", '<text:p text:style-name="Title">短讯</text:p>' + p("短讯的正文。"))
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not really")
    folder = two_sections(make_issue)
    before = sorted(folder.iterdir()), (folder / "issue.yaml").read_text(encoding="utf-8")
    result = run("import", good, bad, folder, "--section", "专题")
    assert result.exit_code == 2
    assert "bad.docx" in result.output
    assert (sorted(folder.iterdir()), (folder / "issue.yaml").read_text(encoding="utf-8")) == before


def test_a_numbered_list_keeps_its_start_number(word, make_issue, tmp_path):
    body = ('<text:p text:style-name="Title">续前的清单</text:p>' + p("接上文，其余两项是：")
            + '<text:list text:style-name="L1"><text:list-item text:start-value="3"><text:p>第三项；</text:p>'
            "</text:list-item><text:list-item><text:p>第四项。</text:p></text:list-item></text:list>"
            + p("另一份清单：")
            + '<text:list text:style-name="L1"><text:list-item><text:p>甲项；</text:p></text:list-item>'
            "<text:list-item><text:p>乙项。</text:p></text:list-item></text:list>")
    document = word("started", body)
    with zipfile.ZipFile(document) as package:  # LibreOffice writes the start where Word keeps it
        assert '<w:startOverride w:val="3"/>' in package.read("word/numbering.xml").decode()
    folder = two_sections(make_issue)
    result = run("import", document, folder, "--section", "专题")
    assert result.exit_code == 0, result.output
    assert "起始编号" not in result.output
    text = (folder / "started.md").read_text(encoding="utf-8")
    assert "3. 第三项；\n4. 第四项。" in text
    assert "1. 甲项；\n2. 乙项。" in text
    pdf = tmp_path / "started.pdf"
    built = run("build", folder, "-o", pdf)
    assert built.exit_code == 0, built.output
    printed = "\n".join(page.text for page in read_pdf(pdf).pages)
    assert "3. 第三项；" in printed and "4. 第四项。" in printed and "1. 甲项；" in printed
    report = check_pdf(pdf, folder)
    assert not [check.id for check in report.checks if not check.passed]


def test_a_list_whose_start_cannot_be_read_is_reported_not_guessed(tmp_path):
    _, body, converter = convert(tmp_path / "a.docx", "<h1>题</h1><ol><li>一项</li><li>二项</li></ol>", "a")
    assert "1. 一项\n2. 二项" in body
    assert [(notice.paragraph, "起始编号" in notice.message) for notice in converter.notices] == [(2, True)]


def test_a_framed_or_shaded_paragraph_titled_in_brackets_becomes_a_box(word, make_issue, tmp_path):
    body = ('<text:p text:style-name="Title">带框的文章</text:p>' + p("正文第一段。")
            + '<text:p text:style-name="Box">【快报延伸】</text:p>'
            + '<text:p text:style-name="Box">框里的第一段。</text:p>'
            + '<text:p text:style-name="Box">框里的第二段。</text:p>'
            + p("框后的正文。")
            + '<text:p text:style-name="Shaded">【背景】灰底的说明。</text:p>'
            + p("【注意】没有边框的段落不是框。")
            + '<text:p text:style-name="Aside">【链接】边框来自段落样式。</text:p>'
            + '<text:p text:style-name="Aside">样式框的第二段。</text:p>')
    document = word("boxed", body)
    with zipfile.ZipFile(document) as package:
        xml = package.read("word/document.xml").decode()
        assert "<w:pBdr>" in xml and 'w:fill="E6E6E6"' in xml
        assert '<w:pStyle w:val="Aside"/>' in xml and "<w:pBdr>" in package.read("word/styles.xml").decode()
    folder = two_sections(make_issue)
    result = run("import", document, folder, "--section", "专题")
    assert result.exit_code == 0, result.output
    text = (folder / "boxed.md").read_text(encoding="utf-8")
    assert "::: 框 【快报延伸】\n框里的第一段。\n\n框里的第二段。\n:::\n\n框后的正文。" in text
    assert "::: 框 【背景】\n灰底的说明。\n:::" in text
    assert "\n【注意】没有边框的段落不是框。" in text
    html = render_html(load_issue(folder)).replace("\u2060", "")  # less the word joiners of line breaking
    assert '<p class="box-title">【快报延伸】</p>' in html and '<p class="box-title">【背景】</p>' in html
    assert "::: 框 【链接】\n边框来自段落样式。\n\n样式框的第二段。\n:::" in text
    assert html.count('<aside class="box') == 3
    pdf = tmp_path / "boxed.pdf"
    built = run("build", folder, "-o", pdf)
    assert built.exit_code == 0, built.output
    report = check_pdf(pdf, folder)
    assert not [check.id for check in report.checks if not check.passed]


def test_a_box_title_in_bold_keeps_the_marks_of_the_text_after_it(tmp_path):
    package = Paragraphs(frames={2: ("border", True), 3: ("border", False), 4: ("", False)})
    html = ("<h1>题</h1><p><strong>【快报延伸】</strong>LiCoO<sub>2</sub> 的<em>说明</em>。</p><p>第二段。</p>"
            "<p>框外。</p>")
    _, body, _ = convert(tmp_path / "a.docx", html, "a", package)
    assert body == "::: 框 【快报延伸】\nLiCoO~2~ 的*说明*。\n\n第二段。\n:::\n\n框外。\n"


def test_a_list_nested_under_item_ten_is_indented_under_its_text(tmp_path):
    package = Paragraphs(lists=[[(2, 10, "十项"), (3, 1, "子项")]])
    html = "<h1>题</h1><ol><li>十项<ol><li>子项</li></ol></li></ol>"
    _, body, converter = convert(tmp_path / "a.docx", html, "a", package)
    assert body == "10. 十项\n    1. 子项\n"
    assert not converter.notices


def test_a_corpus_article_with_a_box_imports_its_box_as_written(word, make_issue, tmp_path):
    path = ROOT / "tests" / "corpus" / "frontier-digest" / "2024-05" / "01-solid-state-batteries.md"
    body, _ = article_body(path)
    folder = two_sections(make_issue)
    result = run("import", word("solid-state", body), folder, "--section", "专题")
    assert result.exit_code == 0, result.output
    written = path.read_text(encoding="utf-8")
    box = written[written.index("::: 框"):written.index(":::", written.index("::: 框") + 5) + 3]
    assert box in (folder / "solid-state.md").read_text(encoding="utf-8")
    pdf = tmp_path / "solid-state.pdf"
    built = run("build", folder, "-o", pdf)
    assert built.exit_code == 0, built.output
    assert not [check.id for check in check_pdf(pdf, folder).checks if not check.passed]


def test_a_run_lowered_by_position_not_set_as_a_subscript_is_reported(word, make_issue):
    # A subscript pasted from a web page: LibreOffice keeps it as text lowered by position (w:position), not as
    # Word's subscript (w:vertAlign), and mammoth reads it as plain text.
    body = ('<text:p text:style-name="Title">排放</text:p>'
            + p('二氧化碳 CO<text:span text:style-name="Lowered">2</text:span> 的排放量下降了。'))
    document = word("lowered", body)
    folder = two_sections(make_issue)
    result = run("import", document, folder, "--section", "专题")
    assert result.exit_code == 0, result.output
    assert "lowered.docx:¶2（“二氧化碳 CO2 的排放…”）: “2” 以升降位置排成上下标，已按平文导入" in result.output
    assert "(“2” raised or lowered by position, not set as a subscript or superscript: imported flat)" in result.output
