"""Qt item models: thin adapters over the engine's answers.

``StateModel`` shows a state's facts grouped by subject; it is updated in place (rows inserted,
removed or changed, never a reset), so that a slider drag keeps the tree's expansion,
selection and scroll position and costs only what changed. ``EventModel`` lists moments in
time order and greys those after the current day; it holds three integers per moment and
fetches the claims of a page of rows by SQL only when a view asks for them.
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from gui import formatting
from gui.accounts import FactNotes
from gui.badges import EXPLANATIONS, legend_text
from timeline.api import (
    BEGINS,
    Claim,
    FactView,
    MomentKey,
    counted,
    fact_valid,
    gregorian_tip,
    is_withdrawn,
    valid_text,
    via_text,
)

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

FACT_ROLE = Qt.ItemDataRole.UserRole + 1  # the FactView of a fact row
CLAIM_ID_ROLE = Qt.ItemDataRole.UserRole + 2  # its claim id
GROUP_ROLE = Qt.ItemDataRole.UserRole + 3  # the group's entity name, on group rows
MOMENT_ROLE = Qt.ItemDataRole.UserRole + 4  # the MomentKey of an event row
NOTE_ROLE = Qt.ItemDataRole.UserRole + 5  # lines under a fact's sentence: "via Stargate",
#                                          its sources and disputes (gui.accounts.FactNotes)

# Roles as plain ints: views call data() hundreds of times per frame, and comparing Qt enum
# members costs more than the rest of the call.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole.value)
_FACT, _CLAIM_ID, _GROUP, _MOMENT, _NOTE = (
    int(r.value) if hasattr(r, "value") else int(r)
    for r in (FACT_ROLE, CLAIM_ID_ROLE, GROUP_ROLE, MOMENT_ROLE, NOTE_ROLE))
_STATE_ROLES = frozenset({_DISPLAY, _TOOLTIP, _FONT, _FACT, _CLAIM_ID, _GROUP, _NOTE})
_EVENT_ROLES = frozenset({_DISPLAY, _TOOLTIP, _FONT, _FOREGROUND, _BACKGROUND, _MOMENT,
                          _CLAIM_ID})
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def _role(role: Any) -> int:
    return role if isinstance(role, int) else int(role.value)


def fact_tooltip(fact: FactView, notes: FactNotes | None = None) -> str:
    """A fact's tooltip: its sentence, dates, certainty, sources by name (``notes`` names
    them; by id without it), its accounts with their own dates and statuses, who says what
    where they disagree, and its status explained. A valid time written in the Julian
    calendar is named so, with its Gregorian days after it."""
    claim = fact.claim
    notes = notes or FactNotes()
    valid = fact_valid(fact.fact)
    gregorian = gregorian_tip(valid, claim.calendar)
    lines = [fact.statement, f"Valid: {formatting.valid_words(valid, claim.calendar)}",
             *([f"That is {gregorian}"] if gregorian else []),
             f"Certainty: {claim.certainty:g}", *notes.tooltip_lines(fact),
             f"Rank: {fact.fact.rank}", f"Known from: {claim.known_at}",
             EXPLANATIONS.get(fact.status, fact.status)]
    if fact.fact.contested_with:
        lines.append(f"Contested by {len(fact.fact.contested_with)} other claim(s)")
    if fact.fact.ended_by:
        lines.append("Ends where a later claim of the same kind begins")
    via = via_text(fact)
    if via:
        lines.append(f"{via[0].upper()}{via[1:]}: about a part of the entity shown, on this day")
    return formatting.tooltip("\n".join(lines))


def sync_rows(model: QAbstractItemModel, parent: Index, old: list[Any], new: Sequence[Any],
              key: Any, changed: Any = None) -> bool:
    """Turn ``old`` into ``new`` in place by row removals and insertions, announced to
    ``model``. Items are matched by ``key(item)``; items kept in both must keep their
    relative order (else nothing is done and False is returned: the caller resets).
    ``changed()`` runs after each change, before the views hear of it."""
    new_keys = [key(x) for x in new]
    wanted = set(new_keys)
    kept = [key(x) for x in old if key(x) in wanted]
    old_keys = {key(x) for x in old}
    if kept != [k for k in new_keys if k in old_keys]:
        return False
    # Runs of neighbouring rows go in one removal or insertion: a long jump of the slider
    # replaces most rows, and each announcement costs the views a pass.
    row = len(old) - 1
    while row >= 0:
        if key(old[row]) in wanted:
            row -= 1
            continue
        last = row
        while row > 0 and key(old[row - 1]) not in wanted:
            row -= 1
        model.beginRemoveRows(parent, row, last)
        del old[row:last + 1]
        if changed:
            changed()
        model.endRemoveRows()
        row -= 1
    kept_keys = set(kept)
    row = 0
    while row < len(new):
        if new_keys[row] in kept_keys:
            row += 1
            continue
        last = row
        while last + 1 < len(new) and new_keys[last + 1] not in kept_keys:
            last += 1
        model.beginInsertRows(parent, row, last)
        old[row:row] = new[row:last + 1]
        if changed:
            changed()
        model.endInsertRows()
        row = last + 1
    return True


@dataclass
class _Group:
    key: int
    name: str
    facts: list[FactView] = field(default_factory=list)


class StateModel(QAbstractItemModel):
    """Facts grouped by their subject, in the engine's order."""

    COLUMNS = ("Status", "Fact", "Valid")
    STATUS, FACT, VALID = range(3)

    def __init__(self) -> None:
        super().__init__()
        self._groups: list[_Group] = []
        self._row_of: dict[int, int] = {}  # group key -> row
        self._next_key = 1
        self._bold: QFont | None = None
        #: Words about a fact's accounts (sources by name, disputes, a change of hands).
        self.notes = FactNotes()

    # --- updating ---------------------------------------------------------------------------

    def set_facts(self, facts: Sequence[FactView]) -> None:
        grouped: dict[str, list[FactView]] = {}
        for fact in facts:
            grouped.setdefault(fact.subject, []).append(fact)
        by_name = {g.name: g for g in self._groups}
        wanted = [by_name.get(name) or self._new_group(name) for name in grouped]
        if not sync_rows(self, _ROOT, self._groups, wanted, lambda g: g.name, self._reindex):
            self._reset(grouped)
            return
        last = len(self.COLUMNS) - 1
        for row, group in enumerate(self._groups):
            parent = self.createIndex(row, 0, 0)
            new = grouped[group.name]
            count = len(group.facts)
            if not sync_rows(self, parent, group.facts, new, _claim_key):
                self._reset(grouped)
                return
            for k, fact in enumerate(new):
                old = group.facts[k]
                if old is not fact:
                    group.facts[k] = fact
                    if _shown(old) != _shown(fact):
                        self.dataChanged.emit(self.createIndex(k, 0, group.key),
                                              self.createIndex(k, last, group.key))
            if count != len(group.facts):
                title = self.createIndex(row, self.FACT, 0)
                self.dataChanged.emit(title, title)

    def _new_group(self, name: str) -> _Group:
        group = _Group(self._next_key, name)
        self._next_key += 1
        return group

    def _reindex(self) -> None:
        self._row_of = {g.key: row for row, g in enumerate(self._groups)}

    def _reset(self, grouped: dict[str, list[FactView]]) -> None:
        self.beginResetModel()
        self._groups = [_Group(self._next_key + k, name, list(facts))
                        for k, (name, facts) in enumerate(grouped.items())]
        self._next_key += len(self._groups)
        self._reindex()
        self.endResetModel()

    # --- lookups ----------------------------------------------------------------------------

    def facts(self) -> list[FactView]:
        return [f for g in self._groups for f in g.facts]

    def group_names(self) -> list[str]:
        return [g.name for g in self._groups]

    def index_of_claim(self, claim_id: str) -> QModelIndex:
        for group in self._groups:
            for row, fact in enumerate(group.facts):
                if fact.claim.id == claim_id:
                    return self.createIndex(row, 0, group.key)
        return QModelIndex()

    def index_of_group(self, name: str) -> QModelIndex:
        for row, group in enumerate(self._groups):
            if group.name == name:
                return self.createIndex(row, 0, 0)
        return QModelIndex()

    def fact_at(self, index: Index) -> FactView | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        group = self._groups[self._row_of[index.internalId()]]
        return group.facts[index.row()] if index.row() < len(group.facts) else None

    # --- QAbstractItemModel -----------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = _ROOT) -> QModelIndex:
        if column < 0 or column >= len(self.COLUMNS) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0) if row < len(self._groups) else QModelIndex()
        if parent.internalId() != 0:
            return QModelIndex()
        group = self._groups[parent.row()]
        if row >= len(group.facts):
            return QModelIndex()
        return self.createIndex(row, column, group.key)

    def parent(self, index: Index = _ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        row = self._row_of.get(index.internalId())
        return QModelIndex() if row is None else self.createIndex(row, 0, 0)

    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802 - Qt API
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._groups[parent.row()].facts)
        return 0

    def columnCount(self, parent: Index = _ROOT) -> int:  # noqa: N802 - Qt API
        return len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        if (orientation == Qt.Orientation.Horizontal and section == self.STATUS
                and role == Qt.ItemDataRole.ToolTipRole):
            return formatting.tooltip(legend_text())
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _FLAGS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        role = _role(role)
        if role not in _STATE_ROLES:
            return None
        key = index.internalId()
        if key == 0:
            row = index.row()
            if row >= len(self._groups):
                return None
            return self._group_data(self._groups[row], index.column(), role)
        found = self._row_of.get(key)
        if found is None:
            return None
        facts = self._groups[found].facts
        row = index.row()
        return _fact_data(facts[row], index.column(), role, self.notes) \
            if row < len(facts) else None

    def _group_data(self, group: _Group, column: int, role: int) -> Any:
        # The entity's name sits in the Fact column, above its facts' sentences (a spanned
        # first column would cost the tree a full relayout for every new group).
        if column == self.FACT:
            if role == _DISPLAY:
                n = len(group.facts)
                return f"{group.name}   ({counted(n, 'fact')})"
            if role == _FONT:
                if self._bold is None:
                    self._bold = QFont(QApplication.font())
                    self._bold.setBold(True)
                return self._bold
        if role == _GROUP:
            return group.name
        return None


def _claim_key(fact: FactView) -> Hashable:
    return fact.claim.id


def _shown(fact: FactView) -> tuple[Any, ...]:
    f = fact.fact
    return (fact.status, fact.statement, fact.claim.valid, fact.claim.citations,
            f.rank, f.contested_with, f.ended_by, fact.via, fact.via_status, f.accounts,
            f.disputes, f.handover_with, f.start_lo, f.start_hi)


def _fact_data(fact: FactView, column: int, role: int, notes: FactNotes) -> Any:
    if role == _DISPLAY:
        if column == StateModel.STATUS:
            return fact.status
        if column == StateModel.FACT:
            return fact.statement
        if column == StateModel.VALID:
            return valid_text(fact_valid(fact.fact), fact.claim.calendar)
    elif role == _TOOLTIP:
        if column == StateModel.STATUS:
            explained = EXPLANATIONS.get(fact.status, fact.status)
            if not fact.fact.disputes:
                return explained
            return formatting.tooltip(f"{explained}\n{notes.dispute(fact.fact)}")
        return fact_tooltip(fact, notes)
    elif role == _FACT:
        return fact
    elif role == _CLAIM_ID:
        return fact.claim.id
    elif role == _NOTE and column == StateModel.FACT:
        return notes.note(fact) or None
    return None


class EventModel(QAbstractTableModel):
    """Moments (claims beginning and ending) in time order, fetched by page.

    The model is given the moments' keys (day, kind, claim number:
    ``timeline.api.moment_keys``) and a function that fetches claims by number; the claims of
    a page of ``PAGE`` rows are fetched the first time a view asks for one of its rows, and at
    most ``MAX_PAGES`` pages are kept. So a list of a hundred thousand events costs a few
    megabytes and one SQL query per page scrolled to, not every claim as a Python row."""

    COLUMNS = ("When", "Event", "Known from")
    WHEN, EVENT, KNOWN = range(3)
    PAGE = 200
    MAX_PAGES = 64

    def __init__(self) -> None:
        super().__init__()
        self._keys: list[MomentKey] = []
        self._days: list[int] = []
        self._fetch: Callable[[Sequence[int]], dict[int, Claim]] = lambda numbers: {}
        self._statement: Callable[[Claim], str] = lambda claim: claim.id
        # A page's rows: the moment's key, its claim and the claim's sentence.
        self._pages: OrderedDict[int, list[tuple[MomentKey, Claim, str]]] = OrderedDict()
        self.pages_fetched = 0  # SQL page fetches since the last set_moments (for tests)
        self._past = 0  # moments[:past] are on or before the current day
        self._involved: frozenset[str] = frozenset()  # entity ids shown in bold

    def set_moments(self, keys: Sequence[MomentKey],
                    fetch: Callable[[Sequence[int]], dict[int, Claim]],
                    statement: Callable[[Claim], str]) -> None:
        self.beginResetModel()
        self._keys = list(keys)
        self._days = [k.day for k in self._keys]
        self._fetch, self._statement = fetch, statement
        self._pages.clear()
        self.pages_fetched = 0
        self._past = 0
        self.endResetModel()

    def set_current_day(self, day: int) -> None:
        past = bisect.bisect_right(self._days, day)
        if past != self._past:
            lo, hi = sorted((past, self._past))
            self._past = past
            self.dataChanged.emit(self.index(lo, 0), self.index(hi - 1, len(self.COLUMNS) - 1))

    def set_involved(self, entity_ids: set[str] | frozenset[str]) -> None:
        """Show the moments of claims about these entities in bold."""
        entity_ids = frozenset(entity_ids)
        if entity_ids != self._involved:
            self._involved = entity_ids
            if self._keys:
                self.dataChanged.emit(self.index(0, 0),
                                      self.index(len(self._keys) - 1, len(self.COLUMNS) - 1))

    def current_row(self) -> int:
        """The latest moment on or before the current day (-1: none)."""
        return self._past - 1

    def days(self) -> list[int]:
        """Every moment's day, in order (no claim is fetched)."""
        return list(self._days)

    def loaded_pages(self) -> list[int]:
        return sorted(self._pages)

    def _page(self, row: int) -> list[tuple[MomentKey, Claim, str]]:
        number = row // self.PAGE
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        keys = self._keys[number * self.PAGE:(number + 1) * self.PAGE]
        claims = self._fetch(list(dict.fromkeys(k.n for k in keys)))
        self.pages_fetched += 1
        statements: dict[int, str] = {}
        page = []
        for key in keys:
            claim = claims[key.n]
            if key.n not in statements:
                statements[key.n] = self._statement(claim)
            page.append((key, claim, statements[key.n]))
        self._pages[number] = page
        while len(self._pages) > self.MAX_PAGES:
            self._pages.popitem(last=False)
        return page

    def key(self, row: int) -> MomentKey:
        """The row's moment: its day, its kind (``BEGINS``, ``ENDS``) and claim number."""
        return self._keys[row]

    def claim(self, row: int) -> Claim:
        """The claim beginning or ending on the row (fetched with its page)."""
        return self._page(row)[row % self.PAGE][1]

    def statement(self, row: int) -> str:
        return self._page(row)[row % self.PAGE][2]

    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._keys)

    def columnCount(self, parent: Index = _ROOT) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        role = _role(role)
        if role not in _EVENT_ROLES or not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == _FOREGROUND and row >= self._past:
            return _grey()  # still to come: no need to fetch the claim
        key, claim, statement = self._page(row)[row % self.PAGE]
        withdrawn = is_withdrawn(claim)
        involved = bool(self._involved) and (claim.subject_id in self._involved
                                             or claim.object_id in self._involved)
        if role == _DISPLAY:
            if column == self.WHEN:
                return valid_text(_moment_edtf(key, claim), claim.calendar)
            if column == self.EVENT:
                text = statement
                if key.kind != BEGINS:
                    text = f"ends: {text}"
                if withdrawn:
                    text += "  (withdrawn)"
                return text
            return claim.known_at
        if role == _TOOLTIP:
            when = formatting.human_date(key.day)
            what = "Begins" if key.kind == BEGINS else "Ends"
            gregorian = gregorian_tip(claim.valid, claim.calendar)
            tip = (f"{what} {when} (valid {valid_text(claim.valid, claim.calendar)}"
                   + (f", that is {gregorian}" if gregorian else "") + f")\n{statement}")
            if withdrawn:
                tip += "\nWithdrawn (retracted or superseded) in the record as it stands now"
            return formatting.tooltip(tip + "\nClick to go to this date")
        if role == _FOREGROUND:
            return _grey() if withdrawn else None
        if role == _FONT:
            if withdrawn or involved:
                font = QFont(QApplication.font())
                font.setStrikeOut(withdrawn)
                font.setBold(involved)
                return font
            return None
        if role == _BACKGROUND and involved:
            colour = QColor(QApplication.palette().color(QPalette.ColorRole.Highlight))
            colour.setAlpha(40)
            return QBrush(colour)
        if role == _MOMENT:
            return key
        if role == _CLAIM_ID:
            return claim.id
        return None


def _grey() -> QBrush:
    return QBrush(QApplication.palette().color(QPalette.ColorGroup.Disabled,
                                               QPalette.ColorRole.Text))


def _moment_edtf(key: MomentKey, claim: Claim) -> str:
    """The EDTF of the moment's own end of the claim's valid time: '2019-07-22', '2023-10~'."""
    valid = claim.valid
    if "/" not in valid:
        return valid
    start, end = valid.split("/", 1)
    return start if key.kind == BEGINS else end
