"""press: print-layout PDF publishing for Chinese periodicals."""

from press import cffi_cache

__version__ = "0.1.0"

cffi_cache.install()  # WeasyPrint's C declarations load precompiled (see press.cffi_cache)
