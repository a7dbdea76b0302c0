"""Hardening, classes 1 and 7 (docs/reliability.md): files an input names, and duplicate or
ambiguous input.

1. **Files pulled in by an import.** What a named file holds goes into the append-only log
   for ever, so every file an input names is read by one rule (``timeline.files``): inside
   the import file's folder (symlinks resolved), a regular file, at most ``MAX_FILE_BYTES``,
   read without ever blocking. Generated names — absolute, ``..`` chains, symlinks in and
   out, ``/proc``, ``/dev``, FIFOs, folders, oversize sparse files — are checked against the
   rule, and a file swapped under the reader between the check and the open is not read.
7. **Duplicate and ambiguous input.** A key given twice in a JSON object is refused by place,
   the same by both readers; the fields a derived claim id is made of are normalised before
   it is derived (and stored so); recording a claim again with another certainty or note, a
   supersession by a withdrawn claim or in a cycle, and a supersession that changes nothing
   are refused, writing nothing.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import re
import signal
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline import files, interchange, jsonstream
from timeline.app import Archive
from timeline.errors import Conflict, HindsightError, InvalidInput
from timeline.files import MAX_FILE_BYTES, confined_path, open_input, read_named_file
from timeline.formats import import_path
from timeline.interchange import import_file

HERE = Path(__file__).resolve().parent
BASE = HERE / "base.json"
GOOD: dict[str, Any] = json.loads((HERE / "good.json").read_text(encoding="utf-8"))

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                          HealthCheck.too_slow])


@contextlib.contextmanager
def never_blocks(seconds: int = 10) -> Iterator[None]:
    """Fail, instead of hanging the test run, if the code inside blocks (on a FIFO, say)."""
    def alarm(*_: object) -> None:
        raise AssertionError(f"blocked for {seconds} s")
    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --- class 1: files an input names ------------------------------------------------------------

#: The size limit while the generated names are tried (the real one is 64 MiB).
SMALL_LIMIT = 1024


@pytest.fixture(scope="module")
def layout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An import folder holding every kind of thing a name can lead to, beside an outside
    folder holding a secret."""
    root = tmp_path_factory.mktemp("named-files")
    base, outside = root / "import", root / "outside"
    base.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text("the secret", encoding="utf-8")
    (base / "ok.txt").write_text("the text", encoding="utf-8")
    (base / "sub").mkdir()
    (base / "sub" / "deep.txt").write_text("the deep text", encoding="utf-8")
    (base / "latin.txt").write_bytes(b"caf\xe9")
    (base / "limit.txt").write_text("x" * SMALL_LIMIT, encoding="utf-8")
    with open(base / "sparse.txt", "wb") as sparse:  # 10 GiB that take no room
        sparse.truncate(10 * 1024**3)
    os.mkfifo(base / "pipe")
    os.mkfifo(outside / "pipe")
    os.symlink(outside / "secret.txt", base / "link-out")
    os.symlink("ok.txt", base / "link-in")
    os.symlink("sub", base / "link-dir")
    os.symlink(outside, base / "link-outdir")
    os.symlink("../../outside/secret.txt", base / "sub" / "climb")
    os.symlink("/dev/zero", base / "zero")
    os.symlink("/proc/self/environ", base / "environ")
    os.symlink("loop", base / "loop")
    os.symlink("missing.txt", base / "dangling")
    return base


_PARTS = ["..", ".", "sub", "ok.txt", "deep.txt", "pipe", "link-out", "link-in", "link-dir",
          "link-outdir", "climb", "zero", "environ", "loop", "dangling", "sparse.txt",
          "limit.txt", "latin.txt", "secret.txt", "outside", "import", "", "nope"]
_PREFIXES = ["", "", "", "/", "//", "/proc/self/", "/dev/", "/etc/", "~/", "./", "../",
             "{base}/", "{base}/../outside/"]


@st.composite
def named(draw: st.DrawFn) -> str:
    """A name as a hostile or careless import file might give it."""
    special = draw(st.sampled_from([None] * 8 + [
        "/proc/self/environ", "/dev/zero", "/dev/stdin", "/etc/passwd", "a\x00b", " ", "",
        "ok.txt\x00.png", "..\\..\\ok.txt", "sub/../ok.txt", "sub/../../outside/secret.txt"]))
    if special is not None:
        return special
    prefix = draw(st.sampled_from(_PREFIXES))
    return prefix + "/".join(draw(st.lists(st.sampled_from(_PARTS), min_size=1, max_size=5)))


def _expected(base: Path, name: str) -> str | None:
    """The rule, restated: the text the name may be read as, or None when it is refused."""
    if "\x00" in name or not name.strip() or os.path.isabs(name):
        return None
    real = Path(os.path.realpath(base / name))
    if not real.is_relative_to(os.path.realpath(base)):
        return None
    try:
        info = os.lstat(real)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > SMALL_LIMIT:
        return None
    try:
        return real.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None


@settings(SETTINGS, max_examples=400)
@given(name=named())
def test_a_named_file_is_read_only_inside_the_folder_and_never_blocks(
        layout: Path, name: str) -> None:
    name = name.replace("{base}", str(layout))
    with mock.patch.object(files, "MAX_FILE_BYTES", SMALL_LIMIT), never_blocks():
        expected = _expected(layout, name)
        try:
            text = read_named_file(layout, name, "file")
        except InvalidInput as exc:
            assert expected is None, (name, str(exc))
            assert exc.field == "file"
            assert "\n" not in str(exc)
            return
    assert text == expected, name
    # Independently of the restated rule: what was read is a regular file inside the folder.
    real = Path(os.path.realpath(layout / name))
    assert real.is_relative_to(layout.resolve()) and real.is_file()
    assert "secret" not in text


@pytest.mark.parametrize(("name", "message"), [
    ("/etc/passwd", "'/etc/passwd' is an absolute path"),
    ("/proc/self/environ", "is an absolute path"),
    ("../outside/secret.txt", "leads outside the folder of the import file"),
    ("sub/../../outside/secret.txt", "leads outside"),
    ("link-out", "'link-out' leads outside"),
    ("link-outdir/secret.txt", "leads outside"),
    ("sub/climb", "leads outside"),
    ("zero", "leads outside"),
    ("environ", "leads outside"),
    ("pipe", "'pipe' is a FIFO (named pipe)"),
    ("sub", "'sub' is a folder"),
    (".", "is a folder"),
    ("loop", "symlink that cannot be resolved"),
    ("dangling", "cannot read 'dangling' (No such file or directory)"),
    ("sparse.txt", "'sparse.txt' is 10,240.0 MiB, more than the 64.0 MiB"),
    ("latin.txt", "'latin.txt' is not UTF-8 text (byte 0xe9 at offset 3)"),
    ("a\x00b", "a file name cannot hold a null byte"),
    ("", "a file name cannot be empty"),
])
def test_each_kind_of_bad_name_is_refused_saying_why(layout: Path, name: str,
                                                     message: str) -> None:
    with never_blocks(), pytest.raises(InvalidInput) as caught:
        read_named_file(layout, name, "file")
    assert message in caught.value.message
    assert caught.value.field == "file"


@pytest.mark.parametrize("name", ["ok.txt", "link-in", "link-dir/deep.txt", "sub/deep.txt",
                                  "./sub/../ok.txt"])
def test_a_file_inside_the_folder_is_read_through_symlinks_that_stay_inside(
        layout: Path, name: str) -> None:
    assert read_named_file(layout, name, "file") in ("the text", "the deep text")


def test_the_size_limit_is_inclusive_and_checked_before_reading(layout: Path) -> None:
    with mock.patch.object(files, "MAX_FILE_BYTES", SMALL_LIMIT):
        assert read_named_file(layout, "limit.txt") == "x" * SMALL_LIMIT
        (layout / "over.txt").write_text("x" * (SMALL_LIMIT + 1), encoding="utf-8")
        try:
            with pytest.raises(InvalidInput, match="more than the"):
                read_named_file(layout, "over.txt")
        finally:
            (layout / "over.txt").unlink()
    assert MAX_FILE_BYTES == 64 * 1024 * 1024


def test_a_folder_swapped_for_a_symlink_after_the_check_is_not_followed(
        tmp_path: Path) -> None:
    """The path is resolved and checked, then opened a folder at a time without following a
    symlink: a folder replaced meanwhile by a link to the outside makes the open fail."""
    base, outside = tmp_path / "import", tmp_path / "outside"
    (base / "swap").mkdir(parents=True)
    (base / "swap" / "f.txt").write_text("inside", encoding="utf-8")
    outside.mkdir()
    (outside / "f.txt").write_text("the secret", encoding="utf-8")
    real = files.confined_path

    def swapped(folder: Path, name: str, field: str = "file") -> Path:
        found = real(folder, name, field)
        (base / "swap" / "f.txt").unlink()
        (base / "swap").rmdir()
        os.symlink(outside, base / "swap")
        return found

    with mock.patch.object(files, "confined_path", swapped), \
            pytest.raises(InvalidInput, match=r"cannot read 'swap/f.txt'"):
        read_named_file(base, "swap/f.txt")


def test_a_file_swapped_for_a_fifo_or_grown_after_the_check_is_not_read(
        tmp_path: Path) -> None:
    """Checked with lstat, opened without blocking, checked again on the descriptor, and
    read no further than the limit."""
    (tmp_path / "f.txt").write_text("small", encoding="utf-8")
    real = files._open_inside

    def to_fifo(folder: Path, parts: tuple[str, ...]) -> int:
        (tmp_path / "f.txt").unlink()
        os.mkfifo(tmp_path / "f.txt")
        return real(folder, parts)

    with mock.patch.object(files, "_open_inside", to_fifo), never_blocks(), \
            pytest.raises(InvalidInput, match="is a FIFO"):
        read_named_file(tmp_path, "f.txt")

    (tmp_path / "g.txt").write_text("small", encoding="utf-8")

    def grow(folder: Path, parts: tuple[str, ...]) -> int:
        fd = real(folder, parts)
        (tmp_path / "g.txt").write_text("x" * (SMALL_LIMIT + 10), encoding="utf-8")
        return fd

    with mock.patch.object(files, "_open_inside", grow), \
            mock.patch.object(files, "MAX_FILE_BYTES", SMALL_LIMIT), \
            pytest.raises(InvalidInput, match="more than the"):
        read_named_file(tmp_path, "g.txt")


def test_confinement_is_to_the_folder_of_the_import_file_not_the_current_one(
        layout: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(layout)
    (tmp_path / "t.txt").write_text("beside the import", encoding="utf-8")
    assert read_named_file(tmp_path, "t.txt") == "beside the import"
    with pytest.raises(InvalidInput, match="leads outside"):
        read_named_file(tmp_path, str(Path(os.path.relpath(layout / "ok.txt", tmp_path))))
    assert read_named_file(None, "ok.txt") == "the text"  # no file: the current folder
    assert confined_path(layout, "sub/deep.txt") == (layout / "sub" / "deep.txt").resolve()


def _source_doc(name: str) -> dict[str, Any]:
    return {"format": "hindsight/1", "sources": [
        {"id": "named", "title": "Named", "published": "1900", "file": name}]}


@pytest.mark.parametrize("streamed", [False, True], ids=["whole", "streamed"])
@pytest.mark.parametrize("name", ["/etc/passwd", "../outside/secret.txt", "link-out", "pipe",
                                  "zero", "sparse.txt", "sub"])
def test_an_import_naming_a_bad_file_is_refused_by_place_and_writes_nothing(
        layout: Path, name: str, streamed: bool) -> None:
    path = layout / "doc.json"
    path.write_text(json.dumps(_source_doc(name)), encoding="utf-8")
    with Archive.in_memory() as archive, never_blocks(), \
            mock.patch.object(interchange, "STREAM_FROM", 0 if streamed else 1 << 30):
        import_file(archive, BASE)
        before = archive.store.max_position()
        with pytest.raises(InvalidInput) as caught:
            import_file(archive, path)
        assert str(caught.value).startswith("sources[0].file: ")
        assert archive.store.max_position() == before


def test_an_import_naming_a_good_file_stores_its_text(layout: Path) -> None:
    path = layout / "good-doc.json"
    path.write_text(json.dumps(_source_doc("link-dir/deep.txt")), encoding="utf-8")
    with Archive.in_memory() as archive:
        import_file(archive, path)
        assert archive.source("named")["text"] == "the deep text"


@pytest.mark.parametrize("fmt", [None, "csv"])
@pytest.mark.parametrize(("target", "message"), [
    ("pipe", "cannot read a FIFO (named pipe); an import reads a regular file"),
    ("/dev/zero", "cannot read a device"),
    ("sub", "cannot read a folder"),
    ("nope.json", "cannot read (No such file or directory)"),
])
def test_the_file_to_import_is_a_regular_file_and_never_blocks(
        layout: Path, target: str, message: str, fmt: str | None) -> None:
    path = layout / target if not target.startswith("/") else Path(target)
    with Archive.in_memory() as archive, never_blocks(), \
            pytest.raises(InvalidInput) as caught:
        import_path(archive, path, fmt)
    assert str(caught.value).startswith(f"{path}: {message}"), str(caught.value)
    with never_blocks(), pytest.raises(InvalidInput, match="null byte"):
        open_input(Path("a\x00b"))


def test_source_add_warns_once_before_writing_and_refuses_a_fifo(
        tmp_path: Path, small_archive: Path, copy_archive: Callable[..., Path],
        cli: Callable[..., Any], stored_events: Callable[[Path], int]) -> None:
    archive = copy_archive(small_archive, tmp_path / "a.sqlite")
    text = tmp_path / "memoir.txt"
    text.write_text("A memoir, whole.", encoding="utf-8")
    before = stored_events(archive)
    done = cli(archive, "source", "add", "memoir", "--title", "Memoir", "--published", "1900",
               "--file", str(text))
    assert done.code == 0, done.err
    assert done.out.strip() == "memoir"
    assert len(done.err_lines) == 1
    assert done.err_lines[0].startswith("hindsight: warning: ")
    assert "permanent record and can never be removed" in done.err_lines[0]
    assert stored_events(archive) == before + 1
    again = cli(archive, "source", "add", "memoir", "--title", "Memoir", "--published", "1900",
                "--file", str(text))
    assert (again.code, again.err) == (0, "")  # already there: nothing written, no warning
    os.mkfifo(tmp_path / "pipe.txt")
    refused = cli(archive, "source", "add", "piped", "--title", "P", "--published", "1900",
                  "--file", str(tmp_path / "pipe.txt"), timeout=60)
    assert refused.code == 2
    # (a long path is shortened in the message: "'/tmp/…' (86 characters)")
    assert len(refused.err_lines) == 1 and re.fullmatch(
        r"hindsight: error: --file: '(.*pipe\.txt'|.*…' \(\d+ characters\)) is a FIFO "
        r"\(named pipe\); only a regular text file can be read", refused.err_lines[0])
    assert stored_events(archive) == before + 1


# --- class 7: duplicate keys ------------------------------------------------------------------


class Pairs(list[tuple[str, Any]]):
    """A JSON object as its pairs, so that one can hold a key twice."""


def dump(value: Any) -> str:
    if isinstance(value, dict):
        value = Pairs(value.items())
    if isinstance(value, Pairs):
        return "{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)}: {dump(v)}"
                               for k, v in value) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(dump(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _objects(value: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        if value:
            yield loc
        for key, item in value.items():
            yield from _objects(item, (*loc, key))
    elif isinstance(value, list):
        for k, item in enumerate(value):
            yield from _objects(item, (*loc, k))


_JSON = st.recursive(st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=5),
                     lambda inner: st.lists(inner, max_size=2)
                     | st.dictionaries(st.text(max_size=4), inner, max_size=2), max_leaves=4)


@st.composite
def repeated_key_documents(draw: st.DrawFn) -> tuple[str, tuple[Any, ...], str]:
    """The good document with one key given twice in one of its objects, anywhere: the text,
    the object's place and the key."""
    doc: Any = copy.deepcopy(GOOD)
    loc = draw(st.sampled_from(list(_objects(doc))))
    holder = doc
    for part in loc[:-1]:
        holder = holder[part]
    target = holder[loc[-1]] if loc else doc
    pairs = Pairs(target.items())
    at = draw(st.integers(0, len(pairs) - 1))
    key = pairs[at][0]
    value = draw(st.sampled_from([copy.deepcopy(pairs[at][1])]) | _JSON)
    # At the top level, the stream reads (and checks) each member in turn: the repeat comes
    # after the first, valid, one. Inside a member, anywhere.
    where = draw(st.integers(at + 1, len(pairs))) if not loc else draw(
        st.integers(0, len(pairs)))
    pairs.insert(where, (key, value))
    if loc:
        holder[loc[-1]] = pairs
    else:
        doc = pairs
    return dump(doc), loc, key


def _place(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@settings(SETTINGS, max_examples=150)
@given(case=repeated_key_documents(), chunk=st.integers(1, 64))
def test_a_key_given_twice_is_refused_by_place_the_same_by_both_readers(
        case: tuple[str, tuple[Any, ...], str], chunk: int) -> None:
    text, loc, key = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "repeated.json"
        path.write_text(text, encoding="utf-8")
        where = _place(loc) or str(path)
        expected = f"{where}: duplicate key {json.dumps(key, ensure_ascii=False)}; a key may "
        seen = []
        for streamed in (False, True):
            with Archive.in_memory() as archive, \
                    mock.patch.object(interchange, "STREAM_FROM", 0 if streamed else 1 << 30), \
                    mock.patch.object(jsonstream, "CHUNK", chunk):
                import_file(archive, BASE)
                before = archive.store.max_position()
                with pytest.raises(InvalidInput) as caught:
                    import_file(archive, path)
                assert archive.store.max_position() == before
            seen.append(str(caught.value))
        assert seen[0] == seen[1], seen
        assert seen[0].startswith(expected), (seen[0], expected)


def test_an_object_without_a_repeat_is_a_plain_dict_and_the_good_file_imports() -> None:
    keys = jsonstream.KeyCheck()
    data = json.loads(dump(GOOD), object_pairs_hook=keys)
    assert data == GOOD and not keys.found
    assert type(data) is dict and type(data["claims"][0]) is dict
    repeated = json.loads('{"a": 1, "b": 2, "a": 3}', object_pairs_hook=keys)
    assert keys.found and isinstance(repeated, jsonstream.Repeated) and repeated.key == "a"


@pytest.mark.parametrize("streamed", [False, True], ids=["whole", "streamed"])
def test_a_long_repeated_key_is_shown_short(tmp_path: Path, streamed: bool) -> None:
    key = "k" * 5000
    path = tmp_path / "long.json"
    path.write_text('{"format": "hindsight/1", "x": {"' + key + '": 1, "' + key + '": 2}}',
                    encoding="utf-8")
    with Archive.in_memory() as archive, \
            mock.patch.object(interchange, "STREAM_FROM", 0 if streamed else 1 << 30), \
            pytest.raises(InvalidInput) as caught:
        import_file(archive, path)
    assert str(caught.value).startswith('x: duplicate key "kkkk')
    assert "(5,000 characters)" in str(caught.value) and len(str(caught.value)) < 200


# --- class 7: a derived claim id is made of normalised fields ---------------------------------

_DATES = ["1900", "1900-05", "1900-05-17", "1900~", "1900?", "190X", "1900-XX", "-0044-03-15",
          "1900-21"]
_BLANKS = st.text(st.sampled_from([" ", "\t", "\n", "\u00a0", "\u2003"]), max_size=3)
_INNER = st.text(st.sampled_from([" ", "\t"]), max_size=2)


@st.composite
def spelled_valid(draw: st.DrawFn) -> tuple[str, str]:
    """A valid time in its normal form, and another spelling of it."""
    if draw(st.booleans()):
        date = draw(st.sampled_from(_DATES))
        return date, draw(_BLANKS) + date + draw(_BLANKS)
    lower = draw(st.sampled_from([*_DATES, "", ".."]))
    upper = draw(st.sampled_from(["1950", "1950-06", "1950~", "", ".."]))
    normal = f"{lower}/{upper}"
    spelled = f"{lower}{draw(_INNER)}/{draw(_INNER)}{upper}"
    if lower == ".." and upper not in ("", "..") and draw(st.booleans()):
        spelled = f"..{upper}"
    elif upper == ".." and lower not in ("", "..") and draw(st.booleans()):
        spelled = f"{lower}.."
    return normal, draw(_BLANKS) + spelled + draw(_BLANKS)


@settings(SETTINGS, max_examples=200)
@given(valid=spelled_valid(), known=st.sampled_from([None, "1960", "1960-01-02"]),
       blanks=_BLANKS)
def test_two_spellings_of_one_claim_are_one_claim_stored_in_normal_form(
        valid: tuple[str, str], known: str | None, blanks: str) -> None:
    normal, spelled = valid
    with Archive.in_memory() as archive:
        try:
            first = archive.record("Ada", "status", value="alive", valid=normal, known_at=known)
        except InvalidInput:
            with pytest.raises(InvalidInput):
                archive.record("Ada", "status", value="alive", valid=spelled)
            return
        events = archive.store.max_position()
        try:
            again = archive.record("Ada", "status", value="alive", valid=spelled,
                                   known_at=blanks + known + blanks if known else known)
        except InvalidInput:
            return  # a spelling the date parser refuses is refused, not a second claim
        assert again == first
        assert archive.store.max_position() == events
        assert archive.claim(first).valid == normal
        spelled_first = Archive.in_memory()
        with spelled_first:
            other = spelled_first.record("Ada", "status", value="alive", valid=spelled,
                                         known_at=blanks + known + blanks if known else known)
            assert other == first
            assert spelled_first.claim(other).valid == normal


def test_ids_derived_before_the_rule_stay_the_same() -> None:
    """Ids derived from already normal fields, as the engine derived them before the rule
    (computed with the earlier code): existing archives and files keep their ids."""
    with Archive.in_memory() as archive, archive.batch() as batch:
        batch.source("menabrea", "Sketch", "1843",
                     "Sketch of the Analytical Engine invented by Charles Babbage")
        claims: list[dict[str, Any]] = [
            dict(subject="Ada Lovelace", predicate="born_in", object="London",
                 valid="1815-12-10"),
            dict(subject="Ada Lovelace", predicate="title", value="Countess of Lovelace",
                 valid="1838/1852"),
            dict(subject="Ada Lovelace", predicate="title", value="Countess of Lovelace",
                 valid="1838/..", known_at="1900"),
            dict(subject="Charles Babbage", predicate="works_with", object="Ada Lovelace",
                 valid="1833~/1852", known_at="1843-09",
                 sources=[("menabrea", "Sketch of the Analytical Engine")]),
            dict(subject="Charles Babbage", predicate="status", value="alive",
                 valid="../1871-10-18",
                 sources=[("menabrea", "Analytical Engine"), ("menabrea", "Sketch")]),
        ]
        ids = [batch.record(**claim) for claim in claims]
    assert ids == ["c-8c03769299a938cc", "c-d0fe810f650f8aec", "c-513dedb12438a467",
                   "c-c8cf04d6a35acff0", "c-545acde0d0a90aac"]


def test_a_claim_recorded_under_an_id_derived_from_its_typed_spelling_is_found_again() -> None:
    """Before the rule, ``1838 / 1852`` gave an id of its own: recording it again finds that
    claim instead of recording it a second time."""
    from timeline.domain import derive_claim_id

    with Archive.in_memory() as archive:
        archive.record("Ada", "born_in", value="London", valid="1815")  # makes the entity
        subject = archive.entity("Ada")["id"]
        legacy = derive_claim_id(subject, "title", None, "Countess", "1838 / 1852", "", ())
        with archive.batch() as batch:
            batch.record("Ada", "title", value="Countess", valid="1838/1852", note="old",
                         claim_id=legacy)
        events = archive.store.max_position()
        with archive.batch() as batch:
            assert batch.record("Ada", "title", value="Countess", valid="1838 / 1852",
                                note="old") == legacy
        assert archive.store.max_position() == events


def test_citations_in_another_order_are_the_same_claim() -> None:
    with Archive.in_memory() as archive:
        archive.add_source("s", "S", "1900", "one two three")
        first = archive.record("Ada", "status", value="alive", valid="1900", known_at="1901",
                               sources=[("s", "one"), ("s", "three")])
        events = archive.store.max_position()
        assert archive.record("Ada", "status", value="alive", valid="1900", known_at="1901",
                              sources=[("s", "three"), ("s", "one")]) == first
        assert archive.store.max_position() == events


# --- class 7: recording a claim again ---------------------------------------------------------


@settings(SETTINGS, max_examples=120)
@given(first=st.tuples(st.sampled_from([0.0, 0.5, 0.9, 1.0]),
                       st.sampled_from(["", "a note", "another note"])),
       second=st.tuples(st.sampled_from([0.0, 0.5, 0.9, 1.0]),
                        st.sampled_from(["", "a note", "another note"])),
       explicit=st.booleans())
def test_recording_a_claim_again_is_a_no_op_only_when_it_is_the_very_same(
        first: tuple[float, str], second: tuple[float, str], explicit: bool) -> None:
    claim: dict[str, Any] = dict(subject="Ada", predicate="status", value="alive", valid="1900",
                 known_at="1901", claim_id="ada-alive" if explicit else None)
    with Archive.in_memory() as archive:
        with archive.batch() as batch:
            claim_id = batch.record(**claim, certainty=first[0], note=first[1])
        events = archive.store.max_position()
        if first == second:
            with archive.batch() as batch:
                assert batch.record(**claim, certainty=second[0], note=second[1]) == claim_id
        else:
            with pytest.raises(Conflict) as caught, archive.batch() as batch:
                batch.record(**claim, certainty=second[0], note=second[1])
            message = str(caught.value)
            assert f"claim '{claim_id}' is already recorded with" in message
            assert ("certainty" in message) == (first[0] != second[0])
            assert ("note" in message) == (first[1] != second[1])
            assert "supersede it" in message
        assert archive.store.max_position() == events
        assert archive.claim(claim_id).certainty == first[0]


def test_another_claim_under_a_used_id_is_refused_saying_what_differs() -> None:
    with Archive.in_memory() as archive:
        with archive.batch() as batch:
            batch.record("Ada", "status", value="alive", valid="1900", claim_id="x")
        with pytest.raises(Conflict, match=r"claim id 'x' is already used by a different "
                                           r"claim \(its valid is '1900', not '1901'\)"), \
                archive.batch() as batch:
            batch.record("Ada", "status", value="alive", valid="1901", claim_id="x")
        with pytest.raises(Conflict, match=r"its subject is 'Ada', not 'Bea'"), \
                archive.batch() as batch:
            batch.record("Bea", "status", value="alive", valid="1900", claim_id="x")


def test_an_import_giving_one_claim_twice_with_other_certainties_is_refused(
        tmp_path: Path) -> None:
    doc = copy.deepcopy(GOOD)
    doc["claims"].append(dict(doc["claims"][1], certainty=0.4))
    path = tmp_path / "twice.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with Archive.in_memory() as archive:
        import_file(archive, BASE)
        before = archive.store.max_position()
        with pytest.raises(Conflict, match=r"^claims\[6\]: claim 'g2' is already recorded "
                                           r"with certainty 0\.9, not 0\.4"):
            import_file(archive, path)
        assert archive.store.max_position() == before
        good = tmp_path / "good.json"
        good.write_text(json.dumps(GOOD), encoding="utf-8")
        first = import_file(archive, good).events
        assert first > 0 and import_file(archive, good).events == 0  # still idempotent


# --- class 7: supersessions -------------------------------------------------------------------


@pytest.fixture
def two_claims() -> Iterator[tuple[Archive, str, str]]:
    with Archive.in_memory() as archive:
        archive.add_source("s", "S", "1900", "Ada was alive and well.")
        archive.define_predicate("status", "is", single=True)
        archive.record("Ada Lovelace", "status", value="alive", valid="1900", known_at="1901")
        with archive.batch() as batch:
            batch.alias("Ada Lovelace", "Countess")
        a = archive.record("Ada Lovelace", "status", value="alive", valid="1900/1910",
                           known_at="1911", certainty=0.8, sources=[("s", "Ada was alive")],
                           note="from the census")
        b = archive.record("Ada Lovelace", "status", value="well", valid="1912",
                           known_at="1913")
        yield archive, a, b


@pytest.mark.parametrize("same", [
    {}, {"valid": " 1900 / 1910 "}, {"subject": "countess"}, {"subject": "ADA  LOVELACE"},
    {"certainty": 0.8}, {"value": "alive"}, {"sources": [("s", " Ada was alive ")]},
    {"note": "from the census"}, {"predicate": "status", "valid": "1900/1910"},
])
def test_a_supersession_that_changes_nothing_is_refused(
        two_claims: tuple[Archive, str, str], same: dict[str, Any]) -> None:
    archive, a, _ = two_claims
    events = archive.store.max_position()
    with pytest.raises(InvalidInput, match=rf"^nothing to change: the replacement would be "
                                           rf"claim '{a}' again"):
        archive.supersede(a, known_at="1950", **same)
    assert archive.store.max_position() == events


@pytest.mark.parametrize("change", [
    {"valid": "1900/1911"}, {"certainty": 0.9}, {"value": "alive "}, {"subject": "Bea"},
    {"sources": []}, {"note": "a new note"},
])
def test_a_supersession_that_changes_something_is_recorded(
        two_claims: tuple[Archive, str, str], change: dict[str, Any]) -> None:
    archive, a, _ = two_claims
    new = archive.supersede(a, known_at="1950", **change)
    assert new != a
    assert archive.claim(new).valid in ("1900/1910", "1900/1911")


def test_a_claim_is_never_superseded_by_a_withdrawn_one_nor_in_a_cycle(
        two_claims: tuple[Archive, str, str]) -> None:
    archive, a, b = two_claims
    c = archive.record("Ada Lovelace", "status", value="gone", valid="1920", known_at="1921")
    archive.retract(c, "1930")
    events = archive.store.max_position()
    with pytest.raises(Conflict, match=rf"the replacement '{c}' is itself retracted or "
                                       rf"superseded: '{a}' would vanish"):
        archive.supersede(a, by=c, known_at="1940")
    archive.supersede(a, by=b, known_at="1940")
    events = archive.store.max_position()
    with pytest.raises(Conflict, match=rf"the replacement '{a}' is itself retracted or "
                                       "superseded"):
        archive.supersede(b, by=a, known_at="1941")  # the cycle: a by b, b by a
    assert archive.store.max_position() == events
    assert b in {f.claim.id for f in archive.as_of("1912").facts}


def _chain_doc(backwards: bool) -> dict[str, Any]:
    doc = copy.deepcopy(GOOD)
    doc["claims"] += [
        {"id": "k3", "subject": "Pest", "predicate": "status", "value": "free",
         "valid": "1849-01-06/..", "known_at": "1890"},
    ]
    chain = [{"claim": "g3", "by": "g3b", "known_at": "1881"},
             {"claim": "g3b", "by": "k3", "known_at": "1890"}]
    doc["supersessions"] = chain[::-1] if backwards else chain
    return doc


def test_a_chain_of_supersessions_imports_in_any_order(tmp_path: Path) -> None:
    """An export lists supersessions claim by claim, not in the order they were made:
    ``g3b by k3`` may come before ``g3 by g3b``. Either way it imports, the same."""
    answers = []
    for backwards in (False, True):
        path = tmp_path / f"chain-{backwards}.json"
        path.write_text(json.dumps(_chain_doc(backwards)), encoding="utf-8")
        with Archive.in_memory() as archive:
            import_file(archive, BASE)
            import_file(archive, path)
            answers.append(sorted(f.claim.id for f in archive.as_of("1900").facts))
            assert import_file(archive, path).events == 0
    assert answers[0] == answers[1] and "k3" in answers[0]


@pytest.mark.parametrize("streamed", [False, True], ids=["whole", "streamed"])
def test_a_cycle_of_supersessions_in_a_file_is_refused_by_place(tmp_path: Path,
                                                                streamed: bool) -> None:
    doc = copy.deepcopy(GOOD)
    doc["supersessions"] = [{"claim": "g3", "by": "g3b", "known_at": "1881"},
                            {"claim": "g3b", "by": "g3", "known_at": "1882"}]
    path = tmp_path / "cycle.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with Archive.in_memory() as archive, \
            mock.patch.object(interchange, "STREAM_FROM", 0 if streamed else 1 << 30):
        import_file(archive, BASE)
        before = archive.store.max_position()
        with pytest.raises(HindsightError, match=r"^supersessions\[\d\]: the replacement "
                                                 r"'g3b?' is itself retracted or superseded"):
            import_file(archive, path)
        assert archive.store.max_position() == before


def test_chain_order_keeps_the_file_order_otherwise_and_survives_long_chains() -> None:
    from timeline.interchange import SupersessionRecord
    from timeline.interchange_order import chain_order as _chain_order

    def rec(claim: str, by: str) -> SupersessionRecord:
        return SupersessionRecord(claim=claim, by=by, known_at="2000")

    plain = [(0, rec("a", "b")), (1, rec("x", "y")), (2, rec("p", "q"))]
    assert _chain_order(plain) == plain
    n = 50_000  # c0 by c1, c1 by c2, …, listed last first: no recursion limit is hit
    chain = [(k, rec(f"c{n - 1 - k}", f"c{n - k}")) for k in range(n)]
    ordered = _chain_order(chain)
    assert [r.claim for _, r in ordered] == [f"c{k}" for k in range(n)]
    cycle = [(0, rec("a", "b")), (1, rec("b", "a"))]
    assert sorted(_chain_order(cycle)) == cycle
