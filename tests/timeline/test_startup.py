"""The command line starts without the libraries only some commands need.

edtf's grammar (pyparsing) serves only the EDTF forms the fast path of ``timeline.dates``
leaves to it, and numpy no command at all: sqlite-utils, the read model's layer, imports it when
it is installed, and the project installs it only for ``make bench`` (matplotlib). Each
command runs in a new process, so whatever it imports at start is paid every time.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: Imported by no command that does not use them (numpy: where the bench's extra is not
#: installed, as in the project's own environment).
HEAVY = ("edtf", "pyparsing") + (() if find_spec("numpy") else ("numpy",))

_PROBE = """
import json, sys
from timeline.cli import main
archive, *commands = sys.argv[1:]
codes = [main(["--archive", archive, *command.split("|")]) for command in commands]
print(json.dumps({"codes": codes, "modules": sorted(sys.modules)}))
"""


def _loaded(archive: Path, *commands: tuple[str, ...]) -> tuple[list[int], set[str]]:
    """Run ``commands`` in one new process: their exit codes, and the top-level packages
    loaded by then."""
    done = subprocess.run([sys.executable, "-c", _PROBE, str(archive),
                           *("|".join(c) for c in commands)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.splitlines()[-1])
    return report["codes"], {m.split(".")[0] for m in report["modules"]}


def test_recording_and_asking_load_no_edtf_grammar(tmp_path: Path) -> None:
    archive = tmp_path / "a.sqlite"
    codes, loaded = _loaded(
        archive, ("record", "Town", "status", "--value", "v", "--valid", "1900/1950-06"),
        ("as-of", "1920"), ("history", "Town"), ("entities", "--format", "json"),
        ("export", "--to", "json", str(tmp_path / "out.json")))
    assert codes == [0, 0, 0, 0, 0]
    assert {"timeline", "pydantic", "sqlite_utils"} <= loaded
    assert [name for name in HEAVY if name in loaded] == []


def test_the_commands_that_need_them_load_them(tmp_path: Path) -> None:
    """The probe sees a lazily imported library once a command uses it."""
    archive = tmp_path / "a.sqlite"
    codes, loaded = _loaded(
        archive, ("record", "Town", "status", "--value", "v", "--valid", "1900-21"),
        ("export", "--to", "sqlite", str(tmp_path / "out.db")))
    assert codes == [0, 0]
    assert {"sqlite_utils", "edtf", "pyparsing"} <= loaded
