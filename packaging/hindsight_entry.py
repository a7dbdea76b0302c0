"""The frozen app's entry point (PyInstaller runs this script as ``hindsight``).

Entry points (``hindsight.commands``, ``hindsight.renderers``) do not exist inside a bundle,
so the plugins and renderers that the installed package would find through them are named here.
Started as an application with no arguments (the macOS .app, the Windows ``hindsightw.exe``),
it opens the desktop app.
"""

from __future__ import annotations

import sys
from pathlib import Path

import gui.command
import gui.pictures
import gui.report_pdf
import gui.selftest
import timeline.cli
from timeline import renderers


def _launched_as_app() -> bool:
    """Started from Finder or a Windows shortcut (no terminal) rather than typed in a shell."""
    exe = Path(sys.executable)
    app = exe.stem.lower() == "hindsightw" or ".app/Contents/MacOS" in str(exe)
    return app and (sys.stdin is None or not sys.stdin.isatty())


def main() -> int:
    # Finder used to pass a process serial number (-psn_…) to apps it started.
    argv = [a for a in sys.argv[1:] if not a.startswith("-psn_")]
    if not argv and _launched_as_app():
        argv = ["gui"]
    renderers.register("view", gui.pictures.export_view)
    renderers.register("graph_svg", gui.report_pdf.graph_svg)
    renderers.register("report_pdf", gui.report_pdf.report_pdf)
    return timeline.cli.main(argv, plugins=[gui.command.register, gui.selftest.register])


if __name__ == "__main__":
    sys.exit(main())
