"""The team archive on PostgreSQL: its layout in the archive's schema, how each member's
``hindsight`` opens and writes it, and ``hindsight team-setup``, which makes it and its roles.

The layout (``TEAM_FORMAT`` 2), all in the schema named by the URL's ``?schema=``:

- ``hindsight_events``: the eventsourcing library's events table, made by the library's own
  statements (with its composite type, its notification index and its insert function), plus
  one column of Hindsight's, ``recorded_by text DEFAULT current_user``: the database role that
  wrote the event, filled by the server. Members may insert only the four event columns, so no
  client can write another name there.
- ``hindsight_chain (position, digest)``: the hash chain, as in SQLite archives
  (``timeline.chain.chain_link``), written in the same transaction as the events.
- ``hindsight_authors (first, last, name, role)``: the name each write was made under (the
  app's preferences, ``HINDSIGHT_AUTHOR`` or the OS user: ``timeline.chain.local_author``),
  one row per write, inserted in the events' transaction. ``role`` defaults to
  ``current_user`` and members may insert only ``first, last, name``, so a row always names
  the role that wrote it; an event's name is read only from a row of its own role
  (``shown_author``: "Ana Lima (ana)"). The name is what the member says; the role is what the
  server vouches for. Added by layout 2.
- ``hindsight_archive (format)``: the layout's version.
- ``hindsight_lock_events()``: the library serialises writers with an EXCLUSIVE lock on the
  events table, which PostgreSQL grants only to roles that may UPDATE, DELETE or TRUNCATE it.
  Writers may not, so this SECURITY DEFINER function, owned by the archive's owner, takes the
  lock for them (EXECUTE for the writers only).

Opening never creates anything once the layout is there: the library's "create table if not
exists" is off (``CREATE_TABLE=n``), so writers need no CREATE right and do not have to own
anything. An empty schema is set up by whoever opens it first (that role becomes the owner);
an archive made by an older Hindsight (no layout version, or layout 1) is brought up to date
when its owner opens it to write, and opens read-only for everyone else until then.

``setup`` (``hindsight team-setup``) runs as the owner: it makes the schema and the layout, the
NOLOGIN group roles ``<schema>_writers`` and ``<schema>_readers``, the member roles that do not
exist yet, and the grants — readers SELECT; writers SELECT, INSERT of the event columns, the
chain and the authors' names (not their roles), the sequence and the lock; nobody but the
owner UPDATE, DELETE or TRUNCATE: events are never edited (docs/team-archive.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import psycopg
from eventsourcing.persistence import (
    InterfaceError,
    OperationalError,
    PersistenceError,
    ProgrammingError,
    StoredEvent,
)
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import retry
from psycopg.rows import DictRow
from psycopg.sql import SQL, Composable, Composed, Identifier, Literal

from timeline.chain import (
    GENESIS,
    STAMP_BYTES,
    _stored_id,
    author_name,
    chain_link,
    local_author,
)
from timeline.errors import ArchiveError, InvalidInput, first_line
from timeline.store import redact
from timeline.team_imports import TeamImports

#: Version of the layout in the schema (``hindsight_archive``).
TEAM_FORMAT = 2

EVENTS = "hindsight_events"
CHAIN = "hindsight_chain"
AUTHORS = "hindsight_authors"
MARKER = "hindsight_archive"
LOCK = "hindsight_lock_events"
#: The columns a writer may insert into the events table (not ``recorded_by``, not the
#: notification id: the server fills both).
EVENT_COLUMNS = ("originator_id", "originator_version", "topic", "state")
#: The columns of ``hindsight_authors`` a writer may insert (not ``role``: the server fills it).
AUTHOR_COLUMNS = ("first", "last", "name")


def shown_author(name: str | None, role: str) -> str:
    """How the author of an event on a team archive reads: the name its writer gave, then the
    role the server noted — "Ana Lima (ana)" — or the role alone when no name was recorded
    (events written before layout 2), when the name is the role, or when it is not a name
    Hindsight records (one slipped in past Hindsight with a control character, say)."""
    if name is None or name == role:
        return role
    try:
        if author_name(name, "name") != name:
            return role
    except InvalidInput:
        return role
    return f"{name} ({role})"


#: Events a write sends through the library's pipeline. A larger write sends its
#: statements one by one: in pipeline mode psycopg 3.3 waited for ever on an insert of some
#: 15,000 events or more (a statement of many megabytes), the server waiting for the rest of it.
PIPELINE_EVENTS = 1000


class TeamRecorder(TeamImports, PostgresApplicationRecorder):
    """The library's PostgreSQL recorder on a team archive's layout: it sets the layout up in
    an empty schema, takes the writers' lock through ``hindsight_lock_events()``, writes the
    hash chain in the events' transaction and reads who wrote each event."""

    def __init__(self, datastore: PostgresDatastore, *,
                 events_table_name: str = "stored_events") -> None:
        try:
            super().__init__(datastore, events_table_name=events_table_name)
        except ProgrammingError as exc:  # it reads the schema's types: a stranger may not
            if "permission denied" not in str(exc):
                raise
            kwargs = datastore.pool.kwargs
            user = kwargs.get("user", "") if isinstance(kwargs, dict) else ""
            raise _may_not_read(str(user), exc) from None
        self.schema = Identifier(datastore.schema)
        self.table = Identifier(events_table_name)
        self.chain = Identifier(CHAIN)
        self.lock_table_statements = [
            SQL("SET LOCAL lock_timeout = '{0}s'").format(datastore.lock_timeout),
            SQL("SELECT {0}.{1}()").format(self.schema, Identifier(LOCK)),
        ]
        #: Why this role cannot write (an archive an older Hindsight set up, until its owner
        #: opens it to write), or None.
        self.read_only_reason: str | None = None
        #: The role this connection writes as (the server's ``current_user``).
        self.current_user = ""
        #: The role that owns the archive's tables ("" before the archive is set up).
        self.owner = ""
        #: The layout is not there at all (an empty schema): ``create_table`` sets it up.
        self.missing = False
        #: The layout's version (None: none, an older Hindsight's archive or an empty schema).
        self.format: int | None = None
        #: The name this process writes under (``local_author``), set by each write.
        self._name: str | None = None
        with self.datastore.transaction(commit=False) as curs:
            self._inspect(self._state(curs))

    # --- the layout -----------------------------------------------------------------------

    def _q(self, text: str, **names: Composable) -> Composed:
        return SQL(text).format(schema=self.schema, events=self.table, chain=self.chain,
                                authors=Identifier(AUTHORS), **names)

    def _state(self, curs: psycopg.Cursor[DictRow]) -> dict[str, Any]:
        schema = self.datastore.schema
        curs.execute(
            "SELECT current_user AS me, to_regnamespace(quote_ident(%(s)s)) AS schema, "
            "to_regclass(quote_ident(%(s)s) || '.' || quote_ident(%(e)s)) AS events, "
            "to_regclass(quote_ident(%(s)s) || '.' || quote_ident(%(m)s)) AS marker, "
            "(SELECT tableowner FROM pg_tables WHERE schemaname = %(s)s "
            "AND tablename = %(e)s) AS owner",
            {"s": schema, "e": self.events_table_name, "m": MARKER})
        state = dict(curs.fetchone() or {})
        if state["marker"] is not None:
            try:
                with curs.connection.transaction():
                    curs.execute(self._q("SELECT max(format) AS format FROM {schema}.{marker}",
                                         marker=Identifier(MARKER)))
                    state["format"] = (curs.fetchone() or {}).get("format")
            except psycopg.errors.InsufficientPrivilege as exc:
                raise _may_not_read(state["me"], exc) from None
        return state

    def _inspect(self, state: dict[str, Any]) -> None:
        """Take in the schema's state; refuse a layout newer than this Hindsight reads."""
        schema = self.datastore.schema
        self.current_user = state["me"]
        self.owner = state["owner"] or ""
        if state["schema"] is None:
            raise PersistenceError(
                f"there is no schema '{schema}' in this database: a team archive is made "
                "with `hindsight team-setup` (docs/team-archive.md)")
        self.missing = state["events"] is None and state["marker"] is None
        self.read_only_reason = None
        self.format = state.get("format") if state["marker"] is not None else None
        if state["marker"] is not None and (not isinstance(self.format, int)
                                            or self.format > TEAM_FORMAT):
            raise PersistenceError(
                f"archive layout {state.get('format')} in schema '{schema}' is newer than "
                f"this Hindsight reads ({TEAM_FORMAT}) — please upgrade")
        if not self.missing and (self.format is None or self.format < TEAM_FORMAT):
            layout = f" (layout {self.format})" if self.format is not None else ""
            self.read_only_reason = (
                f"this archive was set up by an older Hindsight{layout}: its owner "
                f"{self.owner} runs `hindsight team-setup` once (or writes once) to bring it "
                "up to date before anyone else writes")

    def create_table(self) -> None:
        """Called by the library when the opener may create (a write command): set up an
        empty schema, or bring an older Hindsight's archive up to date when this role owns
        it. An archive already set up is left alone — nothing is created on it, so members
        need neither CREATE rights nor to own anything."""
        if not (self.missing or self.read_only_reason):
            return
        schema = self.datastore.schema
        with self.datastore.transaction(commit=True) as curs:
            # One opener at a time sets up or upgrades, the others then find it done.
            curs.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"hindsight:{schema}",))
            self._inspect(self._state(curs))
            if not (self.missing or self.read_only_reason):
                return
            legacy = not self.missing
            try:
                with curs.connection.transaction():
                    # Only an archive without a layout has no chain to keep: a layout-1 one
                    # keeps its chain as it is (rebuilding it would hide an altered event).
                    self._create_layout(curs, unchained=legacy and self.format is None)
            except psycopg.errors.InsufficientPrivilege as exc:
                if legacy:
                    return  # not its owner: it reads, and read_only_reason says why not more
                del exc  # "permission denied …" would read as a reader's refusal
                raise PersistenceError(
                    f"schema '{schema}' holds no archive yet, and role {self.current_user} "
                    "may not create one there: its owner sets it up with "
                    "`hindsight team-setup` (docs/team-archive.md)") from None
            self._inspect(self._state(curs))
        # The composite type may have just been made, by the transaction above.
        self.datastore.register_type_adapters()

    def _create_layout(self, curs: psycopg.Cursor[DictRow], *, unchained: bool) -> None:
        """The library's objects, then Hindsight's (inside the caller's transaction)."""
        for statement in self.sql_create_statements:
            if "CREATE TYPE" in statement.as_string():
                curs.execute(SQL("SELECT to_regtype({0}) AS t").format(Literal(
                    f"{_quoted(self.datastore.schema)}."
                    f"{_quoted(self.stored_event_type_name)}")))
                if (curs.fetchone() or {}).get("t") is None:
                    curs.execute(statement, prepare=False)
        self._create_table(curs)
        curs.execute(self._q("ALTER TABLE {schema}.{events} "
                             "ADD COLUMN IF NOT EXISTS recorded_by text"))
        # Set apart from ADD COLUMN: events stored before have no author (NULL), rather
        # than the name of whoever upgrades the archive.
        curs.execute(self._q("ALTER TABLE {schema}.{events} "
                             "ALTER COLUMN recorded_by SET DEFAULT current_user"))
        curs.execute(self._q("CREATE TABLE IF NOT EXISTS {schema}.{chain} "
                             "(position bigint PRIMARY KEY, digest text NOT NULL)"))
        curs.execute(self._q(
            "CREATE OR REPLACE FUNCTION {schema}.{lock}() RETURNS void LANGUAGE plpgsql "
            "SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $body$ BEGIN "
            "LOCK TABLE {schema}.{events} IN EXCLUSIVE MODE; END $body$", lock=Identifier(LOCK)))
        curs.execute(self._q("REVOKE ALL ON FUNCTION {schema}.{lock}() FROM PUBLIC",
                             lock=Identifier(LOCK)))
        self._create_authors(curs)
        if unchained:
            self._build_chain(curs)
        curs.execute(self._q("CREATE TABLE IF NOT EXISTS {schema}.{marker} "
                             "(format integer NOT NULL)", marker=Identifier(MARKER)))
        curs.execute(self._q("INSERT INTO {schema}.{marker} VALUES (%s)",
                             marker=Identifier(MARKER)), (TEAM_FORMAT,))

    def _create_authors(self, curs: psycopg.Cursor[DictRow]) -> None:
        """Layout 2's ``hindsight_authors``, granted to the archive's groups when they exist
        already (an upgrade: ``team-setup`` grants it otherwise)."""
        curs.execute(self._q(
            "CREATE TABLE IF NOT EXISTS {schema}.{authors} (first bigint NOT NULL, "
            "last bigint NOT NULL, name text NOT NULL, role text NOT NULL DEFAULT current_user, "
            "PRIMARY KEY (role, first), CHECK (first <= last))"))
        schema = self.datastore.schema
        for group, grant in ((f"{schema}_writers",
                              f"SELECT, INSERT ({', '.join(AUTHOR_COLUMNS)})"),
                             (f"{schema}_readers", "SELECT")):
            curs.execute("SELECT to_regrole(%s) AS r", (_quoted(group),))
            if (curs.fetchone() or {}).get("r") is not None:
                curs.execute(self._q(f"GRANT {grant} ON {{schema}}.{{authors}} TO {{group}}",
                                     group=Identifier(group)))

    def _build_chain(self, curs: psycopg.Cursor[DictRow]) -> None:
        """Chain the events an older Hindsight stored (they were stored without one)."""
        curs.execute(self._q("LOCK TABLE {schema}.{events} IN EXCLUSIVE MODE"))
        curs.execute(self._q("DELETE FROM {schema}.{chain}"))
        previous, links = GENESIS, []
        with curs.connection.cursor(name="hindsight_chain_build") as rows:
            rows.execute(self._q("SELECT notification_id, originator_id, originator_version, "
                                 "topic, state FROM {schema}.{events} "
                                 "ORDER BY notification_id"))
            for row in rows:
                position = row["notification_id"]
                previous = chain_link(previous, position, _stored_id(row["originator_id"]),
                                      row["originator_version"], row["topic"],
                                      bytes(row["state"]))
                links.append((position, previous))
        curs.executemany(self._q("INSERT INTO {schema}.{chain} (position, digest) "
                                 "VALUES (%s, %s)"), links)

    # --- writing --------------------------------------------------------------------------

    def insert_events(self, stored_events: Sequence[StoredEvent],
                      **kwargs: Any) -> Sequence[int] | None:
        if self.read_only_reason:
            raise PersistenceError(self.read_only_reason)
        self._name = local_author()  # a bad HINDSIGHT_AUTHOR refuses the write, first
        try:
            if len(stored_events) > PIPELINE_EVENTS:
                return self._insert_unpipelined(stored_events, **kwargs)
            return super().insert_events(stored_events, **kwargs)
        except (ProgrammingError, OperationalError, psycopg.errors.PipelineAborted) as exc:
            # In the library's pipeline the refusal may surface as the statement after it,
            # aborted (psycopg's PipelineAborted, which the library's connection passes on as
            # its own OperationalError): then the role's own rights say whether it was one.
            if isinstance(exc, OperationalError) and "pipeline aborted" not in str(exc).lower():
                raise  # another failure of the connection, no refusal
            if "permission denied" not in str(exc) and self._may_insert():
                raise
            raise self._refusal(exc) from None

    def _refusal(self, exc: BaseException) -> ProgrammingError:
        """A refused write said plainly: this role may only read, and how its owner lets it
        write."""
        why = first_line(exc) if "permission denied" in str(exc) else \
            f"permission denied to insert into {self.datastore.schema}.{EVENTS}"
        return ProgrammingError(
            f"role {self.current_user} may only read this archive ({why}); its owner "
            f"{self.owner} lets it write with `hindsight team-setup URL --writers "
            f"{self.current_user}`")

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def _insert_unpipelined(self, stored_events: Sequence[StoredEvent],
                            **kwargs: Any) -> Sequence[int] | None:
        """The library's ``insert_events`` with its statements sent one by one, in one
        transaction: the same lock, events, positions, chain links and author rows, the
        events inserted ``INSERT_CHUNK`` at a time (a million in one statement is more than
        the server takes in one message)."""
        with self.datastore.get_connection() as conn, conn.transaction(), \
                conn.cursor() as curs:
            self._insert_events(curs, stored_events, **kwargs)
            return self._insert_chunks(curs, stored_events)

    def _may_insert(self) -> bool:
        """Whether this connection's role may insert events (asked anew, after a failure). A
        writer's right is on the events' columns (``_roles_and_grants``), which
        ``has_table_privilege`` does not count."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self._q("SELECT has_any_column_privilege(current_user, "
                                 "'{schema}.{events}', 'INSERT') AS ok"))
            row = curs.fetchone()
        return bool(row and row["ok"])

    def _fetch_ids_after_insert_events(self, curs: psycopg.Cursor[DictRow],
                                       stored_events: Sequence[StoredEvent],
                                       **kwargs: Any) -> Sequence[int] | None:
        """The library's positions for the new events; then their chain links, in the same
        transaction. Writers hold the events table's lock, so the chain's last digest is the
        one before these events and nobody appends in between."""
        ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        if not ids:
            return ids
        curs.execute(self._q("SELECT digest FROM {schema}.{chain} "
                             "ORDER BY position DESC LIMIT 1"))
        row = curs.fetchone()
        previous = row["digest"] if row else GENESIS
        links = []
        for position, stored in sorted(zip(ids, stored_events, strict=True),
                                       key=lambda pair: pair[0]):
            previous = chain_link(previous, position, _stored_id(stored.originator_id),
                                  stored.originator_version, stored.topic, stored.state)
            links.append((position, previous))
        curs.executemany(self._q("INSERT INTO {schema}.{chain} (position, digest) "
                                 "VALUES (%s, %s)"), links)
        if self._name is not None:  # the role is the server's: DEFAULT current_user
            curs.execute(self._q("INSERT INTO {schema}.{authors} (first, last, name) "
                                 "VALUES (%s, %s, %s)"), (min(ids), max(ids), self._name))
        return ids

    # --- reading --------------------------------------------------------------------------

    @property
    def author(self) -> str:
        """Who this process's writes read as written by: ``shown_author`` of the name it
        writes under (``local_author``) and its role."""
        return shown_author(local_author(), self.current_user)

    def _authored(self, where: str, params: Sequence[Any],
                  topic: str = "") -> list[dict[str, Any]]:
        """The events ``where`` selects that have a role noted, in log order: ``p``, ``role``,
        ``name`` (from a ``hindsight_authors`` row of that role covering it, the latest
        starting; None without one), ``tx`` (the transaction that wrote it) and ``state``
        (of the events of ``topic`` only)."""
        if self.format is None:
            return []  # no layout yet (an older Hindsight's archive): no author column
        name = "NULL::text" if self.format < 2 else (
            "(SELECT a.name FROM {schema}.{authors} a WHERE a.role = e.recorded_by AND "
            "a.first <= e.notification_id AND a.last >= e.notification_id "
            "ORDER BY a.first DESC LIMIT 1)")
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self._q(
                "SELECT e.notification_id AS p, e.recorded_by AS role, " + name + " AS name, "
                "e.xmin::text AS tx, CASE WHEN e.topic = %s THEN e.state END AS state "
                "FROM {schema}.{events} e WHERE e.recorded_by IS NOT NULL AND " + where +
                " ORDER BY e.notification_id"), (topic, *params))
            return curs.fetchall()

    def stamp_rows(self, after: int, limit: int) -> list[tuple[int, bytes]]:
        """``ChainedRecorder.stamp_rows``: positions with the first bytes of each state."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self._q("SELECT notification_id AS p, substring(state FROM 1 FOR "
                                 f"{STAMP_BYTES}) AS s FROM {{schema}}.{{events}} "
                                 "WHERE notification_id > %s ORDER BY notification_id LIMIT %s"),
                         (after, limit))
            return [(row["p"], bytes(row["s"])) for row in curs.fetchall()]

    def recorded_by_between(self, after: int, last: int) -> dict[int, str]:
        """Who wrote each event at a position in (after, last]: the name its writer gave and
        the role the server noted (``shown_author``)."""
        rows = self._authored("e.notification_id > %s AND e.notification_id <= %s",
                              (after, last))
        return {row["p"]: shown_author(row["name"], row["role"]) for row in rows}

    def written_by(self, author: str, topic: str) -> list[dict[str, Any]]:
        """The events of this connection's role whose author reads ``author``
        (``shown_author``: a role that wrote under two names is two authors, and its events
        from before names were recorded are its role's alone), in log order: ``p``, ``tx``
        and ``state`` (of the events of ``topic`` only)."""
        rows = self._authored("e.recorded_by = %s", (self.current_user,), topic)
        return [row for row in rows if shown_author(row["name"], row["role"]) == author]

    def chain_rows(self) -> Iterator[dict[str, Any]]:
        """Every stored event and every chain digest, matched by position, in one snapshot:
        ``position``, ``stored`` (is there an event), ``originator_id`` (as chained),
        ``originator_version``, ``topic``, ``state`` and ``digest`` (None when missing)."""
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor(
                name="hindsight_verify") as rows:
            rows.execute(self._q(
                "SELECT coalesce(e.notification_id, c.position) AS position, "
                "e.notification_id IS NOT NULL AS stored, e.originator_id, "
                "e.originator_version, e.topic, e.state, c.digest "
                "FROM {schema}.{events} e FULL JOIN {schema}.{chain} c "
                "ON c.position = e.notification_id ORDER BY 1"))
            for row in rows:
                yield {**row, "originator_id": _stored_id(row["originator_id"])
                       if row["originator_id"] is not None else None,
                       "state": bytes(row["state"]) if row["state"] is not None else b""}

    def has_chain(self) -> bool:
        return self.read_only_reason is None

    def chain_digest(self, position: int) -> str | None:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self._q("SELECT digest FROM {schema}.{chain} WHERE position = %s"),
                         (position,))
            row = curs.fetchone()
            return row["digest"] if row else None


def _value(con: psycopg.Connection[Any], query: str, *params: Any) -> Any:
    """The first column of the first row of ``query`` (None when there is none)."""
    row = con.execute(query, params or None).fetchone()
    return row[0] if row else None


def _may_not_read(role: str, exc: BaseException) -> PersistenceError:
    return PersistenceError(f"role {role} may not read this archive ({first_line(exc)}): its owner "
                            f"lets it read with `hindsight team-setup URL --readers {role}`")


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- hindsight team-setup ---------------------------------------------------------------------

#: A role name Hindsight accepts: letters, digits and ``_ $ . @ -``, not starting with a digit
#: (PostgreSQL allows more when quoted; these need no quoting in psql and read well in logs).
_ROLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_$.@-]*$")
_SCHEMA = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: Names that are not roles one may grant to, or that PostgreSQL reserves.
_NOT_ROLES = {"public", "none", "all", "current_user", "session_user", "current_role", "user"}
#: Bytes PostgreSQL keeps of a name.
NAME_BYTES = 63


@dataclass
class Setup:
    """What ``setup`` did."""

    url: str
    schema: str
    owner: str
    writers_group: str
    readers_group: str
    events: int = 0
    created: list[str] = field(default_factory=list)  # roles made
    writers: list[str] = field(default_factory=list)
    readers: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"team archive ready: {redact(self.url)} (schema {self.schema}, layout "
               f"{TEAM_FORMAT}, {self.events:,} events, owned by {self.owner})"]
        for role in self.created:
            out.append(f"created role {role}")
        out.append(f"writers ({self.writers_group}): {', '.join(self.writers) or '-'}")
        out.append(f"readers ({self.readers_group}): {', '.join(self.readers) or '-'}")
        return out


def role_names(text: str | None, option: str) -> list[str]:
    """``ana,ben`` as role names, each checked: normalised (spaces around a name dropped,
    repeats dropped), then validated, so exactly what was checked is used."""
    if text is None:
        return []
    names: list[str] = []
    for k, raw in enumerate(text.split(",")):
        name = raw.strip()
        where = f"{option}[{k}]"
        if not name:
            raise InvalidInput(f"{where}: an empty role name (give ROLE[,ROLE…])")
        if len(name.encode()) > NAME_BYTES:
            raise InvalidInput(f"{where}: role name '{name}' is longer than PostgreSQL keeps "
                               f"({NAME_BYTES} bytes)")
        if not _ROLE.match(name):
            raise InvalidInput(f"{where}: '{name}' is not a role name Hindsight accepts "
                               "(letters, digits and _ $ . @ -, not starting with a digit)")
        if name.lower() in _NOT_ROLES or name.lower().startswith("pg_"):
            raise InvalidInput(f"{where}: '{name}' is reserved by PostgreSQL, not a member's "
                               "role")
        if name not in names:
            names.append(name)
    return names


def _schema_of(url: str) -> str:
    from timeline.store import _postgres_env

    try:
        schema = _postgres_env(url)["POSTGRES_SCHEMA"] or "public"
    except ArchiveError as exc:  # an unknown option
        raise InvalidInput(str(exc)) from None
    if not _SCHEMA.match(schema) or len(schema.encode()) > NAME_BYTES - len("_writers"):
        raise InvalidInput(f"URL: schema '{schema}' is not a schema name Hindsight accepts "
                           "(letters, digits and _, not starting with a digit, up to "
                           f"{NAME_BYTES - len('_writers')} bytes)")
    if schema.lower().startswith("pg_") or schema.lower() == "information_schema":
        raise InvalidInput(f"URL: schema '{schema}' is reserved by PostgreSQL")
    return schema


def check_arguments(url: str, writers: Sequence[str], readers: Sequence[str]) -> str:
    """Everything ``setup`` can check before it connects; returns the schema."""
    from timeline.store import is_postgres

    if not is_postgres(url):
        raise InvalidInput(f"URL: '{url}' is not a PostgreSQL address "
                           "(postgresql://OWNER@HOST[:PORT]/DATABASE?schema=NAME)")
    schema = _schema_of(url)
    from timeline.store import _postgres_env

    owner = _postgres_env(url)["POSTGRES_USER"]
    if owner in (*writers, *readers):
        raise InvalidInput(f"'{owner}' is the URL's user, who sets up and owns the archive (it "
                           "may do anything, editing events included): give members other "
                           "roles")
    both = [r for r in writers if r in readers]
    if both:
        raise InvalidInput(f"--readers: '{both[0]}' is also given as a writer (a role is one "
                           "or the other)")
    groups = {f"{schema}_writers", f"{schema}_readers"}
    for role in (*writers, *readers):
        if role in groups:
            raise InvalidInput(f"'{role}' is one of the archive's group roles, not a member")
    return schema


def _connect(url: str) -> psycopg.Connection[Any]:
    from timeline.store import _postgres_env

    env = _postgres_env(url)
    try:
        return psycopg.connect(
            dbname=env["POSTGRES_DBNAME"], host=env["POSTGRES_HOST"],
            port=env["POSTGRES_PORT"], user=env["POSTGRES_USER"],
            password=env["POSTGRES_PASSWORD"] or None,
            connect_timeout=int(env["POSTGRES_CONNECT_TIMEOUT"] or 5), autocommit=True)
    except psycopg.Error as exc:
        raise ArchiveError(f"{redact(url)}: cannot connect ({first_line(exc)})") from None


def setup(url: str, writers: Sequence[str] = (), readers: Sequence[str] = ()) -> Setup:
    """Make (or bring up to date) a team archive and its roles, as its owner (the URL's
    user). Safe to run again: to add members, or to move one from writer to reader."""
    schema = check_arguments(url, writers, readers)
    from timeline.store import EventStore

    with _connect(url) as con:
        superuser = bool(_value(con, "SELECT rolsuper FROM pg_roles WHERE rolname = "
                                     "current_user"))
        if _value(con, "SELECT to_regnamespace(quote_ident(%s))", schema) is None:
            try:
                con.execute(SQL("CREATE SCHEMA IF NOT EXISTS {0}").format(Identifier(schema)))
            except psycopg.Error as exc:
                raise ArchiveError(f"{redact(url)}: cannot create schema {schema} "
                                   f"({first_line(exc)})") from None
    # The layout, made (or brought up to date) by the recorder exactly as an opener would.
    store = EventStore(url)
    try:
        recorder = store.recorder
        if recorder.read_only_reason or not (recorder.owner == recorder.current_user
                                             or superuser):
            # Another role's GRANT on these tables would only warn and grant nothing.
            raise ArchiveError(
                f"{redact(url)}: the archive's tables belong to {recorder.owner}, not "
                f"{recorder.current_user}: run team-setup as their owner; nothing was changed")
        done = Setup(url, schema, recorder.owner, f"{schema}_writers", f"{schema}_readers",
                     events=store.max_position(), writers=list(writers),
                     readers=list(readers))
    finally:
        store.close()
    with _connect(url) as con:
        try:
            with con.transaction():
                _roles_and_grants(con, done)
        except psycopg.Error as exc:
            raise ArchiveError(f"{redact(url)}: nothing was changed in the roles and grants "
                               f"({first_line(exc)})") from None
    return done


def _roles_and_grants(con: psycopg.Connection[Any], done: Setup) -> None:
    schema = Identifier(done.schema)
    writers, readers = Identifier(done.writers_group), Identifier(done.readers_group)

    def run(text: str, *args: Any, **names: Composable) -> None:
        con.execute(SQL(text).format(schema=schema, writers=writers, readers=readers,
                                     events=Identifier(EVENTS), chain=Identifier(CHAIN),
                                     authors=Identifier(AUTHORS),
                                     marker=Identifier(MARKER), lock=Identifier(LOCK),
                                     **names), args or None)

    def exists(role: str) -> bool:
        return con.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() \
            is not None

    for group in (done.writers_group, done.readers_group):
        if not exists(group):
            run("CREATE ROLE {group} NOLOGIN", group=Identifier(group))
            done.created.append(f"{group} (NOLOGIN group)")
    for member in (*done.writers, *done.readers):
        if member == done.owner:
            raise InvalidInput(f"'{member}' owns the archive (it may do anything, editing "
                               "events included): give members other roles")
        if not exists(member):
            run("CREATE ROLE {member} LOGIN", member=Identifier(member))
            done.created.append(f"{member} (LOGIN)")
    sequence = str(_value(con, "SELECT pg_get_serial_sequence(%s, 'notification_id')",
                          f"{_quoted(done.schema)}.{_quoted(EVENTS)}"))
    tables = "{schema}.{events}, {schema}.{chain}, {schema}.{authors}, {schema}.{marker}"
    # Nobody but the owner edits or deletes: not the groups, the members or PUBLIC.
    for grantee in ("PUBLIC", "{writers}", "{readers}"):
        run(f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {tables} FROM {grantee}")
    run("REVOKE ALL ON FUNCTION {schema}.{lock}() FROM PUBLIC")
    run("GRANT USAGE ON SCHEMA {schema} TO {writers}, {readers}")
    run(f"GRANT SELECT ON {tables} TO {{writers}}, {{readers}}")
    columns = SQL(", ").join(Identifier(c) for c in EVENT_COLUMNS)
    run("GRANT INSERT ({columns}) ON {schema}.{events} TO {writers}", columns=columns)
    run("GRANT INSERT (position, digest) ON {schema}.{chain} TO {writers}")
    run("GRANT INSERT ({columns}) ON {schema}.{authors} TO {writers}",
        columns=SQL(", ").join(Identifier(c) for c in AUTHOR_COLUMNS))
    run("GRANT USAGE ON SEQUENCE {sequence} TO {writers}", sequence=SQL(sequence))
    run("GRANT EXECUTE ON FUNCTION {schema}.{lock}() TO {writers}")
    for member in done.writers:
        m = Identifier(member)
        run(f"REVOKE ALL ON {tables} FROM {{member}}", member=m)
        run("REVOKE {readers} FROM {member}", member=m)
        run("GRANT {writers} TO {member}", member=m)
    for member in done.readers:
        m = Identifier(member)
        run(f"REVOKE ALL ON {tables} FROM {{member}}", member=m)
        run("REVOKE EXECUTE ON FUNCTION {schema}.{lock}() FROM {member}", member=m)
        run("REVOKE {writers} FROM {member}", member=m)
        run("GRANT {readers} TO {member}", member=m)
    for group, names in ((done.writers_group, done.writers),
                         (done.readers_group, done.readers)):
        names[:] = [r[0] for r in con.execute(
            "SELECT m.rolname FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid "
            "JOIN pg_roles m ON m.oid = a.member WHERE g.rolname = %s ORDER BY 1", (group,))]
