"""The plain model of a newsletter issue.

Loaders build it from files; templates only read it.  Nothing here does I/O.
Markup has already been turned into HTML fragments (`Article.body_html`);
footnotes are numbered through the whole issue (1 … N).
"""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from press import ids
from press.locale import Chrome, chrome
from press.pagesize import PageSize


@dataclass(frozen=True)
class CheckSettings:
    """What `press check` holds a PDF to: the `check:` block of newsletter.yaml (its defaults: press.settings)."""

    max_bytes: int  # the largest PDF allowed
    page_size: PageSize | None  # the paper every page must have (newsletter.yaml's page_size); None: any
    # standard size, the same on every page (a PDF checked without its source)
    bars: tuple[tuple[str, float, int], ...] = ()  # (check id, threshold, line in the settings)
    path: Path | None = None  # the settings file, for messages about the bars


@dataclass(frozen=True)
class MailSettings:
    """How `press mail` composes and sends: the `mail:` block of newsletter.yaml (its defaults: press.settings).

    Credentials are never here: they come from PRESS_SMTP_USER and PRESS_SMTP_PASSWORD.
    """

    sender: str  # e.g. 新材料监测快报 <newsletter@example.org>; "" when not set
    host: str
    port: int
    security: str  # starttls, tls or none
    per_minute: float  # messages per minute at most
    retries: int  # attempts more after a temporary failure, per reader
    unsubscribe: tuple[str, ...]  # List-Unsubscribe targets: a mailto: address, an https:// URL, or both
    line: int = 0  # where the `mail:` block starts in newsletter.yaml (0: there is none)


STYLESHEET = "style.css"  # in the style's folder
SETTINGS_FILE = "newsletter.yaml"  # beside the issue folders
SETTINGS_DIGEST = "PressSettingsDigest"  # the key of Settings.digest in a PDF's info dictionary
ISSUE_FILE = "issue.yaml"  # in each issue's folder
NOTE_FILE = "editor-note.md"  # in an issue's folder, optional: the issue-wide editor's note (卷首语)


def output_name(slug: str, year: int, number: int) -> str:
    """The file name of an issue's PDF, e.g. materials-newsletter-2024-04.pdf."""
    return f"{slug}-{year}-{number:02d}.pdf"


@dataclass(frozen=True)
class Settings:
    """Newsletter-wide settings, written once in `issues/newsletter.yaml` (each default: press.settings)."""

    slug: str
    title: str
    title_en: str
    publisher: str
    sections: tuple[str, ...]
    style: str
    language: str
    styles_dir: Path
    fonts_dir: Path
    check: CheckSettings
    mail: MailSettings
    section_break: str  # run-on: a section follows the one before; page: it starts a page
    new_articles: tuple[str, ...]  # the sections of the article skeletons `press new` writes, in order
    page_size: PageSize  # the paper, newsletter.yaml's page_size
    digest: str = ""  # what the PDF depends on in newsletter.yaml (all but mail:), hashed; recorded in the PDF

    @property
    def style_dir(self) -> Path:
        """The folder of the chosen style (templates and CSS)."""
        return self.styles_dir / self.style


@dataclass(frozen=True)
class Footnote:
    """A footnote: its number in the issue, its label in the source, its HTML."""

    number: int
    label: str
    html: str
    text: str
    line: int


@dataclass(frozen=True)
class Article:
    """One article: front matter plus its body rendered to HTML."""

    ident: str
    path: Path
    title: str
    section: str
    body_html: str
    footnotes: tuple[Footnote, ...] = ()
    byline: str | None = None
    highlight: bool = False
    title_line: int = 1
    section_line: int = 1
    blocks: tuple[str, ...] = ()  # ids of the body's top-level blocks, in order


@dataclass(frozen=True)
class Section:
    """A run of consecutive articles under one section name."""

    ident: str
    name: str
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class Issue:
    """One monthly issue of the newsletter, ready to render."""

    settings: Settings
    folder: Path
    year: int
    number: int
    date: date
    articles: tuple[Article, ...]
    sections: tuple[Section, ...] = field(default=())
    note: Article | None = None  # the issue-wide editor's note (NOTE_FILE): an Article of no section, before them

    @property
    def pieces(self) -> tuple[Article, ...]:
        """What the body prints, in reading order: the editor's note (if any), then the articles."""
        return ((self.note,) if self.note else ()) + self.articles

    @property
    def label(self) -> str:
        """The issue as printed on the cover, e.g. 2024.04."""
        return f"{self.year}.{self.number:02d}"

    @property
    def label_zh(self) -> str:
        """The issue in Chinese, e.g. 2024年第4期."""
        return f"{self.year}年第{self.number}期"

    @property
    def chrome(self) -> Chrome:
        """The words printed around the text, in the newsletter's language (press.locale)."""
        return chrome(self.settings.language)

    @property
    def label_long(self) -> str:
        """The issue in the newsletter's language, e.g. 2024年第4期, No. 4, 2024 (label_zh is always Chinese)."""
        return self.chrome.issue_label(self.year, self.number)

    @property
    def highlights(self) -> tuple[Article, ...]:
        """The articles listed on the cover under 本期要目."""
        return tuple(article for article in self.articles if article.highlight)

    @property
    def footnotes(self) -> tuple[Footnote, ...]:
        """Every footnote of the issue (the editor's note's first), in number order."""
        return tuple(note for article in self.pieces for note in article.footnotes)

    @property
    def blocks(self) -> tuple[str, ...]:
        """Every block id of the body (the editor's note's, then the articles'), in reading order."""
        return tuple(block for article in self.pieces for block in article.blocks)

    @property
    def output_name(self) -> str:
        """The PDF's file name, e.g. materials-newsletter-2024-04.pdf."""
        return output_name(self.settings.slug, self.year, self.number)


def group_sections(articles: tuple[Article, ...]) -> tuple[Section, ...]:
    """Group consecutive articles that share a section name."""
    sections: list[Section] = []
    for article in articles:
        if sections and sections[-1].name == article.section:
            last = sections[-1]
            sections[-1] = Section(last.ident, last.name, (*last.articles, article))
        else:
            sections.append(Section(ids.section_id(len(sections) + 1), article.section, (article,)))
    return tuple(sections)
