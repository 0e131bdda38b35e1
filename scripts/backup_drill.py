#!/usr/bin/env python3
"""Backup drill: dump the database, restore it into a new one, and prove the copy is identical.

  DATABASE_URL=postgres://user@host:5432/wirralsafe python3 scripts/backup_drill.py

1. `pg_dump -Fc` of the database DATABASE_URL names (the backup; kept with --dump-file);
2. `createdb` a new database and `pg_restore` the dump into it;
3. for every table of the public schema, compare the row count and a checksum of every row
   (md5 of the rows as text, in a fixed order), and every sequence's position;
4. print the comparison, drop the restored database (unless --keep), and exit 0 only if
   everything matched; 1 on any difference, 2 if a step failed.

With --against URL it skips steps 1-2 and compares DATABASE_URL with an existing database, for
example a copy restored by hand.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql


@dataclass(frozen=True)
class Target:
    """Where a database is, taken apart from its URL for the PostgreSQL client programs."""

    host: str
    port: str
    user: str
    password: str
    name: str
    url: str

    @classmethod
    def from_url(cls, url: str) -> Target:
        parts = urlsplit(url)
        if parts.scheme not in ("postgres", "postgresql"):
            raise SystemExit(f"Not a PostgreSQL URL: {parts.scheme}://... (need postgres://)")
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise SystemExit("The URL names no database: postgres://user@host:5432/NAME")
        return cls(
            host=parts.hostname or "127.0.0.1",
            port=str(parts.port or 5432),
            user=unquote(parts.username or os.environ.get("PGUSER", "postgres")),
            password=unquote(parts.password or ""),
            name=name,
            url=url,
        )

    def with_name(self, name: str) -> Target:
        parts = urlsplit(self.url)
        return Target(
            self.host,
            self.port,
            self.user,
            self.password,
            name,
            urlunsplit(parts._replace(path="/" + name)),
        )

    def client_args(self) -> list[str]:
        return ["-h", self.host, "-p", self.port, "-U", self.user]

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def connect(self):
        return psycopg2.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password or None,
            dbname=self.name,
        )


def run(command: list[str], target: Target) -> None:
    print("$", " ".join(command), flush=True)
    done = subprocess.run(command, env=target.env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} failed ({done.returncode}): {done.stderr.strip()}")


def fingerprint(target: Target) -> dict[str, tuple[int, str]]:
    """Row count and checksum of each public table, and position of each public sequence."""
    found: dict[str, tuple[int, str]] = {}
    conn = target.connect()
    try:
        conn.set_session(readonly=True)
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
            tables = [row[0] for row in cursor.fetchall()]
            for table in tables:
                # Ordering by the row's text works for every column type (json has no
                # ordering of its own) and does not depend on physical order after a restore.
                cursor.execute(
                    sql.SQL(
                        "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' "
                        "ORDER BY t::text), '')) FROM {} AS t"
                    ).format(sql.Identifier("public", table))
                )
                count, digest = cursor.fetchone()
                found[f"table {table}"] = (count, digest)
            cursor.execute(
                "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' "
                "ORDER BY sequencename"
            )
            for (sequence,) in cursor.fetchall():
                cursor.execute(
                    sql.SQL("SELECT last_value, is_called FROM {}").format(
                        sql.Identifier("public", sequence)
                    )
                )
                last_value, is_called = cursor.fetchone()
                found[f"sequence {sequence}"] = (last_value, "called" if is_called else "new")
    finally:
        conn.close()
    return found


def compare(source: dict, restored: dict) -> tuple[list[tuple[str, str, str, str]], bool]:
    """Lines of the comparison table, and whether everything matched."""
    lines, identical = [], True
    for name in sorted(set(source) | set(restored)):
        a, b = source.get(name), restored.get(name)
        if a == b:
            verdict = "same"
        elif a is None or b is None:
            verdict = "MISSING IN " + ("SOURCE" if a is None else "RESTORED")
        elif a[0] != b[0]:
            verdict = "ROW COUNT DIFFERS"
        else:
            verdict = "CHECKSUM DIFFERS"
        identical = identical and verdict == "same"
        lines.append(
            (
                name,
                "-" if a is None else str(a[0]),
                "-" if b is None else str(b[0]),
                verdict,
            )
        )
    return lines, identical


def print_table(lines: list[tuple[str, str, str, str]]) -> None:
    header = ("object", "source", "restored", "result")
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(4)]
    for row in [header, tuple("-" * w for w in widths), *lines]:
        print(f"{row[0]:<{widths[0]}}  {row[1]:>{widths[1]}}  {row[2]:>{widths[2]}}  {row[3]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="the database to back up (default: $DATABASE_URL)",
    )
    parser.add_argument("--restore-name", help="name of the new database (default: dated)")
    parser.add_argument("--dump-file", type=Path, help="keep the dump here (default: discard)")
    parser.add_argument("--keep", action="store_true", help="keep the restored database")
    parser.add_argument("--against", help="compare with this existing database instead")
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("set DATABASE_URL or pass --database-url")
    source = Target.from_url(args.database_url)

    if args.against:
        other = Target.from_url(args.against)
        lines, identical = compare(fingerprint(source), fingerprint(other))
        print_table(lines)
        print("IDENTICAL" if identical else "DIFFERENT")
        return 0 if identical else 1

    for program in ("pg_dump", "pg_restore", "createdb", "dropdb"):
        if shutil.which(program) is None:
            print(f"{program} is not installed (apt-get install postgresql-client)")
            return 2
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d%H%M%S")
    restored = source.with_name(args.restore_name or f"{source.name}_drill_{stamp}"[:63])
    workdir = Path(tempfile.mkdtemp(prefix="backup-drill-"))
    dump = args.dump_file or workdir / f"{source.name}.dump"
    created = False
    try:
        run(["pg_dump", "-Fc", "-f", str(dump), *source.client_args(), source.name], source)
        print(f"dump: {dump} ({dump.stat().st_size:,} bytes)")
        run(["createdb", *source.client_args(), "-T", "template0", restored.name], source)
        created = True
        run(
            [
                "pg_restore",
                "--exit-on-error",
                "--no-owner",
                *source.client_args(),
                "-d",
                restored.name,
                str(dump),
            ],
            source,
        )
        lines, identical = compare(fingerprint(source), fingerprint(restored))
    except RuntimeError as exc:
        print(f"Backup drill FAILED: {exc}")
        return 2
    finally:
        if created and not args.keep:
            try:
                run(["dropdb", *source.client_args(), restored.name], source)
            except RuntimeError as exc:
                print(f"Could not drop {restored.name}: {exc}")
        shutil.rmtree(workdir, ignore_errors=True)
    print_table(lines)
    tables = sum(1 for line in lines if line[0].startswith("table "))
    rows = sum(int(line[1]) for line in lines if line[0].startswith("table ") and line[1] != "-")
    print(f"{tables} tables, {rows:,} rows compared between {source.name} and {restored.name}")
    print("Backup drill PASSED" if identical else "Backup drill FAILED: the copy differs")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
