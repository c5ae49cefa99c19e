"""No import cycle among the modules of `articles`, counting imports inside functions too.

A cycle hidden behind an import inside a function still ties two layers
together (the cache and the comments once did: models -> comments -> caching
-> models); dependencies point one way (views -> queries -> models ->
rendering). Reads the source with ast, so it sees every import, run or not.
"""

import ast
from pathlib import Path

PACKAGE = "articles"
ROOT = Path(__file__).resolve().parents[1]


def module_names():
    """Return {dotted name: path} of the package's modules (migrations aside)."""
    names = {}
    for path in (ROOT / PACKAGE).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(ROOT).with_suffix("").parts
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return names


def imported(node, module, is_package, names):
    """Return the modules an import statement names, relative ones made absolute.

    `from package import module` names the module, not the package: a package's
    own __init__ imports its modules, and Python always runs it first anyway.
    """
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module if is_package else module.rpartition(".")[0]
        for _level in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{base}" if base else package
    return [
        f"{base}.{alias.name}" if f"{base}.{alias.name}" in names else base for alias in node.names
    ]


def import_graph():
    names = module_names()

    def owner(name):
        while name and name not in names:
            name = name.rpartition(".")[0]
        return name

    graph = {}
    for module, path in names.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for name in imported(node, module, path.name == "__init__.py", names):
                    if name.split(".")[0] == PACKAGE and owner(name) not in ("", module):
                        targets.add(owner(name))
        graph[module] = targets
    return graph


def cycles(graph):
    """Return the strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while not component or component[-1] != node:
                component.append(stack.pop())
                on_stack.discard(component[-1])
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_of_articles_is_part_of_an_import_cycle():
    assert cycles(import_graph()) == []


def test_the_check_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_the_graph_sees_imports_inside_functions():
    # apps.py connects the cache's receivers from ready(), inside a method.
    assert "articles.caching.invalidation" in import_graph()["articles.apps"]
