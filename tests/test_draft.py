"""press build --draft: every page marked, the marks drawn (never text), the checks passed and the draft reported."""

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from importlib import resources

import jsonschema
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from press.build import build
from press.check import check_pdf, report_json, report_text
from press.cli import main
from press.draft import DRAFT_KEY, FORM, build_time, read_draft, shown_time
from press.errors import PressError
from press.pdfread import read_pdf
from tests.conftest import ROOT, SAMPLE

EPOCH = "1714629807"  # 2024-05-02 06:03:27 UTC
RECORDED = "2024-05-02T06:03:27+00:00"


@pytest.fixture(scope="module")
def draft_build(tmp_path_factory):
    """The sample built as a draft at SOURCE_DATE_EPOCH."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return build(SAMPLE, tmp_path_factory.mktemp("draft") / "draft.pdf", draft=True)


def contents(page) -> list:
    """A pypdf page's content streams, in order."""
    found = page.get("/Contents")
    found = found.get_object() if found is not None else None
    return [item.get_object() for item in found] if isinstance(found, list) else [found]


def test_every_page_draws_the_marks_last_as_paths_of_an_artifact_form(draft_build):
    reader = PdfReader(draft_build.path)
    assert len(reader.pages) == len(draft_build.layout.document.pages)
    for page in reader.pages:
        streams = contents(page)
        assert len(streams) == 3 and streams[0].get_data() == b"q"
        last = streams[-1].get_data()
        assert re.fullmatch(rb"Q q /Artifact <</Type /Pagination /Subtype /Watermark>> BDC /PressDraft Do EMC Q", last)
        form = page["/Resources"]["/XObject"][f"/{FORM}"].get_object()
        assert form["/Subtype"] == "/Form"
        drawn = form.get_data()
        assert b" BT" not in drawn and b"Tj" not in drawn  # no text at all
        assert drawn.count(b" f Q") == 2 and drawn.count(b" c ") > 100  # the two lines' glyph outlines, filled
        assert form["/Resources"]["/ExtGState"]["/PressDraftMultiply"]["/BM"] == "/Multiply"
    assert reader.metadata[f"/{DRAFT_KEY}"] == RECORDED


def test_a_build_without_draft_has_no_mark_and_records_none(sample_build):
    reader = PdfReader(sample_build.path)
    assert f"/{DRAFT_KEY}" not in reader.metadata and read_draft(sample_build.path) is None
    for page in reader.pages:
        assert len(contents(page)) == 1
        assert f"/{FORM}" not in page["/Resources"].get("/XObject", {})


def test_the_text_read_back_is_exactly_the_final_build_s(draft_build, sample_reading):
    reading = read_pdf(draft_build.path)
    assert [page.text for page in reading.pages] == [page.text for page in sample_reading.pages]
    assert [page.label for page in reading.pages] == [page.label for page in sample_reading.pages]
    assert reading.outline == sample_reading.outline
    assert "DRAFT" not in "".join(page.text for page in reading.pages)


def test_press_check_passes_a_draft_and_says_it_is_one(draft_build):
    report = check_pdf(draft_build.path, issue=draft_build.issue)
    assert report.passed and len(report.checks) == 29, [check.id for check in report.checks if not check.passed]
    assert report.draft == RECORDED
    assert f"草稿 (a draft, built {RECORDED})" in report_text(report)
    shown = json.loads(report_json(report))
    schema = json.loads(resources.files("press").joinpath("check-report.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(shown, schema)
    assert shown["draft"] == RECORDED


def test_a_final_pdf_s_report_says_no_draft(sample_build):
    report = check_pdf(sample_build.path, only=["page-size"])
    assert report.draft is None and "草稿" not in report_text(report)
    assert json.loads(report_json(report))["draft"] is None


def test_the_marks_show_in_a_light_tint_and_leave_the_text_as_dark(draft_build, sample_build):
    import pypdfium2 as pdfium
    from PIL import ImageChops

    scale = 50 / 72
    pictures = []
    for path in (sample_build.path, draft_build.path):
        document = pdfium.PdfDocument(str(path))
        pictures.append([document[index].render(scale=scale).to_pil().convert("RGB") for index in range(len(document))])
        document.close()
    stamp_right = int(12 * 72 / 25.4 * scale)
    for final, draft in zip(*pictures, strict=True):
        changed = ImageChops.difference(final, draft).convert("L").point(lambda value: 255 if value > 8 else 0)
        share = changed.histogram()[255] / (changed.width * changed.height)
        assert 0.02 < share < 0.4  # the watermark shows, over a part of the page
        margin = draft.crop((int(5 * 72 / 25.4 * scale), 0, stamp_right, draft.height)).convert("L")
        assert min(margin.tobytes()) < 160  # the stamp's line in the left margin
        inner = (stamp_right, 0, draft.width, draft.height)
        pairs = list(zip(final.crop(inner).convert("L").tobytes(), draft.crop(inner).convert("L").tobytes(),
                         strict=True))
        assert min(marked for plain, marked in pairs if plain == 255) >= 200  # where the page was white: a light tint
        # Text and dark ink: never lighter. PDFium antialiases the glyph edges that straddle the edge of the
        # blended watermark's box a little differently (up to 15 levels of 255 in the darkest pixels).
        assert max((marked - plain for plain, marked in pairs if plain < 60), default=0) <= 16


def test_draft_marks_stay_out_of_a_figure_s_place(tmp_path, monkeypatch):
    issue = ROOT / "tests" / "corpus" / "battery-watch-en" / "2024-09"  # an SVG chart across the page's middle
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    built = build(issue, tmp_path / "draft.pdf", draft=True)
    report = check_pdf(built.path, issue=built.issue, only=["figures", "overlap", "text"])
    assert report.passed, [check.failures for check in report.checks]


def test_the_build_time_is_source_date_epoch_when_set_else_now(monkeypatch):
    assert build_time({"SOURCE_DATE_EPOCH": EPOCH}) == datetime(2024, 5, 2, 6, 3, 27, tzinfo=UTC)
    now = build_time({})
    assert now.tzinfo is not None and abs(now - datetime.now(UTC)) < timedelta(minutes=1)
    beijing = timezone(timedelta(hours=8))
    assert shown_time(datetime(2024, 5, 2, 14, 3, 27, tzinfo=beijing)) == "2024-05-02 14:03:27 +08:00"
    with pytest.raises(PressError, match=r"SOURCE_DATE_EPOCH must be a whole number of seconds.*'yesterday'"):
        build_time({"SOURCE_DATE_EPOCH": "yesterday"})


def test_drafts_at_one_epoch_are_the_same_bytes_and_another_time_shows(draft_build, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    again = build(SAMPLE, tmp_path / "again.pdf", draft=True)
    assert again.path.read_bytes() == draft_build.path.read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(EPOCH) + 3600))
    later = build(SAMPLE, tmp_path / "later.pdf", draft=True)
    assert read_draft(later.path) == "2024-05-02T07:03:27+00:00"
    assert later.path.read_bytes() != draft_build.path.read_bytes()


def test_the_command_builds_a_draft_checks_it_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    target = tmp_path / "draft.pdf"
    result = CliRunner().invoke(main, ["build", "--draft", "--check", str(SAMPLE), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert re.search(r"已生成 .*draft\.pdf（草稿，\d+ 页", result.stderr)
    assert "29 of 29 checks passed." in result.stderr and f"草稿 (a draft, built {RECORDED})" in result.stderr
    assert result.stdout.strip().endswith("draft.pdf") and read_draft(target) == RECORDED
    bad = CliRunner().invoke(main, ["build", "--draft", str(SAMPLE), "-o", str(tmp_path / "bad.pdf")],
                             env={"SOURCE_DATE_EPOCH": "tomorrow"})
    assert bad.exit_code == 1 and "SOURCE_DATE_EPOCH 应为整数秒" in bad.stderr and "Traceback" not in bad.output
    assert not (tmp_path / "bad.pdf").exists()


def test_watch_draft_marks_every_build(make_issue, tmp_path):
    from press.watch import watch
    from tests.conftest import article

    folder = make_issue({"a.md": article("标题", "正文。")})
    said = []
    watch(folder, tmp_path / "watched.pdf", said.append, keep_going=lambda: False, draft=True)
    assert "（草稿，" in said[-1] and read_draft(tmp_path / "watched.pdf") is not None


def test_pages_of_another_size_get_a_form_of_their_own_centred_on_them(make_issue, tmp_path, monkeypatch):
    make_issue.use_sample_settings(css="@page cover { size: 250mm 320mm; }")
    folder = make_issue.copy_sample()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    reader = PdfReader(build(folder, tmp_path / "sizes.pdf", draft=True).path)
    named = []
    for page in reader.pages:
        name = re.search(rb"/(\w+) Do", contents(page)[-1].get_data()).group(1).decode()
        form = page["/Resources"]["/XObject"][f"/{name}"].get_object()
        assert [round(float(value)) for value in form["/BBox"]] == [round(float(value)) for value in page.trimbox]
        named.append(name)
    assert named[0] != named[1] and set(named[1:]) == {named[1]}
    assert round(float(reader.pages[0].trimbox.width)) == round(250 * 72 / 25.4)


def test_many_issues_built_as_drafts_in_workers_are_each_a_draft(make_issue, tmp_path, monkeypatch):
    from press.batch import build_many
    from tests.conftest import article

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)  # the workers inherit it
    folders = []
    for number in (5, 6):
        listed = f"year: 2024\nnumber: {number}\ndate: 2024-0{number}-01\narticles:\n  - a.md\n"
        folders.append(make_issue({"a.md": article("标题", "正文。")}, listed, name=f"2024-0{number}"))
    outcomes = build_many(folders, jobs=2, draft=True)
    assert [outcome.status for outcome in outcomes] == [0, 0]
    assert [read_draft(outcome.pdf) for outcome in outcomes] == [RECORDED, RECORDED]


def test_the_margin_line_of_a_long_title_stays_on_a_small_page(make_issue, tmp_path, monkeypatch):
    import pypdfium2

    make_issue.use_sample_settings("page_size: A5\nlanguage: en-GB\n")
    settings = make_issue.settings.read_text(encoding="utf-8")
    make_issue.settings.write_text(settings.replace("title: 新材料监测快报", "title: European Hydrogen and Battery "
                                                    "Policy Digest for Practitioners and Regulators"), encoding="utf-8")
    folder = make_issue.copy_sample()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    pdf = build(folder, tmp_path / "a5.pdf", draft=True).path
    picture = pypdfium2.PdfDocument(str(pdf))[2].render(scale=1).to_pil().convert("L")  # page 1, 1 px per pt
    strip = picture.crop((0, 0, round(15 * 72 / 25.4), picture.height))  # the left margin, where the line stands
    inked = [row for row in range(strip.height) if min(strip.crop((0, row, strip.width, row + 1)).tobytes()) < 200]
    assert inked, "no margin line"
    assert inked[0] > 0.03 * picture.height and inked[-1] < 0.97 * picture.height, (inked[0], inked[-1])
