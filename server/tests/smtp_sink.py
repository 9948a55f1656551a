"""A real SMTP server for the mail tests: aiosmtpd on 127.0.0.1, every message it
receives appended to a file as one JSON line (with its Message-ID header). Prints
"ready <port>" once listening. With SMTP_SINK_DELAY=<seconds> it takes that long to
accept each message (the message is written when accepted).

With SMTP_SINK_TLS=implicit (TLS from the first byte) or starttls (STARTTLS offered and
required before MAIL), it makes a throwaway CA with openssl, writes its certificate to
ca.pem beside OUTPUT_FILE, and serves a certificate it signed for SMTP_SINK_NAMES
(subjectAltName entries, default "IP:127.0.0.1,DNS:localhost").

With SMTP_SINK_AUTH=user:password it requires AUTH (offered with or without TLS, so a
client that would send a password in the clear is caught), and appends each attempt to
auth.jsonl beside OUTPUT_FILE as {"login", "password_matched", "tls"}.

usage: python3 smtp_sink.py OUTPUT_FILE
"""
import asyncio
import email
import json
import os
import socket
import ssl
import subprocess
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Sink:
    def __init__(self, path):
        self.path = path

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(float(os.environ.get("SMTP_SINK_DELAY", "0")))
        record = {
            "from": envelope.mail_from,
            "to": envelope.rcpt_tos,
            "data": envelope.content.decode("utf-8", "replace"),
            "message_id": email.message_from_bytes(envelope.content)["Message-ID"],
        }
        with open(self.path, "a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")
        return "250 OK"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def throwaway_certificate(folder, names):
    """A CA (folder/ca.pem) and a server certificate it signed for `names`; the server's
    context."""
    path = lambda name: os.path.join(folder, name)
    key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl("req", "-x509", *key, "-keyout", path("ca.key"), "-out", path("ca.pem"),
            "-days", "2", "-subj", "/CN=Tokensmith throwaway test CA")
    openssl("req", *key, "-keyout", path("server.key"), "-out", path("server.csr"),
            "-subj", "/CN=Tokensmith test mail server")
    with open(path("server.ext"), "w", encoding="utf-8") as ext:
        ext.write(f"subjectAltName={names}\nbasicConstraints=critical,CA:FALSE\n"
                  "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n")
    openssl("x509", "-req", "-in", path("server.csr"), "-CA", path("ca.pem"),
            "-CAkey", path("ca.key"), "-CAcreateserial", "-days", "2",
            "-extfile", path("server.ext"), "-out", path("server.pem"))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(path("server.pem"), path("server.key"))
    return context


def authenticator(output, expected):
    """Records every AUTH attempt; succeeds when the password is `expected`'s."""
    path = os.path.join(os.path.dirname(os.path.abspath(output)), "auth.jsonl")
    user, password = expected.split(":", 1)

    def check(server, session, envelope, mechanism, auth_data):
        login = auth_data.login.decode("utf-8", "replace")
        matched = login == user and auth_data.password.decode("utf-8", "replace") == password
        record = {"login": login, "password_matched": matched, "tls": session.ssl is not None}
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")
        return AuthResult(success=matched)

    return check


def controller(output):
    port = free_port()
    mode = os.environ.get("SMTP_SINK_TLS", "")
    options = {}
    if os.environ.get("SMTP_SINK_AUTH"):
        options.update(
            authenticator=authenticator(output, os.environ["SMTP_SINK_AUTH"]),
            auth_required=True,
            auth_require_tls=False,
        )
    if mode:
        names = os.environ.get("SMTP_SINK_NAMES", "IP:127.0.0.1,DNS:localhost")
        context = throwaway_certificate(os.path.dirname(os.path.abspath(output)), names)
        if mode == "implicit":
            options.update(ssl_context=context)
        elif mode == "starttls":
            options.update(tls_context=context, require_starttls=True)
        else:
            sys.exit(f"SMTP_SINK_TLS={mode!r}: implicit or starttls")
    return port, Controller(Sink(output), hostname="127.0.0.1", port=port, **options)


def main():
    port, controller_ = controller(sys.argv[1])
    controller_.start()
    print(f"ready {port}", flush=True)
    try:
        # The test kills us when it is done; stdin closing also ends the sink.
        while sys.stdin.read(1):
            time.sleep(0.1)
    finally:
        controller_.stop()


if __name__ == "__main__":
    main()
