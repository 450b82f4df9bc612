"""Make the lean font files in fonts/ from the full OFL faces.

Takes: Noto Serif CJK SC, Noto Sans CJK SC (Debian's fonts-noto-cjk, 2022) and
LXGW WenKai (fonts-lxgw-wenkai).  Returns: OpenType files in this folder,
trimmed to GBK plus the Latin, punctuation and symbol blocks a Simplified-Chinese
publication needs, renamed PressSong / PressHei / PressKai so that a PDF's
embedded font names prove where every glyph came from.

Run once by hand (not part of set-up):  python fonts/make_fonts.py
"""

from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

HERE = Path(__file__).resolve().parent
NOTO = Path("/usr/share/fonts/opentype/noto")
WENKAI = Path("/usr/share/fonts/truetype/lxgw-wenkai")
SC_INDEX = 2  # Simplified Chinese face inside the Noto CJK collections

# (output file, source file, collection index or None, family, style)
FACES = [
    ("PressSong-Regular.otf", NOTO / "NotoSerifCJK-Regular.ttc", SC_INDEX, "PressSong", "Regular"),
    ("PressHei-Bold.otf", NOTO / "NotoSansCJK-Bold.ttc", SC_INDEX, "PressHei", "Bold"),
    ("PressKai-Regular.ttf", WENKAI / "LXGWWenKai-Regular.ttf", None, "PressKai", "Regular"),
]

# Blocks kept whole (where the face has them), beside every GBK character.
BLOCKS = [
    (0x0020, 0x024F),  # Basic Latin, Latin-1, Latin Extended-A/B
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x045F),  # Cyrillic (GBK has it)
    (0x2000, 0x206F),  # General Punctuation
    (0x2070, 0x209F),  # Superscripts and Subscripts
    (0x20A0, 0x20CF),  # Currency
    (0x2100, 0x218F),  # Letterlike, Number Forms (℃ ™ Ⅻ)
    (0x2190, 0x23FF),  # Arrows, Mathematical Operators, Technical
    (0x2460, 0x24FF),  # Enclosed Alphanumerics (① … ⑳)
    (0x2500, 0x27BF),  # Box drawing, shapes, symbols, dingbats
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0x3200, 0x33FF),  # Enclosed CJK, CJK Compatibility (㈠ ㎡)
    (0xFE10, 0xFE1F),  # Vertical forms
    (0xFE30, 0xFE4F),  # CJK Compatibility Forms
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
]

# Space widths (font units of 1000 per em).  Pango sets a space in the font of the character
# before it, whatever the stylesheet's unicode-range says, so a space after a Kai Han character
# came out 0.35 em wide (WenKai's space) where the Song face's is 0.256 em: Kai gets Song's.
SPACE_ADVANCE = {"PressKai-Regular.ttf": 256}

# OpenType features kept: shaping, kerning and the punctuation widths (halt, palt).
# Vertical forms, width variants and other locales' forms are left out: each
# adds thousands of glyphs that horizontal Simplified Chinese never uses.
FEATURES = ["ccmp", "liga", "calt", "kern", "mark", "mkmk", "halt", "palt"]


def gbk_codepoints() -> set[int]:
    """Every character that the GBK code page encodes."""
    points = set()
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            try:
                char = bytes([lead, trail]).decode("gbk")
            except UnicodeDecodeError:
                continue
            points.add(ord(char))
    return points


def wanted_codepoints() -> set[int]:
    """GBK plus the whole blocks above."""
    points = gbk_codepoints()
    for first, last in BLOCKS:
        points.update(range(first, last + 1))
    return points


def open_face(source: Path, index: int | None) -> TTFont:
    if index is None:
        return TTFont(source)
    return TTCollection(source).fonts[index]


def rename(font: TTFont, family: str, style: str) -> None:
    """Give the face its own names (OFL: a modified font takes a new name)."""
    full = f"{family} {style}" if style != "Regular" else family
    postscript = f"{family}-{style}"
    names = font["name"]
    original = names.getDebugName(4)
    for record in list(names.names):
        if record.nameID in (1, 2, 3, 4, 6, 16, 17, 21, 22):
            names.removeNames(nameID=record.nameID)
    names.setName(family, 1, 3, 1, 0x409)
    names.setName(style if style in ("Regular", "Bold") else "Regular", 2, 3, 1, 0x409)
    names.setName(f"{postscript};press subset of {original}", 3, 3, 1, 0x409)
    names.setName(full, 4, 3, 1, 0x409)
    names.setName(postscript, 6, 3, 1, 0x409)
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [postscript]
        top = cff.topDictIndex[0]
        top.FullName, top.FamilyName = full, family


def make(out: str, source: Path, index: int | None, family: str, style: str) -> None:
    font = open_face(source, index)
    options = subset.Options()
    options.layout_features = FEATURES
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted_codepoints())
    subsetter.subset(font)
    rename(font, family, style)
    if out in SPACE_ADVANCE:
        cmap = font.getBestCmap()
        for space in {cmap[0x20], cmap[0xA0]}:
            font["hmtx"][space] = (SPACE_ADVANCE[out], font["hmtx"][space][1])
    font.recalcTimestamp = False  # the source's dates: the same sources make the same bytes
    font.save(HERE / out)
    print(f"{out}: {len(font.getGlyphOrder())} glyphs, {(HERE / out).stat().st_size // 1024} KiB")


if __name__ == "__main__":
    for face in FACES:
        make(*face)
