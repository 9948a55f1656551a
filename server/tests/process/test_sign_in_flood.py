"""A flood of wrong sign-ins can't take the console down: guesses are refused before any
password hashing once an address or account has failed too often, at most one hash per core
runs at once, and a normal visitor still gets the sign-in page and the wasm promptly."""

import http.client
import sys
import threading
import time
import unittest

from support import ADMIN, Server

FLOOD = 500


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def wrong_sign_in(port, email, source, statuses, lock):
    body = f"email={email}&password=not-the-password"
    try:
        conn = http.client.HTTPConnection(
            "127.0.0.1", port, timeout=60, source_address=(source, 0)
        )
        conn.request(
            "POST",
            "/login",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Sec-Fetch-Site": "same-origin",
                "Connection": "close",
            },
        )
        response = conn.getresponse()
        response.read()
        status = response.status
        conn.close()
    except OSError as error:
        status = type(error).__name__
    with lock:
        statuses[status] = statuses.get(status, 0) + 1


class SignInFlood(unittest.TestCase):
    def setUp(self):
        # The flood is about sign-in limits: its 500 connections from one address are all
        # let in (the per-address connection cap has its own test in test_slow_clients).
        self.srv = Server(TOKENSMITH_MAX_CONNECTIONS_PER_ADDRESS=FLOOD * 2).start()

    def tearDown(self):
        self.srv.close()

    def flood(self, sources, emails):
        """500 concurrent wrong sign-ins; meanwhile a visitor loads /login and the wasm."""
        statuses, lock, threads = {}, threading.Lock(), []
        for i in range(FLOOD):
            args = (self.srv.port, emails(i), sources(i), statuses, lock)
            threads.append(threading.Thread(target=wrong_sign_in, args=args))
        for thread in threads:
            thread.start()
        # The visitor comes once the flood is under way: its first answers are in.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with lock:
                if sum(statuses.values()) >= 20:
                    break
            time.sleep(0.01)
        visitor = []
        for path in ["/login", "/pkg/tokensmith.wasm", "/login", "/pkg/tokensmith.wasm"]:
            start = time.monotonic()
            status, _, body = self.srv.request("GET", path)
            visitor.append((path, status, len(body), time.monotonic() - start))
        for thread in threads:
            thread.join(120)
        return statuses, visitor

    def check_visitor(self, visitor):
        for path, status, size, seconds in visitor:
            self.assertEqual(status, 200, path)
            self.assertGreater(size, 0, path)
            self.assertLess(seconds, 2.0, f"{path} took {seconds:.2f} s during the flood")

    def test_a_flood_from_one_address_gets_429s_and_visitors_are_served(self):
        statuses, visitor = self.flood(lambda i: "127.0.0.1", lambda i: ADMIN)
        rss = peak_rss_mib(self.srv.proc.pid)
        print(
            f"\n[sign-in flood] one address, {FLOOD} wrong sign-ins: {statuses}; visitor "
            + ", ".join(f"{p} {s:.3f} s" for p, _, _, s in visitor)
            + f"; server peak RSS {rss:.0f} MiB",
            file=sys.stderr,
        )
        self.check_visitor(visitor)
        self.assertEqual(statuses.get(401, 0), 10, "only the account's 10 failures were tried")
        self.assertEqual(statuses.get(429, 0), FLOOD - 10)
        self.assertLess(rss, 400)
        with self.srv.db() as db:
            audited = db.execute(
                "SELECT count(*) FROM audit_events WHERE action = 'sign_in_throttled'"
            ).fetchone()[0]
        self.assertEqual(audited, 1)

    def test_a_flood_from_many_addresses_is_bounded_by_the_hash_slots(self):
        statuses, visitor = self.flood(
            lambda i: f"127.0.{1 + i // 250}.{1 + i % 250}", lambda i: f"nobody{i}%40acme.test"
        )
        rss = peak_rss_mib(self.srv.proc.pid)
        print(
            f"\n[sign-in flood] {FLOOD} addresses, {FLOOD} wrong sign-ins: {statuses}; visitor "
            + ", ".join(f"{p} {s:.3f} s" for p, _, _, s in visitor)
            + f"; server peak RSS {rss:.0f} MiB",
            file=sys.stderr,
        )
        self.check_visitor(visitor)
        self.assertEqual(set(statuses) - {401, 503}, set(), statuses)
        self.assertEqual(sum(statuses.values()), FLOOD)
        self.assertLess(rss, 400)


if __name__ == "__main__":
    unittest.main()
