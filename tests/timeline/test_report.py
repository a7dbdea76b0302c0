"""The printable report (``hindsight report``, docs/reports.md): its content on the seed and
the crisis archives, the bibliography in a CSL style, escaping of hostile names in Markdown
and HTML, and the command line's refusals. Qt-free: the figure and the PDF are tested in
tests/gui/test_report_dialog.py."""

from __future__ import annotations

import html.parser
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from timeline import renderers
from timeline.api import (
    Archive,
    InvalidInput,
    NotFound,
    build_report,
    cli_main,
    import_file,
    report_to_html,
    report_to_markdown,
    seed_archive,
    write_report,
)
from timeline.interchange import import_document, parse
from timeline.report_cite import bibliography, style_path

ROOT = Path(__file__).resolve().parents[2]
CRISIS = ROOT / "tests" / "acceptance" / "crisis.json"


@pytest.fixture(scope="module")
def seed() -> Iterator[Archive]:
    with Archive.in_memory() as archive:
        import_file(archive, seed_archive())
        yield archive


@pytest.fixture(scope="module")
def crisis() -> Iterator[Archive]:
    with Archive.in_memory() as archive:
        import_file(archive, CRISIS)
        yield archive


@pytest.fixture(autouse=True)
def no_renderers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine alone: no Qt renderer (tests/gui checks the figure and the PDF)."""
    monkeypatch.setattr(renderers, "renderer", lambda name: None)


def test_the_seed_report_answers_its_question_in_words(seed: Archive) -> None:
    report = build_report(seed, "2023-11", None, ["Microsoft", "OpenAI"])
    assert report.question == ("What held between Microsoft and OpenAI as of November 2023 "
                               "(its last day, 30 November 2023), by everything the archive "
                               "records?")
    assert [s.entity for s in report.sections] == ["Microsoft", "OpenAI"]
    facts = report.sections[0].facts
    assert facts and {f.status for f in facts} == {"HOLDS"}
    assert "from summer 2019" in {f.valid_words for f in facts}
    assert report.period_words == "1 December 2022 – 30 November 2023"
    text = report_to_markdown(report, None)
    assert "**HOLDS** Microsoft has exclusive access to the technology of OpenAI" in text
    assert "from summer 2019 — held on the day" in text
    # Footnotes: each quotation once, numbered, cited from its fact.
    assert re.search(r"OpenAI\[\^7\]", text)
    assert "[^1]: Optimus and Nadella (2 May 2025): “Microsoft became OpenAI's exclusive " \
           "cloud service provider”" in text
    assert "## Bibliography (chicago-author-date)" in text
    assert "Optimus and Nadella, Growing Apart\\] (QbitAI" in text
    page = report_to_html(report, None)
    assert '<span class="status HOLDS">HOLDS</span>' in page
    assert '<li id="note-7">' in page and 'href="#note-7"' in page
    assert "Nothing began, ended or changed status in this period." in page


def test_the_crisis_report_shows_accounts_disputes_and_contests(crisis: Archive) -> None:
    report = build_report(crisis, "2031-11-20", "2032-06", ["Halden Robotics"],
                          period=("2031-11-16", "2031-11-21"), title="The Halden crisis")
    assert report.title == "The Halden crisis"
    assert report.question == ("What held for Halden Robotics and its parts as of 20 November "
                               "2031, as known on June 2032 (its last day, 30 June 2032)?")
    text = report_to_markdown(report, None)
    assert "**CONTESTED** Dana Whit leads Eastgate campus (via Eastgate campus)" in text
    assert "  - contested with: Rui Anand leads Eastgate campus" in text
    assert ("  - disputed: began 19 November 2031 per Varga out at Halden, What happened in "
            "Halden’s; 20 November 2031 per four days that, Corvid's coup\n") in text
    assert "  - account: from 20 November 2031 (HOLDS, certainty 1)[^" in text
    assert ("| 19 November 2031 | began | Tomas Brell leads Halden Robotics | — → DISPUTED |"
            in text)
    assert not report.changes_skipped and report.changes
    days = [c.day for c in report.changes]
    assert days == sorted(days) and report.period[0] < days[0] <= days[-1] <= report.period[1]
    # Every source quoted is in the bibliography, once.
    assert {e.source for e in report.bibliography} == {n.source for n in report.notes}
    page = report_to_html(report, None)
    assert "<li>disputed: began 19 November 2031 per Varga out at Halden" in page


def test_too_many_days_of_changes_are_not_listed_and_the_report_says_so(
        crisis: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("timeline.report.MAX_DAYS", 2)
    report = build_report(crisis, "2031-11-30", None, [])
    assert report.changes == ()
    assert report.changes_skipped.startswith("Not listed: the state may change on ")
    assert "more than 2 to list" in report_to_html(report)


def test_the_chicago_bibliography_has_author_title_container_and_date() -> None:
    item = {"id": "Wire", "type": "article-newspaper", "title": "Halden board meets",
            "container-title": "Northshore Business Monthly",
            "author": [{"family": "Okafor", "given": "Ada"}],
            "issued": {"date-parts": [[2031, 11, 17]]}}
    bare = {"id": "s2", "type": "document", "title": "Four days", "issued": {
        "date-parts": [[2034, 3]]}}
    entries = dict(bibliography([item, bare]))
    wire = entries["Wire"]
    assert wire.startswith("Okafor, A") and "2031" in wire and "November 17" in wire
    assert "“Halden Board Meets”" in wire and "\ue000Northshore Business Monthly\ue001" in wire
    # A source with no author is listed by its title, once (citeproc-py repeats it otherwise).
    assert entries["s2"] == "“Four Days”. 2034. March."
    apa = dict(bibliography([item], "apa"))["Wire"]
    assert apa.startswith("Okafor, A. (2031, November 17).")


def test_an_unknown_style_is_refused_with_examples(seed: Archive) -> None:
    assert style_path("apa").endswith("apa.csl")
    for name in ("no-such-style", "../../etc/passwd", ""):
        with pytest.raises(InvalidInput, match="no CSL style .* is installed .*for example"):
            build_report(seed, "2023-11", style=name)


HOSTILE = ["<script>alert(1)</script>", "*bold* | pipe [x](y) #1", "]]> & &amp; `tick`"]


@pytest.fixture(scope="module")
def hostile() -> Iterator[Archive]:
    text = "Said: <b>quoted</b> | *here* ]]> & the end."
    doc: dict[str, Any] = {
        "format": "hindsight/1",
        "sources": [{"id": "s<1>", "title": "<i>Title</i> | *x*", "published": "2020-05",
                     "text": text}],
        "entities": [{"name": n} for n in HOSTILE],
        "claims": [{"subject": HOSTILE[0], "predicate": "allied_with", "object": HOSTILE[1],
                    "value": "- 1. > <img src=x onerror=alert(1)>", "valid": "2020/..",
                    "sources": [{"source": "s<1>", "quote": "<b>quoted</b> | *here* ]]> &"}]},
                   {"subject": HOSTILE[2], "predicate": "owns", "object": HOSTILE[0],
                    "valid": "2019-22/..", "sources": []}],
    }
    with Archive.in_memory() as archive:
        import_document(archive, parse(doc))
        yield archive


class _Texts(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_hostile_names_and_quotes_are_escaped_in_html(hostile: Archive) -> None:
    report = build_report(hostile, "2021", None, [HOSTILE[0]], title="<title> & </html>")
    page = report_to_html(report, "<svg xmlns='http://www.w3.org/2000/svg'><script>x()"
                                  "</script><text onclick='y()'>]]&gt;</text></svg>")
    parser = _Texts()
    parser.feed(page)
    assert "script" not in parser.tags and "img" not in parser.tags and "b" not in parser.tags
    shown = "".join(parser.text)
    for name in HOSTILE:
        assert name in shown
    assert "<b>quoted</b> | *here* ]]> &" in shown
    assert "<title> & </html>" in shown
    assert "onclick" not in page and "x()" not in page
    assert "http" not in page.replace("http://www.w3.org/2000/svg", "")  # no request


def test_hostile_names_keep_the_markdown_structure(hostile: Archive) -> None:
    report = build_report(hostile, "2021", None, [HOSTILE[0]])
    text = report_to_markdown(report, "graph (1).svg")
    assert "### \\<script\\>alert(1)\\</script\\>" in text
    assert "\\*bold\\* \\| pipe \\[x\\](y) \\#1" in text
    assert "\\]\\]\\> \\& \\&amp; \\`tick\\`" in text
    assert "\\<img src=x onerror=alert(1)\\>" in text
    assert "“\\<b\\>quoted\\</b\\> \\| \\*here\\* \\]\\]\\> \\&”" in text
    assert "![The relationship graph](graph%20%281%29.svg)" in text
    # No line starts a block the report did not write: each starts with its own markup.
    for line in text.splitlines():
        assert not line or line.startswith(("#", "*", "- ", "  ", "[^", "!", "---", "|", "“",
                                            "\\<i\\>", "Made", "Nothing")), line


def test_write_report_without_renderers_says_the_figure_is_left_out(
        seed: Archive, tmp_path: Path) -> None:
    report = build_report(seed, "2023-11-20", None, ["Microsoft", "OpenAI"])
    written = write_report(seed, report, tmp_path / "r.html")
    assert written == [tmp_path / "r.html"]
    assert "The relationship graph is not included" in written[0].read_text(encoding="utf-8")
    with pytest.raises(InvalidInput, match="writing a PDF needs the desktop app"):
        write_report(seed, report, tmp_path / "r.pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]


def test_unknown_entity_and_bad_period_are_refused(seed: Archive) -> None:
    with pytest.raises(NotFound, match="unknown entity 'Microsfot' — did you mean 'Microsoft'"):
        build_report(seed, "2023-11", None, ["Microsfot"])
    with pytest.raises(InvalidInput, match="give --from before --until") as exc:
        build_report(seed, "2023-11", period=("2024", "2023"))
    assert exc.value.field == "from"


@pytest.fixture(scope="module")
def archive_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "crisis.sqlite"
    assert cli_main(["--archive", str(path), "import", str(CRISIS)]) == 0
    return path


def run(archive: Path, *args: str) -> int:
    return cli_main(["report", "--archive", str(archive), *args])


def test_cli_writes_markdown_and_html(archive_file: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert run(archive_file, "--as-of", "2031-11-20", "--entity", "Tomas Brell",
               "--from", "2031-11-01", "--style", "apa", "--to", str(tmp_path / "r.md")) == 0
    err = capsys.readouterr().err
    assert err.startswith("wrote the report (") and "r.md" in err
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert text.startswith("# Tomas Brell as of 20 November 2031\n")
    assert "## Bibliography (apa)" in text
    assert run(archive_file, "--as-of", "2031-11-20", "--to", str(tmp_path / "r.HTML")) == 0
    assert (tmp_path / "r.HTML").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(("args", "code", "message"), [
    (["--as-of", "2031-13-45"], 2, "hindsight: error: --as-of: "),
    (["--as-of", "2031", "--known-as-of", "soon"], 2, "hindsight: error: --known-as-of: "),
    (["--as-of", "2031", "--entity", "Nobody"], 3, "hindsight: error: unknown entity 'Nobody'"),
    (["--as-of", "2031", "--style", "nope"], 2, "hindsight: error: --style: no CSL style"),
    (["--as-of", "2031", "--from", "2032"], 2, "hindsight: error: --from: the period from "),
    (["--as-of", "2031", "--until", "x"], 2, "hindsight: error: --until: "),
], ids=str)
def test_cli_refuses_bad_input_and_writes_nothing(
        archive_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        args: list[str], code: int, message: str) -> None:
    capsys.readouterr()
    assert run(archive_file, *args, "--to", str(tmp_path / "r.html")) == code
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1 and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_cli_refuses_a_target_it_must_not_write(archive_file: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    for target, message in [
        (tmp_path / "r.docx", "a report is written as .md, .html or .pdf, not '.docx'"),
        (tmp_path / "missing" / "r.html", "there is no folder"),
        (archive_file, "not '.sqlite'"),
        (Path("/dev/null.html"), "cannot write"),
    ]:
        assert run(archive_file, "--as-of", "2031", "--to", str(target)) == 2
        assert message in capsys.readouterr().err
    (tmp_path / "folder.html").mkdir()
    assert run(archive_file, "--as-of", "2031", "--to", str(tmp_path / "folder.html")) == 2
    assert "cannot write over a folder" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.html"]
