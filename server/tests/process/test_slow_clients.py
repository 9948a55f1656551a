"""Slow, idle and half-sent clients cannot hold the server: every connection is bounded in time,
and normal clients are answered meanwhile."""

import os
import selectors
import shutil
import socket
import statistics
import sys
import tempfile
import time
import unittest

from support import Server, site_root

HEADER_TIMEOUT = 2
REQUEST_TIMEOUT = 3
MARGIN = 3


def connect(port, source="127.0.0.1"):
    return socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0))


def timed(fn):
    start = time.monotonic()
    result = fn()
    return result, time.monotonic() - start


def wait_ended(sock, deadline):
    """Reads until the server closes or resets the connection, or answers 408.

    Returns how it ended ("closed", "reset", "408"), None if still open at `deadline`, or
    the first line of any other answer."""
    return watch([(sock, None, 0)], lambda kind, at: deadline)[0][1]


def watch(conns, deadline):
    """Watches (socket, kind, opened at) all at once until each ends as `wait_ended` says or
    passes `deadline(kind, opened at)`; returns (kind, how, seconds since opened) each."""
    selector = selectors.DefaultSelector()
    for sock, kind, at in conns:
        sock.setblocking(False)
        selector.register(sock, selectors.EVENT_READ, [kind, at, b""])
    results = []

    def end(key, how):
        kind, at, _ = key.data
        results.append((kind, how, time.monotonic() - at))
        selector.unregister(key.fileobj)

    while selector.get_map():
        for key in list(selector.get_map().values()):
            if time.monotonic() > deadline(key.data[0], key.data[1]):
                end(key, None)
        for key, _ in selector.select(timeout=0.02):
            try:
                chunk = key.fileobj.recv(4096)
            except ConnectionResetError:
                end(key, "reset")
                continue
            data = key.data[2] = key.data[2] + chunk
            if data.startswith(b"HTTP/1.1 408"):
                end(key, "408")
            elif not chunk:
                end(key, "closed" if not data else data.split(b"\r\n")[0].decode())
    selector.close()
    return results


class SlowClients(unittest.TestCase):
    def server(self, **env):
        srv = Server(
            TOKENSMITH_HEADER_TIMEOUT_SECS=HEADER_TIMEOUT,
            TOKENSMITH_REQUEST_TIMEOUT_SECS=REQUEST_TIMEOUT,
            **env,
        )
        self.addCleanup(srv.close)
        return srv.start()

    def test_idle_and_half_sent_connections_are_dropped_while_others_are_served(self):
        """200 connections that send nothing or only part of a request don't slow normal
        clients (the sign-in page and the wasm each answered within 3 s), and the server
        closes every one of them: a missing head within the header timeout, a missing body
        with 408 within the request timeout."""
        srv = self.server()
        wasm_size = os.path.getsize(os.path.join(site_root(), "pkg", "tokensmith.wasm"))
        host = f"Host: 127.0.0.1:{srv.port}\r\n"
        slow = []  # (socket, kind, opened at)
        for n in range(200):
            # From four addresses: one address may hold only so many connections.
            sock = connect(srv.port, f"127.0.0.{2 + n % 4}")
            kind = ["idle", "idle", "head", "body"][n % 4]
            if kind == "head":
                sock.sendall(f"GET /login HTTP/1.1\r\n{host}User-Agent: slow".encode())
            elif kind == "body":
                sock.sendall(
                    (
                        f"POST /login HTTP/1.1\r\n{host}Content-Type: application/x-www-form-urlencoded\r\n"
                        "Sec-Fetch-Site: same-origin\r\nContent-Length: 1000\r\n\r\nemail=admi"
                    ).encode()
                )
            slow.append((sock, kind, time.monotonic()))
        self.addCleanup(lambda: [s.close() for s, _, _ in slow])

        page_times, wasm_times = [], []
        opened = time.monotonic()
        while time.monotonic() - opened < HEADER_TIMEOUT * 0.75 or not wasm_times:
            (status, headers, body), took = timed(lambda: srv.request("GET", "/login", timeout=10))
            self.assertEqual(status, 200)
            self.assertIn("text/html", headers["Content-Type"])
            self.assertLess(took, 3, "GET /login beside 200 slow connections")
            page_times.append(took)
            (status, _, body), took = timed(
                lambda: srv.request("GET", "/pkg/tokensmith.wasm", timeout=10)
            )
            self.assertEqual(status, 200)
            self.assertEqual(len(body), wasm_size)
            self.assertLess(took, 3, "GET /pkg/tokensmith.wasm beside 200 slow connections")
            wasm_times.append(took)

        def deadline(kind, at):
            return at + (REQUEST_TIMEOUT if kind == "body" else HEADER_TIMEOUT) + MARGIN

        ended = {"idle": [], "head": [], "body": []}
        for kind, how, took in watch(slow, deadline):
            # A half-sent body is answered, so its client learns why; a missing head is not.
            expected = ("408",) if kind == "body" else ("closed", "reset")
            self.assertIn(how, expected, f"{kind} connection after {took:.1f} s")
            ended[kind].append((took, how))
        print(
            f"\n[slow clients] beside 200 slow connections: GET /login x{len(page_times)} "
            f"max {max(page_times) * 1000:.0f} ms median {statistics.median(page_times) * 1000:.0f} ms; "
            f"GET wasm ({wasm_size} B) x{len(wasm_times)} max {max(wasm_times) * 1000:.0f} ms; "
            + "; ".join(
                f"{kind} connections ended after {min(ends)[0]:.2f}-{max(ends)[0]:.2f} s "
                f"({', '.join(sorted({how for _, how in ends}))})"
                for kind, ends in ended.items()
            ),
            file=sys.stderr,
        )

    def test_one_address_cannot_hold_every_connection(self):
        """With TOKENSMITH_MAX_CONNECTIONS_PER_ADDRESS=10, a client holding 10 idle
        connections has its 11th closed at once, while other addresses are served at once."""
        srv = self.server(TOKENSMITH_MAX_CONNECTIONS_PER_ADDRESS=10)
        held = [connect(srv.port, "127.0.0.2") for _ in range(10)]
        self.addCleanup(lambda: [s.close() for s in held])
        time.sleep(0.2)
        extra = connect(srv.port, "127.0.0.2")
        self.addCleanup(extra.close)
        extra.settimeout(HEADER_TIMEOUT / 2)
        try:
            extra.sendall(f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{srv.port}\r\n\r\n".encode())
            answer = extra.recv(100)
        except (ConnectionResetError, BrokenPipeError):
            answer = b""
        self.assertEqual(answer, b"", "the 11th connection of one address is closed unanswered")
        (status, _, _), took = timed(lambda: srv.request("GET", "/login", timeout=10))
        self.assertEqual(status, 200)
        self.assertLess(took, 3)
        self.assertIn("connection refused: the address has as many open as it may", srv.log())

    def test_a_full_connection_table_is_reclaimed(self):
        """With TOKENSMITH_MAX_CONNECTIONS=20 taken by 20 idle connections, a normal client
        waits in the backlog only until the idle ones time out, then gets its page."""
        srv = self.server(TOKENSMITH_MAX_CONNECTIONS=20)
        idle = [connect(srv.port) for _ in range(20)]
        self.addCleanup(lambda: [s.close() for s in idle])
        time.sleep(0.2)
        (status, _, _), took = timed(lambda: srv.request("GET", "/login", timeout=HEADER_TIMEOUT + 10))
        self.assertEqual(status, 200)
        self.assertLess(took, HEADER_TIMEOUT + 3)
        print(f"\n[slow clients] GET /login behind 20 idle connections (max 20): {took:.2f} s", file=sys.stderr)

    def test_an_idle_keep_alive_connection_is_closed(self):
        """After a normal request on a keep-alive connection, the server closes the idle
        connection within the header timeout (plus a margin)."""
        srv = self.server()
        sock = connect(srv.port)
        self.addCleanup(sock.close)
        sock.sendall(f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{srv.port}\r\n\r\n".encode())
        data = b""
        while not (b"\r\n\r\n" in data and data.endswith(b"ok")):
            chunk = sock.recv(4096)
            self.assertTrue(chunk, f"closed before the answer: {data!r}")
            data += chunk
        self.assertTrue(data.startswith(b"HTTP/1.1 200"), data)
        self.assertNotIn(b"connection: close", data.lower())
        answered = time.monotonic()
        how = wait_ended(sock, answered + HEADER_TIMEOUT + MARGIN)
        self.assertIn(how, ("closed", "reset"), "idle keep-alive connection still open")
        print(
            f"\n[slow clients] idle keep-alive connection closed after {time.monotonic() - answered:.2f} s "
            f"(header timeout {HEADER_TIMEOUT} s)",
            file=sys.stderr,
        )

    def test_a_client_that_stops_reading_is_cut_at_the_request_timeout(self):
        """A client that asks for a 32 MiB file and then reads nothing doesn't hold its
        connection: the response body is cut at the request timeout (the client later
        finds the stream ended early, instead of the server still waiting to write)."""
        root = tempfile.mkdtemp(prefix="tokensmith-big-")
        self.addCleanup(shutil.rmtree, root, True)
        os.makedirs(os.path.join(root, "pkg"))
        size = 32 << 20
        with open(os.path.join(root, "pkg", "tokensmith.wasm"), "wb") as f:
            f.write(b"\0asm" + bytes(size - 4))
        srv = self.server(LEPTOS_SITE_ROOT=root)
        sock = socket.socket()
        self.addCleanup(sock.close)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect(("127.0.0.1", srv.port))
        sock.sendall(f"GET /pkg/tokensmith.wasm HTTP/1.1\r\nHost: 127.0.0.1:{srv.port}\r\n\r\n".encode())
        time.sleep(REQUEST_TIMEOUT + MARGIN)
        # Whatever the kernel buffered comes at once; then the end, if the server cut it.
        received, ended, draining = 0, None, time.monotonic()
        sock.settimeout(2)
        while ended is None and time.monotonic() - draining < 5:
            try:
                chunk = sock.recv(1 << 16)
            except socket.timeout:
                break
            except ConnectionResetError:
                ended = "reset"
                break
            received += len(chunk)
            if not chunk:
                ended = "closed"
        self.assertIn(ended, ("closed", "reset"), f"still streaming after {received} bytes")
        self.assertLess(received, size)
        print(
            f"\n[slow clients] a reader that stopped was cut after {received >> 10} KiB of "
            f"{size >> 10} KiB (request timeout {REQUEST_TIMEOUT} s)",
            file=sys.stderr,
        )


if __name__ == "__main__":
    unittest.main()
