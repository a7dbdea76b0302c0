"""What the window says after an import whose new entities have names close to names the
archive already held (``ImportReport.near``).

Recording a claim asks before such a name becomes a new entity (``gui.near_names``); an import
never asks — a file imports as it always did — so the window says it afterwards, where a
historian notices: in the status bar, and in a message box that lists each new entity with the
names it is close to and says how to merge two that are one. The box does not block the
window (the historian may look the entities up while it is open), and shows the names as plain
text: they are the file's.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from timeline.api import NearNew, printable

#: How many new entities the box lists in its text; all of them are in its details.
SHOWN = 10


def summary(near: Sequence[NearNew]) -> str:
    """One sentence for the status bar: how many, and the first."""
    first = near[0]
    one = f"‘{printable(first.name)}’ is close to ‘{printable(first.close[0][0])}’"
    if len(near) == 1:
        return f"1 new entity is close to an existing name: {one}"
    return f"{len(near)} new entities are close to existing names: {one}, …"


def line(near: NearNew) -> str:
    """A new entity and the names it is close to, on one line (a name stored before names
    were checked may hold a line break or a control character: ``printable``)."""
    close = ", ".join(f"‘{name}’ ({kind}{'' if name == entity else f', alias of ‘{entity}’'})"
                      for name, kind, entity in near.close)
    return printable(f"‘{near.name}’ ({near.kind}) — close to {close}")


def near_names_box(parent: QWidget, near: Sequence[NearNew]) -> QMessageBox:
    """The message box, shown without blocking the window."""
    lines = [f"• {line(n)}" for n in near]
    listed = "\n".join(lines[:SHOWN])
    if len(lines) > SHOWN:
        listed += f"\n… and {len(lines) - SHOWN} more (Show Details)"
    heading = ("1 new entity has a name close to one" if len(near) == 1 else
               f"{len(near)} new entities have names close to ones")
    text = (f"{heading} the archive already held:\n\n{listed}\n\nThe import is complete; "
            "nothing was refused. If a new entity is one the archive already held, merge the "
            "two on the command line:\n\n    hindsight merge \"the name it is close to\" "
            "\"the new name\"\n\nkeeps the entity the archive held; the new name becomes "
            "its alias.")
    box = QMessageBox(QMessageBox.Icon.Information, "Names close to existing ones", text,
                      QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # the names are the file's
    if len(lines) > SHOWN:
        box.setDetailedText("\n".join(lines))
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.show()
    return box
