"""The as-of rules in one place.

- ``claims``: a claim as the rules see it (``ClaimRow``, ``SlotStart``);
- ``rules``: every rule in plain Python — known time, status in time, inertia, the rank in force
  on a known day, preference, contest, entity selection — with ``reference_facts``, which
  applies them to every claim (the reference the SQL is tested against), and ``settle``, the
  fast path that applies them to the candidates of a day;
- ``sql``: the same rules as SQL fragments, and the statements built from them;
- ``query``: one query path (``facts_as_of``) for an entity, a pair and the world.

The rules are stated with worked examples in docs/time-model.md.
"""
