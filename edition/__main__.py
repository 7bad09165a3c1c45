"""`python -m edition` is the same as the `edition` command."""

import sys

from .cli import main

if __name__ == "__main__":  # not when a PDF layout process (spawned: pdf_parallel.py) imports it again
    sys.exit(main())
