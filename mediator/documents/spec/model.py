"""The compiled form: its style, blocks, per-track layouts and the spec that holds them."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2


@dataclass(frozen=True)
class Style:
    """Type sizes in points, after GB/T 9704: 二号 title, 三号 body on a 28 pt line, 四号 tables."""

    body_size: float = 16.0
    title_size: float = 22.0
    leading: float = 28.0
    table_size: float = 14.0


@dataclass(frozen=True)
class Block:
    """One block of a form, its templates compiled.

    ``options`` holds the raw TOML values; ``templates`` the compiled text keys (``text``,
    ``lines[1]``, ``rows[2].cells[3]``); ``when`` and ``items`` are compiled expressions.
    """

    type: str
    line: int
    id: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    templates: Mapping[str, jinja2.Template] = field(default_factory=dict)
    expressions: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)

    def template(self, key: str) -> jinja2.Template | None:
        return self.templates.get(key)


@dataclass(frozen=True)
class Layout:
    """The title and blocks one variant of a form prints."""

    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class FormSpec:
    """A loaded form: its base layout and one layout per track variant."""

    id: str
    path: Path
    title: str
    dated: str
    requires: tuple[str, ...]
    style: Style
    layout: Layout
    variants: Mapping[str, Layout]

    def layout_for(self, track: str = "", track_detail: str = "") -> Layout:
        """The most specific variant: ``track.detail``, then ``track``, then the base form."""
        for key in (f"{track}.{track_detail}", track):
            if key in self.variants:
                return self.variants[key]
        return self.layout
