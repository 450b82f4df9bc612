"""Make the lean font files in fonts/ from the full OFL faces.

Takes: Noto Serif CJK SC, Noto Sans CJK SC (Debian's fonts-noto-cjk, 2022),
LXGW WenKai (fonts-lxgw-wenkai) and Source Serif 4 Italic (Adobe's npm package
source-serif 4.5.1, see ITALIC below).  Returns: OpenType files in this folder,
trimmed to GBK plus the Latin, punctuation and symbol blocks a Simplified-Chinese
publication needs (the italic: to Latin), renamed PressSong / PressHei / PressKai /
PressSerif so that a PDF's embedded font names prove where every glyph came from.

Run once by hand (not part of set-up):  python fonts/make_fonts.py [file …]
(only the files named, e.g. PressSerif-Italic.otf; all without arguments).  The MARK_FACES (a few
punctuation marks in Traditional Chinese and English forms) are made from the same Noto CJK collections.
`--match-metrics` gives the faces already made the Song face's ascent and descent (the last step
of making them, see match_song_metrics) without their sources.
"""

import hashlib
import io
import os
import sys
from pathlib import Path

from fontTools import subset
from fontTools.cffLib import FDArrayIndex, FDSelect, FontDict
from fontTools.pens.recordingPen import RecordingPen
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTCollection, TTFont
from fontTools.ttLib.scaleUpem import scale_upem

HERE = Path(__file__).resolve().parent
NOTO = Path("/usr/share/fonts/opentype/noto")
WENKAI = Path("/usr/share/fonts/truetype/lxgw-wenkai")
SC_INDEX = 2  # Simplified Chinese face inside the Noto CJK collections

# The italic of the Latin in `*…*`: Source Serif 4, Text optical size, Regular weight,
# Italic (OTF, CFF), version 4.005, the design of Noto Serif CJK's Latin.  From npm:
#   cd /tmp && npm pack source-serif@4.5.1 && mkdir source-serif &&
#   tar xzf source-serif-4.5.1.tgz -C source-serif
# (tarball sha256 19a448df98f4aa777de3452b0a1e29aa7ffe29252fe552c8a2d2531702d80746), or set
# SOURCE_SERIF to the package's folder.  Licence: OFL-Source-Serif.txt (the package's LICENSE.md).
SOURCE_SERIF = Path(os.environ.get("SOURCE_SERIF", "/tmp/source-serif/package"))
ITALIC = SOURCE_SERIF / "OTF" / "SourceSerif4-It.otf"
ITALIC_SHA256 = "f8062257f4693e438a8e317c9fe2b4393f0d4eed84d897edcbfd733c30a1c1a1"

# (output file, source file, collection index or None, family, style)
FACES = [
    ("PressSong-Regular.otf", NOTO / "NotoSerifCJK-Regular.ttc", SC_INDEX, "PressSong", "Regular"),
    ("PressHei-Bold.otf", NOTO / "NotoSansCJK-Bold.ttc", SC_INDEX, "PressHei", "Bold"),
    ("PressKai-Regular.ttf", WENKAI / "LXGWWenKai-Regular.ttf", None, "PressKai", "Regular"),
]

# Small faces of a few marks, drawn in another language's form than the SC faces draw them (each face of
# the Noto CJK collections shares one set of glyphs; the language decides which a character maps to):
# (output file, source file, collection index, family, style, characters).  The style puts them
# before the Song and Hei faces in that language only (`:lang()` in style.css, press.locale):
#  - Traditional Chinese (Taiwan's standard): 、。，；：！？ centred in the em box, from the TC face;
#  - English: ‘ ’ “ ” at their Latin (proportional) width, from the JP face, where the SC face has them
#    full-width (an English issue printed `EU ’ s`).
# Pango sets a space in the face of the character before it, whatever the style's unicode-range says: each
# mark face has the space and no-break space too, as wide as in the face it stands before (MARK_BASES).
TC_INDEX, JP_INDEX = 3, 0
SPACES = " \u00a0"
MARK_BASES = {"PressSongHant": "PressSong-Regular.otf", "PressHeiHant": "PressHei-Bold.otf",
              "PressSongQuotes": "PressSong-Regular.otf", "PressHeiQuotes": "PressHei-Bold.otf"}
# Traditional: the marks Taiwan centres, and with them every other full-width mark of Chinese text (drawn as
# the SC face draws them): a mark set half-width at the end of a run of one face, before a mark of another,
# was drawn full-width (PDFium, poppler), though its PDF text said otherwise (pdfplumber); marks of one face
# stay in one run.
HANT_MARKS = "、。，；：！？（）《》「」『』“”‘’〈〉【】〔〕〖〗［］｛｝—…·"
LATIN_QUOTES = "‘’“”"
MARK_FACES = [
    ("PressSongHant-Regular.otf", NOTO / "NotoSerifCJK-Regular.ttc", TC_INDEX, "PressSongHant", "Regular", HANT_MARKS),
    ("PressHeiHant-Bold.otf", NOTO / "NotoSansCJK-Bold.ttc", TC_INDEX, "PressHeiHant", "Bold", HANT_MARKS),
    ("PressSongQuotes-Regular.otf", NOTO / "NotoSerifCJK-Regular.ttc", JP_INDEX, "PressSongQuotes", "Regular",
     LATIN_QUOTES),
    ("PressHeiQuotes-Bold.otf", NOTO / "NotoSansCJK-Bold.ttc", JP_INDEX, "PressHeiQuotes", "Bold", LATIN_QUOTES),
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

# The italic's characters: the Latin letters, digits and punctuation of Basic Latin, Latin-1 and
# Latin Extended-A/B (each also drawn upright by Song or, for Extended-A/B, Kai, so the italic
# never lets the loader accept a character no upright face has), and the General Punctuation
# marks Latin text uses, which the Song face draws proportional.  The marks Chinese text uses
# as its own stay upright in the Han face even inside `*…*`: · ‐ — ― ‘ ’ “ ” … (the Song face
# sets them as full-width Chinese marks; —— and …… are two of them, kept together).
ITALIC_BLOCKS = [(0x0020, 0x007E), (0x00A0, 0x00B6), (0x00B8, 0x024F)]  # all but · U+00B7
LATIN_MARKS = "‑‒–‚„′″‹›‼⁇⁈⁉"

# Space widths (font units of 1000 per em).  Pango sets a space in the font of the character
# before it, whatever the stylesheet's unicode-range says, so a space after a Kai Han character
# came out 0.35 em wide (WenKai's space) where the Song face's is 0.256 em: Kai gets Song's.
# The italic's space is Song's too (Source Serif's 233, scaled as below: 254).
SPACE_ADVANCE = {"PressKai-Regular.ttf": 256, "PressSerif-Italic.otf": 256}

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
    names.setName(style if style in ("Regular", "Bold", "Italic") else "Regular", 2, 3, 1, 0x409)
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
    subset_to(font, wanted_codepoints())
    rename(font, family, style)
    if family != "PressSong":
        match_song_metrics(font)
    save(font, out)


def make_marks(out: str, source: Path, index: int, family: str, style: str, characters: str) -> None:
    """One of MARK_FACES: the face's glyphs for `characters` alone (and their halt/palt), renamed, with the
    Song face's ascent and descent."""
    font = open_face(source, index)
    subset_to(font, {ord(char) for char in characters + SPACES})
    rename(font, family, style)
    match_song_metrics(font)
    base = TTFont(HERE / MARK_BASES[family], lazy=True)  # a space after a mark is drawn from this face
    space = base["hmtx"][base.getBestCmap()[0x20]][0]
    cmap = font.getBestCmap()
    for point in map(ord, SPACES):
        font["hmtx"][cmap[point]] = (space, font["hmtx"][cmap[point]][1])
    save(font, out)


def match_song_metrics(font: TTFont) -> None:
    """Give a face the Song face's ascent and descent (read from PressSong-Regular.otf, made first).

    Pango sets a line's baseline by the tallest face the line draws from: a Kai line whose marks and
    digits come from the Song face (see style.css) stood 0.6 pt lower than a Kai line without them,
    and a line with a Hei or italic word stood apart from the body's pitch.  With one ascent and
    descent for every face, every line of one size stands on one pitch.
    """
    song = TTFont(HERE / "PressSong-Regular.otf", lazy=True)
    for table, names in (("hhea", ("ascent", "descent", "lineGap")),
                         ("OS/2", ("sTypoAscender", "sTypoDescender", "sTypoLineGap",
                                   "usWinAscent", "usWinDescent"))):
        for name in names:
            setattr(font[table], name, getattr(song[table], name))


def match_made_faces() -> None:
    """Apply match_song_metrics to the faces already made (its last step before saving)."""
    for out, _, _, family, _ in FACES:
        if family != "PressSong":
            font = TTFont(HERE / out)
            match_song_metrics(font)
            save(font, out)


def subset_to(font: TTFont, points: set[int]) -> None:
    options = subset.Options()
    options.layout_features = FEATURES
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=points)
    subsetter.subset(font)


def save(font: TTFont, out: str) -> None:
    if out in SPACE_ADVANCE:
        cmap = font.getBestCmap()
        for space in {cmap[0x20], cmap[0xA0]}:
            font["hmtx"][space] = (SPACE_ADVANCE[out], font["hmtx"][space][1])
    font.recalcTimestamp = False  # the source's dates: the same sources make the same bytes
    font.save(HERE / out)
    print(f"{out}: {len(font.getGlyphOrder())} glyphs, {(HERE / out).stat().st_size // 1024} KiB")


def make_italic(out: str = "PressSerif-Italic.otf") -> None:
    """PressSerif Italic: Source Serif 4 Italic, subset to Latin, at the size and vertical
    metrics of the Song face's Latin (read from PressSong-Regular.otf, made before it),
    CID-keyed like the CJK faces."""
    if not ITALIC.is_file():
        sys.exit(f"{ITALIC} is missing: see ITALIC in fonts/make_fonts.py for where it comes from")
    if hashlib.sha256(ITALIC.read_bytes()).hexdigest() != ITALIC_SHA256:
        sys.exit(f"{ITALIC}: not Source Serif 4.005 Italic of npm's source-serif 4.5.1")
    song = TTFont(HERE / "PressSong-Regular.otf")
    font = TTFont(ITALIC)
    points = {point for first, last in ITALIC_BLOCKS for point in range(first, last + 1)}
    subset_to(font, points | {ord(mark) for mark in LATIN_MARKS})
    # Noto Serif CJK draws Source Serif's Latin 8.8 % larger (cap height 729 against 670 units of
    # 1000): the italic is scaled alike, so that italic and upright Latin stand the same height.
    scale(font, song["OS/2"].sCapHeight / font["OS/2"].sCapHeight)
    match_song_metrics(font)  # a line with italics is as tall as one without
    rename(font, "PressSerif", "Italic")
    compiled = io.BytesIO()
    font.recalcTimestamp = False
    font.save(compiled)
    font = TTFont(compiled)  # every table but the CFF now refers to glyphs by index, whatever their names
    cid_keyed(font)
    save(font, out)


def scale(font: TTFont, factor: float) -> None:
    """Draw every glyph `factor` times larger in the same 1000 units per em, metrics, kerning and
    all.  Outlines are redrawn from their absolute points (scale_upem rounds each relative move,
    which shifted points by up to 6 units)."""
    glyphs = font.getGlyphSet()
    outlines = {}
    for name in font.getGlyphOrder():
        outlines[name] = RecordingPen()
        glyphs[name].draw(TransformPen(outlines[name], (factor, 0, 0, factor, 0, 0)))
    scale_upem(font, round(1000 * factor))
    font["head"].unitsPerEm = 1000
    cff = font["CFF "].cff
    top = cff.topDictIndex[0]
    top.FontMatrix = [0.001, 0, 0, 0.001, 0, 0]
    for name, outline in outlines.items():
        charstring = top.CharStrings[name]
        pen = T2CharStringPen(font["hmtx"][name][0], None)
        outline.replay(pen)
        new = pen.getCharString(private=charstring.private, globalSubrs=cff.GlobalSubrs)
        charstring.program = new.program


def cid_keyed(font: TTFont) -> None:
    """Make a name-keyed CFF CID-keyed (Adobe-Identity-0, CID = glyph index), as the CJK faces
    are: press.cffpack repacks only CID-keyed fonts to the glyphs a PDF draws.  `font` is read
    from bytes and only its CFF is decompiled, so the other tables keep their glyph indexes."""
    cff = font["CFF "].cff
    top = cff.topDictIndex[0]
    fd = FontDict()
    fd.setCFF2(False)
    fd.Private = top.Private
    fd.FontName = cff.fontNames[0]
    top.FDArray = FDArrayIndex()
    top.FDArray.append(fd)
    top.FDSelect = FDSelect(None, len(top.charset), 3)
    top.FDSelect.gidArray = [0] * len(top.charset)
    names = {name: f"cid{index:05d}" if index else ".notdef" for index, name in enumerate(top.charset)}
    charstrings = top.CharStrings
    charstrings.charStrings = {names[name]: value for name, value in charstrings.charStrings.items()}
    charstrings.fdArray, charstrings.fdSelect = top.FDArray, top.FDSelect
    top.charset = list(names.values())
    top.ROS = ("Adobe", "Identity", 0)
    top.CIDCount = len(top.charset)
    for key in ("Private", "Encoding"):
        top.rawDict.pop(key, None)
        if key in top.__dict__:
            delattr(top, key)
    font.setGlyphOrder(top.charset)
    font["post"].formatType = 3.0


if __name__ == "__main__":
    if sys.argv[1:] == ["--match-metrics"]:
        sys.exit(match_made_faces())
    chosen = set(sys.argv[1:])
    for face in FACES:
        if not chosen or face[0] in chosen:
            make(*face)
    if not chosen or "PressSerif-Italic.otf" in chosen:
        make_italic()
    for face in MARK_FACES:
        if not chosen or face[0] in chosen:
            make_marks(*face)
