"""Run the command line as `python -m pool`."""

from pool.cli import main

main()
