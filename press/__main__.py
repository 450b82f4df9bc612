"""`python -m press` runs the command line."""

from press.cli import main

main()
