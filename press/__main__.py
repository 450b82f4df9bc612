"""The `press` command and `python -m press`: the command line, Ctrl-C handled from the first moment.

`run()` imports the command line (about 0.3 s of imports) with Ctrl-C held back:
a Ctrl-C pressed while press starts is remembered, the imports finish, and press
ends with one line and exit 130, as it does for Ctrl-C pressed later. Letting
KeyboardInterrupt fly during the imports is not enough: raised inside one of
importlib's weakref callbacks it is printed as an "Exception ignored" traceback
and swallowed, and the build then runs on.

Python's cyclic garbage collector runs every 50 000 new objects instead of
every 700: imports and a laid-out issue are trees of objects that live until
the end, and walking them again and again took 0.2 s of the sample's build
and 2.8 s (11 %) of an issue 16 times as long (0.04 s and 0.4 s now, for
20 MB more memory at 16×).

When the command is done, `leave()` ends the process without tearing the
interpreter down: freeing a laid-out issue's boxes one object at a time took
0.1 s of every cold build, after the PDF was already in place.
"""

import atexit
import contextlib
import gc
import os
import signal
import sys

INTERRUPTED_WHILE_STARTING = "已中断 (interrupted while starting); nothing was written."
YOUNG_OBJECTS_BETWEEN_COLLECTIONS = 50_000


def run() -> None:
    """Import and run the command line; exit 130 quietly on Ctrl-C during the imports."""
    gc.set_threshold(YOUNG_OBJECTS_BETWEEN_COLLECTIONS, *gc.get_threshold()[1:])
    pressed = []
    previous = signal.getsignal(signal.SIGINT)
    if previous is signal.default_int_handler:
        signal.signal(signal.SIGINT, lambda number, frame: pressed.append(number))
    try:
        from press.cli import main
    except KeyboardInterrupt:
        pressed.append(signal.SIGINT)
    finally:
        signal.signal(signal.SIGINT, previous)
    if pressed:
        sys.stderr.write(INTERRUPTED_WHILE_STARTING + "\n")
        raise SystemExit(130)
    try:
        main()
    except SystemExit as done:
        leave(done.code)
    leave(0)


def leave(code: int | str | None) -> None:
    """Exit with `code` as SystemExit would, but skip the interpreter's teardown.

    Exit handlers still run (temporary folders are removed) and the standard streams are flushed first.
    Under a profiler or tracer (cProfile, coverage), which write their results at teardown, it exits as usual.
    """
    if sys.getprofile() is not None or sys.gettrace() is not None:
        raise SystemExit(code)
    if isinstance(code, str):
        sys.stderr.write(code + "\n")
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more can be said
            stream.flush()
    os._exit(code or 0)


if __name__ == "__main__":
    run()
