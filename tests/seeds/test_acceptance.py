"""Questions a historian asks of the seed archive, answered by `hindsight as-of ... --format json`.

Each row names what must appear (with its status) and what must not. The expectations come from
reading the three sources (docs/seed-archive.md explains each date), not from the engine's output.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "archive.json"


def hindsight(archive: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "timeline", "--archive", str(archive), *args],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("seed") / "archive.sqlite"
    done = hindsight(path, "import", str(SEED))
    assert done.returncode == 0, done.stderr
    return path


def as_of(archive: Path, *args: str) -> dict:
    done = hindsight(archive, "as-of", *args, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


QUESTIONS = [
    ("relationship between Microsoft and OpenAI as of November 2023",
     ["2023-11", "--entity", "Microsoft", "--entity", "OpenAI"],
     {"seed-msft-openai-rel-partners": "HOLDS", "seed-msft-exclusive-cloud-2019": "HOLDS",
      "seed-msft-exclusive-tech-access-2019": "HOLDS", "seed-msft-support-billions": "HOLDS"},
     ["seed-msft-openai-rel-tense", "seed-msft-exclusivity-relaxed",
      "seed-nadella-supports-altman-ouster"]),
    ("before they met, Altman only leads OpenAI",
     ["2017-06-01", "--entity", "Sam Altman"],
     {"seed-altman-leads-openai-before-ouster": "MAYBE"},
     ["seed-nadella-altman-meet-idaho", "seed-nadella-altman-rel-close"]),
    ("summer 2018: the stairwell meeting in Idaho may be happening",
     ["2018-07-15", "--entity", "Nadella"],
     {"seed-nadella-altman-meet-idaho": "MAYBE", "seed-nadella-attended-idaho": "MAYBE",
      "seed-nadella-altman-rel-close": "MAYBE", "seed-nadella-altman-contact-texts": "MAYBE"},
     ["seed-nadella-altman-rel-growing-apart"]),
    ("who had an exclusive cloud deal in 2020 (Microsoft, for OpenAI)",
     ["2020-06-01", "--entity", "Microsoft"],
     {"seed-msft-exclusive-cloud-2019": "HOLDS", "seed-msft-exclusive-tech-access-2019": "HOLDS",
      "seed-msft-openai-rel-partners": "HOLDS", "seed-msft-support-billions": "HOLDS"},
     ["seed-msft-invests-1b-2019", "seed-msft-exclusivity-relaxed"]),
    ("the ousting, asked under the machine translation's name for Altman",
     ["2023-11-20", "--entity", "Optimus"],
     {"seed-nadella-altman-rel-close": "HOLDS", "seed-nadella-altman-contact-texts": "HOLDS",
      "seed-altman-ousted": "MAYBE", "seed-nadella-supports-altman-ouster": "MAYBE"},
     ["seed-nadella-altman-rel-growing-apart"]),
    ("Ilya's PDFs, a month before the dismissal",
     ["2023-09-15", "--entity", "Ilya"],
     {"seed-ilya-pdfs-about-altman": "MAYBE", "seed-ilya-pdfs-about-brockman": "MAYBE"},
     []),
    ("Nadella and Altman in January 2025: growing apart, weekly calls",
     ["2025-01-15", "--entity", "Satya Nadella"],
     {"seed-nadella-altman-rel-growing-apart": "HOLDS",
      "seed-nadella-altman-contact-weekly-calls": "HOLDS",
      "seed-nadella-absent-stargate": "MAYBE"},
     ["seed-nadella-altman-rel-close", "seed-nadella-altman-contact-texts"]),
    ("Microsoft in June 2025: the preferred account of a tense relationship",
     ["2025-06-01", "--entity", "Microsoft"],
     {"seed-msft-openai-rel-tense": "HOLDS", "seed-msft-exclusivity-relaxed": "HOLDS"},
     ["seed-msft-openai-rel-surface-close", "seed-msft-exclusive-cloud-2019"]),
    ("GPT-4.5 as the February 2025 article expected it",
     ["2025-04-15", "--entity", "GPT-4.5", "--known-as-of", "2025-02-28"],
     {"seed-gpt45-release-expected-weeks": "HOLDS"},
     ["seed-gpt45-released-by-march-2025"]),
    ("GPT-4.5 as known now, asked by its codename Orion",
     ["2025-04-15", "--entity", "Orion"],
     {"seed-gpt45-released-by-march-2025": "HOLDS"},
     ["seed-gpt45-release-expected-weeks"]),
    ("GPT-4.5 in early March 2025: a change under way, not a disagreement",
     ["2025-03-10", "--entity", "GPT-4.5"],
     {"seed-gpt45-release-expected-weeks": "MAYBE", "seed-gpt45-released-by-march-2025": "MAYBE"},
     []),
    ("what GPT-5 was expected to be, as known in February 2025",
     ["2025-05-25", "--entity", "GPT-5", "--known-as-of", "2025-02"],
     {"seed-gpt5-debut-expected-late-may": "HOLDS", "seed-gpt5-release-status-feb2025": "HOLDS"},
     []),
    ("what GPT-5 was expected to be, as known now (no later source corrects it)",
     ["2025-06-01", "--entity", "GPT-5"],
     {"seed-gpt5-release-status-feb2025": "HOLDS"},
     []),
    ("the podcast guests disagree on pre-training",
     ["2025-03-15", "--entity", "pre-training"],
     {"seed-pretraining-assessed-obsolete": "CONTESTED",
      "seed-pretraining-assessed-essential": "CONTESTED",
      "seed-soule-view-pretraining": "MAYBE", "seed-hay-view-pretraining": "MAYBE"},
     []),
    ("Altman and Microsoft disagree on AGI",
     ["2025-05-02", "--entity", "AGI"],
     {"seed-agi-assessed-soon-altman": "CONTESTED", "seed-agi-assessed-far-microsoft": "CONTESTED",
      "seed-altman-view-agi": "HOLDS", "seed-microsoft-view-agi": "HOLDS"},
     []),
    ("the Ohio data centers, suspended in April 2025",
     ["2025-06-15", "--entity", "Ohio data center campuses"],
     {"seed-ohio-campuses-suspended": "HOLDS"},
     ["seed-ohio-campuses-under-construction"]),
    ("the Ohio data centers before the suspension",
     ["2025-03-15"],
     {"seed-ohio-campuses-under-construction": "MAYBE",
      "seed-ohio-campuses-investment-plan": "MAYBE"},
     ["seed-ohio-campuses-suspended"]),
    ("Stargate's launch in January 2025, without Nadella",
     ["2025-01-15", "--entity", "Stargate"],
     {"seed-stargate-launched-by-altman": "MAYBE", "seed-stargate-launched-by-son": "MAYBE",
      "seed-nadella-absent-stargate": "MAYBE", "seed-stargate-500b-plan": "MAYBE"},
     []),
    ("GPT-2024: planned for the end of 2024",
     ["2024-06-01", "--entity", "GPT-2024"],
     {"seed-gpt2024-planned-end-2024": "MAYBE"},
     ["seed-gpt2024-postponed-early-2025"]),
    ("GPT-2024: postponed to early 2025",
     ["2025-02-20", "--entity", "GPT-2024"],
     {"seed-gpt2024-postponed-early-2025": "HOLDS", "seed-gpt2024-possibly-gpt5": "MAYBE"},
     ["seed-gpt2024-planned-end-2024"]),
    ("Suleyman at Microsoft, asked under the translation's 'Suleyma'",
     ["2024-07-01", "--entity", "Suleyma"],
     {"seed-msft-acquires-suleyman": "MAYBE", "seed-suleyman-at-microsoft": "MAYBE",
      "seed-suleyman-works-on-inhouse-model": "MAYBE"},
     []),
    ("Microsoft as the February article told it: nothing from May's article yet",
     ["2025-02-26", "--entity", "Microsoft", "--known-as-of", "2025-02-28"],
     {"seed-msft-hosting-expected-next-week": "MAYBE", "seed-msft-servers-for-gpt45": "MAYBE"},
     ["seed-msft-exclusivity-relaxed", "seed-msft-openai-rel-tense"]),
    ("nothing was known about GPT-5 before the February article",
     ["2025-05-25", "--entity", "GPT-5", "--known-as-of", "2025-01-31"],
     {},
     ["seed-gpt5-debut-expected-late-may", "seed-gpt5-release-status-feb2025"]),
]


@pytest.mark.parametrize(("question", "args", "must", "must_not"), QUESTIONS,
                         ids=[q[0] for q in QUESTIONS])
def test_the_seed_archive_answers(archive, question, args, must, must_not):
    answer = as_of(archive, *args)
    statuses = {f["id"]: f["status"] for f in answer["facts"]}
    for claim_id, status in must.items():
        assert statuses.get(claim_id) == status, (question, claim_id, statuses)
    for claim_id in must_not:
        assert claim_id not in statuses, (question, claim_id)
    if not must:
        assert statuses == {}
    for fact in answer["facts"]:
        assert fact["sources"], f"{fact['id']} has no citation"


def test_a_company_includes_what_its_parts_did(archive):
    """Projects, campuses and products are parts of their owners (docs/seed-archive.md,
    "Parts"): the company's answer holds their facts, each marked with the part."""
    june = {f["id"]: (f["status"], f["via"]) for f in
            as_of(archive, "2025-06-01", "--entity", "Microsoft")["facts"]}
    assert june["seed-ohio-campuses-suspended"] == ("HOLDS", "Ohio data center campuses")
    assert june["seed-nadella-prioritizes-copilot"] == ("HOLDS", "Copilot")
    assert june["seed-msft-openai-rel-tense"] == ("HOLDS", None)  # its own
    january = {f["id"]: (f["status"], f["via"]) for f in
               as_of(archive, "2025-01-31", "--entity", "OpenAI")["facts"]}
    assert january["seed-stargate-part-of-openai"] == ("HOLDS", None)
    assert january["seed-stargate-launched-by-altman"] == ("MAYBE", "Stargate")
    assert january["seed-nadella-absent-stargate"] == ("MAYBE", "Stargate")
    assert january["seed-openai-restructuring-status"] == ("HOLDS", "OpenAI restructuring")
    # Before it was opened, Stargate is no part of OpenAI; a pair is never widened.
    december = as_of(archive, "2024-12-31", "--entity", "OpenAI")["facts"]
    assert not any(f["via"] == "Stargate" for f in december)
    pair = as_of(archive, "2025-01-31", "--entity", "OpenAI", "--entity", "Stargate")
    assert [(f["id"], f["via"]) for f in pair["facts"]] == [
        ("seed-stargate-part-of-openai", None)]


def test_aliases_of_the_machine_translation_resolve_to_real_names(archive):
    answer = as_of(archive, "2023-11-20", "--entity", "Optimus")
    assert answer["entity"]["name"] == "Sam Altman"
    assert "Optimus" in answer["entity"]["aliases"]
    assert as_of(archive, "2024-07-01", "--entity", "Suleyma")["entity"]["name"] == (
        "Mustafa Suleyman")
    assert as_of(archive, "2025-04-15", "--entity", "Orion")["entity"]["name"] == "GPT-4.5"


def test_diff_shows_the_relationship_changing(archive):
    done = hindsight(archive, "diff", "2023-06-01", "2025-06-01", "--entity", "Nadella",
                     "--format", "json")
    assert done.returncode == 0, done.stderr
    diff = json.loads(done.stdout)
    began = {f["id"] for f in diff["began"]}
    ended = {f["id"] for f in diff["ended"]}
    assert {"seed-nadella-altman-rel-growing-apart",
            "seed-nadella-altman-contact-weekly-calls"} <= began
    assert {"seed-nadella-altman-rel-close", "seed-nadella-altman-contact-texts"} <= ended


def test_every_fact_quotes_its_source_verbatim(archive):
    answer = as_of(archive, "2025-05-02")
    texts = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "seeds" / "sources").iterdir()}
    assert len(answer["facts"]) > 20
    for fact in answer["facts"]:
        for citation in fact["sources"]:
            assert citation["quote"] in texts[citation["source"]]


def test_importing_the_seed_archive_again_adds_nothing(archive):
    before = hindsight(archive, "as-of", "2025-05-02", "--format", "json").stdout
    done = hindsight(archive, "import", str(SEED))
    assert done.returncode == 0, done.stderr
    assert "0 new events" in done.stderr
    assert hindsight(archive, "as-of", "2025-05-02", "--format", "json").stdout == before


def test_the_claims_table_in_the_docs_is_generated_from_the_archive():
    done = subprocess.run([sys.executable, str(ROOT / "seeds" / "make_docs.py"), "--check"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    doc = (ROOT / "docs" / "seed-archive.md").read_text(encoding="utf-8")
    ids = {c["id"] for c in json.loads(SEED.read_text(encoding="utf-8"))["claims"]}
    assert {i for i in ids if f"`{i}`" in doc} == ids
