"""``--tag`` where a historian publishes: exports (CSV, CSL-JSON, the web timeline) and the
report keep the facts with the tag, on a claim or on a source it cites, and nothing else."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from timeline import renderers
from timeline.api import Archive, build_report
from timeline.cli import main

TEXT = "The board dismissed Altman on Friday. Microsoft hired him on Sunday. Altman is back."


@pytest.fixture
def store(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """An archive file with three claims: one tagged 'crisis', one citing a source tagged
    'press', one untagged."""
    path = tmp_path / "archive.sqlite"
    with Archive.open(path) as archive:
        archive.add_source("paper", "The paper", "2023-11-20", TEXT)
        archive.add_source("blog", "A blog", "2023-11-21", TEXT)
        ids = {
            "ousted": archive.record("Sam Altman", "dismissed_by", object="OpenAI board",
                                     valid="2023-11-17/2023-11-21",
                                     sources=[("paper", "dismissed Altman")]),
            "hired": archive.record("Sam Altman", "works_for", object="Microsoft",
                                    valid="2023-11-19/2023-11-22",
                                    sources=[("blog", "Microsoft hired him")]),
            "back": archive.record("Sam Altman", "leads", object="OpenAI", valid="2023-11-20/..",
                                   sources=[("paper", "Altman is back")]),
        }
        archive.tag("claim", ids["ousted"], "Crisis")
        archive.tag("source", "blog", "press")
    return path, ids


def _cli(path: Path, *args: str) -> int:
    return main(["--archive", str(path), *args], plugins=[])


def test_csv_export_keeps_the_tagged_facts(store, tmp_path) -> None:
    path, ids = store
    out = tmp_path / "out.csv"
    assert _cli(path, "export", "--to", "csv", str(out), "--as-of", "2023-11-20",
                "--tag", "crisis") == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["id"] for r in rows] == [ids["ousted"]]
    # any of several tags; a source's tag counts for the claims that cite it
    assert _cli(path, "export", "--to", "csv", str(out), "--tag", "crisis", "--tag",
                "PRESS") == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {r["id"] for r in rows} == {ids["ousted"], ids["hired"]}


def test_csl_json_holds_the_sources_of_the_tagged_facts(store, tmp_path) -> None:
    path, _ = store
    out = tmp_path / "sources.json"
    assert _cli(path, "export", "--to", "csl-json", str(out), "--tag", "press") == 0
    assert [item["id"] for item in json.loads(out.read_text(encoding="utf-8"))] == ["blog"]


def test_a_bad_tag_filter_writes_nothing(store, tmp_path, capsys) -> None:
    path, _ = store
    out = tmp_path / "out.csv"
    assert _cli(path, "export", "--to", "csv", str(out), "--tag", "  ") == 2
    assert "a tag cannot be empty" in capsys.readouterr().err
    assert _cli(path, "export", "--to", "json", str(out), "--tag", "crisis") == 2
    assert "--tag go with the other formats" in capsys.readouterr().err
    assert not out.exists()


def test_the_web_timeline_holds_only_tagged_facts_on_every_date(store, tmp_path) -> None:
    path, ids = store
    site = tmp_path / "site"
    assert _cli(path, "export", "--to", "site", str(site), "--tag", "crisis") == 0
    page = (site / "index.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json"[^>]*>(.*?)</script>', page,
                                re.S).group(1))
    # every date's facts are indexes into ``facts``: the tagged one alone, on the days it held
    assert [f["id"] for f in data["facts"]] == [ids["ousted"]]
    assert [shown for _, shown in data["moments"] if shown] == [[[0, "HOLDS"]]]
    assert "tagged ‘crisis’" in page


def test_the_report_answers_for_the_tagged_facts(store, monkeypatch) -> None:
    monkeypatch.setattr(renderers, "renderer", lambda name: None)
    path, _ = store
    with Archive.open(path) as archive:
        report = build_report(archive, "2023-11-20", tags=["crisis"])
        every = build_report(archive, "2023-11-20")
    assert "in what is tagged ‘crisis’" in report.question
    assert report.fact_count == 1 < every.fact_count
    assert all("dismissed" in c.statement for c in report.changes)
    assert len(every.changes) > len(report.changes)


def test_the_report_command_takes_tags(store, tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(renderers, "renderer", lambda name: None)
    path, _ = store
    out = tmp_path / "report.md"
    assert _cli(path, "report", "--as-of", "2023-11-20", "--tag", "press", "--to",
                str(out)) == 0
    text = out.read_text(encoding="utf-8")
    assert "works for" in text and "dismissed" not in text
    assert "(1 fact," in capsys.readouterr().err
