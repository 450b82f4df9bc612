"""End to end: the sample issue built and read back from the PDF alone."""

import re
from pathlib import Path

import pytest

from press.load import load_issue
from press.pdfread import contents_entries, squeeze
from tests.conftest import ROOT, SAMPLE

SEED = Path(__file__).parent / "data" / "seed-2024-04.txt"
HAN = re.compile(r"[\u3400-\u9fff]")
SUPERSCRIPT_DIGITS = "¹²³⁴⁵⁶⁷⁸⁹⁰"


@pytest.fixture(scope="module")
def issue():
    return load_issue(SAMPLE)


def title_pages(reading, title: str) -> list[int]:
    """Body pages with a heading line (larger than body text) that is exactly the title."""
    return [page.index for page in reading.pages[2:] for line in page.lines
            if line.size > reading.body_size and squeeze(line.text) == squeeze(title)]


def test_cover_has_title_issue_highlights_publisher_and_no_page_number(sample_reading, issue):
    cover = squeeze(sample_reading.pages[0].text)
    for text in ["新材料监测快报", "MATERIALSNEWSLETTER", "2024.04", "2024年第4期", "本期要目",
                 "中国新材料产业技术创新平台", *(a.title for a in issue.highlights)]:
        assert squeeze(text) in cover, text
    assert not re.search(r"—\s*\d+\s*—", sample_reading.pages[0].text)


def test_contents_numbers_equal_the_page_where_each_title_stands(sample_reading, issue):
    contents = sample_reading.pages[1]
    assert sample_reading.pages[1].label == "目录"
    assert not re.search(r"—\s*\d+\s*—", contents.text)
    entries = contents_entries(contents)
    assert [squeeze(title) for title, _ in entries] == [squeeze(a.title) for a in issue.articles]
    for (title, number), article in zip(entries, issue.articles, strict=True):
        pages = title_pages(sample_reading, article.title)
        assert len(pages) == 1, title
        assert sample_reading.pages[pages[0]].label == str(number), title


def test_first_article_is_page_one_and_labels_equal_printed_folios(sample_reading):
    labels = [page.label for page in sample_reading.pages]
    assert labels[:3] == ["封面", "目录", "1"]
    for page in sample_reading.pages[2:]:
        footer = [line.text for line in page.lines if re.fullmatch(r"—\s*\d+\s*—", line.text)]
        assert footer == [f"— {page.label} —"], page.index


def test_every_footnote_text_is_on_its_call_page_numbered_one_to_n(sample_reading, issue):
    calls = [number for page in sample_reading.pages for number in page.calls]
    notes = [number for page in sample_reading.pages for number in page.notes]
    assert calls == list(range(1, len(issue.footnotes) + 1))
    assert notes == calls
    for page in sample_reading.pages:
        assert sorted(page.calls) == sorted(page.notes), page.label
    for note in issue.footnotes:
        page = next(p for p in sample_reading.pages if note.number in p.notes)
        assert squeeze(page.notes[note.number]) == squeeze(note.text)


def test_bookmarks_are_sections_then_articles_at_their_pages(sample_reading, issue):
    expected = []
    for section in issue.sections:
        first = title_pages(sample_reading, section.articles[0].title)[0]
        expected.append((1, section.name, first))
        expected += [(2, a.title, title_pages(sample_reading, a.title)[0]) for a in section.articles]
    assert sample_reading.outline == expected


def test_fonts_embedded_subset_and_all_from_the_fonts_folder(sample_reading):
    families = {path.stem.split("-")[0] for path in (ROOT / "fonts").iterdir()
                if path.suffix in (".otf", ".ttf")}
    assert families == {"PressSong", "PressHei", "PressKai", "PressSerif",
                        "PressSongHant", "PressHeiHant", "PressSongQuotes", "PressHeiQuotes"}  # marks: press.locale
    assert sample_reading.fonts
    for font in sample_reading.fonts:
        assert font.embedded, font.name
        prefix, _, base = font.name.partition("+")
        assert re.fullmatch(r"[A-Z]{6}", prefix), f"{font.name} is not subset"
        assert base.split("-")[0] in families, f"{font.name} is not from fonts/"


def test_no_missing_glyphs(sample_reading):
    text = "".join(page.text for page in sample_reading.pages)
    assert "\ufffd" not in text and "\x00" not in text
    assert all(font.missing == {} for font in sample_reading.fonts)


def test_metadata_language_and_page_size(sample_reading):
    meta = sample_reading.metadata
    assert meta["/Title"] == "新材料监测快报 2024年第4期"
    assert meta["/Author"] == "中国新材料产业技术创新平台"
    assert meta["/Subject"].startswith("新材料监测快报（MATERIALS NEWSLETTER）2024年第4期。本期要目：")
    assert meta["/CreationDate"].startswith("D:20240401")
    assert sample_reading.language == "zh-Hans"
    width, height = sample_reading.page_size
    assert (round(width), round(height)) == (595, 842)


def seed_sentences() -> list[str]:
    """The Han characters of every sentence of the seed's articles (not cover, contents, notes)."""
    text = SEED.read_text(encoding="utf-8")
    text = text[text.index("编者按："):]
    sentences = []
    for line in text.splitlines():
        if not HAN.search(line) or line.lstrip().startswith(tuple(SUPERSCRIPT_DIGITS)):
            continue
        for cell in line.split("\t"):
            for sentence in re.split(r"[。！？；]", cell):
                han = "".join(HAN.findall(sentence))
                if len(han) >= 2:
                    sentences.append(han)
    return sentences


def test_every_sentence_of_the_seed_is_in_the_pdf(sample_reading):
    body = "".join(line.text for page in sample_reading.pages[2:] for line in page.lines
                   if line.size >= sample_reading.body_size * 0.88)
    stream = "".join(HAN.findall(body))
    sentences = seed_sentences()
    assert len(sentences) > 250
    missing = [sentence for sentence in sentences if sentence not in stream]
    assert missing == []


def test_every_footnote_source_is_in_the_pdf(sample_reading):
    seed = SEED.read_text(encoding="utf-8")
    urls = re.findall(r"<(https?://[^>]+)>", seed)
    notes = squeeze("".join(t for page in sample_reading.pages for t in page.notes.values()))
    assert len(urls) == 12
    for url in urls:
        assert squeeze(url) in notes, url


def test_images_with_chinese_names_and_spaces_in_a_chinese_folder_are_placed(make_issue, tmp_path):
    from PIL import Image

    from press.build import build

    body = "正文。\n\n![图一](<图 1.png>)\n\n![图二](图2.png)\n"
    from tests.conftest import article

    folder = make_issue({"a.md": article("标题", body)}, name="2024年 第5期")
    for name, colour in [("图 1.png", (200, 30, 30)), ("图2.png", (30, 30, 200))]:
        Image.new("RGB", (60, 40), colour).save(folder / name)
    target = build(folder, tmp_path / "输出 文件.pdf").path
    assert target.read_bytes().count(b"/Subtype /Image") == 2


def test_a_numbered_list_that_starts_at_three_is_printed_from_three(make_issue, tmp_path):
    from pypdf import PdfReader

    from press.build import build
    from tests.conftest import article

    folder = make_issue({"a.md": article("标题", "1. 第一项\n2. 第二项\n\n中间一段。\n\n3. 第三项\n4. 第四项\n")})
    text = PdfReader(build(folder, tmp_path / "list.pdf").path).pages[-1].extract_text()
    assert re.findall(r"^(\d)\.\s*$", text, flags=re.M) == ["1", "2", "3", "4"]  # markers, read after the items
