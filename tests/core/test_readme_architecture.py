"""The README's layer diagram is the import-linter contract's, in the same order, so it cannot drift from
what `lint-imports` enforces."""

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _contract_layers() -> list[list[str]]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    return [[name.strip() for name in layer.split("|")] for layer in contract["layers"]]


def _diagram_rows() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Architecture", 1)[1]
    diagram = re.search(r"```\n(.*?)```", section, re.S)
    assert diagram, "the Architecture section has no diagram"
    return [row for row in diagram.group(1).splitlines() if row.strip() and row.strip() != "│"]


def _path(module: str) -> str:
    path = module.replace(".", "/")
    return f"{path}.py" if (REPO / f"{path}.py").is_file() else f"{path}/"


def test_the_readme_diagram_lists_the_contract_layers_top_down() -> None:
    rows, layers = _diagram_rows(), _contract_layers()
    assert len(rows) == len(layers), rows
    for row, layer in zip(rows, layers, strict=True):
        for module in layer:
            assert _path(module) in row, (module, row)


def test_each_layer_has_a_paragraph() -> None:
    section = (REPO / "README.md").read_text(encoding="utf-8").split("### Architecture", 1)[1].split("\n## ", 1)[0]
    leads = re.findall(r"^\*\*[A-Z][\w ]+\*\*", section, re.M)
    assert len(leads) == len(_contract_layers()), leads
