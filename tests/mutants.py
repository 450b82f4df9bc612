"""Mutants of an issue: each changes what the issue's PDF must show, so a PDF built before it must fail.

An operator takes a copy of an issue folder and a random generator, changes one thing an editor could
change after the PDF was built (a sentence, a number, a title, a highlight, a footnote, a picture, the
cover's text …), and says what it changed; None when the issue has nothing of that kind.  The prose to
change is found with press's own reading of an article file (press.prose: code, URLs, labels and syntax
masked), so a mutant changes text, never Markdown.

`python -m tests.mutants` builds every issue of tests/corpus once, checks each mutant against its PDF and
prints the kill rate per operator (a mutant is killed when press check fails or the source is refused at
a file line).
"""

import random
import re
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from press.cjk import is_han
from press.errors import InputError
from press.model import NOTE_FILE
from press.prose import TEXT, prose

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
HAN_POOL = "甲乙丙丁戊己庚辛壬癸"
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*\n", re.S)
DEFINITION = re.compile(r"^ {0,3}\[\^[^\]\s]+\]:")


@dataclass(frozen=True)
class Mutant:
    """A changed copy of an issue: which operator, what it changed, where."""

    operator: str
    what: str
    folder: Path


def corpus_issues() -> list[Path]:
    """Every issue folder of the corpus (a folder holding issue.yaml, below a newsletter.yaml)."""
    return sorted(path.parent for path in CORPUS.glob("*/*/issue.yaml"))


def articles(folder: Path) -> list[Path]:
    listed = yaml.safe_load((folder / "issue.yaml").read_text(encoding="utf-8"))["articles"]
    return [folder / name for name in listed]


def texts(folder: Path) -> list[Path]:
    """The files whose text the issue prints: its editor's note (if any), then its articles."""
    note = folder / NOTE_FILE
    return ([note] if note.is_file() else []) + articles(folder)


# Where prose stands ------------------------------------------------------------------------------


def places(path: Path, where: Callable[[str, str], bool], wanted: Callable[[str], bool]) -> list[int]:
    """File offsets of prose characters that `wanted` accepts, on lines that `where(line, part)` accepts
    (part: "front" for the front matter, "body" for the Markdown)."""
    text = path.read_text(encoding="utf-8")
    reading = prose(text)
    front = FRONT_MATTER.match(text)
    body_start = front.end() if front else 0
    found = []
    for index, char in enumerate(reading.text):
        if reading.kinds[index] != TEXT or not wanted(char):
            continue
        offset = reading.origin[index]
        line_start = text.rfind("\n", 0, offset) + 1
        line_end = text.find("\n", offset)
        line = text[line_start:line_end if line_end >= 0 else len(text)]
        if where(line, "front" if offset < body_start else "body"):
            found.append(offset)
    return found


def replace_at(path: Path, offset: int, length: int, new: str) -> str:
    text = path.read_text(encoding="utf-8")
    old = text[offset:offset + length]
    path.write_text(text[:offset] + new + text[offset + length:], encoding="utf-8")
    return old


def body_line(kind: str) -> Callable[[str, str], bool]:
    """A test of a line of the body of one kind: paragraph, heading, table, caption, footnote, list, quote."""
    tests = {
        "heading": lambda line: line.lstrip().startswith("#"),
        "table": lambda line: line.lstrip().startswith("|"),
        "caption": lambda line: line.lstrip().startswith("!["),
        "footnote": lambda line: DEFINITION.match(line) is not None,
        "list": lambda line: re.match(r"\s*(?:[-+*]|\d{1,9}[.)])\s", line) is not None,
        "quote": lambda line: line.lstrip().startswith(">"),
    }
    if kind == "paragraph":
        return lambda line, part: part == "body" and not any(test(line) for test in tests.values())
    return lambda line, part: part == "body" and tests[kind](line)


def front_field(name: str) -> Callable[[str, str], bool]:
    return lambda line, part: part == "front" and line.startswith(f"{name}:")


# Operators ---------------------------------------------------------------------------------------


def alter_han(kind: str, where: Callable[[str, str], bool]):
    """An operator that changes one Han character of prose on the lines `where` accepts."""
    def operator(folder: Path, rng: random.Random) -> str | None:
        choices = [(path, offset) for path in texts(folder) for offset in places(path, where, is_han)]
        if not choices:
            return None
        path, offset = rng.choice(choices)
        old = path.read_text(encoding="utf-8")[offset]
        new = rng.choice([char for char in HAN_POOL if char != old])
        replace_at(path, offset, 1, new)
        return f"{kind}: {old} → {new} in {path.name}"
    return operator


def alter_number(folder: Path, rng: random.Random) -> str | None:
    """Change one digit of the body's prose (an amount, a year, a percentage)."""
    choices = [(path, offset) for path in texts(folder)
               for offset in places(path, body_line("paragraph"), lambda char: char in "0123456789")]
    if not choices:
        return None
    path, offset = rng.choice(choices)
    old = path.read_text(encoding="utf-8")[offset]
    new = str((int(old) + rng.randint(1, 8)) % 10)
    replace_at(path, offset, 1, new)
    return f"number: {old} → {new} in {path.name}"


SCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹₀₁₂₃₄₅₆₇₈₉"


def alter_formula(folder: Path, rng: random.Random) -> str | None:
    """Change a digit of a formula: in a ~subscript~ or ^superscript^, or a Unicode one (LiCoO₂ → LiCoO₃)."""
    choices = []
    for path in texts(folder):
        text = path.read_text(encoding="utf-8")
        marked = [match.start(1) + offset for match in re.finditer(r"[~^](\d+)[~^]", text)
                  for offset in range(len(match.group(1)))]
        unicode = [offset for offset in places(path, body_line("paragraph"), lambda char: char in SCRIPT_DIGITS)]
        choices += [(path, offset) for offset in marked + unicode]
    if not choices:
        return None
    path, offset = rng.choice(choices)
    old = path.read_text(encoding="utf-8")[offset]
    digits = SCRIPT_DIGITS[:10] if old in SCRIPT_DIGITS[:10] else SCRIPT_DIGITS[10:] if old in SCRIPT_DIGITS else \
        "0123456789"
    new = digits[(digits.index(old) + rng.randint(1, 8)) % 10]
    replace_at(path, offset, 1, new)
    return f"formula: {old} → {new} in {path.name}"


def drop_sentence(folder: Path, rng: random.Random) -> str | None:
    """Delete one sentence (up to its 。) of a paragraph, where it holds no Markdown."""
    choices = []
    for path in texts(folder):
        text = path.read_text(encoding="utf-8")
        stops = places(path, body_line("paragraph"), lambda char: char == "。")
        prose_offsets = set(places(path, body_line("paragraph"), lambda char: True))
        for stop in stops:
            start = max(text.rfind("。", 0, stop), text.rfind("\n", 0, stop)) + 1
            if all(offset in prose_offsets for offset in range(start, stop + 1)) and stop - start >= 6:
                choices.append((path, start, stop + 1))
    if not choices:
        return None
    path, start, end = rng.choice(choices)
    old = replace_at(path, start, end - start, "")
    return f"sentence dropped from {path.name}: {old[:12]}…"


def toggle_highlight(folder: Path, rng: random.Random) -> str | None:
    """Mark an article highlighted that was not, or the other way round (the cover must follow)."""
    path = rng.choice(articles(folder))
    text = path.read_text(encoding="utf-8")
    if re.search(r"^highlight:\s*true\s*$", text, re.M):
        path.write_text(re.sub(r"^highlight:\s*true\s*\n", "", text, count=1, flags=re.M), encoding="utf-8")
        return f"highlight removed from {path.name}"
    path.write_text(text.replace("\n---", "\nhighlight: true\n---", 1), encoding="utf-8")
    return f"highlight added to {path.name}"


def drop_footnote(folder: Path, rng: random.Random) -> str | None:
    """Delete a footnote: its call and its definition."""
    choices = [(path, match.group(1)) for path in texts(folder)
               for match in re.finditer(r"^\[\^([^\]\s]+)\]:", path.read_text(encoding="utf-8"), re.M)]
    if not choices:
        return None
    path, label = rng.choice(choices)
    text = path.read_text(encoding="utf-8")
    text = re.sub(rf"^\[\^{re.escape(label)}\]:.*\n?", "", text, count=1, flags=re.M)
    path.write_text(text.replace(f"[^{label}]", "", 1), encoding="utf-8")
    return f"footnote [^{label}] dropped from {path.name}"


def alter_picture(folder: Path, rng: random.Random) -> str | None:
    """Change a picture: a raster one's pixels (a block painted over it), an SVG one's text."""
    pictures = [path for path in folder.rglob("*") if path.suffix.lower() in (".png", ".jpg", ".jpeg", ".gif",
                                                                             ".webp", ".svg")
                and any(path.name in article.read_text(encoding="utf-8") or quoted(path.name) in
                        article.read_text(encoding="utf-8") for article in texts(folder))]
    if not pictures:
        return None
    path = rng.choice(sorted(pictures))
    if path.suffix.lower() == ".svg":
        text = path.read_text(encoding="utf-8")
        labels = [match.start(1) for match in re.finditer(r"<text[^>]*>\s*([^<\s])", text)]
        if not labels:
            return None
        offset = rng.choice(labels)
        old = text[offset]
        new = "乙" if old != "乙" else "甲"
        path.write_text(text[:offset] + new + text[offset + 1:], encoding="utf-8")
        return f"picture {path.name}: its text {old} → {new}"
    from PIL import Image, ImageDraw, ImageOps

    with Image.open(path) as image:
        image.load()
        fmt = image.format
        changed = ImageOps.exif_transpose(image).convert("RGB")
    width, height = changed.size
    ImageDraw.Draw(changed).rectangle([0, 0, width // 2, height // 2], fill=(255, 0, 0))
    changed.save(path, format=fmt if fmt != "GIF" else "PNG")
    return f"picture {path.name}: a quarter painted red"


def drop_note(folder: Path, rng: random.Random) -> str | None:
    """Delete a paragraph of the editor's note (editor-note.md), or the whole note when it has one paragraph."""
    path = folder / NOTE_FILE
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    front = FRONT_MATTER.match(text)
    body = text[front.end() if front else 0:]
    paragraphs = [part for part in body.split("\n\n") if part.strip() and not DEFINITION.match(part)
                  and "[^" not in part]
    if len(paragraphs) < 2:
        path.unlink()
        return f"editor's note {NOTE_FILE} deleted"
    paragraph = rng.choice(paragraphs)
    path.write_text(text.replace(paragraph, "", 1), encoding="utf-8")
    return f"paragraph dropped from the editor's note: {paragraph.strip()[:12]}…"


def quoted(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


def alter_settings(folder: Path, rng: random.Random) -> str | None:
    """Change a field the cover prints from newsletter.yaml (its title, English title or publisher)."""
    path = folder.parent / "newsletter.yaml"
    text = path.read_text(encoding="utf-8")
    name = rng.choice(["title", "title_en", "publisher"])
    match = re.search(rf"^{name}:[ \t]*(\S.*?)\s*(?:#.*)?$", text, re.M)
    if not match:
        return None
    value = match.group(1)
    new = value[:-1] + ("X" if value[-1] != "X" else "Y")
    path.write_text(text[:match.start(1)] + new + text[match.end(1):], encoding="utf-8")
    return f"newsletter {name}: {value} → {new}"


def alter_issue_number(folder: Path, rng: random.Random) -> str | None:
    """Change the issue's number (the cover, the running heads and the file's metadata print it)."""
    path = folder / "issue.yaml"
    text = path.read_text(encoding="utf-8")
    match = re.search(r"^number:\s*(\d+)", text, re.M)
    new = int(match.group(1)) % 12 + 1
    path.write_text(text[:match.start(1)] + str(new) + text[match.end(1):], encoding="utf-8")
    return f"issue number {match.group(1)} → {new}"


def swap_articles(folder: Path, rng: random.Random) -> str | None:
    """Swap two neighbouring articles of one section in issue.yaml."""
    names = articles(folder)
    sections = [re.search(r"^section:\s*(.+?)\s*$", path.read_text(encoding="utf-8"), re.M).group(1)
                for path in names]
    pairs = [index for index in range(len(names) - 1) if sections[index] == sections[index + 1]]
    if not pairs:
        return None
    index = rng.choice(pairs)
    path = folder / "issue.yaml"
    text = path.read_text(encoding="utf-8")
    first, second = names[index].name, names[index + 1].name
    text = text.replace(f"- {first}", "- \0", 1).replace(f"- {second}", f"- {first}", 1).replace("- \0", f"- {second}")
    path.write_text(text, encoding="utf-8")
    return f"articles swapped: {first} ↔ {second}"


OPERATORS: dict[str, Callable[[Path, random.Random], str | None]] = {
    "sentence": drop_sentence,
    "character": alter_han("character", body_line("paragraph")),
    "number": alter_number,
    "formula": alter_formula,
    "title": alter_han("title", front_field("title")),
    "byline": alter_han("byline", front_field("byline")),
    "heading": alter_han("heading", body_line("heading")),
    "table": alter_han("table", body_line("table")),
    "list": alter_han("list", body_line("list")),
    "quote": alter_han("quote", body_line("quote")),
    "caption": alter_han("caption", body_line("caption")),
    "footnote-text": alter_han("footnote text", body_line("footnote")),
    "footnote": drop_footnote,
    "highlight": toggle_highlight,
    "picture": alter_picture,
    "cover": alter_settings,
    "issue-number": alter_issue_number,
    "order": swap_articles,
    "note": drop_note,
}


def mutate(issue: Path, operator: str, seed: int, into: Path) -> Mutant | None:
    """A copy of the issue (with its newsletter.yaml) under `into`, changed by one operator; None if the
    operator finds nothing to change."""
    newsletter = into / issue.parent.name
    def other_issues(folder: str, names: list[str]) -> list[str]:
        if Path(folder) != issue.parent:
            return []
        return [name for name in names if (issue.parent / name).is_dir() and name != issue.name]

    shutil.copytree(issue.parent, newsletter, ignore=other_issues)
    settings = newsletter / "newsletter.yaml"
    settings.write_text(re.sub(r"^(styles_dir|fonts_dir):.*$", "", settings.read_text(encoding="utf-8"), flags=re.M)
                        + f"styles_dir: {ROOT / 'styles'}\nfonts_dir: {ROOT / 'fonts'}\n", encoding="utf-8")
    folder = newsletter / issue.name
    what = OPERATORS[operator](folder, random.Random(seed))
    return Mutant(operator, what, folder) if what else None


def killed(pdf: Path, mutant: Mutant, reading) -> tuple[bool, str]:
    """Whether press catches the mutant: press check fails on the PDF built before it, or the mutated source is
    refused at a file line.  `reading` is the PDF read once (its rules that need no source give the same
    answer for every mutant, so overlap, the one that renders pages, is left out)."""
    from press.check import check_pdf

    try:
        report = check_pdf(pdf, mutant.folder, skip={"overlap"}, reading=reading)
    except InputError as error:
        placed = all(problem.line for problem in error.problems)
        return placed, f"refused at {error.problems[0]}" if placed else f"refused without a line: {error.problems[0]}"
    failed = [check.id for check in report.checks if not check.passed]
    return bool(failed), ", ".join(failed) or "press check passed"


@dataclass
class Tally:
    """Mutants run and caught per operator, and what survived."""

    totals: Counter
    kills: Counter
    survivors: list[str]

    def __str__(self) -> str:
        rows = [f"{operator:<14} {self.kills[operator]:>4} of {self.totals[operator]:<4} killed"
                for operator in OPERATORS if self.totals[operator]]
        total, killed_ = sum(self.totals.values()), sum(self.kills.values())
        return "\n".join([*rows, f"kill rate {killed_} of {total} = {killed_ / max(1, total):.1%}"])


def run(built: dict[Path, tuple[Path, object]], seeds: int, into: Path) -> Tally:
    """Every operator's mutants (`seeds` of each) of every built issue (issue → its PDF and the PDF's reading),
    checked against the PDF built before them."""
    tally = Tally(Counter(), Counter(), [])
    for issue, (pdf, reading) in built.items():
        for operator in OPERATORS:
            for seed in range(seeds):
                mutant = mutate(issue, operator, seed, into / f"{issue.parent.name}-{operator}-{seed}")
                if mutant is None:
                    continue
                caught, why = killed(pdf, mutant, reading)
                tally.totals[operator] += 1
                tally.kills[operator] += caught
                if not caught:
                    tally.survivors.append(f"{issue.parent.name}: {mutant.what} ({why})")
    return tally


def main() -> None:
    """Build every corpus issue, check each operator's mutants against its PDF, print the kill rate."""
    from press.build import build
    from press.pdfread import read_pdf

    seeds = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    with tempfile.TemporaryDirectory() as temporary:
        built = {}
        for issue in corpus_issues():
            pdf = build(issue, Path(temporary) / f"{issue.parent.name}.pdf").path
            built[issue] = (pdf, read_pdf(pdf))
        tally = run(built, seeds, Path(temporary))
    for survivor in tally.survivors:
        print(f"SURVIVED {survivor}")
    print(tally)


if __name__ == "__main__":
    main()
