"""The layer rules of ARCHITECTURE.md, checked on the import statements of every module."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "mediator"

# layer -> project layers it may import
ALLOWED = {
    "domain": {"domain"},
    "store": {"domain", "store"},
    "documents": {"domain", "documents"},
    "reporting": {"domain", "reporting"},
    "services": {"domain", "store", "services", "documents", "reporting", "config"},
    "scheduling": {"domain", "services", "scheduling"},
    "ui": {"domain", "services", "ui", "config", "scheduling"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _layer_imports():
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if len(rel.parts) < 2 or rel.parts[0] not in ALLOWED:
            continue
        for name in _imports(path):
            yield rel.parts[0], rel, name


def test_layers_import_only_what_they_may():
    wrong = []
    for layer, rel, name in _layer_imports():
        if name.startswith("mediator."):
            target = name.split(".")[1]
            if target not in ALLOWED[layer]:
                wrong.append(f"{rel} imports {name}")
    assert wrong == []


def test_qt_stays_in_the_ui():
    wrong = [f"{rel} imports {name}" for layer, rel, name in _layer_imports()
             if name.startswith("PySide6") and layer != "ui"]
    assert wrong == []


def test_domain_imports_no_database_library():
    wrong = [f"{rel} imports {name}" for layer, rel, name in _layer_imports()
             if layer == "domain" and name.split(".")[0] in {"sqlalchemy", "sqlmodel", "alembic", "psycopg"}]
    assert wrong == []
