"""Command-line subcommands contributed by feature modules.

Each module here defines ``register(sub, common)``: it adds its subparsers to ``sub`` (with
``parents=[common]``) and sets ``handler=fn`` on them with ``set_defaults``; ``fn(ctx, args)``
returns the exit status. ``mediator.cli`` discovers the modules, so features never edit cli.py.
"""
from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def command_modules() -> list[ModuleType]:
    return [importlib.import_module(f"{__name__}.{info.name}")
            for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name)
            if not info.name.startswith("_")]
