"""Plain helpers shared by the reliability tests (the fixtures are in conftest.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

#: The claims of the file the kill -9 tests import: several chunks of the bulk import (5,000
#: events each), and a catch-up of the read model to kill it in.
BIG_CLAIMS = 10_000

@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


def namespaced(doc: dict[str, Any], prefix: str) -> dict[str, Any]:
    """A synthetic document whose names and ids cannot collide with another seed's."""
    doc = json.loads(json.dumps(doc))  # no citations shared between claims
    for source in doc["sources"]:
        source["id"] = f"{prefix}-{source['id']}"
    for entity in doc["entities"]:
        entity["name"] = f"{prefix} {entity['name']}"
        entity["aliases"] = [f"{prefix} {a}" for a in entity.get("aliases", [])]
    for claim in doc["claims"]:
        claim["subject"] = f"{prefix} {claim['subject']}"
        if "object" in claim:
            claim["object"] = f"{prefix} {claim['object']}"
        for citation in claim["sources"]:
            citation["source"] = f"{prefix}-{citation['source']}"
    return doc
