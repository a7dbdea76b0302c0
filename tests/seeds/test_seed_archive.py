"""The curated seed archive (seeds/archive.json) is well-formed and faithful to its sources.

Plain JSON checks: they need no engine, so they guard the archive while the engine is written.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
ARCHIVE_PATH = SEEDS / "archive.json"
# SHA-256 of the original source documents as they were handed to the project: the copies in
# seeds/sources must stay byte for byte the same (quotes are checked against them verbatim).
ORIGINAL_SHA256 = {
    "000_e0dfffa43aa9817f.txt": "10b1c2b8af2e1b544470b7f3df7101def4a8726d96a4a776caac04b70546a482",
    "001_f40d3ba9dc3644ac.txt": "087441046b56f2dec19236cde7237dd9ac3aa70febed5fc977267504006e37cf",
    "002_e4e0b306e2a42f4d.txt": "555ce1833703528f184394769292398e52c9b0e52f15ba501f8b3d5b09555838",
}

SOURCE_IDS = {
    "000_e0dfffa43aa9817f.txt",
    "001_f40d3ba9dc3644ac.txt",
    "002_e4e0b306e2a42f4d.txt",
}
ENTITY_KINDS = {"person", "organization", "product", "project", "place", "event", "work", "concept"}
RANKS = {"preferred", "normal", "deprecated"}
# Machine-translation and codename aliases that every query must resolve.
REQUIRED_ALIASES = {
    "Optimus": "Sam Altman",
    "Suleyma": "Mustafa Suleyman",
    "Mustafa Suleyma": "Mustafa Suleyman",
    "Orion": "GPT-4.5",
}


@pytest.fixture(scope="module")
def archive() -> dict:
    return json.loads(ARCHIVE_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def texts(archive: dict) -> dict[str, str]:
    return {
        s["id"]: (ARCHIVE_PATH.parent / s["file"]).read_text(encoding="utf-8")
        for s in archive["sources"]
    }


@pytest.fixture(scope="module")
def resolve(archive: dict) -> dict[str, list[str]]:
    """Lower-cased name or alias -> names of every entity that answers to it."""
    table: dict[str, list[str]] = {}
    for entity in archive["entities"]:
        for label in {entity["name"], *entity.get("aliases", [])}:
            table.setdefault(label.lower(), []).append(entity["name"])
    return table


def _claim_ids(archive: dict) -> set[str]:
    return {c["id"] for c in archive["claims"]}


def test_archive_declares_its_format(archive: dict) -> None:
    assert archive["format"] == "hindsight/1"


def test_sources_are_the_three_seed_texts_stored_as_files(archive: dict) -> None:
    assert {s["id"] for s in archive["sources"]} == SOURCE_IDS
    for source in archive["sources"]:
        assert source["file"] == f"sources/{source['id']}"
        assert "text" not in source, "the text lives once, in seeds/sources/"
        assert source["title"].strip()
        assert source["published"].strip()
        assert (ARCHIVE_PATH.parent / source["file"]).is_file()


@pytest.mark.parametrize("source_id", sorted(SOURCE_IDS))
def test_source_file_equals_the_original_byte_for_byte(source_id: str) -> None:
    digest = hashlib.sha256((SEEDS / "sources" / source_id).read_bytes()).hexdigest()
    assert digest == ORIGINAL_SHA256[source_id]


def test_no_stray_files_in_sources_dir() -> None:
    assert {p.name for p in (SEEDS / "sources").iterdir()} == SOURCE_IDS


def test_has_at_least_sixty_claims(archive: dict) -> None:
    assert len(archive["claims"]) >= 60


def test_claim_ids_are_unique_and_prefixed(archive: dict) -> None:
    ids = [c["id"] for c in archive["claims"]]
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    assert not duplicates
    assert all(i.startswith("seed-") for i in ids)


def test_every_claim_cites_a_known_source_with_a_verbatim_quote(
    archive: dict, texts: dict[str, str]
) -> None:
    problems = []
    for claim in archive["claims"]:
        if not claim.get("sources"):
            problems.append(f"{claim['id']}: no citation")
        for citation in claim.get("sources", []):
            text = texts.get(citation["source"])
            if text is None:
                problems.append(f"{claim['id']}: unknown source {citation['source']!r}")
            elif not citation["quote"].strip() or citation["quote"] not in text:
                problems.append(f"{claim['id']}: quote not in source: {citation['quote']!r}")
    assert not problems, "\n".join(problems)


def test_known_at_is_the_cited_sources_publication_date(archive: dict) -> None:
    published = {s["id"]: s["published"] for s in archive["sources"]}
    wrong = [
        c["id"]
        for c in archive["claims"]
        if any(c["known_at"] != published[cit["source"]] for cit in c["sources"])
    ]
    assert not wrong


def test_every_subject_and_object_resolves_to_exactly_one_entity(
    archive: dict, resolve: dict[str, list[str]]
) -> None:
    problems = []
    for claim in archive["claims"]:
        for role in ("subject", "object"):
            if role in claim:
                found = resolve.get(claim[role].lower(), [])
                if len(found) != 1:
                    problems.append(f"{claim['id']}.{role} {claim[role]!r} -> {found}")
    assert not problems, "\n".join(problems)


def test_every_claim_has_a_subject_predicate_and_an_object_or_value(archive: dict) -> None:
    incomplete = [
        c["id"]
        for c in archive["claims"]
        if not c.get("subject") or not c.get("predicate") or not ("object" in c or "value" in c)
    ]
    assert not incomplete


def test_no_alias_collides_with_another_entity(
    archive: dict, resolve: dict[str, list[str]]
) -> None:
    collisions = {label: names for label, names in resolve.items() if len(names) > 1}
    assert not collisions


def test_required_aliases_resolve_to_the_real_names(resolve: dict[str, list[str]]) -> None:
    for alias, name in REQUIRED_ALIASES.items():
        assert resolve.get(alias.lower()) == [name], alias


def test_entity_kinds_are_known(archive: dict) -> None:
    assert {e["kind"] for e in archive["entities"]} <= ENTITY_KINDS


def test_every_predicate_used_is_declared_once(archive: dict) -> None:
    declared = [p["name"] for p in archive["predicates"]]
    assert len(declared) == len(set(declared))
    used = {c["predicate"] for c in archive["claims"]}
    assert used <= set(declared), used - set(declared)
    assert all(isinstance(p["single"], bool) and p["label"] for p in archive["predicates"])


def test_label_templates_match_the_claims_that_use_them(archive: dict) -> None:
    """A template naming {object} or {value} must get one, and no value may be dropped.

    Templates may leave out {object} (for predicates whose object is optional, such as
    'stated'): the value then names it, so the sentence still reads whole.
    """
    labels = {p["name"]: p["label"] for p in archive["predicates"]}
    broken = []
    for claim in archive["claims"]:
        label = labels[claim["predicate"]]
        if "{" not in label:
            continue
        for part in ("object", "value"):
            if "{" + part + "}" in label and part not in claim:
                broken.append(f"{claim['id']}: template needs {part}")
        if "value" in claim and "{value}" not in label:
            broken.append(f"{claim['id']}: value would be dropped")
    assert not broken, "\n".join(broken)


def test_certainty_and_rank_are_in_range(archive: dict) -> None:
    for claim in archive["claims"]:
        assert 0 < claim["certainty"] <= 1, claim["id"]
        assert claim.get("rank", "normal") in RANKS, claim["id"]


def test_valid_dates_parse_as_edtf(archive: dict) -> None:
    parse_edtf = pytest.importorskip("edtf").parse_edtf
    dates = [("published", s["id"], s["published"]) for s in archive["sources"]]
    dates += [("valid", c["id"], c["valid"]) for c in archive["claims"]]
    dates += [("known_at", c["id"], c["known_at"]) for c in archive["claims"]]
    bad = []
    for field, owner, value in dates:
        try:
            parse_edtf(value)
        except Exception as error:  # the parser raises several unrelated types
            bad.append(f"{owner}.{field} {value!r}: {error}")
    assert not bad, "\n".join(bad)


def test_corrections_refer_to_existing_claims(archive: dict) -> None:
    ids = _claim_ids(archive)
    for record in archive.get("retractions", []) + archive.get("reranks", []):
        assert record["claim"] in ids
    for record in archive.get("supersessions", []):
        assert record["claim"] in ids and record["by"] in ids


def test_every_source_contributes_claims(archive: dict) -> None:
    cited = {cit["source"] for c in archive["claims"] for cit in c["sources"]}
    assert cited == SOURCE_IDS


def test_opposed_opinions_collide_on_a_single_valued_slot(
    archive: dict, resolve: dict[str, list[str]]
) -> None:
    """The podcast guests' debate must come back CONTESTED, so it needs one single-valued slot."""
    single = {p["name"] for p in archive["predicates"] if p["single"]}
    by_id = {c["id"]: c for c in archive["claims"]}
    kate = by_id["seed-pretraining-assessed-obsolete"]
    chris = by_id["seed-pretraining-assessed-essential"]
    assert kate["predicate"] == chris["predicate"] and kate["predicate"] in single
    assert resolve[kate["subject"].lower()] == resolve[chris["subject"].lower()]
    assert kate["value"] != chris["value"] and kate["valid"] == chris["valid"]


def test_february_expectations_are_known_in_february(archive: dict) -> None:
    """'As known in Feb 2025' must differ from 'as known today' for GPT-4.5's release."""
    by_id = {c["id"]: c for c in archive["claims"]}
    expected = by_id["seed-gpt45-release-expected-weeks"]
    released = by_id["seed-gpt45-released-by-march-2025"]
    assert expected["known_at"] == "2025-02-20~" and expected["valid"].endswith("/..")
    assert released["known_at"] == "2025-03"
    assert (expected["subject"], expected["predicate"]) == (
        released["subject"],
        released["predicate"],
    )
