"""The README's nginx example, run as written (only its ports, upstream and certificate
paths swapped for a throwaway CA's): over TLS through it, sign-in works, the session
cookie is the Secure `__Host-` one, HSTS is sent, the request id comes back, and plain
HTTP is redirected to https."""

import http.client
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
import unittest
import urllib.parse

from support import ADMIN, PASSWORD, Server, free_port

HERE = os.path.dirname(os.path.abspath(__file__))
README = os.path.join(HERE, "..", "..", "..", "README.md")
NAME = "tokensmith.example.com"


def readme_block(language):
    with open(README, encoding="utf-8") as f:
        text = f.read()
    found = re.search(rf"```{language}\n(.*?)```", text, re.S)
    if not found:
        raise AssertionError(f"no ```{language} block in the README")
    return found.group(1)


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def certificate(folder):
    """A throwaway CA and a certificate it signed for NAME; (ca, chain, key) paths."""
    path = lambda name: os.path.join(folder, name)
    key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl("req", "-x509", *key, "-keyout", path("ca.key"), "-out", path("ca.pem"),
            "-days", "2", "-subj", "/CN=Tokensmith throwaway test CA")
    openssl("req", *key, "-keyout", path("privkey.pem"), "-out", path("server.csr"),
            "-subj", f"/CN={NAME}")
    with open(path("server.ext"), "w", encoding="utf-8") as ext:
        ext.write(f"subjectAltName=DNS:{NAME}\nextendedKeyUsage=serverAuth\n")
    openssl("x509", "-req", "-in", path("server.csr"), "-CA", path("ca.pem"),
            "-CAkey", path("ca.key"), "-CAcreateserial", "-days", "2",
            "-extfile", path("server.ext"), "-out", path("fullchain.pem"))
    return path("ca.pem"), path("fullchain.pem"), path("privkey.pem")


class ReadmeNginxExample(unittest.TestCase):
    def setUp(self):
        if shutil.which("nginx") is None:
            self.fail("nginx is not installed (scripts/test installs it)")
        self.srv = Server(TOKENSMITH_TRUSTED_PROXIES="127.0.0.1")
        self.addCleanup(self.srv.close)
        self.srv.start()
        self.dir = tempfile.mkdtemp(prefix="tokensmith-readme-nginx-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.ca, chain, key = certificate(self.dir)
        self.https, self.http = free_port(), free_port()
        block = readme_block("nginx")
        for old, new in (
            ("server 127.0.0.1:3000;", f"server 127.0.0.1:{self.srv.port};"),
            ("listen 443 ssl;", f"listen 127.0.0.1:{self.https} ssl;"),
            ("listen 80;", f"listen 127.0.0.1:{self.http};"),
            (f"/etc/letsencrypt/live/{NAME}/fullchain.pem", chain),
            (f"/etc/letsencrypt/live/{NAME}/privkey.pem", key),
        ):
            self.assertIn(old, block, "the README's example changed: update this test")
            block = block.replace(old, new)
        conf = os.path.join(self.dir, "nginx.conf")
        with open(conf, "w", encoding="utf-8") as f:
            f.write(
                f"worker_processes 1;\npid {self.dir}/nginx.pid;\nerror_log {self.dir}/error.log warn;\n"
                "events { worker_connections 256; }\n"
                f"http {{\n access_log off;\n client_body_temp_path {self.dir}/body;\n"
                f" proxy_temp_path {self.dir}/proxy;\n fastcgi_temp_path {self.dir}/fastcgi;\n"
                f" uwsgi_temp_path {self.dir}/uwsgi;\n scgi_temp_path {self.dir}/scgi;\n"
                f"{block}\n}}\n"
            )
        started = subprocess.run(["nginx", "-c", conf, "-p", self.dir, "-e", f"{self.dir}/error.log"],
                                 capture_output=True, text=True)
        self.assertEqual(started.returncode, 0, started.stderr)
        self.addCleanup(self.stop_nginx)
        self.wait_for_nginx()

    def stop_nginx(self):
        try:
            with open(os.path.join(self.dir, "nginx.pid")) as f:
                os.kill(int(f.read().strip()), signal.SIGQUIT)
        except (OSError, ValueError):
            pass

    def wait_for_nginx(self):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if self.https_request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("nginx did not answer")

    def https_request(self, method, path, body=None, headers=None):
        # The certificate names NAME, not 127.0.0.1: connect there, ask for NAME (SNI, Host).
        context = ssl.create_default_context(cafile=self.ca)
        raw = socket.create_connection(("127.0.0.1", self.https), 10)
        conn = http.client.HTTPConnection("127.0.0.1", self.https, timeout=10)
        conn.sock = context.wrap_socket(raw, server_hostname=NAME)
        try:
            conn.request(method, path, body=body, headers={"Host": NAME, **(headers or {})})
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()

    def test_sign_in_through_the_readme_nginx_over_tls(self):
        status, headers, body = self.https_request("GET", "/healthz", headers={"X-Request-Id": "ignored"})
        self.assertEqual((status, body), (200, b"ok"))
        self.assertRegex(headers["X-Request-Id"], r"^[0-9a-f]{32}$", "nginx's $request_id")
        self.assertEqual(headers["Strict-Transport-Security"], "max-age=31536000")

        form = urllib.parse.urlencode({"email": ADMIN, "password": PASSWORD})
        status, headers, _ = self.https_request(
            "POST", "/login", form,
            {"Content-Type": "application/x-www-form-urlencoded",
             "Origin": f"https://{NAME}", "Sec-Fetch-Site": "same-origin"},
        )
        self.assertEqual(status, 303)
        cookie = headers["Set-Cookie"]
        self.assertTrue(cookie.startswith("__Host-tokensmith_session="), cookie)
        self.assertIn("Secure", cookie)
        status, _, page = self.https_request(
            "GET", "/settings/api", headers={"Cookie": cookie.split(";")[0], "Accept": "text/html"}
        )
        self.assertEqual(status, 200)
        self.assertIn(b"<h1>API</h1>", page)

        conn = http.client.HTTPConnection("127.0.0.1", self.http, timeout=10)
        conn.request("GET", "/settings/api", headers={"Host": NAME})
        response = conn.getresponse()
        self.assertEqual(response.status, 301)
        self.assertEqual(response.headers["Location"], f"https://{NAME}/settings/api")
        conn.close()


if __name__ == "__main__":
    unittest.main()
