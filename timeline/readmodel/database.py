"""The read model's connection: what it used of ``sqlite_utils.Database`` — ``conn``, and
``execute`` committing a write that no transaction holds — without importing sqlite-utils,
which (with numpy, click and pluggy behind it) would slow every command's start. The
``sqlite`` export still builds its file with sqlite-utils."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

#: Statements that open or close a transaction themselves: never committed after.
_TRANSACTION_CONTROL = frozenset({"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"})


def first_keyword(sql: str) -> str:
    """The first keyword of ``sql``, in capitals, after what SQLite skips before it (space,
    ``--`` and ``/* */`` comments, empty statements, a byte order mark); '' when none."""
    i, n = 0, len(sql)
    while i < n:
        if sql[i].isspace() or sql[i] in (";", "\ufeff"):
            i += 1
        elif sql.startswith("--", i):
            newline = sql.find("\n", i)
            if newline == -1:
                return ""
            i = newline + 1
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            if end == -1:
                return ""
            i = end + 2
        else:
            break
    j = i
    while j < n and (sql[j].isalpha() or sql[j] == "_"):
        j += 1
    return sql[i:j].upper()


class Database:
    """An SQLite connection (``conn``) whose ``execute`` commits a write outside a
    transaction at once, as sqlite-utils' ``Database.execute`` does (and undoes what a failed
    statement began), so that the read model's writes behave as they always have."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.execute("PRAGMA recursive_triggers=on;")

    def execute(self, sql: str, parameters: Sequence[Any] | Mapping[str, Any] | None = None
                ) -> sqlite3.Cursor:
        was_in_transaction = self.conn.in_transaction
        try:
            if parameters is not None:
                cursor = self.conn.execute(sql, parameters)
            else:
                cursor = self.conn.execute(sql)
        except Exception:
            if not was_in_transaction and self.conn.in_transaction:
                self.conn.execute("ROLLBACK")  # nothing would ever commit what it opened
            raise
        if (not was_in_transaction and self.conn.in_transaction and cursor.description is None
                and first_keyword(sql) not in _TRANSACTION_CONTROL):
            self.conn.execute("COMMIT")
        return cursor
