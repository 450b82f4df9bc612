"""Small hostile PDFs written byte by byte: many one-glyph lines, nested forms, a Flate bomb, a huge page.

Each function returns the bytes of a whole PDF (a Helvetica font, no embedded program), so a test can
hand press a file that is tiny on disk and costly to read or draw.
"""

import zlib

FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def pdf(pages: list[bytes], size: tuple[float, float] = (595, 842), objects: list[bytes] = (),
        resources: bytes = b"") -> bytes:
    """A PDF whose pages have these content streams; `objects` are numbered from 4 + 2 × pages on and may be
    named in `resources` (added to the font in every page's resources)."""
    count = len(pages)
    first_extra = 4 + 2 * count
    body = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (4 + 2 * n) for n in range(count))
            + b"] /Count %d >>" % count,
            FONT]
    for number, content in enumerate(pages):
        body.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] /Contents %d 0 R "
                    b"/Resources << /Font << /F1 3 0 R >> %s >> >>" % (*size, 5 + 2 * number, resources))
        body.append(stream(content))
    body += list(objects)
    assert len(body) == first_extra - 1 + len(objects)
    return assemble(body)


def stream(content: bytes, dictionary: bytes = b"") -> bytes:
    """A stream object holding `content` as it is."""
    return b"<< /Length %d %s >>\nstream\n" % (len(content), dictionary) + content + b"\nendstream"


def assemble(body: list[bytes]) -> bytes:
    """Objects 1…N with a cross-reference table and a trailer."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, item in enumerate(body, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + item + b"\nendobj\n"
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(body) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(body) + 1, table)
    return bytes(out)


def one_glyph_lines(lines: int, pages: int = 1, pitch: float = 3.0) -> bytes:
    """`pages` pages, each with `lines` lines of one glyph, `pitch` points apart (the page as tall as needed)."""
    height = lines * pitch + 40
    content = b"BT /F1 2 Tf " + b"".join(b"1 0 0 1 20 %g Tm (x) Tj " % (20 + n * pitch) for n in range(lines)) + b"ET"
    return pdf([content] * pages, size=(200, height))


def nested_forms(levels: int, fanout: int) -> bytes:
    """Forms drawing the next form `fanout` times, `levels` deep: fanout ** levels glyphs from a tiny file."""
    first = 4 + 2  # one page: objects 4 and 5
    objects = []
    for level in range(levels):
        content = b"q /X%d Do Q " % (level + 1) * fanout if level < levels - 1 else b"BT /F1 1 Tf (x) Tj ET"
        objects.append(stream(content, b"/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << "
                              b"/Font << /F1 3 0 R >> /XObject << /X%d %d 0 R >> >>" % (level + 1, first + level + 1)))
    return pdf([b"/X0 Do"], objects=objects, resources=b"/XObject << /X0 %d 0 R >>" % first)


def flate_bomb(decoded: int) -> bytes:
    """A page whose content stream inflates to `decoded` bytes of spaces."""
    packed = zlib.compressobj(9)
    data = b"".join(packed.compress(b" " * 1_000_000) for _ in range(decoded // 1_000_000))
    data += packed.compress(b" " * (decoded % 1_000_000)) + packed.flush()
    page = stream(data, b"/Filter /FlateDecode")
    return assemble([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>", FONT,
                     b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R >>", page])


def blank_pages(count: int, size: tuple[float, float] = (595, 842)) -> bytes:
    """`count` empty pages of `size` points."""
    return pdf([b""] * count, size=size)


def many_fonts(count: int) -> bytes:
    """A page whose resources name `count` fonts, each showing one glyph."""
    fonts = b" ".join(b"/F%d 3 0 R" % n for n in range(count))
    content = b"".join(b"BT /F%d 10 Tf 20 %d Td <0041> Tj ET\n" % (n, 20 + n % 700) for n in range(count))
    return assemble([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>", FONT,
                     b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
                     b"/Resources << /Font << " + fonts + b" >> >> >>", stream(content)])


def type3_bomb(levels: int, fanout: int) -> bytes:
    """A page showing one glyph of a Type3 font whose glyph draws forms drawing forms (`fanout` ** `levels`)."""
    forms = [stream(b"q /X%d Do Q " % (level + 1) * fanout if level < levels - 1 else b"0 0 1 1 re f",
                    b"/Type /XObject /Subtype /Form /BBox [0 0 1 1] /Resources << /XObject << /X%d %d 0 R >> >>"
                    % (level + 1, 7 + level + 1)) for level in range(levels)]
    glyph = stream(b"1 0 0 0 1 1 d1 /X0 Do")
    font = (b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1 1] /FontMatrix [0.001 0 0 0.001 0 0] "
            b"/CharProcs << /a 6 0 R >> /Encoding << /Type /Encoding /Differences [97 /a] >> /FirstChar 97 "
            b"/LastChar 97 /Widths [1000] /Resources << /XObject << /X0 7 0 R >> >> >>")
    return assemble([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>", font,
                     b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
                     b"/Resources << /Font << /T3 3 0 R >> >> >>", stream(b"BT /T3 12 Tf 20 20 Td (a) Tj ET"),
                     glyph, *forms])


def one_glyph_line_readings(folder, counts=(300, 600)) -> list:
    """A reading of a one-glyph-lines PDF per line count (written into `folder`): inputs whose work should grow
    no faster than their lines."""
    from press.pdfread import read_pdf

    readings = []
    for count in counts:
        path = folder / f"lines-{count}.pdf"
        path.write_bytes(one_glyph_lines(count))
        readings.append(read_pdf(path))
    return readings
