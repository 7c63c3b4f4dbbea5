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
    "ui": {"domain", "services", "ui", "config", "scheduling", "version"},
    "commands": {"domain", "services", "commands", "config"},
    "cli": {"domain", "services", "commands", "config", "version"},
    "config": set(),
    "version": set(),
    "__init__": set(),
    "__main__": {"cli"},
    "app": {"domain", "services", "ui", "config", "scheduling", "store", "version"},
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
        layer = rel.parts[0] if len(rel.parts) > 1 else rel.stem
        assert layer in ALLOWED, f"{rel} belongs to no layer of ALLOWED"
        for name in _imports(path):
            yield layer, rel, name


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
             if name.startswith("PySide6") and layer not in ("ui", "app")]
    assert wrong == []


def test_domain_imports_no_database_library():
    wrong = [f"{rel} imports {name}" for layer, rel, name in _layer_imports()
             if layer == "domain" and name.split(".")[0] in {"sqlalchemy", "sqlmodel", "alembic", "psycopg"}]
    assert wrong == []


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    return ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)


def test_no_import_cycles_not_even_through_imports_inside_functions():
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}

    def owner(name: str) -> str | None:
        while name and name not in paths:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets |= {owner(a.name) for a in node.names if a.name.startswith("mediator")}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("mediator"):
                for a in node.names:  # `from mediator.services import audit` imports a module
                    full = f"{node.module}.{a.name}"
                    targets.add(full if full in paths else owner(node.module))
        graph[module] = targets - {None, module}

    cycles, state = [], {}

    def visit(module: str, stack: list[str]) -> None:
        state[module] = "open"
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                cycles.append(" -> ".join(stack[stack.index(target):] + [target]))
            elif target not in state:
                visit(target, stack + [target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []
