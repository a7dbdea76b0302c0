"""Issue 4, point 7: pick two dates, see what began, ended or changed between them."""

from __future__ import annotations

from gui.diff_dialog import BEGAN, CHANGED, ENDED


def test_the_dialog_lists_what_began_ended_and_changed(window, archive, qtbot):
    dialog = window.open_diff_dialog()
    dialog.from_field.setText("2023-11-20")
    dialog.to_field.setText("2023-11-25")
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
    assert not dialog.to_field.is_valid()
    assert "out of range" in dialog.to_field.error_label.text()
    assert dialog.summary.text() == "Give two valid dates."


def test_the_diff_uses_the_windows_as_known_on_date(window, archive):
    window.session.set_known_as_of(archive.readmodel.claim("apple-board-observer").known_day)
    dialog = window.open_diff_dialog()
    dialog.from_field.setText("2024-06-01")
    dialog.to_field.setText("2024-07-31")
    assert "Apple holds a board observer seat at OpenAI" in dialog.statements(BEGAN)
    assert "As known on" in dialog.known_label.text()
