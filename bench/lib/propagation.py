"""bench/propagation's measurement: see that script. Usage:
python3 propagation.py DATABASE_URL CHANGES RATE"""

import base64
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse

PASSWORD = "bench-password-123"
KINDS = ["revoke", "disable", "reset", "exposure", "allowlist"]
REFUSED = {"revoke": 401, "disable": 403, "reset": 401, "exposure": 401, "allowlist": 403}


def basic(sid, secret):
    return "Basic " + base64.b64encode(f"{sid}:{secret}".encode()).decode()


class Instance:
    def __init__(self, database_url, port, keys, folder):
        self.port = port
        self.env = dict(
            os.environ,
            DATABASE_URL=database_url,
            LEPTOS_SITE_ADDR=f"127.0.0.1:{port}",
            LEPTOS_SITE_ROOT="target/site",
            TOKENSMITH_DEMO_PASSWORD=PASSWORD,
            TOKENSMITH_SECRET_SCANNING_KEYS=keys,
            TOKENSMITH_REVOCATION_LIMIT="100000",
            TOKENSMITH_AUTH_FAILURE_LIMIT="100000",
            RUST_LOG="warn",
        )
        log = open(os.path.join(folder, f"server-{port}.log"), "wb")
        self.proc = subprocess.Popen(["target/release/tokensmith", "serve"], env=self.env, stdout=log, stderr=log)
        self.conn = None
        for _ in range(300):
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                self.conn = None
            time.sleep(0.05)
        raise SystemExit(f"the server on {port} did not start")

    def request(self, method, path, body=None, headers=None):
        """One request on this instance's keep-alive connection: (status, body bytes)."""
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                reply = self.conn.getresponse()
                return reply.status, reply.read(), reply.headers
            except (OSError, http.client.HTTPException):
                self.conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(20)


def sign_in(a):
    status, _, headers = a.request(
        "POST", "/login", body="email=admin%40acme.test&password=" + PASSWORD,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin"},
    )
    cookies = [v.split(";")[0] for k, v in headers.items() if k.lower() == "set-cookie"]
    assert status == 303 and cookies, status
    return "; ".join(cookies)


def call(a, cookie, endpoint, obj):
    headers = {"Cookie": cookie, "Content-Type": "application/json", "Accept": "application/json",
               "Sec-Fetch-Site": "same-origin"}
    status, body, _ = a.request("POST", f"/api/{endpoint}", body=json.dumps(obj), headers=headers)
    return status, json.loads(body) if body[:1] in (b"{", b"[") else body


def key_pair(folder):
    key = os.path.join(folder, "key.pem")
    subprocess.run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key], check=True)
    public = subprocess.run(["openssl", "ec", "-in", key, "-pubout"], check=True, capture_output=True, text=True).stdout
    keys = os.path.join(folder, "keys.json")
    with open(keys, "w") as f:
        json.dump({"public_keys": [{"key_identifier": "bench", "key": public}]}, f)
    return key, keys


def signed_report(key, secret):
    body = json.dumps([{"token": secret, "type": "tokensmith_auth_token", "url": "https://github.com/x/y", "source": "content"}]).encode()
    signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key], input=body, check=True, capture_output=True).stdout
    return body, {"Content-Type": "application/json", "Github-Public-Key-Identifier": "bench",
                  "Github-Public-Key-Signature": base64.b64encode(signature).decode()}


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    database_url, changes, rate = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    folder = tempfile.mkdtemp(prefix="bench-propagation-")
    key, keys = key_pair(folder)
    env = dict(os.environ, DATABASE_URL=database_url, TOKENSMITH_DEMO_PASSWORD=PASSWORD)
    subprocess.run(["target/release/tokensmith", "seed-demo"], env=env, check=True, capture_output=True)
    a = Instance(database_url, 3610, keys, folder)
    b = Instance(database_url, 3611, keys, folder)
    try:
        cookie = sign_in(a)
        form = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin"}
        assert a.request("POST", "/api/set_api_access", body="enabled=true", headers=form)[0] == 200
        contact = call(a, cookie, "list_contacts", {})[1][0]["id"]
        settings = a.request("POST", "/api/api_settings", body="", headers=dict(form, Accept="application/json"))[1]
        account = json.loads(settings)["account_sid"]
        path = f"/Advertisers/{account}/Actions"

        def make(n):
            draft = {"draft": {"step": "Review", "name": f"Bench {n}", "description": "", "api_version": 14,
                               "primary_contact": contact, "developer_emails": [], "scopes": ["actions:get"],
                               "open_categories": ["actions"]}}
            status, made = call(a, cookie, "create_token", draft)
            assert status == 200, made
            return made["sid"], made["secret"]

        load_sid, load_secret = make("load")
        print(f"making {changes} tokens…", file=sys.stderr, flush=True)
        tokens = [make(n) for n in range(changes)]

        # The load on B: the sandbox at a fixed rate (hey: -q per worker, 8 workers).
        seconds = 600
        hey = subprocess.Popen(
            ["hey", "-z", f"{seconds}s", "-c", "8", "-q", str(max(1, rate // 8)),
             "-H", f"Authorization: {basic(load_sid, load_secret)}", f"http://127.0.0.1:{b.port}{path}"],
            stdout=subprocess.PIPE, text=True)
        time.sleep(1)
        measured = {kind: [] for kind in KINDS}
        after_answer = []
        allowed_after = 0
        for n, (sid, secret) in enumerate(tokens):
            kind = KINDS[n % len(KINDS)]
            auth = {"Authorization": basic(sid, secret)}
            assert b.request("GET", path, headers=auth)[0] == 200  # B has it cached
            if kind in ("disable", "reset", "allowlist"):
                version = call(a, cookie, "get_token", {"sid": sid})[1]["version"]
                change = {"disable": {"SetEnabled": {"enabled": False}}, "reset": "Reset",
                          "allowlist": {"AllowedIps": {"allowed_ips": "192.0.2.0/24"}}}[kind]
                request = ("POST", "/api/change_token",
                           json.dumps({"sid": sid, "version": version, "change": change}),
                           {"Cookie": cookie, "Content-Type": "application/json", "Sec-Fetch-Site": "same-origin"})
            elif kind == "revoke":
                request = ("POST", "/oauth/revoke", f"token={secret}", {"Content-Type": "application/x-www-form-urlencoded"})
            else:
                body, headers = signed_report(key, secret)
                request = ("POST", "/secret-scanning/github", body, headers)
            sent = time.monotonic()
            status = a.request(*request)[0]
            answered = time.monotonic()
            assert status == 200, (kind, status)
            while True:
                seen = b.request("GET", path, headers=auth)[0]
                if seen == REFUSED[kind]:
                    break
                assert seen == 200, (kind, seen)
                allowed_after += 1
            refused = time.monotonic()
            measured[kind].append(refused - sent)
            after_answer.append(refused - answered)
        hey.send_signal(signal.SIGINT)  # hey prints its report on an interrupt
        out = hey.communicate(timeout=30)[0]
    finally:
        a.stop()
        b.stop()
    everything = [t for times in measured.values() for t in times]
    ms = lambda t: f"{t * 1000:.1f} ms"
    print(f"\nchanges on A, refusals on B, {len(everything)} changes, B under {rate} req/s of sandbox calls")
    print(f"{'':28} {'p50':>10} {'p99':>10} {'max':>10}")
    print(f"{'sent to A → refused by B':28} {ms(percentile(everything, 50)):>10} {ms(percentile(everything, 99)):>10} {ms(max(everything)):>10}")
    print(f"{'A answered → refused by B':28} {ms(percentile(after_answer, 50)):>10} {ms(percentile(after_answer, 99)):>10} {ms(max(after_answer)):>10}")
    for kind in KINDS:
        times = measured[kind]
        print(f"{'  ' + kind:28} {ms(percentile(times, 50)):>10} {ms(percentile(times, 99)):>10} {ms(max(times)):>10}")
    print(f"calls B still allowed after A had answered: {allowed_after}")
    p99 = re.search(r"99%+ in ([0-9.]+) secs", out)
    rps = re.search(r"Requests/sec:\s+([0-9.]+)", out)
    statuses = re.findall(r"\[(\d+)\]\s+(\d+) responses", out)
    print(f"sandbox on B meanwhile: {rps.group(1) if rps else '?'} req/s, p99 "
          f"{float(p99.group(1)) * 1000:.1f} ms" if p99 else "sandbox p99: ?", f"statuses {statuses}")
    if max(everything) > 1.0:
        sys.exit(f"a change took {max(everything):.3f} s to reach the other instance (promise: 1 s)")


if __name__ == "__main__":
    main()
