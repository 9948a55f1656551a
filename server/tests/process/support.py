"""Runs the real `tokensmith` binary for process-level tests, and talks HTTP to it.

`TOKENSMITH_BIN` names the binary (default `target/debug/tokensmith`) and
`LEPTOS_SITE_ROOT` the built site (default: a temp folder with a fake
`pkg/tokensmith.wasm` and `favicon.svg`); relative paths are taken from the repository root.
"""

import atexit
import base64
import http.client
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time
import urllib.parse

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
PASSWORD = "process-test-password-42"
ADMIN = "admin@acme.test"
SPECIALIST = "specialist@acme.test"
ANALYST = "analyst@acme.test"
FINANCE = "finance@acme.test"
TIMEOUT = 20  # seconds any one request may take before the test fails instead of hanging

# Errors that mean "the server did not answer": the write is unacknowledged.
CONNECTION_ERRORS = (OSError, http.client.HTTPException)


def _from_repo(path):
    return path if os.path.isabs(path) else os.path.join(REPO, path)


def binary():
    return _from_repo(os.environ.get("TOKENSMITH_BIN", "target/debug/tokensmith"))


_site_root = None


def site_root():
    """The site folder to serve: `LEPTOS_SITE_ROOT`, or a fake one made once per run."""
    global _site_root
    if os.environ.get("LEPTOS_SITE_ROOT"):
        return _from_repo(os.environ["LEPTOS_SITE_ROOT"])
    if _site_root is None:
        _site_root = tempfile.mkdtemp(prefix="tokensmith-site-")
        atexit.register(shutil.rmtree, _site_root, True)
        os.makedirs(os.path.join(_site_root, "pkg"))
        with open(os.path.join(_site_root, "pkg", "tokensmith.wasm"), "wb") as f:
            f.write(b"\0asm\x01\0\0\0" + os.urandom(400 * 1024))
        with open(os.path.join(_site_root, "favicon.svg"), "w") as f:
            f.write('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>')
    return _site_root


def free_port(host="127.0.0.1"):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def postgres_database():
    """A new, empty database on the throwaway PostgreSQL server scripts/test starts
    (`TOKENSMITH_TEST_POSTGRES`, its admin URL); its URL. Without one this fails: the
    multi-instance tests never skip."""
    admin = os.environ.get("TOKENSMITH_TEST_POSTGRES")
    if not admin:
        raise AssertionError("TOKENSMITH_TEST_POSTGRES is not set: scripts/test starts PostgreSQL")
    name = "proc_" + os.urandom(8).hex()
    psql(admin, f"CREATE DATABASE {name}")
    return admin.rsplit("/", 1)[0] + "/" + name


def psql(url, sql):
    """Runs `sql` with psql; returns its rows as lists of strings."""
    done = subprocess.run(
        ["psql", "-X", "-q", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", url, "-c", sql],
        capture_output=True, text=True, timeout=60,
    )
    if done.returncode != 0:
        raise AssertionError(f"psql failed: {done.stderr}")
    return [line.split("\t") for line in done.stdout.splitlines() if line]


class Server:
    """One `tokensmith serve` on a fresh database with the demo seeded; or, given
    `database_url`, on that database (seeded unless `seed=False`)."""

    def __init__(self, host="127.0.0.1", database_url=None, seed=True, **extra_env):
        self.host = host
        self.dir = tempfile.mkdtemp(prefix="tokensmith-proc-")
        self.db_path = os.path.join(self.dir, "t.db")
        self.log_path = os.path.join(self.dir, "server.log")
        self.port = free_port(host)
        listen = f"[{host}]" if ":" in host else host
        self.env = dict(os.environ)
        self.env.update(
            DATABASE_URL=database_url or f"sqlite://{self.db_path}",
            LEPTOS_SITE_ADDR=f"{listen}:{self.port}",
            LEPTOS_SITE_ROOT=site_root(),
            TOKENSMITH_DEMO_PASSWORD=PASSWORD,
            # Its own, kept across a restart of this server.
            TOKENSMITH_QUOTA_JOURNAL=os.path.join(self.dir, "quota.journal"),
        )
        self.env.update({k: str(v) for k, v in extra_env.items()})
        self.database_url = self.env["DATABASE_URL"]
        self.proc = None
        if not seed:
            return
        seeded = subprocess.run(
            [binary(), "seed-demo"], env=self.env, capture_output=True, text=True, timeout=120
        )
        if seeded.returncode != 0:
            raise AssertionError(f"seed-demo failed:\n{seeded.stdout}\n{seeded.stderr}")

    # --- the process -------------------------------------------------------------------

    def start(self, wait=30):
        """Spawns `serve` and waits until /healthz answers 200."""
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [binary(), "serve"], env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(
                    f"server exited with {self.proc.returncode} at start:\n{self.log_tail()}"
                )
            try:
                if self.request("GET", "/healthz", timeout=2)[0] == 200:
                    return self
            except CONNECTION_ERRORS:
                pass
            time.sleep(0.05)
        raise AssertionError(f"server did not answer /healthz within {wait} s:\n{self.log_tail()}")

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def terminate(self, timeout=15):
        """SIGTERM; returns the exit code, or fails (after SIGKILL) if it takes longer."""
        self.proc.send_signal(signal.SIGTERM)
        return self.wait(timeout)

    def wait(self, timeout=15):
        """Waits for the process to exit; returns its code, or fails (after SIGKILL)."""
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill9()
            raise AssertionError(f"server still running after {timeout} s:\n{self.log_tail()}")

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def log(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def log_tail(self, lines=40):
        return "\n".join(self.log().splitlines()[-lines:])

    def close(self):
        if self.running():
            self.kill9()
        shutil.rmtree(self.dir, ignore_errors=True)

    def db(self):
        """A sqlite3 connection to the server's database file."""
        return sqlite3.connect(self.db_path, timeout=10)

    def sql(self, sql):
        """Rows of `sql` (no parameters: tests pass only their own values), on either engine."""
        if self.database_url.startswith("postgres"):
            return psql(self.database_url, sql)
        with self.db() as db:
            return [[str(v) for v in row] for row in db.execute(sql).fetchall()]

    def user_id(self, email):
        return int(self.sql(f"SELECT id FROM users WHERE email = '{email}'")[0][0])

    def account_sid(self):
        return self.sql("SELECT sid FROM accounts WHERE name = 'Acme Outdoor'")[0][0]

    # --- HTTP, one connection per request ------------------------------------------------

    def request(self, method, path, body=None, headers=None, timeout=TIMEOUT):
        """Returns (status, headers, body bytes); connection errors are raised."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            all_headers = {"Connection": "close"}
            all_headers.update(headers or {})
            conn.request(method, path, body=body, headers=all_headers)
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()

    def sign_in(self, email, password=PASSWORD):
        """POST /login as the form does; returns the session cookie `name=value`."""
        body = urllib.parse.urlencode({"email": email, "password": password})
        status, headers, text = self.request(
            "POST",
            "/login",
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Sec-Fetch-Site": "same-origin",
                "Accept": "text/html",
            },
        )
        if status != 303:
            raise AssertionError(f"sign-in as {email}: {status} {text[:200]!r}")
        return headers["Set-Cookie"].split(";")[0]

    def _call(self, cookie, endpoint, body, content_type):
        headers = {
            "Content-Type": content_type,
            "Accept": "application/json",
            "Sec-Fetch-Site": "same-origin",
        }
        if cookie:
            headers["Cookie"] = cookie
        status, _, text = self.request("POST", f"/api/{endpoint}", body, headers)
        text = text.decode("utf-8", "replace")
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text

    def call_json(self, cookie, endpoint, obj):
        """Calls a JSON server function; returns (status, parsed body or text)."""
        return self._call(cookie, endpoint, json.dumps(obj), "application/json")

    def call_form(self, cookie, endpoint, body):
        """Calls a form-encoded server function; returns (status, parsed body or text)."""
        return self._call(cookie, endpoint, body, "application/x-www-form-urlencoded")


def draft(name, contact_id):
    """The `create_token` body for a token with two scopes and one developer email."""
    return {
        "draft": {
            "step": "Review",
            "name": name,
            "description": "",
            "api_version": 12,
            "primary_contact": contact_id,
            "developer_emails": ["dev@partner.test"],
            "scopes": ["reports:get", "actions:get"],
            "open_categories": ["reports", "actions"],
        }
    }


def scanning_key_pair(folder):
    """A P-256 key pair made with openssl: (private key path, GitHub public_keys file path),
    the key named "process-test-key"."""
    key = os.path.join(folder, "scanning-key.pem")
    subprocess.run(
        ["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key],
        check=True,
        capture_output=True,
    )
    public = subprocess.run(
        ["openssl", "ec", "-in", key, "-pubout"], check=True, capture_output=True, text=True
    ).stdout
    keys = os.path.join(folder, "scanning-keys.json")
    with open(keys, "w") as f:
        json.dump(
            {"public_keys": [{"key_identifier": "process-test-key", "key": public, "is_current": True}]},
            f,
        )
    return key, keys


def github_report(srv, key, matches):
    """Sends `matches` to `srv`'s POST /secret-scanning/github, signed with `key` as GitHub
    signs (DER ECDSA over SHA-256, base64); (status, parsed body or text)."""
    body = json.dumps(matches).encode()
    signature = subprocess.run(
        ["openssl", "dgst", "-sha256", "-sign", key], input=body, check=True, capture_output=True
    ).stdout
    headers = {
        "Content-Type": "application/json",
        "Github-Public-Key-Identifier": "process-test-key",
        "Github-Public-Key-Signature": base64.b64encode(signature).decode(),
    }
    status, _, text = srv.request("POST", "/secret-scanning/github", body=body, headers=headers)
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


TEMPLATE = os.path.join(REPO, "scripts", "lib", "nginx.conf.template")


class Nginx:
    """nginx from scripts/lib/nginx.conf.template, in front of `upstream_ports` (one port or
    a list: round robin)."""

    def __init__(self, upstream_ports):
        if isinstance(upstream_ports, int):
            upstream_ports = [upstream_ports]
        self.dir = tempfile.mkdtemp(prefix="tokensmith-nginx-")
        # nginx's workers (not root) write request bodies under it.
        os.chmod(self.dir, 0o755)
        self.port = free_port()
        with open(TEMPLATE) as f:
            conf = f.read()
        conf = conf.replace("@DIR@", self.dir).replace("@LISTEN@", f"127.0.0.1:{self.port}")
        servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=0;" for p in upstream_ports)
        conf = conf.replace("@UPSTREAMS@", servers)
        path = os.path.join(self.dir, "nginx.conf")
        with open(path, "w") as f:
            f.write(conf)
        subprocess.run(
            ["nginx", "-c", path, "-p", self.dir, "-e", os.path.join(self.dir, "error.log")],
            check=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if self.send("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("nginx did not answer")

    def send(self, method, path, body=None, headers=None, raw_headers=(), source="127.0.0.1"):
        """One request over a fresh connection from `source`; `raw_headers` are (name,
        bytes) sent as is."""
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=20, source_address=(source, 0)
        )
        try:
            conn.putrequest(method, path, skip_accept_encoding=True)
            for name, value in (headers or {}).items():
                conn.putheader(name, value)
            for name, value in raw_headers:
                conn.putheader(name, value)
            if body is not None:
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def error_log(self):
        with open(os.path.join(self.dir, "error.log"), errors="replace") as f:
            return f.read()

    def close(self):
        try:
            with open(os.path.join(self.dir, "nginx.pid")) as f:
                os.kill(int(f.read().strip()), 15)
        except (OSError, ValueError):
            pass
        time.sleep(0.2)
        shutil.rmtree(self.dir, ignore_errors=True)
