"""The historian's workbench in the main window: what each part adds to it — Add Source…,
Record Claim from Selection and Cite Selection, Add Alias…, tags and the tag filter, the
search box, Undo and Redo with Preferences…, pictures, reports and printing — installed in
this order once the window's own panels, actions and menus exist (docs/gui.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gui import (
    add_source,
    alias_dialog,
    claim_from_selection,
    report_dialog,
    search,
    tags,
    undo_actions,
    view_export,
)

if TYPE_CHECKING:
    from gui.main_window import MainWindow


def install(window: MainWindow) -> None:
    """Add every part to ``window``; those the window and its tests reach keep an attribute:
    ``view_actions``, ``aliasing``, ``tagging``, ``search``, ``undoing``."""
    window.view_actions = view_export.install(window)  # Export Picture, Export View, Print
    report_dialog.install(window)  # File → Export Report…
    add_source.install(window)  # File → Add Source…
    claim_from_selection.install(window)  # Record Claim from / Cite Selection (the viewer)
    window.aliasing = alias_dialog.install(window)  # Claims → Add Alias…
    window.tagging = tags.install(window)  # Tag Claim…, Remove Tag…, the tag filter
    window.search = search.install(window)  # the search box (Ctrl+F) and its results
    window.undoing = undo_actions.install(window)  # Undo, Redo (Claims), File → Preferences…
