"""Webhooks from release binaries to a real receiver that verifies every signature with the
Standard Webhooks specification's own Python library: it answers 500 for a while, then 200;
every event arrives, each webhook-id once after de-duplication, in order, across a SIGKILL
of the server; and two instances on one PostgreSQL database never send one message twice
at once (nor two messages to one endpoint at once). Needs `standardwebhooks` (PyPI) and,
for the second test, the throwaway PostgreSQL scripts/test provides."""

import http.server
import json
import sys
import threading
import time
import unittest

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from support import ADMIN, Server, draft, free_port, postgres_database

ALLOW = {"TOKENSMITH_WEBHOOK_ALLOW_PRIVATE": "127.0.0.1/32"}


class Receiver:
    """An HTTP receiver on 127.0.0.1: answers 500 until `fail_for` seconds after its first
    request, then 200 after `pause` seconds; verifies each signature once it knows the
    secret; counts the requests it is answering at once."""

    def __init__(self, fail_for=0.0, pause=0.0):
        self.fail_for, self.pause = fail_for, pause
        self.lock = threading.Lock()
        self.secret = None
        self.first = None
        self.arrivals = []  # (webhook-id, type, token name, verified, status answered)
        self.now, self.most = 0, 0
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status = receiver.receive(dict(self.headers), body)
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.port}/hook"

    def receive(self, headers, body):
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
            if self.first is None:
                self.first = time.monotonic()
            failing = time.monotonic() - self.first < self.fail_for
        try:
            lowered = {k.lower(): v for k, v in headers.items()}
            Webhook(self.secret).verify(body, lowered)
            verified = True
        except WebhookVerificationError:
            verified = False
        message = json.loads(body)
        name = (message["data"].get("token") or {}).get("name", "")
        if self.pause:
            time.sleep(self.pause)
        status = 500 if failing else 200
        with self.lock:
            self.now -= 1
            self.arrivals.append((lowered.get("webhook-id"), message["type"], name, verified, status))
        return status

    def delivered(self):
        """The webhook-ids answered 200, de-duplicated, in order of first delivery; and
        their token names."""
        seen, names = [], []
        with self.lock:
            for webhook_id, _, name, _, status in self.arrivals:
                if status == 200 and webhook_id not in seen:
                    seen.append(webhook_id)
                    names.append(name)
        return seen, names

    def close(self):
        self.server.shutdown()


def wait_for(check, limit, what):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} within {limit} s")


def add_endpoint(srv, cookie, url, events):
    status, shown = srv.call_json(cookie, "add_webhook", {"url": url, "description": "Receiver", "events": events})
    assert status == 200, shown
    return shown["id"], shown["secret"]


def make_token(srv, cookie, name):
    status, made = srv.call_json(cookie, "create_token", draft(name, srv.user_id(ADMIN)))
    assert status == 200, made


class WebhookDelivery(unittest.TestCase):
    def setUp(self):
        self.receiver = Receiver(fail_for=3.0)
        self.srv = Server(**ALLOW).start()
        self.addCleanup(self.srv.close)
        self.addCleanup(self.receiver.close)

    def test_every_event_arrives_once_in_order_verified_across_a_sigkill(self):
        admin = self.srv.sign_in(ADMIN)
        _, secret = add_endpoint(self.srv, admin, self.receiver.url, ["token.created"])
        self.receiver.secret = secret
        names = [f"Feed {n:02}" for n in range(30)]
        for name in names[:20]:
            make_token(self.srv, admin, name)
        # Refused for 3 s, then retried (5 s backoff) and delivered one after another.
        wait_for(lambda: len(self.receiver.delivered()[0]) >= 8, 60, "8 deliveries")
        self.srv.kill9()
        self.srv.start()
        admin = self.srv.sign_in(ADMIN)
        for name in names[20:]:
            make_token(self.srv, admin, name)
        # A message claimed when the server died goes again once its claim lapses (30 s).
        wait_for(lambda: len(self.receiver.delivered()[0]) == 30, 90, "all 30 delivered")
        ids, delivered_names = self.receiver.delivered()
        self.assertEqual(delivered_names, names, "in order")
        self.assertEqual(len(set(ids)), 30)
        arrivals = self.receiver.arrivals
        self.assertTrue(all(verified for *_, verified, _ in arrivals), "every signature verifies")
        self.assertTrue(any(status == 500 for *_, status in arrivals), "it failed for a while")
        retried = [a[0] for a in arrivals if a[4] == 500]
        self.assertIn(retried[0], ids, "a refused message was delivered later with its id")
        print(
            f"\nwebhooks across a SIGKILL: {len(arrivals)} requests for 30 messages, "
            f"{sum(1 for a in arrivals if a[4] == 500)} refused",
            file=sys.stderr,
        )
        stored = self.srv.sql("SELECT state, COUNT(*) FROM webhook_messages GROUP BY state")
        self.assertEqual(stored, [["delivered", "30"]])


class TwoInstances(unittest.TestCase):
    def test_two_instances_never_attempt_one_endpoint_at_once(self):
        url = postgres_database()
        a = Server(database_url=url, **ALLOW).start()
        self.addCleanup(a.close)
        b = Server(database_url=url, seed=False, **ALLOW).start()
        self.addCleanup(b.close)
        receiver = Receiver(pause=0.15)
        self.addCleanup(receiver.close)
        admin = a.sign_in(ADMIN)
        _, receiver.secret = add_endpoint(a, admin, receiver.url, ["token.created"])
        other = b.sign_in(ADMIN)
        # A steady stream through both: each instance's worker wakes at its own commits
        # and polls for the other's, so both attempt, and sometimes at the same moment.
        contact = a.user_id(ADMIN)
        for n in range(24):
            srv, cookie = (a, admin) if n % 2 else (b, other)
            status, made = srv.call_json(cookie, "create_token", draft(f"Stream {n:02}", contact))
            self.assertEqual(status, 200, made)
            time.sleep(0.25 if n % 3 else 0.05)
        wait_for(lambda: len(receiver.arrivals) >= 24, 60, "24 deliveries")
        time.sleep(1)
        ids = [arrival[0] for arrival in receiver.arrivals]
        self.assertEqual(len(ids), 24, "no message sent twice")
        queued = [row[0] for row in a.sql("SELECT webhook_id FROM webhook_messages ORDER BY id")]
        self.assertEqual(ids, queued, "in the order queued")
        self.assertEqual(receiver.most, 1, "one at a time to the endpoint")
        names = [arrival[2] for arrival in receiver.arrivals]
        self.assertEqual(names, [f"Stream {n:02}" for n in range(24)])
        self.assertTrue(all(arrival[3] for arrival in receiver.arrivals))
        # Both instances did some of the work.
        logs = [srv.log().count('"webhook attempt"') + srv.log().count("webhook attempt") for srv in (a, b)]
        self.assertTrue(all(count > 0 for count in logs), logs)
        print(f"\nwebhook attempts per instance: {logs}, most at once: {receiver.most}", file=sys.stderr)


if __name__ == "__main__":
    unittest.main()
