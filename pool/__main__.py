"""Run the domain commands as `python -m pool` (the installed `pool` command adds `serve`)."""

from pool.cli import main

main()
