"""Issue 18, item 1: sources as a historian cites them — CSL metadata, files of each kind
(text, Markdown, HTML, a PDF's text layer with its pages), versions, as known on, and the
exports (Hindsight JSON, CSL-JSON, a Chicago author-date bibliography)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from timeline.api import Archive, InvalidInput, NotFound, Selection
from timeline.cli import main
from timeline.formats.csljson import items as csl_items
from timeline.interchange import SCHEMA_PATH, export_document, import_file, json_schema
from timeline.report_cite import bibliography, items_for
from timeline.sourcefiles import extract, quote_page
from timeline.sourcemeta import clean_metadata, csl_type, parse_author

LETTER = {"type": "letter", "authors": [parse_author("Smith, Jane"),
                                        parse_author("Mill Owners' Association")],
          "container": "The Times", "publisher": "Times Newspapers",
          "accessed": "2024-02-01", "archive": "County Record Office",
          "archive_location": "Box 3, folder 12", "locator": "12-15", "language": "en",
          "note": "Typed copy."}


def make_pdf(pages: list[list[str]], password: str | None = None) -> bytes:
    """A small PDF with a text layer: one page per list of lines (Helvetica)."""
    writer = PdfWriter()
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica")}))
    for lines in pages:
        page = writer.add_blank_page(612, 792)
        page[NameObject("/Resources")] = DictionaryObject({
            NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
        ops = ["BT /F1 12 Tf 72 720 Td 14 TL"]
        ops += [f"({line}) Tj T*" for line in lines]
        stream = DecodedStreamObject()
        stream.set_data("\n".join([*ops, "ET"]).encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(stream)
    if password:
        writer.encrypt(password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = make_pdf([["The strike began at dawn.", "Workers gathered at the gate."],
                ["On the second page", "the mill closed for good."]])


@pytest.fixture
def archive():  # type: ignore[no-untyped-def]
    with Archive.in_memory() as found:
        yield found


def _events(archive: Archive) -> int:
    return archive.store.max_position()


# --- metadata -----------------------------------------------------------------------------------


def test_metadata_is_checked_and_stored_as_checked(archive: Archive) -> None:
    meta = {**LETTER, "container": "  The Times ", "authors": ["Smith, Jane", {"literal": "AP"}]}
    archive.add_source("s1", "A letter", "1911-03-04", "The mill closed.",
                       url="https://example.org/a", meta=meta)
    found = archive.source("s1")
    assert found["type"] == "personal_communication"
    assert found["authors"] == [{"family": "Smith", "given": "Jane"}, {"literal": "AP"}]
    assert found["container"] == "The Times"
    assert (found["archive"], found["archive_location"]) == ("County Record Office",
                                                              "Box 3, folder 12")
    assert (found["accessed"], found["language"], found["locator"]) == ("2024-02-01", "en",
                                                                        "12-15")


@pytest.mark.parametrize(("field", "value", "said"), [
    ("type", "novel", "not a source type"),
    ("accessed", "2024-13-45", "2024-13-45"),
    ("language", "English please", "not a language tag"),
    ("container", "The\u200bTimes", "ZERO WIDTH SPACE"),
    ("archive_location", "Box\x013", "control character"),
    ("note", "a\u202eb", "bidirectional"),
    ("authors", [{"given": "Jane"}], "family name"),
    ("authors", [{"family": "Smith", "literal": "Smith"}], "not both"),
    ("authors", [{"family": "Smith", "born": "1850"}], "born"),
    ("publisher", "x" * 600, "at most 500"),
])
def test_bad_metadata_is_refused_by_field_and_nothing_is_written(
        archive: Archive, field: str, value: object, said: str) -> None:
    before = _events(archive)
    with pytest.raises(InvalidInput) as caught:
        archive.add_source("s1", "T", "1911", "text", meta={field: value})
    assert said in caught.value.message
    assert caught.value.field.startswith(field)
    assert _events(archive) == before


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "ftp://x.org/a",
                                 "https://", "http://a b.org"])
def test_a_url_is_a_web_address(archive: Archive, url: str) -> None:
    with pytest.raises(InvalidInput, match="web address|whitespace|space"):
        archive.add_source("s1", "T", "1911", "text", url=url)
    assert archive.sources() == []


def test_types_are_csl_types_by_name_or_by_word() -> None:
    assert [csl_type(t) for t in ("article", "letter", "book", "chapter", "report",
                                  "interview", "web page", "archival document",
                                  "article-journal", "Journal Article", "")] == [
        "article-newspaper", "personal_communication", "book", "chapter", "report",
        "interview", "webpage", "manuscript", "article-journal", "article-journal", ""]
    assert clean_metadata({})["authors"] == ()


# --- files --------------------------------------------------------------------------------------


def test_text_markdown_and_html_files(tmp_path: Path) -> None:
    assert extract("a.txt", b"Kept\n  as  it is.\n").text == "Kept\n  as  it is.\n"
    md = "# The strike\n\nThe *mill* closed\nat [dawn](https://x.org).\n\n- one\n- two\n"
    assert extract("a.md", md.encode()).text == "The strike\n\nThe mill closed at dawn.\n\none\ntwo"
    page = ("<html><head><title>T</title><script>alert('x')</script><style>p{}</style></head>"
            "<body onload='evil()'><h1>Strike!</h1><p>The  mill\nclosed &amp; the <b>men</b>"
            " left.<br>Next line</p><script>document.write('<p>injected</p>')</script>"
            "<p>&lt;b&gt; is text</p></body></html>")
    found = extract("a.html", page.encode()).text
    assert found == "Strike!\n\nThe mill closed & the men left.\nNext line\n\n<b> is text"
    assert "alert" not in found and "injected" not in found and "evil" not in found


def test_a_pdf_keeps_its_pages_and_a_quote_knows_its_page() -> None:
    found = extract("a.pdf", PDF)
    assert found.text.startswith("The strike began at dawn.\nWorkers gathered")
    assert len(found.pages) == 2 and found.pages[0] == 0
    assert found.text[found.pages[1]:].startswith("On the second page")
    assert quote_page(found.text, found.pages, "the mill closed for good") == 2
    assert quote_page(found.text, found.pages, "Workers gathered") == 1


@pytest.mark.parametrize(("data", "said"), [
    (make_pdf([["secret"]], password="pw"), "is encrypted"),
    (make_pdf([[]]), "has no text layer (a scanned image?): OCR it first"),
    (PDF[:len(PDF) // 2], "broken or damaged"),
    (b"<html>not a pdf</html>", "is not a PDF"),
])
def test_bad_pdfs_are_refused_saying_why(tmp_path: Path, data: bytes, said: str) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(data)
    code = main(["source", "add", "s1", "--archive", str(tmp_path / "a.sqlite"), "--title",
                 "T", "--published", "1911", "--file", str(path)])
    assert code == 2
    with pytest.raises(InvalidInput, match=re.escape(said)):
        extract("bad.pdf", data)
    with Archive.open(tmp_path / "a.sqlite") as archive:
        assert archive.sources() == []


def test_cli_adds_a_pdf_with_metadata_and_shows_it(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "strike.pdf").write_bytes(PDF)
    db = str(tmp_path / "a.sqlite")
    assert main(["source", "add", "s1", "--archive", db, "--title", "The strike",
                 "--published", "1911-03-04", "--file", str(tmp_path / "strike.pdf"),
                 "--type", "article", "--author", "Smith, Jane", "--author", "Reuters",
                 "--container", "The Times", "--archive-name", "County Record Office",
                 "--archive-location", "Box 3", "--language", "en"]) == 0
    assert main(["record", "Mill", "status", "--value", "closed", "--valid", "1911-03",
                 "--source", "s1", "--quote", "the mill closed for good", "--archive", db,
                 "--new-entity"]) == 0
    capsys.readouterr()
    assert main(["source", "show", "s1", "--archive", db]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["authors"] == [{"family": "Smith", "given": "Jane"}, {"literal": "Reuters"}]
    assert shown["type"] == "article-newspaper" and len(shown["pages"]) == 2
    assert shown["archive"] == "County Record Office"
    assert main(["source", "add", "s2", "--archive", db, "--title", "T", "--published",
                 "1911", "--text", "x", "--url", "javascript:alert(1)"]) == 2
    assert "--url: 'javascript:alert(1)' is not a web address" in capsys.readouterr().err
    with Archive.open(db) as archive:
        assert archive.quote_page("s1", "the mill closed for good") == 2
        assert [s["id"] for s in archive.sources()] == ["s1"]


def test_an_html_file_with_scripts_is_stored_as_text_only(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        "<p>Kept.</p><script>fetch('https://evil.example')</script><style>x{}</style>")
    assert main(["source", "add", "s1", "--archive", str(tmp_path / "a.sqlite"), "--title",
                 "T", "--published", "1911", "--file", str(tmp_path / "page.html")]) == 0
    with Archive.open(tmp_path / "a.sqlite") as archive:
        assert archive.source("s1")["text"] == "Kept."


# --- versions and as known on ---------------------------------------------------------------------


def test_versions_and_the_version_in_force_as_known_on(archive: Archive, tmp_path: Path,
                                                       capsys) -> None:  # type: ignore[no-untyped-def]
    archive.add_source("s1", "Report", "2023-03-01", "The first count: 10 dead.")
    archive.add_source("s1@2", "Report", "2023-03-05", "The updated count: 12 dead.",
                       version_of="s1")
    archive.add_source("s1@3", "Report", "2023-04-01", "The final count: 14 dead.",
                       version_of="s1@2")  # a version of a version is one of the first
    assert [v["id"] for v in archive.source_versions("s1@3")] == ["s1", "s1@2", "s1@3"]
    assert archive.source("s1@3")["version_of"] == "s1"
    assert archive.source_as_known("s1", "2023-03-02")["id"] == "s1"
    assert archive.source_as_known("s1@3", "2023-03")["id"] == "s1@2"
    assert archive.source_as_known("s1", "2023-02") is None
    # A claim citing only a later version is not known before that version was published.
    archive.record("Town", "dead", value="12", valid="2023-03-01",
                   sources=[("s1@2", "12 dead")], new_entity=True)
    assert archive.as_of("2023-03-01", known_as_of="2023-03-04").facts == ()
    assert len(archive.as_of("2023-03-01", known_as_of="2023-03-05").facts) == 1
    with pytest.raises(InvalidInput, match="no source 'nope'"):
        archive.add_source("s2", "T", "2023", "x", version_of="nope")
    with pytest.raises(InvalidInput, match="itself"):
        archive.add_source("s2", "T", "2023", "x", version_of="s2")


def test_cli_versions(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "a.sqlite")
    assert main(["source", "add", "s1", "--archive", db, "--title", "Report", "--published",
                 "2023-03-01", "--text", "first"]) == 0
    assert main(["source", "add", "--version-of", "s1", "--archive", db, "--title",
                 "Report", "--published", "2023-03-05", "--text", "second"]) == 0
    assert capsys.readouterr().out.split() == ["s1", "s1@2"]
    assert main(["source", "show", "s1", "--known-as-of", "2023-03-06", "--archive", db]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["id"] == "s1@2" and [v["id"] for v in shown["versions"]] == ["s1", "s1@2"]
    assert main(["source", "show", "s1", "--known-as-of", "2023-02", "--archive", db]) == 3
    assert "not yet published as known on 2023-02" in capsys.readouterr().err


# --- Hindsight JSON ------------------------------------------------------------------------------


def test_json_round_trip_keeps_everything(archive: Archive, tmp_path: Path) -> None:
    found = extract("a.pdf", PDF)
    archive.add_source("s1", "The strike", "1911-03-04", found.text, pages=found.pages,
                       url="https://example.org/a", meta=LETTER)
    archive.add_source("s1@2", "The strike", "1911-03-09", "Corrected.", version_of="s1")
    archive.add_source("plain", "Plain", "1911", "Plain text.")
    doc = export_document(archive)
    assert [s["id"] for s in doc["sources"]] == ["plain", "s1", "s1@2"]  # first versions first
    assert "type" not in doc["sources"][0] and "pages" not in doc["sources"][0]  # as before
    (tmp_path / "a.json").write_text(json.dumps(doc), encoding="utf-8")
    with Archive.in_memory() as other:
        import_file(other, tmp_path / "a.json")
        for source in archive.sources():
            assert other.source(source["id"]) == source
        assert export_document(other)["sources"] == doc["sources"]


def test_old_json_without_the_fields_imports_unchanged(tmp_path: Path) -> None:
    (tmp_path / "old.json").write_text(json.dumps({"format": "hindsight/1", "sources": [
        {"id": "s1", "title": "Old", "published": "2001", "text": "Old text.",
         "url": "https://example.org/"}]}))
    with Archive.in_memory() as archive:
        import_file(archive, tmp_path / "old.json")
        found = archive.source("s1")
        assert (found["text"], found["type"], found["authors"], found["pages"]) == (
            "Old text.", "", [], [])
        assert export_document(archive)["sources"] == [
            {"id": "s1", "title": "Old", "published": "2001", "url": "https://example.org/",
             "text": "Old text."}]


def test_an_import_reads_a_pdf_file_it_names(tmp_path: Path) -> None:
    (tmp_path / "strike.pdf").write_bytes(PDF)
    (tmp_path / "a.json").write_text(json.dumps({"format": "hindsight/1", "sources": [
        {"id": "s1", "title": "T", "published": "1911", "file": "strike.pdf",
         "authors": [{"family": "Smith", "given": "Jane"}]}]}))
    with Archive.in_memory() as archive:
        import_file(archive, tmp_path / "a.json")
        assert len(archive.source("s1")["pages"]) == 2


def test_the_json_schema_is_current() -> None:
    assert json.loads(SCHEMA_PATH.read_text()) == json_schema()


# --- CSL-JSON and the bibliography ----------------------------------------------------------------


def test_csl_json_carries_every_field(archive: Archive) -> None:
    archive.add_source("s1", "The strike", "1911-03-04", "text", url="https://example.org/a",
                       meta={**LETTER, "type": "article"})
    item = csl_items(archive, Selection())[0]
    assert item["type"] == "article-newspaper"
    assert item["author"] == [{"family": "Smith", "given": "Jane"},
                              {"literal": "Mill Owners' Association"}]
    assert item["container-title"] == "The Times" and item["publisher"] == "Times Newspapers"
    assert item["URL"] == "https://example.org/a"
    assert item["accessed"] == {"date-parts": [[2024, 2, 1]]}
    assert (item["archive"], item["archive_location"]) == ("County Record Office",
                                                            "Box 3, folder 12")
    assert (item["page"], item["language"]) == ("12-15", "en")
    assert item["note"] == "Hindsight source s1. Typed copy."


def test_chicago_author_date_gives_author_title_container_and_date(archive: Archive) -> None:
    archive.add_source("s1", "Strike at the mill", "1911-03-04", "text",
                       meta={"type": "article", "authors": ["Smith, Jane"],
                             "container": "The Times"})
    archive.add_source("s2", "No author here", "2025-02", "text")
    entries = dict(bibliography(items_for(archive.sources()), "chicago-author-date"))
    assert entries["s1"] == ("Smith, Jane. 1911. “Strike at the Mill”. \ue000The Times\ue001, "
                             "March 4.")
    assert entries["s2"].startswith("“No Author Here”. 2025.")


def test_an_unknown_source_is_not_found(archive: Archive) -> None:
    with pytest.raises(NotFound):
        archive.source_versions("nope")
