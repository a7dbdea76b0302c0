"""What the engine asks the desktop app to draw, since it never imports Qt: pictures of the
views (``view``), the relationship graph of a report (``graph_svg``) and a report's PDF
(``report_pdf``).

An installed package offers them by entry point, in the group ``hindsight.renderers`` (the
desktop app's are in pyproject.toml); a frozen app, which has no entry points, names them
with :func:`register`. The size of a picture is checked here, once, for the command line and
the app alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from timeline.errors import InvalidInput

GROUP = "hindsight.renderers"

#: The smallest picture, and the longest side of one, in pixels.
MIN_SIZE = (320, 200)
MAX_SIDE = 8000

#: Renderers named by the program itself (a frozen app), before any entry point.
_REGISTERED: dict[str, Callable[..., Any]] = {}


def register(name: str, render: Callable[..., Any]) -> None:
    """Offer ``render`` as the renderer ``name`` in this process."""
    _REGISTERED[name] = render


def renderer(name: str) -> Callable[..., Any] | None:
    """The renderer ``name``, or None when no package that can be imported offers it (the
    desktop app is not installed, or Qt cannot be loaded)."""
    found = _REGISTERED.get(name)
    if found is not None:
        return found
    from importlib.metadata import entry_points

    for point in entry_points(group=GROUP, name=name):
        try:
            loaded = point.load()
        except ImportError:
            continue  # an optional part that is not installed
        if callable(loaded):
            return loaded  # type: ignore[no-any-return]
    return None


def picture_size(size: str | Sequence[int], field: str = "size") -> tuple[int, int]:
    """A picture's size, given as ``"WxH"`` or ``(w, h)``, within :data:`MIN_SIZE` and
    :data:`MAX_SIDE`; InvalidInput naming ``field`` if not."""
    if isinstance(size, str):
        width, sep, height = size.strip().lower().partition("x")
        try:
            w, h = int(width), int(height)
        except ValueError:
            sep = ""
        if not sep:
            raise InvalidInput(f"'{size}' is not a size in pixels WIDTHxHEIGHT, such as "
                               "1400x880", field) from None
    else:
        w, h = (int(v) for v in size)
    if not (MIN_SIZE[0] <= w <= MAX_SIDE and MIN_SIZE[1] <= h <= MAX_SIDE):
        raise InvalidInput(f"{w}x{h} is not a picture size: from {MIN_SIZE[0]}x{MIN_SIZE[1]} "
                           f"to {MAX_SIDE}x{MAX_SIDE} pixels", field)
    return w, h
