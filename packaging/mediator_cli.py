"""Entry point of the frozen ``mediator-cli`` executable (PyInstaller needs a script, not a module)."""
import sys

from mediator.cli import main

if __name__ == "__main__":
    sys.exit(main())
