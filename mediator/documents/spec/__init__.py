"""Form specs: the official forms as TOML data (``forms/*.toml``), loaded, checked and cached.

A form is a title, optional per-track variants and a list of blocks. Text in blocks is Jinja2
(StrictUndefined) over :class:`~mediator.documents.context.DocumentContext`. Loading checks every
key, block type, party field, placeholder and filter, so a form with a typo fails at once with
the file, the line and the offending name — never half-way through printing an agreement.

The package re-exports what the rest of the program uses; each module beside this one has one job:
``errors``, ``vocabulary`` (the data tables), ``model``, ``jinja``, ``source``, ``compiler`` and
``loading``.
"""
from __future__ import annotations

from mediator.documents.spec.errors import FormError, FormRenderError
from mediator.documents.spec.loading import available_forms, form_path, load_form, parse_form
from mediator.documents.spec.model import Block, FormSpec, Layout, Style
from mediator.documents.spec.vocabulary import (
    DEFAULT_ORGANIZATION_ROWS,
    DEFAULT_PERSON_ROWS,
    ORGANIZATION_FIELDS,
    PERSON_FIELDS,
)

__all__ = [
    "DEFAULT_ORGANIZATION_ROWS",
    "DEFAULT_PERSON_ROWS",
    "ORGANIZATION_FIELDS",
    "PERSON_FIELDS",
    "Block",
    "FormError",
    "FormRenderError",
    "FormSpec",
    "Layout",
    "Style",
    "available_forms",
    "form_path",
    "load_form",
    "parse_form",
]
