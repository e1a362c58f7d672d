"""One user action is one service call (DESIGN.md): no view calls two writing services in a row.

Two atomic services called one after the other are two transactions: when the second refuses,
the first has already saved (a group renamed although its member change was refused). The
check reads every view module and fails when two writing services are called in the same
block of statements. Calls in different branches (``if``/``else``, one ``return`` each) are
alternatives, not a sequence, and pass.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import itertools
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from django.conf import settings
from django.db.transaction import Atomic

APPS = Path(settings.BASE_DIR) / "kollegium"

# Functions in services modules that read and write nothing; a view may call them freely.
READS = {
    "shipped_guide",
    "shipped_guide_files",
    "phase_for_next_meeting",
    "talks_open",
    "invitation_from_token",
}


def _view_modules() -> Iterator[Path]:
    for path in sorted(APPS.rglob("*.py")):
        parts = path.relative_to(APPS).parts
        if "tests" in parts or "migrations" in parts:
            continue
        if path.name in ("views.py", "api.py") or "views" in parts[:-1]:
            yield path


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(settings.BASE_DIR).with_suffix("").parts)


def _service_modules(module: ModuleType) -> set[str]:
    """The names under which a view module imported a services module or package."""
    return {
        name
        for name, value in vars(module).items()
        if inspect.ismodule(value)
        and (value.__name__.endswith(".services") or ".services." in value.__name__)
    }


def sequences(source: str, services: set[str]) -> list[tuple[int, str, str]]:
    """(line, first, second) for each pair of writing service calls in one block of statements.

    A call belongs to the innermost list of statements around it (a function's body, an
    ``if``'s body or ``else``, a ``try``'s body, ...); a call inside a lambda or an argument
    belongs to the block of the statement it is in.
    """
    by_block: dict[int, list[ast.Call]] = defaultdict(list)

    def visit(node: ast.AST, block: int) -> None:
        for value in ast.iter_fields(node):
            child = value[1]
            if isinstance(child, list) and child and isinstance(child[0], ast.stmt):
                for statement in child:
                    visit(statement, id(child))
            elif isinstance(child, list):
                for item in child:
                    if isinstance(item, ast.AST):
                        visit(item, block)
            elif isinstance(child, ast.AST):
                visit(child, block)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in services
            and node.func.attr not in READS
        ):
            by_block[block].append(node)

    tree = ast.parse(source)
    visit(tree, id(tree))
    found = []
    for calls in by_block.values():
        calls.sort(key=lambda call: (call.lineno, call.col_offset))
        for first, second in itertools.pairwise(calls):
            found.append((second.lineno, first.func.attr, second.func.attr))  # type: ignore[attr-defined]
    return sorted(found)


def test_the_check_finds_two_services_in_one_block_and_not_in_two_branches():
    half_saved = """
def group_edit(request, group):
    try:
        services.group_settings_update(actor=request.user, group=group, name="x")
        services.group_members_update(actor=request.user, group=group, remove_ids=[1])
    except ValidationError as error:
        apply_validation_error(form, error)
"""
    assert sequences(half_saved, {"services"}) == [
        (5, "group_settings_update", "group_members_update")
    ]
    alternatives = """
def endorse(request, level):
    if request.POST.get("undo"):
        return post_action(request, lambda: services.endorsement_remove(skill_level=level))
    return post_action(request, lambda: services.endorsement_add(skill_level=level))
"""
    assert sequences(alternatives, {"services"}) == []
    reads = "def f():\n    services.shipped_guide('tlc')\n    services.guide_adapt(base=1)\n"
    assert sequences(reads, {"services"}) == []


def _is_atomic(function: object) -> bool:
    """Decorated with ``transaction.atomic`` (its closure holds the Atomic)."""
    while function is not None:
        cells = getattr(function, "__closure__", None) or ()
        if any(isinstance(cell.cell_contents, Atomic) for cell in cells):
            return True
        function = getattr(function, "__wrapped__", None)
    return False


def test_the_reads_really_are_reads():
    from kollegium.groups import services as group_services
    from kollegium.organisations import services as organisation_services

    assert _is_atomic(group_services.group_update)
    for name in READS:
        function = getattr(group_services, name, None) or getattr(organisation_services, name)
        assert not _is_atomic(function), f"{name} is atomic: it writes"


def test_no_view_calls_two_writing_services_in_a_row():
    problems = []
    modules = list(_view_modules())
    assert len(modules) > 10
    for path in modules:
        module = importlib.import_module(_module_name(path))
        services = _service_modules(module)
        for line, first, second in sequences(path.read_text(), services):
            problems.append(f"{path.relative_to(APPS)}:{line}: {first} then {second}")
    assert problems == [], "one user action, one service:\n" + "\n".join(problems)
