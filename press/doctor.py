"""`press doctor`: what a build's speed and correctness depend on, and how to fix what is missing.

Takes the fonts folder; returns one `Finding` per thing checked (Python,
WeasyPrint, Pango, HarfBuzz and its subsetter, the precompiled C declarations
of press.cffi_cache, the bundled fonts), each with
what was found and, when it is not right, the exact command that fixes it.
Nothing is changed.
"""

import platform
import struct
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont, TTLibError

from press.fonts import FONT_SUFFIXES, tables_past_end
from press.sources import read_source

WEASYPRINT_VERSION = "70.0"  # press/justify.py is made for this version only
FACES = ("PressSong-Regular.otf", "PressHei-Bold.otf", "PressKai-Regular.ttf", "PressSerif-Italic.otf",
         "PressSongHant-Regular.otf", "PressHeiHant-Bold.otf",  # Traditional Chinese marks (press.locale)
         "PressSongQuotes-Regular.otf", "PressHeiQuotes-Bold.otf")  # English quotes at Latin width
SETUP = "bash .ci/setup"


@dataclass
class Finding:
    """One thing checked: whether it is right, what was found, how to fix it."""

    name: str
    ok: bool
    found: str
    fix: str = ""


def diagnose(fonts_dir: Path) -> list[Finding]:
    """Everything press depends on, checked."""
    return [python(), weasyprint(), *libraries(), compiled_declarations(), *fonts(fonts_dir)]


def python() -> Finding:
    version = platform.python_version()
    ok = tuple(int(part) for part in version.split(".")[:2]) >= (3, 11)
    return Finding("Python", ok, version, "" if ok else "install Python 3.11 or newer, then run " + SETUP)


def weasyprint() -> Finding:
    import weasyprint as module

    ok = module.__version__ == WEASYPRINT_VERSION
    return Finding("WeasyPrint", ok, module.__version__,
                   "" if ok else f"press needs WeasyPrint {WEASYPRINT_VERSION} exactly: run {SETUP}")


def libraries() -> list[Finding]:
    """Pango, HarfBuzz, and HarfBuzz's subsetter (without it subsetting CJK fonts is ten times slower)."""
    from weasyprint.text import ffi

    pango = ffi.pango.pango_version()
    pango_text = f"{pango // 10000}.{pango // 100 % 100}.{pango % 100}"
    subset = ffi.harfbuzz_subset is not None and bool(ffi.harfbuzz.hb_version_atleast(4, 1, 0))
    return [
        Finding("Pango", pango >= 14400, pango_text,
                "" if pango >= 14400 else "install Pango 1.44 or newer: sudo apt-get install libpango-1.0-0"),
        Finding("HarfBuzz subsetter", subset,
                "libharfbuzz-subset present" if subset else "missing: fonts are subset by fontTools, ~10× slower",
                "" if subset else "sudo apt-get install libharfbuzz-subset0   (or: " + SETUP + ")"),
    ]


def compiled_declarations() -> Finding:
    """WeasyPrint's C declarations loaded precompiled from press's cache (else 0.15 s more per process)."""
    from weasyprint.text import ffi

    from press import cffi_cache

    compiled = type(ffi.ffi).__name__ == "CompiledFFI"
    where = cffi_cache.cache_dir()
    if compiled:
        return Finding("compiled C declarations", True, f"loaded from {where}")
    return Finding("compiled C declarations", False,
                   f"not loaded: each process parses WeasyPrint's declarations again (+0.15 s); cache {where}",
                   f"make {where} writable (or set PRESS_CACHE_DIR to a writable folder)")


def fonts(fonts_dir: Path) -> list[Finding]:
    """Each bundled face present, whole and named as its file says."""
    if not fonts_dir.is_dir():
        return [Finding("fonts folder", False, f"no folder {fonts_dir}",
                        "run press from the repository's root, or give --fonts the folder of the fonts")]
    restore = "restore it (git checkout -- fonts/, in the repository) or remake it: python fonts/make_fonts.py"
    findings = [Finding("fonts folder", True, str(fonts_dir))]
    for name in FACES:
        path = fonts_dir / name
        problem = font_problem(path)
        if problem:
            findings.append(Finding(f"font {name}", False, problem, restore))
            continue
        font = TTFont(path, lazy=True)
        glyphs = font["maxp"].numGlyphs
        font.close()
        size = path.stat().st_size
        shown = f"{size / 1024 / 1024:.1f} MB" if size >= 100 * 1024 else f"{size / 1024:.0f} KB"
        findings.append(Finding(f"font {name}", True, f"{shown}, {glyphs} glyphs"))
    others = [path.name for path in sorted(fonts_dir.glob("*")) if path.suffix.lower() in FONT_SUFFIXES
              and path.name not in FACES]
    if others:
        findings.append(Finding("other fonts", True, ", ".join(others)))
    return findings


def font_problem(path: Path) -> str | None:
    """What is wrong with a bundled face's file: missing, cut short, unreadable, or another face's file."""
    if not path.exists():
        return f"missing from {path.parent}"
    try:
        data = read_source(path)
        cut = tables_past_end(data)
        font = TTFont(path, lazy=True)
        family = font["name"].getDebugName(1)
        _ = font["maxp"].numGlyphs  # the tables the build reads first must parse
        font.close()
    except (TTLibError, OSError, KeyError, struct.error) as error:
        return f"unreadable: {error}"
    if cut:
        return f"cut short at {len(data)} bytes: its {', '.join(cut)} table(s) end past the end of the file"
    if family != path.name.split("-")[0]:
        return f"holds the face {family}, not {path.name.split('-')[0]}: another face saved under this name"
    return None


def report(findings: list[Finding]) -> str:
    """One line per finding, with the fix under each problem."""
    lines = []
    for finding in findings:
        lines.append(f"{'ok     ' if finding.ok else 'PROBLEM'} {finding.name}: {finding.found}")
        if finding.fix:
            lines.append(f"        fix: {finding.fix}")
    problems = sum(not finding.ok for finding in findings)
    lines.append("Everything press needs is in place." if not problems
                 else f"{problems} problem{'s' if problems > 1 else ''}: builds may be slow or fail.")
    return "\n".join(lines)
