"""Token usage survives restarts: a graceful stop writes what was counted; after SIGKILL,
everything up to the last flush is there and nothing is counted twice."""

import base64
import time
import unittest

from support import ADMIN, Server, draft


class UsageSurvivesRestarts(unittest.TestCase):
    def setUp(self):
        self.srv = Server(TOKENSMITH_USAGE_FLUSH_SECS=1)
        self.addCleanup(self.srv.close)
        self.srv.start()

    def calls(self, sid, secret, n):
        account = self.srv.account_sid()
        auth = base64.b64encode(f"{sid}:{secret}".encode()).decode()
        for _ in range(n):
            status, _, _ = self.srv.request(
                "GET", f"/Advertisers/{account}/Reports", headers={"Authorization": f"Basic {auth}"}
            )
            self.assertEqual(status, 200)

    def allowed(self):
        rows = self.srv.sql("SELECT COALESCE(SUM(allowed), 0) FROM token_usage")
        return int(rows[0][0])

    def test_graceful_stop_writes_the_counts_and_a_kill_keeps_the_last_flush(self):
        srv = self.srv
        cookie = srv.sign_in(ADMIN)
        status, _ = srv.call_form(cookie, "set_api_access", "enabled=true")
        self.assertEqual(status, 200)
        status, made = srv.call_json(cookie, "create_token", draft("Counted", srv.user_id(ADMIN)))
        self.assertEqual(status, 200, made)

        # Counted, flushed within a second, then killed: the flushed counts survive.
        self.calls(made["sid"], made["secret"], 7)
        deadline = time.monotonic() + 10
        while self.allowed() < 7 and time.monotonic() < deadline:
            time.sleep(0.2)
        self.assertEqual(self.allowed(), 7)
        srv.kill9()
        # Back with an hour between flushes: only the stop can write what comes next.
        srv.env["TOKENSMITH_USAGE_FLUSH_SECS"] = "3600"
        srv.start()
        self.assertEqual(self.allowed(), 7, "a restart neither loses nor repeats flushed counts")

        # A graceful stop writes what was counted since the last flush.
        self.calls(made["sid"], made["secret"], 5)
        self.assertEqual(srv.terminate(), 0)
        self.assertEqual(self.allowed(), 12, srv.log_tail())


if __name__ == "__main__":
    unittest.main()
