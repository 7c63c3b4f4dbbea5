"""The program's version: the installed package's metadata, else the number kept here.

A frozen build (PyInstaller) carries no package metadata unless it was copied in, and a checkout
that was never installed has none: both fall back to ``VERSION``, which a unit test keeps equal
to ``project.version`` in pyproject.toml.
"""
from __future__ import annotations

import sys

VERSION = "0.1.0"  # kept in step with pyproject.toml (tests/unit/test_version.py)


def version() -> str:
    """The version number, e.g. ``0.1.0``."""
    if getattr(sys, "frozen", False):  # the build's own number, never a stray installed copy's
        return VERSION
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("mediator")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return VERSION


def version_line(program: str) -> str:
    """What ``--version`` prints: ``调解通 0.1.0（mediator-cli）``."""
    return f"调解通 {version()}（{program}）"
