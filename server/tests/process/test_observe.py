"""The operator's view of a running binary: JSON logs (one object per line, with the
request id, route, status, latency, user and SID, never a secret), a request id answered,
and /metrics on its own address only."""

import base64
import http.client
import json
import unittest

from support import ADMIN, PASSWORD, Server, draft, free_port


class JsonLogsAndMetrics(unittest.TestCase):
    def setUp(self):
        self.metrics_port = free_port()
        self.srv = Server(
            TOKENSMITH_LOG_FORMAT="json",
            TOKENSMITH_METRICS_ADDR=f"127.0.0.1:{self.metrics_port}",
            RUST_LOG="info",
        )
        self.addCleanup(self.srv.close)
        self.srv.start()

    def scrape(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.metrics_port, timeout=10)
        try:
            conn.request("GET", "/metrics")
            response = conn.getresponse()
            return response.status, response.read().decode()
        finally:
            conn.close()

    def access_line(self, request_id):
        lines = [json.loads(line) for line in self.srv.log().splitlines() if line.strip()]
        found = [
            line for line in lines
            if line.get("target") == "access"
            and line.get("span", {}).get("request_id") == request_id
        ]
        self.assertEqual(len(found), 1, found)
        return found[0]

    def test_every_log_line_is_json_and_requests_are_traceable(self):
        srv = self.srv
        cookie = srv.sign_in(ADMIN)
        status, _ = srv.call_form(cookie, "set_api_access", "enabled=true")
        self.assertEqual(status, 200)
        status, made = srv.call_json(cookie, "create_token", draft("Traced", srv.user_id(ADMIN)))
        self.assertEqual(status, 200, made)
        account = srv.account_sid()
        auth = base64.b64encode(f"{made['sid']}:{made['secret']}".encode()).decode()
        status, headers, _ = srv.request(
            "GET",
            f"/Advertisers/{account}/Reports",
            headers={"Authorization": f"Basic {auth}", "X-Request-Id": "lb-7f3a-0001"},
        )
        self.assertEqual(status, 200)
        self.assertEqual(headers["X-Request-Id"], "lb-7f3a-0001")
        status, headers, _ = srv.request("GET", "/healthz")
        generated = headers["X-Request-Id"]
        self.assertRegex(generated, r"^[0-9a-f]{32}$")

        log = srv.log()
        for line in log.splitlines():
            if line.strip():
                json.loads(line)  # every line is one JSON object
        for secret in (made["secret"], PASSWORD, cookie.split("=", 1)[1]):
            self.assertNotIn(secret, log)

        line = self.access_line("lb-7f3a-0001")
        self.assertEqual(line["level"], "INFO")
        self.assertEqual(line["route"], "/Advertisers/{account}/{resource}")
        self.assertEqual(line["status"], 200)
        self.assertEqual(line["sid"], made["sid"])
        self.assertIsInstance(line["latency_ms"], float)
        self.assertIn("timestamp", line)
        self.assertEqual(self.access_line(generated)["route"], "/healthz")

        # /metrics answers on its own address, not the public one.
        self.assertEqual(srv.request("GET", "/metrics")[0], 404)
        status, text = self.scrape()
        self.assertEqual(status, 200)
        self.assertIn('tokensmith_sandbox_decisions_total{decision="allow"} 1', text)
        self.assertIn('tokensmith_sign_ins_total{outcome="success"} 1', text)
        self.assertIn('tokensmith_build_info{version="', text)


class PlainText(unittest.TestCase):
    def test_text_logs_written_to_a_file_carry_no_colour_codes(self):
        srv = Server()
        self.addCleanup(srv.close)
        srv.start()
        srv.request("GET", "/login")
        log = srv.log()
        self.assertIn("listening on http://", log)
        self.assertNotIn("\x1b[", log, "terminal colour codes in a log file")


class BadSettings(unittest.TestCase):
    def test_an_unknown_log_format_or_metrics_address_stops_the_start(self):
        for env, message in (
            ({"TOKENSMITH_LOG_FORMAT": "xml"}, "TOKENSMITH_LOG_FORMAT"),
            ({"TOKENSMITH_METRICS_ADDR": "everywhere"}, "TOKENSMITH_METRICS_ADDR"),
        ):
            srv = Server(seed=False, **env)
            self.addCleanup(srv.close)
            with self.assertRaises(AssertionError) as failed:
                srv.start(wait=10)
            self.assertIn(message, str(failed.exception))


if __name__ == "__main__":
    unittest.main()
