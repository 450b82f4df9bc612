"""Chinese text rules on the HTML: sub- and superscripts in the face around them, numbers kept with their units,
paragraph ends bound."""

from press.cjk import apply_text_rules, script_form, script_pieces


def test_script_characters_are_cut_into_runs_of_their_plain_forms():
    assert script_form("₂") == ("sub", "2") and script_form("⁻") == ("sup", "−") and script_form("2") is None
    assert script_pieces("CO₂ 与 10⁻⁶ mol、Fe³⁺、H₂O²") == [
        ("CO", None), ("2", "sub"), (" 与 10", None), ("−6", "sup"), (" mol、Fe", None), ("3+", "sup"),
        ("、H", None), ("2", "sub"), ("O²", None)]


def test_a_run_the_faces_draw_themselves_is_left_alone():
    assert script_pieces("面积 5 m²，体积 2 m³") == [("面积 5 m²，体积 2 m³", None)]


def test_formulas_become_sub_and_sup_elements_spaced_from_han_text():
    assert apply_text_rules("<p>CO₂排放达10⁻⁶ mol。</p>") == (
        "<p>CO<sub>2</sub> \u2060排放达 10<sup>−6</sup> \u2060mol\u2060。</p>")
    assert apply_text_rules("<code>CO₂</code>") == "<code>CO₂</code>"


def test_a_space_between_han_and_latin_across_a_tag_stands_on_the_han_side():
    # where justification sees the Han character beside it and keeps the space ¼ em
    html = apply_text_rules("<p><strong>研究显</strong><em>GaN</em>，发表在<em>Nature</em>上</p>")
    assert html == "<p><strong>研究显 </strong><em>GaN</em>，发表在 <em>Nature</em> \u2060上</p>"


def test_a_code_span_gets_its_han_latin_spaces_and_keeps_its_text():
    assert (apply_text_rules("<p>溶液的<code>pH 7.4</code>值，<code>代码</code>。</p>")
            == "<p>溶液的 <code>pH 7.4</code> \u2060值，<code>代码</code>\u2060。</p>")


def test_a_code_span_of_an_escaped_character_is_left_as_it_is():
    assert apply_text_rules("<p>1<code>&lt;</code>中<code>a&amp;</code>文</p>") == (
        "<p>1<code>&lt;</code>中 <code>a&amp;</code>\u2060文</p>")


WJ = "\u2060"


def test_a_paragraph_s_last_two_characters_are_bound_so_its_last_line_never_holds_one():
    assert apply_text_rules("<p>验证放大。</p>") == f"<p>验证放{WJ}大{WJ}。</p>"
    assert apply_text_rules("<li>第一项，完成</li>") == f"<li>第一项，完{WJ}成</li>"
    assert apply_text_rules("<figcaption>图 1 结构示意</figcaption>") == (
        f"<figcaption>图 1 {WJ}结构示{WJ}意</figcaption>")
    assert apply_text_rules("<h2>标题不动</h2>").endswith(">标题不动</h2>")  # headings are left alone
    assert apply_text_rules("<td>表格</td>") == f"<td>表{WJ}格</td>"  # a table cell too


def test_a_latin_word_is_not_split_by_joiners_and_counts_its_letters():
    assert apply_text_rules("<p>发表在Science。</p>") == f"<p>发表在 Science{WJ}。</p>"
    assert apply_text_rules("<p>见 <em>Nature</em>）。</p>") == f"<p>见 <em>Nature</em>{WJ}）{WJ}。</p>"


def test_a_tail_steps_over_a_footnote_and_its_call_and_binds_both_sides():
    html = ('<p>劳伦斯实验室等<span class="fn-call-mark" id="fn-call-1"></span>'
            '<span class="footnote" id="fn-1">实验室报告全文</span>。</p>')
    assert apply_text_rules(html) == (
        f'<p>劳伦斯实验室{WJ}等{WJ}<span class="fn-call-mark" id="fn-call-1"></span>'
        f'{WJ}<span class="footnote" id="fn-1">实验室报告全{WJ}文</span>{WJ}。</p>')


def test_a_break_mark_in_a_tail_becomes_a_joiner():
    assert apply_text_rules("<p>他说“好”</p>") == f"<p>他说{WJ}“{WJ}好{WJ}”</p>"
    assert apply_text_rules("<p>他说“好的”</p>") == f"<p>他说\u200b“好{WJ}的{WJ}”</p>"  # outside the tail: kept


def test_a_number_stays_with_its_unit_or_the_han_character_after_it():
    assert apply_text_rules("<p>加热到200 ℃，提高30 %，达5倍，为122 cm²，共 3 nm。</p>") == (
        f"<p>加热到 200 {WJ}℃，提高 30 {WJ}%，达 5 {WJ}倍，为 122 {WJ}cm²，共 3 {WJ}nm{WJ}。</p>")
    assert apply_text_rules("<p>in 2023 mass production</p>") == "<p>in 2023 mass production</p>"  # `m` is no unit
    assert apply_text_rules("<h2>加热到200 ℃</h2>").endswith(">加热到 200 ℃</h2>")  # a heading's text is its bookmark
    # A number that ends raised (10⁻⁹, set as <sup>) keeps its unit too: at A5 `10⁻⁹⏎mol` broke there.
    assert f"达到 10<sup>−9</sup> {WJ}mol{WJ}·" in apply_text_rules("<p>达到 10⁻⁹ mol·L⁻¹</p>")


def test_a_compound_unit_may_break_after_its_middle_dot_but_a_name_may_not():
    assert apply_text_rules("<p>超过 250 MPa·m²，传统</p>") == f"<p>超过 250 {WJ}MPa{WJ}·\u200bm²，传{WJ}统</p>"
    assert apply_text_rules("<p>让-保罗·萨特说</p>") == f"<p>让-保罗{WJ}·萨特{WJ}说</p>"


def test_a_unit_never_breaks_at_its_slash_and_a_url_is_left_alone():
    assert apply_text_rules("<p>每 kg CO₂e/kWh 与 1.2 TB/s 见 https://a.cn/x/y 中文</p>") == (
        f"<p>每 kg CO<sub>2</sub>e/{WJ}kWh 与 1.2 TB/{WJ}s 见 https://a.cn/x/y 中{WJ}文</p>")
