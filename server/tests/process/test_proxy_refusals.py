"""The release binary behind nginx configured as scripts/lib/nginx.conf.template (the test
and README proxy): every early refusal reaches the client as itself, never as nginx's 502,
and nothing a client puts in X-Forwarded-For makes it pass for the proxy."""

import base64
import http.client
import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest

from support import ADMIN, Nginx, Server, draft

def basic(sid, secret):
    return "Basic " + base64.b64encode(f"{sid}:{secret}".encode()).decode()


class ThroughTheProxy(unittest.TestCase):
    def setUp(self):
        if shutil.which("nginx") is None:
            self.fail("nginx is not installed (scripts/test installs it)")
        self.server = Server(TOKENSMITH_TRUSTED_PROXIES="127.0.0.1").start()
        self.addCleanup(self.server.close)
        self.nginx = Nginx(self.server.port)
        self.addCleanup(self.nginx.close)

    def test_early_refusals_with_a_body_reach_the_client_as_themselves(self):
        body = b"x" * 60_000
        same_site = {"Sec-Fetch-Site": "same-origin"}
        json_type = dict(same_site, **{"Content-Type": "application/json"})
        sandbox = f"/Advertisers/{self.server.account_sid()}/Reports"
        cases = [
            ("unknown server function", "POST", "/api/nope", body, json_type, 404),
            ("over the body limit", "POST", "/api/create_token", b"x" * 70_000, json_type, 413),
            ("revocation without a token", "POST", "/oauth/revoke", body, json_type, 400),
            ("cross-site", "POST", "/api/create_token", body,
             dict(json_type, **{"Sec-Fetch-Site": "cross-site"}), 403),
            ("unknown page", "PUT", "/no-such-page", body, same_site, 404),
            ("bad credentials", "POST", sandbox, body,
             {"Authorization": basic("TS" + "0" * 32, "tsm_wrong"), "Content-Type": "application/json"}, 401),
            ("no credentials", "DELETE", sandbox, body, {}, 401),
        ]
        for name, method, path, payload, headers, expected in cases:
            for attempt in range(3):
                status, text = self.nginx.send(method, path, payload, headers)
                self.assertEqual(
                    status, expected,
                    f"{name} (try {attempt + 1}): {text[:200]!r}\n{self.nginx.error_log()[-2000:]}",
                )
        self.assertNotIn("upstream prematurely closed", self.nginx.error_log())
        self.assertNotIn("reset by peer", self.nginx.error_log())

    def test_a_client_cannot_pass_for_the_proxy(self):
        admin = self.server.sign_in(ADMIN)
        self.assertEqual(self.server.call_form(admin, "set_api_access", "enabled=true")[0], 200)
        body = draft("Proxy host only", self.server.user_id(ADMIN))
        body["draft"]["allowed_ips"] = "127.0.0.1/32"
        status, token = self.server.call_json(admin, "create_token", body)
        self.assertEqual(status, 200, token)
        path = f"/Advertisers/{self.server.account_sid()}/Actions"
        auth = {"Authorization": basic(token["sid"], token["secret"])}
        # Straight to the server from this host: inside the allowlist.
        self.assertEqual(self.server.request("GET", path, headers=auth)[0], 200)
        # Through nginx from the proxy's own host: allowed.
        self.assertEqual(self.nginx.send("GET", path, headers=auth)[0], 200)
        # From another host (127.0.0.2, which nginx appends): refused, whatever it sends.
        for sent in [None, b"\xff", b"\xff\xfe", b"127.0.0.1", b"127.0.0.1:80", b"[::1]:1", b"nonsense"]:
            raw = [] if sent is None else [("X-Forwarded-For", sent)]
            status, text = self.nginx.send("GET", path, headers=auth, raw_headers=raw, source="127.0.0.2")
            self.assertEqual(status, 403, f"{sent!r}: {text[:300]!r}")
            self.assertIn(b"127.0.0.2", text, sent)
        # A header nginx passes on untouched (a client straight to a trusted peer): the
        # unreadable entry is where the client's address should be, so it is refused.
        status, _, text = self.server.request(
            "GET", path, headers=dict(auth, **{"X-Forwarded-For": "junk"})
        )
        self.assertEqual(status, 400, text)


if __name__ == "__main__":
    unittest.main()
