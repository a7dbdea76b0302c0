"""The main window: the time controls across the top; below them the state panel, the
relationship graph over the event list, and the citation panel with its source viewer.

The window wires panels to the shared :class:`~gui.session.Session`, owns the menus, the
dialogs and the import worker, and remembers recent archives and its geometry in QSettings.
Its actions that write are kept to one rule, ``writing`` (:class:`gui.write_guard.WriteGuard`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QThread, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gui import formatting, import_notes, workbench
from gui.badges import colours
from gui.citation_panel import CitationPanel
from gui.correction_dialogs import (
    CorrectionDialog,
    RecordClaimDialog,
    RerankDialog,
    RetractDialog,
    SupersedeDialog,
)
from gui.diff_dialog import DiffDialog
from gui.event_list import EventList
from gui.graph_view import GraphView
from gui.import_worker import ImportWorker, start_import
from gui.session import Session
from gui.settings import default_settings, forget_archive, recent_archives, remember_archive
from gui.state_panel import StatePanel
from gui.time_controls import TimeControls
from gui.write_guard import WriteGuard
from timeline.api import (
    CONTESTED,
    DISPUTED,
    Archive,
    FactView,
    HindsightError,
    ImportReport,
    Status,
    __version__,
    counted,
    is_postgres,
    open_archive,
    redact,
)

#: How often the window looks for events written by others (a team archive, the command line).
POLL_MS = 1000

DEFAULT_SIZE = (1440, 900)
SHORTCUTS = (
    ("←  →", "One day earlier / later (time slider focused)"),
    ("PgUp  PgDn", "30 days later / earlier (time slider focused)"),
    ("Home  End", "First / last event (time slider focused)"),
    ("Ctrl+←  Ctrl+→", "Previous / next event"),
    ("Ctrl+Home  Ctrl+End", "First / last event"),
    ("Space", "Play / pause the replay"),
    ("Ctrl+L", "Type a date to go to"),
    ("Ctrl+K", "Type an “as known on” date"),
    ("Ctrl+Shift+K", "As known now"),
    ("Ctrl+F", "Search the whole archive: claims, quotes, sources, names"),
    ("Ctrl+Shift+F", "Filter the state panel"),
    ("Esc", "Clear the entity selection"),
    ("Ctrl+N", "Record a claim"),
    ("Ctrl+Shift+N", "Record another account of the selected fact"),
    ("Ctrl+Z  Ctrl+Shift+Z", "Undo / redo the last thing you did"),
    ("Ctrl+D", "Compare two dates"),
    ("Ctrl++  Ctrl+-  Ctrl+0", "Zoom the graph in / out / to fit"),
    ("Ctrl+O", "Open an archive"),
    ("Ctrl+I", "Import a Hindsight JSON file"),
    ("Ctrl+P", "Print the relationship graph (with a preview)"),
)


class MainWindow(QMainWindow):
    def __init__(self, session: Session, settings: QSettings | None = None) -> None:
        super().__init__()
        self.session = session
        self.settings = settings if settings is not None else default_settings()
        self.dialog: QWidget | None = None  # the last dialog opened (non-modal or window-modal)
        self.about_box: QMessageBox | None = None
        self.import_thread: QThread | None = None
        self.import_worker: ImportWorker | None = None
        self.import_progress: QProgressDialog | None = None
        self.last_import: ImportReport | None = None
        self._default_splitters = False
        self._imported = False

        self.time_controls = TimeControls(session)
        self.state_panel = StatePanel(session)
        self.graph = GraphView(session)
        self.event_list = EventList(session)
        self.citations = CitationPanel(session)

        self._build_actions()
        self.writing = WriteGuard(self)  # the rule for writing, kept by every write action
        self.writing.watch(self.record_action)
        self.writing.watch(self.import_action, lambda: self.session.path is not None)
        for action in (self.account_action, self.retract_action, self.supersede_action,
                       self.rerank_action):
            self.writing.watch(action, lambda: self.session.fact is not None)
        self._build_layout()
        self._build_menus()
        self.state_panel.fact_actions = [self.account_action, None, self.retract_action,
                                         self.supersede_action, self.rerank_action]
        self.citations.set_fact_actions([self.retract_action, self.supersede_action,
                                         self.rerank_action])
        workbench.install(self)  # sources, passages, aliases, tags, search, undo, publishing
        self.stats_label = QLabel()
        self.statusBar().addPermanentWidget(self.stats_label)

        session.archive_changed.connect(self._on_archive_changed)
        session.entity_selected.connect(self._on_entity_selected)
        self._on_archive_changed()
        self._on_entity_selected(session.entity)
        if session.path is not None:
            remember_archive(self.settings, session.path)
        self._refresh_recent_menu()
        self._restore_geometry()
        self.time_controls.slider.setFocus()

        # Others may write the same archive (a colleague on a team archive, the command line):
        # look for their events every second and show them without a restart.
        self._unshown = 0  # new events a failed reload has not shown yet
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(POLL_MS)
        self.poll_timer.timeout.connect(self._on_poll_timer)

    def _on_poll_timer(self) -> None:
        if self.import_running():
            return  # the import's own finish reloads
        try:
            # A moment's error while another process writes (a lock, a page caught mid-write)
            # is retried quietly by poll(), which raises only when it lasts.
            new = self.session.archive.poll() + self._unshown
        except HindsightError as exc:
            self.statusBar().showMessage(f"Cannot reach the archive: {exc}", 5000)
            return
        if new:
            self._unshown = new
            try:
                self.session.reload()
            except HindsightError:
                return  # shown on the next tick
            self._unshown = 0
            self.statusBar().showMessage(
                f"{counted(new, 'new event')} from another writer", 8000)

    # --- construction -----------------------------------------------------------------------

    def _action(self, text: str, slot: object, shortcut: str | QKeySequence.StandardKey = "",
                tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        key = QKeySequence.StandardKey
        self.open_action = self._action("&Open Archive…", self._on_open_triggered, key.Open,
                                        "Open another archive file")
        self.new_action = self._action("&New Archive…", self._on_new_triggered, "",
                                       "Create an empty archive file")
        self.import_action = self._action("&Import Hindsight JSON…", self._on_import_triggered,
                                          "Ctrl+I", "Import a Hindsight JSON file (all or "
                                          "nothing; can be cancelled)")
        self.quit_action = self._action("&Quit", self.close, key.Quit, "Quit Hindsight")
        self.record_action = self._action("&Record Claim…", self._on_record_triggered, "Ctrl+N",
                                          "Record a new claim (a new event in the archive)")
        self.account_action = self._action(
            "Record Another &Account…", self._on_account_triggered, "Ctrl+Shift+N",
            "Record another source's account of the selected fact (its own dates, certainty "
            "and quotes), tied to it")
        self.retract_action = self._action("Re&tract Claim…", self._on_retract_triggered, "",
                                           "Withdraw the selected claim; it stays visible "
                                           "“as known on” an earlier day")
        self.supersede_action = self._action("&Supersede Claim…", self._on_supersede_triggered,
                                             "Ctrl+E", "Replace the selected claim by a "
                                             "corrected one")
        self.rerank_action = self._action("Re&rank Claim…", self._on_rerank_triggered,
                                          "Ctrl+R", "Mark the selected claim preferred, normal "
                                          "or deprecated")
        self.diff_action = self._action("&Compare Two Dates…", self._on_diff_triggered,
                                        "Ctrl+D", "What began, ended or changed between two "
                                        "dates")
        self.filter_action = self._action("&Filter Facts", self._on_filter_triggered,
                                          "Ctrl+Shift+F", "Filter the state panel by text, "
                                          "name or alias")
        self.clear_entity_action = self._action("Clear Entity &Selection",
                                                self._on_clear_entity_triggered, "Esc",
                                                "Show every entity again")
        self.shortcuts_action = self._action("&Keyboard Shortcuts", self._on_shortcuts_triggered,
                                             "", "List the keyboard shortcuts")
        self.about_action = self._action("&About Hindsight", self._on_about_triggered, "",
                                         "Version and archive statistics")
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)

    def _graph_panel(self) -> QWidget:
        panel = QWidget()
        title = QLabel("<b>Relationships</b>")
        # Around a focus: whose neighbourhood, and how many neighbours on the day. It changes
        # with the slider: it must not resize (and so relayout) the panel.
        self.graph_caption = QLabel()
        self.graph_caption.setObjectName("graphCaption")
        self.graph_caption.setTextFormat(Qt.TextFormat.PlainText)  # it names the focus
        self.graph_caption.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.graph.caption_changed.connect(self._on_graph_caption_changed)
        self.legend = QLabel()
        self.legend.setObjectName("graphLegend")
        self.legend.setToolTip("Solid: holds · dashed: may hold (uncertain dates) · red: "
                               "contested by another source · purple dash-dot: disputed (its "
                               "accounts disagree on when) · ⇄: changing hands on the day. "
                               "Click a node to select it.")
        head = QHBoxLayout()
        head.addWidget(title)
        head.addSpacing(12)
        head.addWidget(self.legend)
        head.addStretch(1)
        for action, text in ((self.graph.zoom_out_action, "−"), (self.graph.zoom_in_action, "+"),
                             (self.graph.fit_action, "Fit")):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setText(text)
            button.setToolTip(f"{action.text()} ({action.shortcut().toString()})")
            button.setAutoRaise(True)
            head.addWidget(button)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.setSpacing(2)
        layout.addLayout(head)
        layout.addWidget(self.graph_caption)
        layout.addWidget(self.graph, 1)
        self._paint_legend()
        self._on_graph_caption_changed(self.graph.caption)
        return panel

    def _on_graph_caption_changed(self, text: str) -> None:
        self.graph_caption.setText(text)
        if self.graph_caption.isHidden() == bool(text):
            self.graph_caption.setVisible(bool(text))

    def _paint_legend(self) -> None:
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.WindowText).name()
        maybe = colours(Status.MAYBE, pal).line.name()
        contested = colours(CONTESTED, pal).line.name()
        disputed = colours(DISPUTED, pal).line.name()
        self.legend.setText(
            f'<span style="color:{text}">━━</span> holds &nbsp; '
            f'<span style="color:{maybe}">╍╍</span> maybe &nbsp; '
            f'<span style="color:{disputed}">━·━</span> disputed &nbsp; '
            f'<span style="color:{contested}">━━</span> contested')

    def _build_layout(self) -> None:
        self.centre_splitter = QSplitter(Qt.Orientation.Vertical)
        self.centre_splitter.addWidget(self._graph_panel())
        self.centre_splitter.addWidget(self.event_list)
        self.centre_splitter.setStretchFactor(0, 3)
        self.centre_splitter.setStretchFactor(1, 1)
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.addWidget(self.state_panel)
        self.main_splitter.addWidget(self.centre_splitter)
        self.main_splitter.addWidget(self.citations)
        self.main_splitter.setStretchFactor(0, 4)
        self.main_splitter.setStretchFactor(1, 5)
        self.main_splitter.setStretchFactor(2, 3)
        self.main_splitter.setChildrenCollapsible(False)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.time_controls)
        layout.addWidget(self.main_splitter, 1)
        self.setCentralWidget(central)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        file_menu.addAction(self.new_action)
        file_menu.addSeparator()
        file_menu.addAction(self.import_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        edit_menu = bar.addMenu("&Claims")
        for action in (self.record_action, self.account_action, None, self.retract_action,
                       self.supersede_action, self.rerank_action):
            edit_menu.addSeparator() if action is None else edit_menu.addAction(action)

        view_menu = bar.addMenu("&View")
        for action in (self.diff_action, None, self.filter_action, self.clear_entity_action,
                       None, self.graph.zoom_in_action, self.graph.zoom_out_action,
                       self.graph.fit_action):
            view_menu.addSeparator() if action is None else view_menu.addAction(action)
        view_menu.addSeparator()
        for title, widget in (("Events Panel", self.event_list),
                              ("Sources Panel", self.citations)):
            toggle = QAction(title, self)
            toggle.setCheckable(True)
            toggle.setChecked(True)
            toggle.toggled.connect(widget.setVisible)
            view_menu.addAction(toggle)

        go_menu = bar.addMenu("&Go")
        for action in self.time_controls.actions_for_menu():
            go_menu.addSeparator() if action is None else go_menu.addAction(action)

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.about_action)

    # --- geometry and recent archives -------------------------------------------------------

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(*DEFAULT_SIZE)
            screen = QApplication.primaryScreen()
            if screen is not None:
                available = screen.availableGeometry()
                if available.width() < DEFAULT_SIZE[0] or available.height() < DEFAULT_SIZE[1]:
                    self.resize(int(available.width() * 0.95), int(available.height() * 0.9))
            self._default_splitters = True
        for key, splitter in (("window/main_splitter", self.main_splitter),
                              ("window/centre_splitter", self.centre_splitter),
                              ("window/citation_splitter", self.citations.splitter)):
            state = self.settings.value(key)
            if isinstance(state, QByteArray) and not state.isEmpty():
                splitter.restoreState(state)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.poll_timer.start()
        if self._default_splitters:
            # Proportions need the real width, known only once the window is shown.
            self._default_splitters = False
            total = self.main_splitter.width()
            self.main_splitter.setSizes([int(total * 0.35), int(total * 0.41),
                                         total - int(total * 0.35) - int(total * 0.41)])
            height = self.centre_splitter.height()
            self.centre_splitter.setSizes([int(height * 0.7), height - int(height * 0.7)])

    def save_settings(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/main_splitter", self.main_splitter.saveState())
        self.settings.setValue("window/centre_splitter", self.centre_splitter.saveState())
        self.settings.setValue("window/citation_splitter", self.citations.splitter.saveState())
        self.settings.sync()

    def _refresh_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = recent_archives(self.settings)
        for k, path in enumerate(recent):
            action = self.recent_menu.addAction(f"&{k + 1}  {path}")
            action.setData(path)
            action.triggered.connect(lambda _=False, p=path: self.open_archive_path(p))
        self.recent_menu.setEnabled(bool(recent))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        self.poll_timer.stop()  # a closed window no longer looks at the archive
        self.time_controls.play_action.setChecked(False)
        if self.import_worker is not None and self.import_thread is not None:
            self.import_worker.cancel()
            self.import_thread.quit()
            self.import_thread.wait(10000)
        self.session.close_apart()
        self.save_settings()
        super().closeEvent(event)

    # --- archive ----------------------------------------------------------------------------

    def _location_label(self) -> str:
        """The archive's location for people: a file's path, a URL without its password."""
        location = self.session.path
        if location is None:
            return "in memory"
        return redact(location) if isinstance(location, str) else str(location)

    def _dialog_folder(self) -> str:
        location = self.session.path
        return str(location.parent) if isinstance(location, Path) else str(Path.home())

    def _on_archive_changed(self) -> None:
        location = self.session.path
        name = (location.name if isinstance(location, Path)
                else self._location_label() if location else "in-memory archive")
        self.setWindowTitle(f"Hindsight — {name}")
        stats = self.session.archive.statistics()
        self.stats_label.setText(
            f"{stats['claims']:,} claims · {stats['entities']:,} entities · "
            f"{stats['sources']:,} sources · {stats['events']:,} events"
            + (" · one entity at a time" if self.session.focused else ""))
        self.stats_label.setToolTip(formatting.tooltip(self._location_label()))

    def open_archive_path(self, path: Path | str) -> bool:
        """Open an archive file, or a team archive by its URL."""
        if not (isinstance(path, str) and is_postgres(path)):
            path = Path(path)
            if not path.exists():
                QMessageBox.warning(self, "Open Archive", f"There is no archive at {path}.")
                forget_archive(self.settings, str(path))
                self._refresh_recent_menu()
                return False
        try:
            archive = open_archive(path)
        except HindsightError as exc:
            QMessageBox.warning(self, "Open Archive", f"Cannot open {redact(str(path))}:\n{exc}")
            return False
        self._switch_to(archive, path)
        return True

    def _switch_to(self, archive: Archive, path: Path | str) -> None:
        self.session.replace_archive(archive, path)
        remember_archive(self.settings, path)
        self._refresh_recent_menu()
        self.graph.fit()
        self.statusBar().showMessage(f"Opened {self._location_label()}", 5000)

    def _on_open_triggered(self) -> None:
        start = self._dialog_folder()
        name, _ = QFileDialog.getOpenFileName(
            self, "Open Archive", start, "Hindsight archives (*.sqlite *.db);;All files (*)")
        if name:
            self.open_archive_path(Path(name))

    def _on_new_triggered(self) -> None:
        start = self._dialog_folder()
        name, _ = QFileDialog.getSaveFileName(self, "New Archive", start,
                                              "Hindsight archives (*.sqlite)")
        if not name:
            return
        path = Path(name if name.endswith(".sqlite") else name + ".sqlite")
        if path.exists():
            QMessageBox.warning(self, "New Archive", f"{path} already exists; open it instead.")
            return
        try:
            archive = Archive.open(path)
        except HindsightError as exc:
            QMessageBox.warning(self, "New Archive", f"Cannot create {path}:\n{exc}")
            return
        self._switch_to(archive, path)

    # --- import -----------------------------------------------------------------------------

    def _on_import_triggered(self) -> None:
        start = self._dialog_folder()
        name, _ = QFileDialog.getOpenFileName(self, "Import Hindsight JSON", start,
                                              "Hindsight JSON (*.json);;All files (*)")
        if name:
            self.start_import(Path(name))

    def start_import(self, file: Path) -> ImportWorker | None:
        """Import ``file`` into this archive in a worker thread; returns the worker."""
        if self.session.path is None or not self.writing.allowed():
            return None
        thread, worker = start_import(self.session.path, file, self)
        self.import_thread, self.import_worker = thread, worker
        progress = QProgressDialog(f"Importing {file.name}…", "Cancel", 0, 0, self)
        progress.setWindowTitle("Import")
        progress.setWindowModality(Qt.WindowModality.NonModal)
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.canceled.connect(self._on_import_cancel_requested)
        progress.show()
        self.import_progress = progress
        worker.progressed.connect(self._on_import_progressed)
        worker.succeeded.connect(self._on_import_succeeded)
        worker.cancelled.connect(self._on_import_cancelled)
        worker.failed.connect(self._on_import_failed)
        worker.finished.connect(self._on_import_finished)
        self.writing.refresh()  # nothing else writes meanwhile
        self.statusBar().showMessage(f"Importing {file}…")
        return worker

    def _on_import_cancel_requested(self) -> None:
        if self.import_worker is not None:
            self.import_worker.cancel()
        if self.import_progress is not None:
            self.import_progress.setLabelText("Cancelling…")

    def _on_import_progressed(self, done: int, total: int) -> None:
        if self.import_progress is not None:
            self.import_progress.setMaximum(total)
            self.import_progress.setValue(done)

    def _on_import_succeeded(self, report: ImportReport) -> None:
        self.last_import = report
        self._imported = True
        done = f"Imported {report.summary()}"
        if report.near:  # said where it is noticed; the import is not undone
            self.statusBar().showMessage(f"{done}. {import_notes.summary(report.near)}")
            self.dialog = import_notes.near_names_box(self, report.near)
        else:
            self.statusBar().showMessage(done, 10000)

    def _on_import_cancelled(self) -> None:
        self.statusBar().showMessage("Import cancelled; nothing was written", 10000)

    def _on_import_failed(self, message: str) -> None:
        self.statusBar().showMessage("Import failed; nothing was written", 10000)
        box = QMessageBox(QMessageBox.Icon.Warning, "Import failed",
                          f"Nothing was written.\n\n{message}", QMessageBox.StandardButton.Ok,
                          self)
        box.setTextFormat(Qt.TextFormat.PlainText)  # the message quotes the file
        box.open()
        self.dialog = box

    def _on_import_finished(self) -> None:
        if self.import_progress is not None:
            self.import_progress.close()
            self.import_progress.deleteLater()
        self.import_progress = None
        thread, self.import_thread = self.import_thread, None
        if thread is not None:
            thread.wait(5000)
        self.import_worker = None  # deleted here, in the GUI thread, its thread ended
        if self._imported:
            self._imported = False
            self.session.reload()
        self.writing.refresh()  # the actions the import disabled

    def import_running(self) -> bool:
        return self.import_worker is not None

    # --- corrections ------------------------------------------------------------------------

    def _open_dialog(self, dialog: CorrectionDialog, done: str) -> CorrectionDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._on_correction_accepted(dialog, done))
        dialog.open()
        self.dialog = dialog
        return dialog

    def open_record_dialog(self, account_of: FactView | None = None
                           ) -> RecordClaimDialog | None:
        """The Record Claim dialog; with ``account_of``, prefilled as another account of that
        fact (its subject, predicate, object and value; tied to it). None when the archive
        cannot be changed now (``WriteGuard``)."""
        if not self.writing.allowed():
            return None
        valid = f"{formatting.iso(self.session.as_of)}/.."
        dialog = RecordClaimDialog(self.session.archive, subject=self.session.entity or "",
                                   valid=valid, facts=self.session.state.facts,
                                   account_of=account_of, parent=self)
        self._open_dialog(dialog, "Recorded another account" if account_of else "Recorded")
        return dialog

    def open_claim_dialog(self, kind: type[RetractDialog] | type[SupersedeDialog]
                          | type[RerankDialog]) -> CorrectionDialog | None:
        fact = self.session.fact
        if fact is None or not self.writing.allowed():
            return None
        done = {RetractDialog: "Retracted", SupersedeDialog: "Superseded",
                RerankDialog: "Reranked"}[kind]
        return self._open_dialog(kind(self.session.archive, fact, parent=self), done)

    def _on_record_triggered(self) -> None:
        self.open_record_dialog()

    def _on_account_triggered(self) -> None:
        if self.session.fact is not None:
            self.open_record_dialog(self.session.fact)

    def _on_retract_triggered(self) -> None:
        self.open_claim_dialog(RetractDialog)

    def _on_supersede_triggered(self) -> None:
        self.open_claim_dialog(SupersedeDialog)

    def _on_rerank_triggered(self) -> None:
        self.open_claim_dialog(RerankDialog)

    def _on_correction_accepted(self, dialog: CorrectionDialog, done: str) -> None:
        claim_id = dialog.result_id
        self.session.reload()
        if claim_id:
            self.session.select_claim(claim_id)
        try:
            statement = self.session.statement(self.session.archive.claim(claim_id)) \
                if claim_id else ""
        except HindsightError:
            statement = ""
        where = "" if self.session.fact_for(claim_id or "") else \
            f" (not part of the state on {formatting.human_date(self.session.as_of)})"
        self.statusBar().showMessage(f"{done}: {statement}{where}", 10000)

    def _on_entity_selected(self, name: str | None) -> None:
        # A large archive always has a focus: there is no "every entity" to go back to.
        self.clear_entity_action.setEnabled(name is not None and not self.session.focused)
        if name:
            verb = "Focus on" if self.session.focused else "Selected"
            self.statusBar().showMessage(f"{verb} {name}", 4000)

    # --- views and help ---------------------------------------------------------------------

    def _on_diff_triggered(self) -> None:
        self.open_diff_dialog()

    def open_diff_dialog(self) -> DiffDialog:
        dialog = DiffDialog(self.session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.dialog = dialog
        return dialog

    def _on_filter_triggered(self) -> None:
        self.state_panel.filter_edit.setFocus()
        self.state_panel.filter_edit.selectAll()

    def _on_clear_entity_triggered(self) -> None:
        self.session.select_entity(None)

    def _on_shortcuts_triggered(self) -> None:
        rows = "".join(f"<tr><td><b>{formatting.rich(k)}</b>&nbsp;&nbsp;</td>"
                       f"<td>{formatting.rich(v)}</td></tr>" for k, v in SHORTCUTS)
        box = QMessageBox(QMessageBox.Icon.NoIcon, "Keyboard Shortcuts",
                          f"<table>{rows}</table>", QMessageBox.StandardButton.Close, self)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.open()
        self.dialog = box

    def about_text(self) -> str:
        stats = self.session.archive.statistics()
        span = self.session.archive.span()
        when = (f"{formatting.human_date(span[0])} – {formatting.human_date(span[1])}"
                if span else "empty")
        path = formatting.rich(self._location_label())
        from PySide6 import __version__ as pyside_version

        return (
            f"<h3>Hindsight {formatting.rich(__version__)}</h3>"
            "<p>Replay history to a point in time: what held as of a date, as known on "
            "another.</p>"
            f"<p><b>Archive:</b> {path}<br>"
            f"<b>Covers:</b> {when}<br>"
            f"<b>Events:</b> {stats['events']}<br>"
            f"<b>Claims:</b> {stats['claims']} &nbsp; <b>Corrections:</b> "
            f"{stats['corrections']}<br>"
            f"<b>Entities:</b> {stats['entities']} &nbsp; <b>Sources:</b> {stats['sources']}</p>"
            f"<p><small>PySide6 {pyside_version}</small></p>")

    def _on_about_triggered(self) -> None:
        self.open_about()

    def open_about(self) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Information, "About Hindsight", self.about_text(),
                          QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.open()
        self.about_box = box
        return box

    # --- screenshots ------------------------------------------------------------------------

    def settle(self) -> None:
        """Let layouts and deferred work finish (before a grab)."""
        for _ in range(3):
            QApplication.processEvents()
            QTimer.singleShot(0, lambda: None)
        QApplication.processEvents()
