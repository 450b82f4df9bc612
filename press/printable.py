"""What may be printed: characters a face of the style draws, and titles that print something.

Takes text as the reader will see it — an article file's characters where they stand, and the decoded
values that reach the page another way (YAML escapes in a title, `&#x…;` entities in the Markdown, the
newsletter's settings) — and returns problems for:
* a character no face of the style has (it would print as a blank box or in a foreign font);
* a control character (NUL, form feed, a lone carriage return …), U+FFFD, the mark of text damaged
  in a conversion, or a lone surrogate (U+D800–U+DFFF, which a YAML escape can make: half a character);
* a bidirectional embedding, override or isolate (U+202A–U+202E, U+2066–U+2069): `12345‮67890` would
  print its digits reversed, and no Chinese, English or other text press sets needs one;
and, for titles and other one-line fields, a value that is empty or prints nothing.
"""

import unicodedata
from itertools import groupby
from pathlib import Path

from press.cjk import script_form
from press.fonts import IGNORED, covered_characters, invisible

BIDI_CONTROLS = set(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
REPLACEMENT = "\ufffd"
BLANK_SYMBOLS = "\u2800\u3164\uffa0\u115f\u1160\ufffc"  # blank Braille, Hangul fillers, object replacement


def draws_ink(char: str) -> bool:
    """Whether a character prints something: not a space, control, format or combining character or blank symbol."""
    return not (char.isspace() or unicodedata.category(char)[0] in "CZM" or char in BLANK_SYMBOLS)


def character_problem(char: str, covered: frozenset[str], scripts_set: bool = True) -> str | None:
    """Why a character cannot be printed (a bilingual message), or None if it can.

    With `scripts_set`, a superscript or subscript character counts as its plain form, which is what is
    set (press.cjk sets 10⁻⁶ as 10<sup>−6</sup>); in an SVG figure's text it is drawn as it is.
    """
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "")
    if char in BIDI_CONTROLS:
        return (f"不允许使用文字方向控制符 {code} {name} (a bidirectional control character: it reorders the text "
                "around it, e.g. prints digits reversed; delete it)")
    if unicodedata.category(char) == "Cs":
        return (f"孤立的代理码位 {code} 不是字符，请直接输入该字符 (a lone surrogate {code}: half of a UTF-16 pair, "
                "no character, e.g. from a YAML escape \\ud83d; write the character itself, or \\U0001F600 for one "
                "beyond U+FFFF)")
    if char == REPLACEMENT:
        return (f"替换字符 {code} 表示文字在转换中已损坏，请重新输入 (U+FFFD: the text was damaged in a "
                "conversion; retype it)")
    if unicodedata.category(char) == "Cc" and char not in IGNORED:
        return f"不允许使用控制字符 {code} (a control character {name or repr(char)}: it does not print; delete it)"
    if char in covered or char in IGNORED or invisible(char):
        return None
    plain = script_form(char) if scripts_set else None
    if plain and plain[1] in covered:
        return None
    glyph = f"“{char}” " if char.isprintable() and not char.isspace() else ""
    named = "" if glyph else f" {name or 'an unnamed character'}, invisible"
    return f"字体中没有字符 {glyph}({code}{named}: no font of the style has this character)"


def text_problems(text: str, fonts_dir: Path, stylesheet: str, scripts_set: bool = True) -> list[tuple[int, int, str]]:
    """(line, column, message) for each character of `text` that cannot be printed (lines and columns from 1);
    a run of characters no font has (a Korean title) is one problem, at its first."""
    covered = covered_characters(fonts_dir, stylesheet)
    found: list[tuple[int, int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        checked = [(column, char, character_problem(char, covered, scripts_set))
                   for column, char in enumerate(line, start=1)]
        for uncovered, group in groupby(checked, key=lambda item: bool(item[2] and item[2].startswith(UNCOVERED))):
            group = list(group)
            if uncovered and len(group) > 1:
                chars = "".join(char for _, char, _ in group)
                found.append((number, group[0][0], f"{UNCOVERED} “{chars}” ({len(chars)} characters from "
                              f"U+{ord(chars[0]):04X}: no font of the style has them)"))
            else:
                found += [(number, column, message) for column, _, message in group if message]
    return found


UNCOVERED = "字体中没有字符"


def breaks_line(text: str) -> bool:
    """Whether text holds a line break of any kind (\\n, \\r, U+2028 …) or a control character other than a tab:
    a mail header's value must not (a second line is a second header to a server, or an error)."""
    return any((unicodedata.category(char) == "Cc" and char != "\t") or char in "\u2028\u2029" for char in text)


def field_problem(name: str, value: str, fonts_dir: Path, stylesheet: str) -> str | None:
    """Why a one-line field's decoded value (a title, a byline, a section's name) cannot be printed, or None."""
    if not any(draws_ink(char) for char in value):
        return (f"{name} 为空或只有空白 ({name} is empty or prints nothing: only spaces, U+3000 or invisible "
                "characters)")
    if "\n" in value or "\r" in value:
        return f"{name} 中有换行 ({name} holds a line break: write it on one line)"
    covered = covered_characters(fonts_dir, stylesheet)
    for char in dict.fromkeys(value):
        if (message := character_problem(char, covered)) is not None:
            return f"{name}：{message}"
    return None
