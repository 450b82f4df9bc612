"""Chinese text rules applied to the rendered HTML: Han–Latin spacing and unbreakable marks.

Also the character classes the other Chinese rules share (justify, measure, lint).

Takes the issue's HTML (made by press: well-formed tags, escaped text) and
returns it with
* one space between a Han character and an adjacent Latin letter or digit
  where the source has none (clreq §3.2.2: about ¼ em; a space of the body
  fonts is 0.23–0.26 em, and WeasyPrint drops it at a line end).  Never
  inside URLs, code or the page's <head>; never across a paragraph or a
  footnote's edge;
* a WORD JOINER (U+2060) before a dash or a middle dot, so that —— and ·
  never start a line (Pango lets them; clreq §3.1.4), and after a slash
  before a Latin letter, so that a unit (kWh/kg, TB/s) never breaks at it;
* a ZERO WIDTH SPACE (U+200B) after a closing quote and before an opening
  one beside Han text: Pango treats “ ” as ambiguous quotes and never breaks
  beside them, so no line could end in 。” or start with “.
Both are default-ignorable characters: not drawn, no width.
* superscript and subscript characters (CO₂, 10⁻⁶) set as <sub>/<sup> of
  their plain forms, in the face of the text around (the CJK faces have no
  glyphs for most of them); ¹ ² ³ ⁴ alone are left to the faces, which draw them;
* a WORD JOINER after the space between a number and the unit or Han
  character after it (`200 ℃`, `30 %`, `5 倍`): no line breaks after a space
  followed by a joiner (UAX 14), so a number never ends a line apart from its
  unit.  The space stays a space: a no-break space would come back from the
  PDF's text as U+00A0 in every word space of that font;
* the last two characters (besides punctuation) of every paragraph, list
  item, caption and footnote bound by word joiners, so that a paragraph's last
  line never holds one character alone (段末孤字): the line before gives up a
  character instead, and justification spreads that one em over the line.
"""

import re
import unicodedata
from html import escape, unescape
from itertools import groupby

from press import ids

OPENING = "（《「『“‘〈【〔〖［｛"
CLOSING = "，。、；：？！）》」』”’〉】〕〗］｝"
FULL_WIDTH_MARKS = OPENING + CLOSING
WORD_JOINER = "\u2060"
ZERO_WIDTH_SPACE = "\u200b"
NO_BREAK_SPACE = "\u00a0"
NO_LINE_START = "—·～〜"  # and the wave dash of a range (30 %～50 %)
OPENING_QUOTES = "“‘"
CLOSING_QUOTES = "”’"
TAG = re.compile(r"(<[^>]*>)")
ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")
URL = re.compile(r"(?:https?://|www\.)[!-;=?-~]*")  # printable ASCII but < and >
SKIPPED = {"head", "code", "pre", "kbd", "samp", "script", "style", "title"}
BLOCKS = {"p", "li", "ul", "ol", "div", "section", "article", "nav", "main", "h1", "h2", "h3",
          "h4", "h5", "h6", "td", "th", "tr", "table", "figure", "figcaption", "br", "body", "html",
          "blockquote", "hr", "img"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6", "title"}
VOID = {"br", "hr", "img", "meta", "link", "col", "input", "source", "wbr"}
NO_AUTOSPACE_CLASS = "no-autospace"
TAIL_ENDS = {"p", "li", "figcaption", "dd", "td", "th"}  # blocks whose last line must not hold a character alone
TAIL_LENGTH = 2  # characters besides punctuation that a paragraph's last line holds at least
UNIT = re.compile(r"(?:[%％‰℃°]|(?:[numµμkMGT]?(?:m|g|t|L|Pa|W|Wh|V|A|Ah|Hz|s|eV|J|mol|K|Ω)|cm|mm|km|mL|kWh|"
                  r"mAh|h|min|ppm|dB|wt%|at%)(?![A-Za-z]))")  # a unit a number stands before
NUMBER_SPACE = re.compile(rf"(?<=[0-9]) (?={UNIT.pattern}|[\u3400-\u9fff])")  # 200 ℃, 30 %, 5 倍: kept together


SCRIPT_TAGS = {"<super>": "sup", "<sub>": "sub"}
KEPT_SCRIPTS = "¹²³⁴"


def script_form(char: str) -> tuple[str, str] | None:
    """("sup" or "sub", the plain character) for a superscript or subscript character: ⁻ → ("sup", "−")."""
    tag = SCRIPT_TAGS.get(unicodedata.decomposition(char).partition(" ")[0])
    return (tag, unicodedata.normalize("NFKC", char)) if tag else None


SCRIPTS = "".join(char for char in map(chr, [0xB2, 0xB3, 0xB9, *range(0x2070, 0x20A0)]) if script_form(char))
SCRIPT_RUN = re.compile(f"[{SCRIPTS}]+")


def script_pieces(text: str) -> list[tuple[str, str | None]]:
    """Text cut into plain pieces (tag None) and runs to set as <sup> or <sub> of plain characters.

    10⁻⁶ → [("10", None), ("−6", "sup")]; a run of ¹²³⁴ only stays as it is.
    """
    pieces: list[tuple[str, str | None]] = []
    position = 0
    for run in SCRIPT_RUN.finditer(text):
        if all(char in KEPT_SCRIPTS for char in run.group()):
            continue
        pieces.append((text[position:run.start()], None))
        forms = [script_form(char) for char in run.group()]
        for tag, group in groupby(forms, key=lambda form: form[0]):
            pieces.append(("".join(plain for _, plain in group), tag))
        position = run.end()
    pieces.append((text[position:], None))
    return [(piece, tag) for piece, tag in pieces if piece]


def is_han(char: str) -> bool:
    """True for ideographs (and kana), the characters Chinese text is made of."""
    code = ord(char)
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x3FFFF
            or 0xF900 <= code <= 0xFAFF or 0x3040 <= code <= 0x30FF or char == "〇")


def is_cjk(char: str) -> bool:
    """True for characters set on the CJK em grid: Han, CJK punctuation, full-width forms."""
    code = ord(char)
    return (is_han(char) or char in FULL_WIDTH_MARKS or 0x3000 <= code <= 0x303F
            or 0xFF00 <= code <= 0xFFEF or char == "·")


# is_cjk as a regular-expression class, to scan a whole line at C speed (press.justify); the same
# characters as is_cjk, code point for code point (tests/test_cjk.py)
CJK_RANGES = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x3FFFF), (0xF900, 0xFAFF), (0x3040, 0x30FF),
              (0x3000, 0x303F), (0xFF00, 0xFFEF))
CJK_CLASS = "".join(f"{re.escape(chr(low))}-{re.escape(chr(high))}" for low, high in CJK_RANGES) + re.escape(
    "".join(sorted(set(FULL_WIDTH_MARKS) | {"〇", "·"})))


def is_latin(char: str) -> bool:
    """A Latin (Greek, Cyrillic …) letter or digit: a half-width alphanumeric."""
    if is_han(char) or unicodedata.east_asian_width(char) in "WF":
        return False
    category = unicodedata.category(char)
    return category[0] == "L" or category == "Nd"


def needs_space(before: str, after: str) -> bool:
    """Do these two adjacent characters want a Han–Latin space between them?"""
    return (is_han(before) and is_latin(after)) or (is_latin(before) and is_han(after))


def apply_text_rules(html: str) -> str:
    """The document with Han–Latin spaces, word joiners and break marks added to its text, the first of two
    full-width marks that an inline tag parts (`：<strong>“`) squeezed, and each heading's own text kept
    for its bookmark."""
    out: list[str] = []
    stack: list[tuple[str, bool, bool]] = []  # (tag name, ends a text flow, text left alone)
    # Headings (and so bookmarks) get spaces but no break marks: those would show in a PDF outline.
    previous = ""  # the last character of text in the current flow
    last_text = None  # index in `out` of the text that `previous` ends, when a tag has come since
    headings: list[tuple[int, list[str]]] = []  # open headings: index of the opening tag in `out`, raw text
    for part in TAG.split(html):
        if part.startswith("<"):
            out.append(part)
            previous = "" if starts_flow(part) else previous
            stack, ended = follow(stack, part)
            previous = "" if ended else previous
            track_headings(part, out, headings)
        elif any(left_alone for _, _, left_alone in stack):
            previous = code_span_text(part, previous, stack, out)
        elif part:
            for _, raw in headings:
                raw.append(part)
            if last_text is not None and previous in FULL_WIDTH_MARKS and part[0] in FULL_WIDTH_MARKS:
                out[last_text] = squeezed_last(out[last_text])
            if last_text is not None and is_han(previous) and is_latin(units(part)[0][0]):
                out[last_text] += " "  # the Han–Latin space on the Han side (显 <em>GaN</em>): there
                previous = " "  # justification keeps it ¼ em, as it does within one run
            breaks = not any(name in HEADINGS for name, _, _ in stack)
            for piece, tag in script_pieces(part):
                text, previous = space_text(piece, previous, breaks)
                out.append(f"<{tag}>{text}</{tag}>" if tag else text)
            last_text = len(out) - 1
            continue
        last_text = last_text if previous else None
    return bind_paragraph_ends("".join(out))


def code_span_text(part: str, previous: str, stack: list, out: list[str]) -> str:
    """Add the text of an element left alone; return the character text after it is spaced against.

    Inside a code span nothing is added, but the span stands in the sentence like a word: Han text
    beside it gets its space (`溶液的<code>pH</code>值` → `溶液的 <code>pH</code> 值`).  Other such
    elements (a code block, the head) end the text flow.
    """
    inline = [name for name, _, left_alone in stack if left_alone] == ["code"] and "pre" not in {
        name for name, _, _ in stack}
    if not (inline and part):
        out.append(part)
        return ""
    first, last = (unit[0] for unit in (units(part)[0], units(part)[-1]))  # an entity (&lt;) counts as &
    if previous and out and out[-1].startswith("<code") and needs_space(previous, first):
        out.insert(len(out) - 1, " ")
    out.append(part)
    return last


SQUEEZE_CLASS = "press-squeeze"  # layout's own stylesheet sets it with the font's `halt` feature
BOOKMARK_ATTRIBUTE = "data-bookmark"  # a heading's text as written, for its bookmark (layout's stylesheet)


def squeezed_last(text: str) -> str:
    """A text whose last character, a full-width mark, is set half-width (the first of a pair across a tag)."""
    return f'{text[:-1]}<span class="{SQUEEZE_CLASS}">{text[-1]}</span>'


def track_headings(tag: str, out: list[str], headings: list[tuple[int, list[str]]]) -> None:
    """At a heading's end, put its text as written into its opening tag (`data-bookmark`): a bookmark made from
    the laid-out text would flatten 10⁻² to 10−2 and lose the spaces around it."""
    name = tag_name(tag)
    if name not in HEADINGS or name == "title" or tag.endswith("/>"):
        return
    if not tag.startswith("</"):
        headings.append((len(out) - 1, []))
    elif headings:
        index, raw = headings.pop()
        text = " ".join(unescape("".join(raw)).split())
        opening = out[index]
        if text and BOOKMARK_ATTRIBUTE not in opening:
            out[index] = f'{opening[:-1]} {BOOKMARK_ATTRIBUTE}="{escape(text)}">'


def tag_name(tag: str) -> str:
    """The lower-case element name of an opening or closing tag."""
    match = re.match(r"</?\s*([A-Za-z0-9]+)", tag)
    return match.group(1).lower() if match else ""


def starts_flow(tag: str) -> bool:
    """Does text on the two sides of this tag belong to different flows (blocks, footnotes)?"""
    if tag_name(tag) in BLOCKS:
        return True
    classes = CLASSES.search(tag)
    return classes is not None and bool({ids.NOTE_CLASS, ids.CALL_MARK_CLASS} & set(classes.group(1).split()))


CLASSES = re.compile(r'\sclass="([^"]*)"')


def follow(stack, tag: str):
    """The open-element stack after `tag`, and whether closing it ended a text flow."""
    name = tag_name(tag)
    if name in VOID or tag.endswith("/>") or tag.startswith("<!"):
        return stack, False
    if not tag.startswith("</"):
        left_alone = name in SKIPPED or NO_AUTOSPACE_CLASS in tag
        return [*stack, (name, starts_flow(tag), left_alone)], False
    ended = False
    stack = list(stack)
    while stack:
        opened, flow_edge, _ = stack.pop()
        ended = ended or flow_edge
        if opened == name:
            break
    return stack, ended


def space_text(text: str, previous: str, breaks: bool = True) -> tuple[str, str]:
    """One run of escaped text with the rules applied; also the run's last character."""
    pieces: list[str] = []
    position = 0
    for url in URL.finditer(text):
        spaced, _ = space_plain(text[position:url.start()], previous, breaks)
        pieces.append(spaced + url.group())
        previous, position = "/", url.end()  # nothing is spaced against a URL
    spaced, previous = space_plain(text[position:], previous, breaks)
    pieces.append(spaced)
    return "".join(pieces), previous



def space_plain(text: str, previous: str, breaks: bool = True) -> tuple[str, str]:
    """Escaped text without URLs: spaces between Han and Latin; with `breaks`, joiners and break marks."""
    out: list[str] = []
    if breaks:  # the number may end the text before (10<sup>−9</sup> mol): it is looked behind at too
        before = previous[-1:]
        text = NUMBER_SPACE.sub(" " + WORD_JOINER, before + text)[len(before):]
    for unit in units(text):
        char = "&" if unit.startswith("&") and len(unit) > 1 else unit
        if previous and needs_space(previous, char):
            out.append(" " + WORD_JOINER if breaks and previous.isdigit() else " ")
        if breaks and ((char in NO_LINE_START and previous not in ("", char, " "))
                       or (previous == "/" and char.isascii() and char.isalpha())):
            out.append(WORD_JOINER)  # —— and ·; and a unit's slash, which Pango breaks after (kWh/ | kg)
        elif breaks and quote_break(previous, char):
            out.append(ZERO_WIDTH_SPACE)
        out.append(unit)
        previous = char
    return "".join(out), previous


def quote_break(before: str, after: str) -> bool:
    """May a line break between these two, where Pango allows none (quotes are ambiguous to it)?

    A closing quote may end a line before Han text or an opening mark, and an
    opening quote may start a line after Han text or a closing mark (clreq §3.1.4).
    A compound unit may break after its middle dot (`MPa·⏎m¹ᐟ²`): bound to its number
    (`250 MPa·m¹ᐟ²`), it would otherwise go whole to the next line and leave the line
    before it loose.
    """
    if not before:
        return False
    if before == "·":
        return after.isascii() and after.isalpha()
    if before in CLOSING_QUOTES:
        return is_han(after) or after in OPENING
    if after in OPENING_QUOTES:
        return is_han(before) or before in CLOSING
    return False


def units(text: str) -> list[str]:
    """Characters of escaped text, an entity (`&amp;`) counting as one."""
    result: list[str] = []
    position = 0
    for entity in ENTITY.finditer(text):
        result.extend(text[position:entity.start()])
        result.append(entity.group())
        position = entity.end()
    result.extend(text[position:])
    return result


# Paragraph ends ----------------------------------------------------------------------------

OPAQUE_CLASSES = {ids.NOTE_CLASS, ids.CALL_MARK_CLASS, ids.CALL_SEPARATOR_CLASS}
OPAQUE_ELEMENTS = {"code", "kbd", "samp"}  # a tail steps over them as over a word: nothing is added inside


def bind_paragraph_ends(html: str) -> str:
    """The document with the tail of every paragraph, list item, caption and footnote bound (see bind_tail)."""
    parts = TAG.split(html)
    opened: list[tuple[str, int, bool]] = []  # (element name, index of its opening tag, whether it is opaque)
    stepped: dict[int, tuple[int, bool]] = {}  # closing tag → (its opening tag, a word) for elements a tail steps over
    for index, part in enumerate(parts):
        name = tag_name(part) if part.startswith("<") else ""
        if not name or name in VOID or part.endswith("/>"):
            continue
        if not part.startswith("</"):
            opened.append((name, index, is_opaque(name, part)))
            continue
        while opened:
            open_name, open_index, opaque = opened.pop()
            if open_name == name:
                break
        else:
            continue
        if opaque:
            stepped[index] = (open_index, name in OPAQUE_ELEMENTS)
        if name in TAIL_ENDS or (opaque and ids.NOTE_CLASS in classes_of(parts[open_index])):
            bind_tail(parts, open_index, index, stepped)
    return "".join(parts)


def is_opaque(name: str, tag: str) -> bool:
    """Is this element one that a paragraph's tail steps over (a footnote, a call, a code span)?"""
    return name in OPAQUE_ELEMENTS or bool(OPAQUE_CLASSES & classes_of(tag)) or NO_AUTOSPACE_CLASS in tag


def classes_of(tag: str) -> set[str]:
    classes = CLASSES.search(tag)
    return set(classes.group(1).split()) if classes else set()


def bind_tail(parts: list[str], start: int, end: int, stepped: dict[int, tuple[int, bool]]) -> None:
    """Bind the last TAIL_LENGTH characters besides punctuation of the element between parts[start] and parts[end].

    Walking back from the end over text and inline tags (footnotes and calls stepped over, a code span
    counted as a word, a nested block or a line break ending the walk), each tail character gets a word
    joiner before it where a line could break (after a space too), and a break mark (U+200B) becomes
    a joiner.
    """
    tail: list[tuple[int, int]] = []  # (part index, unit index), last first
    count, index = 0, end - 1
    while index > start and count < TAIL_LENGTH:
        part = parts[index]
        if part.startswith("<"):
            if index in stepped:
                index, word = stepped[index]
                count += TAIL_LENGTH if word else 0
                tail.append((index, -1))
            elif tag_name(part) in BLOCKS:
                break
            index -= 1
            continue
        pieces = units(part)
        for position in range(len(pieces) - 1, -1, -1):
            if count >= TAIL_LENGTH:
                break
            tail.append((index, position))
            count += counts_in_tail(pieces[position])
        index -= 1
    join_tail(parts, tail[::-1])


def counts_in_tail(unit: str) -> bool:
    """Does this character count towards a last line's length (not punctuation, a space or a mark)?"""
    if len(unit) > 1:
        return True  # an entity: &amp; &lt;
    return unicodedata.category(unit)[0] not in "PZC"


def join_tail(parts: list[str], tail: list[tuple[int, int]]) -> None:
    """Put a word joiner before each tail character that a line could break before (see bind_tail)."""
    edits: dict[int, dict[int, str]] = {}
    previous = ""
    for index, position in tail:
        if position < 0:  # a stepped-over element: joined to the characters on both sides
            if previous not in ("", NO_BREAK_SPACE):
                parts[index] = WORD_JOINER + parts[index]
            previous = "x"
            continue
        unit = units(parts[index])[position]
        replacement = unit
        if unit == ZERO_WIDTH_SPACE:
            replacement = WORD_JOINER
        elif unit == WORD_JOINER:
            pass
        elif previous and previous not in (NO_BREAK_SPACE, WORD_JOINER) and not both_latin(previous, unit) and (
                unit not in (" ", NO_BREAK_SPACE)):
            replacement = WORD_JOINER + unit
        edits.setdefault(index, {})[position] = replacement
        previous = replacement[-1]
    for index, changes in edits.items():
        pieces = units(parts[index])
        parts[index] = "".join(changes.get(position, piece) for position, piece in enumerate(pieces))


def both_latin(before: str, after: str) -> bool:
    """Two ASCII letters or digits: no line breaks between them anyway, and a joiner would part their kerning."""
    return before.isascii() and after.isascii() and before.isalnum() and after.isalnum()
