"""The words press prints around an issue's text (its chrome), in the newsletter's language.

Takes the newsletter's `language` (a BCP 47 tag: zh-Hans, zh-CN, zh-Hant, zh-TW, zh-HK, en, en-US,
en-GB …); returns a `Chrome`: the cover's, contents page's and editor's note's labels, the issue's
label (2024年第4期, No. 4, 2024), the page labels of the front matter, the byline's brackets, the
caption words and the language press's own messages take.  Three families: Simplified Chinese,
Traditional Chinese and English; a tag of another language gets the Simplified Chinese chrome,
press's default.  The templates get the chrome in their context as `chrome`; the build, the mail and
the checks ask it here, so each word is written once.
"""

import re
from dataclasses import dataclass

HANS, HANT, EN = "zh-Hans", "zh-Hant", "en"
PLACE = re.compile(r"^\S+?:\d+(?::\d+)?: ")  # a message line's file:line:col
TAG = re.compile(r"(<[^>]*>)")
VERBATIM = {"code", "pre", "kbd", "samp", "script", "style"}  # whose text curly_quotes leaves alone
QUOTE_BLOCKS = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "title", "figcaption", "caption",
                "blockquote", "div", "section", "article", "nav", "ul", "ol", "br"}  # a quote after them opens
OPENS_AFTER = "([{\u2014\u2013-/\u00a0\u2060“‘"
QUOTE_ENTITIES = {"&quot;": '"', "&#34;": '"', "&#x22;": '"', "&#39;": "'", "&#x27;": "'", "&apos;": "'"}
QUOTE_ENTITY = re.compile("|".join(QUOTE_ENTITIES), re.I)
TRADITIONAL_TAGS = ("zh-hant", "zh-tw", "zh-hk", "zh-mo")  # zh-Hant-TW, zh-TW, yue-Hant … by prefix below


@dataclass(frozen=True)
class Chrome:
    """The chrome of one language family (see the module's docstring)."""

    family: str
    contents: str  # the contents page's label (PDF page label, aria-label)
    contents_title: str  # the contents page's heading
    cover: str  # the cover's page label
    highlights: str  # the cover's list of highlights
    editor_note: str  # the run-in label of an editor's note, without its colon
    note_title: str  # the issue-wide editor's note's title when its file names none (editor-note.md)
    built: str  # before the build time in a draft's margin (press.draft)
    label_colon: str  # what follows the editor's note's label
    table: str  # a table's caption word (表 1, Table 1)
    figure: str  # a figure's caption word (图 1, 圖 1, Figure 1)
    attachment: str  # the mail's line about the attached PDF, {name} the PDF's title
    list_separator: str  # between items of a list in one line (the PDF's subject)
    centred_marks: str = ""  # marks set in the middle of their em box (Taiwan's standard), not at its start

    def issue_label(self, year: int, number: int) -> str:
        """The issue as the running head, the cover and the mail name it: 2024年第4期, No. 4, 2024."""
        return f"No. {number}, {year}" if self.family == EN else f"{year}年第{number}期"

    def byline(self, byline: str) -> str:
        """An article's byline as printed: （刘洋）, or — J. Smith in English (no full-width brackets)."""
        return f"— {byline}" if self.family == EN else f"（{byline}）"

    def description(self, title: str, title_en: str, label: str, highlights) -> str:
        """The PDF's subject: the newsletter's titles, the issue and its highlights' titles."""
        listed = self.list_separator.join(highlights)
        if self.family == EN:
            return f"{title} ({title_en}) {label}. {self.highlights}: {listed}"
        return f"{title}（{title_en}）{label}。{self.highlights}：{listed}"

    def document_name(self, title: str, label: str) -> str:
        """The issue's name as a reader files it (the mail's attachment): 新材料监测快报2024年第4期, Battery Watch
        No. 4, 2024."""
        return f"{title} {label}" if self.family == EN else f"{title}{label}"

    def attached(self, name: str) -> str:
        """The mail's line about the attached PDF of title `name`."""
        return self.attachment.format(name=name)

    def note_label(self) -> str:
        """The editor's note's run-in label with its colon: 编者按：, 編者按：, Editor’s note: ."""
        return self.editor_note + self.label_colon

    def message(self, text: str) -> str:
        """One of press's bilingual messages (`中文 (english)`, each line perhaps after its `file:line:col: `
        place) as this family reads it: the English part alone for English, the whole message otherwise."""
        if self.family != EN:
            return text
        return "\n".join(place.group() + english_part(line[place.end():]) if (place := PLACE.match(line))
                         else english_part(line) for line in text.split("\n"))

    def say(self, chinese: str, english: str) -> str:
        """A message press writes for this family: Chinese for Chinese, English for English."""
        return english if self.family == EN else chinese


CHROMES = {
    HANS: Chrome(HANS, contents="目录", contents_title="目　录", cover="封面", highlights="本期要目",
                 editor_note="编者按", note_title="卷首语", built="生成于", label_colon="：", table="表", figure="图",
                 attachment="全文见附件《{name}》（PDF）。", list_separator="；"),
    HANT: Chrome(HANT, contents="目錄", contents_title="目　錄", cover="封面", highlights="本期要目",
                 editor_note="編者按", note_title="卷首語", built="生成於", label_colon="：", table="表", figure="圖",
                 attachment="全文見附件《{name}》（PDF）。", list_separator="；", centred_marks="、。，；：！？"),
    EN: Chrome(EN, contents="Contents", contents_title="Contents", cover="Cover", highlights="In this issue",
               editor_note="Editor’s note", note_title="From the Editor", built="built", label_colon=": ",
               table="Table", figure="Figure",
               attachment="The full issue is attached: {name} (PDF).", list_separator="; "),
}


def family(language: str) -> str:
    """The chrome family of a BCP 47 tag: zh-Hant for zh-Hant, zh-TW, zh-HK, zh-MO (and their longer
    forms); en for en, en-US, en-GB …; zh-Hans for every other tag (zh, zh-CN, zh-Hans-SG, and
    languages press has no chrome for)."""
    tag = language.strip().lower().replace("_", "-")
    if tag == "en" or tag.startswith("en-"):
        return EN
    if tag.startswith(TRADITIONAL_TAGS) or (tag.startswith("zh-") and "-hant" in f"-{tag.split('-', 1)[1]}"):
        return HANT
    return HANS


def chrome(language: str) -> Chrome:
    """The chrome for a newsletter's `language`."""
    return CHROMES[family(language)]


def curly_quotes(html: str) -> str:
    """An English document with its straight quotes in the text made typographic, as a typesetter sets them:
    "…" → “…”, '…' → ‘…’, it's → it’s.  A quote opens at the start of a block or after a space, an opening
    bracket or a dash, and closes anywhere else; code (code, pre, kbd, samp), the head's style and script,
    tags and their attributes are left as they are."""
    out: list[str] = []
    previous, skipped = "", 0
    for part in TAG.split(html):
        if part.startswith("<"):
            name = part[1:].lstrip("/").split(None, 1)[0].rstrip(">/").lower() if len(part) > 2 else ""
            if name in VERBATIM and not part.endswith("/>"):
                skipped += -1 if part.startswith("</") else 1
            previous = "" if name in QUOTE_BLOCKS else previous
            out.append(part)
            continue
        if skipped or not part:
            out.append(part)
            continue
        text = QUOTE_ENTITY.sub(lambda match: QUOTE_ENTITIES[match.group().lower()], part)
        curled = []
        for char in text:
            if char in "\"'":
                opens = not previous or previous.isspace() or previous in OPENS_AFTER
                char = ("“" if opens else "”") if char == '"' else ("‘" if opens else "’")
            curled.append(char)
            previous = char
        out.append("".join(curled))
    return "".join(out)


def plural(count: int, noun: str) -> str:
    """`count` English `noun`s: 1 page, 12 pages."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def english_part(message: str) -> str:
    """The English of a bilingual message, `中文 (english)` → `english` (the bracket that closes the message
    and its partner, brackets inside it kept); a message that does not end in a bracket with Latin letters
    in it is returned as it is."""
    text = message.rstrip()
    if not text.endswith((")", "）")):
        return message
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        depth += text[index] in ")）"
        depth -= text[index] in "(（"
        if depth == 0:
            inner = text[index + 1:-1].strip()
            return inner if index > 0 and re.search(r"[A-Za-z]", inner) else message
    return message
