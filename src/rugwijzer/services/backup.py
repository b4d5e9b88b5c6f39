"""Backup and restore of the whole database: every user, every table the app owns.

One file format for SQLite and PostgreSQL (docs/operating.md, "Backups"), so that a backup made
on one can be restored into the other. The file is gzip-compressed UTF-8 text:

    line 1   RUGWIJZER-BACKUP 1            magic words and the format version
    line 2   the header, one JSON object: format, app_version, schema_revision (Alembic's
             version of the database), database ("sqlite" or "postgresql"), created_at (UTC,
             ISO 8601), tables ({name: {"columns": [...], "rows": n}}, in insert order) and
             body_sha256 (SHA-256 of the body's bytes, uncompressed)
    line 3…  the body: one JSON array per row, [table, [value, ...]], values in the header's
             column order; dates and times as ISO 8601 text, decimals as text

A consistent snapshot: SQLite is first copied with its online backup API (safe while the app
writes), then read; PostgreSQL is read in one SERIALIZABLE READ ONLY DEFERRABLE transaction.

A restore reads the whole file twice: first to check it (magic words, header, schema revision,
checksum, every row's table and width) without touching the database, then to load it in one
transaction, which also empties the tables first when `replace` is given. A file that fails the
check, or a load that fails, writes nothing. Columns are matched by name. A backup from an older
schema revision is loaded into a database without a schema at that revision (checked first
against that revision's schema built in memory), then migrated to the newest.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import sqlite3
import tempfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Literal

from pydantic import Field
from sqlalchemy import (
    JSON,
    Connection,
    Date,
    DateTime,
    Engine,
    LargeBinary,
    MetaData,
    Numeric,
    Table,
    delete,
    func,
    insert,
    select,
    text,
)

from rugwijzer import __version__
from rugwijzer.errors import InvalidInputError
from rugwijzer.messages import Code, Foreign
from rugwijzer.services.views import View
from rugwijzer.store.engine import make_engine, make_session_factory, transaction
from rugwijzer.store.migrate import MIGRATIONS, current_revision, head_revision, upgrade
from rugwijzer.store.models import Base

__all__ = [
    "FORMAT_VERSION",
    "MAGIC",
    "BackupView",
    "Progress",
    "RestoreView",
    "backup_database",
    "read_header",
    "restore_database",
]

MAGIC = "RUGWIJZER-BACKUP"
FORMAT_VERSION = 1
#: rows per INSERT statement on restore (one round trip each)
_BATCH = 500

#: a long piece of work reports (phase, table, rows done, rows in all) as it goes
Progress = Callable[[str, str, int, int], None]
DatabaseKind = Literal["sqlite", "postgresql"]


class BackupView(View):
    """What a backup wrote."""

    path: str
    database: DatabaseKind
    schema_revision: str
    created_at: datetime
    tables: dict[str, int] = Field(description="Rows per table.")
    size_bytes: int
    body_sha256: str


class RestoreView(View):
    """What a restore loaded."""

    database: DatabaseKind
    schema_revision: str
    source_database: str
    created_at: str
    tables: dict[str, int] = Field(description="Rows per table.")
    replaced_rows: int = Field(description="Rows deleted first (with --force), else 0.")


def _tables() -> list[Table]:
    """The app's tables in an order that inserts parents before children."""
    return list(Base.metadata.sorted_tables)


def _kind(engine: Engine) -> DatabaseKind:
    name = engine.dialect.name
    if name == "sqlite":
        return "sqlite"
    if name == "postgresql":
        return "postgresql"
    raise InvalidInputError(Code.BACKUP_UNSUPPORTED_DATABASE, database=Foreign(name))


def _nothing(_phase: str, _table: str, _done: int, _total: int) -> None:
    pass


# --- values ------------------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    """A column value as JSON (the column's type tells `_decode` how to read it back)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _decoder(table: Table, names: list[str]) -> list[tuple[str, Callable[[Any], Any]]]:
    """For each of the file's columns `names` of `table` (the file's order, which need not be
    the table's), the column's key and how to turn its JSON value back into a Python value."""
    decoders: list[tuple[str, Callable[[Any], Any]]] = []
    for name in names:
        column = table.columns[name]
        kind = column.type
        decode: Callable[[Any], Any]
        if isinstance(kind, JSON):
            decode = _same
        elif isinstance(kind, DateTime):
            decode = datetime.fromisoformat
        elif isinstance(kind, Date):
            decode = date.fromisoformat
        elif isinstance(kind, Numeric):
            decode = Decimal if kind.asdecimal else float
        elif isinstance(kind, LargeBinary):
            decode = base64.b64decode
        else:
            decode = _same
        decoders.append((column.key, _or_none(decode) if decode is not _same else decode))
    return decoders


def _same(value: Any) -> Any:
    return value


def _or_none(decode: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else decode(value)


# --- backup ------------------------------------------------------------------------------------


def backup_database(engine: Engine, out: Path, *, progress: Progress = _nothing) -> BackupView:
    """Write a backup of the whole database behind `engine` to `out` (whole or not at all,
    readable by its owner only). The database must be at the app's newest schema."""
    kind = _kind(engine)
    revision = current_revision(engine)
    head = head_revision()
    if revision is None or revision != head:
        raise InvalidInputError(Code.DATA_SCHEMA_OUTDATED, current=revision or "-", head=head)
    out = out.expanduser()
    with _snapshot(engine, kind, out.parent) as connection:
        return _write(connection, out, kind, revision, progress)


@contextmanager
def _snapshot(engine: Engine, kind: DatabaseKind, folder: Path) -> Iterator[Connection]:
    """A connection that sees one consistent state of the database. SQLite's copy is made in
    a private folder inside `folder` (beside the backup, not in a shared /tmp) and removed."""
    if kind == "postgresql":
        options = {
            "isolation_level": "SERIALIZABLE",
            "postgresql_readonly": True,
            "postgresql_deferrable": True,
        }
        with engine.connect().execution_options(**options) as connection, connection.begin():
            yield connection
        return
    # SQLite: the online backup API copies the whole database in one step inside one read
    # transaction, so the copy is one committed state; in WAL mode the app's writers go on
    # meanwhile. Then the copy is read at leisure.
    source_path = engine.url.database
    try:
        private = tempfile.TemporaryDirectory(prefix=".rugwijzer-snapshot-", dir=folder)
    except OSError as exc:
        raise _not_writable(folder, exc) from exc
    with private as private_folder:
        copy_path = Path(private_folder) / "snapshot.db"
        source = sqlite3.connect(source_path or ":memory:", timeout=10)
        try:
            target = sqlite3.connect(copy_path)
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
        copy = make_engine(f"sqlite:///{copy_path}")
        try:
            with copy.connect() as connection, connection.begin():
                yield connection
        finally:
            copy.dispose()


def _write(
    connection: Connection, out: Path, kind: DatabaseKind, revision: str, progress: Progress
) -> BackupView:
    tables = _tables()
    counts = {
        table.name: int(connection.execute(select(func.count()).select_from(table)).scalar_one())
        for table in tables
    }
    created_at = datetime.now(UTC).replace(microsecond=0)
    out = out.expanduser()
    folder = out.parent if str(out.parent) else Path(".")
    try:
        body_fd, body_name = tempfile.mkstemp(prefix=".rugwijzer-body-", dir=folder)
    except OSError as exc:
        raise _not_writable(out, exc) from exc
    body_path = Path(body_name)
    final_tmp = out.with_name(out.name + ".tmp")
    try:
        digest = hashlib.sha256()
        with os.fdopen(body_fd, "wb") as body:
            for table in tables:
                total, done = counts[table.name], 0
                progress("backup", table.name, 0, total)
                primary = list(table.primary_key.columns)
                query = select(table).order_by(*primary)
                result = connection.execution_options(yield_per=_BATCH).execute(query)
                for rows in result.partitions():
                    for row in rows:
                        line = _line([table.name, [_encode(value) for value in row]])
                        digest.update(line)
                        body.write(line)
                    done += len(rows)
                    progress("backup", table.name, done, total)
        header = {
            "format": FORMAT_VERSION,
            "app_version": __version__,
            "schema_revision": revision,
            "database": kind,
            "created_at": created_at.isoformat(),
            "tables": {
                table.name: {"columns": [c.name for c in table.columns], "rows": counts[table.name]}
                for table in tables
            },
            "body_sha256": digest.hexdigest(),
        }
        # health data: the file is for its owner's eyes only, from the moment it exists
        descriptor = os.open(final_tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb") as packed:
            packed.write(f"{MAGIC} {FORMAT_VERSION}\n".encode())
            packed.write(_line(header))
            with body_path.open("rb") as body_in:
                while chunk := body_in.read(1 << 20):
                    packed.write(chunk)
        final_tmp.replace(out)
    except OSError as exc:
        final_tmp.unlink(missing_ok=True)
        raise _not_writable(out, exc) from exc
    finally:
        body_path.unlink(missing_ok=True)
    return BackupView(
        path=str(out),
        database=kind,
        schema_revision=revision,
        created_at=created_at,
        tables=counts,
        size_bytes=out.stat().st_size,
        body_sha256=digest.hexdigest(),
    )


def _line(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def _not_writable(path: Path, exc: OSError) -> InvalidInputError:
    reason = Foreign(exc.strerror or type(exc).__name__)
    return InvalidInputError(Code.FILE_NOT_WRITABLE, path=str(path), reason=reason)


# --- reading a file ----------------------------------------------------------------------------


@contextmanager
def _opened(path: Path) -> Iterator[IO[bytes]]:
    try:
        with gzip.open(path, "rb") as stream:
            yield stream  # type: ignore[misc]  # a GzipFile is a binary file
    except FileNotFoundError as exc:
        raise InvalidInputError(Code.FILE_NOT_FOUND, path=str(path)) from exc
    except IsADirectoryError as exc:
        raise InvalidInputError(Code.FILE_IS_DIRECTORY, path=str(path)) from exc
    except PermissionError as exc:
        raise InvalidInputError(Code.FILE_NO_PERMISSION, path=str(path)) from exc
    except (EOFError, zlib.error) as exc:
        # cut short, or bytes changed inside the compressed stream
        raise _corrupt(path, exc) from exc
    except gzip.BadGzipFile as exc:
        raise InvalidInputError(Code.BACKUP_NOT_A_BACKUP, path=str(path)) from exc


def _corrupt(path: Path, exc: BaseException | str) -> InvalidInputError:
    reason = exc if isinstance(exc, str) else (str(exc) or type(exc).__name__)
    return InvalidInputError(Code.BACKUP_CORRUPT, path=str(path), reason=Foreign(reason))


def _read_header(path: Path, stream: IO[bytes]) -> dict[str, Any]:
    first = stream.readline(64)
    words = first.decode("utf-8", "replace").split()
    if len(words) != 2 or words[0] != MAGIC:
        raise InvalidInputError(Code.BACKUP_NOT_A_BACKUP, path=str(path))
    if not words[1].isdigit():
        raise _corrupt(path, "format version")
    if int(words[1]) > FORMAT_VERSION:
        raise InvalidInputError(
            Code.BACKUP_NEWER_FORMAT, path=str(path), version=int(words[1]), known=FORMAT_VERSION
        )
    try:
        header = json.loads(stream.readline())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise _corrupt(path, "header") from exc
    required = ("schema_revision", "database", "created_at", "tables", "body_sha256")
    if not isinstance(header, dict) or any(key not in header for key in required):
        raise _corrupt(path, "header")
    if not isinstance(header["tables"], dict):
        raise _corrupt(path, "header")
    return header


def read_header(path: Path) -> dict[str, Any]:
    """The header of the backup at `path` (its magic words and format checked, nothing else)."""
    with _opened(path) as stream:
        return _read_header(path, stream)


def _check_revision(path: Path, revision: object) -> str:
    from alembic.script import ScriptDirectory

    head = head_revision() or "-"
    scripts = ScriptDirectory(str(MIGRATIONS))
    known = {script.revision for script in scripts.walk_revisions()}
    if not isinstance(revision, str) or revision not in known:
        raise InvalidInputError(
            Code.BACKUP_NEWER_SCHEMA, path=str(path), revision=str(revision), head=head
        )
    return revision


def _schema_at(revision: str) -> list[Table]:
    """The app's tables as the migrations left them at `revision` (an older one than the
    models describe), built in a throwaway in-memory SQLite database and read back, in an
    order that inserts parents before children."""
    scratch = make_engine("sqlite://")
    try:
        upgrade(scratch, revision)
        metadata = MetaData()
        metadata.reflect(bind=scratch)
    finally:
        scratch.dispose()
    return [table for table in metadata.sorted_tables if table.name in Base.metadata.tables]


def _rows(path: Path, stream: IO[bytes]) -> Iterator[tuple[str, list[Any], bytes]]:
    for line in stream:
        try:
            table, values = json.loads(line)
        except (ValueError, TypeError) as exc:
            raise _corrupt(path, "row") from exc
        if not isinstance(table, str) or not isinstance(values, list):
            raise _corrupt(path, "row")
        yield table, values, line


def _verify(path: Path, progress: Progress) -> tuple[dict[str, Any], list[Table]]:
    """Check the whole file without touching any database. When all is well: its header, and
    the tables to load it into (the models' when the file is at the newest revision, else
    those the migrations made at the file's revision)."""
    with _opened(path) as stream:
        header = _read_header(path, stream)
        revision = _check_revision(path, header["schema_revision"])
        schema = _tables() if revision == head_revision() else _schema_at(revision)
        tables = {table.name: table for table in schema}
        described: Mapping[str, Any] = header["tables"]
        for name, about in described.items():
            table = tables.get(name)
            columns = about.get("columns") if isinstance(about, dict) else None
            if (
                table is None
                or not isinstance(columns, list)
                or len(columns) != len(table.columns)
                or set(columns) != {c.name for c in table.columns}
            ):
                raise _corrupt(path, f"table {name}")
            if not isinstance(about.get("rows"), int):
                raise _corrupt(path, f"table {name}")
        total = sum(int(about["rows"]) for about in described.values())
        digest = hashlib.sha256()
        seen: dict[str, int] = dict.fromkeys(described, 0)
        for done, (name, values, line) in enumerate(_rows(path, stream), start=1):
            digest.update(line)
            if name not in seen or len(values) != len(described[name]["columns"]):
                raise _corrupt(path, f"row of {name}")
            seen[name] += 1
            if done % 1000 == 0:
                progress("check", name, done, total)
        if digest.hexdigest() != header["body_sha256"]:
            raise _corrupt(path, "checksum")
        if any(seen[name] != described[name]["rows"] for name in described):
            raise _corrupt(path, "row count")
        progress("check", "", total, total)
    return header, [tables[name] for name in described]


# --- restore -----------------------------------------------------------------------------------


def restore_database(
    engine: Engine, path: Path, *, replace: bool = False, progress: Progress = _nothing
) -> RestoreView:
    """Load the backup at `path` into the database behind `engine`: one that is empty (its
    schema is made by the migrations when there is none), or any when `replace` is given (its
    rows are deleted first, in the same transaction). All or nothing.

    A backup from an older schema revision goes only into a database without a schema: the
    migrations make the schema of the backup's revision, the rows are loaded, and the
    migrations then bring it to the newest revision."""
    kind = _kind(engine)
    header, file_tables = _verify(path, progress)
    file_revision = str(header["schema_revision"])
    revision = current_revision(engine)
    head = head_revision()
    older = file_revision != head
    if older and revision is not None:
        raise InvalidInputError(
            Code.BACKUP_OLDER_SCHEMA, path=str(path), revision=file_revision, head=head or "-"
        )
    if revision is None:
        upgrade(engine, file_revision)
    elif revision != head:
        raise InvalidInputError(Code.DATA_SCHEMA_OUTDATED, current=revision, head=head)
    tables = _tables()
    if older:
        # the target's own tables at that revision, with its dialect's column types
        metadata = MetaData()
        names = [table.name for table in file_tables]
        metadata.reflect(bind=engine, only=names)
        tables = [metadata.tables[name] for name in names]
    by_name = {table.name: table for table in tables}
    decoders = {
        table.name: _decoder(table, header["tables"][table.name]["columns"])
        for table in tables
        if table.name in header["tables"]
    }
    counts: dict[str, int] = dict.fromkeys(header["tables"], 0)
    replaced = 0
    with transaction(make_session_factory(engine)) as session:
        connection = session.connection()
        existing = {
            table.name: int(
                connection.execute(select(func.count()).select_from(table)).scalar_one()
            )
            for table in tables
        }
        if any(existing.values()):
            if not replace:
                raise InvalidInputError(Code.BACKUP_TARGET_NOT_EMPTY, rows=sum(existing.values()))
            for table in reversed(tables):
                connection.execute(delete(table))
            replaced = sum(existing.values())
        with _opened(path) as stream:
            _read_header(path, stream)
            batch: list[dict[str, Any]] = []
            current = ""
            for name, values, _line_bytes in _rows(path, stream):
                if name != current:
                    _flush(connection, by_name.get(current), batch)
                    current = name
                    progress("restore", name, 0, header["tables"][name]["rows"])
                table = by_name[name]
                batch.append(
                    {
                        key: decode(value)
                        for (key, decode), value in zip(decoders[name], values, strict=True)
                    }
                )
                counts[name] += 1
                if len(batch) >= _BATCH:
                    _flush(connection, table, batch)
                    progress("restore", name, counts[name], header["tables"][name]["rows"])
            _flush(connection, by_name.get(current), batch)
        if kind == "postgresql":
            _reset_sequences(connection, tables)
    if older:
        upgrade(engine)
    return RestoreView(
        database=kind,
        schema_revision=str(header["schema_revision"]),
        source_database=str(header["database"]),
        created_at=str(header["created_at"]),
        tables=counts,
        replaced_rows=replaced,
    )


def _flush(connection: Connection, table: Table | None, batch: list[dict[str, Any]]) -> None:
    if table is not None and batch:
        connection.execute(insert(table), batch)
    batch.clear()


def _reset_sequences(connection: Connection, tables: list[Table]) -> None:
    """Rows came with their ids: move each id sequence past the largest one, so that the next
    row the app adds gets a new id."""
    for table in tables:
        for column in table.primary_key.columns:
            sequence = connection.execute(
                text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": table.name, "column": column.name},
            ).scalar_one()
            if sequence is None:
                continue
            quoted_table = connection.dialect.identifier_preparer.quote(table.name)
            quoted_column = connection.dialect.identifier_preparer.quote(column.name)
            connection.execute(
                text(
                    f"SELECT setval(:sequence, COALESCE(MAX({quoted_column}), 0) + 1, false) "
                    f"FROM {quoted_table}"
                ),
                {"sequence": sequence},
            )
