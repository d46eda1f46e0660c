"""`python -m persona_lab` runs the command line."""

from persona_lab.cli import main

# Guarded: worker processes (pool.py) start by importing the main module again.
if __name__ == "__main__":
    main()
