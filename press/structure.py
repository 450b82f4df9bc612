"""The page structure of a built PDF, measured from the PDF (and, given, its source).

Takes `Evidence`: a `Reading` of the PDF, the check settings, and optionally
what the issue's source says the PDF must show (`Expected`) and the font
families of fonts/.  Each function returns a `Measure` whose value is the
number of failures (the file size: its bytes), with each failure's page label
and, where the source says, its file and line.  Titles and headings are
found by their text on lines set larger than the body; text is compared by
Han characters, so spacing and punctuation never matter.
"""

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from press import ids
from press.expected import Chunk, Expected, Heading, Source, letters
from press.locale import chrome
from press.measure import Failure, Measure, body_pages
from press.model import CheckSettings
from press.pagesize import STANDARD_MM, PageSize, standard_size
from press.pdfimages import embedded_images
from press.pdfread import Page, Reading, contents_entries

HEADING_RATIO = 1.1  # a heading line is set at least this much larger than the body
SIZE_TOLERANCE = 1.0  # points of difference allowed in a page's width or height
SEARCH_WINDOW = 400  # Han characters ahead of the last match where a short block may stand
FAR_SEARCH = 6  # blocks with at least this many Han characters are searched for anywhere ahead
LARGEST_IMAGES = 5  # images named when the PDF is over its budget
PDF_DATE = re.compile(r"^D:(\d{4})(\d{2})(\d{2})")


@dataclass
class Evidence:
    """What the structural checks look at."""

    reading: Reading
    settings: CheckSettings
    expected: Expected | None = None  # None: the PDF alone (no --issue)
    font_families: frozenset[str] | None = None  # families in fonts/; None: any Press… face
    sections_start_pages: bool | None = None  # section_break: page; None: as the PDF shows (no --issue)


# Pages --------------------------------------------------------------------------------

def page_size(evidence: Evidence) -> Measure:
    """Every page has the paper the settings name (newsletter.yaml's page_size), portrait; without the source
    (no --issue), every page the first page's size, and that one of the standard sizes (A4, A5, B5, Letter, A3)."""
    pages, expected = evidence.reading.pages, evidence.settings.page_size
    failures = []
    if expected is None and pages:
        expected = standard_size(*pages[0].size)
        if expected is None:
            width, height = pages[0].size
            expected = PageSize(round(width * 25.4 / 72, 1), round(height * 25.4 / 72, 1))
            failures.append(Failure(pages[0].label, f"page is {expected.label}, not a standard size "
                                    f"({', '.join(STANDARD_MM)}): check it with --issue, against newsletter.yaml's "
                                    "page_size"))
    for page in pages:
        got_width, got_height = page.size
        if abs(got_width - expected.width) > SIZE_TOLERANCE or abs(got_height - expected.height) > SIZE_TOLERANCE:
            turned = " (landscape)" if got_width > got_height else ""
            failures.append(Failure(page.label, f"page is {millimetres(got_width)} × {millimetres(got_height)} mm"
                             f"{turned}, expected {expected.label} portrait"))
    return Measure("page-size", len(failures), len(pages), failures)


def millimetres(points: float) -> str:
    return f"{points * 25.4 / 72:.0f}"


def front_matter(evidence: Evidence) -> Measure:
    """A cover comes first, then a contents page; with the source, both show what they must: the cover every
    field of the settings it prints and exactly the highlighted articles, in order; the contents every section."""
    pages, failures = evidence.reading.pages, []
    cover = pages[0] if pages else None
    if cover is None or cover.label.isdigit() or not cover.lines:
        failures.append(Failure(cover.label if cover else "", "no cover: the first page is not a front page"))
    contents = contents_pages(evidence.reading)
    if not contents:
        failures.append(Failure("", "no contents page: no page lists titles with page numbers"))
    expected = evidence.expected
    if expected and cover is not None:
        failures += cover_failures(cover, expected)
    if expected and contents:
        listed = letters("".join(page.text for page in contents))
        failures += [Failure(contents[0].label, f"the contents do not show the section “{section.title}”",
                      section.source) for section in expected.sections if letters(section.title) not in listed]
    if expected and cover is not None and contents:
        failures += chrome_failures(cover, contents[0], expected)
    return Measure("front-matter", len(failures), 2, failures)


def chrome_failures(cover: Page, contents: Page, expected: Expected) -> list[Failure]:
    """The front pages' labels and the contents page's title otherwise than in the newsletter's language
    (press.locale: 封面 and 目录, 目錄, Cover and Contents)."""
    words = chrome(expected.language)
    settings = Source(expected.settings_file) if expected.settings_file else None
    failures = [Failure(page.label, f"the {name} page is labelled “{page.label}”, not “{label}” as in the "
                        f"newsletter's language {expected.language}", settings)
                for name, page, label in (("cover", cover, words.cover), ("contents", contents, words.contents))
                if page.label != label]
    if letters(words.contents_title) not in letters(contents.text):
        failures.append(Failure(contents.label, f"the contents page does not show its title “{words.contents_title}” "
                                f"(the newsletter's language is {expected.language})", settings))
    return failures


def cover_failures(cover: Page, expected: Expected) -> list[Failure]:
    """What the cover shows otherwise than the source says: a field of the settings missing or changed, a
    highlight missing or out of order, an article listed that is not highlighted."""
    shown = letters(cover.text + "".join(cover.figures.values()))
    settings = Source(expected.settings_file) if expected.settings_file else None
    failures = [Failure(cover.label, f"the cover does not show “{text}”", settings) for text in expected.cover
                if letters(text) not in shown]
    position = 0
    for article in expected.highlights:
        found = shown.find(letters(article.title), position)
        if found < 0:
            where_else = "out of order" if letters(article.title) in shown else "missing"
            failures.append(Failure(cover.label, f"the cover does not list “{article.title}” among the highlights "
                             f"({where_else})", article.source))
        else:
            position = found + len(letters(article.title))
    highlighted = [letters(article.title) for article in expected.highlights]
    for article in expected.articles:
        title = letters(article.title)
        if article not in expected.highlights and title in shown and not any(title in h for h in highlighted):
            failures.append(Failure(cover.label, f"the cover lists “{article.title}”, which is not marked "
                                    "highlight: true", article.source))
    return failures


def contents_pages(reading: Reading) -> list[Page]:
    """The pages that list titles with leaders and page numbers, before the body."""
    return [page for page in reading.pages if not page.label.isdigit() and contents_entries(page)]


def page_labels(evidence: Evidence) -> Measure:
    """Each page's label (what a PDF viewer shows) equals the page number printed on it."""
    failures = []
    for page in evidence.reading.pages:
        folio = page.folio
        if folio is not None and page.label != str(folio):
            failures.append(Failure(page.label, f"labelled “{page.label}” but page {folio} is printed on it"))
        elif folio is None and page.label.isdigit():
            failures.append(Failure(page.label, f"labelled “{page.label}” but no page number is printed on it"))
    shared = Counter(page.label for page in evidence.reading.pages)
    failures += [Failure(label, f"{count} pages share the label “{label}”")
                 for label, count in shared.items() if count > 1]
    return Measure("page-labels", len(failures), len(evidence.reading.pages), failures)


# Titles and the contents ----------------------------------------------------------------

HEADING_LINES = 4  # a title may wrap over this many lines


def heading_texts(page: Page, body_size: float) -> list[str]:
    """The letters of the page's heading lines, alone and joined with the lines of their size that follow
    (a title wrapped over up to HEADING_LINES lines)."""
    lines = [line for line in page.flow if line.size > body_size * HEADING_RATIO]
    texts = []
    for start, first in enumerate(lines):
        joined = ""
        for line in lines[start:start + HEADING_LINES]:
            if abs(line.size - first.size) >= 0.3:
                break
            joined += line.text
            texts.append(letters(joined))
    return texts


def body_of(reading: Reading) -> list[Page]:
    """The pages after the front matter: numeric labels, or all pages when there are none."""
    numbered = [page for page in reading.pages if page.label.isdigit()]
    return numbered or reading.pages


def find_heading(reading: Reading, title: str, after: int = 0) -> Page | None:
    """The first body page from page index `after` with a heading that reads `title` (letters and digits
    compared: 10⁻² set as 10 and a raised −2 reads 102 both ways)."""
    wanted = letters(title)
    for page in body_of(reading):
        if page.index >= after and wanted in heading_texts(page, reading.body_size):
            return page
    return None


class Headings:
    """The body's headings by their letters: each title's pages in reading order, once per heading.

    `take(title)` gives the next of them not yet taken, so that the n-th contents entry, bookmark or
    article of a title meets the n-th heading that reads it (an issue may print one title twice: two
    articles called 简讯); past the last, the last again; None if no heading reads it.
    """

    def __init__(self, reading: Reading):
        self.pages: dict[str, list[Page]] = {}
        for page in body_of(reading):
            for text in heading_texts(page, reading.body_size):
                self.pages.setdefault(text, []).append(page)
        self.taken: Counter[str] = Counter()

    def take(self, title: str) -> Page | None:
        key = letters(title)
        pages = self.pages.get(key)
        if not pages:
            return None
        self.taken[key] += 1
        return pages[min(self.taken[key], len(pages)) - 1]


def printed_number(page: Page) -> str:
    """The page number printed on a page, or its label when none is printed."""
    return str(page.folio) if page.folio is not None else page.label


def toc_page(evidence: Evidence) -> Measure:
    """Every contents entry names the page its title stands on; with the source, every article has one."""
    reading, failures, counted = evidence.reading, [], 0
    sources = {letters(a.title): a.source for a in pieces(evidence.expected)} if evidence.expected else {}
    listed = set()
    headings = Headings(reading)
    for contents in contents_pages(reading):
        for title, number in contents_entries(contents):
            counted += 1
            listed.add(letters(title))
            source = sources.get(letters(title))
            page = headings.take(title)
            if page is None:
                failures.append(Failure(contents.label, f"“{title}”: listed on page {number}, but no such title "
                                 "stands in the body", source))
            elif printed_number(page) != str(number):
                failures.append(Failure(contents.label, f"“{title}”: the contents say page {number}, the title "
                                 f"stands on page {printed_number(page)}", source))
    if evidence.expected:
        for article in pieces(evidence.expected):
            if letters(article.title) not in listed:
                what = "the editor's note " if article is evidence.expected.note else ""
                failures.append(Failure("", f"{what}“{article.title}” is missing from the contents", article.source))
    return Measure("toc-page", len(failures), counted, failures)


def pieces(expected: Expected) -> list[Heading]:
    """What the contents list and the body prints under a title: the editor's note (if any), then the articles."""
    return ([expected.note] if expected.note else []) + expected.articles


def article_order(evidence: Evidence) -> Measure:
    """Every article's title stands in the body, in the order of issue.yaml (needs the source)."""
    reading, failures = evidence.reading, []
    articles = evidence.expected.articles
    found = article_pages(evidence)
    note = evidence.expected.note
    if note and found[note.ident] is None:
        failures.append(Failure("", f"“{note.title}”: the editor's note's title is not in the body", note.source))
    elif note and articles and found[articles[0].ident] and found[articles[0].ident].index < found[note.ident].index:
        failures.append(Failure(found[note.ident].label, f"the editor's note “{note.title}” stands after the first "
                                f"article (page {found[articles[0].ident].label})", note.source))
    for article in articles:
        if found[article.ident] is None:
            failures.append(Failure("", f"“{article.title}”: this article's title is not in the body",
                             article.source))
    placed = [(found[a.ident].index, a) for a in articles if found[a.ident] is not None]
    for (page, article), (next_page, following) in pairwise(placed):
        if next_page < page:
            failures.append(Failure(found[following.ident].label, f"“{following.title}” stands before "
                             f"“{article.title}” (page {found[article.ident].label}), against the order of "
                             "issue.yaml", following.source))
    entries = [letters(title) for page in contents_pages(reading) for title, _ in contents_entries(page)]
    order = [letters(a.title) for a in articles if letters(a.title) in entries]
    if [entry for entry in entries if entry in order] != order:
        failures.append(Failure(contents_pages(reading)[0].label, "the contents list the articles in another "
                         "order than issue.yaml"))
    return Measure("article-order", len(failures), len(articles), failures)


def article_pages(evidence: Evidence) -> dict[str, Page | None]:
    """Each article's (ident's) page: the heading that reads its title, taken in the order of issue.yaml, after the
    editor's note's (which is there too)."""
    headings = Headings(evidence.reading)
    return {article.ident: headings.take(article.title) for article in pieces(evidence.expected)}


def section_headings(evidence: Evidence) -> Measure:
    """Every section's heading stands in the body, on or before its first article's page (needs the source)."""
    reading, failures = evidence.reading, []
    articles = article_pages(evidence)
    for section in evidence.expected.sections:
        page = find_heading(reading, section.title)
        article_page = articles.get(section.first_article)
        if page is None:
            failures.append(Failure(article_page.label if article_page else "",
                             f"the heading of section “{section.title}” is not in the body", section.source))
        elif article_page is not None and page.index > article_page.index:
            failures.append(Failure(page.label, f"the heading of section “{section.title}” stands after its first "
                             f"article (page {article_page.label})", section.source))
    return Measure("section-headings", len(failures), len(evidence.expected.sections), failures)


def bookmarks(evidence: Evidence) -> Measure:
    """Bookmarks: each points at the page its heading stands on; with the source, one per section and article."""
    reading, failures = evidence.reading, []
    headings = Headings(reading)
    for _level, title, index in reading.outline:
        page = headings.take(title)
        target = reading.pages[index].label if 0 <= index < len(reading.pages) else "?"
        if page is not None and page.index != index:
            failures.append(Failure(target, f"bookmark “{title}” points to page {target}, the heading stands on "
                             f"page {page.label}"))
        elif page is None and evidence.expected is None:
            failures.append(Failure(target, f"bookmark “{title}”: no such heading on any page"))
    counted = len(reading.outline)
    if evidence.expected:
        marks = Counter((level, letters(title)) for level, title, _ in reading.outline)
        wanted = [(1, evidence.expected.note)] if evidence.expected.note else []
        wanted += [(1, section) for section in evidence.expected.sections]
        wanted += [(2, article) for article in evidence.expected.articles]
        counted = len(wanted)
        for level, heading in wanted:
            key = (level, letters(heading.title))
            if marks[key] == 0:
                page = find_heading(reading, heading.title)
                kind = "editor's note" if heading is evidence.expected.note else "section" if level == 1 else "article"
                failures.append(Failure(page.label if page else "", f"no bookmark for the {kind} “{heading.title}”",
                                 heading.source))
            marks[key] -= 1
        titles = {(level, letters(title)): title for level, title, _ in reading.outline}
        extra = [titles[key] + f"” (level {key[0]}" for key, count in marks.items() if count > 0]
        failures += [Failure("", f"bookmark “{title}) matches no section, article or editor's note")
                     for title in extra]
    return Measure("bookmarks", len(failures), counted, failures)


# Footnotes ----------------------------------------------------------------------------

def footnote_places(reading: Reading) -> tuple[dict[int, list[Page]], dict[int, list[Page]]]:
    """Number → pages with its call, and number → pages with its text."""
    calls, notes = defaultdict(list), defaultdict(list)
    for page in reading.pages:
        for number in page.calls:
            calls[number].append(page)
        for number in page.notes:
            notes[number].append(page)
    return calls, notes


def footnote_sources(evidence: Evidence) -> dict[int, Source]:
    return {number: source for number, _, source in evidence.expected.footnotes} if evidence.expected else {}


def footnote_same_page(evidence: Evidence) -> Measure:
    """Every footnote's text stands on the page of its call."""
    calls, notes = footnote_places(evidence.reading)
    sources, failures = footnote_sources(evidence), []
    for number in sorted(set(calls) | set(notes)):
        source = sources.get(number)
        call_pages = {page.label for page in calls.get(number, [])}
        note_pages = {page.label for page in notes.get(number, [])}
        if not note_pages:
            label = calls[number][0].label
            failures.append(Failure(label, f"footnote {number}: called on page {label}, its text is on no page",
                                    source))
        elif not call_pages:
            label = notes[number][0].label
            failures.append(Failure(label, f"footnote {number}: its text stands on page {label}, nothing calls it",
                             source))
        elif not call_pages & note_pages:
            label = calls[number][0].label
            failures.append(Failure(label, f"footnote {number}: called on page {label}, its text stands on page "
                             f"{notes[number][0].label}", source))
    return Measure("footnote-same-page", len(failures), len(set(calls) | set(notes)), failures)


def footnote_numbering(evidence: Evidence) -> Measure:
    """Calls and footnote texts are numbered 1…N in reading order, without gaps or repeats."""
    failures, counted = [], 0
    for kind, numbers_of in (("call", lambda page: page.calls), ("text", lambda page: list(page.notes))):
        sequence = [(number, page) for page in evidence.reading.pages for number in numbers_of(page)]
        counted += len(sequence)
        expected_next = 1
        for number, page in sequence:
            if number < expected_next:
                failures.append(Failure(page.label, f"footnote {kind} {number} repeated or out of order "
                                 f"(after {expected_next - 1})"))
                continue
            if number > expected_next:
                gap = range(expected_next, number)
                missing = ", ".join(map(str, gap)) if len(gap) <= 5 else f"{gap[0]}…{gap[-1]} ({len(gap)} numbers)"
                failures.append(Failure(page.label, f"footnote {kind}s jump from {expected_next - 1} to {number}: "
                                 f"{missing} missing"))
            expected_next = number + 1
    return Measure("footnote-numbering", len(failures), counted, failures)


def footnote_count(evidence: Evidence) -> Measure:
    """As many footnotes in the PDF as in the source (needs the source)."""
    calls, notes = footnote_places(evidence.reading)
    source = evidence.expected.footnotes
    failures = []
    for kind, found in (("calls", calls), ("texts", notes)):
        if len(found) != len(source):
            missing = [(n, s) for n, _, s in source if n not in found]
            hint = f"; first missing: footnote {missing[0][0]}" if missing else ""
            failures.append(Failure("", f"the PDF has {len(found)} footnote {kind}, the source {len(source)}{hint}",
                             missing[0][1] if missing else None))
    return Measure("footnote-count", len(failures), len(source), failures)


# Fonts ----------------------------------------------------------------------------------

def fonts(evidence: Evidence) -> Measure:
    """Every font is embedded, subset, one of the faces in fonts/, and its glyphs reachable by CID."""
    families = evidence.font_families
    failures = []
    for font in evidence.reading.fonts:
        family = font.family.split("-")[0]
        ours = family in families if families is not None else family.startswith("Press")
        if not font.embedded:
            failures.append(Failure("", f"{font.name}: not embedded"))
        elif not font.subset:
            failures.append(Failure("", f"{font.name}: embedded whole, not subset"))
        elif not ours:
            failures.append(Failure("", f"{font.name}: not a font from fonts/"))
        elif font.unreachable:
            failures.append(Failure("", f"{font.name}: {font.unreachable} glyphs that viewers following the PDF "
                                 "standard (MuPDF, Ghostscript) cannot find through the font's CFF charset"))
    return Measure("fonts", len(failures), len(evidence.reading.fonts), failures)


def missing_glyphs(evidence: Evidence) -> Measure:
    """No character is drawn as a blank .notdef box."""
    failures = []
    for font in evidence.reading.fonts:
        for char, indexes in sorted(font.missing.items()):
            pages = [evidence.reading.pages[index].label for index in indexes]
            also = f" (also on pages {', '.join(pages[1:])})" if len(pages) > 1 else ""
            failures.append(Failure(pages[0] if pages else "", f"“{char}” (U+{ord(char[0]):04X}) drawn as a blank box: "
                             f"{font.family} has no glyph for it{also}"))
    return Measure("missing-glyphs", len(failures), len(evidence.reading.fonts), failures)


# The document -----------------------------------------------------------------------------

def metadata(evidence: Evidence) -> Measure:
    """Title, author, language and creation date are set (and, with the source, right)."""
    reading, expected, failures = evidence.reading, evidence.expected, []
    info = reading.metadata
    for key, name in (("/Title", "title"), ("/Author", "author"), ("/CreationDate", "creation date")):
        if not info.get(key, "").strip():
            failures.append(Failure("", f"no {name} in the document information"))
    if not reading.language:
        failures.append(Failure("", "no document language (/Lang)"))
    if expected:
        for key, name, wanted in (("/Title", "title", expected.title), ("/Author", "author", expected.author),
                                  ("/Subject", "subject", expected.subject)):
            if (info.get(key) or wanted) and info.get(key, "") != wanted:
                failures.append(Failure("", f"{name} is “{info.get(key, '')}”, expected “{wanted}”"))
        created = pdf_date(info.get("/CreationDate", ""))
        if info.get("/CreationDate") and created != expected.created:
            failures.append(Failure("", f"creation date is {created or info['/CreationDate']}, expected the issue's "
                             f"date {expected.created.isoformat()}"))
        if reading.language and reading.language.lower() != expected.language.lower():
            failures.append(Failure("", f"language is {reading.language}, expected {expected.language}"))
    return Measure("metadata", len(failures), 4, failures)


def pdf_date(text: str) -> date | None:
    """The calendar date of a PDF date string (D:YYYYMMDD…)."""
    match = PDF_DATE.match(text)
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def file_size(evidence: Evidence) -> Measure:
    """The file's bytes, held to the size budget; over it, the largest images follow the failure."""
    size, budget = evidence.reading.file_size, evidence.settings.max_bytes
    if size <= budget:
        return Measure("file-size", size, 1, [])
    failures = [Failure("", f"the PDF is {kilobytes(size)}, over the budget of {kilobytes(budget)} (check: max_size "
                            "in newsletter.yaml); its largest images, biggest first:")]
    return Measure("file-size", size, 1, failures + largest_images(evidence))


def largest_images(evidence: Evidence) -> list[Failure]:
    """The LARGEST_IMAGES biggest images of the PDF, each at its first page (and, given the source, named by
    its figure's file, at the figure's line)."""
    if evidence.reading.path is None:
        return []
    figures = {figure.ident: figure for figure in evidence.expected.figures} if evidence.expected else {}
    failures = []
    for image in embedded_images(evidence.reading.path)[:LARGEST_IMAGES]:
        page = evidence.reading.pages[image.page]
        middle = (image.top + image.bottom) / 2
        figure = next((figures[block] for block, (top, bottom) in page.figure_boxes.items()
                       if block in figures and top <= middle <= bottom), None)
        name = f"{figure.path.name}, " if figure else ""
        failures.append(Failure(page.label, f"image {name}{image.width} × {image.height} px, {image.compression}, "
                                f"{kilobytes(image.size)}", figure.source if figure else None))
    return failures


def kilobytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


# Text ---------------------------------------------------------------------------------------

@dataclass
class Stream:
    """The letters and digits of the body in reading order, each with its page's label and its line's place
    (page index, top)."""

    text: str
    labels: list[str]
    places: list[tuple[int, float]] = field(default_factory=list)

    def label_at(self, position: int) -> str:
        if not self.labels:
            return ""
        return self.labels[min(position, len(self.labels) - 1)]

    def without(self, spans: list[tuple[int, int]]) -> "Stream":
        """The stream with the letters of the spans (not overlapping) left out."""
        keep = [True] * len(self.text)
        for start, end in spans:
            keep[start:end] = [False] * (end - start)
        chosen = [index for index, kept in enumerate(keep) if kept]
        return Stream("".join(self.text[index] for index in chosen), [self.labels[index] for index in chosen],
                      [self.places[index] for index in chosen])


def body_stream(reading: Reading, running: tuple[str, ...] = ()) -> Stream:
    """The letters of the body pages above their footnote areas, without running heads, folios and the
    digits of footnote calls (sub- and superscripts are text: MoS₂ reads MoS2, 10⁻⁶ reads 106).

    Running heads are recognised by recurring on most pages; in an issue too
    short for that, a page's first line that reads as the `running` texts is one.
    """
    chars, labels, places = [], [], []
    heads = {"".join(running), "".join(reversed(running)), *running}
    for page in body_pages(reading):
        flow = page.flow
        if flow and letters(flow[0].text) in heads:
            flow = flow[1:]
        for line in flow:
            drawn = "".join(char["text"] for char in line.chars  # a .notdef box (cid:N): missing-glyphs' business
                            if id(char) not in page.call_glyphs and not char["text"].startswith("(cid:"))
            for glyph in letters(drawn):
                chars.append(glyph)
                labels.append(page.label)
                places.append((page.index, line.top))
    return Stream("".join(chars), labels, places)


def text(evidence: Evidence) -> Measure:
    """Every block of the source is in the PDF, in order; the PDF has no text the source lacks (needs the source).

    A figure may stand later in its article than its source places it (a build floats a figure that does not fit
    where it is called to the top of a later page, splitting the paragraph there): each figure's caption, found
    where the PDF names it, is read apart from the text around it and held to its article and its order.
    """
    whole = body_stream(evidence.reading, evidence.expected.running)
    captions = caption_spans(evidence.reading, evidence.expected, whole)
    stream = whole.without(list(captions.values()))
    failures, matched, cursor = [], [], 0
    spans: dict[int, tuple[int, int]] = {}  # index of a chunk → where its text stands in the stream
    figures = {block: (page, text) for page in evidence.reading.pages for block, text in page.figures.items()}
    for number, chunk in enumerate(evidence.expected.chunks):
        if chunk.kind == "figure" and chunk.ident in figures:
            failures += figure_text(chunk, *figures[chunk.ident])
            continue
        if chunk.kind == "block" and chunk.ident in captions:
            continue
        found = locate(stream, chunk, cursor)
        if found is None:
            failures.append(Failure(stream.label_at(cursor), f"not in the PDF (lost, or changed since the build): "
                             f"“{chunk.preview}…”", chunk.source))
            continue
        start, end = found
        if start > cursor:
            failures.append(unexplained(stream, cursor, start, matched, chunk.source))
        matched.append(stream.text[start:end])
        spans[number] = (start, end)
        cursor = end
    if cursor < len(stream.text):
        last = evidence.expected.chunks[-1].source if evidence.expected.chunks else None
        failures.append(unexplained(stream, cursor, len(stream.text), matched, last))
    failures += figure_places(evidence.expected.chunks, captions, spans, whole)
    failures += footnote_texts(evidence)
    counted = len(evidence.expected.chunks) + len(evidence.expected.footnotes)
    return Measure("text", len(failures), counted, failures)


def caption_spans(reading: Reading, expected: Expected, stream: Stream) -> dict[str, tuple[int, int]]:
    """A figure's block id → where its caption's letters stand in the stream: from the first letter on or below
    the caption's destination on its page, if the letters there read as the source's caption."""
    spans = {}
    figures = {figure.ident for figure in expected.figures}
    for chunk in expected.chunks:
        place = reading.destinations.get(ids.figure_caption_id(chunk.ident)) if chunk.ident in figures else None
        if chunk.kind != "block" or place is None:
            continue
        page, _, top = place
        start = bisect_left(stream.places, (page, top - CAPTION_TOLERANCE))
        end = start + len(chunk.letters)
        if start < len(stream.places) and stream.places[start][0] == page and stream.text[start:end] == chunk.letters:
            spans[chunk.ident] = (start, end)
    return spans


CAPTION_TOLERANCE = 3.0  # points between a caption's destination and the top of its first line


def figure_places(chunks: list[Chunk], captions: dict[str, tuple[int, int]], spans: dict[int, tuple[int, int]],
                  whole: Stream) -> list[Failure]:
    """A figure read apart from the text stands after the block its source puts before it, before the next
    article's first block, and after the figure before it."""
    failures, last_figure = [], -1
    removed = sorted(captions.values())
    for number, chunk in enumerate(chunks):
        if chunk.ident not in captions or chunk.kind != "block":
            continue
        span = captions[chunk.ident]
        at = span[0] - sum(end - start for start, end in removed if end <= span[0])  # its place in the stream read
        before = [spans[index][1] for index in range(number) if index in spans]
        article = [spans[index][0] for index in range(number + 1, len(chunks))
                   if index in spans and chunks[index].source.path != chunk.source.path]
        label = whole.label_at(span[0])
        if before and at < before[-1]:
            failures.append(Failure(label, f"the figure stands before the text its source puts before it: "
                                    f"“{chunk.preview}…”", chunk.source))
        elif article and at > article[0]:
            failures.append(Failure(label, f"the figure stands in the next article: “{chunk.preview}…”",
                                    chunk.source))
        elif span[0] < last_figure:
            failures.append(Failure(label, f"the figure stands before the figure its source puts before it: "
                                    f"“{chunk.preview}…”", chunk.source))
        last_figure = span[0]
    return failures


def figure_text(chunk: Chunk, page: Page, drawn: str) -> list[Failure]:
    """A figure's picture draws the text of its SVG file, as a bag of letters (its labels stand at any
    place and angle)."""
    if Counter(letters(drawn)) == Counter(chunk.letters):
        return []
    return [Failure(page.label, f"the figure's picture does not draw the text of its file (changed since the build?): "
             f"“{chunk.preview}…”", chunk.source)]


def locate(stream: "Stream", chunk: Chunk, cursor: int) -> tuple[int, int] | None:
    """Where a chunk's text stands in the stream at or after `cursor`: (start, end), or None."""
    if chunk.kind == "table":
        return locate_table(stream, chunk, cursor)
    limit = None if len(chunk.letters) >= FAR_SEARCH else cursor + SEARCH_WINDOW + len(chunk.letters)
    start = stream.text.find(chunk.letters, cursor, limit)
    return (start, start + len(chunk.letters)) if start >= 0 else None


def locate_table(stream: "Stream", chunk: Chunk, cursor: int) -> tuple[int, int] | None:
    """A table's text, which the PDF reads row by row across its cells, as a bag of characters, from where its
    caption or one of its first row's cells begins.

    The header row may stand again at the top of each page the table runs onto (and only there: a row
    that reads like the header is a row), its letters in any order (a cell that wraps reads its lines apart).
    """
    text = stream.text
    if len(chunk.letters) < 2:
        start = cursor
    else:  # a header cell that wraps reads its first line before the cells beside it (新增装机（万 | 省份)
        heads = {chunk.letters[:2], *(letters(cell)[:2] for cell in (chunk.rows or [[]])[0] if len(letters(cell)) >= 2)}
        start = min((found for head in heads if (found := text.find(head, cursor)) >= 0), default=-1)
    if start < 0:
        return None
    wanted, position, header = Counter(chunk.letters), start, Counter(chunk.repeated)
    while position < len(text) and sum(wanted.values()):
        if (chunk.repeated and position > start and stream.labels[position] != stream.labels[position - 1]
                and Counter(text[position:position + len(chunk.repeated)]) == header):  # its cells may wrap
            position += len(chunk.repeated)
            continue
        if wanted[text[position]] <= 0:
            break
        wanted[text[position]] -= 1
        position += 1
    return (start, position) if not sum(wanted.values()) else None


def unexplained(stream: Stream, start: int, end: int, matched: list[str], source: Source | None) -> Failure:
    """A failure for PDF text that no block of the source accounts for."""
    extra = stream.text[start:end]
    what = "doubled" if extra in matched else "not in the source (deleted or changed since the build?)"
    preview = extra[:16] + ("…" if len(extra) > 16 else "")
    return Failure(stream.label_at(start), f"{len(extra)} characters {what}: “{preview}”", source)


def footnote_texts(evidence: Evidence) -> list[Failure]:
    """Each footnote's text in the PDF reads as in the source."""
    failures = []
    notes = {number: (page, text) for page in evidence.reading.pages for number, text in page.notes.items()}
    for number, wanted, source in evidence.expected.footnotes:
        if number in notes and letters(notes[number][1]) != wanted:
            page, got = notes[number]
            failures.append(Failure(page.label, f"footnote {number} reads “{got[:24]}…”, the source differs",
                             source))
    return failures

