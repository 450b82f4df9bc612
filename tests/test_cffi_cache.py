"""WeasyPrint's C declarations loaded precompiled, and the ordinary import when that cannot be."""

import os
import subprocess
import sys

from press.cffi_cache import DECLARATIONS, MODULE

PROBE = ("import press, time; started = time.perf_counter(); import weasyprint.text.ffi as f; "
         "print(type(f.ffi).__name__, f.pango.pango_units_from_double(1), round(time.perf_counter() - started, 3))")


def probe(cache) -> list[str]:
    environment = {**os.environ, "PRESS_CACHE_DIR": str(cache)}
    result = subprocess.run([sys.executable, "-c", PROBE], env=environment, capture_output=True, text=True, check=True)
    assert result.stderr == ""
    return result.stdout.split()


def test_the_first_import_compiles_the_declarations_and_later_ones_load_them(tmp_path):
    cache = tmp_path / "cache"
    assert probe(cache)[:2] == ["CompiledFFI", "1024"]
    assert len(list(cache.glob("ffi_*.py"))) == 1
    name, units, _ = probe(cache)
    assert (name, units) == ("CompiledFFI", "1024")  # Pango answers through the compiled FFI
    assert len(list(cache.glob("ffi_*.py"))) == 1


def test_an_unwritable_cache_falls_back_to_weasyprints_own_import(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    assert probe(blocker)[:2] == ["FFI", "1024"]


def test_the_hook_finds_weasyprints_declarations():
    import importlib.machinery

    import weasyprint.text

    source = importlib.machinery.PathFinder.find_spec(MODULE, weasyprint.text.__path__).loader.get_source(MODULE)
    match = DECLARATIONS.search(source)
    assert match and "pango_layout_set_text" in match.group(1)


def test_press_s_own_declarations_load_compiled_and_without_pycparser(tmp_path):
    script = ("import sys; from press import cffpack; hb = cffpack._harfbuzz(); "
              "print(type(hb[0]).__name__, 'pycparser' in sys.modules)")
    environment = {**os.environ, "PRESS_CACHE_DIR": str(tmp_path)}
    for _ in range(2):  # the first run compiles, the second loads what the first wrote
        result = subprocess.run([sys.executable, "-c", script], env=environment, capture_output=True, text=True,
                                check=True)
    assert result.stdout.split() == ["CompiledFFI", "False"]
