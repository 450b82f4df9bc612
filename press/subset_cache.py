"""Font subsets kept between builds of one process (`press watch`, `press build` of many issues).

WeasyPrint subsets every embedded font anew on each write: about 0.1 s of a
sample build goes to HarfBuzz cutting the three CJK faces down to the glyphs
used.  After an editor's change the glyphs used are usually the same, so
`install()` wraps `weasyprint.pdf.fonts.Font._harfbuzz_subset` with a small
cache.  The key holds everything the subset depends on: the font's identity
(its length and its table directory, which carries a checksum of every
table), its index, the glyph ids kept, hinting and whether .notdef is drawn;
a hit gives exactly the bytes a new subset would, so the PDF is
byte-identical either way.
"""

from collections import OrderedDict

from weasyprint.pdf import fonts

from press.fonts import font_identity as identity

MAX_ENTRIES = 32

_original_subset = fonts.Font._harfbuzz_subset
_subsets: OrderedDict[tuple, bytes] = OrderedDict()


def install() -> None:
    """Put the cache in front of WeasyPrint's HarfBuzz subsetting (idempotent)."""
    fonts.Font._harfbuzz_subset = cached_subset


def uninstall() -> None:
    fonts.Font._harfbuzz_subset = _original_subset
    _subsets.clear()


def cached_subset(self, to_unicode, hinting):
    """`Font._harfbuzz_subset`, answered from the cache when the same subset was made before."""
    key = (identity(self.file_content), self.index, frozenset(to_unicode), bool(hinting), bool(self.missing))
    if key in _subsets:
        _subsets.move_to_end(key)
        self.file_content = _subsets[key]
        return
    _original_subset(self, to_unicode, hinting)
    _subsets[key] = self.file_content
    while len(_subsets) > MAX_ENTRIES:
        _subsets.popitem(last=False)
