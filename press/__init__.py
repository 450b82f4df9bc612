"""press: print-layout PDF publishing for Chinese periodicals."""

__version__ = "0.1.0"
