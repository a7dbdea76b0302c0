"""``hindsight diff``'s table: what differs between the states on the two dates, then every
transition on the days between, in day order (``Archive.diff``, ``Diff.transitions``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from timeline.api import Diff, counted, day_to_iso

Table = Callable[[Sequence[Sequence[str]], Sequence[str]], str]

#: How "not in the state" reads in a from→to column.
ABSENT = "—"


def diff_text(diff: Diff, table: Table) -> str:
    """The table output of ``hindsight diff`` (``table`` lays out rows under a header)."""
    first, last = day_to_iso(diff.before.as_of), day_to_iso(diff.after.as_of)
    rows = [("began", f.status, f.statement) for f in diff.began]
    rows += [("ended", f.status, f.statement) for f in diff.ended]
    rows += [("changed", f"{a.status}→{b.status}", b.statement) for a, b in diff.changed]
    recorded = (", as recorded on " + diff.after.recorded_as_of.replace("T", " ")[:19] + " UTC"
                if diff.after.recorded_as_of else "")
    lines = [f"From {first} to {last}{recorded}:", table(rows, ("CHANGE", "STATUS", "STATEMENT"))
             if rows else "no change"]
    if diff.transitions:
        steps = [(day_to_iso(t.day), t.kind,
                  f"{t.from_status or ABSENT}→{t.to_status or ABSENT}", t.statement)
                 for t in diff.transitions]
        days = len({t.day for t in diff.transitions})
        lines += ["", f"Transitions, day by day ({len(steps)} on {counted(days, 'day')}):",
                  table(steps, ("DAY", "WHAT", "STATUS", "STATEMENT"))]
    return "\n".join(lines)
