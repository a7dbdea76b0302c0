"""Tags on claims and sources (timeline/tagging.py): events, the read model, the answers, the
command line, Hindsight JSON, and input that is not a tag."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from timeline.api import Archive, InvalidInput, NotFound, Selection, verify
from timeline.cli import main
from timeline.domain import TAG_MAX, Tagged, Untagged, clean_tag, tag_key, tag_stream
from timeline.interchange import export_document, import_document, import_file, parse

TEXT = "The board dismissed Altman on Friday. Microsoft hired him on Sunday."


def _story(archive: Archive) -> dict[str, str]:
    archive.add_source("paper", "The paper", "2023-11-20", TEXT)
    archive.add_source("blog", "A blog", "2023-11-21", "Altman is back, the blog says.")
    ids = {
        "ousted": archive.record("Sam Altman", "dismissed_by", object="OpenAI board",
                                 valid="2023-11-17/2023-11-21",
                                 sources=[("paper", "dismissed Altman")]),
        "hired": archive.record("Sam Altman", "works_for", object="Microsoft",
                                valid="2023-11-19/2023-11-22",
                                sources=[("paper", "Microsoft hired him")]),
        "back": archive.record("Sam Altman", "leads", object="OpenAI", valid="2023-11-22/..",
                               sources=[("blog", "Altman is back")]),
    }
    return ids


@pytest.fixture
def archive() -> Archive:
    with Archive.in_memory() as found:
        yield found


def _ids(state_or_views) -> set[str]:
    facts = getattr(state_or_views, "facts", state_or_views)
    return {f.claim.id for f in facts}


# --- the rule of a tag ------------------------------------------------------------------------


def test_a_tag_is_normalised_and_compared_by_its_key() -> None:
    assert clean_tag("  Board\u00a0 Crisis\t") == "Board Crisis"
    assert clean_tag("ｂｏａｒｄ") == "board"  # NFKC: full-width letters are letters
    assert tag_key("Board  CRISIS") == tag_key(" board crisis ") == "board crisis"
    assert clean_tag("x" * TAG_MAX) == "x" * TAG_MAX


@pytest.mark.parametrize(("text", "says"), [
    ("", "cannot be empty"), ("   \n ", "cannot be empty"),
    ("x" * (TAG_MAX + 1), "65 characters long (at most 64)"),
    ("a\x00b", "control character (U+0000)"), ("a\x1fb", "control character (U+001F)"),
    ("a\x1bb", "control character"), ("a\u200bb", "invisible formatting character"),
    ("a\u202eb", "invisible formatting character"), ("a\ud800b", "unpaired surrogate"),
    (7, "must be text"),
])
def test_what_is_not_a_tag_is_refused_saying_why(text, says) -> None:
    with pytest.raises(InvalidInput, match=re.escape(says)) as caught:
        clean_tag(text)  # type: ignore[arg-type]
    assert caught.value.field == "tag"


# --- writing ----------------------------------------------------------------------------------


def test_tag_and_untag_are_events_and_never_edit_one(archive: Archive) -> None:
    ids = _story(archive)
    assert archive.tag("claim", ids["ousted"], " Board  crisis ") is True
    stream = archive.store.stream(tag_stream("claim", ids["ousted"], "board crisis"))
    assert [type(e) for e in stream] == [Tagged]
    assert stream[0].tag == "Board crisis"  # exactly what was validated
    assert (stream[0].target_kind, stream[0].target_id) == ("claim", ids["ousted"])
    archive.untag("claim", ids["ousted"], "BOARD CRISIS")
    archive.tag("claim", ids["ousted"], "board crisis")
    stream = archive.store.stream(tag_stream("claim", ids["ousted"], "board crisis"))
    assert [type(e) for e in stream] == [Tagged, Untagged, Tagged]
    assert stream[0].tag == "Board crisis"  # the first event is as it was
    assert archive.tags("claim", ids["ousted"]) == [
        {"kind": "claim", "id": ids["ousted"], "tag": "board crisis"}]


def test_tagging_twice_writes_nothing(archive: Archive) -> None:
    ids = _story(archive)
    assert archive.tag("claim", ids["ousted"], "crisis")
    events = archive.store.max_position()
    assert archive.tag("claim", ids["ousted"], "CRISIS") is False
    assert archive.store.max_position() == events


def test_unknown_targets_and_missing_tags_are_refused_and_nothing_is_written(
        archive: Archive) -> None:
    ids = _story(archive)
    events = archive.store.max_position()
    with pytest.raises(NotFound, match="unknown claim id 'c-nope'"):
        archive.tag("claim", "c-nope", "x")
    with pytest.raises(NotFound, match="unknown source 'nowhere'"):
        archive.tag("source", "nowhere", "x")
    with pytest.raises(NotFound, match=f"claim '{ids['ousted']}' has no tag 'crisis'"):
        archive.untag("claim", ids["ousted"], "crisis")
    with pytest.raises(InvalidInput, match="a claim or a source, not 'entity'"):
        archive.tag("entity", "Sam Altman", "x")
    for bad_id in ("", "  ", "c-\ud800"):
        with pytest.raises(InvalidInput) as caught:
            archive.tag("claim", bad_id, "x")
        assert caught.value.field == "claim"
    for bad_tag in ("", "x" * 65, "a\x07", "\udcff"):
        with pytest.raises(InvalidInput):
            archive.tag("claim", ids["ousted"], bad_tag)
    assert archive.store.max_position() == events
    assert archive.tags() == []


# --- the answers ------------------------------------------------------------------------------


def test_facts_carry_their_claims_and_sources_tags_and_filter_by_them(
        archive: Archive) -> None:
    ids = _story(archive)
    untagged = archive.as_of("2023-11-20")
    assert all(f.tags == () for f in untagged.facts)
    assert all(f["tags"] == [] for f in untagged.to_json()["facts"])
    archive.tag("claim", ids["ousted"], "Crisis")
    archive.tag("source", "blog", "gossip")
    archive.tag("source", "paper", "crisis")  # the same key as the claim's: once
    state = archive.as_of("2023-11-20")
    tags = {f.claim.id: f.tags for f in state.facts}
    assert tags == {ids["ousted"]: ("Crisis",), ids["hired"]: ("crisis",)}
    assert _ids(archive.as_of("2023-11-20", tags=["CRISIS"])) == {ids["ousted"], ids["hired"]}
    assert _ids(archive.as_of("2023-11-20", tags=["gossip"])) == set()
    assert _ids(archive.as_of("2023-11-25", tags=["gossip", "nothing"])) == {ids["back"]}
    assert _ids(archive.as_of("2023-11-20", None, ["Microsoft"], ["crisis"])) == {ids["hired"]}
    json_facts = archive.as_of("2023-11-25", tags=["gossip"]).to_json()["facts"]
    assert json_facts[0]["tags"] == ["gossip"]
    with pytest.raises(InvalidInput, match="cannot be empty"):
        archive.as_of("2023-11-20", tags=[" "])


def test_an_account_s_tag_is_its_fact_s(archive: Archive) -> None:
    ids = _story(archive)
    other = archive.record("Sam Altman", "dismissed_by", object="OpenAI board",
                           valid="2023-11-17/2023-11-21", account_of=ids["ousted"],
                           note="told again")
    archive.tag("claim", other, "retold")
    found = archive.as_of("2023-11-18", tags=["retold"])
    assert len(found.facts) == 1
    assert other in {a["claim"] for a in found.to_json()["facts"][0]["accounts"]}


def test_selection_filters_both_ways_by_tag(archive: Archive) -> None:
    ids = _story(archive)
    archive.tag("claim", ids["back"], "return")
    assert _ids(Selection(tags=("Return",)).facts(archive)) == {ids["back"]}
    assert _ids(Selection(as_of="2023-11-20", tags=("return",)).facts(archive)) == set()
    assert _ids(Selection(as_of="2023-12", tags=("return",)).facts(archive)) == {ids["back"]}
    assert Selection(tags=("x",)).filtered
    assert len(Selection().facts(archive)) == 3


def test_all_tags_counts_claims_and_sources(archive: Archive) -> None:
    ids = _story(archive)
    archive.tag("claim", ids["ousted"], "Crisis")
    archive.tag("claim", ids["hired"], "crisis")
    archive.tag("source", "paper", "CRISIS")
    archive.tag("source", "blog", "blog")
    assert archive.all_tags() == [{"tag": "blog", "claims": 0, "sources": 1},
                                  {"tag": "Crisis", "claims": 2, "sources": 1}]
    assert [t["id"] for t in archive.tags("source")] == ["paper", "blog"]
    with pytest.raises(NotFound):
        archive.tags("claim", "c-nope")


def test_the_read_model_rebuilds_the_same_tags(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "a.sqlite") as archive:
        ids = _story(archive)
        archive.tag("claim", ids["ousted"], "a")
        archive.tag("claim", ids["ousted"], "b")
        archive.untag("claim", ids["ousted"], "a")
        archive.tag("source", "blog", "c")
        before = archive.tags()
        assert verify(archive).ok
        archive.rebuild()
        assert archive.tags() == before == [
            {"kind": "claim", "id": ids["ousted"], "tag": "b"},
            {"kind": "source", "id": "blog", "tag": "c"}]


# --- Hindsight JSON ---------------------------------------------------------------------------


def test_tags_survive_export_and_import(archive: Archive) -> None:
    ids = _story(archive)
    archive.tag("claim", ids["ousted"], "Crisis")
    archive.tag("source", "blog", "gossip")
    doc = export_document(archive)
    assert doc["tags"] == [{"claim": ids["ousted"], "tag": "Crisis"},
                           {"source": "blog", "tag": "gossip"}]
    with Archive.in_memory() as copy:
        import_document(copy, parse(json.loads(json.dumps(doc))))
        assert export_document(copy) == doc
        events = copy.store.max_position()
        import_document(copy, parse(doc))  # again: nothing new
        assert copy.store.max_position() == events


def test_a_file_without_tags_imports_as_before(archive: Archive) -> None:
    ids = _story(archive)
    doc = export_document(archive)
    del doc["tags"]
    with Archive.in_memory() as copy:
        import_document(copy, parse(doc))
        assert copy.tags() == [] and len(copy.claim_views()) == len(ids)


@pytest.mark.parametrize(("record", "says"), [
    ({"claim": "c-nope", "tag": "x"}, "tags[1].claim: unknown claim id 'c-nope'"),
    ({"source": "nowhere", "tag": "x"}, "tags[1].source: unknown source 'nowhere'"),
    ({"tag": "x"}, 'tags[1]: give the "claim" or the "source"'),
    ({"claim": "CLAIM", "source": "blog", "tag": "x"}, 'tags[1]: give the "claim"'),
    ({"claim": "CLAIM", "tag": ""}, "tags[1].tag: a tag cannot be empty"),
    ({"claim": "CLAIM", "tag": "y" * 65}, "tags[1].tag: a tag is 65 characters long"),
    ({"claim": "CLAIM", "tag": "a\u0007"}, "tags[1].tag: a tag 'a\\x07' has a control"),
    ({"claim": "CLAIM", "tag": 5}, "tags[1].tag: input should be a valid string"),
])
def test_a_bad_tag_in_a_file_is_refused_by_its_place_and_nothing_is_written(
        archive: Archive, tmp_path: Path, record, says) -> None:
    ids = _story(archive)
    doc = export_document(archive)
    record = {k: ids["back"] if v == "CLAIM" else v for k, v in record.items()}
    doc["tags"] = [{"claim": ids["ousted"], "tag": "fine"}, record]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with Archive.in_memory() as copy:
        with pytest.raises(InvalidInput, match=re.escape(says)):
            import_file(copy, path)
        assert copy.store.max_position() == 0


def test_a_lone_surrogate_in_a_file_s_tag_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"format": "hindsight/1", "tags": [{"claim": "c", "tag": "\\ud800"}]}')
    with Archive.in_memory() as archive, pytest.raises(InvalidInput, match=r"tags\[0\].tag"):
        import_file(archive, path)


# --- the command line -------------------------------------------------------------------------


def _run(capsys, path: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--archive", str(path), *args], plugins=[])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_line_tags_lists_and_filters(tmp_path: Path, capsys) -> None:
    path = tmp_path / "a.sqlite"
    with Archive.open(path) as archive:
        ids = _story(archive)
    assert _run(capsys, path, "tag", ids["ousted"], "Crisis", "ouster") == (0, "", "")
    code, _, err = _run(capsys, path, "tag", ids["ousted"], "crisis")
    assert code == 0 and "already has the tag 'crisis'" in err
    assert _run(capsys, path, "tag", "--source", "blog", "gossip")[0] == 0
    code, out, _ = _run(capsys, path, "tags")
    assert code == 0 and out.split("\n")[0].split() == ["TAG", "CLAIMS", "SOURCES"]
    assert "Crisis" in out and "gossip" in out
    code, out, _ = _run(capsys, path, "tags", "--format", "json")
    assert json.loads(out)[0] == {"tag": "Crisis", "claims": 1, "sources": 0}
    code, out, _ = _run(capsys, path, "tags", "--claim", ids["ousted"], "--format", "json")
    assert json.loads(out) == {"claim": ids["ousted"], "tags": ["Crisis", "ouster"]}
    code, out, _ = _run(capsys, path, "tags", "CRISIS", "--format", "json")
    assert [f["id"] for f in json.loads(out)] == [ids["ousted"]]
    code, out, _ = _run(capsys, path, "as-of", "2023-11-20", "--tag", "crisis", "--format",
                        "json")
    facts = json.loads(out)["facts"]
    assert [(f["id"], f["tags"]) for f in facts] == [(ids["ousted"], ["Crisis", "ouster"])]
    code, out, _ = _run(capsys, path, "as-of", "2023-11-25", "--tag", "crisis", "--tag",
                        "gossip")
    assert code == 0 and "1 fact" in out and "1 facts" not in out and "tags: gossip" in out
    assert _run(capsys, path, "untag", ids["ousted"], "OUSTER")[0] == 0
    code, out, _ = _run(capsys, path, "tags", "--claim", ids["ousted"])
    assert out == "Crisis\n"


@pytest.mark.parametrize(("args", "code", "says"), [
    (("tag", "c-nope", "x"), 3, "unknown claim id 'c-nope'"),
    (("tag", "--source", "nowhere", "x"), 3, "unknown source 'nowhere'"),
    (("tag", "ID", ""), 2, "TAG: a tag cannot be empty"),
    (("tag", "ID", "x" * 65), 2, "TAG: a tag is 65 characters long"),
    (("tag", "ID", "ok", "a\x01b"), 2, "TAG: a tag 'a\\x01b' has a control character"),
    (("tag", "ID", "\udcff"), 2, "TAG: '\\udcff' is not valid UTF-8 text"),
    (("untag", "ID", "never"), 3, "has no tag 'never'"),
    (("as-of", "2023", "--tag", " "), 2, "--tag: a tag cannot be empty"),
    (("tags", "--claim", "c-nope"), 3, "unknown claim id 'c-nope'"),
])
def test_the_command_line_refuses_bad_input_and_writes_nothing(
        tmp_path: Path, capsys, count_events, args, code, says) -> None:
    path = tmp_path / "a.sqlite"
    with Archive.open(path) as archive:
        ids = _story(archive)
    before = count_events(path)
    got, out, err = _run(capsys, path, *(ids["ousted"] if a == "ID" else a for a in args))
    assert (got, out) == (code, "")
    assert says in err and "Traceback" not in err and err.count("\n") == 1
    assert count_events(path) == before


# --- a team archive ---------------------------------------------------------------------------


def test_tags_on_a_team_archive(postgres_url: str) -> None:
    with Archive.open(postgres_url) as archive:
        ids = _story(archive)
        assert archive.tag("claim", ids["back"], "Return")
        assert not archive.tag("claim", ids["back"], "return")
        archive.tag("source", "paper", "press")
        archive.untag("source", "paper", "PRESS")
    with Archive.open(postgres_url) as again:  # opened again: from the events in PostgreSQL
        assert again.tags() == [{"kind": "claim", "id": ids["back"], "tag": "Return"}]
        assert _ids(again.as_of("2023-12", tags=["return"])) == {ids["back"]}
        with pytest.raises(NotFound, match="has no tag 'press'"):
            again.untag("source", "paper", "press")
        again.rebuild()
        assert len(again.tags()) == 1


def test_a_salvage_leaves_out_the_tags_of_what_it_cannot_salvage(tmp_path: Path) -> None:
    import sqlite3

    from timeline.integrity import salvage
    from timeline.store import EventStore

    path = tmp_path / "a.sqlite"
    with Archive.open(path) as archive:
        ids = _story(archive)
        archive.tag("claim", ids["ousted"], "lost")
        archive.tag("source", "blog", "kept")
    with sqlite3.connect(path) as db:  # the claim's event cannot be read (a damaged log)
        row = db.execute("SELECT rowid FROM stored_events WHERE topic LIKE '%:ClaimRecorded' "
                         "ORDER BY rowid LIMIT 1").fetchone()
        db.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", [b"junk", row[0]])
    store = EventStore(str(path), create=False)
    try:
        found = salvage(store)
    finally:
        store.close()
    with found.archive:
        assert found.archive.tags() == [{"kind": "source", "id": "blog", "tag": "kept"}]
        assert any(f"its claim '{ids['ousted']}' is not among the events salvaged" in line
                   for line in found.lost)
        assert export_document(found.archive)["tags"] == [{"source": "blog", "tag": "kept"}]
