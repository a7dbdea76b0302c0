"""The TimelineJS export's groups (``--group-by``) and its dates in words (issue 19, item 5).
How the real TimelineJS renders it: tests/web/test_timelinejs_browser.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from timeline.app import Archive
from timeline.cli import main
from timeline.errors import InvalidInput
from timeline.formats import Selection, export_path, timelinejs
from timeline.interchange import import_file

SEED = Path(__file__).resolve().parents[2] / "seeds" / "archive.json"


@pytest.fixture(scope="module")
def seed() -> Iterator[Archive]:
    with Archive.in_memory() as archive:
        import_file(archive, SEED)
        yield archive


def groups(doc: dict[str, object]) -> set[str | None]:
    return {e.get("group") for e in doc["events"]}  # type: ignore[attr-defined]


def test_by_default_more_than_eight_subjects_have_no_groups(seed: Archive) -> None:
    doc = timelinejs.document(seed, Selection())
    assert len({v.subject for v in Selection().facts(seed)}) > timelinejs.MAX_GROUPS
    assert groups(doc) == {None}


def test_by_default_a_few_subjects_are_a_row_each(seed: Archive) -> None:
    doc = timelinejs.document(seed, Selection(None, "Optimus"))
    found = groups(doc)
    assert None not in found and 1 < len(found) <= timelinejs.MAX_GROUPS
    assert "Sam Altman" in found


def test_group_by_subject_predicate_or_none(seed: Archive) -> None:
    views = {v.claim.id: v for v in Selection().facts(seed)}
    by_subject = timelinejs.document(seed, Selection(), "subject")
    by_predicate = timelinejs.document(seed, Selection(), "predicate")
    for event in by_subject["events"]:
        assert event["group"] == views[event["unique_id"]].subject
    for event in by_predicate["events"]:
        assert event["group"] == views[event["unique_id"]].claim.predicate.replace("_", " ")
    assert "invested in" in groups(by_predicate)
    assert groups(timelinejs.document(seed, Selection(None, "Optimus"), "none")) == {None}


def test_an_unknown_grouping_is_refused(seed: Archive, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"'rows' is not a grouping \(none, subject, "
                                           r"predicate\)") as refused:
        export_path(seed, "timelinejs", tmp_path / "tl.json", group_by="rows")
    assert refused.value.field == "group_by"
    with pytest.raises(InvalidInput, match="goes with --to timelinejs, not csv"):
        export_path(seed, "csv", tmp_path / "x.csv", group_by="subject")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("valid", "shown"), [
    ("2019-22", "summer 2019"),
    ("2023-10~", "about October 2023"),
    ("-0043-03-15", "15 March 44 BCE"),
    ("2019-07-22/..", "from 22 July 2019"),
    ("2018-06/2018-08", "June–August 2018"),
    ("../2019", "until 2019"),
])
def test_display_dates_are_in_words(valid: str, shown: str) -> None:
    with Archive.in_memory() as archive:
        archive.add_source("s", "<b>Title</b>", "2020-05", "x said <so>")
        archive.record("A & <B>", "p", value="v", valid=valid, known_at="2020-05",
                       sources=[("s", "said <so>")])
        [event] = timelinejs.document(archive, Selection())["events"]
    assert event["display_date"] == shown.replace("&", "&amp;")
    assert event["group"] == "A &amp; &lt;B&gt;"
    assert f"valid {shown}" in event["text"]["text"]
    assert "May 2020" in event["text"]["text"]  # the source's date and the known date
    assert "&lt;b&gt;Title&lt;/b&gt;" in event["text"]["text"]
    assert "said &lt;so&gt;" in event["text"]["text"]


def test_the_command_takes_group_by(seed: Archive, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "seed.sqlite"
    with Archive.open(store) as archive:
        import_file(archive, SEED)
    out = tmp_path / "tl.json"
    assert main(["--archive", str(store), "export", "--to", "timelinejs", str(out),
                 "--group-by", "predicate"], plugins=[]) == 0
    assert "invested in" in groups(json.loads(out.read_text(encoding="utf-8")))
    with pytest.raises(SystemExit) as done:
        main(["--archive", str(store), "export", "--to", "timelinejs", str(tmp_path / "x"),
              "--group-by", "rows"], plugins=[])
    assert done.value.code == 2
    assert capsys.readouterr().err.endswith(
        "hindsight: error: argument --group-by: invalid choice: 'rows' (choose from 'none', "
        "'subject', 'predicate') (see 'hindsight export --help')\n")
    assert not (tmp_path / "x").exists()
