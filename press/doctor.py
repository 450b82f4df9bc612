"""`press doctor`: what a build's speed and correctness depend on, and how to fix what is missing.

Takes the fonts folder; returns one `Finding` per thing checked (Python,
WeasyPrint, Pango, HarfBuzz and its subsetter, the precompiled C declarations
of press.cffi_cache, the bundled fonts), each with
what was found and, when it is not right, the exact command that fixes it.
Nothing is changed.
"""

import platform
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont, TTLibError

from press.fonts import FONT_SUFFIXES

WEASYPRINT_VERSION = "70.0"  # press/justify.py is made for this version only
FACES = ("PressSong-Regular.otf", "PressHei-Bold.otf", "PressKai-Regular.ttf")
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
    """Each bundled face present and readable."""
    findings = []
    for name in FACES:
        path = fonts_dir / name
        if not path.is_file():
            findings.append(Finding(f"font {name}", False, f"missing from {fonts_dir}",
                                    "restore it from git (git checkout -- fonts/) or remake it: "
                                    "python fonts/make_fonts.py"))
            continue
        try:
            font = TTFont(path, lazy=True)
            glyphs = font["maxp"].numGlyphs
            font.close()
        except (TTLibError, OSError, KeyError) as error:
            findings.append(Finding(f"font {name}", False, f"unreadable: {error}",
                                    "restore it from git (git checkout -- fonts/)"))
            continue
        findings.append(Finding(f"font {name}", True, f"{path.stat().st_size / 1024 / 1024:.1f} MB, {glyphs} glyphs"))
    others = [path.name for path in sorted(fonts_dir.glob("*")) if path.suffix.lower() in FONT_SUFFIXES
              and path.name not in FACES] if fonts_dir.is_dir() else []
    if others:
        findings.append(Finding("other fonts", True, ", ".join(others)))
    return findings


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
