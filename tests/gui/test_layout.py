"""The graph layout (pure): deterministic, and nodes once placed stay put."""

from __future__ import annotations

import math

from gui.layout import force_layout, separate

NODES = ["OpenAI", "Microsoft", "Sam Altman", "Satya Nadella", "Ilya", "Apple", "SoftBank"]
EDGES = [("Microsoft", "OpenAI"), ("Sam Altman", "OpenAI"), ("Satya Nadella", "Microsoft"),
         ("Satya Nadella", "Sam Altman"), ("Ilya", "OpenAI"), ("Apple", "OpenAI")]


def test_the_same_graph_gets_the_same_picture():
    assert force_layout(NODES, EDGES) == force_layout(list(reversed(NODES)), EDGES)


def test_unconnected_nodes_stay_near_the_rest():
    pos = force_layout(NODES, EDGES)
    radius = max(math.hypot(*p) for p in pos.values())
    assert math.hypot(*pos["SoftBank"]) <= radius
    assert radius < 1000


def test_pinned_nodes_do_not_move_when_new_ones_arrive():
    first = force_layout(NODES, EDGES)
    more = force_layout([*NODES, "Stargate"], [*EDGES, ("SoftBank", "Stargate")], pinned=first)
    assert {n: more[n] for n in NODES} == first
    assert "Stargate" in more


def test_separate_removes_overlaps_and_keeps_pinned_nodes():
    pos = {"a": (0.0, 0.0), "b": (10.0, 0.0), "c": (5.0, 3.0)}
    sizes = {n: (80.0, 24.0) for n in pos}
    out = separate(pos, sizes, pinned=["a"])
    assert out["a"] == (0.0, 0.0)
    names = sorted(out)
    for i, p in enumerate(names):
        for q in names[i + 1:]:
            dx = abs(out[p][0] - out[q][0])
            dy = abs(out[p][1] - out[q][1])
            assert dx >= 80 or dy >= 24
