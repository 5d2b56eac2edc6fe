"""The package layout: no import cycles between the modules of ``suggester``, counting the
imports inside functions too (a lazy import only hides a cycle); imports for type checking only
(``if TYPE_CHECKING:``) are not imports at run time and are left out."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "suggester"


def _module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PKG.rglob("*.py"))}


def _resolve(current: str, is_pkg: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = current.split(".") if is_pkg else current.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _type_checking_only(tree: ast.AST) -> set[int]:
    """ids of the nodes inside ``if TYPE_CHECKING:`` blocks."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            out |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return out


def import_graph() -> dict[str, set[str]]:
    """Module -> the package modules it imports at run time (anywhere in its source)."""
    mods = _modules()
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for name, path in mods.items():
        is_pkg = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _type_checking_only(tree)
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(name, is_pkg, node)
                # "from . import attributes" names a module; "from .frames import Frame" a name in one
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in mods else base for a in node.names]
            graph[name] |= {t for t in targets if t in mods and t != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_imports_inside_functions():
    graph = import_graph()
    assert "suggester.pipeline" in graph["suggester.cli"]  # cli imports the pipeline lazily
    assert "suggester.model" in graph["suggester.frames"]


def test_type_checking_imports_are_left_out():
    tree = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import os\nimport re\n")
    skipped = _type_checking_only(tree)
    imported = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) and id(n) not in skipped
                for a in n.names]
    assert imported == ["re"]


KNOWN_CYCLES: list[list[str]] = []


def test_no_import_cycles():
    # the package root re-exports Suggester: importing any submodule runs it, which is no cycle
    graph = {m: {t for t in ts if t != "suggester"} for m, ts in import_graph().items()}
    assert cycles(graph) == KNOWN_CYCLES


# the pipeline stages (README's stage table) and the data they read: no function in them may grow
# past a cyclomatic complexity of 25 (issue 10); ruff's mccabe check counts it
STAGE_MODULES = ("noise", "sections", "attributes", "context", "extraction", "frames", "mapping", "hybrid",
                 "title_model", "confidence", "modifiers", "flags", "output", "pipeline", "lexicon", "model")


def test_no_stage_function_above_complexity_25():
    import subprocess
    import sys

    paths = [str(PKG / f"{m}.py") for m in STAGE_MODULES]
    assert all(Path(p).is_file() for p in paths), [p for p in paths if not Path(p).is_file()]
    r = subprocess.run([sys.executable, "-m", "ruff", "check", "--isolated", "--select", "C901",
                        "--config", "lint.mccabe.max-complexity=25", "--output-format", "concise", *paths],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
