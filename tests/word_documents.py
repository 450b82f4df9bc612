"""Word documents for the import tests: press Markdown written out as the body of a flat ODT (.fodt), the way an
analyst's document holds it (Title, headings, real footnotes, sub/superscript runs, a table, pictures, a box's
paragraphs framed), for LibreOffice to save as .docx."""

import base64
from html import escape
from pathlib import Path

import yaml

from press.dialect import parser
from press.yamlfile import FRONT_MATTER

SPANS = {"em": "I", "strong": "B", "sub": "Sub", "sup": "Sup"}
PICTURE_TYPES = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg"}


def article_body(path: Path) -> tuple[str, str]:
    """The .fodt body of an article file, and its section."""
    text = path.read_text(encoding="utf-8")
    match = FRONT_MATTER.match(text)
    meta = yaml.safe_load(match.group(1))
    tokens = parser().parse(text[match.end():], {})
    notes = {}
    for index, token in enumerate(tokens):
        if token.type == "footnote_open":
            notes[token.meta["label"]] = next(t for t in tokens[index:] if t.type == "inline")
    out = [f'<text:p text:style-name="Title">{escape(meta["title"])}</text:p>']
    in_note = in_footnotes = in_cell = in_box = False
    row: list[str] = []
    rows: list[str] = []
    for token in tokens:
        kind = token.type
        if kind == "footnote_block_open":
            in_footnotes = True
        if in_footnotes:
            continue
        if kind == "container_框_open":  # a box: its title and paragraphs framed (the "Box" paragraph style)
            in_box = True
            title = token.info.strip()[1:].strip()
            if title:
                out.append(f'<text:p text:style-name="Box">{escape(title, quote=False)}</text:p>')
        elif kind == "container_框_close":
            in_box = False
        elif kind.startswith("container_") and kind.endswith("_open"):
            in_note = True
        elif kind.startswith("container_") and kind.endswith("_close"):
            in_note = False
        elif kind == "heading_open":
            level = int(token.tag[1])
            out.append(f'<text:h text:style-name="Heading_20_{level}" text:outline-level="{level}">')
        elif kind == "heading_close":
            out.append("</text:h>")
        elif kind == "paragraph_open":
            style = "Box" if in_box else "Standard"
            out.append(f'<text:p text:style-name="{style}">' + ("编者按：" if in_note else ""))
            in_note = False
        elif kind == "paragraph_close":
            out.append("</text:p>")
        elif kind in ("th_open", "td_open", "th_close", "td_close"):
            in_cell = kind.endswith("_open")
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close":
            rows.append("<table:table-row>" + "".join(row) + "</table:table-row>")
            row = []
        elif kind == "table_close":
            columns = rows[0].count("<table:table-cell")
            out.append(f'<table:table table:name="T{len(out)}"><table:table-column '
                       f'table:number-columns-repeated="{columns}"/>{"".join(rows)}</table:table>')
            rows = []
        elif kind == "inline":
            content = inline(token, notes, path.parent)
            if in_cell:
                row.append(f'<table:table-cell office:value-type="string"><text:p>{content}</text:p>'
                           "</table:table-cell>")
            else:
                out.append(content)
    if meta.get("byline"):
        out.append(f'<text:p text:style-name="Standard">（{escape(meta["byline"])}）</text:p>')
    return "".join(out), meta["section"]


def inline(token, notes: dict, folder: Path) -> str:
    out, closing = [], []
    for child in token.children or []:
        kind = child.type
        if kind == "text":
            out.append(escape(child.content, quote=False))
        elif kind in ("softbreak", "hardbreak"):
            out.append("")
        elif kind == "code_inline":
            out.append(escape(child.content, quote=False))
        elif kind.endswith("_open") and kind[:-5] in SPANS:
            out.append(f'<text:span text:style-name="{SPANS[kind[:-5]]}">')
        elif kind.endswith("_close") and kind[:-6] in SPANS:
            out.append("</text:span>")
        elif kind == "link_open":
            href = child.attrs.get("href", "")
            out.append(f'<text:a xlink:type="simple" xlink:href="{escape(href)}">')
            closing.append("</text:a>")
        elif kind == "link_close":
            out.append(closing.pop())
        elif kind == "footnote_ref":
            label = child.meta["label"]
            out.append(f'<text:note text:id="n{escape(label)}" text:note-class="footnote"><text:note-citation>1'
                       f"</text:note-citation><text:note-body><text:p>{inline(notes[label], notes, folder)}"
                       "</text:p></text:note-body></text:note>")
        elif kind == "image":
            picture = folder / child.attrs["src"]
            data = base64.b64encode(picture.read_bytes()).decode()
            caption = "".join(grand.content for grand in child.children or [] if grand.type == "text")
            out.append(f'<draw:frame draw:name="{escape(picture.name)}" text:anchor-type="as-char" '
                       f'svg:width="12cm" svg:height="7cm"><draw:image><office:binary-data>{data}'
                       "</office:binary-data></draw:image></draw:frame></text:p>"
                       f'<text:p text:style-name="Standard">{escape(caption, quote=False)}')
    return "".join(out)
