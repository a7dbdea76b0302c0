"""Render packaging/icons/hindsight.svg to the raster icons installers need.

    python packaging/render_icon.py OUTDIR [--ico] [--iconset]

writes ``OUTDIR/hindsight.png`` (256x256, for the freedesktop hicolor theme), with ``--ico``
``OUTDIR/hindsight.ico`` (Windows: 16..256 px), with ``--iconset`` ``OUTDIR/hindsight.iconset/``
(macOS: ``iconutil -c icns`` turns it into ``hindsight.icns``).

Runs in the build environment (the project venv), not in the installed app. Uses Qt's SVG
renderer (QtSvg ships in PySide6-Essentials) offscreen, so it needs no display.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

SVG = Path(__file__).resolve().parent / "icons" / "hindsight.svg"

#: The iconset names macOS's iconutil expects, with their pixel sizes.
ICONSET = {
    "icon_16x16.png": 16, "icon_16x16@2x.png": 32, "icon_32x32.png": 32,
    "icon_32x32@2x.png": 64, "icon_128x128.png": 128, "icon_128x128@2x.png": 256,
    "icon_256x256.png": 256, "icon_256x256@2x.png": 512, "icon_512x512.png": 512,
    "icon_512x512@2x.png": 1024,
}


def render(size: int) -> Any:
    """The icon as a ``size`` x ``size`` QImage (Qt is imported only when rendering)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"render_icon: {SVG} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def save(image: Any, path: Path, fmt: str) -> None:
    if not image.save(str(path), fmt):
        raise SystemExit(f"render_icon: could not write {path} ({fmt})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--ico", action="store_true", help="also write hindsight.ico")
    parser.add_argument("--iconset", action="store_true", help="also write hindsight.iconset/")
    args = parser.parse_args(argv)

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    args.outdir.mkdir(parents=True, exist_ok=True)
    save(render(256), args.outdir / "hindsight.png", "PNG")
    if args.ico:
        # Qt's ICO writer stores one image; 256 px is what Windows scales down from.
        save(render(256), args.outdir / "hindsight.ico", "ICO")
    if args.iconset:
        iconset = args.outdir / "hindsight.iconset"
        iconset.mkdir(exist_ok=True)
        for name, size in ICONSET.items():
            save(render(size), iconset / name, "PNG")
    print(args.outdir / "hindsight.png")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
