"""Search (timeline/searching.py, timeline/readmodel/search.py): what it finds, that it keeps
current with every write and a rebuild, that no text a person types is FTS5 syntax, the
command line (table and JSON), and a team archive on PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from timeline.api import Archive, InvalidInput, SearchHit, day_number, verify
from timeline.cli import main
from timeline.searching import MAX_CHARS, clip, expression

PAPER = ("Friday's meeting was short. The board dismissed Sam Altmán on Friday, citing a lack "
         "of candour. Microsoft hired him on Sunday.")


def _story(archive: Archive) -> dict[str, str]:
    archive.add_source("paper", "The Evening Paper", "2023-11-20", PAPER)
    archive.add_source("blog", "A blog about boats", "2023-11-21", "Altman is back, it says.")
    return {
        "ousted": archive.record("Sam Altman", "dismissed_by", object="OpenAI board",
                                 valid="2023-11-17/2023-11-21", known_at="2023-11-20",
                                 sources=[("paper", "lack of candour")],
                                 note="The board gave no detail"),
        "hired": archive.record("Sam Altman", "works_for", object="Microsoft",
                                valid="2023-11-19/2023-11-22", known_at="2023-11-20",
                                sources=[("paper", "Microsoft hired him")]),
        "back": archive.record("Sam Altman", "leads", object="OpenAI", valid="2023-11-22/..",
                               known_at="2023-11-21", sources=[("blog", "Altman is back")]),
    }


@pytest.fixture
def archive() -> Archive:
    with Archive.in_memory() as found:
        _story(found)
        yield found


def _found(archive: Archive, text: str) -> set[tuple[str, str]]:
    return {(h.kind, h.id) for h in archive.search(text)}


def _claim(archive: Archive, text: str, claim_id: str) -> SearchHit:
    return next(h for h in archive.search(text) if h.id == claim_id)


# --- what it finds --------------------------------------------------------------------------


def test_finds_claims_by_their_words_quotes_notes_and_sources_and_entities(archive) -> None:
    ids = {r.id: r.id for r in archive.timeline()}
    ousted = next(i for i in ids if "dismissed" in archive.statement(archive.claim(i)))
    hit = _claim(archive, "dismissed", ousted)  # a word of its sentence (the predicate)
    assert (hit.field, hit.title) == ("statement", "Sam Altman dismissed by OpenAI board")
    assert hit.snippet[hit.matches[0][0]:hit.matches[0][1]] == "dismissed"
    assert hit.valid == "2023-11-17/2023-11-21" and hit.day == day_number(2023, 11, 17)
    assert _claim(archive, "candour", ousted).field == "quote"
    assert _claim(archive, "detail", ousted).field == "note"
    assert ("source", "paper") in _found(archive, "Friday")
    source = next(h for h in archive.search("candour") if h.kind == "source")
    assert source.field == "text" and source.offset == PAPER.index("candour")
    assert source.title == "The Evening Paper"
    assert [h.field for h in archive.search("evening")] == ["title"]
    entity = next(h for h in archive.search("Microsoft") if h.kind == "entity")
    assert (entity.title, entity.field) == ("Microsoft", "name")


def test_case_diacritics_and_prefixes_do_not_matter(archive) -> None:
    assert ("source", "paper") in _found(archive, "ALTMAN")  # "Altmán" in the text
    assert ("source", "blog") in _found(archive, "altmán")  # "Altman" in the text
    assert ("source", "paper") in _found(archive, "cand")  # the last word: a prefix
    assert not _found(archive, "cand friday")  # only the last word is a prefix
    assert ("source", "paper") in _found(archive, "friday cand")
    assert _found(archive, "boat") == {("source", "blog")}  # "boats"
    assert _found(archive, "b") == set()  # one letter is a word, not a prefix
    assert not _found(archive, "Altman zebra")  # every word must be found


def test_snippets_are_passages_with_the_matches_marked() -> None:
    text = "word " * 60 + "needle " + "word " * 60
    start = text.index("needle")
    snippet, spans = clip(text, [(start, start + 6)])
    assert snippet.startswith("…") and snippet.endswith("…") and len(snippet) < 200
    assert [snippet[a:b] for a, b in spans] == ["needle"]
    snippet, spans = clip("one\n\n  two\tthree", [(7, 10)])
    assert snippet == "one two three" and snippet[spans[0][0]:spans[0][1]] == "two"


def test_best_first_and_a_limit(archive) -> None:
    hits = archive.search("Altman")
    assert len(hits) >= 5
    assert [h.score for h in hits] == sorted(h.score for h in hits)
    assert hits[0].kind == "entity" and hits[0].title == "Sam Altman"  # the name itself
    assert len(archive.search("Altman", limit=2)) == 2
    for bad in (0, -1, 1001, "5", True):
        with pytest.raises(InvalidInput, match="number of hits is from 1 to 1000"):
            archive.search("Altman", limit=bad)  # type: ignore[arg-type]


# --- what a person types is never syntax ------------------------------------------------------


@pytest.mark.parametrize("text", [
    '"', "*", "NEAR(", "-", "OR", "^", "AND", "NOT", "(", ")", ":", "Altman\"", '"Altman',
    "board OR", "NEAR(Altman board)", "-Altman", "^Altman", "Alt*", "head:Altman",
    "Altman \ud800", "\x00Altman", "'; DROP TABLE search; --", "{head body}: x",
])
def test_hostile_text_is_searched_for_as_words_or_refused(archive, text) -> None:
    try:
        hits = archive.search(text)
    except InvalidInput as exc:
        assert "nothing to search for" in str(exc)
        return
    assert all(isinstance(h, SearchHit) for h in hits)
    assert archive.statistics()["claims"] == 3  # nothing dropped


def test_syntax_words_are_words(archive) -> None:
    archive.record("Sam Altman", "said", value="NEAR OR NOT", valid="2023")
    assert [h.title for h in archive.search("near or not")] == ["Sam Altman said: NEAR OR NOT"]
    assert expression('a "b" cd*') == '"a" "b" "cd"*'


@pytest.mark.parametrize(("text", "says"), [
    ("", "nothing to search for"), ("   ", "nothing to search for"),
    ('" * - ^ ( )', "nothing to search for"), ("x" * 10_000, f"at most {MAX_CHARS} characters"),
    (" ".join(["w"] * 40), "at most 32 words"),
])
def test_a_search_with_no_word_or_too_long_is_refused(archive, text, says) -> None:
    with pytest.raises(InvalidInput, match=says):
        archive.search(text)


# --- kept current -----------------------------------------------------------------------------


def test_kept_current_with_every_write_and_a_rebuild(archive) -> None:
    ousted = next(c.id for c in archive.timeline() if c.predicate == "dismissed_by")
    hired = next(c.id for c in archive.timeline() if c.predicate == "works_for")
    archive.retract(ousted, reason="wrong")
    assert _claim(archive, "candour", ousted).withdrawn == "retracted"  # found, marked
    new = archive.supersede(hired, value="chief of AI research", object="Microsoft")
    assert _claim(archive, "hired", hired).withdrawn == "superseded"
    assert _claim(archive, "chief research", new).withdrawn is None
    archive.alias("Sam Altman", "Optimus")
    assert ("entity", archive.entity("Sam Altman")["id"]) in _found(archive, "optimus")
    archive.record("Samuel H. Altman", "born_in", object="Chicago", valid="1985-04-22",
                   new_entity=True)
    archive.merge("Sam Altman", "Samuel H. Altman")
    kept = archive.entity("Sam Altman")["id"]
    assert [(h.kind, h.id) for h in archive.search("samuel")] == [("entity", kept)]
    assert [h.title for h in archive.search("Chicago") if h.kind == "claim"] == [
        "Sam Altman born in Chicago"]  # its sentence names the kept entity now
    archive.define_predicate("born_in", "was born in")
    assert [h.title for h in archive.search("Chicago") if h.kind == "claim"] == [
        "Sam Altman was born in Chicago"]
    archive.add_source("memo", "A memo", "2024-01-02", "The zeppelin project.")
    assert _found(archive, "zeppelin") == {("source", "memo")}
    archive.tag("claim", new, "Strike Force")
    archive.tag("source", "blog", "hearsay")
    assert ("claim", new) in _found(archive, "strike")
    assert [(h.kind, h.field) for h in archive.search("hearsay")] == [("source", "tag")]
    archive.untag("source", "blog", "hearsay")
    assert not _found(archive, "hearsay")
    before = [h.to_json() for h in archive.search("Altman", limit=100)]
    archive.rebuild()
    assert [h.to_json() for h in archive.search("Altman", limit=100)] == before
    assert verify(archive).ok


def test_an_import_is_searchable(tmp_path: Path) -> None:
    from timeline.api import import_file, seed_archive

    with Archive.open(tmp_path / "seed.sqlite") as archive:
        import_file(archive, seed_archive())
        hits = archive.search("Optimus")
        assert hits and {h.kind for h in hits} >= {"claim", "entity", "source"}
    with Archive.open(tmp_path / "seed.sqlite") as again:  # the read model on disk
        assert [h.id for h in again.search("Optimus")] == [h.id for h in hits]


# --- the command line ---------------------------------------------------------------------------


@pytest.fixture
def archive_file(tmp_path: Path) -> str:
    path = tmp_path / "a.sqlite"
    with Archive.open(path) as archive:
        _story(archive)
        archive.record("Sam Altman", "said", value="mi\u200cravad [brackets]", valid="2023",
                       note="line one\nline two")
    return str(path)


def test_cli_table(archive_file, capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "160")  # a terminal wide enough for the text beside its row
    assert main(["--archive", archive_file, "search", "altmán", "candour"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["KIND", "ID", "DATE", "FOUND", "IN", "TEXT"]
    assert "2023-11-17" in out and "[candour]" in out and "source" in out
    assert main(["--archive", archive_file, "search", "ravad"]) == 0
    out = capsys.readouterr().out
    assert "mi\\u200c[ravad] [brackets]" in out  # what does not print: escaped
    assert main(["--archive", archive_file, "search", "zebra"]) == 0
    assert "nothing found for 'zebra'" in capsys.readouterr().out


def test_cli_json(archive_file, capsys) -> None:
    assert main(["--archive", archive_file, "search", "Candour", "--format", "json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert {h["kind"] for h in hits} == {"claim", "source"}
    claim = next(h for h in hits if h["kind"] == "claim")
    assert set(claim) == {"kind", "id", "title", "field", "snippet", "matches", "valid",
                          "date", "withdrawn", "offset", "score"}
    assert claim["date"] == "2023-11-17" and claim["field"] == "quote"
    start, end = claim["matches"][0]
    assert claim["snippet"][start:end] == "candour"
    source = next(h for h in hits if h["kind"] == "source")
    assert source["offset"] == PAPER.index("candour") and source["date"] is None


@pytest.mark.parametrize(("argv", "says"), [
    (["search", '"'], "TEXT: nothing to search for"),
    (["search", "x" * 10_000], "TEXT: a search is at most 500 characters"),
    (["search", "Altman", "--limit", "0"], "--limit: the number of hits is from 1 to 1000"),
    (["search", "Altman\udcff"], "TEXT: 'Altman\\udcff' is not valid UTF-8 text"),
])
def test_cli_refuses_with_one_line(archive_file, capsys, argv, says) -> None:
    assert main(["--archive", archive_file, *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("hindsight: error: ") and says in err and "Traceback" not in err


# --- a team archive -------------------------------------------------------------------------------


def test_search_on_a_team_archive(postgres_url) -> None:
    with Archive.open(postgres_url) as archive:  # its read model: a local SQLite cache
        ids = _story(archive)
        assert _claim(archive, "candour", ids["ousted"]).field == "quote"
        assert ("source", "paper") in _found(archive, "altman")
    with Archive.open(postgres_url) as again:
        again.retract(ids["back"])
        assert _claim(again, "back", ids["back"]).withdrawn == "retracted"


# --- searching apart (a worker thread's connection) -------------------------------------------


def test_a_search_apart_finds_what_the_archive_finds(tmp_path: Path) -> None:
    """The rows found on a connection of its own, made into hits by the archive, are the
    archive's own search, in its order."""
    from timeline.api import SearchApart, readmodel_file

    with Archive.open(tmp_path / "a.sqlite") as archive:
        _story(archive)
        path = readmodel_file(archive)
        assert path is not None
        for text in ("altman", "Microsoft hired", "boa", "nothing here"):
            apart = SearchApart(path, text, 50)
            assert apart.hits(archive, apart.rows()) == archive.search(text)
        with pytest.raises(InvalidInput):
            SearchApart(path, "  ?! ", 50)  # no word: refused when it is made
        with pytest.raises(InvalidInput):
            SearchApart(path, "altman", 0)


def test_a_search_apart_stopped_says_so(tmp_path: Path) -> None:
    import threading

    from timeline.api import SearchApart, SearchInterrupted, readmodel_file

    with Archive.open(tmp_path / "a.sqlite") as archive:
        _story(archive)
        path = readmodel_file(archive)
        assert path is not None
        stopped = SearchApart(path, "altman", 50)
        stopped.interrupt()
        with pytest.raises(SearchInterrupted):
            stopped.rows()
        # Stopped while it runs (from another thread): the statement ends.
        slow = SearchApart(path, "altman", 50)
        started, outcome = threading.Event(), []

        def run() -> None:
            import timeline.readmodel.search as index

            original = index.matches

            def crawling(conn, expression, limit):  # type: ignore[no-untyped-def]
                started.set()
                conn.execute("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) "
                             "SELECT count(*) FROM n").fetchone()  # never ends by itself
                return original(conn, expression, limit)

            index.matches = crawling
            try:
                outcome.append(slow.rows())
            except SearchInterrupted as exc:
                outcome.append(exc)
            finally:
                index.matches = original

        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        assert started.wait(10)
        slow.interrupt()
        worker.join(10)
        assert not worker.is_alive()
        assert len(outcome) == 1 and isinstance(outcome[0], SearchInterrupted)
