"""`python -m persona_lab` runs the command line."""

from persona_lab.cli import main

main()
