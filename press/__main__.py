"""The `press` command and `python -m press`: the command line, Ctrl-C handled from the first moment.

`run()` imports the command line (about 0.3 s of imports) with Ctrl-C held back:
a Ctrl-C pressed while press starts is remembered, the imports finish, and press
ends with one line and exit 130, as it does for Ctrl-C pressed later. Letting
KeyboardInterrupt fly during the imports is not enough: raised inside one of
importlib's weakref callbacks it is printed as an "Exception ignored" traceback
and swallowed, and the build then runs on.
"""

import signal
import sys

INTERRUPTED_WHILE_STARTING = "已中断 (interrupted while starting); nothing was written."


def run() -> None:
    """Import and run the command line; exit 130 quietly on Ctrl-C during the imports."""
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
    main()


if __name__ == "__main__":
    run()
