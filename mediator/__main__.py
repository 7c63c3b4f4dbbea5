"""`python -m mediator …` runs the command-line interface."""
import sys

from mediator.cli import main

sys.exit(main())
