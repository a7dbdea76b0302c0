"""Issue 4, point 7: pick two dates, see what began, ended or changed between them."""

from __future__ import annotations

from PySide6.QtCore import Qt

from gui.diff_dialog import BEGAN, CHANGED, ENDED
from timeline.api import HindsightError, InvalidInput


def test_the_dialog_lists_what_began_ended_and_changed(window, archive, qtbot):
    dialog = window.open_diff_dialog()
    dialog.from_field.setText("2023-11-20")
    dialog.to_field.setText("2023-11-25")
    assert dialog.wait()
    diff = archive.diff("2023-11-20", "2023-11-25")
    assert sorted(dialog.statements(BEGAN)) == sorted(f.statement for f in diff.began)
    assert sorted(dialog.statements(ENDED)) == sorted(f.statement for f in diff.ended)
    assert sorted(dialog.statements(CHANGED)) == sorted(b.statement for _, b in diff.changed)
    assert "Sam Altman leads OpenAI" in dialog.statements(BEGAN)
    assert "Satya Nadella publicly backed Sam Altman" in dialog.statements(ENDED)
    assert "1 began" in dialog.summary.text()


def test_a_bad_date_is_refused_beside_its_field(window, qtbot):
    dialog = window.open_diff_dialog()
    dialog.to_field.setText("2025-02-30")
    assert dialog.wait()
    assert not dialog.to_field.is_valid()
    assert "out of range" in dialog.to_field.error_label.text()
    assert dialog.summary.text() == "Give two valid dates."


def test_the_diff_uses_the_windows_as_known_on_date(window, archive):
    window.session.set_known_as_of(archive.readmodel.claim("apple-board-observer").known_day)
    dialog = window.open_diff_dialog()
    dialog.from_field.setText("2024-06-01")
    dialog.to_field.setText("2024-07-31")
    assert dialog.wait()
    assert "Apple holds a board observer seat at OpenAI" in dialog.statements(BEGAN)
    assert "As known on" in dialog.known_label.text()


def test_the_dialog_lists_every_change_day_by_day(window, archive, qtbot):
    """Issue 15, item 8: every fact that began, ended or changed status between the two
    dates, each with its day, in day order — not only the difference of the end states."""
    dialog = window.open_diff_dialog()
    dialog.from_field.setText("2023-11-20")
    dialog.to_field.setText("2023-11-25")
    assert dialog.wait()
    assert dialog.transitions() == [
        ("22 November 2023", "began", "Sam Altman leads OpenAI"),
        ("23 November 2023", "ended", "Satya Nadella publicly backed Sam Altman"),
    ]
    assert dialog.steps.topLevelItem(0).text(2) == "— → HOLDS"
    assert dialog.steps.topLevelItem(1).text(2) == "HOLDS → —"
    assert dialog.tabs.tabText(0) == "Day by day (2)"
    assert "2 changes on 2 days between" in dialog.summary.text()
    # A longer range: the same list as the engine's, fact ids kept on the rows.
    dialog.from_field.setText("2018-01-01")
    dialog.to_field.setText("2025-01-01")
    assert dialog.wait()
    expected = archive.transitions("2018-01-01", "2025-01-01")
    assert len(expected) > 10
    assert [row[2] for row in dialog.transitions()] == [t.statement for t in expected]
    assert [dialog.steps.topLevelItem(k).data(0, Qt.ItemDataRole.UserRole)
            for k in range(len(expected))] == [t.fact.claim.id for t in expected]
    assert dialog.diff is not None and dialog.diff.transitions == expected


def test_too_many_days_to_list_still_compares_the_end_states(window, archive, qtbot,
                                                             monkeypatch):
    dialog = window.open_diff_dialog()
    diff = type(archive).diff

    def refuse(self, *args, with_transitions=True, **kwargs):
        if with_transitions:
            raise InvalidInput("the state may change on 3,000 days between 2018-01-01 and "
                               "2025-01-01, more than 2,000 to list: ask about an entity "
                               "(--entity) or a shorter range")
        return diff(self, *args, with_transitions=False, **kwargs)

    monkeypatch.setattr(type(archive), "diff", refuse)
    dialog.from_field.setText("2018-01-01")
    dialog.to_field.setText("2025-01-01")
    assert dialog.wait()
    expected = archive.diff("2018-01-01", "2025-01-01", with_transitions=False)
    assert expected.began
    assert sorted(dialog.statements(BEGAN)) == sorted(f.statement for f in expected.began)
    assert dialog.transitions() == [] and dialog.tabs.tabText(0) == "Day by day"
    assert dialog.tabs.currentWidget() is dialog.tree
    assert dialog.summary.text().endswith(
        "\nDay by day: the state may change on 3,000 days between 2018-01-01 and 2025-01-01, "
        "more than 2,000 to list: ask about an entity or a shorter range.")
    # Another error (the archive cannot answer): no answer rather than an old one.
    monkeypatch.setattr(type(archive), "diff", lambda *a, **k: (_ for _ in ()).throw(
        HindsightError("cannot read the archive")))
    dialog.to_field.setText("2025-01-02")
    assert dialog.wait()
    assert dialog.summary.text() == "cannot read the archive"
    assert dialog.diff is None and dialog.statements(BEGAN) == []
