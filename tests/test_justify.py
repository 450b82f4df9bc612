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
    "inline.text_align": "e953d41b87ccfc30",
    "line_break.Layout.reactivate": "0b89ee097104b713",
    "line_break.Layout.set_text": "fe23ca9937dbf520",
    "line_break.create_layout": "6587192cc0ab3ffa",
    "line_break.line_size": "03fa04fd51fc69aa",
}

ORIGINALS = {
    "inline.justify_line": justify._original_justify_line,
    "inline.add_word_spacing": inline.add_word_spacing,
    "inline.text_align": inline.text_align,
    "line_break.Layout.set_text": justify._original_set_text,
    "line_break.Layout.reactivate": line_break.Layout.reactivate,
    "line_break.create_layout": line_break.create_layout,
    "line_break.line_size": line_break.line_size,
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


def test_install_replaces_the_two_functions_and_uninstall_restores_them():
    justify.install()
    assert inline.justify_line is justify.justify_line
    assert line_break.Layout.set_text is justify.set_text
    justify.uninstall()
    assert inline.justify_line is justify._original_justify_line
    assert line_break.Layout.set_text is justify._original_set_text
    justify.install()


def test_weights_give_han_and_spaces_a_share_and_keep_han_latin_spaces_fixed():
    assert justify.char_weights("中文，") == [1, 1, 1]
    assert justify.char_weights("two words") == [0, 0, 0, 1, 0, 0, 0, 0, 0]
    assert justify.char_weights("用 GaN 器") == [1, -0.5, 0, 0, 0, -0.5, 1]
    assert justify.char_weights("——……") == [0, 0, 0, 0]


def test_only_the_first_of_two_adjacent_marks_is_squeezed():
    assert justify.squeezed_indices("他说：“好。”然后，（1）") == [2, 5, 9]


def test_weighted_runs_group_equal_weights():
    assert justify.weighted_runs("中文 GaN 器件") == [(0, 2, 1.0), (2, 3, -0.5), (6, 7, -0.5), (7, 9, 1.0)]


def reference_weights(text: str) -> list[float]:
    """char_weights as the rule says it, character by character (what the regular expressions must equal)."""
    from press.cjk import is_cjk

    def expandable(char):
        return char in " \u00a0" or (is_cjk(char) and char not in justify.UNIT_MARKS)

    return [justify.HAN_LATIN_SPACE_WEIGHT if char == " " and (
        is_cjk(text[index - 1:index] or "a") or is_cjk(text[index + 1:index + 2] or "a"))
        else (1.0 if expandable(char) else 0.0) for index, char in enumerate(text)]


def reference_runs(weights: list[float]) -> list[tuple[int, int, float]]:
    runs: list[tuple[int, int, float]] = []
    for index, weight in enumerate(weights):
        if runs and runs[-1][1] == index and runs[-1][2] == weight:
            runs[-1] = (runs[-1][0], index + 1, weight)
        elif weight:
            runs.append((index, index + 1, weight))
    return runs


LINE_TEXT = st.text(st.one_of(st.sampled_from("中文器件，。“”（）——……·〇ぁ　  \u00a0aZ9-/\u2060\u200b"),
                              st.characters()), max_size=40)


@settings(max_examples=2000, deadline=None)
@given(LINE_TEXT)
def test_weights_found_by_regular_expressions_are_the_rule_s_character_by_character(text):
    assert justify.char_weights(text) == reference_weights(text)
    assert justify.weighted_runs(text) == reference_runs(reference_weights(text))


def test_the_cjk_class_is_is_cjk_code_point_for_code_point():
    import re

    from press.cjk import CJK_CLASS, is_cjk

    pattern = re.compile(f"[{CJK_CLASS}]")
    assert [point for point in range(0x110000) if bool(pattern.fullmatch(chr(point))) != is_cjk(chr(point))] == []
