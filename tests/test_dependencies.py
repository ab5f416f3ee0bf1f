"""Imports run one way (DESIGN.md): core; then venue and staff; then menu and floor; then
ordering; then the kitchen and the packages that react to ordering; then reports and the
hotel, which take payments' figures and room charges. A package imports
only packages below it, so no change in the kitchen can break taking an order, and the
kitchen follows ordering through the hooks of ``pos.ordering.events``."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {
    "core": 0,
    "venue": 1,
    "staff": 2, "devices": 2,
    "menu": 3,
    "floor": 4,
    "ordering": 5,
    "kitchen": 6, "payments": 6,
    "hotel": 7,
    "inventory": 7,  # depletes what ordering sends, at the kitchen station's location
    "reports": 8,  # reads everything below it: sales, kitchen times, the clock, food cost
}
# The app's assembly: it wires every package together and is imported by none of them.
ASSEMBLY = {"pos.web", "pos.demo", "pos.demo_data", "pos.cli", "pos.models", "pos.server"}
ALLOWED = {("pos.core.migrate", "pos.models")}  # creating the schema needs every model


def package_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] == "kitchen":
        return "kitchen"
    if parts[0] == "pos" and len(parts) > 1 and module not in ASSEMBLY:
        return parts[1]
    return None


def imports_of(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.split(".")[0] in ("pos", "kitchen")}


def feature_modules() -> dict[str, Path]:
    modules = {}
    for path in [*ROOT.joinpath("pos").rglob("*.py"), *ROOT.joinpath("kitchen").rglob("*.py")]:
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        if module.endswith(".__init__"):
            module = module.removesuffix(".__init__")
        if package_of(module) is not None:
            modules[module] = path
    return modules


def test_every_feature_package_has_a_layer():
    assert {package_of(module) for module in feature_modules()} <= set(LAYERS)


def test_packages_import_only_packages_below_them():
    upward = []
    for module, path in sorted(feature_modules().items()):
        own = package_of(module)
        for target in sorted(imports_of(path)):
            if (module, target) in ALLOWED:
                continue
            if target in ASSEMBLY or target.split(".")[0] == "app":
                upward.append(f"{module} imports the assembly module {target}")
                continue
            other = package_of(target)
            if other is not None and other != own and LAYERS[other] >= LAYERS[own]:
                upward.append(f"{module} ({own}) imports {target} ({other})")
    assert upward == []


def test_the_check_finds_an_upward_import(tmp_path):
    """The rule itself can fail: ordering importing the kitchen is caught."""
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text("from kitchen.models import Ticket\nimport pos.ordering.models\n")
    assert {package_of(name) for name in imports_of(sneaky)} == {"kitchen", "ordering"}
    assert LAYERS["kitchen"] >= LAYERS["ordering"]
