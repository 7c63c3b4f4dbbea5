"""Launches the 调解通 desktop application: `python main.py [--db URL]`."""
import sys

from mediator.app import main

if __name__ == "__main__":
    sys.exit(main())
