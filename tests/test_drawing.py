"""Pages drawn once and replayed (press watch): only changed pages are drawn, the PDF is a cold build's."""

from press.build import build
from press.drawing import PageDrawings
from press.sections import SectionLayouts

FIRST = "01-microelectronics-strategy.md"  # 专题, the first section
CHIPS = "07-chip-demand-rebound.md"  # holds the figure (an SVG) and a footnote


def append(folder, name: str, text: str) -> None:
    path = folder / name
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def replace(folder, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


class Watcher:
    """Builds as press watch does, and checks each PDF against a cold build of the same files."""

    def __init__(self, folder, tmp_path):
        self.folder, self.tmp_path, self.sections = folder, tmp_path, SectionLayouts()

    def build(self) -> PageDrawings:
        warm = build(self.folder, self.tmp_path / "warm.pdf", lay_out=self.sections, drawings=self.sections.drawings)
        cold = build(self.folder, self.tmp_path / "cold.pdf")
        assert warm.path.read_bytes() == cold.path.read_bytes()
        return self.sections.drawings


def test_an_edit_draws_only_the_pages_it_changed_and_gives_a_cold_build_s_bytes(make_issue, tmp_path):
    make_issue.use_sample_settings("section_break: page\n")  # each section laid out apart
    watcher = Watcher(make_issue.copy_sample(), tmp_path)
    first = watcher.build()
    pages = first.drawn
    assert (first.drawn, first.replayed) == (pages, 0) and pages > 10

    again = watcher.build()
    assert (again.drawn, again.replayed) == (0, pages)  # nothing changed: every page replayed

    append(watcher.folder, CHIPS, "\n编辑后补充的一句话。\n")
    edited = watcher.build()
    assert 0 < edited.drawn <= 3 and edited.drawn + edited.replayed == pages


def test_sections_that_run_on_draw_the_body_again_after_an_edit_and_replay_the_cover_and_contents(
        make_issue, tmp_path):
    make_issue.use_sample_settings()  # the sample's sections run on: the body is one part
    watcher = Watcher(make_issue.copy_sample(), tmp_path)
    pages = watcher.build().drawn
    again = watcher.build()
    assert (again.drawn, again.replayed) == (0, pages)

    append(watcher.folder, CHIPS, "\n编辑后补充的一句话。\n")
    edited = watcher.build()
    assert (edited.drawn, edited.replayed) == (pages - 2, 2)


def test_pages_after_a_longer_section_are_drawn_again_where_their_names_moved(make_issue, tmp_path):
    # Two more pages in the first section: every later page has new folios (laid out again), and pages
    # that name groups (the footnote rule, the SVG figure) get new names.
    make_issue.use_sample_settings()
    watcher = Watcher(make_issue.copy_sample(), tmp_path)
    watcher.build()
    append(watcher.folder, FIRST, "\n" + "增补的长段落，使本节多出两页，含 Latin 与数字 30%。" * 120 + "\n")
    longer = watcher.build()
    assert longer.drawn > 0
    watcher.build()


def test_a_glyph_that_an_edited_page_no_longer_supplies_is_drawn_by_the_page_that_still_uses_it(
        make_issue, tmp_path):
    # "彧" first appears on an early page; a later page that only found it there must write it itself once
    # the early page no longer has it: the later page is drawn anew, and the fonts stay complete.
    make_issue.use_sample_settings()
    watcher = Watcher(make_issue.copy_sample(), tmp_path)
    append(watcher.folder, FIRST, "\n本段有一个罕用字：彧。\n")
    append(watcher.folder, CHIPS, "\n后文也用到：彧。\n")
    watcher.build()
    replace(watcher.folder, FIRST, "本段有一个罕用字：彧。", "本段没有那个字。")
    changed = watcher.build()
    assert changed.drawn >= 2  # the edited page and the later page that now first uses the glyph


def test_a_cold_build_replays_nothing(make_issue, tmp_path, monkeypatch):
    from weasyprint.document import Page

    original = Page.paint
    painted = []
    monkeypatch.setattr(Page, "paint", lambda page, *arguments: painted.append(page) or original(page, *arguments))
    make_issue.use_sample_settings()
    built = build(make_issue.copy_sample(), tmp_path / "cold.pdf")
    assert len(painted) == len(built.layout.document.pages)


def test_a_page_whose_groups_would_get_other_names_is_not_replayed(make_issue, tmp_path):
    # The footnote rule is drawn in a group named by how many came before it (/x0 Do, /x1 Do …): a kept page
    # replayed after a page that gained or lost one would point at another page's group.
    import pydyf
    from weasyprint.pdf.stream import Stream

    from press.drawing import Drawing, GroupDrawing, replay

    resources = pydyf.Dictionary({name: pydyf.Dictionary() for name in ("ExtGState", "XObject", "Pattern", "Shading")})
    resources["ColorSpace"] = None
    group = GroupDrawing((0, 0, 10, 10), "x0", [b"0 0 m"], {}, {})
    drawing = Drawing(page=None, operations=[b"/x0 Do"], groups=[group])
    fresh = Stream({}, (0, 0, 10, 10), resources, {}, None, {}, None)
    assert replay(drawing, fresh) and fresh.stream == [b"/x0 Do"] and list(resources["XObject"]) == ["x0"]
    later = Stream({}, (0, 0, 10, 10), resources, {}, None, {}, None)
    assert not replay(drawing, later)  # x0 is taken now: its content would name the wrong group
    assert later.stream == [] and list(resources["XObject"]) == ["x0"]
