"""The WeasyPrint adapter: it is installed, pinned, and WeasyPrint has not changed under it."""

import hashlib
import inspect

import pytest
import weasyprint
from hypothesis import given, settings
from hypothesis import strategies as st
from weasyprint.draw import text as draw_text
from weasyprint.layout import inline
from weasyprint.text import line_break

from press import justify

# sha256 of the source of every WeasyPrint function the adapter replaces or relies on, taken
# from WeasyPrint 70.0.  A change means: read the new code, re-check press/justify.py, update.
FINGERPRINTS = {
    "draw_text.draw_text": "ebaf96239c6ca363",
    "inline.add_word_spacing": "879516e71f1b80fa",
    "inline.justify_line": "f83b21ff8793ba6b",
    "inline.remove_last_whitespace": "53f0c79c9fbbda50",
    "inline.split_text_box": "8c564329599ef23f",  # calls split_first_line, which the adapter wraps
    "inline.text_align": "e953d41b87ccfc30",
    "line_break.Layout.reactivate": "0b89ee097104b713",
    "line_break.Layout.set_text": "fe23ca9937dbf520",
    "line_break.create_layout": "6587192cc0ab3ffa",
    "line_break.line_size": "03fa04fd51fc69aa",
    "line_break.split_first_line": "39ad1016863ca34d",  # looks up hyphenation patterns through line_break.pyphen
}

ORIGINALS = {
    "inline.justify_line": justify._original_justify_line,
    "inline.remove_last_whitespace": justify._original_remove_last_whitespace,
    "inline.split_text_box": inline.split_text_box,
    "inline.add_word_spacing": inline.add_word_spacing,
    "inline.text_align": inline.text_align,
    "line_break.Layout.set_text": justify._original_set_text,
    "line_break.Layout.reactivate": line_break.Layout.reactivate,
    "line_break.create_layout": line_break.create_layout,
    "line_break.line_size": line_break.line_size,
    "line_break.split_first_line": line_break.split_first_line,
    "draw_text.draw_text": draw_text.draw_text,
}


def fingerprint(function) -> str:
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()[:16]


@pytest.mark.parametrize("name", sorted(FINGERPRINTS))
def test_weasyprint_code_under_the_adapter_is_unchanged(name):
    assert fingerprint(ORIGINALS[name]) == FINGERPRINTS[name], (
        f"WeasyPrint's {name} changed: re-check press/justify.py against it, then update the fingerprint")


def test_the_pinned_version_is_installed():
    assert weasyprint.__version__ == justify.WEASYPRINT_VERSION


def test_install_refuses_another_weasyprint(monkeypatch):
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    with pytest.raises(justify.WeasyPrintMismatch, match=r"made for WeasyPrint 70\.0"):
        justify.install()


def test_install_replaces_the_two_functions_and_the_patterns_and_uninstall_restores_them():
    import pyphen

    justify.install()
    assert inline.justify_line is justify.justify_line
    assert line_break.Layout.set_text is justify.set_text
    assert line_break.pyphen is justify.LatinHyphenation
    assert inline.split_first_line is justify.split_first_line
    assert inline.remove_last_whitespace is justify.remove_last_whitespace
    justify.uninstall()
    assert inline.split_first_line is justify._original_split_first_line
    assert inline.remove_last_whitespace is justify._original_remove_last_whitespace
    assert inline.justify_line is justify._original_justify_line
    assert line_break.Layout.set_text is justify._original_set_text
    assert line_break.pyphen is pyphen
    justify.install()


def test_chinese_text_hyphenates_its_latin_words_by_english_patterns():
    fallback = justify.LatinHyphenation.language_fallback
    assert fallback("zh-Hans") == fallback("zh-Hant") == fallback("ja") == "en"
    assert fallback("en-US") == "en_US" and fallback("de") == "de" and fallback("xx") is None
    assert list(justify.LatinHyphenation.Pyphen(lang=fallback("zh-Hans")).iterate("材料研究")) == []


def test_kinds_tell_han_han_latin_gaps_and_word_spaces_apart():
    H, G, W = justify.HAN, justify.GAP, justify.WORD
    assert justify.char_kinds("中文，") == [H, H, H]
    assert justify.char_kinds("two words") == [None, None, None, W, None, None, None, None, None]
    assert justify.char_kinds("用 GaN 器") == [H, G, None, None, None, G, H]
    assert justify.char_kinds("5 \u2060倍") == [None, G, None, H]  # a joined number and its unit
    assert justify.char_kinds("——……") == [None, None, None, None]


def test_in_latin_text_a_space_beside_a_quote_is_a_word_space():
    """An English issue: the spaces of an “AI system” stretch as the other word spaces do (they were Han–Latin
    gaps, which stretch by a third as much, and read `an“AI` on a justified line)."""
    H, G, W = justify.HAN, justify.GAP, justify.WORD
    text = "an “AI system” and ‘it’ too"
    kinds = justify.char_kinds(text, latin=True)
    assert [kinds[index] for index, char in enumerate(text) if char == " "] == [W] * 5
    assert all(kind is None for char, kind in zip(text, kinds, strict=True) if char != " ")
    assert justify.char_kinds("a \u2060“b”\u00a0c", latin=True) == [None, W, None, None, None, None, W, None]
    assert justify.char_kinds("the “中” ok", latin=True) == [None, None, None, W, None, H, None, W, None, None]
    assert justify.char_kinds("用 “x” 器", latin=True) == [H, G, None, None, None, G, H]  # Han beside: still the gap
    assert justify.char_kinds("an “AI”") == [None, None, G, H, None, None, H]  # Chinese text: unchanged


def test_only_the_first_of_two_adjacent_marks_is_squeezed():
    assert justify.squeezed_indices("他说：“好。”然后，（1）") == [2, 5, 9]


def test_kind_runs_group_equal_kinds():
    assert justify.kind_runs("中文 GaN 器件 in situ") == [
        (0, 2, "han"), (2, 3, "gap"), (6, 7, "gap"), (7, 9, "han"), (9, 10, "gap"), (12, 13, "word")]


def test_slack_goes_to_word_spaces_and_gaps_first_then_to_han_up_to_its_bound():
    em = 10.0
    kinds = [justify.HAN] * 20 + [justify.GAP] + [None] * 5 + [justify.WORD] + [None] * 5 + [justify.GAP] + [
        justify.HAN] * 20
    small = justify.spacing_for(kinds, 0.5 * (justify.WORD_STRETCH + 2 * justify.GAP_STRETCH) * em, em)
    assert small[justify.HAN] == 0 and small[justify.WORD] == pytest.approx(justify.WORD_STRETCH * em / 2)
    larger = justify.spacing_for(kinds, 3 * em, em)
    assert 0 < larger[justify.HAN] < justify.HAN_STRETCH * em
    assert larger[justify.WORD] == pytest.approx(justify.WORD_STRETCH * em + larger[justify.HAN])
    assert larger[justify.GAP] + larger[justify.HAN] / 2 == pytest.approx(justify.GAP_STRETCH * em)
    huge = justify.spacing_for(kinds, 20 * em, em)
    assert huge[justify.HAN] == pytest.approx(justify.HAN_STRETCH * em)  # the rest goes to the word space
    assert added_width(kinds, huge) == pytest.approx(20 * em)
    assert justify.spacing_for([None] * 8, em, em) is None  # nothing to widen: letter-spaced instead


def added_width(kinds, spacing) -> float:
    """What a line of these kinds gains with this spacing: each character's, less the line's outer halves."""
    amounts = [spacing.get(kind, 0) if kind else 0 for kind in kinds]
    return sum(amounts) - (amounts[0] + amounts[-1]) / 2


LINE_KINDS = st.lists(st.sampled_from([justify.HAN, justify.GAP, justify.WORD, None]), min_size=2, max_size=60)


@settings(max_examples=500, deadline=None)
@given(LINE_KINDS, st.floats(0, 400))
def test_the_spacing_widens_the_line_by_its_slack_exactly(kinds, extra):
    spacing = justify.spacing_for(kinds, extra, 14.0)
    if spacing is not None:
        assert added_width(kinds, spacing) == pytest.approx(extra, abs=1e-6)


def reference_kinds(text: str, latin: bool = False) -> list[str | None]:
    """char_kinds as the rule says it, character by character (what the regular expressions must equal); in
    `latin` text ‘ ’ “ ” are Latin marks, as a letter is."""
    from press.cjk import is_cjk as cjk

    def is_cjk(char):
        return cjk(char) and not (latin and char in justify.LATIN_QUOTES)

    def beside_cjk(index):
        before = text[index - 1:index]
        after = text[index + 1:].lstrip(justify.INVISIBLE)[:1]
        return is_cjk(before or "a") or is_cjk(after or "a")

    kinds = []
    for index, char in enumerate(text):
        if char in " \u00a0":
            kinds.append(justify.GAP if beside_cjk(index) else justify.WORD)
        else:
            kinds.append(justify.HAN if is_cjk(char) and char not in justify.UNIT_MARKS else None)
    return kinds


def reference_runs(kinds: list[str | None]) -> list[tuple[int, int, str]]:
    runs: list[tuple[int, int, str]] = []
    for index, kind in enumerate(kinds):
        if runs and runs[-1][1] == index and runs[-1][2] == kind:
            runs[-1] = (runs[-1][0], index + 1, kind)
        elif kind:
            runs.append((index, index + 1, kind))
    return runs


LINE_TEXT = st.text(st.one_of(st.sampled_from("中文器件，。“”（）——……·〇ぁ　  \u00a0aZ9-/\u2060\u200b"),
                              st.characters()), max_size=40)


@settings(max_examples=2000, deadline=None)
@given(LINE_TEXT)
def test_kinds_found_by_regular_expressions_are_the_rule_s_character_by_character(text):
    assert justify.char_kinds(text) == reference_kinds(text)
    assert justify.kind_runs(text) == reference_runs(reference_kinds(text))
    assert justify.char_kinds(text, latin=True) == reference_kinds(text, latin=True)
    assert justify.kind_runs(text, latin=True) == reference_runs(reference_kinds(text, latin=True))


LATIN_LINE_TEXT = st.text(st.sampled_from("ab9 \u00a0‘’“”中，——…·\u2060"), max_size=30)  # quotes beside spaces often


@settings(max_examples=1000, deadline=None)
@given(LATIN_LINE_TEXT)
def test_kinds_of_latin_text_found_by_regular_expressions_are_the_rule_s_character_by_character(text):
    assert justify.char_kinds(text, latin=True) == reference_kinds(text, latin=True)
    assert justify.kind_runs(text, latin=True) == reference_runs(reference_kinds(text, latin=True))


def test_the_cjk_class_is_is_cjk_code_point_for_code_point():
    import re

    from press.cjk import CJK_CLASS, is_cjk

    pattern = re.compile(f"[{CJK_CLASS}]")
    assert [point for point in range(0x110000) if bool(pattern.fullmatch(chr(point))) != is_cjk(chr(point))] == []
