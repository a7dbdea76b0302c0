"""The red-team table: bad inputs, faults and attacks, each run through the real command line
against a copy of a small archive.

Every row asserts the same four things: the exit code, exactly one line on stderr that says
what went wrong and where (matching the row's pattern), no traceback, and the archive unchanged
(its events, its hash chain's head and its answers on a grid of days). Rows are grouped by the
class of fault they belong to (docs/reliability.md, "Hardening"); each class also has deeper
tests of its own.

In a row, ``{dir}`` stands for the row's scratch folder (its ``files`` are written there first,
and ``setup`` may add more, such as a FIFO) and ``{archive}`` for the archive's path.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest


@dataclass(frozen=True)
class Case:
    id: str
    args: tuple[str, ...]
    code: int
    message: str  # a regex the one stderr line must match (searched, not anchored)
    files: dict[str, str | bytes] = field(default_factory=dict)
    setup: Callable[[Path], Any] | None = None
    #: False for rows whose command may print a warning line before its error (none so far).
    one_line: bool = True


def _fifo(folder: Path) -> None:
    os.mkfifo(folder / "pipe.txt")


# The row's archive is ``folder.parent / "archive.sqlite"`` (its read model beside it).
def _link_to_archive(folder: Path) -> None:
    os.symlink(folder.parent / "archive.sqlite", folder / "link.sqlite")


def _hard_link_to_read_model(folder: Path) -> None:
    os.link(folder.parent / "archive.sqlite.index", folder / "copy.index")


def _device(folder: Path) -> None:
    """A character device like /dev/null (root may make one; anyone else gets a FIFO)."""
    try:
        os.mknod(folder / "null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        os.mkfifo(folder / "null")


def _source_file(name: str) -> dict[str, str | bytes]:
    """Class 1: an import file (``{dir}/doc.json``) whose one source's text is file ``name``."""
    return {"doc.json": json.dumps({"format": "hindsight/1", "sources": [
        {"id": "s-named", "title": "Named", "published": "1900", "file": name}]})}


def _symlink(name: str, target: str) -> Callable[[Path], None]:
    return lambda folder: os.symlink(target, folder / name)


def _sparse(name: str, size: int) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        with open(folder / name, "wb") as handle:
            handle.truncate(size)  # takes no room
    return make


def _big_file_repeating_a_key(folder: Path) -> None:
    """Class 7: over 8 MB, so read as a stream (interchange.STREAM_FROM), not whole."""
    (folder / "big.json").write_text(
        '{"format": "hindsight/1", "padding": "' + "x" * (9 * 1024 * 1024) + '", '
        '"claims": [{"subject": "small New", "predicate": "status", "value": "v", '
        '"valid": "1900", "valid": "1901"}]}', encoding="utf-8")


#: Class 7: a claim of the small archive (synthetic seed 3), as its file gives it.
_SYN_3_1 = {"id": "syn-3-1", "subject": "small Archive 00016", "predicate": "title",
            "valid": "1919-04/1926-01-20", "value": "friendly", "known_at": "2006-12-24",
            "sources": [{"source": "small-src-0000",
                         "quote": "Entry 0-19: the archive reported item 19."}]}


def _claims_file(*claims: dict[str, Any], **parts: Any) -> dict[str, str | bytes]:
    return {"doc.json": json.dumps({"format": "hindsight/1", "claims": list(claims), **parts})}


CASES: list[Case] = [
    # --- the harness itself: ordinary mistakes, as already handled -------------------------
    Case("unknown-entity", ("as-of", "2000", "--entity", "Nobody At All"), 3,
         r"unknown entity 'Nobody At All'"),
    Case("malformed-date", ("as-of", "2000-13"), 2, r"'2000-13' is not a valid EDTF date"),
    # --- class 1: files pulled in by an import (timeline/files.py: read_named_file for a
    # source's file, open_input for the file imported, read_text_file for --file;
    # tests/reliability/test_hardening_input.py) --------------------------------------------
    Case("files-source-absolute", ("import", "{dir}/doc.json"), 2,
         r"sources\[0\]\.file: '/etc/passwd' is an absolute path; name a file in the folder",
         files=_source_file("/etc/passwd")),
    Case("files-source-proc-environ", ("import", "{dir}/doc.json"), 2,
         r"sources\[0\]\.file: '/proc/self/environ' is an absolute path",
         files=_source_file("/proc/self/environ")),
    Case("files-source-dev-zero", ("import", "{dir}/doc.json"), 2,
         r"sources\[0\]\.file: '/dev/zero' is an absolute path",
         files=_source_file("/dev/zero")),
    Case("files-source-climbs-out", ("import", "{dir}/doc.json"), 2,
         r"sources\[0\]\.file: '\.\./\.\./\.\./\.\./\.\./\.\./\.\./etc/passwd' leads outside "
         r"the folder of the import file \(.*case\)",
         files=_source_file("../../../../../../../etc/passwd")),
    Case("files-source-names-the-archive", ("import", "{dir}/doc.json"), 2,
         r"sources\[0\]\.file: 'texts/\.\./\.\./archive\.sqlite' leads outside",
         files={**_source_file("texts/../../archive.sqlite"), "texts/a.txt": "a"}),
    Case("files-source-symlink-out", ("import", "{dir}/doc.json"), 2,
         r"sources\[0\]\.file: 'notes\.txt' leads outside the folder of the import file",
         files=_source_file("notes.txt"), setup=_symlink("notes.txt", "/etc/passwd")),
    Case("files-source-symlink-to-dev-zero", ("import", "{dir}/doc.json"), 2,
         r"sources\[0\]\.file: 'zero\.txt' leads outside",
         files=_source_file("zero.txt"), setup=_symlink("zero.txt", "/dev/zero")),
    Case("files-source-through-symlinked-folder", ("import", "{dir}/doc.json"), 2,
         r"sources\[0\]\.file: 'etc/passwd' leads outside",
         files=_source_file("etc/passwd"), setup=_symlink("etc", "/etc")),
    Case("files-source-fifo", ("import", "{dir}/doc.json"), 2,
         r"sources\[0\]\.file: 'pipe\.txt' is a FIFO \(named pipe\); only a regular text file",
         files=_source_file("pipe.txt"), setup=_fifo),
    Case("files-source-folder", ("import", "{dir}/doc.json"), 2,
         r"sources\[0\]\.file: 'texts' is a folder",
         files={**_source_file("texts"), "texts/a.txt": "a"}),
    Case("files-source-oversize-sparse", ("import", "{dir}/doc.json"), 2,
         r"sources\[0\]\.file: 'big\.txt' is 65\.0 MiB, more than the 64\.0 MiB",
         files=_source_file("big.txt"), setup=_sparse("big.txt", 65 * 1024 * 1024)),
    Case("files-source-not-utf8", ("import", "{dir}/doc.json"), 2,
         r"sources\[0\]\.file: 'latin\.txt' is not UTF-8 text \(byte 0xe9 at offset 3\)",
         files={**_source_file("latin.txt"), "latin.txt": b"caf\xe9"}),
    Case("files-source-null-byte", ("import", "{dir}/doc.json"), 2,
         r"sources\[0\]\.file: a file name cannot hold a null byte",
         files=_source_file("notes.txt\x00.png")),
    Case("files-import-fifo", ("import", "{dir}/pipe.txt"), 2,
         r"pipe\.txt: cannot read a FIFO \(named pipe\); an import reads a regular file",
         setup=_fifo),
    Case("files-import-csv-fifo", ("import", "--format", "csv", "{dir}/pipe.txt"), 2,
         r"pipe\.txt: cannot read a FIFO", setup=_fifo),
    Case("files-import-dev-zero", ("import", "/dev/zero"), 2,
         r"/dev/zero: cannot read a device; an import reads a regular file"),
    Case("files-import-folder", ("import", "{dir}"), 2, r"case: cannot read a folder"),
    Case("files-source-add-fifo", ("source", "add", "s-new", "--title", "T", "--published",
                                   "1900", "--file", "{dir}/pipe.txt"), 2,
         r"--file: '.*(pipe\.txt'|…' \(\d+ characters\)) is a FIFO \(named pipe\)", setup=_fifo),
    Case("files-source-add-dev-zero", ("source", "add", "s-new", "--title", "T", "--published",
                                       "1900", "--file", "/dev/zero"), 2,
         r"--file: '/dev/zero' is a device"),
    Case("files-source-add-folder", ("source", "add", "s-new", "--title", "T", "--published",
                                     "1900", "--file", "{dir}"), 2,
         r"--file: '.*(case'|…' \(\d+ characters\)) is a folder"),
    Case("files-source-add-oversize", ("source", "add", "s-new", "--title", "T", "--published",
                                       "1900", "--file", "{dir}/big.txt"), 2,
         r"--file: '.*(big\.txt'|…' \(\d+ characters\)) is 100\.0 MiB, more than the 64\.0 MiB",
         setup=_sparse("big.txt", 100 * 1024 * 1024)),
    # --- class 7: duplicate and ambiguous input (keys: interchange._refuse_repeated_keys with
    # jsonstream.KeyCheck, both readers; claims: commands.Batch.record, Batch.supersede;
    # tests/reliability/test_hardening_input.py) --------------------------------------------
    Case("repeat-key-in-claim", ("import", "{dir}/doc.json"), 2,
         r'claims\[0\]: duplicate key "valid"; a key may appear once in an object',
         files={"doc.json": '{"format": "hindsight/1", "claims": [{"subject": "small New", '
                            '"predicate": "status", "value": "v", "valid": "1900", '
                            '"valid": "1901"}]}'}),
    Case("repeat-key-in-citation", ("import", "{dir}/doc.json"), 2,
         r'claims\[0\]\.sources\[0\]: duplicate key "quote"',
         files={"doc.json": '{"format": "hindsight/1", "claims": [{"subject": "small New", '
                            '"predicate": "status", "value": "v", "valid": "1900", "sources": '
                            '[{"source": "small-src-0000", "quote": "Entry", '
                            '"quote": "nothing of the kind"}]}]}'}),
    Case("repeat-key-top-level", ("import", "{dir}/doc.json"), 2,
         r'doc\.json: duplicate key "retractions"',
         files={"doc.json": '{"format": "hindsight/1", "retractions": [], "retractions": '
                            '[{"claim": "syn-3-1", "known_at": "2030"}]}'}),
    Case("repeat-key-in-entity", ("import", "{dir}/doc.json"), 2,
         r'entities\[0\]: duplicate key "kind"',
         files={"doc.json": '{"format": "hindsight/1", "entities": [{"name": "small New", '
                            '"kind": "person", "kind": "place"}]}'}),
    Case("repeat-key-in-a-streamed-file", ("import", "{dir}/big.json"), 2,
         r'claims\[0\]: duplicate key "valid"', setup=_big_file_repeating_a_key),
    Case("rerecord-with-new-certainty", ("import", "{dir}/doc.json"), 4,
         r"claims\[0\]: claim 'syn-3-1' is already recorded with certainty 1, not 0\.5; .*"
         r"supersede it",
         files=_claims_file({**_SYN_3_1, "certainty": 0.5})),
    Case("rerecord-with-new-note", ("import", "{dir}/doc.json"), 4,
         r"claims\[0\]: claim 'syn-3-1' is already recorded with a different note",
         files=_claims_file({**_SYN_3_1, "note": "a second thought"})),
    Case("rerecord-twice-in-one-file", ("import", "{dir}/doc.json"), 4,
         r"claims\[1\]: claim 'new-1' is already recorded with certainty 0\.3, not 0\.6",
         files=_claims_file(*({**_SYN_3_1, "id": "new-1", "certainty": c} for c in (0.3, 0.6)))),
    Case("rerecord-id-with-other-content", ("import", "{dir}/doc.json"), 4,
         r"claims\[0\]: claim id 'syn-3-1' is already used by a different claim \(its valid "
         r"is '1919-04/1926-01-20', not '1920'\)",
         files=_claims_file({**_SYN_3_1, "valid": "1920"})),
    Case("supersede-changing-nothing", ("supersede", "syn-3-1"), 2,
         r"error: nothing to change: the replacement would be claim 'syn-3-1' again"),
    Case("supersede-changing-only-spacing", ("supersede", "syn-3-1", "--valid",
                                             " 1919-04 / 1926-01-20 "), 2,
         r"nothing to change"),
    Case("supersede-by-a-retracted-claim", ("import", "{dir}/doc.json"), 4,
         r"supersessions\[0\]: the replacement 'syn-3-175' is itself retracted or superseded",
         files=_claims_file(supersessions=[{"claim": "syn-3-1", "by": "syn-3-175",
                                            "known_at": "2030"}])),
    Case("supersede-by-a-superseded-claim", ("import", "{dir}/doc.json"), 4,
         r"supersessions\[0\]: the replacement 'syn-3-2' is itself retracted or superseded",
         files=_claims_file(supersessions=[{"claim": "syn-3-1", "by": "syn-3-2",
                                            "known_at": "2030"}])),
    Case("supersede-in-a-cycle", ("import", "{dir}/doc.json"), 4,
         r"supersessions\[[01]\]: the replacement 'syn-3-[13]' is itself retracted",
         files=_claims_file(supersessions=[
             {"claim": "syn-3-1", "by": "syn-3-3", "known_at": "2030"},
             {"claim": "syn-3-3", "by": "syn-3-1", "known_at": "2031"}])),
    # --- class 4: writing over what matters (formats.base.check_target, applied by
    # write_atomically to every export; tests/reliability/test_hardening_output.py) ----------
    Case("write-csv-over-the-archive", ("export", "--to", "csv", "{archive}"), 2,
         r"refusing to write over the archive's own file .*archive\.sqlite; export to"),
    Case("write-json-over-the-read-model", ("export", "--to", "json", "{archive}.index"), 2,
         r"refusing to write over the archive's own file .*archive\.sqlite\.index"),
    Case("write-csv-over-the-wal", ("export", "--to", "csv", "{archive}-wal"), 2,
         r"refusing to write over the archive's own file .*archive\.sqlite-wal"),
    Case("write-sqlite-over-the-shm", ("export", "--to", "sqlite", "{archive}-shm"), 2,
         r"refusing to write over the archive's own file .*archive\.sqlite-shm"),
    Case("write-timelinejs-over-the-archive-by-another-path",
         ("export", "--to", "timelinejs", "{dir}/../archive.sqlite"), 2,
         r"refusing to write over the archive's own file"),
    Case("write-json-over-a-symlink-to-the-archive",
         ("export", "--to", "json", "{dir}/link.sqlite"), 2,
         r"link\.sqlite: refusing to write over the archive's own file .*archive\.sqlite;",
         setup=_link_to_archive),
    Case("write-csv-over-a-hard-link-to-the-read-model",
         ("export", "--to", "csv", "{dir}/copy.index"), 2,
         r"copy\.index: refusing to write over the archive's own file .*archive\.sqlite\.index",
         setup=_hard_link_to_read_model),
    Case("write-json-over-a-device", ("export", "--to", "json", "{dir}/null"), 2,
         r"null: cannot write over a (device|pipe \(FIFO\)); an export writes a regular file",
         setup=_device),
    Case("write-csl-json-over-a-fifo", ("export", "--to", "csl-json", "{dir}/pipe.txt"), 2,
         r"pipe\.txt: cannot write over a pipe \(FIFO\)", setup=_fifo),
    Case("write-csv-over-a-folder", ("export", "--to", "csv", "{dir}"), 2,
         r"cannot write over a folder"),
    Case("write-json-under-a-file", ("export", "--to", "json", "{dir}/plain.txt/out.json"), 2,
         r"out\.json: cannot write: .*plain\.txt is a file, not a folder",
         files={"plain.txt": "not a folder"}),
    Case("write-sqlite-into-no-folder", ("export", "--to", "sqlite", "{dir}/nowhere/out.db"),
         2, r"out\.db: cannot write: there is no folder .*nowhere"),
    Case("write-sqlite-to-standard-output", ("export", "--to", "sqlite", "-"), 2,
         r"an SQLite database cannot be written to standard output \(-\); give a file name"),
    # --- class 8: limits that break round trips (dates._parse_long_year: a year beyond the
    # day range is refused, not clamped; tests/reliability/test_hardening_output.py) ---------
    Case("limits-record-far-future-year",
         ("record", "small Archive 00012", "born", "--value", "x", "--valid", "Y10000000",
          "--known-at", "2020"), 2,
         r"--valid: 'Y10000000' .*year out of range \(years run from Y-5877639 to Y5881578\)"),
    Case("limits-record-far-past-year",
         ("record", "small Archive 00012", "born", "--value", "x", "--valid", "Y-6000000",
          "--known-at", "2020"), 2, r"--valid: 'Y-6000000' .*year out of range"),
    Case("limits-known-at-exponent-year",
         ("record", "small Archive 00012", "born", "--value", "x", "--valid", "1900",
          "--known-at", "Y17E7"), 2, r"--known-at: 'Y17E7' .*year out of range"),
    Case("limits-import-json-far-year", ("import", "{dir}/far.json"), 2,
         r"claims\[0\]\.valid: 'Y-1E7' .*year out of range",
         files={"far.json": '{"format": "hindsight/1", "claims": [{"subject": "small Archive '
                            '00012", "predicate": "born", "value": "x", "valid": "Y-1E7", '
                            '"known_at": "2020"}]}'}),
    Case("limits-import-csv-far-year", ("import", "{dir}/far.csv"), 2,
         r"line 2, column valid: 'Y5881579' .*year out of range",
         files={"far.csv": "subject,predicate,value,valid,known_at\n"
                           "small Archive 00012,born,x,Y5881579,2020\n"}),
    Case("limits-source-published-far-year",
         ("source", "add", "s-far", "--title", "Far", "--published", "Y-5877640",
          "--file", "{dir}/text.txt"), 2, r"'Y-5877640' .*year out of range",
         files={"text.txt": "A text."}),
    Case("limits-as-of-far-year", ("as-of", "Y99999999"), 2,
         r"'Y99999999' .*year out of range"),
    # --- class 2: names that are not what they look like (domain.clean_name, clean_id,
    # check_predicate_name, clean_text; tests/reliability/test_hardening_names.py) ----------
    Case("names-predicate-trailing-newline", ("predicate", "led_by\n", "--label", "led by"), 2,
         r"^hindsight: error: PREDICATE: 'led_by\\n' is not a predicate name"),
    Case("names-predicate-trailing-space",
         ("record", "small Council 00000", "member_of ", "--object", "small Treaty 00001",
          "--valid", "1900"), 2, r"PREDICATE: 'member_of ' is not a predicate name"),
    Case("names-predicate-newline-in-import", ("import", "{dir}/p.json"), 2,
         r"predicates\[0\]\.name: 'led_by\\n' is not a predicate name",
         files={"p.json": '{"format": "hindsight/1", "predicates": [{"name": "led_by\\n", '
                          '"label": "led by", "single": false}]}'}),
    Case("names-predicate-zero-width-in-csv", ("import", "{dir}/c.csv"), 2,
         r"line 2, column predicate: 'member_of\\u200b' is not a predicate name",
         files={"c.csv": "subject,predicate,object,valid\n"
                         "small Council 00000,member_of\u200b,small Treaty 00001,1900\n"}),
    Case("names-entity-zero-width-space",
         ("record", "small Council\u200b 00000", "member_of", "--object", "small Treaty 00001",
          "--valid", "1900"), 2,
         r"SUBJECT: an entity name 'small Council\\u200b 00000' has an invisible formatting "
         r"character \(U\+200B ZERO WIDTH SPACE\) at position 14"),
    Case("names-entity-nul-in-import", ("import", "{dir}/e.json"), 2,
         r"entities\[0\]\.name: .*control character \(U\+0000\)",
         files={"e.json": '{"format": "hindsight/1", "entities": [{"name": "small\\u0000 '
                          'Council"}]}'}),
    Case("names-entity-isolate-in-csv", ("import", "{dir}/c.csv"), 2,
         r"line 2, column subject: .*\(U\+2066 LEFT-TO-RIGHT ISOLATE\)",
         files={"c.csv": "subject,predicate,object,valid\n"
                         "small Council\u2066 00000,member_of,small Treaty 00001,1900\n"}),
    Case("names-entity-too-long",
         ("record", "small " + "x" * 600, "member_of", "--value", "x", "--valid", "1900"), 2,
         r"SUBJECT: an entity name is 606 characters long \(at most 500\)"),
    Case("names-alias-right-to-left-override",
         ("alias", "small Council 00000", "\u202esmall Council"), 2,
         r"ALIAS: .*\(U\+202E RIGHT-TO-LEFT OVERRIDE\) at position 1"),
    Case("names-alias-byte-order-mark",
         ("alias", "small Council 00000", "\ufeffsmall Council"), 2,
         r"ALIAS: .*\(U\+FEFF ZERO WIDTH NO-BREAK SPACE\)"),
    Case("names-alias-unassigned-code-point",
         ("alias", "small Council 00000", "small \u0378Council"), 2,
         r"ALIAS: .*an unassigned code point \(U\+0378\)"),
    Case("names-alias-soft-hyphen-in-import", ("import", "{dir}/e.json"), 2,
         r"entities\[0\]\.aliases: .*\(U\+00AD SOFT HYPHEN\)",
         files={"e.json": '{"format": "hindsight/1", "entities": [{"name": "small Council '
                          '00000", "aliases": ["small\\u00ad Council"]}]}'}),
    Case("names-source-id-decomposed",
         ("source", "add", "src\u0301", "--title", "t", "--published", "1900", "--file",
          "{dir}/t.txt"), 2, r"ID: a source id 'src\\u0301' is not in Unicode NFC form",
         files={"t.txt": "text"}),
    Case("names-source-title-escape-sequence",
         ("source", "add", "src-new", "--title", "t\x1b[2J", "--published", "1900", "--file",
          "{dir}/t.txt"), 2, r"--title: .*control character \(U\+001B\)",
         files={"t.txt": "text"}),
    Case("names-source-url-zero-width-in-import", ("import", "{dir}/s.json"), 2,
         r"sources\[0\]\.url: .*\(U\+200B ZERO WIDTH SPACE\)",
         files={"s.json": '{"format": "hindsight/1", "sources": [{"id": "new-src", "title": '
                          '"t", "published": "1900", "text": "abc", "url": '
                          '"http://x/\\u200b"}]}'}),
    Case("names-claim-id-zero-width-in-import", ("import", "{dir}/c.json"), 2,
         r"claims\[0\]\.id: a claim id 'syn\\u200b-new' has an invisible formatting",
         files={"c.json": '{"format": "hindsight/1", "claims": [{"id": "syn\\u200b-new", '
                          '"subject": "small Council 00000", "predicate": "member_of", '
                          '"object": "small Treaty 00001", "valid": "1900"}]}'}),
    Case("names-value-terminal-escape",
         ("record", "small Council 00000", "member_of", "--value", "x\x1b]0;pwned\x07",
          "--valid", "1900"), 2, r"--value: .*control character \(U\+001B\)"),
    Case("names-note-bidi-override-in-import", ("import", "{dir}/c.json"), 2,
         r"claims\[0\]\.note: .*bidirectional control character \(U\+202E",
         files={"c.json": '{"format": "hindsight/1", "claims": [{"subject": "small Council '
                          '00000", "predicate": "member_of", "object": "small Treaty 00001", '
                          '"valid": "1900", "note": "n\\u202e"}]}'}),
    Case("names-description-nul-in-import", ("import", "{dir}/e.json"), 2,
         r"entities\[0\]\.description: .*\(U\+0000\)",
         files={"e.json": '{"format": "hindsight/1", "entities": [{"name": "small New One", '
                          '"description": "a\\u0000b"}]}'}),
    Case("names-argument-not-utf8", ("history", "small\udcff"), 2,
         r"NAME: 'small\\udcff' is not valid UTF-8 text"),
    # --- class 3: templates as code (a label is data: views.render_statement; checked by
    # domain.clean_name in Batch.predicate; tests/reliability/test_hardening_names.py) -------
    Case("templates-label-huge-format-spec",
         ("predicate", "led_by", "--label", "{value:>99999999999}" * 50), 2,
         r"--label: a predicate label is 1,000 characters long \(at most 500\)"),
    Case("templates-label-escape-sequence",
         ("predicate", "led_by", "--label", "{subject}\x1b[8m leads {object}"), 2,
         r"--label: .*control character \(U\+001B\) at position 10"),
    Case("templates-label-bidi-override-in-import", ("import", "{dir}/p.json"), 2,
         r"predicates\[0\]\.label: .*\(U\+202E RIGHT-TO-LEFT OVERRIDE\)",
         files={"p.json": '{"format": "hindsight/1", "predicates": [{"name": "led_by", '
                          '"label": "{subject} \\u202eleads\\u202c {object}"}]}'}),
    # --- class 11: the team archive's setup and roles (timeline/team.py: check_arguments and
    # role_names, before any connection; tests/reliability/test_team_roles.py) --------------
    Case("team-setup-not-a-url", ("team-setup", "not-a-url", "--writers", "ana"), 2,
         r"URL: 'not-a-url' is not a PostgreSQL address"),
    Case("team-setup-schema-with-a-dash",
         ("team-setup", "postgresql://owner@127.0.0.1:1/test?schema=a-b", "--writers", "ana"),
         2, r"schema 'a-b' is not a plain schema name"),
    Case("team-setup-schema-too-long-for-its-groups",
         ("team-setup", "postgresql://owner@127.0.0.1:1/test?schema=" + "s" * 56,
          "--writers", "ana"), 2, r"URL: schema 's+' is not a schema name Hindsight accepts"),
    Case("team-setup-role-with-a-space",
         ("team-setup", "postgresql://owner@127.0.0.1:1/test?schema=s", "--writers",
          "ana lopes"), 2, r"--writers\[0\]: 'ana lopes' is not a role name Hindsight accepts"),
    Case("team-setup-role-injection",
         ("team-setup", "postgresql://owner@127.0.0.1:1/test?schema=s", "--readers",
          'x"; DROP TABLE s.hindsight_events; --'), 2,
         r"--readers\[0\]: .* is not a role name Hindsight accepts"),
    Case("team-setup-empty-role-between-commas",
         ("team-setup", "postgresql://owner@127.0.0.1:1/test?schema=s", "--writers",
          "ana,,ben"), 2, r"--writers\[1\]: an empty role name"),
    Case("team-setup-role-too-long",
         ("team-setup", "postgresql://owner@127.0.0.1:1/test?schema=s", "--writers", "a" * 64),
         2, r"--writers\[0\]: role name 'a+' is longer than PostgreSQL keeps \(63 bytes\)"),
    Case("team-setup-role-public",
         ("team-setup", "postgresql://owner@127.0.0.1:1/test?schema=s", "--readers", "PUBLIC"),
         2, r"--readers\[0\]: 'PUBLIC' is reserved by PostgreSQL"),
    Case("team-setup-role-pg-prefix",
         ("team-setup", "postgresql://owner@127.0.0.1:1/test?schema=s", "--writers",
          "pg_write_all_data"), 2, r"--writers\[0\]: 'pg_write_all_data' is reserved"),
    Case("team-setup-role-both-writer-and-reader",
         ("team-setup", "postgresql://owner@127.0.0.1:1/test?schema=s", "--writers", "ana",
          "--readers", "ben,ana"), 2, r"--readers: 'ana' is also given as a writer"),
    Case("team-setup-owner-as-a-member",
         ("team-setup", "postgresql://ana@127.0.0.1:1/test?schema=s", "--writers", "ana"), 2,
         r"'ana' is the URL's user, who sets up and owns the archive"),
    Case("team-setup-group-as-a-member",
         ("team-setup", "postgresql://owner@127.0.0.1:1/test?schema=s", "--readers",
          "s_writers"), 2, r"'s_writers' is one of the archive's group roles"),
    Case("team-setup-no-server-password-hidden",
         ("team-setup", "postgresql://owner:secret@127.0.0.1:1/test?schema=s", "--writers",
          "ana"), 5, r"^hindsight: error: postgresql://owner:\*\*\*@127\.0\.0\.1:1/test\?schema=s: "
                     r"cannot connect \([^)]*\)$"),
    # --- class 9: faults reported as something else (a read command never creates an
    # archive: store.EventStore._sqlite, cli._creates; tests/reliability/test_hardening_faults.py)
    Case("faults-as-of-mistyped-path", ("as-of", "--archive", "{dir}/typo.sqlite", "2000"), 5,
         r"^hindsight: error: no archive at .*/case/typo\.sqlite$"),
    Case("faults-history-mistyped-path",
         ("history", "--archive", "{dir}/typo.sqlite", "small Council 00000"), 5,
         r"no archive at .*/case/typo\.sqlite$"),
    Case("faults-diff-mistyped-path", ("diff", "--archive", "{dir}/typo.sqlite", "1900", "2000"),
         5, r"no archive at .*/case/typo\.sqlite$"),
    Case("faults-entities-mistyped-path", ("entities", "--archive", "{dir}/typo.sqlite"), 5,
         r"no archive at .*/case/typo\.sqlite$"),
    Case("faults-export-mistyped-path",
         ("export", "--archive", "{dir}/typo.sqlite", "--to", "json", "{dir}/out.json"), 5,
         r"no archive at .*/case/typo\.sqlite$"),
    Case("faults-verify-mistyped-path", ("verify", "--archive", "{dir}/typo.sqlite"), 5,
         r"no archive at .*/case/typo\.sqlite$"),
    Case("faults-watch-mistyped-path", ("watch", "--archive", "{dir}/typo.sqlite"), 5,
         r"no archive at .*/case/typo\.sqlite$"),
    Case("faults-source-list-mistyped-path", ("source", "list", "--archive", "{dir}/t.sqlite"),
         5, r"no archive at .*/case/t\.sqlite$"),
    Case("faults-source-show-mistyped-path",
         ("source", "show", "s-1", "--archive", "{dir}/t.sqlite"), 5,
         r"no archive at .*/case/t\.sqlite$"),
    Case("faults-retract-mistyped-path", ("retract", "syn-3-1", "--archive", "{dir}/t.sqlite"),
         5, r"no archive at .*/case/t\.sqlite$"),
    Case("faults-rebuild-mistyped-path", ("rebuild", "--archive", "{dir}/t.sqlite"), 5,
         r"no archive at .*/case/t\.sqlite$"),
    Case("faults-read-a-folder", ("entities", "--archive", "{dir}"), 5,
         r"/case: is a folder, not an archive$"),
    Case("faults-record-into-a-folder",
         ("record", "--archive", "{dir}", "X", "status", "--value", "v", "--valid", "1900"), 5,
         r"/case: is a folder, not an archive$"),
    # --- class 10: tracebacks that became one line (paths: store.EventStore._sqlite; URLs:
    # store._postgres_env; watch: cli.cmd_watch; the last resort: cli._storage_failure) -----
    Case("traceback-read-under-a-file", ("as-of", "--archive", "{archive}/x.sqlite", "2000"),
         5, r"no archive at .*archive\.sqlite/x\.sqlite$"),
    Case("traceback-record-under-a-file",
         ("record", "--archive", "{archive}/x/y.sqlite", "X", "status", "--value", "v",
          "--valid", "1900"), 5,
         r"cannot create an archive there: .*archive\.sqlite is a file, not a folder$"),
    Case("traceback-import-under-etc-passwd",
         ("import", "--archive", "/etc/passwd/x.sqlite", "{dir}/doc.json"), 5,
         r"/etc/passwd/x\.sqlite: cannot create an archive there: /etc/passwd is a file",
         files={"doc.json": '{"format": "hindsight/1"}'}),
    Case("traceback-archive-name-not-utf8", ("as-of", "--archive", "{dir}/a\udcff.sqlite",
                                             "2000"), 5, r"no archive at .*/case/a"),
    Case("traceback-watch-negative-interval", ("watch", "--interval", "-1"), 2,
         r"--interval: '-1' is not a number of seconds between 0 and 3600$"),
    Case("traceback-watch-zero-interval", ("watch", "--interval", "0"), 2,
         r"--interval: '0' is not a number of seconds"),
    Case("traceback-watch-nan-interval", ("watch", "--interval", "nan"), 2,
         r"--interval: 'nan' is not a number of seconds"),
    Case("traceback-watch-infinite-interval", ("watch", "--interval", "inf"), 2,
         r"--interval: 'inf' is not a number of seconds"),
    Case("traceback-watch-negative-limit", ("watch", "--limit", "-3"), 2,
         r"--limit: '-3' is not a number of events"),
    Case("traceback-postgres-port-too-large",
         ("as-of", "--archive", "postgresql://localhost:99999/test", "2000"), 2,
         r"--archive: postgresql://localhost:99999/test: port '99999' is not a port number"),
    Case("traceback-postgres-port-not-a-number",
         ("as-of", "--archive", "postgresql://u:secret@localhost:abc/test", "2000"), 2,
         r"--archive: postgresql://u:\*\*\*@localhost:abc/test: port 'abc' is not a port"),
    Case("traceback-postgres-port-zero",
         ("entities", "--archive", "postgresql://localhost:0/test"), 2,
         r"port '0' is not a port number \(1-65535\)$"),
    Case("traceback-postgres-ipv6-unclosed",
         ("entities", "--archive", "postgresql://[::1/test"), 2,
         r"postgresql://\[::1/test: not a PostgreSQL URL \(Invalid IPv6 URL\)$"),
    Case("traceback-postgres-schema-pg-catalog",
         ("record", "--archive", "postgresql://localhost/test?schema=pg_catalog", "X",
          "status", "--value", "v", "--valid", "1900"), 2,
         r"schema 'pg_catalog' is PostgreSQL's own; give the archive a schema of its own$"),
    Case("traceback-postgres-schema-information-schema",
         ("import", "--archive", "postgresql://localhost/test?schema=INFORMATION_SCHEMA",
          "{dir}/doc.json"), 2, r"schema 'INFORMATION_SCHEMA' is PostgreSQL's own",
         files={"doc.json": '{"format": "hindsight/1"}'}),
    Case("traceback-postgres-schema-pg-toast",
         ("entities", "--archive", "postgresql://localhost/test?schema=pg_toast"), 2,
         r"schema 'pg_toast' is PostgreSQL's own"),
    Case("traceback-postgres-schema-injection",
         ("entities", "--archive", "postgresql://localhost/test?schema=x;drop%20table%20y"), 2,
         r"schema 'x;drop table y' is not a plain schema name"),
    Case("traceback-postgres-schema-twice",
         ("entities", "--archive", "postgresql://localhost/test?schema=a&schema=b"), 2,
         r"option 'schema' is given 2 times$"),
    Case("traceback-postgres-timeout-not-a-number",
         ("entities", "--archive", "postgresql://localhost/test?connect_timeout=soon"), 2,
         r"connect_timeout 'soon' is not a number of seconds"),
    Case("traceback-postgres-password-never-shown",
         ("entities", "--archive", "postgresql://u:hunter2@localhost:70000/test"), 2,
         r"^(?!.*hunter2).*postgresql://u:\*\*\*@localhost:70000/test: port '70000'"),
    Case("traceback-salvage-not-json",
         ("export", "--to", "csv", "--salvage", "{dir}/out.csv"), 2,
         r"--salvage writes Hindsight JSON, not 'csv': give --to json$"),
    Case("traceback-salvage-over-the-archive",
         ("export", "--to", "json", "--salvage", "{archive}"), 2, r"archive\.sqlite"),
]


def _expand(value: str, folder: Path, archive: Path) -> str:
    return value.replace("{dir}", str(folder)).replace("{archive}", str(archive))


def test_the_table_is_large_and_its_ids_unique() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_a_bad_input_is_refused_in_one_line_and_writes_nothing(
        case: Case, tmp_path: Path, small_archive: Path, copy_archive: Callable[..., Path],
        answers: Callable[[Path], dict[str, Any]], cli: Callable[..., Any]) -> None:
    folder = tmp_path / "case"
    folder.mkdir()
    archive = copy_archive(small_archive, tmp_path / "archive.sqlite")
    for name, content in case.files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    if case.setup is not None:
        case.setup(folder)
    before = answers(archive)

    done = cli(archive, *(_expand(a, folder, archive) for a in case.args), timeout=120)

    assert "Traceback" not in done.err, done.err
    assert done.code == case.code, (done.code, done.err)
    lines = done.err_lines
    if case.one_line:
        assert len(lines) == 1, done.err
    assert lines and re.search(case.message, lines[-1]), done.err
    assert lines[-1].startswith("hindsight: error: "), done.err
    assert answers(archive) == before
