"""Two release binaries on one PostgreSQL database, as behind a load balancer: a session made
on one works on the other, the brand API's failure limit is shared, two mail workers deliver
each message exactly once to a real SMTP server, and two simultaneous edits of one token give
one 200 and one 409. Needs the throwaway PostgreSQL scripts/test starts."""

import base64
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import unittest

from support import ADMIN, REPO, Server, draft, postgres_database

LIMIT = 5


def basic(sid, secret):
    return "Basic " + base64.b64encode(f"{sid}:{secret}".encode()).decode()


class SmtpSink:
    """server/tests/smtp_sink.py: every message it accepts, one JSON line in a file."""

    def __init__(self, folder):
        self.path = os.path.join(folder, "mail.jsonl")
        script = os.path.join(REPO, "server", "tests", "smtp_sink.py")
        self.proc = subprocess.Popen(
            ["python3", script, self.path],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self.proc.stdout.readline().strip()
        if not line.startswith("ready "):
            raise AssertionError(f"SMTP sink did not start: {line!r}")
        self.port = int(line.split()[1])

    def received(self):
        if not os.path.exists(self.path):
            return []
        with open(self.path) as f:
            return [json.loads(line) for line in f if line.strip()]

    def close(self):
        self.proc.kill()
        self.proc.wait(10)
        self.proc.stdin.close()
        self.proc.stdout.close()


def sent_by(srv):
    """How many messages `srv`'s mail worker says it sent ("outbox pass sent=N" lines)."""
    return sum(int(n) for n in re.findall(r"outbox pass.*?\bsent\W+(\d+)", srv.log()))


class TwoInstances(unittest.TestCase):
    def start(self, **env):
        url = postgres_database()
        self.a = Server(database_url=url, **env).start()
        self.b = Server(database_url=url, seed=False, **env).start()

    def tearDown(self):
        for srv in (getattr(self, "a", None), getattr(self, "b", None)):
            if srv:
                srv.close()

    def test_instances_starting_together_on_an_empty_database_migrate_it_once(self):
        url = postgres_database()
        servers = [Server(database_url=url, seed=False) for _ in range(3)]
        errors = []

        def start(srv):
            try:
                srv.start()
            except AssertionError as error:
                errors.append(str(error))

        threads = [threading.Thread(target=start, args=(srv,)) for srv in servers]
        try:
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
            self.assertEqual(errors, [])
            for srv in servers:
                self.assertEqual(srv.request("GET", "/healthz")[0], 200)
            applied = servers[0].sql("SELECT version, success FROM _sqlx_migrations ORDER BY version")
            shipped = sorted(int(f.split("_")[0]) for f in os.listdir(os.path.join(REPO, "app/migrations/postgres")))
            self.assertEqual([row[0] for row in applied], [str(v) for v in shipped])
            self.assertEqual({row[1] for row in applied}, {"t"})
        finally:
            for srv in servers:
                srv.close()

    def test_a_session_made_on_one_instance_works_on_the_other(self):
        self.start()
        cookie = self.a.sign_in(ADMIN)
        status, info = self.b.call_json(cookie, "session_info", {})
        self.assertEqual(status, 200, info)
        self.assertEqual(info["user_name"], "Alex Morgan")
        # Signing out on B ends it on A.
        status, _, _ = self.b.request(
            "POST", "/logout", "", {"Cookie": cookie, "Sec-Fetch-Site": "same-origin"}
        )
        self.assertEqual(status, 303)
        self.assertEqual(self.a.call_json(cookie, "session_info", {})[0], 401)

    def test_the_failure_limit_is_shared_by_both_instances(self):
        self.start(TOKENSMITH_AUTH_FAILURE_LIMIT=LIMIT)
        admin = self.a.sign_in(ADMIN)
        self.assertEqual(self.a.call_form(admin, "set_api_access", "enabled=true")[0], 200)
        status, token = self.a.call_json(
            admin, "create_token", draft("Shared limit", self.a.user_id(ADMIN))
        )
        self.assertEqual(status, 200, token)
        secret = token["secret"]
        wrong = secret[:-7] + ("A" if secret[-7] != "A" else "B") + secret[-6:]
        path = f"/Advertisers/{self.a.account_sid()}/Actions"
        bad = {"Authorization": basic(token["sid"], wrong)}
        statuses = []
        for i in range(LIMIT * 2):
            srv = self.a if i % 2 == 0 else self.b
            statuses.append(srv.request("GET", path, headers=bad)[0])
        self.assertEqual(statuses[:LIMIT], [401] * LIMIT, statuses)
        self.assertEqual(set(statuses[LIMIT:]), {429}, statuses)

    def test_failed_sign_ins_are_counted_across_instances(self):
        self.start()
        statuses = []
        for i in range(14):
            srv = self.a if i % 2 == 0 else self.b
            status, _, _ = srv.request(
                "POST",
                "/login",
                f"email={ADMIN}&password=wrong-password-{i}",
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Sec-Fetch-Site": "same-origin",
                },
            )
            statuses.append(status)
        # Ten failures for the account in all, whichever instance saw them; then 429 on both.
        self.assertEqual(statuses[:10], [401] * 10, statuses)
        self.assertEqual(statuses[10:], [429] * 4, statuses)
        events = self.a.sql("SELECT count(*) FROM audit_events WHERE action = 'sign_in_throttled'")
        self.assertEqual(events, [["1"]])

    def test_two_mail_workers_deliver_each_message_exactly_once(self):
        work = tempfile.mkdtemp(prefix="tokensmith-mail-")
        sink = SmtpSink(work)
        try:
            self.start(TOKENSMITH_SMTP_URL=f"smtp://127.0.0.1:{sink.port}?tls=none")
            # Both ready for traffic: database migrated, mail worker running.
            for srv in (self.a, self.b):
                status, _, body = srv.request("GET", "/readyz")
                ready = json.loads(body)
                self.assertEqual((status, ready["ready"], ready["mail"]), (200, True, "running"), ready)
            cookies = [self.a.sign_in(ADMIN), self.b.sign_in(ADMIN)]
            contact = self.a.user_id(ADMIN)
            for i in range(24):
                srv, cookie = (self.a, cookies[0]) if i % 2 == 0 else (self.b, cookies[1])
                status, body = srv.call_json(cookie, "create_token", draft(f"Mail {i}", contact))
                self.assertEqual(status, 200, body)
            expected = 48  # each token tells its primary contact and its developer
            # Done when the sink has them all and both workers' logs account for each once.
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                by_worker = [sent_by(self.a), sent_by(self.b)]
                if len(sink.received()) >= expected and sum(by_worker) >= expected:
                    break
                time.sleep(0.2)
            received = sink.received()
            ids = [m["message_id"] for m in received]
            self.assertEqual(len(ids), expected, f"{len(ids)} received\n{self.a.log_tail()}")
            self.assertEqual(len(set(ids)), expected, "a message was delivered twice")
            self.assertEqual(sum(by_worker), expected, by_worker)
            # Each instance's changes wake its own worker: both delivered some.
            self.assertTrue(all(by_worker), f"one worker sent everything: {by_worker}")
            print(f"\n[instances] the two workers sent {by_worker}", file=sys.stderr)
            states = self.a.sql("SELECT state, count(*) FROM notifications GROUP BY state")
            self.assertEqual(states, [["sent", str(expected)]])
        finally:
            sink.close()

    def test_usage_counted_on_both_instances_adds_up(self):
        """Each instance counts its own calls in memory and adds them to the day's row:
        the token's usage is the sum, nothing lost or counted twice."""
        self.start(TOKENSMITH_USAGE_FLUSH_SECS=1)
        admin = self.a.sign_in(ADMIN)
        self.assertEqual(self.a.call_form(admin, "set_api_access", "enabled=true")[0], 200)
        status, token = self.a.call_json(admin, "create_token", draft("Counted twice", self.a.user_id(ADMIN)))
        self.assertEqual(status, 200, token)
        path = f"/Advertisers/{self.a.account_sid()}/Actions"
        auth = {"Authorization": basic(token["sid"], token["secret"])}
        calls = {self.a: 7, self.b: 11}
        for srv, n in calls.items():
            for _ in range(n):
                self.assertEqual(srv.request("GET", path, headers=auth)[0], 200)
        total = sum(calls.values())
        sql = (
            "SELECT COALESCE(sum(u.allowed), 0) FROM token_usage u JOIN tokens t"
            f" ON t.id = u.token_id WHERE t.sid = '{token['sid']}'"
        )
        deadline = time.monotonic() + 15
        while int(self.a.sql(sql)[0][0]) < total and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.5)  # one more flush of each: nothing may be added twice
        self.assertEqual(int(self.a.sql(sql)[0][0]), total)

    def test_two_simultaneous_edits_of_one_token_give_one_200_and_one_409(self):
        self.start()
        cookies = [self.a.sign_in(ADMIN), self.b.sign_in(ADMIN)]
        status, token = self.a.call_json(
            cookies[0], "create_token", draft("Edited twice", self.a.user_id(ADMIN))
        )
        self.assertEqual(status, 200, token)
        sid = token["sid"]
        for round_ in range(15):
            version = int(self.a.sql(f"SELECT version FROM tokens WHERE sid = '{sid}'")[0][0])
            results = [None, None]
            barrier = threading.Barrier(2)

            def edit(i):
                srv = (self.a, self.b)[i]
                change = {"Overview": {"name": "Edited twice", "description": f"r{round_} by {i}"}}
                barrier.wait()
                results[i] = srv.call_json(
                    cookies[i], "change_token", {"sid": sid, "version": version, "change": change}
                )

            threads = [threading.Thread(target=edit, args=(i,)) for i in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(30)
            statuses = sorted(r[0] for r in results)
            self.assertEqual(statuses, [200, 409], results)
        final = int(self.a.sql(f"SELECT version FROM tokens WHERE sid = '{sid}'")[0][0])
        self.assertEqual(final, 1 + 15)

    def test_a_change_on_one_instance_reaches_the_others_token_cache_through_the_feed(self):
        self.start()
        admin = self.a.sign_in(ADMIN)
        self.assertEqual(self.a.call_form(admin, "set_api_access", "enabled=true")[0], 200)
        status, token = self.a.call_json(
            admin, "create_token", draft("Cached elsewhere", self.a.user_id(ADMIN))
        )
        self.assertEqual(status, 200, token)
        path = f"/Advertisers/{self.a.account_sid()}/Actions"
        auth = {"Authorization": basic(token["sid"], token["secret"])}
        sid = token["sid"]
        took = []
        for change, refused in [
            ({"SetEnabled": {"enabled": False}}, 403),
            ({"SetEnabled": {"enabled": True}}, 200),
            ("Delete", 401),
        ]:
            # B has just authenticated the token (and cached it)...
            before = 403 if refused == 200 else 200
            self.assertEqual(self.b.request("GET", path, headers=auth)[0], before)
            version = int(self.a.sql(f"SELECT version FROM tokens WHERE sid = '{sid}'")[0][0])
            status, body = self.a.call_json(
                admin, "change_token", {"sid": sid, "version": version, "change": change}
            )
            self.assertEqual(status, 200, body)
            # ...and A's change reaches it through the change feed, in milliseconds (or at
            # the latest when B's entry, read just now, ages out after 800 ms).
            changed = time.monotonic()
            while True:
                sent = time.monotonic()
                if self.b.request("GET", path, headers=auth)[0] == refused:
                    break
                if sent > changed + 1.0:
                    self.fail(f"{change}: a call sent 1 s later still got the old answer")
                time.sleep(0.02)
            took.append(round(time.monotonic() - changed, 3))
        print(f"\n[instances] B saw A's changes after {took} s", file=sys.stderr)


if __name__ == "__main__":
    unittest.main()
