"""C declarations (WeasyPrint's and press's own) parsed once per machine instead of once per process.

`weasyprint.text.ffi` declares some 450 lines of Pango, HarfBuzz and
fontconfig prototypes with `cffi.FFI().cdef(...)`, which runs pycparser on
every import: 0.18 s of each cold `press build` (measured with
`python -X importtime`).  cffi can compile the same declarations ahead of
time into a small Python module ("out-of-line ABI mode") that loads in a
millisecond.  `install()` puts an import hook in front of that one module: it
takes the declarations from WeasyPrint's own source, loads their compiled form
from press's cache (writing it the first time), and runs WeasyPrint's module
unchanged with that FFI.  Anything unexpected (another WeasyPrint, an
unwritable cache) falls back to WeasyPrint's ordinary import.

`declared_ffi()` does the same for press's own declarations (the HarfBuzz
subsetter bindings of press.cffpack), so a build never imports pycparser.

The cache lives in `$PRESS_CACHE_DIR`, else `$XDG_CACHE_HOME/press`, else
`~/.cache/press`; its file name carries a hash of the declarations and the
versions of cffi and Python, so a stale file is never used.
"""

import importlib.abc
import importlib.machinery
import os
import re
import sys
from pathlib import Path

MODULE = "weasyprint.text.ffi"
DECLARATIONS = re.compile(r"^ffi = cffi\.FFI\(\)\nffi\.cdef\('''(.*?)'''\)$", re.S | re.M)


def cache_dir() -> Path:
    """Where compiled declarations are kept."""
    if os.environ.get("PRESS_CACHE_DIR"):
        return Path(os.environ["PRESS_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "press"


def install() -> None:
    """Put the hook in front of the import of weasyprint.text.ffi (idempotent; no effect once imported)."""
    if MODULE not in sys.modules and not any(isinstance(f, PrebuiltFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, PrebuiltFinder())


class PrebuiltFinder(importlib.abc.MetaPathFinder):
    """Finds weasyprint.text.ffi as usual, then loads it with compiled declarations."""

    def find_spec(self, fullname, path, target=None):
        if fullname != MODULE:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            spec.loader = PrebuiltLoader(spec.loader)
        return spec


class PrebuiltLoader(importlib.abc.Loader):
    """Runs WeasyPrint's module while `cffi.FFI()` returns the compiled FFI."""

    def __init__(self, original: importlib.machinery.SourceFileLoader):
        self.original = original

    def create_module(self, spec):
        return None

    def exec_module(self, module) -> None:
        import cffi

        ffi = compiled_ffi(self.original.get_source(MODULE) or "")
        if ffi is None:
            self.original.exec_module(module)
            return
        plain = cffi.FFI
        cffi.FFI = lambda: ffi
        try:
            self.original.exec_module(module)
        finally:
            cffi.FFI = plain


def declared_ffi(declarations: str):
    """An FFI with these C declarations: compiled and cached where possible, else parsed as usual."""
    try:
        return load_compiled(compiled_module(declarations))
    except Exception:  # any failure here only costs speed
        import cffi

        ffi = cffi.FFI()
        ffi.cdef(declarations)
        return ffi


def compiled_ffi(source: str):
    """The FFI of the module's declarations, compiled and cached; None if anything is unexpected."""
    try:
        match = DECLARATIONS.search(source)
        if match is None:
            return None
        return load_compiled(compiled_module(match.group(1)))
    except Exception:  # any failure here only costs speed: WeasyPrint imports as usual
        return None


def compiled_module(declarations: str) -> Path:
    """The path of the compiled module for these declarations, written on first use."""
    import contextlib
    import hashlib
    import io
    import tempfile

    import cffi

    key = hashlib.sha256(f"{declarations}\0{cffi.__version__}\0{sys.version}".encode()).hexdigest()[:20]
    path = cache_dir() / f"ffi_{key}.py"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        builder = cffi.FFI()
        builder.cdef(declarations)
        builder.set_source("press_weasyprint_ffi", None)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, suffix=".tmp", delete=False) as temporary:
            pass
        with contextlib.redirect_stdout(io.StringIO()):  # cffi says "generating …"
            builder.emit_python_code(temporary.name)
        os.replace(temporary.name, path)
    return path


def load_compiled(path: Path):
    """Run a module written by cffi's emit_python_code; return its FFI, which also accepts (and ignores) cdef."""
    import _cffi_backend

    class CompiledFFI(_cffi_backend.FFI):
        def cdef(self, source, **options):
            """The declarations are already compiled into this FFI."""

    namespace = {"_cffi_backend": type("Backend", (), {"FFI": CompiledFFI})}
    code = path.read_text(encoding="utf-8").replace("import _cffi_backend\n", "", 1)
    exec(compile(code, str(path), "exec"), namespace)
    return namespace["ffi"]
