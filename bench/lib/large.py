#!/usr/bin/env python3
"""Grows a Tokensmith database into a large installation, writing rows directly (minutes).

  bench/lib/large.py DATABASE_URL [--accounts N] [--tokens N] [--own N] [--events N] [--start K]

The database must be migrated and hold the demo account "Acme Outdoor" with a token named
"Bench" made by the console: the template. Every column a new token needs is copied from
it, so the generator follows the schema as migrations change it. It adds `--accounts`
accounts (each with an Account Administrator), `--tokens` tokens (`--own` of them in the
demo account, the rest spread over the new accounts; numbered from `--start`, so that
calls can follow one another), the template's scopes on each, and `--events` audit events
spread over the new tokens, oldest first, each a copy of one of the template's own.
Names, creation times, expiry, last use and state vary so filters and pages find a mix.

SQLite is written through Python's sqlite3; PostgreSQL through psql (a postgres:// URL).
Indexes of audit_events are dropped before its rows are written and made again after
(what a bulk load does), and the planner's statistics gathered (ANALYZE) at the end, with
PostgreSQL's visibility map (VACUUM ANALYZE), as autovacuum would.
"""

import argparse
import subprocess
import sys
import time

NOW = int(time.time())
DAY = 86_400


def plan(args, engine):
    """The SQL statements, in order, for `engine` ('sqlite' or 'postgres')."""
    sqlite = engine == "sqlite"
    yes, no = ("1", "0") if sqlite else ("TRUE", "FALSE")

    def series(count, start=0):
        if sqlite:
            return (f"(WITH RECURSIVE n(i) AS (SELECT {start} UNION ALL SELECT i + 1 FROM n "
                    f"WHERE i < {start + count - 1}) SELECT i FROM n) AS n")
        return f"generate_series({start}::bigint, {start + count - 1}) AS n(i)"

    def hexed(expr, width):
        if sqlite:
            return f"printf('%0{width}x', {expr})"
        return f"lpad(to_hex(({expr})::bigint), {width}, '0')"

    # 32 bytes unique to i (the secret's hash column is UNIQUE).
    blob = "randomblob(32)" if sqlite else "decode(md5(n.i::text) || md5(('x' || n.i)::text), 'hex')"
    new_accounts = args.accounts
    template = "(SELECT id FROM tokens WHERE name = 'Bench')"
    own_end = args.start + args.own
    first_new = f"{args.before} + 1"
    return [
        # New accounts and their administrators (user id = account id + a fixed offset).
        f"""INSERT INTO accounts (sid, name, api_access_enabled, created_at)
            SELECT 'AC' || {hexed('n.i + 1000000', 32)}, 'Large account ' || n.i, {yes}, {NOW - 400 * DAY}
            FROM {series(new_accounts, args.start)}""",
        f"""INSERT INTO users (account_id, email, name, role, password_hash, created_at)
            SELECT a.id, 'admin' || a.id || '@large.test', 'Admin ' || a.id, 'account_admin',
                   (SELECT password_hash FROM users WHERE email = 'admin@acme.test'), a.created_at
            FROM accounts a WHERE a.name LIKE 'Large account %'
              AND NOT EXISTS (SELECT 1 FROM users u WHERE u.account_id = a.id) ORDER BY a.id""",
        # Tokens: `own` in the demo account, the rest round-robin over the new accounts.
        ("tokens", f"""
            SELECT {{select}}
            FROM {series(args.tokens, args.start)}
            CROSS JOIN tokens t
            WHERE t.id = {template}""", {
            "sid": f"'TS' || {hexed('n.i + 1000000', 32)}",
            "name": "'Large ' || n.i",
            "name_folded": "'large ' || n.i",
            "secret_hash": blob,
            "secret_last4": "'x' || (n.i % 1000)",
            "account_id": f"CASE WHEN n.i < {own_end} THEN @DEMO@ ELSE @FIRST_ACCOUNT@ + (n.i - {own_end}) % {max(new_accounts, 1)} END",
            "primary_contact_id": f"CASE WHEN n.i < {own_end} THEN @DEMO_USER@ ELSE @FIRST_USER@ + (n.i - {own_end}) % {max(new_accounts, 1)} END",
            "created_by": f"CASE WHEN n.i < {own_end} THEN @DEMO_USER@ ELSE @FIRST_USER@ + (n.i - {own_end}) % {max(new_accounts, 1)} END",
            "created_at": f"{NOW} - 3600 - (n.i * 7919) % ({700 * DAY})",
            "updated_at": f"{NOW} - 3600",
            "enabled": f"CASE WHEN n.i % 10 = 3 THEN {no} ELSE {yes} END",
            "expires_at": f"CASE n.i % 5 WHEN 0 THEN NULL WHEN 1 THEN {NOW} - {DAY} ELSE {NOW} + (n.i % 300) * {DAY} END",
            "last_used_at": f"CASE WHEN n.i % 3 = 0 THEN NULL ELSE {NOW} - (n.i % 60) * {DAY} END",
            "deleted_at": f"CASE WHEN n.i % 50 = 7 THEN {NOW} - {DAY} ELSE NULL END",
            "secret_issued_at": f"{NOW} - 3600",
        }),
        f"""INSERT INTO token_scopes (token_id, scope)
           SELECT t.id, s.scope FROM tokens t
           JOIN token_scopes s ON s.token_id = {template}
           WHERE t.id > {args.before}""",
        # The template's events, numbered, read once (its index is dropped while events
        # are written, and a subquery over the table would be read again for every row).
        f"""CREATE TABLE large_events AS
            SELECT action, detail, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k
            FROM audit_events WHERE token_id = {template}""",
        # Events: `events` in all, each for token (i mod tokens), oldest first.
        ("audit_events", f"""
            SELECT t.account_id, t.id, t.created_by, e.action, e.detail,
                   {NOW} - 60 - ({args.events} - n.i) * {max(1, 700 * DAY // args.events)}
            FROM {series(args.events)}
            JOIN tokens t ON t.id = {first_new} + n.i % {args.tokens}
            JOIN large_events e ON e.k = n.i % {args.kinds}""", None),
        "DROP TABLE large_events",
    ]


def columns(run, engine, table):
    if engine == "sqlite":
        return [row[1] for row in run(f"PRAGMA table_info({table})")]
    out = run(f"SELECT column_name FROM information_schema.columns WHERE table_name = '{table}' "
              "ORDER BY ordinal_position")
    return [row[0] for row in out]


def indexes(run, engine, table):
    if engine == "sqlite":
        return [(n, s) for n, s in run(f"SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                       f"AND tbl_name = '{table}' AND sql IS NOT NULL")]
    return [(n, s) for n, s in run(f"SELECT indexname, indexdef FROM pg_indexes WHERE tablename = "
                                   f"'{table}' AND indexname NOT LIKE '%_pkey'")]


def connect(url):
    if url.startswith("sqlite:"):
        import sqlite3
        path = url.split("://", 1)[1].split("?", 1)[0]
        con = sqlite3.connect(path, isolation_level=None, timeout=60)
        con.execute("PRAGMA foreign_keys = OFF")
        con.execute("PRAGMA synchronous = OFF")
        con.execute("PRAGMA cache_size = -400000")

        def run(sql):
            return con.execute(sql).fetchall()
        return "sqlite", run

    def run(sql):
        done = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                               url, "-c", sql], capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"psql failed: {done.stderr.strip()}\n{sql[:300]}")
        return [line.split("\t") for line in done.stdout.splitlines() if line]
    return "postgres", run


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--accounts", type=int, default=9_999)
    parser.add_argument("--tokens", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=20_000_000)
    parser.add_argument("--own", type=int, default=10_000)
    parser.add_argument("--start", type=int, default=0)
    args = parser.parse_args()
    engine, run = connect(args.url)
    if not run("SELECT id FROM tokens WHERE name = 'Bench'"):
        sys.exit("the demo account must hold a token named Bench (the template)")
    args.before = int(run("SELECT MAX(id) FROM tokens")[0][0])
    args.kinds = int(run("SELECT COUNT(*) FROM audit_events WHERE token_id = "
                         "(SELECT id FROM tokens WHERE name = 'Bench')")[0][0])
    if args.kinds == 0:
        sys.exit("the template token has no audit events to copy")
    args.accounts_before = int(run("SELECT MAX(id) FROM accounts")[0][0])
    for step in plan(args, engine):
        if args.accounts == 0 and isinstance(step, str) and "Large account" in step:
            continue
        started = time.monotonic()
        if isinstance(step, str):
            run(step)
            label = step.split()[2] if step.split()[1] != "TABLE" else " ".join(step.split()[:3])
        else:
            table, source, overrides = step
            names = [c for c in columns(run, engine, table) if c != "id"]
            if overrides is None:
                cols = ["account_id", "token_id", "actor_id", "action", "detail", "created_at"]
                select = None
            else:
                cols = names
                select = ", ".join(overrides.get(c, f"t.{c}") for c in names)
            dropped = indexes(run, engine, table) if table == "audit_events" else []
            for name, _ in dropped:
                run(f"DROP INDEX {name}")
            statement = (f"INSERT INTO {table} ({', '.join(cols)}) "
                         + (source.format(select=select) if select else source))
            # The ids the new tokens point at, read once (as subqueries they were read again
            # for every row).
            for marker, sql in [
                ("@FIRST_ACCOUNT@", f"SELECT COALESCE(MIN(id), 0) FROM accounts WHERE id > {args.accounts_before}"),
                ("@FIRST_USER@", "SELECT COALESCE(MIN(id), 0) FROM users "
                                 f"WHERE account_id > {args.accounts_before}"),
                ("@DEMO@", "SELECT id FROM accounts WHERE name = 'Acme Outdoor'"),
                ("@DEMO_USER@", "SELECT id FROM users WHERE email = 'admin@acme.test'"),
            ]:
                if marker in statement:
                    statement = statement.replace(marker, str(run(sql)[0][0]))
            run(statement)
            for _, sql in dropped:
                run(sql)
            label = table
        print(f"{label:14} {time.monotonic() - started:7.1f} s", flush=True)
    # What autovacuum does on a PostgreSQL installation left to run: statistics, and the
    # visibility map an index-only scan needs to skip the table (without it, the small
    # database's home read every token's row and took twice the large one's time).
    maintenance = "ANALYZE" if engine == "sqlite" else "VACUUM ANALYZE"
    started = time.monotonic()
    run(maintenance)
    print(f"{maintenance:14} {time.monotonic() - started:7.1f} s")
    for table in ("accounts", "users", "tokens", "token_scopes", "audit_events"):
        print(f"{table:14} {int(run(f'SELECT COUNT(*) FROM {table}')[0][0]):>12,} rows")


if __name__ == "__main__":
    main()
