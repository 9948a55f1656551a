"""Crash durability: what the server acknowledged survives SIGKILL, and nothing is half-written."""

import random
import sys
import threading
import time
import unittest

from support import ADMIN, CONNECTION_ERRORS, SPECIALIST, Server, draft

WRITERS = 16
KILLS = 3
SCOPES = {"reports:get", "actions:get"}


class Load:
    """What the writers were told was written, by server generation (0 = before the 1st kill)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.generation = 0
        self.creates = {}  # sid -> (name, primary contact email)
        self.changes = []  # (sid, acknowledged version, kind)
        self.acks = [0] * (KILLS + 1)
        self.unacknowledged = 0
        self.sign_ins = 0
        self.unexpected = []  # (endpoint, status, body)
        self.stop = threading.Event()

    def ack(self):
        self.acks[self.generation] += 1


def writer(srv, load, number, contacts):
    email = ADMIN if number % 2 == 0 else SPECIALIST
    cookie = None
    count = 0
    while not load.stop.is_set():
        try:
            if cookie is None:
                cookie = srv.sign_in(email)
                with load.lock:
                    load.sign_ins += 1
            count += 1
            name = f"w{number}-{count}"
            status, body = srv.call_json(cookie, "create_token", draft(name, contacts[email]))
            if status == 401:
                cookie = None
                continue
            if status != 200:
                with load.lock:
                    load.unexpected.append(("create_token", status, body))
                continue
            sid, version, enabled = body["sid"], 1, True
            with load.lock:
                load.creates[sid] = (name, email)
                load.ack()
            for step in range(4):
                if step % 2 == 0:
                    kind = "edited"
                    change = {"Overview": {"name": f"{name} r{step}", "description": f"step {step}"}}
                else:
                    kind = "enabled" if not enabled else "disabled"
                    change = {"SetEnabled": {"enabled": not enabled}}
                status, body = srv.call_json(
                    cookie, "change_token", {"sid": sid, "version": version, "change": change}
                )
                if status != 200:
                    if status == 401:
                        cookie = None
                    else:
                        with load.lock:
                            load.unexpected.append(("change_token", status, body))
                    break
                version = body["version"]
                if kind != "edited":
                    enabled = not enabled
                with load.lock:
                    load.changes.append((sid, version, kind))
                    load.ack()
        except CONNECTION_ERRORS:
            # Killed or restarting: the write may or may not have happened. Start afresh
            # with a new token (the session cookie is kept; it lives in the database).
            with load.lock:
                load.unacknowledged += 1
            time.sleep(0.05)
        except AssertionError:
            # A sign-in that got an answer other than 303 (e.g. while shutting down).
            cookie = None
            time.sleep(0.05)


class CrashDurability(unittest.TestCase):
    def test_acknowledged_writes_survive_sigkill(self):
        """Under 16 concurrent writers, three SIGKILLs lose no acknowledged create or change,
        leave an intact database (integrity and foreign keys), and every token that exists
        has its creation audit event, scopes and notifications: no transaction half-applied.
        """
        srv = Server()
        self.addCleanup(srv.close)
        srv.start()
        contacts = {ADMIN: srv.user_id(ADMIN), SPECIALIST: srv.user_id(SPECIALIST)}
        load = Load()
        threads = [
            threading.Thread(target=writer, args=(srv, load, n, contacts), daemon=True)
            for n in range(WRITERS)
        ]
        for t in threads:
            t.start()
        # Each kill lands once this generation has acknowledged a random number of writes
        # (writes in flight then, whatever the machine's speed); the run ends likewise.
        for kill in range(KILLS + 1):
            wanted = random.randint(20, 60)
            deadline = time.monotonic() + 60
            while load.acks[kill] < wanted:
                self.assertLess(time.monotonic(), deadline, f"generation {kill}: {load.acks}")
                time.sleep(0.01)
            if kill == KILLS:
                break
            srv.kill9()
            with load.lock:
                load.generation = kill + 1
            srv.start()
        load.stop.set()
        for t in threads:
            t.join(30)
            self.assertFalse(t.is_alive(), "a writer is stuck")
        srv.terminate()
        # The final clean restart: the database opens after the crashes, and is left closed.
        srv.start()
        srv.terminate()

        with srv.db() as db:
            self.check_database(db, load)

    def check_database(self, db, load):
        self.assertEqual(db.execute("PRAGMA integrity_check").fetchall(), [("ok",)])
        self.assertEqual(db.execute("PRAGMA foreign_key_check").fetchall(), [])
        tokens = {
            sid: (token_id, version)
            for token_id, sid, version in db.execute("SELECT id, sid, version FROM tokens")
        }
        lost = []
        for sid, (name, email) in load.creates.items():
            if sid not in tokens:
                lost.append(("create", sid))
                continue
            token_id = tokens[sid][0]
            created = db.execute(
                "SELECT recipient FROM notifications WHERE token_id = ? AND subject = ?",
                (token_id, f'API access token "{name}": created'),
            ).fetchall()
            self.assertEqual(sorted(r for (r,) in created), sorted([email, "dev@partner.test"]), sid)
        changes_by_sid = {}
        for sid, version, kind in load.changes:
            changes_by_sid.setdefault(sid, []).append((version, kind))
            if sid not in tokens or tokens[sid][1] < version:
                lost.append(("change", sid, version))
        # Every token, acknowledged or not, is whole: created event, scopes, notifications,
        # and exactly one audit event per revision (version and audit move together).
        for sid, (token_id, version) in tokens.items():
            actions = [a for (a,) in db.execute(
                "SELECT action FROM audit_events WHERE token_id = ? ORDER BY id", (token_id,))]
            self.assertEqual(actions[:1], ["created"], sid)
            self.assertEqual(actions.count("created"), 1, sid)
            self.assertEqual(len(actions), version, f"{sid}: {actions} at version {version}")
            acked = [kind for _, kind in changes_by_sid.get(sid, [])]
            self.assertGreaterEqual(len(actions) - 1, len(acked), sid)
            self.assertEqual(actions[1:len(acked) + 1], acked, sid)
            scopes = {s for (s,) in db.execute(
                "SELECT scope FROM token_scopes WHERE token_id = ?", (token_id,))}
            self.assertEqual(scopes, SCOPES, sid)
            created = db.execute(
                "SELECT COUNT(*) FROM notifications WHERE token_id = ? AND subject LIKE '%: created'",
                (token_id,),
            ).fetchone()[0]
            self.assertEqual(created, 2, sid)
            # One notification per contact per audited change.
            total = db.execute(
                "SELECT COUNT(*) FROM notifications WHERE token_id = ?", (token_id,)
            ).fetchone()[0]
            self.assertEqual(total, 2 * version, sid)

        print(
            f"\n[durability] acknowledged creates {len(load.creates)}, "
            f"acknowledged changes {len(load.changes)}, lost {len(lost)}, integrity ok; "
            f"acks per server run {load.acks}, unacknowledged {load.unacknowledged}, "
            f"tokens in db {len(tokens)}, sign-ins {load.sign_ins} by {WRITERS} writers, "
            f"unexpected answers {len(load.unexpected)}",
            file=sys.stderr,
        )
        self.assertEqual(lost, [])
        self.assertEqual(load.unexpected, [])
        self.assertGreater(len(load.creates) + len(load.changes), 100)
        for generation, acks in enumerate(load.acks):
            self.assertGreater(acks, 0, f"no write acknowledged in server run {generation}")

if __name__ == "__main__":
    unittest.main()
