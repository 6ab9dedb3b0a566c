"""Test helpers live in tests/support/: no file under tests/ imports a conftest or a test module.

A conftest is pytest's to load (importing it as a module runs it twice, under two names) and a test
module imported elsewhere drags its tests and fixtures along; shared constants, classes and functions
belong in tests/support/<area>.py, fixtures in the conftests.
"""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


def _module_of(path: Path) -> list[str]:
    return list(path.relative_to(ROOT).with_suffix("").parts)


def _resolve(path: Path, node: ast.ImportFrom) -> list[str]:
    """The absolute dotted name `node` imports from, as parts (relative imports resolved against `path`)."""
    parts = (node.module or "").split(".") if node.module else []
    if not node.level:
        return parts
    package = _module_of(path)[:-1]
    return package[: len(package) - (node.level - 1)] + parts


def _is_test_module(name: list[str]) -> bool:
    return any(part == "conftest" or part.startswith("test_") for part in name)


def _is_file(name: list[str]) -> bool:
    return ROOT.joinpath(*name).with_suffix(".py").is_file() or (ROOT.joinpath(*name) / "__init__.py").is_file()


def forbidden_imports(path: Path, source: str | None = None) -> list[str]:
    """`file:line module` for each import of a conftest or test_ module in the file at `path` (or in `source`)."""
    found = []
    tree = ast.parse(path.read_text() if source is None else source, filename=str(path))
    for node in ast.walk(tree):
        names: list[list[str]] = []
        if isinstance(node, ast.Import):
            names = [alias.name.split(".") for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = _resolve(path, node)
            names = [module]
            # `from tests.channels import test_email` imports a module too, not just a name from one.
            names += [[*module, alias.name] for alias in node.names if _is_file([*module, alias.name])]
        for name in names:
            if _is_test_module(name):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {'.'.join(name)}")
    return found


def test_no_file_under_tests_imports_a_conftest_or_a_test_module() -> None:
    found = [line for path in sorted(TESTS.rglob("*.py")) for line in forbidden_imports(path)]
    assert not found, "move what these share into tests/support/<area>.py:\n" + "\n".join(found)


def test_the_check_catches_each_kind_of_import() -> None:
    source = (
        "import tests.channels.conftest\n"
        "from tests.channels.test_email  import x\n"  # two spaces: a grep for these imports skips this line
        "from tests.channels import test_slack\n"
        "from .conftest import y\n"
        "from . import test_imap\n"
        "from tests.support.channels import mail\n"
        "from tests.support import ALICE\n"
    )
    # As if it were a file in tests/channels/, so the relative imports resolve like a real test file's.
    found = forbidden_imports(TESTS / "channels" / "test_probe.py", source)
    assert [line.split(" ", 1)[1] for line in found] == [
        "tests.channels.conftest",
        "tests.channels.test_email",
        "tests.channels.test_slack",
        "tests.channels.conftest",
        "tests.channels.test_imap",
    ]
