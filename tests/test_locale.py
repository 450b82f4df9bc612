"""press.locale: the chrome in the newsletter's language, read back from real builds (zh-Hant, en-US)."""

from itertools import pairwise

import pytest
from pypdf import PdfReader

from press import locale
from press.build import build
from press.check import check_pdf
from press.errors import InputError
from press.load import load_issue
from press.pdf import split_adjustment
from press.pdfread import read_pdf
from press.render import render_html
from tests.conftest import IssueMaker, article

ENGLISH = {
    "01-passport.md": article("EU Battery Passport Rules Take Shape", """
        ::: 编者按
        The Commission's draft fixes what the "battery passport" must hold.
        :::

        The EU's rules apply from 2027. A passport holds the "carbon footprint" and the battery's history, as
        the regulation's annex lists them; makers outside Europe must follow them too, or lose the market.

        Table 1 Key dates

        | Date | Step |
        | --- | --- |
        | 2025 | Draft act |
        | 2027 | Passport required |
        """, section="Policy", extra="byline: J. Smith\nhighlight: true\n"),
}
ENGLISH_SETTINGS = """slug: battery-watch
title: Battery Watch
title_en: BATTERY WATCH
publisher: Institute for Energy Storage Intelligence
language: en-US
sections:
  - Policy
styles_dir: {root}/styles
fonts_dir: {root}/fonts
"""
TRADITIONAL = {
    "01-co2.md": article("CO₂ 排放與 10⁻⁶ 級雜質", """
        ::: 編者按
        本文整理碳排放的新規定。
        :::

        環境部依據《氣候變遷因應法》，於今年陸續預告多項子法。業者表示，規定仍需時間適應。

        ::: 编者按
        簡體寫法的標記，印出的仍是繁體。
        :::
        """, section="專題", extra="byline: 王小明\nhighlight: true\n"),
}


def settings_for(maker: IssueMaker, language: str) -> None:
    """The sample's settings in `language` (and its sections; 專題 added for the Traditional articles)."""
    maker.use_sample_settings(extra=f"language: {language}\n")
    text = maker.settings.read_text(encoding="utf-8")
    maker.settings.write_text(text.replace("  - 专题\n", "  - 专题\n  - 專題\n"), encoding="utf-8")


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    """(issue folder, built PDF) of a small English issue."""
    root = tmp_path_factory.mktemp("english")
    maker = IssueMaker(root)
    from tests.conftest import ROOT
    maker.settings.write_text(ENGLISH_SETTINGS.format(root=ROOT), encoding="utf-8")
    folder = maker(ENGLISH)
    return folder, build(folder, root / "en.pdf").path


def traditional_text(tmp_path_factory, language: str):
    """(issue folder, built PDF) of the small Traditional Chinese issue in a newsletter of `language`."""
    root = tmp_path_factory.mktemp(language)
    maker = IssueMaker(root)
    settings_for(maker, language)
    folder = maker(TRADITIONAL)
    return folder, build(folder, root / f"{language}.pdf").path


@pytest.fixture(scope="module")
def traditional(tmp_path_factory):
    """(issue folder, built PDF) of a small Traditional Chinese issue."""
    return traditional_text(tmp_path_factory, "zh-Hant")


@pytest.fixture(scope="module")
def simplified(tmp_path_factory):
    """(issue folder, built PDF) of the same Traditional text in a zh-Hans newsletter."""
    return traditional_text(tmp_path_factory, "zh-Hans")


# The language family and its words ---------------------------------------------------------------

@pytest.mark.parametrize(("tag", "family"), [
    ("zh-Hans", "zh-Hans"), ("zh-CN", "zh-Hans"), ("zh", "zh-Hans"), ("zh-Hans-SG", "zh-Hans"),
    ("zh-Hant", "zh-Hant"), ("zh-TW", "zh-Hant"), ("zh-HK", "zh-Hant"), ("zh-Hant-MO", "zh-Hant"),
    ("en", "en"), ("en-US", "en"), ("en_GB", "en"), ("fr", "zh-Hans"), ("", "zh-Hans")])
def test_a_language_tag_chooses_its_family(tag, family):
    assert locale.family(tag) == family


def test_the_issue_label_and_byline_per_family():
    assert locale.chrome("zh-Hans").issue_label(2024, 4) == "2024年第4期"
    assert locale.chrome("zh-TW").issue_label(2024, 4) == "2024年第4期"
    assert locale.chrome("en-US").issue_label(2024, 4) == "No. 4, 2024"
    assert locale.chrome("zh-Hans").byline("刘洋") == "（刘洋）"
    assert locale.chrome("en-GB").byline("J. Smith") == "— J. Smith"
    assert locale.chrome("zh-Hant").note_label() == "編者按："
    assert locale.chrome("en").note_label() == "Editor’s note: "


def test_an_english_newsletter_reads_the_english_part_of_a_message():
    english, chinese = locale.chrome("en-US"), locale.chrome("zh-Hans")
    message = "未知栏目 杂谈 (unknown section; known: 专题、战略规划)"
    assert english.message(message) == "unknown section; known: 专题、战略规划"
    assert chinese.message(message) == message
    assert english.message("a.md:3:1: 脚注没有内容 (footnote call without text (see [^4]))") == (
        "a.md:3:1: footnote call without text (see [^4])")
    assert english.message("文件不是 UTF-8 编码 (not UTF-8)；请另存") == "文件不是 UTF-8 编码 (not UTF-8)；请另存"


def test_straight_quotes_curl_in_text_but_not_in_code_or_tags():
    html = '<p>He said &quot;hi&quot;, it&#39;s \'ok\' ("x")</p><p>"New <code>"raw"</code></p><a href="a">\'</a>'
    assert locale.curly_quotes(html) == ('<p>He said “hi”, it’s ‘ok’ (“x”)</p><p>“New <code>"raw"</code></p>'
                                         '<a href="a">‘</a>')  # opens: a block ended before it


def test_a_trailing_tj_number_gets_a_tj_of_its_own():
    assert split_adjustment(b"[<0025>493] TJ") == b"[<0025>] TJ\n[<>493] TJ"
    assert split_adjustment(b"[<>-6.5<0016>-6] TJ") == b"[<>-6.5<0016>] TJ\n[<>-6] TJ"
    assert split_adjustment(b"[<0016>0] TJ") == b"[<0016>0] TJ"
    assert split_adjustment(b"[<0016>] TJ") == b"[<0016>] TJ"


# English -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("issue", ["english", "traditional"])
def test_an_english_or_traditional_issue_passes_every_check(issue, request):
    folder, pdf = request.getfixturevalue(issue)
    report = check_pdf(pdf, folder)
    assert report.passed, [(check.id, check.failures[:2]) for check in report.checks if not check.passed]


def test_an_english_issue_prints_english_chrome(english):
    _, pdf = english
    reader = PdfReader(pdf)
    assert list(reader.page_labels)[:3] == ["Cover", "Contents", "1"]
    reading = read_pdf(pdf)
    cover, contents, body = (page.text for page in reading.pages[:3])
    assert "In this issue" in cover and "No. 5, 2024" in cover and "本期要目" not in cover
    assert "Contents" in contents and "目" not in contents
    assert "Editor’s note:" in body and "编者按" not in body
    assert "— J. Smith" in body and "（" not in body
    assert reader.metadata.title == "Battery Watch No. 5, 2024"


def test_english_quotes_and_apostrophes_stand_at_latin_width(english):
    _, pdf = english
    reading = read_pdf(pdf)
    marks = [char for page in reading.pages for line in page.lines for char in line.chars if char["text"] in "’“”"]
    assert {char["text"] for char in marks} == {"’", "“", "”"}
    assert all((char["x1"] - char["x0"]) / char["size"] < 0.5 for char in marks)  # full-width is 1 em
    assert all("PressSongQuotes" in char["fontname"] or "PressHeiQuotes" in char["fontname"] for char in marks)


QUOTED = """\
The Act calls an "AI system" what its 'provider' places on the market, and a "deployer" the one who uses it; \
the Commission's guidelines, a "living document", say what a 'general-purpose' model is, and the \
"AI Office" keeps the list. Lawyers call the text 'pragmatic' but find the "risk" classes vague, and \
the makers' groups ask for a 'grace period' of two years before the "high-risk" rules apply to them.
"""


def test_an_english_word_space_beside_a_quote_stretches_as_the_others(make_issue, tmp_path):
    """A justified English line widens the spaces of an “AI system” as its other word spaces (they were set as
    Han–Latin gaps, stretched by nothing: `an“AI`)."""
    from statistics import median

    from tests.conftest import ROOT
    make_issue.settings.write_text(ENGLISH_SETTINGS.format(root=ROOT), encoding="utf-8")
    folder = make_issue({"a.md": article("The AI Act", QUOTED, section="Policy")})
    lines = [line.chars for page in read_pdf(build(folder, tmp_path / "quoted.pdf").path).pages for line in page.lines]
    compared = 0
    for chars in lines:
        beside, others = [], []
        for before, space, after in zip(chars, chars[1:], chars[2:], strict=False):
            if space["text"] == " " and before["text"] != " " != after["text"]:
                stretch = after["x0"] - space["x1"]  # the justification's letter-spacing, after the space
                (beside if before["text"] in "’”" or after["text"] in "‘“" else others).append(stretch)
        if beside and others and median(others) > 0.5:  # a justified line
            assert max(abs(stretch - median(others)) for stretch in beside) < 0.1, (beside, others)
            compared += 1
    assert compared >= 2


def test_english_section_headings_are_not_letter_spaced(english):
    _, pdf = english
    heading = next(line for page in read_pdf(pdf).pages for line in page.lines if line.text.strip() == "Policy")
    glyphs = [char for char in heading.chars if char["text"].strip()]
    gaps = [after["x0"] - before["x1"] for before, after in pairwise(glyphs)]
    assert max(gaps) < 0.05 * glyphs[0]["size"], gaps  # letter-spaced at 0.3 em it was `P o l i c y`


def test_table_1_is_an_english_table_caption(english):
    folder, _ = english
    assert '<caption class="table-caption">Table' in render_html(load_issue(folder))


def test_an_english_issue_s_problems_print_in_english(make_issue):
    from tests.conftest import ROOT
    make_issue.settings.write_text(ENGLISH_SETTINGS.format(root=ROOT), encoding="utf-8")
    folder = make_issue({"a.md": article("Title", "Text.", section="Gossip")})
    with pytest.raises(InputError) as raised:
        build(folder, folder / "x.pdf")
    assert "unknown section" in raised.value.message and "未知栏目" not in raised.value.message
    make_issue.use_sample_settings()
    with pytest.raises(InputError) as raised:
        build(folder, folder / "x.pdf")
    assert "未知栏目" in raised.value.message and "unknown section" in raised.value.message


def test_a_pdf_with_another_language_s_chrome_fails_the_check(english, tmp_path):
    folder, pdf = english
    settings = folder.parent / "newsletter.yaml"
    text = settings.read_text(encoding="utf-8")
    try:
        settings.write_text(text.replace("language: en-US", "language: zh-Hans"), encoding="utf-8")
        report = check_pdf(pdf, folder, only=["front-matter"])
    finally:
        settings.write_text(text, encoding="utf-8")
    messages = [failure["message"] for check in report.checks for failure in check.failures]
    assert not report.passed
    assert any("labelled “Cover”, not “封面”" in message for message in messages), messages
    assert any("does not show its title “目　录”" in message for message in messages), messages


# Traditional Chinese -----------------------------------------------------------------------------

def test_a_traditional_issue_prints_traditional_chrome(traditional):
    _, pdf = traditional
    assert list(PdfReader(pdf).page_labels)[:3] == ["封面", "目錄", "1"]
    reading = read_pdf(pdf)
    assert "目錄" in reading.pages[1].text.replace(" ", "").replace("\u3000", "")
    body = reading.pages[2].text
    assert body.count("編者按：") == 2 and "编者按" not in body  # ::: 编者按 prints in the issue's characters too


def centre_of_ink(pdf, page_index: int, char: dict) -> float:
    """Where the ink of one glyph is centred in its box, as a share of the box (0 left, 1 right): the page
    rendered with and without its text (PDFium), the columns that differ inside the glyph's box."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw
    from PIL import ImageChops

    scale = 8
    document = pdfium.PdfDocument(str(pdf))
    page = document[page_index]
    full = page.render(scale=scale, grayscale=True).to_pil()
    for obj in page.get_objects(max_depth=16):
        if obj.type == raw.FPDF_PAGEOBJ_TEXT:
            raw.FPDFTextObj_SetTextRenderMode(obj.raw, raw.FPDF_TEXTRENDERMODE_INVISIBLE)
    difference = ImageChops.difference(full, page.render(scale=scale, grayscale=True).to_pil())
    document.close()
    left, right = int(char["x0"] * scale), int(char["x1"] * scale)
    box = difference.crop((left, int(char["top"] * scale), right, int(char["bottom"] * scale)))
    columns = [x for x in range(box.width) if box.crop((x, 0, x + 1, box.height)).getextrema()[1] > 24]
    return (columns[0] + columns[-1]) / 2 / box.width


@pytest.mark.parametrize("mark", "，。")
def test_traditional_marks_are_centred_in_their_em_box(traditional, simplified, mark):
    for (_, pdf), centred in ((traditional, True), (simplified, False)):
        reading = read_pdf(pdf)
        page = reading.pages[2]
        line = next(line for line in page.lines if mark in line.text and "環境部" in line.text)
        char = next(char for char in line.chars if char["text"] == mark)
        position = centre_of_ink(pdf, page.index, char)
        if centred:
            assert 0.4 < position < 0.6 and "PressSongHant" in char["fontname"], position
        else:
            assert position < 0.35 and "PressSongHant" not in char["fontname"], position


def test_traditional_bookmarks_keep_their_sub_and_superscripts(traditional, simplified):
    titles = [[item.title for item in PdfReader(pdf).outline if not isinstance(item, list)]
              + [child.title for item in PdfReader(pdf).outline if isinstance(item, list) for child in item]
              for _, pdf in (traditional, simplified)]
    assert "CO₂ 排放與 10⁻⁶ 級雜質" in titles[0]
    assert titles[0] == titles[1]


def test_nothing_in_an_english_issue_is_letter_spaced_but_the_cover_s_english_title(make_issue, tmp_path):
    from tests.conftest import ROOT

    make_issue.settings.write_text(ENGLISH_SETTINGS.format(root=ROOT), encoding="utf-8")
    folder = make_issue(ENGLISH)
    (folder / "editor-note.md").write_text("A note from the desk on this month's batteries.\n", encoding="utf-8")
    reading = read_pdf(build(folder, tmp_path / "note.pdf").path)
    spelled_out = []
    for page in reading.pages:
        for line in page.lines:
            if line.text.strip() == "BATTERY WATCH":  # the cover's title_en: spaced capitals by design
                continue
            gaps = [(after["x0"] - before["x1"]) / before["size"] for before, after in pairwise(line.chars)
                    if before["text"].isalpha() and after["text"].isalpha()]
            if any(0.1 < gap < 0.6 for gap in gaps):  # letters spread within a word (not two boxes on one line)
                spelled_out.append((page.label, line.text))
    assert ("1", "From the Editor") not in spelled_out and spelled_out == []
    assert any(line.text.strip() == "From the Editor" for page in reading.pages for line in page.lines)
