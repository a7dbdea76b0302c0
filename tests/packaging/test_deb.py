"""The Debian package: built once per session with packaging/build-deb.sh, then inspected,
unpacked into a scratch root and run there with no project venv anywhere on PATH.

Upgrading is tested with dpkg itself (``dpkg --root`` on a scratch root and database): the
user's archive, created by the first run and holding a claim the user recorded, must come
through an upgrade and a removal of the package byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parents[2]
MAX_BYTES = 250 * 1024 * 1024
BUILD_TIMEOUT = 600


def _version() -> str:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return str(tomllib.load(f)["project"]["version"])


def _run(cmd: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None,
         timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=timeout, check=False)


def _app_env(home: Path, **extra: str) -> dict[str, str]:
    """A user's environment with nothing of the project in it: no venv, no PYTHONPATH."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
           "XDG_DATA_HOME": str(home / ".local" / "share"),
           "XDG_CONFIG_HOME": str(home / ".config"), "XDG_CACHE_HOME": str(home / ".cache")}
    env.update(extra)
    return env


def _snapshot(tree: Path) -> dict[str, tuple[int, int]]:
    """(size, mtime) of every file under ``tree``: to prove the app writes nothing there."""
    return {str(p.relative_to(tree)): (p.lstat().st_size, p.lstat().st_mtime_ns)
            for p in sorted(tree.rglob("*"))}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- the build -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def deb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("deb")
    started = time.monotonic()
    # xz at level 0: the package's own format, built in a sixth of the time (about 2 minutes
    # less on a 2-core machine); the release build keeps dpkg's level.
    proc = _run(["bash", str(ROOT / "packaging" / "build-deb.sh"), str(out)],
                timeout=BUILD_TIMEOUT, cwd=ROOT,
                env={**os.environ, "HINDSIGHT_DEB_XZ_LEVEL": "0"})
    if proc.returncode != 0:
        pytest.fail(f"packaging/build-deb.sh failed (exit {proc.returncode}):\n"
                    f"{proc.stderr[-6000:]}\n{proc.stdout[-2000:]}", pytrace=False)
    debs = sorted(out.glob("hindsight_*.deb"))
    assert len(debs) == 1, f"expected one .deb in {out}, found {debs}"
    print(f"\nbuilt {debs[0].name} in {time.monotonic() - started:.0f} s:\n{proc.stderr}",
          file=sys.stderr)
    return debs[0]


@pytest.fixture(scope="session")
def control(deb: Path) -> dict[str, str]:
    proc = _run(["dpkg-deb", "--field", str(deb)])
    assert proc.returncode == 0, proc.stderr
    fields: dict[str, str] = {}
    for line in proc.stdout.splitlines():
        if line[:1].isspace() and fields:
            continue  # a continuation line of the Description
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


@pytest.fixture(scope="session")
def contents(deb: Path) -> dict[str, str]:
    """Path (without the leading ./) -> the `dpkg-deb -c` line (mode, owner, size, link)."""
    proc = _run(["dpkg-deb", "--contents", str(deb)])
    assert proc.returncode == 0, proc.stderr
    listing = {}
    for line in proc.stdout.splitlines():
        name = line.split(None, 5)[5]
        listing[name.split(" -> ")[0].removeprefix("./").rstrip("/")] = line
    return listing


@pytest.fixture(scope="session")
def unpacked(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scratch-root")
    proc = _run(["dpkg-deb", "-x", str(deb), str(root)])
    assert proc.returncode == 0, proc.stderr
    return root


@pytest.mark.parametrize("level", ["x", "10", "-1", "6 -Zgzip"])
def test_a_bad_xz_level_is_refused_before_anything_is_built(tmp_path: Path, level: str) -> None:
    proc = _run(["bash", str(ROOT / "packaging" / "build-deb.sh"), str(tmp_path / "out")],
                cwd=ROOT, env={**os.environ, "HINDSIGHT_DEB_XZ_LEVEL": level}, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines()[-1] == (
        f"build-deb: error: HINDSIGHT_DEB_XZ_LEVEL is '{level}', not a level from 0 to 9")
    assert not list((tmp_path / "out").iterdir())  # nothing built, nothing left


# --- the package -----------------------------------------------------------------------------


def test_package_name_and_size(deb: Path) -> None:
    arch = _run(["dpkg", "--print-architecture"]).stdout.strip()
    assert deb.name == f"hindsight_{_version()}_{arch}.deb"
    size = deb.stat().st_size
    print(f"\n{deb.name}: {size / 2**20:.1f} MiB", file=sys.stderr)
    assert size < MAX_BYTES, f"{deb.name} is {size / 2**20:.0f} MiB, over 250 MiB"


def test_control_fields(control: dict[str, str]) -> None:
    assert control["Package"] == "hindsight"
    assert control["Version"] == _version()
    assert control["Architecture"] == _run(["dpkg", "--print-architecture"]).stdout.strip()
    assert re.fullmatch(r".+ <[^@\s]+@[^@\s]+>", control["Maintainer"])
    assert int(control["Installed-Size"]) > 10_000
    assert control["Description"]
    depends = [d.strip() for d in control["Depends"].split(",")]
    names = {re.split(r"[\s(]", d)[0] for d in depends}
    print(f"\nDepends: {control['Depends']}", file=sys.stderr)
    # What Qt's widgets and the xcb platform need from the system, and Python's own needs.
    for needed in ("libc6", "libstdc++6", "libfontconfig1", "libfreetype6", "libglib2.0-0",
                   "libxkbcommon0", "libxcb1", "libxcb-cursor0", "libx11-6", "libdbus-1-3",
                   "libegl1", "libsqlite3-0"):
        assert needed in names, f"{needed} missing from Depends: {control['Depends']}"
    assert not {n for n in names if n.startswith(("libqt6", "python3"))}, \
        "Qt and Python are bundled; they must not be dependencies"


def test_depends_are_satisfied_here(control: dict[str, str]) -> None:
    """Depends was computed from this machine's libraries, so it must hold here."""
    for dep in control["Depends"].split(","):
        match = re.fullmatch(r"\s*([a-z0-9.+-]+)(?:\s*\((\S+)\s+(\S+)\))?\s*", dep.split("|")[0])
        assert match, f"cannot read the dependency {dep!r}"
        name, op, version = match.groups()
        query = _run(["dpkg-query", "-W", "-f=${Status}\t${Version}", name])
        assert query.returncode == 0 and "install ok installed" in query.stdout, \
            f"{name} is not installed here"
        if op:
            installed = query.stdout.split("\t")[1]
            ok = _run(["dpkg", "--compare-versions", installed, op, version]).returncode == 0
            assert ok, f"{name} {installed} does not satisfy ({op} {version})"


def test_file_list(contents: dict[str, str]) -> None:
    for path in ("opt/hindsight/hindsight", "usr/bin/hindsight",
                 "usr/share/applications/hindsight.desktop",
                 "usr/share/icons/hicolor/scalable/apps/hindsight.svg",
                 "usr/share/icons/hicolor/256x256/apps/hindsight.png",
                 "usr/share/doc/hindsight/copyright",
                 "opt/hindsight/_internal/seeds/archive.json",
                 "opt/hindsight/_internal/timeline/schema/hindsight-1.schema.json"):
        assert path in contents, f"{path} is not in the package"
    assert contents["opt/hindsight/hindsight"].startswith("-rwxr-xr-x root/root")
    assert contents["usr/bin/hindsight"].startswith("lrwxrwxrwx")
    assert contents["usr/bin/hindsight"].endswith("-> /opt/hindsight/hindsight")
    sources = [p for p in contents if p.startswith("opt/hindsight/_internal/seeds/sources/")]
    assert len(sources) == len(list((ROOT / "seeds" / "sources").glob("*.txt"))) > 0
    for path, line in contents.items():
        assert " root/root " in line, f"{path} is not owned by root: {line}"
        assert path == "" or path.startswith(("opt", "usr")), f"{path} is outside /opt, /usr"
        if path.startswith("usr/") and path.count("/") > 1:
            assert path.startswith(("usr/bin/hindsight", "usr/share/applications",
                                    "usr/share/icons", "usr/share/doc")), path


def test_qt_is_trimmed(contents: dict[str, str]) -> None:
    qt = "opt/hindsight/_internal/PySide6/Qt/"
    libs = {Path(p).name for p in contents if p.startswith(qt + "lib/")}
    for unused in ("libQt6Network.so.6", "libQt6Qml.so.6", "libQt6Quick.so.6",
                   "libQt6Pdf.so.6", "libQt6Sql.so.6", "libQt6OpenGL.so.6"):
        assert unused not in libs
    plugins = {p.removeprefix(qt + "plugins/") for p in contents
               if p.startswith(qt + "plugins/") and p.endswith(".so")}
    assert "platforms/libqxcb.so" in plugins and "platforms/libqoffscreen.so" in plugins
    assert not {p for p in plugins if p.startswith(("platforms/libqwayland", "platforms/libqvnc",
                                                    "platformthemes/libqgtk3", "sqldrivers"))}
    assert not [p for p in contents if p.startswith(qt + "qml")]
    assert not [p for p in contents if "/translations/" in p and p.endswith(".qm")
                and not Path(p).name.startswith("qtbase_")]


def test_desktop_entry_and_icon(unpacked: Path) -> None:
    entry = (unpacked / "usr/share/applications/hindsight.desktop").read_text()
    lines = dict(line.split("=", 1) for line in entry.splitlines() if "=" in line)
    assert entry.startswith("[Desktop Entry]\n")
    assert lines["Type"] == "Application"
    assert lines["Exec"] == "hindsight gui"
    assert lines["Icon"] == "hindsight"
    assert {"Education", "Science"} <= set(lines["Categories"].rstrip(";").split(";"))
    png = (unpacked / "usr/share/icons/hicolor/256x256/apps/hindsight.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") == int.from_bytes(png[20:24], "big") == 256
    svg = (unpacked / "usr/share/icons/hicolor/scalable/apps/hindsight.svg").read_text()
    assert "<svg" in svg


# --- the installed app -----------------------------------------------------------------------


def test_installed_self_test(unpacked: Path, tmp_path: Path) -> None:
    """`hindsight --self-test`, found on PATH through a link as /usr/bin/hindsight is."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "hindsight").symlink_to(unpacked / "opt/hindsight/hindsight")
    home = tmp_path / "home"
    env = _app_env(home, PATH=f"{bin_dir}:/usr/bin:/bin")  # no QT_QPA_PLATFORM, no DISPLAY
    before = _snapshot(unpacked)
    started = time.monotonic()
    proc = _run(["hindsight", "--self-test"], env=env, cwd=tmp_path)
    elapsed = time.monotonic() - started
    print(f"\nself-test of the installed app: {elapsed:.1f} s\n{proc.stdout}", file=sys.stderr)
    assert proc.returncode == 0, f"self-test failed:\n{proc.stdout}\n{proc.stderr}"
    ok = [line for line in proc.stdout.splitlines() if line.startswith("ok: ")]
    assert len(ok) >= 6 and "FAIL" not in proc.stdout
    assert "installed bundle" in proc.stdout  # the frozen app, not a Python from the project
    assert "/opt/hindsight/_internal/seeds/archive.json" in proc.stdout
    assert "main window" in ok[-1]
    # The renderers (QtSvg, QtPrintSupport, citeproc's styles) are in the bundle, named by its
    # entry point: a report is written as PDF and the graph as SVG.
    assert any(line.startswith("ok: a report (PDF) and a picture (SVG) are written") for line in ok)
    assert not (home / ".local/share/hindsight").exists(), "the self-test used the user's data"
    assert _snapshot(unpacked) == before, "the app wrote under its installation folder"


def test_installed_cli_first_run(unpacked: Path, tmp_path: Path,
                                 count_events: Callable[[Path], int]) -> None:
    """The first run creates the user's archive from the bundled seeds, then answers."""
    app = str(unpacked / "opt/hindsight/hindsight")
    home = tmp_path / "home"
    env = _app_env(home)
    archive = home / ".local/share/hindsight/archive.sqlite"
    before = _snapshot(unpacked)
    proc = _run([app, "as-of", "2023-11-30", "--entity", "Microsoft", "--format", "json"],
                env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    answer = json.loads(proc.stdout)
    assert answer["as_of"] == "2023-11-30"
    facts = answer["facts"]
    assert facts and all(f["status"] in ("HOLDS", "MAYBE", "CONTESTED", "DISPUTED") for f in facts)
    assert any("OpenAI" in (f["subject"], f.get("object")) for f in facts)
    assert all(f["sources"] for f in facts)
    assert archive.is_file(), "the first run did not create the user's archive"
    events = count_events(archive)
    assert events > 0
    again = _run([app, "as-of", "2025-05-31", "--entity", "Optimus", "--format", "json"],
                 env=env, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["facts"]
    assert count_events(archive) == events, "the second run seeded the archive again"
    bad = _run([app, "as-of", "2023-13-45"], env=env, cwd=tmp_path)
    assert bad.returncode != 0 and "Traceback" not in bad.stderr and bad.stderr.strip()
    assert _snapshot(unpacked) == before, "the app wrote under its installation folder"


def test_installed_gui_on_x11(unpacked: Path, tmp_path: Path) -> None:
    """The window on a real X server (Xvfb), through the xcb platform and the system's
    X/xcb/fontconfig libraries that Depends names."""
    xvfb_run = shutil.which("xvfb-run")
    if xvfb_run is None:
        if os.environ.get("CI"):
            pytest.fail("xvfb-run is missing (make system-deps installs it)")
        pytest.skip("xvfb-run is not installed")
    app = str(unpacked / "opt/hindsight/hindsight")
    shot = tmp_path / "window.png"
    env = _app_env(tmp_path / "home", QT_QPA_PLATFORM="xcb")
    proc = _run([xvfb_run, "-a", "-s", "-screen 0 1600x1000x24", app, "gui",
                 "--screenshot", str(shot)], env=env, cwd=tmp_path)
    assert proc.returncode == 0, f"{proc.stdout}\n{proc.stderr}"
    assert shot.is_file() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    selftest = _run([xvfb_run, "-a", app, "--self-test"], env=env, cwd=tmp_path)
    assert selftest.returncode == 0, f"{selftest.stdout}\n{selftest.stderr}"
    assert "on the 'xcb' platform" in selftest.stdout


# --- upgrades --------------------------------------------------------------------------------


def _dpkg(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """dpkg on a scratch root with its own database (Depends are not installed there)."""
    prefix = [] if os.geteuid() == 0 else ["fakeroot"]
    cmd = [*prefix, "dpkg", f"--root={root}", "--force-depends", "--force-not-root",
           "--log=/dev/null", *args]
    return _run(cmd, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def _next_version(deb: Path, work: Path, version: str) -> Path:
    """The same package as a newer version, as an upgrade would bring."""
    tree = work / "next"
    proc = _run(["dpkg-deb", "-R", str(deb), str(tree)])
    assert proc.returncode == 0, proc.stderr
    control = tree / "DEBIAN" / "control"
    text = re.sub(r"(?m)^Version: .*$", f"Version: {version}", control.read_text())
    control.write_text(text)
    (tree / "opt/hindsight/UPGRADED").write_text(version)
    out = work / f"hindsight_{version}.deb"
    proc = _run(["dpkg-deb", "--root-owner-group", "-Znone", "--build", str(tree), str(out)])
    assert proc.returncode == 0, proc.stderr
    shutil.rmtree(tree)
    return out


def test_upgrade_and_removal_keep_the_users_archive(
        deb: Path, tmp_path: Path, count_events: Callable[[Path], int]) -> None:
    root = tmp_path / "root"
    admin = root / "var/lib/dpkg"
    for sub in ("info", "updates", "triggers"):
        (admin / sub).mkdir(parents=True)
    (admin / "status").touch()
    installed = _dpkg(root, "-i", str(deb))
    assert installed.returncode == 0, installed.stdout + installed.stderr
    app = str(root / "opt/hindsight/hindsight")
    home = tmp_path / "home"
    env = _app_env(home)
    data = home / ".local/share/hindsight"

    # The first run seeds the user's archive; the user records a claim of their own.
    first = _run([app, "as-of", "2023-11-30", "--format", "json"], env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    recorded = _run([app, "record", "Ada Lovelace Society", "note", "--value",
                     "checked before the upgrade", "--valid", "2024-05"], env=env, cwd=tmp_path)
    assert recorded.returncode == 0, recorded.stderr
    claim_id = recorded.stdout.strip()
    files = sorted(p for p in data.iterdir() if p.is_file())
    assert data / "archive.sqlite" in files
    digests = {p.name: _sha256(p) for p in files}
    events = count_events(data / "archive.sqlite")

    # Upgrade: dpkg replaces /opt/hindsight and nothing else.
    newer = _next_version(deb, tmp_path, f"{_version()}+upgrade1")
    upgraded = _dpkg(root, "-i", str(newer))
    assert upgraded.returncode == 0, upgraded.stdout + upgraded.stderr
    assert "Unpacking hindsight" in upgraded.stdout and "over (" in upgraded.stdout
    status = _run(["dpkg-query", f"--admindir={admin}", "-W", "-f=${Version}", "hindsight"])
    assert status.stdout == f"{_version()}+upgrade1"
    assert (root / "opt/hindsight/UPGRADED").is_file()
    assert {p.name: _sha256(p) for p in files} == digests, "the upgrade touched user data"

    # The upgraded app opens the same archive: not seeded again, the user's claim is there.
    history = _run([app, "history", "Ada Lovelace Society", "--format", "json"], env=env,
                   cwd=tmp_path)
    assert history.returncode == 0, history.stderr
    assert [c["id"] for c in json.loads(history.stdout)["claims"]] == [claim_id]
    assert count_events(data / "archive.sqlite") == events

    # Removing (even purging) the package leaves the user's archive alone.
    digests = {p.name: _sha256(p) for p in files}
    purged = _dpkg(root, "--purge", "hindsight")
    assert purged.returncode == 0, purged.stdout + purged.stderr
    assert not (root / "opt/hindsight").exists()
    assert not (root / "usr/bin/hindsight").is_symlink()
    assert {p.name: _sha256(p) for p in files} == digests
