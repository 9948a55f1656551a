"""Fair limits for the sandbox API over real TCP with real client addresses: a caller with good
credentials is never refused because another client behind the same address failed, while the
failing client is throttled; the same behind a trusted proxy's X-Forwarded-For; an untrusted
X-Forwarded-For is ignored."""

import base64
import http.client
import socket
import unittest

from support import ADMIN, Server, draft

LIMIT = 5


def basic(sid, secret):
    return "Basic " + base64.b64encode(f"{sid}:{secret}".encode()).decode()


class FairLimits(unittest.TestCase):
    def start(self, host="127.0.0.1"):
        self.srv = Server(
            host, TOKENSMITH_AUTH_FAILURE_LIMIT=LIMIT, TOKENSMITH_TRUSTED_PROXIES="127.0.0.1/32"
        ).start()
        admin = self.srv.sign_in(ADMIN)
        self.assertEqual(self.srv.call_form(admin, "set_api_access", "enabled=true")[0], 200)
        contact = self.srv.user_id(ADMIN)
        tokens = []
        for name in ["Good caller", "Other token"]:
            status, body = self.srv.call_json(admin, "create_token", draft(name, contact))
            self.assertEqual(status, 200, body)
            tokens.append(body)
        self.good = basic(tokens[0]["sid"], tokens[0]["secret"])
        # Well-formed, but not this token's secret: a wrong guess.
        wrong = tokens[1]["secret"][:-7] + ("A" if tokens[1]["secret"][-7] != "A" else "B")
        self.bad = basic(tokens[1]["sid"], wrong + tokens[1]["secret"][-6:])
        self.path = f"/Advertisers/{self.srv.account_sid()}/Actions"

    def tearDown(self):
        self.srv.close()

    def call(self, auth, source="127.0.0.1", forwarded=None, host="127.0.0.1"):
        conn = http.client.HTTPConnection(host, self.srv.port, timeout=10, source_address=(source, 0))
        headers = {"Authorization": auth, "Connection": "close"}
        if forwarded:
            headers["X-Forwarded-For"] = forwarded
        conn.request("GET", self.path, headers=headers)
        response = conn.getresponse()
        response.read()
        conn.close()
        return response.status

    def test_a_good_caller_is_never_refused_for_a_neighbours_failures(self):
        self.start()
        shared = "127.0.0.5"
        a = [self.call(self.bad, shared) for _ in range(LIMIT * 3)]
        b = [self.call(self.good, shared) for _ in range(LIMIT * 3)]
        a += [self.call(self.bad, shared) for _ in range(3)]
        self.assertEqual(a[:LIMIT], [401] * LIMIT)
        self.assertEqual(set(a[LIMIT:]), {429}, a)
        self.assertEqual(set(b), {200}, b)
        # Another address is untouched by either.
        self.assertEqual(self.call(self.bad, "127.0.0.6"), 401)

    def test_behind_a_trusted_proxy_the_forwarded_address_counts(self):
        self.start()
        client = "198.51.100.7"
        a = [self.call(self.bad, "127.0.0.1", f"10.9.9.9, {client}") for _ in range(LIMIT * 2)]
        b = [self.call(self.good, "127.0.0.1", client) for _ in range(LIMIT * 2)]
        self.assertEqual(a[:LIMIT], [401] * LIMIT)
        self.assertEqual(set(a[LIMIT:]), {429}, a)
        self.assertEqual(set(b), {200}, b)
        # A different client behind the same proxy is not throttled by the first.
        self.assertEqual(self.call(self.bad, "127.0.0.1", "198.51.100.8"), 401)

    def test_an_untrusted_forwarded_header_is_ignored(self):
        self.start()
        statuses = [
            self.call(self.bad, "127.0.0.9", f"203.0.113.{i}") for i in range(LIMIT * 2)
        ]
        self.assertEqual(statuses[:LIMIT], [401] * LIMIT)
        self.assertEqual(set(statuses[LIMIT:]), {429}, statuses)

    def test_ipv6_loopback_clients_are_counted_too(self):
        try:
            socket.create_server(("::1", 0), family=socket.AF_INET6).close()
        except OSError:
            self.skipTest("no IPv6 loopback here")
        self.start(host="::1")
        a = [self.call(self.bad, "::1", host="::1") for _ in range(LIMIT * 2)]
        b = [self.call(self.good, "::1", host="::1") for _ in range(LIMIT)]
        self.assertEqual(a[:LIMIT], [401] * LIMIT)
        self.assertEqual(set(a[LIMIT:]), {429}, a)
        self.assertEqual(set(b), {200}, b)


if __name__ == "__main__":
    unittest.main()
