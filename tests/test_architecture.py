"""The layout rules a newcomer can rely on, read from the code itself (no database needed):

- no import cycle among the project's modules (every ``import`` and ``from`` statement counts, also
  those inside functions: a lazy import still ties two modules together);
- the library never imports the command-line layer (commands depend on the library, not the reverse);
- command modules parse, call and print: no SQL in them;
- nobody edits ``sys.path`` outside tests and benchmarks;
- the loaders' engine never probes a source with ``getattr``/``hasattr``.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from safestats import config

ROOT = config.REPO_ROOT
PACKAGES = ("safestats", "loaders", "qgis_plugin")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    found = {}
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            found[_module_name(path)] = path
    return found


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Project modules ``name`` imports: import statements (relative ones resolved, ``from pkg import
    module`` included) and dotted strings that name a project module (imported dynamically)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    is_package = path.name == "__init__.py"
    here = name.split(".") if is_package else name.split(".")[:-1]
    targets: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                targets.add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)] if node.level > 1 else here
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            targets.add(stem)
            for alias in node.names:
                targets.add(f"{stem}.{alias.name}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            # a dotted string naming a project module is a dynamic import (importlib, a registry
            # of "package.module" or "package.module:NAME" entries)
            spec = node.value.split(":")[0]
            if spec in known:
                targets.add(spec)
    resolved = set()
    for target in targets:
        # the longest known module that the target names (``a.b.func`` → ``a.b``)
        parts = target.split(".")
        while parts and ".".join(parts) not in known:
            parts.pop()
        if parts:
            resolved.add(".".join(parts))
    resolved.discard(name)
    # importing ``a.b.c`` runs ``a`` and ``a.b`` too, but a package's __init__ importing its own
    # submodules is not a cycle worth failing on; only the named modules count as edges.
    return resolved


def import_graph() -> dict[str, set[str]]:
    sources = _sources()
    known = set(sources)
    return {name: _imports(name, path, known) for name, path in sources.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a list of modules (first == last), or None. Iterative depth-first search."""
    state: dict[str, int] = {}
    for start in sorted(graph):
        if state.get(start):
            continue
        stack = [(start, iter(sorted(graph[start])))]
        path = [start]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            if state.get(child) == 1:
                return path[path.index(child):] + [child]
            if not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(sorted(graph.get(child, ())))))
    return None


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_the_graph_sees_relative_and_lazy_imports(tmp_path):
    graph = import_graph()
    # loaders import the loading engine; the CLI imports its commands (checked so a broken parser fails)
    assert any(dep.startswith("loaders.") for dep in graph["loaders.police_uk"])
    assert any(dep.startswith("safestats.commands") for dep in graph["safestats.cli"])


def test_no_import_cycle_among_project_modules():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " → ".join(cycle)


def test_the_library_never_imports_the_commands():
    offenders = sorted(
        f"{name} imports {dep}"
        for name, deps in import_graph().items()
        if not name.startswith("safestats.commands") and name != "safestats.cli"
        for dep in deps if dep.startswith("safestats.commands") or dep == "safestats.cli")
    assert not offenders, "\n".join(offenders)


SQL = re.compile(r"\b(SELECT|INSERT\s+INTO|UPDATE\s+\w|DELETE\s+FROM|GRANT|REVOKE|CREATE\s+\w|DROP\s+\w|"
                 r"ALTER\s+\w|COPY\s+\w)\b")


def _string_constants(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node


def test_command_modules_hold_no_sql():
    found = []
    for path in sorted((ROOT / "safestats" / "commands").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
                      and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        for const in _string_constants(tree):
            if id(const) in docstrings:
                continue
            if SQL.search(const.value):
                found.append(f"{path.relative_to(ROOT)}:{const.lineno}: {const.value[:60]!r}")
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in {"execute", "executemany", "copy"}):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: .{node.func.attr}(...)")
    assert not found, "SQL in command modules (move it to the library):\n" + "\n".join(found)


def test_the_sql_detector_detects_sql():
    assert SQL.search("SELECT count(*) FROM x")
    assert SQL.search("grant select on t to r".upper())
    assert not SQL.search("Select the areas to compare")


def test_no_sys_path_edits_outside_tests_and_benchmarks():
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in {"tests", "bench", ".venv", "build", "dist"} or rel.parts[0].startswith("."):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for lineno, line in enumerate(text.splitlines(), 1):
            if re.search(r"sys\.path\.(insert|append|extend)|sys\.path\s*=", line):
                found.append(f"{rel}:{lineno}: {line.strip()}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("package", ["loaders", "safestats/commands"])
def test_sources_are_not_probed(package):
    """A source says what it is through its declared fields, not through attributes looked up by name."""
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id in {"getattr", "hasattr"}:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)[:80]}")
    assert not found, "\n".join(found)


# The loading engine does not depend on the application package, so its two tuning knobs stay beside
# the code they tune; everything else the environment can change is read in safestats/config.py.
ENVIRONMENT_READERS = {"safestats/config.py", "loaders/parallel.py", "loaders/partitions.py"}


def test_settings_come_from_config():
    found = []
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            rel = str(path.relative_to(ROOT))
            if rel in ENVIRONMENT_READERS:
                continue
            for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if re.search(r"os\.environ(\.get)?\s*[\[(]|os\.getenv\(", line) and "setdefault" not in line:
                    found.append(f"{rel}:{lineno}: {line.strip()}")
    assert not found, "read settings through safestats.config:\n" + "\n".join(found)
