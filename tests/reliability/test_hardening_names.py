"""Hardening, classes 2 and 3: names that are not what they look like, and templates as code.

Class 2. Every name, alias, id, predicate label and source title the archive stores passes
one rule (``timeline.domain.clean_name`` / ``clean_id`` / ``check_predicate_name``; free text:
``clean_text``): normalised (Unicode NFC, surrounding whitespace trimmed where the field is
trimmed), then checked (no control, invisible formatting, bidirectional, surrogate, unassigned
or line-separator characters; not empty; at most ``NAME_MAX`` characters), then stored exactly
as checked. A predicate name is matched whole, as given: ``'ceo_of\\n'`` is not ``ceo_of``.

Class 3. A predicate label is data: ``timeline.views.render_statement`` replaces only the exact
placeholders ``{subject}``, ``{object}`` and ``{value}``; every other brace, format spec or
attribute access is literal text, so no label can break or exhaust a read command.
"""

from __future__ import annotations

import json
import time
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from gui import formatting
from timeline.api import Archive, InvalidInput, is_template, render_statement
from timeline.domain import (
    NAME_MAX,
    PREDICATE_NAME,
    AliasAdded,
    ClaimRecorded,
    EntityCreated,
    PredicateDefined,
    SourceRegistered,
    check_predicate_name,
    clean_id,
    clean_name,
    clean_text,
    entity_stream,
    normalise_name,
    predicate_stream,
)

# --- the characters of the class ----------------------------------------------------------------

_ALL = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
CONTROLS = [c for c in _ALL if unicodedata.category(c) == "Cc"]  # C0, DEL, C1: 65
FORMATS = [c for c in _ALL if unicodedata.category(c) == "Cf"]  # zero-width, bidi, tags, ...
SEPARATORS = ["\u2028", "\u2029"]
SURROGATES = ["\ud800", "\udbff", "\udc00", "\udcff", "\udfff"]
UNASSIGNED = ["\u0378", "\u2065", "\ufdd0", "\ufffe", "\uffff", "\U000e0080", "\U0010ffff"]
#: Every character a name may not hold, each tried at the start, inside and at the end.
REFUSED = CONTROLS + FORMATS + SEPARATORS + SURROGATES + UNASSIGNED
#: The ones named in the issue, by name, so that a failure reads well.
NAMED = {"ZERO WIDTH SPACE": "\u200b", "ZWNJ": "\u200c", "ZWJ": "\u200d", "LRM": "\u200e",
         "RLM": "\u200f", "WORD JOINER": "\u2060", "INVISIBLE TIMES": "\u2062",
         "BOM": "\ufeff", "LRE": "\u202a", "RLO": "\u202e", "LRI": "\u2066", "PDI": "\u2069",
         "NUL": "\x00", "ESC": "\x1b", "DEL": "\x7f", "NEL": "\x85", "SOFT HYPHEN": "\xad"}


def test_the_refused_characters_are_many() -> None:
    assert len(CONTROLS) == 65
    assert len(FORMATS) > 150
    assert set(NAMED.values()) <= set(REFUSED)


def _fails(call: Callable[[], object]) -> InvalidInput | None:
    try:
        call()
    except InvalidInput as exc:
        return exc
    return None


def test_every_refused_character_is_refused_in_every_place_of_a_name() -> None:
    missed = []
    for char in REFUSED:
        for text in (f"small{char}name", f"{char}small name", f"small name{char}"):
            if text.strip() != text:  # a whitespace control at an end is trimmed, as documented
                assert clean_name(text, "name") == unicodedata.normalize("NFC", text.strip())
                continue
            for check in (lambda t=text: clean_name(t, "name"),
                          lambda t=text: clean_id(t, "id"),
                          lambda t=text: clean_name(t, "label", empty=True)):
                error = _fails(check)
                if error is None or f"U+{ord(char):04X}" not in error.message:
                    missed.append((hex(ord(char)), text, error))
    assert not missed, missed[:10]
    assert len(REFUSED) * 3 > 700  # the number of inputs tried, three ways each


@pytest.mark.parametrize("name", sorted(NAMED))
def test_the_issue_s_invisible_characters_are_named_in_the_message(name: str) -> None:
    char = NAMED[name]
    error = _fails(lambda: clean_name(f"small{char}one", "aliases", "an alias"))
    assert error is not None and error.field == "aliases"
    assert error.message.startswith("an alias 'small\\")  # shown escaped, never raw
    assert f"U+{ord(char):04X}" in error.message and "position 6" in error.message
    assert char not in str(error)


# --- the rule: normalise, check, store what was checked ------------------------------------------

#: Text with every kind of trouble mixed into ordinary letters.
NASTY = st.text(st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from(REFUSED + SEPARATORS + [" ", "\u00a0", "\u3000", "\t", "\n", "\r"]),
    st.sampled_from("aeoAE\u0301\u0308\u0327\u00e9\u00c5\u212b\ufb01\u1100\u1161\uac00"),
), max_size=40)


@settings(max_examples=3000, deadline=None)
@given(NASTY)
@example("ceo_of\n")
@example("\u200b")
@example("e\u0301")
@example(" small  one ")
def test_a_name_is_stored_exactly_as_checked(text: str) -> None:
    try:
        stored = clean_name(text, "name")
    except InvalidInput as exc:
        assert exc.field == "name"
        nfc = unicodedata.normalize("NFC", text).strip()
        assert (not nfc or len(nfc) > NAME_MAX
                or any(unicodedata.category(c) in {"Cc", "Cf", "Cs", "Cn", "Zl", "Zp"}
                       for c in nfc))
        return
    # What is stored is the checked form: NFC, trimmed, clean, and it checks as itself.
    assert stored == unicodedata.normalize("NFC", stored) == stored.strip() != ""
    assert not any(unicodedata.category(c) in {"Cc", "Cf", "Cs", "Cn", "Zl", "Zp"}
                   for c in stored)
    assert clean_name(stored, "name") == stored
    # Nothing inside was dropped: only NFC and the ends changed it.
    assert stored == unicodedata.normalize("NFC", text).strip()
    # The lookup key agrees: the name as given and as stored name the same entity stream.
    assert normalise_name(stored) == normalise_name(text)
    assert entity_stream(stored) == entity_stream(text)


_LETTERS = st.text(st.sampled_from("aeiouAEIOUcnsz\u00e7\u00f1\u00e9\u00c5\u0390\u1e69"),
                   min_size=1, max_size=12)


@settings(max_examples=500, deadline=None)
@given(_LETTERS)
def test_nfc_and_nfd_spellings_are_one_name_and_an_id_must_be_composed(word: str) -> None:
    nfc, nfd = unicodedata.normalize("NFC", word), unicodedata.normalize("NFD", word)
    assert clean_name(nfd, "name") == clean_name(nfc, "name") == nfc
    assert entity_stream(nfd) == entity_stream(nfc)
    assert clean_id(nfc, "id") == nfc
    if nfd != nfc:  # an id is looked up exactly: refused, not silently made another id
        error = _fails(lambda: clean_id(nfd, "id", "a claim id"))
        assert error is not None and "NFC" in error.message
        assert ascii(nfc) in error.message


@settings(max_examples=1000, deadline=None)
@given(st.from_regex(PREDICATE_NAME, fullmatch=True).filter(lambda s: len(s) <= NAME_MAX),
       st.sampled_from(["\n", " ", "\t", "\r\n", "\u200b", "\x00", "\u00a0", "\ufeff", "."]),
       st.booleans())
def test_a_predicate_name_matches_whole_as_given(name: str, junk: str, before: bool) -> None:
    assert check_predicate_name(name) == name
    bad = junk + name if before else name + junk
    error = _fails(lambda: check_predicate_name(bad, "name"))
    assert error is not None and error.field == "name"
    assert "is not a predicate name" in error.message


@settings(max_examples=2000, deadline=None)
@given(NASTY)
def test_free_text_is_kept_exactly_or_refused(text: str) -> None:
    try:
        kept = clean_text(text, "value", "a value")
    except InvalidInput as exc:
        assert exc.field == "value"
        assert any((unicodedata.category(c) == "Cc" and c not in "\t\n\r")
                   or unicodedata.category(c) == "Cs"
                   or "\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069" for c in text)
        return
    assert kept is text  # values are part of a claim's derived id: never changed


# --- the rule in every command that takes a name -----------------------------------------------


@pytest.fixture(scope="module")
def memory() -> Iterator[Archive]:
    archive = Archive.in_memory()
    with archive.batch() as batch:
        batch.record("Kossuth Lajos", "member_of", object="Diet", valid="1847")
        batch.predicate("ceo_of", "chief executive of", True, redefine=True)
    yield archive
    archive.close()


def _refused_and_nothing_written(archive: Archive, stage: Callable[[Any], object]
                                 ) -> InvalidInput:
    before = archive.store.max_position()
    with pytest.raises(InvalidInput) as caught, archive.batch() as batch:
        stage(batch)
    assert archive.store.max_position() == before
    return caught.value


def test_ceo_of_newline_cannot_redefine_ceo_of(memory: Archive) -> None:
    for name in ("ceo_of\n", "ceo_of ", " ceo_of", "ceo_of\r\n", "ceo_of\u200b", "ceo_of\x00"):
        def define(batch: Any, name: str = name) -> None:
            batch.predicate(name, "of", False, redefine=True)

        error = _refused_and_nothing_written(memory, define)
        assert "is not a predicate name" in error.message
        with pytest.raises(InvalidInput):
            memory.define_predicate(name, "of", False)
    assert memory.predicates["ceo_of"] == ("chief executive of", "subject")
    assert len(memory.store.stream(predicate_stream("ceo_of\n"))) == 0


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(NASTY, st.sampled_from(["entity", "alias", "subject", "object", "source", "title",
                               "claim_id", "label"]))
def test_every_command_that_takes_a_name_applies_the_rule(memory: Archive, text: str,
                                                         where: str) -> None:
    assume(normalise_name(text) not in {"kossuth lajos", "diet"})
    try:
        cleaned = clean_id(text, "id", trim=where == "source") if where in {
            "source", "claim_id"} else clean_name(text, "name", empty=where == "label")
    except InvalidInput:
        cleaned = None
    stages: dict[str, Callable[[Any], object]] = {
        "entity": lambda b: b.entity(text),
        "alias": lambda b: b.alias("Kossuth Lajos", text),
        "subject": lambda b: b.record(text, "member_of", object="Diet", valid="1848"),
        "object": lambda b: b.record("Kossuth Lajos", "member_of", object=text, valid="1849"),
        "source": lambda b: b.source(text, "A title", "1850", "the text"),
        "title": lambda b: b.source("src-title-test", text, "1850", "the text"),
        "claim_id": lambda b: b.record("Kossuth Lajos", "member_of", value="x", valid="1851",
                                       claim_id=text),
        "label": lambda b: b.predicate("label_test", text, redefine=True),
    }
    before = memory.store.max_position()
    batch = memory.batch()
    if cleaned is None:
        with pytest.raises(InvalidInput):
            stages[where](batch)
        assert memory.store.max_position() == before
        return
    stages[where](batch)
    # Staged, not committed (the shared archive stays as it was): the event holds the checked
    # form, exactly.
    attribute, kind = {
        "entity": ("name", EntityCreated), "subject": ("name", EntityCreated),
        "object": ("name", EntityCreated), "alias": ("alias", AliasAdded),
        "source": ("source_id", SourceRegistered), "title": ("title", SourceRegistered),
        "claim_id": ("claim_id", ClaimRecorded), "label": ("label", PredicateDefined),
    }[where]
    assert [getattr(e, attribute) for e in batch.events if isinstance(e, kind)] == [cleaned]


# --- names stored before the rule: not checked again ---------------------------------------------


def test_names_stored_before_the_rule_still_open_and_are_found(tmp_path: Path) -> None:
    path = tmp_path / "legacy.sqlite"
    legacy = "Old\u200bName"
    with Archive.open(path) as archive:
        stream = entity_stream(legacy)
        archive.store.append([EntityCreated(originator_id=stream, originator_version=1,
                                            name=legacy)])
        archive.refresh()
    with Archive.open(path) as archive:  # reopened: the name is read, not judged
        assert archive.entity(legacy)["name"] == legacy
        with archive.batch() as batch:  # referring to it by its name is not creating it
            batch.record(legacy, "member_of", value="x", valid="1900")
            batch.alias(legacy, "Old Name")
        assert archive.entity("old name")["name"] == legacy
        assert archive.history(legacy)


# --- class 3: templates as code ---------------------------------------------------------------

_FIELDS = ("{subject}", "{object}", "{value}")


def reference(subject: str, label: str, obj: str | None, value: str | None) -> str:
    """The sentence, by the plainest reading of the rule: scan the label left to right; an
    exact placeholder is replaced, every other character is kept. A blank value leaves no
    trailing colon: none is added, and a label ending in a blank placeholder loses the
    punctuation before it."""
    if not any(f in label for f in _FIELDS):
        return f"{subject} {label}" + (f" {obj}" if obj else "") + (
            f": {value}" if value and value.strip() else "")
    fill = dict(zip(_FIELDS, (subject, obj or "", value or ""), strict=True))
    out, k = [], 0
    while k < len(label):
        for name, text in fill.items():
            if label.startswith(name, k):
                out.append(text)
                k += len(name)
                break
        else:
            out.append(label[k])
            k += 1
    said = "".join(out).strip()
    ending = next((name for name in _FIELDS if label.endswith(name)), None)
    if ending is not None and not fill[ending].strip():
        said = said.rstrip(" \t\n:;,")
    return said


LABEL_PARTS = st.sampled_from([
    "{", "}", "{{", "}}", "{subject}", "{object}", "{value}", "{value:>99999999999}",
    "{subject.__class__}", "{subject.__class__.__mro__}", "{0}", "{}", "{value!r}",
    "{object[0]}", "{subject:{value}}", "{value:,}", "%s", "%(subject)s", "${value}",
    "{Subject}", "{ value }", "{value", "value}", " founded ", "led by", "é", "\u05d0",
])
LABELS = st.lists(LABEL_PARTS, max_size=12).map("".join)
NAMES = st.one_of(st.text(max_size=10), st.sampled_from(["{value}", "{subject}", "{", "}"]))


@settings(max_examples=3000, deadline=None)
@given(NAMES, LABELS, st.one_of(st.none(), NAMES), st.one_of(st.none(), NAMES))
@example("A", "{value:>99999999999}", None, "x")
@example("A", "{subject.__class__}", "B", None)
@example("{value}", "{subject} is {value}", None, "{subject}")
def test_a_label_is_data(subject: str, label: str, obj: str | None, value: str | None) -> None:
    started = time.perf_counter()
    said = render_statement(subject, label, obj, value)
    assert time.perf_counter() - started < 0.05
    assert said == reference(subject, label, obj, value)
    # No width, fill or repetition: the sentence is no longer than its parts.
    assert len(said) <= len(label) + 3 * (len(subject) + len(obj or "") + len(value or "")) + 4
    assert is_template(label) == any(f in label for f in _FIELDS)
    # The desktop app asks the engine whether a label is a template.
    assert formatting.predicate_phrase("led_by", label) == (
        label if label and not is_template(label) else "led by")


def test_the_issue_s_labels() -> None:
    assert render_statement("A", "{value:>99999999999}", None, "x") == "A {value:>99999999999}: x"
    assert render_statement("A", "{subject} {subject.__class__}", None, None) == (
        "A {subject.__class__}")
    assert render_statement("A", "pays {{tax}} to {object}", "B", None) == "pays {{tax}} to B"
    assert render_statement("A", "owns {", "B", None) == "A owns { B"
    assert formatting.predicate_phrase("owns", "owns {shares}") == "owns {shares}"
    assert formatting.predicate_phrase("owns", "{subject} owns {object}") == "owns"


NASTY_LABELS = {
    "member_of": "{value:>99999999999}",
    "allied_with": "{subject.__class__.__mro__} allied {object",
    "corresponded_with": "{subject} wrote to {object} {{and}} {0} {}",
    "located_in": "} in {",
    "led_by": "{subject} led by {object}{value!r}",
    "relationship_with": "{subject}'s {value:{object}} with {object}: {value}",
    "status": "{subject:.{value}} status",
    "title": "{{title}} of {subject}: {value} {0[0]}",
}


@pytest.fixture(scope="module")
def labelled_archive(tmp_path_factory: pytest.TempPathFactory, small_archive: Path,
                     copy_archive: Callable[[Path, Path], Path]) -> Path:
    path = copy_archive(small_archive, tmp_path_factory.mktemp("labels") / "labels.sqlite")
    with Archive.open(path) as archive:
        for name, label in NASTY_LABELS.items():
            archive.define_predicate(name, label, archive.predicates[name][1])
        assert {n: archive.predicates[n][0] for n in NASTY_LABELS} == NASTY_LABELS
    return path


READS = [
    ("as-of", "1900"), ("as-of", "1900", "--format", "json"), ("as-of", "1950", "--entity",
                                                                "small Council 00000"),
    ("history", "small Council 00000"), ("history", "small Council 00000", "--format", "json"),
    ("diff", "1850", "1950"), ("diff", "1850", "1950", "--format", "json"), ("entities",),
    ("export", "--to", "json", "{dir}/out.json"), ("export", "--to", "csv", "{dir}/out.csv"),
    ("export", "--to", "timelinejs", "{dir}/out.tl.json"), ("verify",),
]


@pytest.mark.parametrize("args", READS, ids=lambda a: "-".join(a[:2]).replace("{dir}/", ""))
def test_read_commands_never_fail_on_any_label(args: tuple[str, ...], labelled_archive: Path,
                                               tmp_path: Path, cli: Callable[..., Any]) -> None:
    done = cli(labelled_archive, *(a.replace("{dir}", str(tmp_path)) for a in args),
               timeout=120)
    assert done.code == 0, done.err
    assert "Traceback" not in done.err
    if args[:1] == ("as-of",) and "json" in args:
        statements = [f["statement"] for f in json.loads(done.out)["facts"]]
        assert statements and all("{" in s or "}" in s for s in statements)  # literal braces


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(LABELS, NASTY))
def test_any_label_is_refused_or_answered_literally(memory: Archive, label: str) -> None:
    try:
        cleaned = clean_name(label, "label", empty=True)
    except InvalidInput:
        cleaned = None
    before = memory.store.max_position()
    if cleaned is None:
        with pytest.raises(InvalidInput):
            memory.define_predicate("member_of", label)
        assert memory.store.max_position() == before
        return
    memory.define_predicate("member_of", label)
    assert memory.predicates["member_of"][0] == cleaned
    facts = memory.as_of("1847-12-31").to_json()["facts"]
    said = [f["statement"] for f in facts if f["predicate"] == "member_of"]
    assert said == [reference("Kossuth Lajos", cleaned or "member of", "Diet", None)]
