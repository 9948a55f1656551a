"""`tokensmith backup` while writers are busy, and `tokensmith restore` into a server that
then serves every token acknowledged before the backup began; a restore is refused while
a server uses the database, and a file that isn't a sound backup is refused."""

import base64
import os
import sqlite3
import subprocess
import threading
import time
import unittest

from support import ADMIN, Server, binary, draft


class BackupAndRestore(unittest.TestCase):
    def setUp(self):
        # Every token made after the backup is checked, each a SID the restored database
        # doesn't have: from one address those share one failure count, so lift it.
        self.srv = Server(TOKENSMITH_AUTH_FAILURE_LIMIT=100_000)
        self.addCleanup(self.srv.close)
        self.srv.start()
        self.backup = os.path.join(self.srv.dir, "backup.db")

    def tool(self, *args):
        return subprocess.run(
            [binary(), *args], env=self.srv.env, capture_output=True, text=True, timeout=120
        )

    def sandbox(self, sid, secret):
        auth = base64.b64encode(f"{sid}:{secret}".encode()).decode()
        status, _, _ = self.srv.request(
            "GET",
            f"/Advertisers/{self.account}/Actions",
            headers={"Authorization": f"Basic {auth}"},
        )
        return status

    def test_a_backup_under_writers_restores_every_acknowledged_token(self):
        srv = self.srv
        cookie = srv.sign_in(ADMIN)
        self.assertEqual(srv.call_form(cookie, "set_api_access", "enabled=true")[0], 200)
        self.account = srv.account_sid()
        contact = srv.user_id(ADMIN)
        acknowledged, stop, lock = [], threading.Event(), threading.Lock()

        def writer(n):
            i = 0
            while not stop.is_set():
                status, made = srv.call_json(cookie, "create_token", draft(f"W{n}-{i}", contact))
                if status == 200:
                    with lock:
                        acknowledged.append((time.monotonic(), made["sid"], made["secret"]))
                i += 1

        writers = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
        for w in writers:
            w.start()
        try:
            time.sleep(1.5)
            began = time.monotonic()
            done = self.tool("backup", self.backup)
            ended = time.monotonic()
            time.sleep(1.0)
        finally:
            stop.set()
            for w in writers:
                w.join()
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("integrity ok", done.stdout)
        before = [(sid, secret) for at, sid, secret in acknowledged if at < began]
        after = [(sid, secret) for at, sid, secret in acknowledged if at > ended]
        self.assertGreater(len(before), 5)
        self.assertGreater(len(after), 5, "writers went on after the backup")

        again = self.tool("backup", self.backup)
        self.assertNotEqual(again.returncode, 0)
        self.assertIn("already exists", again.stderr)
        busy = self.tool("restore", self.backup)
        self.assertNotEqual(busy.returncode, 0)
        self.assertIn("in use by a running Tokensmith server", busy.stderr)

        # Killed outright: its lock goes with it, and its WAL (with the later tokens) must
        # not reach the restored database.
        srv.kill9()
        restored = self.tool("restore", self.backup)
        self.assertEqual(restored.returncode, 0, restored.stderr)
        self.assertIn("integrity ok", restored.stdout)
        srv.start()
        for sid, secret in before:
            self.assertEqual(self.sandbox(sid, secret), 200, sid)
        for sid, secret in after:
            self.assertEqual(self.sandbox(sid, secret), 401, sid)
        check = srv.sql("PRAGMA integrity_check")
        self.assertEqual(check, [["ok"]])

    def test_backup_says_what_the_copy_holds_and_restore_refuses_a_newer_one(self):
        cookie = self.srv.sign_in(ADMIN)
        for n in range(3):
            status, body = self.srv.call_json(
                cookie, "create_token", draft(f"Counted {n}", self.srv.user_id(ADMIN))
            )
            self.assertEqual(status, 200, body)
        (accounts, users, tokens, migration), = self.srv.sql(
            "SELECT (SELECT count(*) FROM accounts), (SELECT count(*) FROM users),"
            " (SELECT count(*) FROM tokens), (SELECT max(version) FROM _sqlx_migrations)"
        )
        done = self.tool("backup", self.backup)
        self.assertEqual(done.returncode, 0, done.stderr)
        size = os.path.getsize(self.backup)
        self.assertIn(
            f"{size} bytes, integrity ok, migration {migration}: {accounts} account(s), "
            f"{users} user(s), {tokens} token(s)",
            done.stdout,
        )
        # A copy from a later Tokensmith (one more migration) is refused, and nothing
        # changes: the server starts on its own database as before.
        with sqlite3.connect(self.backup) as later:
            later.execute(
                "INSERT INTO _sqlx_migrations (version, description, success, checksum,"
                " execution_time) VALUES (?, 'from the future', TRUE, x'00', 0)",
                (int(migration) + 1,),
            )
        self.srv.terminate()
        refused = self.tool("restore", self.backup)
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn(
            f"was made by a newer Tokensmith (migration {int(migration) + 1} > {migration})",
            refused.stderr,
        )
        self.srv.start()
        self.assertEqual(self.srv.sql("SELECT count(*) FROM tokens"), [[tokens]])

    def test_a_file_that_is_not_a_backup_is_refused(self):
        with open(self.backup, "wb") as f:
            f.write(b"SQLite format 3\x00" + os.urandom(4096))
        self.srv.terminate()
        refused = self.tool("restore", self.backup)
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("is not a usable Tokensmith backup", refused.stderr)
        missing = self.tool("restore", os.path.join(self.srv.dir, "nothing.db"))
        self.assertIn("there is no backup at", missing.stderr)
        # The database is untouched: the server starts and signs in as before.
        self.srv.start()
        self.srv.sign_in(ADMIN)


if __name__ == "__main__":
    unittest.main()
