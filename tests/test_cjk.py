"""Chinese text rules on the HTML: superscript and subscript characters set in the face around them."""

from press.cjk import apply_text_rules, script_form, script_pieces


def test_script_characters_are_cut_into_runs_of_their_plain_forms():
    assert script_form("₂") == ("sub", "2") and script_form("⁻") == ("sup", "−") and script_form("2") is None
    assert script_pieces("CO₂ 与 10⁻⁶ mol、Fe³⁺、H₂O²") == [
        ("CO", None), ("2", "sub"), (" 与 10", None), ("−6", "sup"), (" mol、Fe", None), ("3+", "sup"),
        ("、H", None), ("2", "sub"), ("O²", None)]


def test_a_run_the_faces_draw_themselves_is_left_alone():
    assert script_pieces("面积 5 m²，体积 2 m³") == [("面积 5 m²，体积 2 m³", None)]


def test_formulas_become_sub_and_sup_elements_spaced_from_han_text():
    assert apply_text_rules("<p>CO₂排放达10⁻⁶ mol。</p>") == "<p>CO<sub>2</sub> 排放达 10<sup>−6</sup> mol。</p>"
    assert apply_text_rules("<code>CO₂</code>") == "<code>CO₂</code>"
