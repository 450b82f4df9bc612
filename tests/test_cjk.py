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


def test_a_space_between_han_and_latin_across_a_tag_stands_on_the_han_side():
    # where justification sees the Han character beside it and keeps the space ¼ em
    html = apply_text_rules("<p><strong>研究显</strong><em>GaN</em>，发表在<em>Nature</em>上</p>")
    assert html == "<p><strong>研究显 </strong><em>GaN</em>，发表在 <em>Nature</em> 上</p>"


def test_a_code_span_gets_its_han_latin_spaces_and_keeps_its_text():
    assert (apply_text_rules("<p>溶液的<code>pH 7.4</code>值，<code>代码</code>。</p>")
            == "<p>溶液的 <code>pH 7.4</code> 值，<code>代码</code>。</p>")


def test_a_code_span_of_an_escaped_character_is_left_as_it_is():
    assert apply_text_rules("<p>1<code>&lt;</code>中<code>a&amp;</code>文</p>") == (
        "<p>1<code>&lt;</code>中 <code>a&amp;</code>文</p>")
