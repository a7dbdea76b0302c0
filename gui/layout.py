"""A deterministic force-directed layout for the relationship graph. Pure Python, no Qt.

The layout is computed once for every entity that appears in any claim, over every
relationship the archive has ever held, so that nodes keep their places while the slider moves
and edges come and go. When entities are added later (a correction, an import), the nodes
already placed are pinned and only the new ones move.

Fruchterman–Reingold with a little gravity (so that unconnected entities stay near the rest),
started from a spiral in name order and cooled over a fixed number of rounds: the same archive
gives the same picture every time.
"""

from __future__ import annotations

import bisect
import functools
import math
from collections.abc import Iterable, Mapping, Sequence

Point = tuple[float, float]

#: Above this many nodes the quadratic force loop is too slow to run in the UI thread; the
#: nodes are then placed on the spiral with only a few rounds of edge attraction.
FULL_LAYOUT_LIMIT = 160


def _spiral(k: int, spacing: float) -> Point:
    angle = k * 2.399963229728653  # the golden angle: even spread, no two nodes stacked
    radius = spacing * math.sqrt(k + 0.5)
    return radius * math.cos(angle), radius * math.sin(angle)


def force_layout(nodes: Sequence[str], edges: Iterable[tuple[str, str]],
                 pinned: Mapping[str, Point] | None = None, *, ideal: float = 150.0,
                 rounds: int = 500, aspect: float = 1.0, gravity: float = 1.0
                 ) -> dict[str, Point]:
    """Positions (pixels, centred near 0,0) for ``nodes``; ``pinned`` nodes do not move.

    ``aspect`` widens the picture (x stretched, y squeezed) to suit a landscape panel and
    names wider than they are tall."""
    pinned = dict(pinned or {})
    order = sorted(dict.fromkeys(nodes), key=lambda n: (n.casefold(), n))
    if not order:
        return {}
    links = _links(order, edges)
    sx, sy = math.sqrt(aspect), 1 / math.sqrt(aspect)
    # Forces act in an unstretched space; pinned positions are taken back into it.
    pos = [[pinned[n][0] / sx, pinned[n][1] / sy] if n in pinned else list(_spiral(k, ideal * 0.6))
           for k, n in enumerate(order)]
    if pinned:
        _place_newcomers(pos, order, links, pinned, ideal, sx, sy)
    free = [k for k, n in enumerate(order) if n not in pinned]
    if not free:
        return {n: pinned[n] for n in order}
    if len(order) > FULL_LAYOUT_LIMIT:
        rounds = min(rounds, 20)
    _settle(pos, links, free, ideal=ideal, rounds=rounds, gravity=gravity)
    return {n: pinned[n] if n in pinned else
            (round(pos[k][0] * sx, 3), round(pos[k][1] * sy, 3)) for k, n in enumerate(order)}


def _links(order: Sequence[str], edges: Iterable[tuple[str, str]]) -> dict[tuple[int, int], int]:
    """How many edges join each pair of nodes (by their index in ``order``; loops and edges
    to unknown nodes left out)."""
    index = {n: k for k, n in enumerate(order)}
    links: dict[tuple[int, int], int] = {}
    for a, b in edges:
        if a in index and b in index and a != b:
            pair = (min(index[a], index[b]), max(index[a], index[b]))
            links[pair] = links.get(pair, 0) + 1
    return links


def _place_newcomers(pos: list[list[float]], order: Sequence[str],
                     links: Mapping[tuple[int, int], int], pinned: Mapping[str, Point],
                     ideal: float, sx: float, sy: float) -> None:
    """Start each node that is not pinned beside the pinned neighbours it links to (or near
    the pinned nodes' centre), not on the far spiral."""
    cx = sum(p[0] for p in pinned.values()) / len(pinned) / sx
    cy = sum(p[1] for p in pinned.values()) / len(pinned) / sy
    around: dict[int, list[int]] = {}
    for a, b in links:
        around.setdefault(a, []).append(b)
        around.setdefault(b, []).append(a)
    fresh = 0
    for k, n in enumerate(order):
        if n in pinned:
            continue
        near = [pos[j] for j in around.get(k, ()) if order[j] in pinned]
        # Each newcomer takes the next place on a spiral (around what it links to), so
        # that even a thousand new entities start apart from each other.
        fresh += 1
        ox, oy = _spiral(fresh, ideal * 0.6)
        if near:
            pos[k] = [sum(p[0] for p in near) / len(near) + ox,
                      sum(p[1] for p in near) / len(near) + oy]
        else:
            pos[k] = [cx + ox, cy + oy]


def _settle(pos: list[list[float]], links: Mapping[tuple[int, int], int], free: Sequence[int],
            *, ideal: float, rounds: int, gravity: float) -> None:
    """Move the ``free`` nodes for ``rounds`` rounds of repulsion, attraction along links and
    gravity, cooling as they go (in place)."""
    count = len(pos)
    temperature = ideal * 1.5
    for step in range(rounds):
        disp = [[0.0, 0.0] for _ in range(count)]
        if count <= FULL_LAYOUT_LIMIT:
            _repel(pos, disp, ideal * ideal)
        _attract(pos, disp, links, ideal)
        limit = temperature * (1.0 - step / rounds) + 1.0
        _move(pos, disp, free, limit, gravity)


def _repel(pos: Sequence[list[float]], disp: Sequence[list[float]], k2: float) -> None:
    """Every pair of nodes pushes apart (the quadratic loop: small graphs only)."""
    count = len(pos)
    for i in range(count):
        xi, yi = pos[i]
        for j in range(i + 1, count):
            dx, dy = xi - pos[j][0], yi - pos[j][1]
            d2 = max(dx * dx + dy * dy, 1.0)
            f = k2 / d2  # (k^2 / d) / d: the unit vector folded in
            disp[i][0] += dx * f
            disp[i][1] += dy * f
            disp[j][0] -= dx * f
            disp[j][1] -= dy * f


def _attract(pos: Sequence[list[float]], disp: Sequence[list[float]],
             links: Mapping[tuple[int, int], int], ideal: float) -> None:
    """Linked nodes pull together."""
    for (i, j), weight in links.items():
        dx, dy = pos[i][0] - pos[j][0], pos[i][1] - pos[j][1]
        d = max(math.hypot(dx, dy), 1.0)
        # (d^2 / k) / d, with k longer for pairs with many claims: their label is tall
        # and needs the room.
        f = d / (ideal * min(weight, 8))
        disp[i][0] -= dx * f
        disp[i][1] -= dy * f
        disp[j][0] += dx * f
        disp[j][1] += dy * f


def _move(pos: Sequence[list[float]], disp: Sequence[list[float]], free: Sequence[int],
          limit: float, gravity: float) -> None:
    """Move each free node along its displacement, by at most ``limit``. ``gravity`` pulls
    every node towards the centre in proportion to its distance, so that nodes with few
    links settle at the rim of the picture instead of drifting away."""
    for k in free:
        dx = disp[k][0] - pos[k][0] * gravity
        dy = disp[k][1] - pos[k][1] * gravity
        d = math.hypot(dx, dy)
        if d > 0:
            move = min(d, limit)
            pos[k][0] += dx / d * move
            pos[k][1] += dy / d * move


def separate(pos: Mapping[str, Point], sizes: Mapping[str, tuple[float, float]], *,
             pinned: Iterable[str] = (), gap: float = 14.0, rounds: int = 60
             ) -> dict[str, Point]:
    """Push apart nodes whose boxes (``sizes``: width, height, centred on their position)
    overlap, along the axis where they overlap least; ``pinned`` nodes stay put.

    Only neighbours are compared (a grid of cells as large as the largest box), so that an
    archive of thousands of entities is laid out in moments, not minutes."""
    fixed = set(pinned)
    names = sorted(pos, key=lambda n: (n.casefold(), n))
    if not names:
        return {}
    if len(names) > FULL_LAYOUT_LIMIT:
        rounds = min(rounds, 10)
    at = {n: list(pos[n]) for n in names}
    cell_w = max(w for w, _ in (sizes.get(n, (0.0, 0.0)) for n in names)) + gap
    cell_h = max(h for _, h in (sizes.get(n, (0.0, 0.0)) for n in names)) + gap
    for _ in range(rounds):
        grid: dict[tuple[int, int], list[str]] = {}
        for n in names:
            grid.setdefault((int(at[n][0] // cell_w), int(at[n][1] // cell_h)), []).append(n)
        moved = False
        for a in names:
            wa, ha = sizes.get(a, (0.0, 0.0))
            cx, cy = int(at[a][0] // cell_w), int(at[a][1] // cell_h)
            near = [b for gx in (cx - 1, cx, cx + 1) for gy in (cy - 1, cy, cy + 1)
                    for b in grid.get((gx, gy), ()) if b > a]
            for b in near:
                wb, hb = sizes.get(b, (0.0, 0.0))
                dx = at[b][0] - at[a][0]
                dy = at[b][1] - at[a][1]
                over_x = (wa + wb) / 2 + gap - abs(dx)
                over_y = (ha + hb) / 2 + gap - abs(dy)
                if over_x <= 0 or over_y <= 0 or (a in fixed and b in fixed):
                    continue
                moved = True
                # Each moves half the way, or the free one all of it.
                share_a = 0.0 if a in fixed else (1.0 if b in fixed else 0.5)
                share_b = 1.0 - share_a
                if over_x / max(wa + wb, 1.0) < over_y / max(ha + hb, 1.0):
                    shift = over_x * (1 if dx >= 0 else -1)
                    at[a][0] -= shift * share_a
                    at[b][0] += shift * share_b
                else:
                    shift = over_y * (1 if dy >= 0 else -1)
                    at[a][1] -= shift * share_a
                    at[b][1] += shift * share_b
        if not moved:
            break
    return {n: (round(at[n][0], 3), round(at[n][1], 3)) for n in names}


def _gap(angle: float, taken: list[float]) -> float:
    """How far ``angle`` is from the nearest of ``taken`` (sorted, in [0, 2π)), round the
    circle; π when none is taken."""
    if not taken:
        return math.pi
    angle %= 2 * math.pi
    k = bisect.bisect_left(taken, angle)
    near = (taken[k % len(taken)], taken[k - 1])
    return min(abs((angle - a + math.pi) % (2 * math.pi) - math.pi) for a in near)


@functools.lru_cache(maxsize=8)
def ring_slots(count: int, *, first: float = 175.0, gap: float = 125.0, arc: float = 180.0,
               aspect: float = 1.5) -> tuple[Point, ...]:
    """At least ``count`` places around a centre at (0, 0), best first: ring after ring
    (an ellipse ``aspect`` times wider than tall, rings ``gap`` apart, places about ``arc``
    apart along each ring), and within a ring spread out — right, left, then in
    between — so that the first few places taken make a balanced picture.

    The neighbourhood of one entity (a large archive's focus) is drawn on these: the focus
    in the centre, each neighbour shown on a day in the best free place."""
    sx, sy = math.sqrt(aspect), 1 / math.sqrt(aspect)
    out: list[Point] = []
    inner: list[float] = []  # the angles of the places on the rings inside
    ring = 0
    while len(out) < count:
        radius = first + ring * gap
        n = max(6, int(2 * math.pi * radius / arc))
        # Turn the ring so that its places lie as far as can be from the directions of the
        # inner places: a spoke to an outer neighbour must not run through an inner one (it
        # would read as a chain of relationships).
        step = 2 * math.pi / n
        offset = max((step * k / 16 for k in range(16)),
                     key=lambda o: min(_gap(o + step * j, inner) for j in range(n)))
        inner = sorted(inner + [(offset + step * j) % (2 * math.pi) for j in range(n)])
        taken: set[int] = set()
        k = 0
        while len(taken) < n:
            # Van der Corput fractions 0, 1/2, 1/4, 3/4, ...: each new place in the largest gap.
            fraction, denominator, i = 0.0, 1.0, k
            while i:
                denominator *= 2
                fraction += (i % 2) / denominator
                i //= 2
            k += 1
            slot = round(fraction * n) % n
            while slot in taken:
                slot = (slot + 1) % n
            taken.add(slot)
            angle = offset + 2 * math.pi * slot / n
            out.append((round(radius * sx * math.cos(angle), 3),
                        round(radius * sy * math.sin(angle), 3)))
        ring += 1
    return tuple(out)


def spread_for_labels(pos: Mapping[str, Point], sizes: Mapping[str, tuple[float, float]],
                      labels: Mapping[tuple[str, str], tuple[float, float]], *,
                      gap: float = 32.0, shortest: float = 320.0, most: float = 4.0
                      ) -> dict[str, Point]:
    """The same layout stretched about its centre (never shrunk, at most ``most`` times) so
    that each edge's label (``labels``: width, height, by pair) fits between its two nodes'
    boxes (``sizes``) with ``gap`` to spare on each side, and no edge is shorter than
    ``shortest``: a picture of a few entities then has room for a label beside each line,
    clear of the nodes (boxes whose extents along the line do not meet cannot overlap)."""
    if len(pos) < 2:
        return dict(pos)
    factor = 1.0
    for (a, b), (lw, lh) in labels.items():
        if a not in pos or b not in pos:
            continue
        dx, dy = pos[b][0] - pos[a][0], pos[b][1] - pos[a][1]
        d = math.hypot(dx, dy)
        if d < 1e-6:
            continue
        ux, uy = abs(dx) / d, abs(dy) / d

        def half(name: str, ux: float = ux, uy: float = uy) -> float:
            w, h = sizes.get(name, (0.0, 0.0))
            return (ux * w + uy * h) / 2

        needed = max(shortest, half(a) + half(b) + ux * lw + uy * lh + 2 * gap)
        factor = max(factor, needed / d)
    factor = min(factor, most)
    cx = sum(x for x, _ in pos.values()) / len(pos)
    cy = sum(y for _, y in pos.values()) / len(pos)
    return {n: (round(cx + (x - cx) * factor, 3), round(cy + (y - cy) * factor, 3))
            for n, (x, y) in pos.items()}


def turn_wide(pos: Mapping[str, Point]) -> dict[str, Point]:
    """The same layout turned about its centre so that it is widest across (its principal
    axis horizontal): a picture is wider than tall, and so is a page turned landscape."""
    if len(pos) < 2:
        return dict(pos)
    cx = sum(x for x, _ in pos.values()) / len(pos)
    cy = sum(y for _, y in pos.values()) / len(pos)
    sxx = sum((x - cx) ** 2 for x, _ in pos.values())
    syy = sum((y - cy) ** 2 for _, y in pos.values())
    sxy = sum((x - cx) * (y - cy) for x, y in pos.values())
    angle = 0.5 * math.atan2(2 * sxy, sxx - syy)  # the principal axis' direction
    c, s = math.cos(-angle), math.sin(-angle)
    return {n: (round(cx + (x - cx) * c - (y - cy) * s, 3),
                round(cy + (x - cx) * s + (y - cy) * c, 3)) for n, (x, y) in pos.items()}
