"""Footnotes, from the source to the page: everything press does about them, in one place.

* **Source** (called by `markup`): a Markdown article's parsed tokens → its `Footnote`s, numbered
  through the issue in the order of their first call, with the problems of their labels (a call
  without text, a text never called or defined twice, a note called twice, called inside a note,
  holding an image or more than one paragraph, called in a table's header row).
* **HTML**: a call becomes an empty mark where it stands (`fn-call-N`, whose page is the call's page)
  and the note's text floated there (`float: footnote`, id `fn-N`); adjacent calls `[^a][^b]` are
  printed with a comma between them, as journals print ²,³.
* **Line layout** (`install`): WeasyPrint 70 moves the footnotes already on a page to the next page
  to make room for a line that widows or orphans rules hold back; press turns that rule off.
* **Pages** (called by `layout`): which notes did not land on their call's page, and which block to
  move to the next page so that they do; the error for a note that cannot be placed.

Made for WeasyPrint 70.0 only: `install` refuses a WeasyPrint whose function does not contain the
rule exactly once.
"""

import inspect
import re
import textwrap
import unicodedata
from bisect import bisect_right
from itertools import takewhile
from typing import TYPE_CHECKING

from markdown_it.token import Token

from press import ids
from press.errors import Kind, LayoutError, LineProblem, display_path
from press.model import Footnote, Issue

if TYPE_CHECKING:
    from press.layout import Layout

STRAY_CALL = re.compile(r"\[\^([^\]\s]+)\](?!:)")
DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:")
LONG_WORD = 20  # characters without a break opportunity



# The source --------------------------------------------------------------------------------------


def collect(tokens: list[Token], env: dict, first_number: int, line_offset: int, lines: list[str],
            render) -> tuple[list[Footnote], list[LineProblem]]:
    """Number the footnotes in the order of their first call and render their text with `render(tokens)`;
    also every problem of their calls and definitions.  `lines` are the body's source lines."""
    problems: list[LineProblem] = []
    labels = {ident: entry["label"] for ident, entry in env.get("footnotes", {}).get("list", {}).items()}
    definitions = definition_tokens(tokens)
    definition_lines = {line + line_offset for _, line in definitions.values()}
    called: list[str] = []
    seen: set[str] = set()  # a list's `in` grew with the square of the notes
    for token in walk_inline(tokens):
        if token.type != "footnote_ref":
            continue
        label = labels[token.meta["id"]]
        line = token.meta.get("line", 0) + line_offset
        if label in seen and line not in definition_lines:
            problems.append((line, last_column(lines, line - line_offset, f"[^{label}]"),
                             f"脚注 [^{label}] 被引用了两次 (footnote called twice)", Kind.FOOTNOTE_TWICE))
        else:
            called.append(label)
            seen.add(label)
    for label, (inner, line) in definitions.items():
        problems += definition_problems(label, inner, line + line_offset)
    footnotes = []
    for index, label in enumerate(called):
        inner, line = definitions[label]
        text = "".join(child.content for token in inner for child in token.children or []
                       if child.type in ("text", "text_special", "code_inline"))
        html = without_paragraph(render(inner).strip()).replace("\n", " ")  # WeasyPrint breaks a note's line there
        footnotes.append(Footnote(first_number + index, label, html, text, line + line_offset))
    return footnotes, problems


def definition_problems(label: str, inner: list[Token], line: int) -> list[LineProblem]:
    """What a note's text may not hold: a call, an image, more than one paragraph (or a list, a table …)."""
    problems = []
    children = [child for token in inner for child in token.children or []]
    if any(child.type == "footnote_ref" for child in children):
        problems.append((line, 1, f"脚注 [^{label}] 的内容中又引用了脚注 (a footnote's text cannot call a footnote)",
                         Kind.FOOTNOTE_NESTED))
    if any(child.type == "image" for child in children):
        problems.append((line, 1, f"脚注 [^{label}] 中不能放图片 (a footnote cannot hold an image)",
                         Kind.FOOTNOTE_IMAGE))
    if sum(token.type == "paragraph_open" for token in inner) > 1 or any(
            token.type not in ("paragraph_open", "paragraph_close", "inline") for token in inner):
        problems.append((line, 1, f"脚注 [^{label}] 只能是一段文字 (a footnote is one paragraph: no second paragraph, "
                         "list, quote, table or code block; move the rest into the body)", Kind.FOOTNOTE_SHAPE))
    return problems


def definition_tokens(tokens: list[Token]) -> dict[str, tuple[list[Token], int]]:
    """Each defined footnote's text tokens and the 1-based line of its definition in the body."""
    found: dict[str, tuple[list[Token], int]] = {}
    current: list[Token] | None = None
    for token in tokens:
        if token.type == "footnote_open":
            label, current = token.meta["label"], []
        elif token.type == "footnote_close":
            line = next((tok.map[0] + 1 for tok in current if tok.map), 0)
            found[label] = (current, line)
            current = None
        elif current is not None and token.type != "footnote_anchor":
            current.append(token)
    return found


def without_definitions(tokens: list[Token]):
    """The tokens of the body, without the footnote definitions the plugin gathers at the end."""
    inside = False
    for token in tokens:
        if token.type == "footnote_block_open":
            inside = True
        elif token.type == "footnote_block_close":
            inside = False
        elif not inside:
            yield token


def walk_inline(tokens: list[Token]):
    """Every inline child of the tokens, each knowing the (body) line of its block in meta["line"]."""
    for token in tokens:
        for child in token.children or []:
            child.meta.setdefault("line", token.map[0] + 1 if token.map else 0)
            yield child


def last_column(lines: list[str], number: int, needle: str) -> int:
    """The column of the last `needle` on body line `number` (1 when it cannot be found)."""
    text = lines[number - 1] if 0 < number <= len(lines) else ""
    return text.rfind(needle) + 1 or 1


def without_paragraph(html: str) -> str:
    """A footnote's text is inline: drop the <p> wrapper of a one-paragraph note."""
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


def stray_calls(tokens: list[Token], lines: list[str], line_offset: int) -> list[LineProblem]:
    """Calls whose label no definition gives: the parser leaves them in the text as typed (code keeps its own)."""
    problems = []
    for token in tokens:
        line = token.map[0] if token.map else 0
        for child in token.children or []:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "text":
                source = lines[line] if line < len(lines) else ""
                problems += [(line + 1 + line_offset, source.find(match.group()) + 1 or 1,
                              f"脚注 [^{match.group(1)}] 没有内容 (footnote call without text)", Kind.FOOTNOTE_MISSING)
                             for match in STRAY_CALL.finditer(child.content)]
    return problems


def unused_definitions(lines: list[str], called: set[str], line_offset: int) -> list[LineProblem]:
    """Footnote texts defined twice, or never called."""
    seen: dict[str, int] = {}
    problems = []
    for number, line in enumerate(lines, start=1):
        match = DEFINITION.match(line)
        if not match:
            continue
        label = match.group(1)
        if label in seen:
            first = seen[label] + line_offset
            problems.append((number + line_offset, 1, f"脚注 [^{label}] 重复定义，首次在第 {first} 行 "
                             "(footnote defined twice)", Kind.FOOTNOTE_DEFINED_TWICE))
            continue
        seen[label] = number
        if label not in called:
            problems.append((number + line_offset, 1, f"脚注 [^{label}] 有内容但正文中没有引用 (footnote text never "
                             "called)", Kind.FOOTNOTE_UNUSED))
    return problems


def header_calls(tokens: list[Token], line_offset: int, lines: list[str]) -> list[LineProblem]:
    """Calls in a table's header row: the row repeats on every page the table spans, the note does not."""
    problems, in_header = [], False
    for token in tokens:
        if token.type in ("thead_open", "thead_close"):
            in_header = token.type == "thead_open"
        elif in_header and token.type == "inline":
            for child in token.children or []:
                if child.type == "footnote_ref":
                    label = child.meta["label"]
                    text = lines[token.map[0]] if token.map[0] < len(lines) else ""
                    problems.append((token.map[0] + 1 + line_offset, text.find(f"[^{label}]") + 1 or 1,
                                     f"脚注 [^{label}] 不能放在表头：表格跨页时表头重复，脚注只排一次；"
                                     "请放在表题或表格正文 "
                                     "(a footnote call in a table's header row repeats on every page the table spans, "
                                     "its note does not: put it in the caption or a body cell)", Kind.FOOTNOTE_HEADER))
    return problems


def mark_adjacent_calls(tokens: list[Token]) -> None:
    """A call that follows another with nothing but spaces between (`[^a][^b]`, `[^a] [^b]`) is printed
    after a comma (²,³); the spaces between go.  A call stands against the word before it: spaces before
    it (`GaN [^1]`) go too, or a line could break there and start with the call."""
    for token in tokens:
        children = token.children or []
        for index, child in enumerate(children):
            if child.type != "footnote_ref":
                continue
            if index and children[index - 1].type == "text":
                children[index - 1].content = children[index - 1].content.rstrip(" \t")
            before = index - 1
            while before >= 0 and children[before].type == "text" and not children[before].content.strip():
                before -= 1
            if before >= 0 and children[before].type == "footnote_ref":
                child.meta["after_call"] = True
                for between in children[before + 1:index]:
                    between.content = ""


# The HTML ----------------------------------------------------------------------------------------


def render_call(token: Token, notes: dict[str, Footnote]) -> str:
    """A call: a comma after an adjacent call, an empty mark of the call's place, then the floated note text."""
    note = notes.get(token.meta["label"])
    if note is None:  # a second call of the same note, or a call inside a note's text: reported as problems
        return ""
    separator = f'<span class="{ids.CALL_SEPARATOR_CLASS}">,</span>' if token.meta.get("after_call") else ""
    long_first = " long-first-word" if opens_with_long_word(note.text) else ""
    return (f'{separator}<span class="{ids.CALL_MARK_CLASS}" id="{ids.call_id(note.number)}"></span>'
            f'<span class="{ids.NOTE_CLASS}{long_first}" id="{ids.note_id(note.number)}">{note.html}</span>')


def opens_with_long_word(text: str) -> bool:
    """Whether a note's text opens with a long run of half-width characters and no space (a sequence, a URL).

    WeasyPrint 70 cannot break such a run right after the note's number
    (overflow-wrap finds no place); the style lets it break anywhere instead.
    """
    run = takewhile(lambda char: not char.isspace() and unicodedata.east_asian_width(char) not in "WF", text.lstrip())
    return sum(1 for _ in run) >= LONG_WORD


# The line layout: WeasyPrint's adapter -----------------------------------------------------------

REPORT_TO_FIT_LINE = "report = not context.in_column and can_break_now and not could_break_before"
NEVER_REPORT = "report = False"

_original_linebox_layout = None  # WeasyPrint is imported when a layout needs it, not with the loader
_patched_linebox_layout = None


def install() -> None:
    """Keep footnotes with their calls in WeasyPrint's line layout (idempotent).

    When a paragraph's next line does not fit and widows or orphans forbid a break right there,
    WeasyPrint 70 first "reports" the footnotes already on the page, moving their texts to the next
    page while their calls stay, to make room for that line.  A publisher never does that.  The
    patched `weasyprint.layout.block._linebox_layout` reports none; WeasyPrint then breaks the
    paragraph earlier, as it does for a page without footnotes.  Measured on an issue 16 times the
    sample's length (174 pages): without it 4 footnotes land a page late and `lay_out_verified` needs
    5 full layouts to correct them; with it, none, and one layout suffices.
    """
    global _original_linebox_layout, _patched_linebox_layout
    from weasyprint.layout import block

    if _patched_linebox_layout is None:
        _original_linebox_layout = block._linebox_layout
        _patched_linebox_layout = patched(_original_linebox_layout)
    block._linebox_layout = _patched_linebox_layout


def uninstall() -> None:
    """Give WeasyPrint its own footnote placement back (for tests that compare)."""
    from weasyprint.layout import block

    if _original_linebox_layout is not None:
        block._linebox_layout = _original_linebox_layout


def patched(function):
    """The function compiled again from its source with the reporting rule replaced."""
    from weasyprint.layout import block

    from press.justify import WEASYPRINT_VERSION, WeasyPrintMismatch

    lines, first_line = inspect.getsourcelines(function)
    source = "\n" * (first_line - 1) + textwrap.dedent("".join(lines))  # tracebacks keep WeasyPrint's lines
    if source.count(REPORT_TO_FIT_LINE) != 1:
        raise WeasyPrintMismatch(
            f"press.footnotes was made for WeasyPrint {WEASYPRINT_VERSION}: "
            f"{function.__module__}.{function.__name__} no longer has the rule it replaces")
    code = compile(source.replace(REPORT_TO_FIT_LINE, NEVER_REPORT), inspect.getsourcefile(function), "exec")
    defined: dict = {}
    exec(code, vars(block), defined)  # WeasyPrint's own source with one line changed
    return defined[function.__name__]


# The pages ---------------------------------------------------------------------------------------


def misplaced(issue: Issue, layout: "Layout", notes: list[Footnote] | None = None) -> list[Footnote]:
    """Footnotes (of `notes`, or of the issue) whose text is missing or not on the page of their call."""
    return [note for note in (issue.footnotes if notes is None else notes)
            if layout.page_of(ids.note_id(note.number)) is None
            or layout.page_of(ids.note_id(note.number)) != layout.page_of(ids.call_id(note.number))]


def first_per_stretch(layout: "Layout", notes: list[Footnote]) -> list[Footnote]:
    """The first misplaced footnote of each stretch of pages that a forced page break begins.

    A block pushed inside one stretch moves pages only up to the next forced
    break, so the footnotes of other stretches stay where this layout saw them.
    """
    firsts: dict[int, Footnote] = {}
    for note in notes:
        page = layout.page_of(ids.call_id(note.number)) or 0
        firsts.setdefault(bisect_right(layout.forced_breaks, page), note)
    return list(firsts.values())


def block_to_push(issue: Issue, layout: "Layout", note: Footnote) -> str | None:
    """The last block that starts on the call's page, unless it is that page's first content.

    Pushing a page's first content would only move the problem to the next page.
    """
    page = layout.page_of(ids.call_id(note.number))
    blocks = issue.blocks
    on_page = [index for index, block_id in enumerate(blocks) if layout.page_of(block_id) == page]
    if not on_page:
        return None
    last = on_page[-1]
    continued = last > 0 and layout.page_of(blocks[last - 1]) == (page or 0) - 1
    if last == on_page[0] and not continued:
        return None
    return blocks[last]


def unplaceable(issue: Issue, layout: "Layout", note: Footnote) -> LayoutError:
    """The error for a footnote whose text press cannot keep on its call's page, at the note's source line."""
    article = next((article for article in issue.pieces if note in article.footnotes), None)
    where = f"{display_path(article.path)}:{note.line}: " if article else ""
    page = layout.page_of(ids.call_id(note.number))
    if page is None:
        return LayoutError(f"{where}脚注 {note.number} 的引用不在版面上 (footnote {note.number} is called nowhere in "
                           "the laid-out pages: does the template print every article's body?)")
    folio = layout.folio(page)
    label = f"第 {folio} 页" if folio else f"PDF 第 {page + 1} 页"
    return LayoutError(
        f"{where}脚注 {note.number} 无法与其引用排在同一页（引用在{label}），多半是脚注太长 (footnote "
        f"{note.number}, called on page {folio or page + 1}, cannot be kept on that page: is it too long "
        f"for the space below its call? footnote text: {note.text[:40]!r})")
