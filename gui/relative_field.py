"""A field of the Record Claim dialog: a start or an end given relative to another claim's
start or end ("the day after the vote", "about a month before the ousting").

Ticked, it names the other claim (a fact of the state shown, or a claim id typed in), which of
its edges, an offset (an ISO 8601 duration: ``P1D``, ``-P1M``, ``P2W``) and whether it is
approximate; the dialog then records ``valid`` as ``{"start": S, "end": E}`` with this side
relative and the other side taken from its Valid field. The engine checks everything (an
unknown claim, a bad offset) and the dialog shows its refusal under this field.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from gui.account_field import fact_text
from timeline.api import FactView

EDGE_TEXTS = (("its start", "start"), ("its end", "end"))


class RelativeSide(QWidget):
    """One side (start or end) of the claim, optionally relative to another claim."""

    changed = Signal()

    def __init__(self, side: str, facts: Iterable[FactView] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.side = side
        self.setObjectName(f"{side}Relative")
        self.enabled = QCheckBox(f"The {side} is relative to another claim")
        self.anchor = QComboBox()
        self.anchor.setObjectName(f"{side}Anchor")
        self.anchor.setEditable(True)
        self.anchor.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.anchor.setMinimumContentsLength(24)
        self.anchor.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.anchor.setToolTip("The other claim: a fact shown, or a claim id")
        seen: set[str] = set()
        for fact in facts:
            if fact.claim.id not in seen:
                seen.add(fact.claim.id)
                self.anchor.addItem(fact_text(fact), fact.claim.id)
        self.anchor.setEditText("")
        self.edge = QComboBox()
        for text, edge in EDGE_TEXTS:
            self.edge.addItem(text, edge)
        self.offset = QLineEdit()
        self.offset.setPlaceholderText("offset, e.g. P1D, -P1M, P2W")
        self.offset.setToolTip("An ISO 8601 duration from that edge: P1D a day after, -P1M a "
                               "month before, P2W two weeks after; empty: the same day")
        self.approximate = QCheckBox("about")
        self.approximate.setToolTip("Approximate: widened as “~” widens a date of the offset's "
                                    "unit (a day or a week by 7 days, a month by a month)")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.anchor, 3)
        row.addWidget(self.edge)
        row.addWidget(self.offset, 1)
        row.addWidget(self.approximate)
        self.details = QWidget()
        self.details.setLayout(row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.enabled)
        layout.addWidget(self.details)
        self.details.setVisible(False)
        self.enabled.toggled.connect(self.details.setVisible)
        for signal in (self.enabled.toggled, self.anchor.editTextChanged,
                       self.anchor.currentIndexChanged, self.edge.currentIndexChanged,
                       self.offset.textChanged, self.approximate.toggled):
            signal.connect(lambda *_: self.changed.emit())

    def anchor_id(self) -> str:
        """The claim chosen: a listed fact's id, or the text typed as an id."""
        text = self.anchor.currentText().strip()
        row = self.anchor.findText(text, Qt.MatchFlag.MatchFixedString)
        return str(self.anchor.itemData(row)) if row >= 0 else text

    def value(self) -> dict[str, Any] | None:
        """This side as Hindsight JSON writes it; None when it is not relative."""
        if not self.enabled.isChecked():
            return None
        return {"relative_to": self.anchor_id(), "edge": self.edge.currentData(),
                "offset": self.offset.text().strip() or "P0D",
                "approximate": self.approximate.isChecked()}
