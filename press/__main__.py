"""The `press` command and `python -m press`: the command line, Ctrl-C handled from the first moment.

`run()` imports the command line (about 0.3 s of imports) inside a guard, so that
Ctrl-C pressed while press starts ends it like Ctrl-C pressed later: one line,
exit 130, no traceback.
"""

import sys

INTERRUPTED_WHILE_STARTING = "已中断 (interrupted while starting); nothing was written."


def run() -> None:
    """Import and run the command line; exit 130 quietly on Ctrl-C during the imports."""
    try:
        from press.cli import main
    except KeyboardInterrupt:
        sys.stderr.write(INTERRUPTED_WHILE_STARTING + "\n")
        raise SystemExit(130) from None
    main()


if __name__ == "__main__":
    run()
