"""An issue's source → what its PDF must show, for `press check --issue`.

Takes a loaded `Issue`; returns an `Expected`: the articles and sections with
the file and line that name them, the footnotes, the metadata, and the text
of the body as `Chunk`s in reading order.  The chunks are read from the HTML
that the templates make of the issue (without laying it out), so text the
templates add (headings, bylines, the 编者按 label, the numbers of a numbered
list) is expected too.  Text is compared by its letters and digits (Han,
Latin, figures; full-width forms folded, sub- and superscripts included): a
changed amount, name or formula fails, while spaces and punctuation are left out
because typesetting may change or move them.  Nothing here reads the PDF.
"""

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

from press import ids
from press.cjk import VOID
from press.errors import Place
from press.images import svg_text
from press.model import SETTINGS_FILE, Issue
from press.render import render_html

PREVIEW = 16  # characters of a chunk quoted in messages
TITLE_CLASSES = {"article-title", "issue-note-title", "byline"}  # text the template adds to an article or the note
Source = Place  # where a chunk, a heading or a footnote is written


@dataclass
class Chunk:
    """A block of the body's text: its letters and digits, and where it is written."""

    letters: str
    source: Source
    preview: str  # the block's first characters, as written
    kind: str = "block"  # block, table or figure (the text inside an SVG image)
    repeated: str = ""  # letters of a table's header, which is repeated on each page the table spans
    ident: str = ""  # the block's id (a figure's: where its picture's text is read in the PDF)
    rows: list[list[str]] = field(default_factory=list)  # a table's cells, row by row, header first: their
    # text as the HTML holds it (press's joiners kept; sub- and superscripts and footnote texts left out)
    head_rows: int = 0  # a table's header rows (repeated on each page the table runs onto)


@dataclass(frozen=True)
class Figure:
    """A figure: its block's id, its picture's file and where the figure is written."""

    ident: str
    path: Path
    source: Source


@dataclass(frozen=True)
class Heading:
    """An article title or a section heading, and where it is written."""

    ident: str
    title: str
    source: Source
    section: str = ""  # an article's section
    first_article: str = ""  # a section's first article's ident


@dataclass
class Expected:
    """What the issue's PDF must show."""

    title: str
    author: str
    language: str
    created: date
    cover: list[str]  # texts the cover shows: the newsletter's titles, the issue, the publisher
    sections: list[Heading]
    articles: list[Heading]
    footnotes: list[tuple[int, str, Source]]  # number, letters of the text, where defined
    chunks: list[Chunk] = field(default_factory=list)
    running: tuple[str, ...] = ()  # letters of the running heads (newsletter title, issue)
    highlights: list[Heading] = field(default_factory=list)  # the articles the cover lists, in order
    subject: str = ""  # the document's subject (the template's description), "" when it sets none
    figures: list[Figure] = field(default_factory=list)
    settings_file: Path | None = None  # newsletter.yaml, where the settings the cover prints are written
    note: Heading | None = None  # the issue's editor's note (editor-note.md): listed first, bookmarked, on page 1


def letters(text: str) -> str:
    """The letters and digits of a text (Han, Latin, figures), full-width and compatibility forms folded."""
    return "".join(char for char in unicodedata.normalize("NFKC", text) if char.isalnum())


def expected_of(issue: Issue) -> Expected:
    """Everything the issue's PDF must show, from the issue alone."""
    by_ident = {article.ident: article for article in issue.pieces}
    sections = [Heading(section.ident, section.name,
                        Source(section.articles[0].path, section.articles[0].section_line),
                        first_article=section.articles[0].ident)
                for section in issue.sections]
    articles = [Heading(article.ident, article.title, Source(article.path, article.title_line),
                        article.section) for article in issue.articles]
    footnotes = [(note.number, letters(note.text), Source(article.path, note.line))
                 for article in issue.pieces for note in article.footnotes]
    note = Heading(issue.note.ident, issue.note.title, Source(issue.note.path, issue.note.title_line)) \
        if issue.note else None
    html = render_html(issue)
    reader = BodyReader(issue, by_ident, {section.ident: section.source for section in sections})
    reader.feed(html)
    reader.close()
    head = HeadReader()
    head.feed(html)
    settings = issue.settings
    highlighted = {article.ident for article in issue.highlights}
    return Expected(title=head.title or f"{settings.title} {issue.label_long}",
                    author=head.meta.get("author", settings.publisher), language=head.language or settings.language,
                    created=issue.date,
                    cover=[settings.title, settings.title_en, issue.label, issue.label_long, settings.publisher],
                    sections=sections, articles=articles, footnotes=footnotes, chunks=reader.chunks,
                    running=(letters(settings.title), letters(issue.label_long)),
                    highlights=[heading for heading in articles if heading.ident in highlighted],
                    figures=reader.figures,
                    subject=head.meta.get("description", ""), settings_file=issue.folder.parent / SETTINGS_FILE,
                    note=note)


class HeadReader(HTMLParser):
    """The document's title, language and named meta values, as the template wrote them (WeasyPrint puts them
    into the PDF's information)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title, self.language, self.meta, self.in_title = "", "", {}, False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.language = attributes.get("lang") or ""
        elif tag == "meta" and attributes.get("name"):
            self.meta.setdefault(attributes["name"].lower(), attributes.get("content") or "")
        self.in_title = tag == "title"

    def handle_endtag(self, tag):
        self.in_title = False

    def handle_data(self, data):
        if self.in_title:
            self.title += data


class BodyReader(HTMLParser):
    """Collects the body's chunks from the issue's HTML, leaving out footnote texts."""

    def __init__(self, issue: Issue, articles: dict, sections: dict[str, Source]):
        super().__init__(convert_charrefs=True)
        self.issue, self.articles, self.sections = issue, articles, sections
        self.chunks: list[Chunk] = []
        self.figures: list[Figure] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, opens a chunk)
        self.current: Chunk | None = None
        self.text: list[str] = []
        self.header: list[str] | None = None
        self.small = 0  # depth inside <sub> or <sup>
        self.in_cell = False  # inside a table chunk's td or th
        self.skipping = 0  # depth inside a footnote's text
        self.numbers: list[int | None] = []  # per open list: the next item's number (None: bullets)
        self.article: str = ""
        self.section: str = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        ident = attributes.get("id") or ""
        if tag == "article":
            self.article = ident
        elif tag == "section" and ident in self.sections:
            self.section = ident
        if tag == "img":
            self.add_image(attributes.get("src") or "")
        if tag in VOID:
            return
        self.count_list_items(tag, attributes)
        if self.skipping or ids.NOTE_CLASS in classes:
            self.skipping += 1
        opens = self.current is None and not self.skipping and self.start_chunk(tag, classes, ident)
        self.stack.append((tag, opens))
        if tag == "thead" and self.current is not None:
            self.header = []
        self.follow_cells(tag)

    def handle_endtag(self, tag):
        if not self.stack or tag in VOID:
            return
        open_tag, opens = self.stack.pop()
        if self.skipping:
            self.skipping -= 1
        if open_tag in ("sub", "sup") and self.small:
            self.small -= 1
        self.in_cell = self.in_cell and open_tag not in ("td", "th")
        if open_tag in ("ol", "ul") and self.numbers:
            self.numbers.pop()
        if open_tag == "thead" and self.current is not None and self.header is not None:
            self.current.repeated = letters("".join(self.header))
            self.header = None
        if opens and self.current is not None:
            text = "".join(self.text)
            self.current.letters = letters(text)
            self.current.preview = " ".join(text.split())[:PREVIEW]
            if self.current.letters:
                self.chunks.append(self.current)
            self.current, self.text = None, []

    def follow_cells(self, tag: str) -> None:
        """A table chunk's rows and cells: each row and cell begun as its tag opens."""
        table = self.current if self.current is not None and self.current.kind == "table" else None
        if tag in ("sub", "sup"):
            self.small += 1
        elif table is None or self.skipping:
            return
        elif tag == "tr":
            table.rows.append([])
            table.head_rows += self.header is not None
        elif tag in ("td", "th") and table.rows:
            table.rows[-1].append("")
            self.in_cell = True

    def count_list_items(self, tag: str, attributes: dict) -> None:
        """Follow list numbers: a numbered item's marker (3.) is text of the PDF."""
        if tag == "ol":
            self.numbers.append(int(attributes.get("start") or 1))
        elif tag == "ul":
            self.numbers.append(None)
        elif tag == "li" and self.numbers and self.numbers[-1] is not None:
            self.handle_data(str(self.numbers[-1]))
            self.numbers[-1] += 1

    def handle_data(self, data):
        if self.current is not None and not self.skipping:
            self.text.append(data)
            if self.header is not None:
                self.header.append(data)
            if self.in_cell and not self.small:
                self.current.rows[-1][-1] += data

    def start_chunk(self, tag: str, classes: list[str], ident: str) -> bool:
        """Open a chunk if this element is a block of the body; say whether it did."""
        source = None
        if block := ids.block_source(ident):
            article = self.articles.get(block[0])
            if article is not None:
                source = Source(article.path, block[1])
        elif "section-title" in classes and self.section:
            source = self.sections[self.section]
        elif TITLE_CLASSES & set(classes) and self.article in self.articles:
            article = self.articles[self.article]
            source = Source(article.path, article.title_line)
        if source is None:
            return False
        self.current = Chunk("", source, "", "table" if tag == "table" else "block", ident=ident)
        return True

    def add_image(self, src: str) -> None:
        """A figure's picture is expected in its place; an SVG figure's own text is drawn as text: expect it."""
        src = unquote(src)  # 图 1.svg is written %E5%9B%BE%201.svg in the HTML
        path = (self.issue.folder / src).resolve()
        if not path.is_relative_to(self.issue.folder) or not path.is_file():
            return
        if self.current is not None:
            self.figures.append(Figure(self.current.ident, path, self.current.source))
        if path.suffix.lower() != ".svg":
            return
        text = svg_text(path)
        source = self.current.source if self.current else Source(path, 1)
        if letters(text):
            self.chunks.append(Chunk(letters(text), source, text[:PREVIEW], "figure",
                                     ident=self.current.ident if self.current else ""))
