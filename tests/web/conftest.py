"""Fixtures of the browser tests: one headless Chromium for the session (its start is the slow
part), TimelineJS from the npm registry, and the seed archive."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.browser import Browser, BrowserError
from timeline.app import Archive
from timeline.interchange import import_file

HERE = Path(__file__).resolve().parent
SEED = HERE.parents[1] / "seeds" / "archive.json"
#: TimelineJS as npm installs it from tests/web/package.json (and package-lock.json).
TIMELINEJS = HERE / "node_modules" / "@knight-lab" / "timelinejs"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    try:
        started = Browser(1400, 880)
    except BrowserError as exc:
        pytest.fail(str(exc), pytrace=False)
    yield started
    started.close()


def _installed_version() -> str | None:
    try:
        return str(json.loads((TIMELINEJS / "package.json").read_text())["version"])
    except (OSError, ValueError, KeyError):
        return None


@pytest.fixture(scope="session")
def timelinejs_dist() -> Path:
    """TimelineJS's dist folder, installed from the npm registry on first use (``npm ci``,
    the version package-lock.json pins) into tests/web/node_modules, which git ignores."""
    wanted = json.loads((HERE / "package.json").read_text())["dependencies"][
        "@knight-lab/timelinejs"]
    if _installed_version() != wanted:
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is not installed: run `make setup` (it installs the system "
                        "packages of .ci/system-deps.sh)", pytrace=False)
        done = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
                              cwd=HERE, capture_output=True, text=True, timeout=300)
        if done.returncode != 0 or _installed_version() != wanted:
            pytest.fail(f"npm ci in {HERE} failed: {done.stderr.strip()[-800:]}",
                        pytrace=False)
    return TIMELINEJS / "dist"


@pytest.fixture(scope="session")
def seed() -> Iterator[Archive]:
    with Archive.in_memory() as archive:
        import_file(archive, SEED)
        yield archive
