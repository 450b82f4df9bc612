"""Glyphs grouped into lines: the same lines as the plain quadratic grouping, in near-linear work."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from press.lines import CALL_RATIO, LINE_TOLERANCE, group_lines


def reference_lines(chars: list[dict]) -> list[tuple[str, float, float]]:
    """The grouping as press first wrote it (each glyph asks every line; every line asks every other)."""
    lines: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
        for line in lines:
            if abs(line[0]["top"] - char["top"]) <= LINE_TOLERANCE or small_beside(char, line):
                line.append(char)
                break
        else:
            lines.append([char])
    small = [any(max(c["size"] for c in line) < max(c["size"] for c in other) * CALL_RATIO
                 for other in lines if other is not line and overlap(line, other) > 0) for line in lines]
    kept = [line for line, is_small in zip(lines, small, strict=True) if not is_small]
    for line, is_small in zip(lines, small, strict=True):
        if is_small:
            max(kept, key=lambda other: overlap(line, other)).extend(line)
    found = []
    for line in kept:
        line.sort(key=lambda c: c["x0"])
        largest = max(c["size"] for c in line)
        sizes = Counter(round(c["size"], 1) for c in line if c["size"] >= largest * CALL_RATIO - 0.05)
        found.append(("".join(c["text"] for c in line), sizes.most_common(1)[0][0], min(c["top"] for c in line)))
    return sorted(found, key=lambda line: line[2])


def small_beside(char: dict, line: list[dict]) -> bool:
    return (char["size"] < max(c["size"] for c in line) * CALL_RATIO
            and min(c["top"] for c in line) - 2 <= char["top"] <= max(c["bottom"] for c in line))


def overlap(line: list[dict], other: list[dict]) -> float:
    return max(0.0, min(max(c["bottom"] for c in line), max(c["bottom"] for c in other))
               - max(min(c["top"] for c in line), min(c["top"] for c in other)))


def glyph(text: str, x0: float, top: float, size: float, height: float | None = None) -> dict:
    return {"text": text, "x0": x0, "x1": x0 + size * 0.6, "top": top,
            "bottom": top + (size if height is None else height), "size": size}


glyphs = st.lists(st.builds(glyph, st.sampled_from("abc12"), st.integers(0, 40).map(float),
                            st.integers(0, 160).map(lambda n: n / 4),  # tops a quarter point apart
                            st.sampled_from([3.0, 6.8, 9.0, 10.5, 16.0, 30.0]),
                            st.sampled_from([None, 0.0, 2.0, 40.0])), max_size=40)


@settings(max_examples=400, deadline=None)
@given(glyphs)
def test_the_lines_are_those_of_the_plain_grouping(chars):
    assert [(line.text, line.size, line.top) for line in group_lines(chars)] == reference_lines(chars)


def test_a_glyph_at_no_finite_place_stands_on_no_line():
    chars = [glyph("a", 0, 10, 10), glyph("b", 6, float("nan"), 10), glyph("c", 12, 10, float("inf"))]
    assert [line.text for line in group_lines(chars)] == ["a"]


def counted_work(chars: list[dict]) -> int:
    """How many times grouping looks up a glyph's values."""
    looks = 0

    class Counted(dict):
        def __getitem__(self, key):
            nonlocal looks
            looks += 1
            return dict.__getitem__(self, key)

    group_lines([Counted(char) for char in chars])
    return looks


def test_doubling_the_lines_no_more_than_doubles_the_work():
    def page(count: int, sizes: tuple[float, ...], height: float) -> list[dict]:
        return [glyph("x", 20, 20 + 3 * n, sizes[n % len(sizes)], height) for n in range(count)]

    for sizes in [(10.0,), (10.0, 4.0), (30.0, 4.0, 10.0)]:
        for height in (2.0, 40.0):  # lines apart, or each overlapping the next dozen
            small, large = counted_work(page(500, sizes, height)), counted_work(page(1000, sizes, height))
            assert large < 2.3 * small, (sizes, height, small, large)  # the plain grouping: 4 times the work
