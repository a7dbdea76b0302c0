"""Corrections from the GUI: record a claim, retract, supersede and rerank one.

Each dialog validates as you type by staging its change in an engine ``Batch`` that is never
committed (a dry run): whatever the engine would refuse — a bad EDTF date, a quote that is
not verbatim in its source, a certainty out of range — is shown next to its field, and OK
stays disabled until the engine would accept it. OK then stages the same change in a batch
that commits: one new event (or a few) appended to the archive, never an edit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui import formatting, name_completer, near_names
from gui.account_field import AccountOfBox, SingleBox
from gui.date_field import CALENDAR_TIP, DateField, DateKind, calendar_box
from gui.relative_field import RelativeSide
from timeline.api import (
    RANKS,
    Archive,
    Batch,
    FactView,
    HindsightError,
    InvalidInput,
    NearNames,
    correction_note,
    entity_names,
    relative_valid,
    valid_text,
)

_ERROR_STYLE = "color: #d0312d;"


class _Checked(QWidget):
    """A form field with room for an error under it."""

    def __init__(self, field: QWidget) -> None:
        super().__init__()
        self.field = field
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # messages quote what was typed
        self.error.setStyleSheet(_ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(field)
        layout.addWidget(self.error)
        self.setFocusProxy(field)

    def show_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))


def _names_box(archive: Archive, text: str = "") -> QComboBox:
    box = QComboBox()
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    box.addItems(entity_names(archive))  # thousands, on a large archive
    name_completer.attach(box, archive)  # names and aliases, by the names rule
    box.setEditText(text)
    return box


class CorrectionDialog(QDialog):
    """What the four dialogs share: the form, the dry run, the OK button."""

    title = "Correction"
    ok_text = "OK"

    def __init__(self, archive: Archive, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.archive = archive
        self.result_id: str | None = None
        self.setWindowTitle(self.title)
        self.setMinimumWidth(560)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.note = QLabel()
        self.note.setTextFormat(Qt.TextFormat.PlainText)  # it names the entities made
        self.note.setWordWrap(True)
        self.note.hide()
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # messages quote what was typed
        self.error.setObjectName("dialogError")
        self.error.setStyleSheet(_ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.ok_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        #: engine field name (InvalidInput.field, last part) -> where its error shows
        self._checked: dict[str, _Checked | DateField] = {}

    # --- building helpers -------------------------------------------------------------------

    def _row(self, label: str, field: QWidget, engine_field: str | None = None,
             tip: str = "") -> QWidget:
        shown: QWidget = field if isinstance(field, DateField) else _Checked(field)
        if tip:
            field.setToolTip(tip)
        self.form.addRow(label, shown)
        if engine_field:
            self._checked[engine_field] = shown  # type: ignore[assignment]
        self._watch(field)
        return shown

    def _watch(self, field: QWidget) -> None:
        if isinstance(field, DateField):
            field.edit.textChanged.connect(self._on_input_changed)
        elif isinstance(field, QComboBox):
            field.currentTextChanged.connect(self._on_input_changed)
            if field.isEditable():
                field.editTextChanged.connect(self._on_input_changed)
        elif isinstance(field, QLineEdit):
            field.textChanged.connect(self._on_input_changed)
        elif isinstance(field, QDoubleSpinBox):
            field.valueChanged.connect(self._on_input_changed)

    def _known_at_field(self, text: str) -> DateField:
        field = DateField(DateKind.DATE, allow_empty=True, placeholder="today")
        field.setText(text)
        self._row("Known from", field, "known_at",
                  "When the record learnt this: the source's publication date, or today for "
                  "what you establish yourself. Set “As known on” before it to see the earlier "
                  "belief.")
        return field

    # --- validation -------------------------------------------------------------------------

    def local_error(self) -> tuple[str, str] | None:
        """(field, message) for what is wrong before the engine is asked; None when fine."""
        for name, shown in self._checked.items():
            if isinstance(shown, DateField) and not shown.is_valid():
                message = shown.error() or "required"
                return name, message
        return None

    def stage(self, batch: Batch) -> str | None:
        """Stage the change in ``batch``; returns the claim id it concerns, if any."""
        raise NotImplementedError

    def _on_input_changed(self, *_: Any) -> None:
        self.validate()

    def validate(self) -> bool:
        for shown in self._checked.values():
            if not isinstance(shown, DateField):
                shown.show_error(None)
        self.error.hide()
        self.note.hide()
        problem = self.local_error()
        if problem is None:
            batch = self.archive.batch()  # never committed: a dry run
            try:
                self.stage(batch)
            except InvalidInput as exc:
                problem = (exc.field or "", exc.message)
            except HindsightError as exc:
                problem = ("", str(exc))
            else:
                self._explain(batch)
        if problem is not None:
            self._show_problem(*problem)
        self.ok_button.setEnabled(problem is None)
        return problem is None

    def _explain(self, batch: Batch) -> None:
        if batch.created:
            made = ", ".join(f"‘{n}’" for n in batch.created)
            near = [s for n in batch.created for s in self.archive.suggest(n) if s != n]
            hint = f" (did you mean {', '.join(f'‘{s}’' for s in near)}?)" if near else ""
            self.note.setText(f"This will create the new entity {made}{hint}.")
            self.note.show()

    def _show_problem(self, field: str, message: str) -> None:
        key = field.split(".")[-1] if field else ""
        if field.startswith(("valid.start.", "valid.end.")):  # a relative side's
            key, message = ".".join(field.split(".")[:2]), f"{field.split('.')[2]}: {message}"
            message = message.replace("relative_to: ", "")
        shown = self._checked.get(key)
        if shown is None and key.startswith("sources"):
            shown = self._checked.get("quote")
        if shown is not None and message != "required":
            shown.show_error(message)
        elif message != "required":
            self.error.setText(message)
            self.error.show()

    def accept(self) -> None:
        if not self.validate():
            return
        try:
            with self.archive.batch() as batch:
                self.result_id = self.stage(batch)
        except HindsightError as exc:
            self.error.setText(str(exc))
            self.error.show()
            self.ok_button.setEnabled(False)
            return
        super().accept()


class RecordClaimDialog(CorrectionDialog):
    title = "Record a Claim"
    ok_text = "Record"

    def __init__(self, archive: Archive, *, subject: str = "", valid: str = "",
                 facts: Sequence[FactView] = (), account_of: FactView | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(archive, parent)
        if account_of is not None:
            self.setWindowTitle("Record Another Account")
        self._known_touched = False
        # A new name close to one the archive holds is refused until this is ticked; shown
        # with the refusal, under it.
        self.new_entity = QCheckBox("Create a new entity")
        self.new_entity.setToolTip("Record the claim about a new entity, although its name is "
                                   "close to one the archive holds")
        self.new_entity.hide()
        self._near = False
        self.refusal: NearNames | None = None  # the last, asked about on Record (near_names)
        box = self.layout()
        assert isinstance(box, QVBoxLayout)
        box.insertWidget(box.indexOf(self.error) + 1, self.new_entity)
        self.subject = _names_box(archive, subject)
        self.predicate = QComboBox()
        self.predicate.setEditable(True)
        self.predicate.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for name, (label, single) in sorted(archive.predicates.items()):
            self.predicate.addItem(name)
            side = "subject" if single is True else (single or "")  # a bool before sides
            tip = (label or name) + (f"  (single-valued: one per {side})" if side else "")
            self.predicate.setItemData(self.predicate.count() - 1, formatting.tooltip(tip),
                                       Qt.ItemDataRole.ToolTipRole)
        self.predicate.setEditText("")
        self.object = _names_box(archive)
        self.value = QLineEdit()
        self.value.setPlaceholderText("a literal, or the relationship's quality")
        self.valid = DateField(DateKind.SPAN)
        self.valid.setText(valid)
        self.calendar = calendar_box()
        self.source = QComboBox()
        self.source.addItem("(no source: my own finding)", "")
        for s in archive.sources():
            published = valid_text(s["published"], s.get("calendar", "gregorian"))
            self.source.addItem(f"{s['title']} ({published})", s["id"])
        self.quote = QLineEdit()
        self.quote.setPlaceholderText("verbatim text from the source")
        self.certainty = QDoubleSpinBox()
        self.certainty.setRange(0.0, 1.0)
        self.certainty.setSingleStep(0.05)
        self.certainty.setDecimals(2)
        self.certainty.setValue(1.0)
        self.rank = QComboBox()
        self.rank.addItems(list(RANKS))
        self.rank.setCurrentText("normal")
        self.note_edit = QLineEdit()
        self.single = SingleBox()
        self.account_of = AccountOfBox(facts, account_of)

        self._row("Account of", self.account_of, "account_of",
                  "Optional: the fact this claim is another account of — another source's "
                  "telling of the same happening, with its own dates, certainty and quotes. "
                  "Tied to it, it is shown in that fact's row, and where the accounts disagree "
                  "on when, the fact is DISPUTED.")
        self._row("Subject", self.subject, "name", "An entity: a name or an alias; a new name "
                  "creates an entity")
        self._row("Predicate", self.predicate, "predicate",
                  "What is claimed: an existing predicate, or a new name (letters, digits, _)")
        self._row("One value", self.single, None,
                  "For a new predicate: whether it has one value at a time per subject, one "
                  "holder at a time per object (an office), both, or many at once")
        self._row("Object", self.object, None, "Another entity, for a relationship (optional)")
        self._row("Value", self.value, "value", "A literal value, or the quality of the "
                  "relationship (optional if an object is given)")
        self._row("Valid", self.valid, "valid")
        self._row("Calendar", self.calendar, "calendar", CALENDAR_TIP)
        self.calendar.currentIndexChanged.connect(
            lambda _: self.valid.set_calendar(self.calendar.currentData()))
        self.relative = {side: RelativeSide(side, facts) for side in ("start", "end")}
        for side, field in self.relative.items():
            self._row(f"{side.capitalize()} relative", field, f"valid.{side}",
                      f"Optional: the {side} given relative to another claim's start or end "
                      "(it follows that claim when it is superseded); the Valid field then "
                      f"gives the other side only")
            field.changed.connect(self._on_input_changed)
        self._row("Source", self.source, "source")
        self._row("Quote", self.quote, "quote", "Text that appears verbatim in the source")
        self.known_at = self._known_at_field("")
        self._row("Certainty", self.certainty, "certainty")
        self._row("Rank", self.rank, "rank")
        self._row("Note", self.note_edit)
        self.source.currentIndexChanged.connect(self._on_source_chosen)
        self.known_at.edit.textEdited.connect(self._on_known_at_edited)
        self.new_entity.toggled.connect(self._on_input_changed)
        self.account_of.activated.connect(self._on_account_chosen)
        if account_of is not None:
            self._fill_from(account_of, valid=True)
        self.validate()

    def _on_account_chosen(self, row: int) -> None:
        fact = self.account_of.chosen_fact()
        if fact is not None and not self.predicate.currentText().strip():
            self._fill_from(fact, valid=False)

    def _fill_from(self, fact: FactView, *, valid: bool) -> None:
        """Another account of ``fact`` says the same thing: its subject, predicate, object and
        value (and, to start from, its valid time)."""
        self.subject.setEditText(fact.subject)
        self.predicate.setEditText(fact.claim.predicate)
        self.object.setEditText(fact.object or "")
        self.value.setText(fact.claim.value or "")
        if valid:
            self.calendar.setCurrentIndex(self.calendar.findData(fact.claim.calendar))
            self.valid.setText(fact.claim.valid)

    def _predicate_side(self) -> str | None:
        """The side of the predicate typed, when the archive holds it (None: a new one)."""
        found = self.archive.predicates.get(self.predicate.currentText().strip())
        if found is None:
            return None
        return "subject" if found[1] is True else str(found[1] or "")

    def validate(self) -> bool:
        self.single.show_predicate(self._predicate_side())
        self._near = False
        valid = super().validate()
        self.new_entity.setVisible(self._near or self.new_entity.isChecked())
        self.ok_button.setEnabled(valid or self._near)  # Record asks about the near name
        return valid

    def accept(self) -> None:
        if self._near and not self.new_entity.isChecked() and not near_names.settle(self):
            return
        super().accept()

    def _on_known_at_edited(self, text: str) -> None:
        self._known_touched = bool(text)

    def _on_source_chosen(self, row: int) -> None:
        source_id = self.source.itemData(row)
        if source_id and not self._known_touched:
            # A claim from a source became known when the source was published (a claim's
            # known time is Gregorian: a Julian date gives the day it was surely known by).
            found = self.archive.source(source_id)
            gregorian = found.get("calendar", "gregorian") == "gregorian"
            self.known_at.setText(found["published"] if gregorian
                                  else formatting.iso(found["published_day"]))
        elif not source_id and not self._known_touched:
            self.known_at.setText("")

    def local_error(self) -> tuple[str, str] | None:
        if not self.subject.currentText().strip():
            return "name", "required"
        if not self.predicate.currentText().strip():
            return "predicate", "required"
        if not (self.object.currentText().strip() or self.value.text().strip()):
            return "value", "give an object (an entity) or a value"
        if self.source.currentData() and not self.quote.text().strip():
            return "quote", "a citation needs a quote from the source"
        return super().local_error()

    def stage(self, batch: Batch) -> str | None:
        source_id = self.source.currentData()
        predicate = self.predicate.currentText().strip()
        if self._predicate_side() is None and self.single.side():
            batch.predicate(predicate, "", self.single.side())
        try:
            return batch.record(
                self.subject.currentText().strip(), predicate,
                valid=relative_valid(self.valid.text(), self.relative["start"].value(),
                                     self.relative["end"].value()),
                value=self.value.text().strip() or None,
                object=self.object.currentText().strip() or None,
                sources=[(source_id, self.quote.text())] if source_id else [],
                known_at=self.known_at.text() or None, certainty=self.certainty.value(),
                rank=self.rank.currentText(), note=self.note_edit.text().strip(),
                new_entity=self.new_entity.isChecked(), account_of=self.account_of.claim_id(),
                calendar=self.calendar.currentData())
        except NearNames as exc:
            self._near, self.refusal = True, exc
            raise exc.confirm_with("Tick “Create a new entity” to create it.") from None


class _ClaimDialog(CorrectionDialog):
    """A dialog about one existing claim, shown at its top."""

    def __init__(self, archive: Archive, fact: FactView, parent: QWidget | None = None) -> None:
        super().__init__(archive, parent)
        self.fact = fact
        statement = QLabel(f"<b>{formatting.rich(fact.statement)}</b><br>" + formatting.rich(
            f"valid {valid_text(fact.claim.valid, fact.claim.calendar)} · known from "
            f"{fact.claim.known_at} · id {fact.claim.id}"))
        statement.setTextFormat(Qt.TextFormat.RichText)
        statement.setWordWrap(True)
        statement.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form.addRow("Claim", statement)


class _WithdrawDialog(_ClaimDialog):
    """A retraction or a supersession: known before the claim, it is said what that does."""

    known_at: DateField

    def _explain(self, batch: Batch) -> None:
        super()._explain(batch)
        claim = self.fact.claim
        early = correction_note(claim.known_at, claim.known_day, self.known_at.text() or None,
                                see="“As recorded on”")
        if early:
            said = [self.note.text()] if not self.note.isHidden() else []
            self.note.setText(" ".join([*said, early[0].upper() + early[1:] + "."]))
            self.note.show()


class RetractDialog(_WithdrawDialog):
    title = "Retract a Claim"
    ok_text = "Retract"

    def __init__(self, archive: Archive, fact: FactView, parent: QWidget | None = None) -> None:
        super().__init__(archive, fact, parent)
        self.known_at = self._known_at_field(formatting.iso(formatting.today()))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("why the claim is withdrawn")
        self._row("Reason", self.reason, "reason")
        self.note_text = QLabel("The claim stays in the record: set “As known on” before the "
                                "retraction to see it as it was believed.")
        self.note_text.setWordWrap(True)
        self.form.addRow("", self.note_text)
        self.validate()

    def stage(self, batch: Batch) -> str | None:
        batch.retract(self.fact.claim.id, self.known_at.text() or None, self.reason.text())
        return self.fact.claim.id


class SupersedeDialog(_WithdrawDialog):
    title = "Supersede a Claim"
    ok_text = "Supersede"

    def __init__(self, archive: Archive, fact: FactView, parent: QWidget | None = None) -> None:
        super().__init__(archive, fact, parent)
        claim = fact.claim
        self.valid = DateField(DateKind.SPAN)
        self.valid.set_calendar(claim.calendar)  # the replacement keeps the claim's calendar
        self.valid.setText(claim.valid)
        self.object = _names_box(archive, fact.object or "")
        self.value = QLineEdit(claim.value or "")
        self._row("New valid", self.valid, "valid")
        self._row("New object", self.object, None, "The entity it relates to (optional)")
        self._row("New value", self.value, "value")
        self.known_at = self._known_at_field(formatting.iso(formatting.today()))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("why the claim is corrected")
        self._row("Reason", self.reason, "reason")
        self.validate()

    def _replacement(self) -> dict[str, Any]:
        claim = self.fact.claim
        out: dict[str, Any] = {}
        if self.valid.text() != claim.valid:
            out["valid"] = self.valid.text()
        obj = self.object.currentText().strip() or None
        value = self.value.text().strip() or None
        if obj != self.fact.object or value != claim.value:
            if obj:
                out["object"] = obj
            if value:
                out["value"] = value
        return out

    def local_error(self) -> tuple[str, str] | None:
        if not (self.object.currentText().strip() or self.value.text().strip()):
            return "value", "give an object (an entity) or a value"
        found = super().local_error()
        if found is None and not self._replacement():
            return "", "change the valid time, the object or the value"
        return found

    def stage(self, batch: Batch) -> str | None:
        return batch.supersede(self.fact.claim.id, known_at=self.known_at.text() or None,
                               reason=self.reason.text(), **self._replacement())


class RerankDialog(_ClaimDialog):
    title = "Rerank a Claim"
    ok_text = "Rerank"

    def __init__(self, archive: Archive, fact: FactView, parent: QWidget | None = None) -> None:
        super().__init__(archive, fact, parent)
        self.rank = QComboBox()
        self.rank.addItems(list(RANKS))
        self.rank.setCurrentText(fact.fact.rank)
        self._row("Rank", self.rank, "rank",
                  "preferred settles a contest in its favour; deprecated leaves the claim out "
                  "of the state")
        self.known_at = self._known_at_field(formatting.iso(formatting.today()))
        self.reason = QLineEdit()
        self._row("Reason", self.reason, "reason")
        self.validate()

    def local_error(self) -> tuple[str, str] | None:
        if self.rank.currentText() == self.fact.fact.rank:
            return "rank", f"the claim is already {self.fact.fact.rank}: choose another rank"
        return super().local_error()

    def stage(self, batch: Batch) -> str | None:
        batch.rerank(self.fact.claim.id, self.rank.currentText(),
                     self.known_at.text() or None, self.reason.text())
        return self.fact.claim.id
