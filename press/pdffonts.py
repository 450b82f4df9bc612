"""The fonts of a PDF read back: embedded or not, subset or not, what they draw as .notdef, and glyphs a
viewer following the CFF charset cannot reach.

Takes a pypdf reader; returns a `Font` per font resource used on any page (in its content or in a form it
draws), for press check's `fonts` and `missing-glyphs` rules.
"""

import io
import re
from dataclasses import dataclass, field

from pypdf import PdfReader
from pypdf.generic import IndirectObject

SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")
CMAP_PAIR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
CMAP_TO_NOTDEF = re.compile(rb"<([0-9a-fA-F]+)>\s+0\b")
DRAWN_FORM = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+Do\b")
CONTENT_TOKEN = re.compile(rb"/(?P<font>[^\s/]+)\s+[-\d.]+\s+Tf|<(?P<hex>[0-9a-fA-F]+)>")


@dataclass
class Font:
    """A font resource: its name, whether its program is embedded and subset, glyphs it lacks."""

    name: str  # the base font name, with its subset tag (ABCDEF+PressSong-Regular)
    embedded: bool
    missing: dict[str, list[int]] = field(default_factory=dict)  # character drawn as .notdef → page indexes
    unreachable: int = 0  # glyphs drawn that a viewer following the CFF charset cannot find (or finds wrong)

    @property
    def subset(self) -> bool:
        return SUBSET_TAG.match(self.name) is not None

    @property
    def family(self) -> str:
        """The name without its subset tag."""
        return SUBSET_TAG.sub("", self.name)


def read_fonts(reader: PdfReader) -> list[Font]:
    """Every font used on any page (in its content or a form it draws: WeasyPrint draws SVG figures as forms),
    with the characters it drew as .notdef and where."""
    fonts: dict[str, Font] = {}
    checked: set[str] = set()
    notdefs: dict[int, tuple] = {}  # id() of a font dictionary → the font and its .notdef characters
    for index, page in enumerate(reader.pages):
        for content, resources in content_streams(page):
            drawn = codes_drawn(content)
            for key, font in (resources.get("/Font") or {}).items():
                font = font.get_object() if isinstance(font, IndirectObject) else font
                name = str(font.get("/BaseFont", "?")).lstrip("/")
                known = fonts.setdefault(name, Font(name, False))
                known.embedded = known.embedded or is_embedded(font)
                if name not in checked:
                    checked.add(name)
                    known.unreachable = unreachable_cids(font)
                if key in drawn and id(font) not in notdefs:
                    notdefs[id(font)] = (font, notdef_characters(font))  # the font kept: its id stays its own
                missing = notdefs[id(font)][1] if key in drawn else {}
                for code in drawn.get(key, set()) & set(missing):
                    if index not in known.missing.setdefault(missing[code], []):
                        known.missing[missing[code]].append(index)
    return sorted(fonts.values(), key=lambda font: font.name)


def content_streams(page) -> list[tuple[bytes, dict]]:
    """(content, resources) of a page and of every form XObject its content draws (`/x3 Do`), forms in forms too.

    WeasyPrint gives every page the same resources, so what a page draws is what its content names.
    """
    contents = page.get_contents()
    found = [(contents.get_data() if contents is not None else b"", page.get("/Resources") or {})]
    seen: set[int] = set()
    position = 0
    while position < len(found):
        content, resources = found[position]
        position += 1
        forms = resources.get("/XObject") or {}
        for name in dict.fromkeys(DRAWN_FORM.findall(content)):
            reference = forms.get("/" + name.decode("latin-1"))
            form = reference.get_object() if reference is not None else None
            if form is None or form.get("/Subtype") != "/Form" or id(form) in seen:
                continue
            seen.add(id(form))
            found.append((form.get_data(), form.get("/Resources") or resources))
    return found


def unreachable_cids(font) -> int:
    """How many CIDs a CFF-based CIDFont draws that its charset does not lead to the intended glyph.

    The PDF standard has a viewer find a CIDFontType0's glyphs through the CFF
    charset (MuPDF and Ghostscript do; Poppler and PDFium use the CID as the
    glyph index).  WeasyPrint draws glyph indexes as CIDs, so the charset must
    map each CID it draws: to the glyph of the same index in an OpenType-wrapped
    font, to some glyph in a bare CFF repacked by press.cffpack.  The CIDs drawn
    are those of the /W array, where WeasyPrint lists every glyph it uses.
    """
    descendants = font.get("/DescendantFonts") or []
    cidfont = descendants[0].get_object() if descendants else {}
    descriptor = cidfont.get("/FontDescriptor")
    if cidfont.get("/Subtype") != "/CIDFontType0" or descriptor is None:
        return 0
    program = descriptor.get_object().get("/FontFile3")
    if program is None:
        return 0
    program = program.get_object()
    glyph_of = cff_glyphs_by_cid(program.get_data(), str(program.get("/Subtype")))
    if glyph_of is None:  # name-keyed: CIDs are glyph indexes
        return 0
    wrapped = program.get("/Subtype") == "/OpenType"
    from press.cffpack import cids_in_widths

    drawn = cids_in_widths(cidfont.get("/W", [])) - set(notdef_characters(font))
    return sum(1 for cid in drawn if cid not in glyph_of or (wrapped and glyph_of[cid] != cid))


def cff_glyphs_by_cid(data: bytes, subtype: str) -> dict[int, int] | None:
    """CID → glyph index from a CID-keyed CFF's charset (bare or in OpenType); None if name-keyed."""
    from fontTools.cffLib import CFFFontSet
    from fontTools.ttLib import TTFont

    if subtype == "/OpenType":
        cff = TTFont(io.BytesIO(data))["CFF "].cff
    else:
        cff = CFFFontSet()
        cff.decompile(io.BytesIO(data), None)
    top = cff.topDictIndex[0]
    if not hasattr(top, "ROS"):
        return None
    return {(0 if name == ".notdef" else int(name[3:])): index for index, name in enumerate(top.charset)}


def codes_drawn(content: bytes) -> dict[str, set[int]]:
    """The two-byte codes a content stream shows, by the name of their font in its resources (one pass over
    the content for all its fonts)."""
    codes: dict[str, set[int]] = {}
    current = None
    for match in CONTENT_TOKEN.finditer(content):
        if match.group("font"):
            current = "/" + match.group("font").decode()
        elif current is not None:
            hexes = match.group("hex").decode()
            codes.setdefault(current, set()).update(int(hexes[i:i + 4], 16) for i in range(0, len(hexes) - 3, 4))
    return codes


def notdef_characters(font) -> dict[int, str]:
    """Characters a Type0 font maps to glyph 0 (.notdef) in its encoding CMap.

    WeasyPrint encodes a character that no font has with a code of its own and
    maps that code to CID 0 in an /Encoding stream; its ToUnicode entry still
    names the character.  Returns code → character.
    """
    encoding = font.get("/Encoding")
    encoding = encoding.get_object() if isinstance(encoding, IndirectObject) else encoding
    if not hasattr(encoding, "get_data"):
        return {}
    codes = {int(code, 16) for code in CMAP_TO_NOTDEF.findall(encoding.get_data())}
    unicode_of = to_unicode(font)
    return {code: unicode_of.get(code, f"<{code:04x}>") for code in codes}


def to_unicode(font) -> dict[int, str]:
    """A font's ToUnicode CMap (its bfchar pairs): code → the text it stands for."""
    cmap = font.get("/ToUnicode")
    if cmap is None:
        return {}
    return {int(code, 16): bytes.fromhex(text.decode()).decode("utf-16-be", "replace")
            for code, text in CMAP_PAIR.findall(cmap.get_object().get_data())}


def is_embedded(font) -> bool:
    """Whether a font dictionary (or its descendant) carries its font program."""
    candidates = [font] + [d.get_object() for d in font.get("/DescendantFonts", [])]
    for candidate in candidates:
        descriptor = candidate.get("/FontDescriptor")
        if descriptor is not None:
            descriptor = descriptor.get_object()
            if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                return True
    return False
