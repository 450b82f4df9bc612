"""The pipeline stage "import": Word documents (.docx) → article files of an issue.

mammoth (https://github.com/mwilliamson/python-mammoth) reads the document: paragraphs and their
styles, runs (bold, italic, sub- and superscript), lists, tables (with their merged cells), images,
hyperlinks, footnotes and endnotes, into plain semantic HTML.  This module turns that HTML into press's
Markdown (front matter, `::: 编者按`, headings, `[^n]` notes, `~sub~`, `^sup^`, pipe tables, figures),
then applies `press lint --fix` to the new file.  It reads the package itself for what mammoth does not give:
to refuse what mammoth would silently drop or half apply (tracked changes, comments), to report objects it cannot
read (equations, charts, text boxes, embedded objects) at their paragraph, and for the start numbers of numbered
lists (word/numbering.xml) and the borders and shading of paragraphs that make a `::: 框` box.
"""

import base64
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import yaml

from press.errors import InputError, Problem
from press.lint import Source, enumerator_forms, fix_text, lint_prose, locate, writes_chinese
from press.model import ISSUE_FILE, SETTINGS_FILE
from press.prose import prose
from press.yamlfile import FRONT_MATTER, Problems, read_yaml

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
STYLE_MAP = "\n".join([
    "p[style-name='Title'] => h1.doc-title:fresh",
    "p[style-name='标题'] => h1.doc-title:fresh",
    "p[style-name='Subtitle'] => p:fresh",
    "r[style-name='Footnote Characters'] => ",
    "r[style-name='Endnote Characters'] => ",
])
NOTE_ID = re.compile(r"#?((?:foot|end)note)-(-?\d+)$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
EDITOR_NOTE = re.compile(r"^\s*(编者按|編者按)\s*[：:]\s*")
BYLINE = re.compile(r"^\s*[（(]\s*([^（）()\n]{1,24}?)\s*[）)]\s*$")
HAN_NUMERAL = "一二三四五六七八九十百"
NUMBERED_HEADINGS = [  # the newsletter's numbering of headings, outermost first
    re.compile(rf"^[{HAN_NUMERAL}]+、"),
    re.compile(rf"^[（(][{HAN_NUMERAL}]+[）)]"),
    re.compile(r"^[（(]\d+[）)]"),
]
EXCERPT = 12  # characters of a paragraph shown with a notice, to find it in the document
HEADING_MAX = 40  # a numbered paragraph longer than this, or ending a sentence, is text, not a heading
BOX_TITLE = re.compile(r"^\s*【[^】\n]*】\s*")
BOX_TITLE_MARKED = re.compile(r"^\s*(\*{1,2})?【[^】\n]*】(?(1)\1)\s*")  # in Markdown: 【…】 or a bold 【…】
TABLE_CAPTION = re.compile(r"^\s*(表|续表|續表|Table)\s*\d")
FIGURE_CAPTION = re.compile(r"^\s*(图|圖|Figure|Fig\.)\s*\d")
URL = re.compile(r"https?://[^\s<>\"'，。；：、（）【】“”]+")
SAFE_STEM = re.compile(r"[^a-z0-9-]+")
IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp",
               "image/svg+xml": "svg"}
UNSUPPORTED = [  # (element in a paragraph, what it is): mammoth leaves these out
    ("{http://schemas.openxmlformats.org/officeDocument/2006/math}oMath", "公式 (an equation)"),
    (f"{W}object", "嵌入对象 (an embedded object)"),
    ("{http://schemas.openxmlformats.org/drawingml/2006/chart}chart", "图表 (a chart)"),
]
TEXT_BOX = f"{W}txbxContent"
SHAPE = "{http://schemas.microsoft.com/office/word/2010/wordprocessingShape}wsp"


@dataclass
class Notice:
    """Something the import could not carry over as it was: the document, its paragraph (1-based, 0 for
    the whole document), a message."""

    path: Path
    paragraph: int
    message: str

    excerpt: str = ""

    def __str__(self) -> str:
        place = f"{self.path.name}:¶{self.paragraph}" if self.paragraph else self.path.name
        where = f"（“{self.excerpt}”）" if self.excerpt else ""
        return f"{place}{where}: {self.message}"


@dataclass
class Imported:
    """One document turned into an article: its file, its pictures, the fixes lint made, and the notices."""

    source: Path
    article: Path
    text: str
    section: str
    images: dict[str, bytes] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)
    fixes: list[str] = field(default_factory=list)


# The package: what is refused before mammoth reads it -----------------------------------------


def open_package(path: Path) -> tuple[zipfile.ZipFile | None, str | None]:
    """The .docx as a zip, or why it cannot be read."""
    try:
        head = path.read_bytes()[:8]
    except OSError as error:
        return None, f"无法读取文件 (cannot read: {error.strerror})"
    if head == OLE_MAGIC:
        return None, ("这是旧版 Word 的 .doc 文件，请在 Word 或 LibreOffice 中另存为 .docx "
                      "(an old binary Word .doc file: save it as .docx first)")
    try:
        package = zipfile.ZipFile(path)
        package.getinfo("word/document.xml")
        package.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, zipfile.LargeZipFile, NotImplementedError) as error:
        return None, f"不是可读的 .docx 文件，可能已损坏 (not a readable .docx, perhaps damaged: {error})"
    return package, None


def refusals(package: zipfile.ZipFile) -> list[str]:
    """Tracked changes and comments: import takes neither half-applied nor silently dropped."""
    found = []
    parts = [name for name in package.namelist() if re.fullmatch(r"word/(document|footnotes|endnotes)\d*\.xml", name)]
    changes = re.compile(rb"<w:(ins|del|moveFrom|moveTo)[\s>/]")
    if any(changes.search(package.read(name)) for name in parts):
        found.append("文档中有修订（跟踪更改），请先全部接受或拒绝后再导入 "
                     "(the document has tracked changes: accept or reject them first)")
    comments = any(re.search(rb"<w:comment[\s>]", package.read(name)) for name in package.namelist()
                   if re.fullmatch(r"word/comments\w*\.xml", name))
    if comments or any(re.search(rb"<w:commentReference[\s>/]", package.read(name)) for name in parts):
        found.append("文档中有批注，请先处理并删除批注后再导入 "
                     "(the document has comments: resolve and delete them first)")
    return found


@dataclass
class Paragraphs:
    """What the import reads from the package's own paragraphs (counted in document order, as the notices count
    them): objects mammoth does not read, boxed paragraphs, and the numbers of numbered lists."""

    objects: list[tuple[int, str]] = field(default_factory=list)
    frames: dict[int, tuple[str, bool]] = field(default_factory=dict)  # paragraph → (its border/shading, 【 first)
    lists: list[list[tuple[int, int, str]]] = field(default_factory=list)  # runs of (paragraph, number, its text)


def paragraph_styles(package: zipfile.ZipFile) -> dict[str, list[ElementTree.Element]]:
    """word/styles.xml: a paragraph style's id → the w:pPr of the style and of those it is based on, nearest first."""
    try:
        root = ElementTree.fromstring(package.read("word/styles.xml"))
    except (KeyError, ElementTree.ParseError):
        return {}
    own, based = {}, {}
    for style in root.iter(f"{W}style"):
        if style.get(f"{W}type") == "paragraph":
            ident = style.get(f"{W}styleId")
            own[ident] = style.find(f"{W}pPr")
            parent = style.find(f"{W}basedOn")
            based[ident] = parent.get(f"{W}val") if parent is not None else None
    chains = {}
    for ident in own:
        chain, seen, current = [], set(), ident
        while current in own and current not in seen:
            seen.add(current)
            if own[current] is not None:
                chain.append(own[current])
            current = based[current]
        chains[ident] = chain
    return chains


def properties_of(paragraph: ElementTree.Element, styles: dict, tag: str) -> ElementTree.Element | None:
    """A paragraph property (w:pBdr, w:shd, w:numPr): the paragraph's own, else its style's."""
    properties = paragraph.find(f"{W}pPr")
    found = properties.find(f"{W}{tag}") if properties is not None else None
    if found is not None:
        return found
    style = properties.find(f"{W}pStyle") if properties is not None else None
    for inherited in styles.get(style.get(f"{W}val") if style is not None else "Normal", []):
        if (found := inherited.find(f"{W}{tag}")) is not None:
            return found
    return None


def frame_of(paragraph: ElementTree.Element, styles: dict) -> str:
    """A paragraph's border and shading (w:pBdr, a w:shd filled other than auto; its own or its style's), as a
    comparable text; "" when it has neither."""
    parts = []
    border = properties_of(paragraph, styles, "pBdr")
    if border is not None and any(side.get(f"{W}val") not in (None, "nil", "none") for side in border):
        parts.append(ElementTree.tostring(border))
    shading = properties_of(paragraph, styles, "shd")
    if shading is not None and (shading.get(f"{W}fill") or "auto").lower() not in ("auto", "none"):
        parts.append(ElementTree.tostring(shading))
    return repr(parts) if parts else ""


def numbering(package: zipfile.ZipFile) -> tuple[dict, dict]:
    """word/numbering.xml: numId → (abstractNumId, {ilvl: startOverride}), and (abstractNumId, ilvl) →
    (start, format)."""
    try:
        root = ElementTree.fromstring(package.read("word/numbering.xml"))
    except (KeyError, ElementTree.ParseError):
        return {}, {}
    levels = {}
    for abstract in root.iter(f"{W}abstractNum"):
        for level in abstract.iter(f"{W}lvl"):
            start = level.find(f"{W}start")
            form = level.find(f"{W}numFmt")
            levels[(abstract.get(f"{W}abstractNumId"), level.get(f"{W}ilvl", "0"))] = (
                int(start.get(f"{W}val", "1")) if start is not None else 1,
                form.get(f"{W}val", "decimal") if form is not None else "decimal")
    nums = {}
    for num in root.iter(f"{W}num"):
        abstract = num.find(f"{W}abstractNumId")
        overrides = {}
        for override in num.iter(f"{W}lvlOverride"):
            start = override.find(f"{W}startOverride")
            if start is not None:
                overrides[override.get(f"{W}ilvl", "0")] = int(start.get(f"{W}val", "1"))
        nums[num.get(f"{W}numId")] = (abstract.get(f"{W}val") if abstract is not None else None, overrides)
    return nums, levels


def read_paragraphs(package: zipfile.ZipFile) -> Paragraphs:
    """The package's body paragraphs, counted in document order."""
    found = Paragraphs()
    try:
        root = ElementTree.fromstring(package.read("word/document.xml"))
    except ElementTree.ParseError:
        return found
    nums, levels = numbering(package)
    styles = paragraph_styles(package)
    counters: dict[tuple, int] = {}
    started: set[tuple] = set()
    number = 0
    run: list[tuple[int, int, bool]] = []
    last = -1

    def numbered(paragraph: ElementTree.Element) -> None:
        """A paragraph of a list: its number as Word counts it, in the run of list paragraphs it belongs to."""
        nonlocal run, last
        properties = properties_of(paragraph, styles, "numPr")
        num = properties.find(f"{W}numId") if properties is not None else None
        if num is None or num.get(f"{W}val") in (None, "0"):
            return
        level = properties.find(f"{W}ilvl")
        ilvl = level.get(f"{W}val", "0") if level is not None else "0"
        abstract, overrides = nums.get(num.get(f"{W}val"), (None, {}))
        start, form = levels.get((abstract, ilvl), (1, "decimal"))
        if form == "none":
            return
        key = (abstract, ilvl)
        if ilvl in overrides and (num.get(f"{W}val"), ilvl) not in started:
            started.add((num.get(f"{W}val"), ilvl))
            counters[key] = overrides[ilvl]
        else:
            counters[key] = counters[key] + 1 if key in counters else start
        for other in list(counters):
            if other[0] == abstract and int(other[1]) > int(ilvl):
                del counters[other]
        if last != number - 1:
            run = []
            found.lists.append(run)
        run.append((number, counters[key], "".join(t.text or "" for t in paragraph.iter(f"{W}t"))))
        last = number

    def walk(element) -> None:
        nonlocal number
        for child in element:
            if child.tag == f"{W}p":  # counted before the paragraphs of its text boxes, as mammoth emits them
                number += 1
                text = "".join(child.itertext()).lstrip()
                found.frames[number] = (frame_of(child, styles), text.startswith("【"))
                numbered(child)
                own = [what for tag, what in UNSUPPORTED if child.find(f".//{tag}") is not None]
                for what in own:
                    found.objects.append((number, f"{what} 无法导入，未写入文章 ({what.split('(')[1][:-1]} "
                                                  "cannot be imported and was left out)"))
                if child.find(f".//{TEXT_BOX}") is not None:
                    found.objects.append((number, "文本框中的文字已作为其后的普通段落导入，请核对位置 "
                                                  "(a text box: its text was imported as paragraphs after this one; "
                                                  "check where it belongs)"))
                elif child.find(f".//{SHAPE}") is not None:
                    found.objects.append((number, "形状无法导入，未写入文章 (a shape cannot be imported and was "
                                                  "left out)"))
                if moved := moved_runs(child):
                    found.objects.append((number, f"{moved} 以升降位置排成上下标，已按平文导入：请在 Word 中设为"
                                                  f"下标或上标，或在文章中写作 ~下标~、^上标^ ({moved} raised or "
                                                  "lowered by position, not set as a subscript or superscript: "
                                                  "imported flat)"))
            walk(child)

    walk(root)
    return found


def moved_runs(paragraph: ElementTree.Element) -> str:
    """The text of a paragraph's runs raised or lowered by position (`w:position`, as LibreOffice writes a
    subscript pasted from a web page), not by Word's sub- and superscript, which mammoth reads; "" if none."""
    moved = []
    for run in paragraph.iter(f"{W}r"):
        position = run.find(f"{W}rPr/{W}position")
        if position is not None and position.get(f"{W}val", "0") not in ("0", "-0"):
            moved.append("".join(text.text or "" for text in run.iter(f"{W}t")))
    return "、".join(f"“{part}”" for part in moved if part.strip())


# The HTML mammoth makes → Markdown -------------------------------------------------------------


def escape(text: str) -> str:
    """Text that Markdown must print as it is."""
    return re.sub(r"([\\`*_~^\[\]<>|])", r"\\\1", text)


def escape_start(line: str) -> str:
    """A line whose start would read as a Markdown block (heading, list, quote, block, rule)."""
    if re.match(r"(#|>|:::|[-+] |\d+[.)]( |$)|---|===)", line):
        match = re.match(r"\d+", line)
        if match:
            return line[:match.end()] + "\\" + line[match.end():]
        return "\\" + line
    return line


@dataclass
class Converter:
    """The HTML of one document to Markdown; collects notes, images and notices."""

    path: Path
    stem: str
    notes: dict[str, ElementTree.Element] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)  # note ids in the order of their first call
    images: dict[str, bytes] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)
    paragraph: int = 0
    excerpts: dict[int, str] = field(default_factory=dict)  # paragraph number → its first characters
    package: Paragraphs = field(default_factory=Paragraphs)
    numbers: dict[int, tuple[int, str]] = field(default_factory=dict)  # list paragraph → its number, its text

    def notice(self, message: str, paragraph: int | None = None) -> None:
        self.notices.append(Notice(self.path, self.paragraph if paragraph is None else paragraph, message))

    def inline(self, element: ElementTree.Element, plain: bool = False) -> str:
        """An element's content as inline Markdown."""
        out = [self.text(element.text or "", plain)]
        for child in element:
            out.append(self.inline_element(child, plain))
            out.append(self.text(child.tail or "", plain))
        return "".join(out)

    def text(self, text: str, plain: bool) -> str:
        if plain:
            return text
        pieces, last = [], 0
        for match in URL.finditer(text):
            url = match.group().rstrip(".,;:)")
            pieces += [escape(text[last:match.start()]), f"<{url}>"]
            last = match.start() + len(url)
        return "".join([*pieces, escape(text[last:])])

    def inline_element(self, child: ElementTree.Element, plain: bool) -> str:
        tag = child.tag
        link = child.find("a") if tag == "sup" else None
        if (tag == "a" and NOTE_ID.match(child.get("href", ""))) or (link is not None and NOTE_ID.match(
                link.get("href", ""))):
            anchor = child if tag == "a" else link
            note = NOTE_ID.match(anchor.get("href", "")).group(0).lstrip("#")
            if note not in self.calls:
                self.calls.append(note)
            return f"[^{self.calls.index(note) + 1}]"
        inner = self.inline(child, plain)
        if plain or tag in ("span", "p"):
            return inner
        if tag == "br":
            return "\n"
        if tag == "img":
            self.notice("段中的图片无法作为插图导入，未写入 (an image inside a line of text cannot become a figure: "
                        "left out; put it in a paragraph of its own)")
            return ""
        if not inner.strip():
            return inner
        lead, core, trail = re.match(r"(\s*)(.*?)(\s*)$", inner, re.S).groups()
        if tag == "em":
            return f"{lead}*{core}*{trail}"
        if tag == "strong":
            return f"{lead}**{core}**{trail}"
        if tag in ("sub", "sup"):
            mark = "~" if tag == "sub" else "^"
            return f"{lead}{mark}{core.replace(' ', chr(92) + ' ')}{mark}{trail}"
        if tag == "s":
            self.notice("删除线无法排出，已作普通文字导入 (strikethrough is not set by press: imported as plain text)")
            return inner
        if tag == "a":
            href = child.get("href", "")
            plain_text = "".join(child.itertext()).strip()
            if not re.match(r"(https?:|mailto:)", href):
                return inner
            if plain_text == href or f"<{href}>" == core:
                return f"<{href}>"
            return f"[{inner}]({href})"
        return inner

    def paragraph_text(self, element: ElementTree.Element) -> str:
        lines = self.inline(element).strip().split("\n")
        return "\n".join(escape_start(line.strip()) for line in lines if line.strip())

    def image(self, element: ElementTree.Element) -> str | None:
        """Save the picture of an <img>; its file name in the issue."""
        source = element.get("src", "")
        match = re.match(r"data:([\w/+.-]+);base64,(.*)$", source, re.S)
        if not match or match.group(1) not in IMAGE_TYPES:
            kind = match.group(1) if match else "?"
            self.notice(f"图片格式 {kind} 无法使用，未写入 (the picture's format cannot be used: left out; "
                        "save it as PNG, JPEG or SVG)")
            return None
        name = f"{self.stem}-figure-{len(self.images) + 1}.{IMAGE_TYPES[match.group(1)]}"
        self.images[name] = base64.b64decode(match.group(2))
        return name

    def count(self, element: ElementTree.Element) -> None:
        """Paragraph numbers: every paragraph, heading and list item, as Word counts its paragraphs."""
        self.paragraph += 1
        text = visible_text(element).strip() or ("[图片]" if element.find(".//img") is not None else "")
        self.excerpts[self.paragraph] = text[:EXCERPT] + ("…" if len(text) > EXCERPT else "")


def visible_text(element: ElementTree.Element) -> str:
    """An element's text without the numbers of its note calls."""
    out = [element.text or ""]
    for child in element:
        if not (child.tag == "a" and NOTE_ID.match(child.get("href", ""))):
            out.append(visible_text(child))
        out.append(child.tail or "")
    return "".join(out)


BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6"}


@dataclass
class Block:
    kind: str  # "title", "heading", "p", "figure", "list", "table"
    text: str
    paragraph: int
    level: int = 0
    plain: str = ""
    calls: list[str] = field(default_factory=list)  # footnote calls moved out of a table's header row
    box: str = ""  # "title": the 【…】 paragraph that opens a `::: 框`; "in": a paragraph inside it


def convert(path: Path, html: str, stem: str, package: Paragraphs | None = None) -> tuple[dict, str, Converter]:
    """Front matter fields and the Markdown body of one document's HTML (`package`: what the import read from the
    document's own paragraphs)."""
    converter = Converter(path, stem, package=package or Paragraphs())
    converter.numbers = {number: (value, text) for run in converter.package.lists for number, value, text in run}
    cleaned = CONTROL.sub("", html)
    if cleaned != html:
        converter.notice("文档中有控制字符，已删去 (control characters in the document were left out)", 0)
    root = ElementTree.fromstring(f"<root>{cleaned}</root>")
    children = list(root)
    # the notes: mammoth's closing list of <li id="footnote-N"> (and endnote-N)
    while children and children[-1].tag == "ol" and all(NOTE_ID.match(li.get("id", "")) for li in children[-1]):
        for li in children.pop():
            converter.notes[li.get("id")] = li
    blocks: list[Block] = []
    for child in children:
        blocks += read_block(converter, child)
    meta: dict = {}
    blocks = [block for block in blocks if block.text.strip() or block.kind == "figure"]
    boxes(blocks, converter.package.frames)
    if (blocks and blocks[0].kind == "title") or (blocks and blocks[0].kind == "heading"):
        meta["title"] = blocks.pop(0).plain
    elif blocks:
        first = blocks.pop(0)
        meta["title"] = first.plain
        converter.notice("文档没有标题样式，以第一段为标题 "
                         "(no Title style or heading: the first paragraph is the title)", first.paragraph)
    for block in blocks:
        if block.kind == "title":
            block.kind, block.level = "heading", 1
    if blocks and blocks[-1].kind == "p" and not blocks[-1].box and (match := BYLINE.match(blocks[-1].plain)):
        meta["byline"] = match.group(1)
        blocks.pop()
    numbered_headings(blocks)
    levels = sorted({block.level for block in blocks if block.kind == "heading"})
    parts: list[str] = []
    skip = set()
    for index, block in enumerate(blocks):
        if index in skip:
            continue
        if block.kind == "figure":
            parts.append(figure_text(converter, blocks, index, skip, parts))
        elif block.box == "title":
            parts.append(box_text(blocks, index, skip))
        elif block.kind == "heading":
            depth = min(levels.index(block.level) + 1, 3)
            parts.append("#" * depth + " " + block.text.replace("\n", " "))
        elif index == 0 and block.kind == "p" and (note := EDITOR_NOTE.match(block.plain)):
            parts.append(f"::: {note.group(1)}\n" + EDITOR_NOTE.sub("", block.text, count=1).lstrip() + "\n:::")
        else:
            if block.calls and parts:
                parts[-1] += "".join(block.calls)
            parts.append(block.text)
    body = "\n\n".join(parts)
    definitions = []
    for number, note in enumerate(converter.calls, 1):
        element = converter.notes.get(note)
        if element is None:
            converter.notice(f"脚注 {number} 的内容找不到 (the text of note {number} is missing)", 0)
            continue
        for anchor in element.iter("a"):
            if anchor.get("href", "").startswith(("#footnote-ref", "#endnote-ref")):
                anchor.text = ""
        texts = [converter.inline(p).strip() for p in element.iter("p")]
        texts = [text for text in texts if text]
        if len(texts) > 1:
            converter.notice(f"脚注 {number} 有多段，已合并为一段 "
                             f"(note {number} has several paragraphs: joined into one)", 0)
        definitions.append(f"[^{number}]: " + " ".join(text.replace("\n", " ") for text in texts))
    unused = [note for note in converter.notes if note not in converter.calls]
    for note in unused:
        if "".join(converter.notes[note].itertext()).strip(" \t↑"):
            converter.notice(f"注释 {note} 没有引用处，未写入 (a note that is never called: left out)", 0)
    if definitions:
        body += "\n\n" + "\n\n".join(definitions)
    return meta, body + "\n", converter


def figure_text(converter: Converter, blocks: list[Block], index: int, skip: set[int], parts: list[str]) -> str:
    """A figure with its caption: the `图 N` paragraph below (or above) the picture, else the picture's alt text."""
    block = blocks[index]
    caption = ""
    for other in (index + 1, index - 1):
        if 0 <= other < len(blocks) and other not in skip and blocks[other].kind == "p" and FIGURE_CAPTION.match(
                blocks[other].plain) and not (other == index - 1 and parts and parts[-1] != blocks[other].text):
            caption = blocks[other].text.replace("\n", " ")
            skip.add(other)
            if other == index - 1:
                parts.pop()
            break
    if not caption:
        caption = escape(block.plain)
        converter.notice("图片下没有“图 N”图题 (the picture has no 图 N caption below it)" + (
            "，以图片的替代文字为图题 (its alt text is the caption)" if caption else ""), block.paragraph)
    calls = re.findall(r"\[\^\d+\]", caption)
    if calls:
        caption = re.sub(r"\[\^\d+\]", "", caption)
        converter.notice("图题中的脚注引用已移到上一段末尾 (a footnote call in a figure caption, which press does not "
                         "allow, moved to the end of the paragraph before)", block.paragraph)
        if parts:
            parts[-1] += "".join(calls)
    return f"![{caption}]({block.text})"


def boxes(blocks: list[Block], frames: dict[int, tuple[str, bool]]) -> None:
    """A paragraph beginning `【…】` with a border or shading, and the paragraphs right after it with the same
    border or shading, are a `::: 框` box."""
    index = 0
    while index < len(blocks):
        block = blocks[index]
        frame, titled = frames.get(block.paragraph, ("", False))
        index += 1
        if not (block.kind == "p" and frame and titled and BOX_TITLE.match(block.plain)):
            continue
        block.box = "title"
        last = block.paragraph
        while index < len(blocks) and blocks[index].kind == "p" and blocks[index].paragraph == last + 1 and frames.get(
                blocks[index].paragraph, ("", False)) == (frame, False):
            blocks[index].box = "in"
            last = blocks[index].paragraph
            index += 1


def box_text(blocks: list[Block], index: int, skip: set[int]) -> str:
    """The `::: 框 【…】` block opened by blocks[index]: its title line, the rest of its paragraph, the paragraphs
    in it."""
    block = blocks[index]
    title = BOX_TITLE.match(block.plain).group().strip()
    rest = BOX_TITLE_MARKED.sub("", block.text, count=1) if BOX_TITLE_MARKED.match(block.text) else escape(
        BOX_TITLE.sub("", block.plain, count=1))
    inside = [rest.strip()] if rest.strip() else []
    following = index + 1
    while following < len(blocks) and blocks[following].box == "in":
        inside.append(blocks[following].text)
        skip.add(following)
        following += 1
    return f"::: 框 {title}\n" + "\n\n".join(inside) + ("\n" if inside else "") + ":::"


def numbered_headings(blocks: list[Block]) -> None:
    """Paragraphs numbered as the newsletter numbers its headings (一、 （一） （1）), short and not ending a
    sentence, become headings, ranked under the heading styles used."""
    styled = max((block.level for block in blocks if block.kind == "heading"), default=0)
    for block in blocks:
        if block.kind != "p" or block.box or len(block.plain) > HEADING_MAX or block.plain.rstrip().endswith(
                ("。", "；", "，")):
            continue
        for rank, pattern in enumerate(NUMBERED_HEADINGS):
            if pattern.match(block.plain):
                block.kind, block.level = "heading", styled + 1 + rank
                break


def read_block(converter: Converter, element: ElementTree.Element) -> list[Block]:
    """One top-level element of the HTML as blocks."""
    tag = element.tag
    if tag in BLOCK_TAGS:
        converter.count(element)
        number = converter.paragraph
        images = list(element.iter("img"))
        if images and len(images) == len(list(element.iter())) - 1 - sum(
                1 for e in element.iter() if e.tag in ("span", "a")):
            names = [converter.image(image) for image in images]
            alt = " ".join(image.get("alt", "") for image in images).strip()
            return [Block("figure", name, number, plain=alt) for name in names if name]
        text = converter.paragraph_text(element)
        plain = "".join(element.itertext()).strip()
        if tag == "h1" and element.get("class") == "doc-title":
            return [Block("title", text, number, 1, plain)]
        if tag.startswith("h"):
            return [Block("heading", text, number, int(tag[1]), plain)]
        return [Block("p", text, number, plain=plain)]
    if tag in ("ol", "ul"):
        return [Block("list", list_text(converter, element, 0), converter.paragraph)]
    if tag == "table":
        text, calls = table_text(converter, element)
        return [Block("table", text, converter.paragraph, calls=calls)]
    converter.notice(f"无法识别的内容 <{tag}>，未写入 (content press cannot import: left out)")
    return []


def word_number(converter: Converter, item: ElementTree.Element) -> int | None:
    """The number Word gives a list item: that of the package's numbered paragraph counted at the same place, if
    that paragraph's text is the item's own (else None: not matched, never guessed)."""
    number, text = converter.numbers.get(converter.paragraph, (None, ""))
    own = ElementTree.Element("span")
    own.text = item.text
    own.extend(child for child in item if child.tag not in ("ol", "ul"))
    if number is None or re.sub(r"\s", "", visible_text(own)) != re.sub(r"\s", "", text):
        return None
    return number


def list_text(converter: Converter, element: ElementTree.Element, indent: int) -> str:
    """A list, its lines indented by `indent` spaces (a nested list under its item's text: `10. ` takes four); a
    numbered list starts at the number Word gives its first item (word/numbering.xml)."""
    lines = []
    ordered = element.tag == "ol"
    start = None
    for number, item in enumerate(element.findall("li"), 1):
        converter.count(item)
        word = word_number(converter, item) if ordered else None
        if ordered and start is None:
            start = word
            if start is None:
                start = 1
                converter.notice("无法确定编号列表的起始编号，已从 1 开始编号，请核对 (the start number of this "
                                 "numbered list could not be read from the document: numbered from 1; check it)")
        if ordered and word is not None and word != start + number - 1:
            converter.notice(f"编号列表的编号不连续，已改为 {start + number - 1} (the list's numbers do not run "
                             f"on: this item is numbered {start + number - 1}; check it)")
        marker = f"{start + number - 1}. " if ordered else "- "
        inner = ElementTree.Element("span")
        inner.text = item.text
        nested = []
        for child in item:
            if child.tag in ("ol", "ul"):
                nested.append(child)
            else:
                inner.append(child)
        text = converter.inline(inner).strip().replace("\n", " ")
        lines.append(" " * indent + marker + text)
        for child in nested:
            lines.append(list_text(converter, child, indent + max(len(marker), 3)))
    return "\n".join(lines)


def table_text(converter: Converter, element: ElementTree.Element) -> tuple[str, list[str]]:
    """A pipe table; merged cells are reported at the table and split into empty cells so no row shifts."""
    start = converter.paragraph + 1
    rows = [row for row in element.iter("tr")]
    grid: list[list[str]] = []
    pending: dict[int, int] = {}  # column → rows still covered by a cell merged from above
    merged = False
    for row in rows:
        cells: list[str] = []
        column = 0
        for cell in row:
            while pending.get(column):
                pending[column] -= 1
                cells.append("")
                column += 1
            paragraphs = []
            for block in cell:
                converter.count(block)
                if block.tag in ("ol", "ul"):
                    converter.notice("表格单元格中的列表已改为一段文字 (a list in a table cell became plain text)")
                    paragraphs += [converter.inline(li).strip() for li in block.iter("li")]
                elif block.tag == "table":
                    converter.notice("表格中的表格无法导入，未写入 (a table inside a table cell: left out)")
                else:
                    paragraphs.append(converter.inline(block).strip())
            paragraphs = [p.replace("\n", " ") for p in paragraphs if p]
            if len(paragraphs) > 1:
                converter.notice("单元格中有多段，已合并为一段 (a cell of several paragraphs: joined into one)")
            cells.append(" ".join(paragraphs))
            span = int(cell.get("colspan", "1") or 1)
            down = int(cell.get("rowspan", "1") or 1)
            if span > 1 or down > 1:
                merged = True
            for offset in range(span):
                if down > 1:
                    pending[column + offset] = down - 1
            cells += [""] * (span - 1)
            column += span
        while pending.get(column):
            pending[column] -= 1
            cells.append("")
            column += 1
        grid.append(cells)
    if merged:
        converter.notice("表格有合并单元格：已拆开，合并格的文字只在第一格，其余为空格，请核对 "
                         "(the table has merged cells: each was split, its text in the first of its cells and the "
                         "others left empty, so no row is shifted; check the table)", start)
    width = max((len(row) for row in grid), default=0)
    grid = [row + [""] * (width - len(row)) for row in grid]
    if not grid or not width:
        return "", []
    calls = re.findall(r"\[\^\d+\]", " ".join(grid[0]))
    if calls:
        grid[0] = [re.sub(r"\[\^\d+\]", "", cell) for cell in grid[0]]
        converter.notice("表头中的脚注引用已移到表题末尾（表头跨页重复，脚注只排一次）(a footnote call in the table's "
                         "header row, which press does not allow, moved to the end of the caption above)", start)
    lines = ["| " + " | ".join(cell.replace("|", "\\|") for cell in grid[0]) + " |",
             "| " + " | ".join("---" for _ in grid[0]) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in grid[1:]]
    return "\n".join(lines), calls


# The issue: names, issue.yaml, lint --fix, writing ---------------------------------------------


def article_stem(path: Path, issue: Path, taken: set[str]) -> str:
    """A safe file stem from the document's name (`02-Hydrogen R2R.docx` → `02-hydrogen-r2r`); a name without
    such characters (`氢能联盟.docx`) gets the first free `article-N`."""
    stem = SAFE_STEM.sub("-", path.stem.lower()).strip("-")[:60].rstrip("-")
    if stem:
        return stem
    number = 1
    while f"article-{number}.md" in taken or any(issue.glob(f"article-{number}[.-]*")):
        number += 1
    return f"article-{number}"


def front_matter(meta: dict, section: str, highlight: bool = False) -> str:
    fields = {"title": meta.get("title", ""), "section": section}
    if highlight:
        fields["highlight"] = True
    if meta.get("byline"):
        fields["byline"] = meta["byline"]
    dumped = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{dumped}---\n\n"


def read_document(path: Path, issue: Path, section: str, problems: Problems,
                  taken: set[str] = frozenset(), highlight: bool = False) -> Imported | None:
    """One document as an article of the issue, in memory; None (with problems) if it is refused."""
    import mammoth

    package, why = open_package(path)
    if package is None:
        problems.add(path, 0, 0, why)
        return None
    with package:
        refused = refusals(package)
        for message in refused:
            problems.add(path, 0, 0, message)
        if refused:
            return None
        paragraphs = read_paragraphs(package)
    stem = article_stem(path, issue, taken)
    article = issue / f"{stem}.md"
    if os.path.lexists(article):
        problems.add(path, 0, 0, f"文章文件 {article.name} 已存在，不覆盖 (the article file exists: not overwritten; "
                     "rename the document or remove the file)")
        return None
    try:
        with path.open("rb") as stream:
            result = mammoth.convert_to_html(stream, style_map=STYLE_MAP, ignore_empty_paragraphs=False)
    except Exception as error:  # mammoth raises what the zip or XML parsers raise for a damaged document
        problems.add(path, 0, 0, f"不是可读的 .docx 文件，可能已损坏 (not a readable .docx, perhaps damaged: "
                     f"{type(error).__name__}: {error})")
        return None
    meta, body, converter = convert(path, result.value, stem, paragraphs)
    for number, message in paragraphs.objects:
        converter.notice(message, number)
    for message in result.messages:
        if "Unrecognised" in message.message and "style" in message.message:
            continue  # a style mammoth has no rule for: its text is imported as plain paragraphs or runs
        converter.notice(f"mammoth: {message.message}", 0)
    for name in converter.images:
        if os.path.lexists(issue / name):
            problems.add(path, 0, 0, f"图片文件 {name} 已存在，不覆盖 (the picture's file exists: not overwritten)")
            return None
    if not meta.get("title"):
        problems.add(path, 0, 0, "文档是空的 (the document is empty)")
        return None
    text = front_matter(meta, section, highlight) + body
    notices = sorted(converter.notices, key=lambda notice: notice.paragraph)
    for notice in notices:
        notice.excerpt = converter.excerpts.get(notice.paragraph, "")
    return Imported(path, article, text, section, converter.images, notices)


def sections_of(issue: Path) -> list[str]:
    settings, _ = read_yaml(issue.parent / SETTINGS_FILE, Problems())
    sections = settings.get("sections") if isinstance(settings, dict) else None
    return [str(section) for section in sections] if isinstance(sections, list) else []


def article_section(path: Path) -> str | None:
    try:
        match = FRONT_MATTER.match(path.read_text(encoding="utf-8-sig"))
        meta = yaml.safe_load(match.group(1) or "") if match else None
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    return str(meta.get("section")) if isinstance(meta, dict) else None


def listed_in_issue(text: str, name: str, section: str, sections: list[str], issue: Path) -> str:
    """issue.yaml's text with `name` listed after the last article of its section or of one before it."""
    meta, lines = read_yaml(issue / ISSUE_FILE, Problems(), text)
    listed = meta.get("articles") if isinstance(meta, dict) else None
    rows = text.split("\n")
    if listed == [] and isinstance(lines, dict) and lines.get("articles"):  # `articles: []`: the first article
        rows[lines["articles"] - 1] = re.sub(r"\[\s*\]", "", rows[lines["articles"] - 1]).rstrip()
        rows.insert(lines["articles"], f"  - {name}")
        return "\n".join(rows)
    if not isinstance(listed, list) or not listed:
        raise InputError([Problem(issue / ISSUE_FILE, lines.get("articles", 0) if isinstance(lines, dict) else 0, 1,
                                  "issue.yaml 中没有 articles 列表，无法加入文章 (issue.yaml has no articles list "
                                  "to add the article to)")])
    rank = sections.index(section)
    after = None
    for index, listed_name in enumerate(listed):
        other = article_section(issue / str(listed_name))
        if other in sections and sections.index(other) <= rank:
            after = index
    anchor = lines[f"articles[{0 if after is None else after}]"] - 1
    indent = re.match(r"\s*-?", rows[anchor]).group()
    entry = f"{indent} {name}" if indent.endswith("-") else f"{indent}- {name}"
    rows.insert(anchor if after is None else anchor + 1, entry)
    return "\n".join(rows)


def lint_fixes(imported: Imported, issue: Path) -> str:
    """The article's text with `press lint --fix`'s fixes made; each fix listed on `imported.fixes`."""
    chinese = writes_chinese(issue)
    text = prose(Source.of(imported.text).text)
    forms = enumerator_forms([text])
    hits = [hit for hit in lint_prose(text, forms, chinese) if hit.fix]
    imported.fixes = [str(finding) for finding in locate(imported.article, text, hits)]
    fixed, _ = fix_text(imported.text, forms, chinese)
    return fixed


def import_articles(documents: list[Path], issue: Path, section: str | None,
                    highlight: bool = False) -> list[Imported]:
    """Import each document into the issue: every document is read and checked first, and nothing is written
    if one is refused (InputError, exit 2); then the pictures, the articles and issue.yaml are written."""
    issue = Path(issue)
    problems = Problems()
    issue_file = issue / ISSUE_FILE
    if not issue_file.is_file():
        raise InputError([Problem(issue_file, 0, 0, "找不到 issue.yaml：ISSUE_DIR 应为一期的文件夹 "
                                  "(no issue.yaml: ISSUE_DIR must be an issue's folder)")])
    sections = sections_of(issue)
    if section is None:
        raise InputError([Problem(issue_file, 0, 0, "请用 --section 指定文章的栏目 (name the articles' section with "
                                  f"--section; known: {'、'.join(sections)})")])
    if section not in sections:
        raise InputError([Problem(issue.parent / SETTINGS_FILE, 0, 0, f"未知栏目 {section} (unknown section; known: "
                                  f"{'、'.join(sections)})")])
    imported: list[Imported] = []
    names: set[str] = set()
    for path in documents:
        article = read_document(Path(path), issue, section, problems, names, highlight)
        if article is None:
            continue
        if article.article.name in names:
            problems.add(path, 0, 0, f"两个文档都会写成 {article.article.name} (two documents would both be written "
                         "to this file: rename one)")
            continue
        names.add(article.article.name)
        imported.append(article)
    if problems:
        raise InputError(list(problems))
    issue_text = issue_file.read_text(encoding="utf-8")
    for article in imported:
        issue_text = listed_in_issue(issue_text, article.article.name, section, sections, issue)
    written: list[Path] = []
    try:
        for article in imported:
            for name, data in article.images.items():
                write_new(issue / name, data)
                written.append(issue / name)
            write_new(article.article, article.text.encode("utf-8"))
            written.append(article.article)
            fixed = lint_fixes(article, issue)
            if fixed != article.text:
                article.article.write_text(fixed, encoding="utf-8")
                article.text = fixed
        from press.lint import write_atomically

        write_atomically(issue_file, issue_text)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return imported


def write_new(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet (never overwrite)."""
    with path.open("xb") as stream:
        stream.write(data)
