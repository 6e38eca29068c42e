"""`python -m builder.cli`: the `course` command."""

from . import main

main()
