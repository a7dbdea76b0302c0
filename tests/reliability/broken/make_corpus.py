"""Write the corpus of broken import files and its MANIFEST.json (run once; both are committed).

Each case is hand-made: one thing wrong with ``../good.json`` (which imports cleanly on top of
``../base.json``), or a file that is not a Hindsight file at all. The manifest gives, for each
file, the start of the one error line expected after ``hindsight: error: `` — the record and
field at fault (``claims[2].valid: ``), or ``{file}: `` for the file as a whole — and a few
words the explanation must contain.

    python tests/reliability/broken/make_corpus.py
"""

from __future__ import annotations

import copy
import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
GOOD: dict[str, Any] = json.loads((HERE.parent / "good.json").read_text(encoding="utf-8"))
Doc = dict[str, Any]


def dumped(doc: Any) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def good() -> Doc:
    return copy.deepcopy(GOOD)


def edited(change: Callable[[Doc], Any]) -> Callable[[], bytes]:
    """A copy of the good document with one change."""
    def make() -> bytes:
        doc = good()
        change(doc)
        return dumped(doc)
    return make


def setting(path: str, value: Any) -> Callable[[], bytes]:
    """The good document with the field at ``path`` (``claims.2.valid``) set to ``value``."""
    def change(doc: Doc) -> None:
        *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
        target: Any = doc
        for part in parents:
            target = target[part]
        target[last] = value
    return edited(change)


def deleting(path: str) -> Callable[[], bytes]:
    def change(doc: Doc) -> None:
        *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
        target: Any = doc
        for part in parents:
            target = target[part]
        del target[last]
    return edited(change)


def raw(data: bytes | str) -> Callable[[], bytes]:
    return lambda: data if isinstance(data, bytes) else data.encode("utf-8")


def good_text() -> str:
    return dumped(GOOD).decode("utf-8")


def appended(section: str, record: Doc) -> Callable[[], bytes]:
    return edited(lambda doc: doc.setdefault(section, []).append(record))


# name -> (contents, expected start of the message, words it must contain)
CASES: dict[str, tuple[Callable[[], bytes], str, str]] = {
    # --- not a Hindsight file at all ------------------------------------------------------
    "empty.json": (raw(b""), "{file}: not valid JSON: line 1, column 1", "Expecting value"),
    "blank-lines.json": (raw("\n\n   \n"), "{file}: not valid JSON: line 4", "Expecting value"),
    "prose.json": (raw("Minutes of the Diet, 3 March 1848.\nKossuth spoke first.\n"),
                   "{file}: not valid JSON: line 1, column 1", "Expecting value"),
    "image.png": (raw(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256))),
                  "{file}: not UTF-8 text", "byte 0x89 at offset 0"),
    "compressed.json.gz": (lambda: gzip.compress(dumped(GOOD), mtime=0),
                           "{file}: not UTF-8 text", "byte 0x8b at offset 1"),
    "truncated.json": (lambda: dumped(GOOD)[: len(dumped(GOOD)) * 2 // 3],
                       "{file}: not valid JSON: line", "column"),
    "cut-after-last-brace.json": (lambda: dumped(GOOD)[:-1], "{file}: not valid JSON: line",
                                  "Expecting"),
    "latin-1.json": (lambda: good_text().encode("latin-1"), "{file}: not UTF-8 text",
                     "byte 0xe1"),
    "windows-1252-quotes.json": (
        lambda: good_text().replace("Points", "\u201cPoints\u201d").encode("cp1252",
                                                                         "replace"),
        "{file}: not UTF-8 text", "byte 0x"),
    "utf-16-with-bom.json": (lambda: good_text().encode("utf-16"), "{file}: not UTF-8 text",
                             "byte 0xff at offset 0"),
    "utf-16le-without-bom.json": (lambda: good_text().encode("utf-16-le"),
                                  "{file}: not UTF-8 text", "byte 0xe1"),
    "trailing-comma.json": (raw('{"format": "hindsight/1", "claims": [],}'),
                            "{file}: not valid JSON: line 1, column 40",
                            "Expecting property name"),
    "single-quotes.json": (raw("{'format': 'hindsight/1'}"),
                           "{file}: not valid JSON: line 1, column 2", "double quotes"),
    "comments.json": (raw('// exported by hand\n{"format": "hindsight/1"}\n'),
                      "{file}: not valid JSON: line 1, column 1", "Expecting value"),
    "two-documents.json": (lambda: dumped(GOOD) + b"\n" + dumped(GOOD),
                           "{file}: not valid JSON: line", "Extra data"),
    "nested-too-deeply.json": (raw('{"format": "hindsight/1", "claims": ' + "[" * 100000
                                   + "]" * 100000 + "}"),
                               "{file}: not a Hindsight file", "nested too deeply"),
    "number-too-long.json": (raw('{"format": "hindsight/1", "claims": [{"certainty": '
                                 + "1" * 5000 + "}]}"),
                             "{file}: not a Hindsight file: line 1, column 52",
                             "number too long"),
    "a-list.json": (lambda: dumped([GOOD]), "{file}: a Hindsight file is a JSON object",
                    "hindsight/1"),
    "a-string.json": (raw('"hindsight/1"'), "{file}: a Hindsight file is a JSON object",
                      "format"),
    "null.json": (raw("null"), "{file}: a Hindsight file is a JSON object", "format"),
    # --- the wrong shape ------------------------------------------------------------------
    "format-missing.json": (deleting("format"), "format: ", "is missing"),
    "format-newer.json": (setting("format", "hindsight/2"), "format: ",
                          "not a format this Hindsight reads"),
    "format-a-number.json": (setting("format", 1), "format: ", "not a format"),
    "claims-an-object.json": (setting("claims", {"g1": GOOD["claims"][0]}), "claims: ",
                              "valid list"),
    "claim-null.json": (setting("claims.1", None), "claims[1]: ", "valid dictionary"),
    "claim-a-string.json": (setting("claims.2", "Pest was insurgent"), "claims[2]: ",
                            "valid dictionary"),
    "citations-a-string.json": (setting("claims.2.sources", "memoir-1880"),
                                "claims[2].sources: ", "valid list"),
    "citation-a-string.json": (setting("claims.2.sources.0", "memoir-1880"),
                               "claims[2].sources[0]: ", "valid dictionary"),
    "aliases-a-string.json": (setting("entities.0.aliases", "Batthyány"),
                              "entities[0].aliases: ", "valid list"),
    "entity-kind-unknown.json": (setting("entities.1.kind", "city"), "entities[1].kind: ",
                                 "'city' is not one of"),
    "certainty-a-string.json": (setting("claims.2.certainty", "high"),
                                "claims[2].certainty: ", "valid number"),
    "certainty-above-one.json": (setting("claims.2.certainty", 1.5), "claims[2].certainty: ",
                                 "less than or equal to 1"),
    "certainty-negative.json": (setting("claims.2.certainty", -0.1), "claims[2].certainty: ",
                                "greater than or equal to 0"),
    "certainty-true.json": (setting("claims.2.certainty", True), "claims[2].certainty: ",
                            "valid number"),
    "certainty-nan.json": (raw(good_text().replace('"certainty": 0.9', '"certainty": NaN')),
                           "claims[1].certainty: ", "less than or equal to 1"),
    "value-a-number.json": (setting("claims.2.value", 1848), "claims[2].value: ",
                            "valid string"),
    "subject-missing.json": (deleting("claims.2.subject"), "claims[2].subject: ",
                             "is missing"),
    "valid-missing.json": (deleting("claims.2.valid"), "claims[2].valid: ", "is missing"),
    "predicate-a-list.json": (setting("claims.2.predicate", ["status"]),
                              "claims[2].predicate: ", "valid string"),
    "rank-unknown.json": (setting("claims.3.rank", "best"), "claims[3].rank: ",
                          "'preferred', 'normal' or 'deprecated'"),
    "single-a-string.json": (setting("predicates.0.single", "yes"), "predicates[0].single: ",
                             '"subject", "object" or "both"'),
    "source-title-missing.json": (deleting("sources.0.title"), "sources[0].title: ",
                                  "is missing"),
    "retraction-date-missing.json": (deleting("retractions.0.known_at"),
                                     "retractions[0].known_at: ", "is missing"),
    "rerank-rank-unknown.json": (setting("reranks.0.rank", "gold"), "reranks[0].rank: ",
                                 "'preferred', 'normal' or 'deprecated'"),
    # --- dates ------------------------------------------------------------------------------
    "valid-month-13.json": (setting("claims.2.valid", "1848-13"), "claims[2].valid: ",
                            "'1848-13' is not a valid EDTF date"),
    "valid-30-february.json": (setting("claims.2.valid", "1848-02-30"), "claims[2].valid: ",
                               "day 30 is out of range"),
    "valid-29-february-1849.json": (setting("claims.2.valid", "1849-02-29/.."),
                                    "claims[2].valid: ", "day 29 is out of range"),
    "valid-day-00.json": (setting("claims.2.valid", "1848-03-00"), "claims[2].valid: ",
                          "not a valid EDTF date"),
    "valid-in-words.json": (setting("claims.2.valid", "spring of 1848"), "claims[2].valid: ",
                            "not a valid EDTF date"),
    "valid-ends-before-it-starts.json": (setting("claims.2.valid", "1849-01/1848-03-15"),
                                         "claims[2].valid: ", "ends before it starts"),
    "valid-empty.json": (setting("claims.2.valid", ""), "claims[2].valid: ", "empty date"),
    "valid-three-parts.json": (setting("claims.2.valid", "1848/1849/1850"),
                               "claims[2].valid: ", "not a valid EDTF date"),
    "valid-double-tilde.json": (setting("claims.2.valid", "1848~~"), "claims[2].valid: ",
                                "not a valid EDTF date"),
    "valid-unsupported-x.json": (setting("claims.2.valid", "1848-03-1X"), "claims[2].valid: ",
                                 "not supported here"),
    "valid-slashes-for-dashes.json": (setting("claims.2.valid", "15/03/1848"),
                                      "claims[2].valid: ", "not a valid EDTF date"),
    "known-at-an-interval.json": (setting("claims.1.known_at", "1849-05/1849-06"),
                                  "claims[1].known_at: ", "is an interval"),
    "known-at-in-words.json": (setting("claims.1.known_at", "yesterday"),
                               "claims[1].known_at: ", "not a valid EDTF date"),
    "published-in-words.json": (setting("sources.0.published", "March 1880"),
                                "sources[0].published: ", "not a valid EDTF date"),
    "retraction-date-impossible.json": (setting("retractions.0.known_at", "1890-02-31"),
                                        "retractions[0].known_at: ", "out of range"),
    # --- against the archive and the file itself --------------------------------------------
    "source-unknown.json": (setting("claims.2.sources.0.source", "diary-1848"),
                            "claims[2].sources[0].source: ", "unknown source 'diary-1848'"),
    "quote-not-in-source.json": (setting("claims.2.sources.0.quote",
                                         "the crowd in Buda read out the Twelve Points"),
                                 "claims[2].sources[0].quote: ", "is not verbatim in source"),
    "quote-other-case.json": (setting("claims.2.sources.0.quote",
                                      "The crowd in Pest read out the Twelve Points"),
                              "claims[2].sources[0].quote: ", "is not verbatim"),
    "quote-typographic-apostrophe.json": (
        setting("claims.3.sources.0.quote", "Kossuth\u2019s speech in the Diet"),
        "claims[3].sources[0].quote: ", "is not verbatim"),
    "quote-empty.json": (setting("claims.2.sources.0.quote", "  "),
                         "claims[2].sources[0].quote: ", "needs a quote"),
    "quote-from-another-source.json": (setting("claims.2.sources.0.quote",
                                               "Metternich has resigned"),
                                       "claims[2].sources[0].quote: ", "not verbatim"),
    "retraction-unknown-claim.json": (setting("retractions.0.claim", "g9"),
                                      "retractions[0]: ", "unknown claim id 'g9'"),
    "retraction-twice.json": (appended("retractions", {"claim": "g2", "known_at": "1891"}),
                              "retractions[1]: ", "already retracted"),
    "retraction-of-a-retracted-claim.json": (
        setting("retractions.0.claim", "b4"), "retractions[0]: ", "already retracted"),
    "supersession-by-unknown-claim.json": (setting("supersessions.0.by", "g9"),
                                           "supersessions[0]: ", "unknown claim id 'g9'"),
    "supersession-by-itself.json": (setting("supersessions.0.by", "g3"),
                                    "supersessions[0].by: ", "the same claim"),
    "rerank-unknown-claim.json": (setting("reranks.0.claim", "g9"), "reranks[0]: ",
                                  "unknown claim id 'g9'"),
    "claim-without-value-or-object.json": (deleting("claims.2.value"), "claims[2].value: ",
                                           "needs a value or an object"),
    "subject-blank.json": (setting("claims.2.subject", "   "), "claims[2].subject: ",
                           "cannot be empty"),
    "predicate-with-spaces.json": (setting("claims.2.predicate", "was ruled by"),
                                   "claims[2].predicate: ", "not a predicate name"),
    "alias-of-another-entity.json": (setting("entities.1.aliases", ["Kossuth"]),
                                     "entities[1]: ", "alias 'Kossuth' already names"),
    "source-id-reused-with-other-text.json": (setting("sources.0.id", "gazette-1849"),
                                              "sources[0]: ", "different text"),
    "source-without-text.json": (deleting("sources.0.text"), "sources[0].text: ",
                                 "give \"text\" or \"file\""),
    "source-file-missing.json": (edited(lambda d: (d["sources"][0].pop("text"),
                                                   d["sources"][0].update(file="memoir.txt"))),
                                 "sources[0].file: ", "cannot read 'memoir.txt'"),
    "claim-id-of-another-claim.json": (setting("claims.2.id", "b2"), "claims[2]: ",
                                       "already used by a different claim"),
    "alias-blank.json": (setting("entities.0.aliases", [""]), "entities[0].aliases: ",
                         "cannot be empty"),
    # --- huge strings and broken text inside valid JSON ------------------------------------
    "huge-date.json": (setting("claims.2.valid", "1848-" + "0" * 5_000_000),
                       "claims[2].valid: ", "(5,000,005 characters) is not a valid EDTF"),
    "huge-quote.json": (setting("claims.2.sources.0.quote", "Pest " * 200_000),
                        "claims[2].sources[0].quote: ", "not verbatim"),
    "huge-claim-id-in-retraction.json": (setting("retractions.0.claim", "g" * 1_000_000),
                                         "retractions[0]: ", "(1,000,000 characters)"),
    "huge-kind.json": (setting("entities.1.kind", "k" * 1_000_000), "entities[1].kind: ",
                       "is not one of"),
    "half-surrogate-in-name.json": (
        raw(good_text().replace('"name": "Pest"', '"name": "P\\ud800est"')),
        "entities[1].name: ", "half a surrogate pair"),
    "half-surrogate-in-quote.json": (
        raw(good_text().replace("read out the Twelve Points\"", "read out \\udfff\"")),
        "claims[2].sources[0].quote: ", "half a surrogate pair"),
    "nul-in-source-file-name.json": (edited(lambda d: (d["sources"][0].pop("text"),
                                                       d["sources"][0].update(file="a\0b"))),
                                     "sources[0].file: ", "null byte"),
    # --- a source's file outside the import's folder (timeline/files.py) ------------------
    "source-file-absolute.json": (edited(lambda d: (d["sources"][0].pop("text"),
                                                    d["sources"][0].update(file="/etc/passwd"))),
                                  "sources[0].file: ", "'/etc/passwd' is an absolute path"),
    "source-file-outside.json": (edited(lambda d: (d["sources"][0].pop("text"),
                                                   d["sources"][0].update(file="../good.json"))),
                                 "sources[0].file: ", "'../good.json' leads outside"),
    # --- a key given twice: refused, not last-wins (the same whole or streamed) -----------
    "repeated-key-top-level.json": (
        raw(good_text().replace('"format": "hindsight/1",',
                                '"format": "hindsight/1", "format": "hindsight/1",', 1)),
        "{file}: ", 'duplicate key "format"'),
    "repeated-key-in-claim.json": (
        raw(good_text().replace('"valid": "1848-03-15/1849-01",',
                                '"valid": "1848-03-15/1849-01", "valid": "1849",', 1)),
        "claims[2]: ", 'duplicate key "valid"'),
    "repeated-key-in-citation.json": (
        raw(good_text().replace('"source": "memoir-1880",',
                                '"source": "memoir-1880", "source": "gazette-1849",', 1)),
        "claims[0].sources[0]: ", 'duplicate key "source"'),
}


def main() -> None:
    for old in HERE.iterdir():
        if old.name not in ("make_corpus.py", "MANIFEST.json"):
            old.unlink()
    manifest = {}
    for name, (make, error, words) in CASES.items():
        (HERE / name).write_bytes(make())
        manifest[name] = {"error": error, "contains": words}
    (HERE / "MANIFEST.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1)
                                        + "\n", encoding="utf-8")
    print(f"{len(CASES)} broken files in {HERE}")


if __name__ == "__main__":
    main()
