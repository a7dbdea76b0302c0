"""Issue 15, item 9: names.

Matching ignores case, Unicode normal form (NFKC), curly vs straight quotes and apostrophes and
runs of whitespace (``timeline.domain.normalise_name``, the one rule); invisible and control
characters are refused in new names. ``record`` with a new name close to a name or alias the
archive holds (a word in common, a few edits) is refused with the candidates listed unless
``--new-entity`` is given; ``record --kind KIND`` sets a new entity's kind; ``merge`` keeps the
more specific kind.
"""

from __future__ import annotations

import random
import shutil
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.api import Archive, InvalidInput, NearNames, import_file, seed_archive, verify
from timeline.closeness import edit_distance, name_tokens, near_name
from timeline.domain import merged_kind, normalise_name

SEEDS = seed_archive()

# --- the key: one rule for every lookup -----------------------------------------------------


@pytest.mark.parametrize(("one", "other"), [
    ("O'Brien", "O’Brien"),
    ("O'Brien", "O‘Brien"),
    ("O'Brien", "Oʼbrien"),
    ("O'Brien", "O′Brien"),
    ("O'Brien", "O`Brien"),
    ("O'Brien", "O´Brien"),
    ("OpenAI's board", "OpenAI’s board"),
    ('"Pravda"', "“Pravda”"),
    ('"Pravda"', "„Pravda“"),
    ('"Pravda"', "«Pravda»"),
    ('6"', "6″"),
    ("Mira Murati", "Mira\u00a0Murati"),
    ("Mira Murati", "  Mira \u2003\u00a0 Murati\t"),
    ("Mira Murati", "MIRA MURATI"),
    ("Mira Murati", "ＭＩＲＡ　ＭＵＲＡＴＩ"),  # fullwidth letters and space: NFKC
    ("Straße", "STRASSE"),  # case folding, not lowering
    ("Ångström", unicodedata.normalize("NFD", "Ångström")),
    ("ﬁnance", "finance"),  # a ligature: NFKC
    ("Hawai'i", "Hawaiʻi"),
])
def test_spellings_of_one_name_have_one_key(one: str, other: str) -> None:
    assert normalise_name(one) == normalise_name(other)


@pytest.mark.parametrize(("one", "other"), [
    ("Mira", "Myra"), ("O'Brien", "OBrien"), ("Mira Murati", "MiraMurati"), ("'x'", '"x"'),
    ("Jean-Paul", "Jean Paul"),
])
def test_names_that_differ_in_more_than_spelling_have_two_keys(one: str, other: str) -> None:
    assert normalise_name(one) != normalise_name(other)


_APOSTROPHES = st.sampled_from(["'", "\u2019", "\u2018", "\u02bc", "\u2032", "\u201b", "`"])
_QUOTES = st.sampled_from(['"', "\u201c", "\u201d", "\u201e", "\u201f", "\u2033", "\u00ab"])
_SPACE_RUNS = st.lists(st.sampled_from([" ", "\u00a0", "\u2003", "\u2009", "\u202f", "\u3000"]),
                       min_size=1, max_size=3).map("".join)
_WORD = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzçéñøå"), min_size=1, max_size=8)


def _fullwidth(char: str) -> str:
    return chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char


@st.composite
def spellings(draw: st.DrawFn) -> tuple[str, str]:
    """A name of words, apostrophes and quotes, and the same name typed another way: curly for
    straight marks, a run of other spaces for a space, other case, fullwidth or decomposed
    letters, spaces around it."""
    words = draw(st.lists(_WORD, min_size=1, max_size=4))
    parts = []
    for word in words:
        parts.append(draw(st.sampled_from(["", "o'", "d'", '"'])) + word
                     + draw(st.sampled_from(["", "'s", '"'])))
    plain = " ".join(parts)
    typed = []
    for char in plain:
        if char == "'":
            char = draw(_APOSTROPHES)
        elif char == '"':
            char = draw(_QUOTES)
        elif char == " ":
            char = draw(_SPACE_RUNS)
        elif draw(st.booleans()):
            char = char.upper()
        elif draw(st.integers(0, 3)) == 0:
            char = _fullwidth(char)
        typed.append(char)
    form = draw(st.sampled_from(["NFC", "NFD", "NFKC", "NFKD"]))
    other = unicodedata.normalize(form, "".join(typed))
    return plain, draw(_SPACE_RUNS | st.just("")) + other + draw(_SPACE_RUNS | st.just(""))


@settings(max_examples=400, deadline=None)
@given(spellings())
def test_any_spelling_of_a_name_has_its_key(pair: tuple[str, str]) -> None:
    plain, typed = pair
    assert normalise_name(typed) == normalise_name(plain)


@pytest.fixture(scope="module")
def seeded() -> Archive:
    archive = Archive.in_memory()
    import_file(archive, SEEDS)
    return archive


@settings(max_examples=150, deadline=None)
@given(spellings())
def test_any_spelling_resolves_to_the_entity_and_records_onto_it(seeded: Archive,
                                                                pair: tuple[str, str]) -> None:
    plain, typed = pair
    batch = seeded.batch()  # never committed: the shared archive stays as it was
    made = batch.entity(plain)
    batch.alias(plain, plain + " alias")
    assert batch.resolve(typed) == made
    # Recording about the name as typed is not a new entity, close or not.
    batch.record(typed, "note", value="x", valid="1900", new_entity=False)
    batch.record("Mira", "knows", object=typed, valid="1900", new_entity=False)
    assert len(batch.created) <= 1  # ``plain`` itself, unless the seeds hold it already
    assert all(normalise_name(made) == normalise_name(plain) for made in batch.created)


@pytest.mark.parametrize("typed", ["OpenAI’s board", "openai's   BOARD", "OpenAI’s\u00a0board",
                                   "ＯｐｅｎＡＩ's board"])
def test_a_seed_alias_is_found_however_it_is_typed(seeded: Archive, typed: str) -> None:
    assert seeded.entity(typed)["name"] == "OpenAI board of directors"


# --- close names -----------------------------------------------------------------------------


@pytest.mark.parametrize(("new", "held", "close"), [
    ("Mira Murati", "Mira", True),  # a word in common
    ("Murati", "Mira Murati", True),
    ("Myra", "Mira", True),  # one edit, four letters
    ("Satya Nadela", "Satya Nadella", True),
    ("Microsfot", "Microsoft", True),  # two edits
    ("Open AI", "OpenAI", True),
    ("GPT-6", "GPT-5", True),
    ("Mia", "Mira", False),  # three letters: no typo
    ("Ada", "Ida", False),
    ("Smith", "Jones", False),
    ("The Times", "The Guardian", False),  # "the" is common
    ("Treaty of 1648", "Peace of 1648", False),  # a number is not a word in common
    ("Bank of England", "Bank of France", True),
    ("A", "B", False),
    ("Louis XIV", "Louis XVI", True),
])
def test_close_names(new: str, held: str, close: bool) -> None:
    assert near_name(normalise_name(new), normalise_name(held)) is close
    assert near_name(normalise_name(held), normalise_name(new)) is close


def test_the_words_that_count() -> None:
    assert name_tokens(normalise_name("The Bank of O’Brien & Co, 1848")) == {"bank", "brien"}


def _levenshtein(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        row, previous = [i], row
        for j, y in enumerate(b, 1):
            row.append(min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x != y)))
    return row[-1]


@settings(max_examples=500, deadline=None)
@given(st.text("abcd ", max_size=9), st.text("abcd ", max_size=9), st.integers(0, 4))
def test_edit_distance_is_levenshtein_up_to_its_limit(a: str, b: str, limit: int) -> None:
    assert edit_distance(a, b, limit) == min(_levenshtein(a, b), limit + 1)


_SMALL_WORD = st.text("abcde", min_size=1, max_size=6)
_SMALL_NAME = st.lists(_SMALL_WORD, min_size=1, max_size=3).map(" ".join)


@pytest.fixture(scope="module")
def crowded() -> Archive:
    """An archive of 300 names over a five-letter alphabet: many close to each other."""
    archive = Archive.in_memory()
    rng = random.Random(15)
    names: dict[str, str] = {}
    while len(names) < 300:
        name = " ".join("".join(rng.choice("abcde") for _ in range(rng.randint(1, 6)))
                        for _ in range(rng.randint(1, 3)))
        names.setdefault(normalise_name(name), name)
    with archive.batch() as batch:
        for k, name in enumerate(names.values()):
            if k % 5 == 4:
                batch.alias(batch.created[-1], name)
            else:
                batch.entity(name, "place")
    return archive


def _finds_every_close_name(archive: Archive, name: str) -> bool:
    """``near_names`` reads only some names (a word in common, a piece unchanged): it finds
    exactly the entities that the rule, applied to every name, finds. Whether any."""
    key = normalise_name(name)
    expected = {archive.readmodel.resolve(n) for n in archive.all_names()
                if normalise_name(n) != key and near_name(key, normalise_name(n))}
    found = archive.readmodel.near_names(name, limit=10_000)
    assert {archive.readmodel.resolve(entity) for _, _, entity in found} == expected
    assert len(found) == len(expected)  # one per entity
    return bool(expected)


@settings(max_examples=300, deadline=None)
@given(_SMALL_NAME)
def test_the_read_model_finds_every_close_name(crowded: Archive, name: str) -> None:
    _finds_every_close_name(crowded, name)


def test_the_read_model_finds_every_close_name_of_these(crowded: Archive) -> None:
    rng = random.Random(9)
    tried = [_finds_every_close_name(crowded, " ".join(
        "".join(rng.choice("abcdef") for _ in range(rng.randint(1, 7)))
        for _ in range(rng.randint(1, 3)))) for _ in range(300)]
    assert any(tried) and not all(tried)  # close to some names, and to none


@pytest.mark.parametrize(("kept", "absorbed", "kind"), [
    ("other", "person", "person"), ("person", "other", "person"),
    ("person", "organization", "person"), ("other", "other", "other"),
    ("", "place", "place"), ("unknown", "entity", "unknown"),
])
def test_merge_keeps_the_more_specific_kind(kept: str, absorbed: str, kind: str) -> None:
    assert merged_kind(kept, absorbed) == kind


# --- the engine: record ---------------------------------------------------------------------


def test_a_close_new_name_is_refused_with_its_candidates(seeded: Archive) -> None:
    batch = seeded.batch()
    with pytest.raises(NearNames) as caught:
        batch.record("Mira Murati", "works_at", object="OpenAI", valid="2020", new_entity=False)
    assert caught.value.field == "subject"
    assert caught.value.message == (
        "\"Mira Murati\" is not in the archive; did you mean 'Mira' (person)?")
    assert caught.value.candidates == [("Mira", "person", "Mira")]
    assert not batch.created and not batch.counts["claims"]
    with pytest.raises(NearNames) as caught:
        batch.record("Satya Nadella", "met", object="Sam Altmann", valid="2020",
                     new_entity=False)
    assert caught.value.field == "object"
    assert caught.value.candidates == [("Sam Altman", "person", "Sam Altman")]  # one an entity
    with pytest.raises(NearNames) as caught:
        batch.record("Optimuss", "met", object="Satya Nadella", valid="2020", new_entity=False)
    assert caught.value.message.endswith(
        "did you mean 'Optimus' (person, alias of 'Sam Altman')?")


def test_at_most_five_candidates_closest_first(seeded: Archive) -> None:
    batch = seeded.batch()
    with pytest.raises(NearNames) as caught:
        batch.record("GPT-6", "released", value="x", valid="2026", new_entity=False)
    assert {c[0] for c in caught.value.candidates[:2]} == {"GPT-5", "GPT-4"}  # one edit
    assert len(caught.value.candidates) <= 5
    assert " or " in caught.value.message


def test_confirmed_or_unasked_a_close_new_name_is_an_entity(seeded: Archive) -> None:
    for new_entity in (True, None):
        batch = seeded.batch()
        batch.record("Mira Murati", "works_at", object="OpenAI", valid="2020",
                     new_entity=new_entity)
        assert batch.created == ["Mira Murati"]


def test_a_name_close_to_nothing_needs_no_confirming(seeded: Archive) -> None:
    batch = seeded.batch()
    batch.record("Thinking Machines Lab", "founded", value="x", valid="2025", new_entity=False)
    assert batch.created == ["Thinking Machines Lab"]


@pytest.mark.parametrize("bad", ["Mira\u200bMurati", "Mira\u202eMurati", "Mira\x00", "\ufeffMira",
                                 "Mira\u2028Murati"])
def test_invisible_and_control_characters_are_refused_before_closeness(seeded: Archive,
                                                                      bad: str) -> None:
    for new_entity in (False, True):
        with pytest.raises(InvalidInput) as caught:
            seeded.batch().record(bad, "p", value="x", valid="2020", new_entity=new_entity)
        assert not isinstance(caught.value, NearNames)
        assert caught.value.field == "subject"
        assert "U+" in caught.value.message


# --- the command line -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seeded") / "archive.sqlite"
    with Archive.open(path) as archive:
        import_file(archive, SEEDS)
    return path


@pytest.fixture
def archive_path(seeded_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    target = tmp_path / "archive.sqlite"
    for found in seeded_file.parent.iterdir():
        if found.name.startswith(seeded_file.name):
            shutil.copy(found, target.with_name(found.name.replace(seeded_file.name,
                                                                   target.name)))
    return target


Run = Callable[..., tuple[int, str, str]]


def test_record_refuses_a_close_new_name_and_writes_nothing(
        run: Run, archive_path: Path, count_events: Callable[[Path], int]) -> None:
    before = count_events(archive_path)
    code, out, err = run("record", "Mira Murati", "works_at", "--object", "OpenAI",
                         "--valid", "2020")
    assert (code, out) == (2, "")
    assert err == ("hindsight: error: SUBJECT: \"Mira Murati\" is not in the archive; did you "
                   "mean 'Mira' (person)? Give --new-entity to create it.\n")
    code, _, err = run("record", "Satya Nadella", "met", "--object", "Sam Altmann",
                       "--valid", "2020")
    assert code == 2 and err.startswith("hindsight: error: --object: \"Sam Altmann\" is not in")
    assert count_events(archive_path) == before


def test_record_new_entity_creates_it_and_kind_sets_its_kind(run: Run, archive_path: Path,
                                                             count_events: Callable[[Path], int]
                                                             ) -> None:
    before = count_events(archive_path)
    code, out, err = run("record", "Mira Murati", "works_at", "--object", "OpenAI",
                         "--valid", "2020", "--new-entity", "--kind", "person")
    assert code == 0, err
    assert "note: created entity 'Mira Murati' (person)" in err
    assert count_events(archive_path) == before + 3  # the predicate, entity and claim
    with Archive.open(archive_path) as archive:
        assert archive.entity("mira\u00a0MURATI")["kind"] == "person"
        assert archive.entity("Mira")["name"] == "Mira"  # still its own entity
    # The same command again is the same claim: nothing new, nothing refused.
    code, again, _ = run("record", "Mira Murati", "works_at", "--object", "OpenAI",
                         "--valid", "2020", "--new-entity", "--kind", "person")
    assert (code, again) == (0, out)
    # Now the name is held: typed any way, it needs no confirming.
    code, _, err = run("record", "mira  murati", "works_at", "--object", "OpenAI",
                       "--valid", "2021")
    assert code == 0, err


def test_record_kind_without_a_new_entity(run: Run, archive_path: Path,
                                          count_events: Callable[[Path], int]) -> None:
    code, _, err = run("record", "Thinking Machines Lab", "founded_by", "--object", "Mira",
                       "--valid", "2025", "--kind", "organization")
    assert code == 0, err
    with Archive.open(archive_path) as archive:
        assert archive.entity("Thinking Machines Lab")["kind"] == "organization"
        assert archive.entity("Mira")["kind"] == "person"  # --kind is a new entity's only
    before = count_events(archive_path)
    code, _, err = run("record", "Mira", "works_at", "--object", "OpenAI", "--valid", "2019",
                       "--kind", "place")
    assert code == 2
    assert err == ("hindsight: error: --kind: 'Mira' (person) and 'OpenAI' (organization) are "
                   "already in the archive: kind 'place' is for a new entity (an entity's kind "
                   "is set when it is created)\n")
    assert count_events(archive_path) == before
    code, _, err = run("record", "Mira", "works_at", "--object", "OpenAI", "--valid", "2019",
                       "--kind", "person")
    assert code == 0, err
    with pytest.raises(SystemExit) as exited:
        run("record", "X", "p", "--value", "v", "--valid", "2019", "--kind", "robot")
    assert exited.value.code == 2


def test_record_refuses_an_invisible_character_even_with_new_entity(
        run: Run, archive_path: Path, count_events: Callable[[Path], int]) -> None:
    before = count_events(archive_path)
    code, _, err = run("record", "Mira\u200b Murati", "works_at", "--object", "OpenAI",
                       "--valid", "2020", "--new-entity")
    assert code == 2
    assert "U+200B ZERO WIDTH SPACE" in err and "did you mean" not in err
    assert count_events(archive_path) == before


def test_merge_keeps_the_more_specific_kind_and_says_so(run: Run, archive_path: Path) -> None:
    assert run("record", "Ministry of Memory", "p", "--value", "v", "--valid", "2000")[0] == 0
    assert run("record", "Memory Office", "p", "--value", "v", "--valid", "2000",
               "--new-entity", "--kind", "organization")[0] == 0
    assert run("record", "Archivist", "p", "--value", "v", "--valid", "2000",
               "--kind", "person")[0] == 0
    # An unspecific kind takes the other's.
    code, _, err = run("merge", "Ministry of Memory", "Memory Office")
    assert code == 0
    assert err == ("note: 'Ministry of Memory' takes the kind of 'Memory Office': "
                   "organization\n")
    # Two specific kinds: the first entity's is kept, and said.
    code, _, err = run("merge", "Ministry of Memory", "Archivist")
    assert code == 0
    assert err == ("note: 'Ministry of Memory' keeps its kind, organization ('Archivist' was "
                   "person)\n")
    # The same kind: nothing to say.
    assert run("merge", "OpenAI", "Microsoft") == (0, "", "")
    with Archive.open(archive_path) as archive:
        assert archive.entity("Archivist")["kind"] == "organization"
        assert archive.entity("Memory Office")["name"] == "Ministry of Memory"
        assert verify(archive).ok  # a rebuild agrees: the kind follows from the events
