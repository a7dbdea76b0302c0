"""The engine (``timeline/``) is pure Python; it never imports Qt or ``gui/``.

The layers and their import contracts: docs/architecture.md.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENGINE = ROOT / "timeline"
FORBIDDEN = ("PySide6", "shiboken6", "gui")


def _forbidden(module: str) -> bool:
    return any(module == name or module.startswith(name + ".") for name in FORBIDDEN)


def imports_of(path: Path) -> list[tuple[int, str]]:
    """Every absolute module an engine file imports, with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute)
              and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                  "import_module", "__import__")
              and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)):
            found.append((node.lineno, node.args[0].value))
    return found


ENGINE_FILES = sorted(ENGINE.rglob("*.py"))


def test_the_engine_has_modules_to_check() -> None:
    names = {p.name for p in ENGINE_FILES}
    assert {"__init__.py", "app.py", "cli.py", "interchange.py"} <= names


@pytest.mark.parametrize("path", ENGINE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_engine_file_imports_qt_or_the_gui(path: Path) -> None:
    bad = [f"{path.relative_to(ROOT)}:{line}: import {module}"
           for line, module in imports_of(path) if _forbidden(module)]
    assert bad == []


def test_the_scan_would_catch_a_qt_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nfrom PySide6.QtCore import Qt\nimport gui.models as m\n"
                      "import shiboken6\nfrom gui import app\nimport guide\n")
    assert [m for _, m in imports_of(sample) if _forbidden(m)] == [
        "PySide6.QtCore", "gui.models", "shiboken6", "gui"]


_IMPORT_ALL = """
import importlib, json, pkgutil, sys
import timeline
names = [m.name for m in pkgutil.walk_packages(timeline.__path__, "timeline.")
         if not m.name.endswith("__main__")]
for name in names:
    importlib.import_module(name)
print(json.dumps({"file": timeline.__file__, "imported": names,
                  "modules": sorted(sys.modules)}))
"""


def test_importing_every_engine_module_loads_no_qt_and_no_gui() -> None:
    done = subprocess.run([sys.executable, "-c", _IMPORT_ALL], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert Path(report["file"]).resolve() == ENGINE / "__init__.py"
    assert {"timeline.app", "timeline.cli", "timeline.interchange",
            "timeline.bootstrap"} <= set(report["imported"])
    assert [m for m in report["modules"] if _forbidden(m)] == []


# --- the import contracts (pyproject.toml, [tool.importlinter]) -------------------------------


def _lint_imports(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` as ``make test`` runs it, from ``cwd`` (which it puts on sys.path)."""
    script = "import sys\nfrom importlinter.cli import lint_imports_command\n" \
             "sys.exit(lint_imports_command())"
    return subprocess.run([sys.executable, "-c", script, "--no-cache", "--no-logo", *args],
                          capture_output=True, text=True, cwd=cwd, timeout=300)


def test_the_import_contracts_are_kept() -> None:
    done = _lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 4 kept, 0 broken." in done.stdout


def _contracts_config() -> str:
    """The project's own [tool.importlinter] tables, as they stand in pyproject.toml."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    start = text.index("\n[tool.importlinter]\n") + 1
    tables = text[start:].split("\n[")
    kept = [tables[0]] + [t for t in tables[1:] if t.startswith(("tool.importlinter",
                                                                  "[tool.importlinter"))]
    return "\n[".join(kept)


# A miniature of the two packages: every module the contracts name, and one breach of each.
_SAMPLE = {
    "timeline/__init__.py": "",
    "timeline/api.py": "from timeline import store\n",
    "timeline/store.py": "import sqlite3\n",
    "timeline/readmodel/__init__.py": "",
    "timeline/asof/__init__.py": "",
    "timeline/asof/claims.py": "",
    "timeline/asof/rules.py": "from timeline.readmodel import x\n",
    "timeline/readmodel/x.py": "",
    "timeline/dates.py": "import sqlite3\n",
    "timeline/calendars.py": "",
    "timeline/edtf_sets.py": "from timeline import dates\n",
    "timeline/domain.py": "from timeline import dates\n",
    "timeline/engine.py": "from PySide6 import QtCore\nimport gui.widgets\n",
    "gui/__init__.py": "",
    "gui/widgets.py": "from timeline.api import store\nfrom timeline import store as s2\n",
    "gui/good.py": "from timeline.api import store\nfrom timeline import api\n",
    "gui/view_state.py": "import gui.good\nfrom PySide6.QtCore import QObject\n",
}


def test_the_contracts_report_each_kind_of_breach(tmp_path: Path) -> None:
    for name, text in _SAMPLE.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    config = tmp_path / "contracts.toml"
    config.write_text(_contracts_config(), encoding="utf-8")
    done = _lint_imports(tmp_path, str(config))
    out = done.stdout
    assert done.returncode != 0, out + done.stderr
    assert "Contracts: 0 kept, 4 broken." in out, out + done.stderr
    for breach in ("gui.widgets -> timeline.store",  # past the API
                   "timeline.engine -> PySide6", "timeline.engine -> gui.widgets",  # Qt, gui
                   "timeline.dates -> sqlite3", "timeline.asof.rules -> timeline.readmodel.x",
                   "gui.view_state -> PySide6"):
        assert breach in out, out
    # Through the API is allowed (an import of timeline.api, whatever it imports itself).
    assert "gui.good ->" not in out, out
    # The rules are checked through what they import: domain -> dates -> sqlite3.
    assert "timeline.domain -> timeline.dates" in out, out
